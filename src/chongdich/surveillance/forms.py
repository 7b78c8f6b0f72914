"""Forms of the surveillance pages: case forms, exposures, clusters, the chain window (the lists' filters
are FilterSets, in ``filters.py``).

Forms check what a person can see on the page (dates in the future, an end before a start, a mask
that contradicts the kind of contact) and give the services clean values; the services check the
rest (scope, one active case per person, dates against the case's history).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.dates import WindowedDateField
from chongdich.core.roles import Cap
from chongdich.people.forms import PersonForm, UnitChoiceField, units_in_scope
from chongdich.people.models import ResidenceStatus
from chongdich.surveillance import placement
from chongdich.surveillance.models import (
    CASE_DETAIL_FIELDS,
    Case,
    Cluster,
    DetectedIn,
    ExposureKind,
    Outcome,
    Setting,
    Severity,
    TestType,
    TreatmentPlace,
)
from chongdich.surveillance.selectors import clusters_for
from chongdich.surveillance.tracing import exposure_bounds

SOURCE_CHOICES = [("1", _("Known source")), ("0", _("Unknown source"))]
MASK_CHOICES = [("", _("Not known")), ("1", _("Yes")), ("0", _("No"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required: bool = True, *, window: str | None = None, **kwargs) -> forms.DateField:
    """A date input; with ``window`` (a key of ``core.dates.WINDOWS``) implausible dates are refused."""
    if window:
        return WindowedDateField(label=label, required=required, widget=DateInput(), window=window, **kwargs)
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def _to_bool(value: str | None) -> bool | None:
    return None if value in (None, "") else value == "1"


def add_facility_field(form: forms.Form, province_code: str) -> None:
    """The facility picker after the treatment place, when an app (care) provides facilities."""
    field = placement.facilities().field(province_code)
    if field is not None:
        form.fields["facility"] = field


def check_facility(form: forms.Form, place_field: str = "treatment_place") -> None:
    """The facility must go with the chosen place (named for facility places, of the matching kind)."""
    problem = placement.facilities().check(form.cleaned_data.get(place_field), form.cleaned_data.get("facility"))
    if problem:
        form.add_error("facility" if "facility" in form.fields else None, problem)


# -- the case list ----------------------------------------------------------------------------


# -- confirming and editing a case ------------------------------------------------------------


class CaseDetailsForm(forms.Form):
    """The fields of a case an officer records at confirmation and may correct later."""

    confirmed_on = date_field(
        _("Confirmed on"), help_text=_("The date of the positive result."), window="case.confirmed_on"
    )
    test_type = forms.ChoiceField(label=_("Confirmed by"), choices=TestType.choices)
    sample_code = forms.CharField(label=_("Sample code"), max_length=40, required=False)
    detected_in = forms.ChoiceField(
        label=_("Detected"),
        choices=DetectedIn.choices,
        widget=forms.RadioSelect,
        help_text=_("A case found in the community raises the area's risk level."),
    )
    source_known = forms.ChoiceField(label=_("Source of infection"), choices=SOURCE_CHOICES, widget=forms.RadioSelect)
    setting = forms.ChoiceField(label=_("Setting"), choices=[("", "—"), *Setting.choices], required=False)
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none(), required=False)
    symptomatic = forms.BooleanField(label=_("Has symptoms"), required=False)
    onset_date = date_field(_("Symptom onset"), required=False, window="case.onset_date")
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters_for(user).filter(closed_on__isnull=True).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("onset_date"):
            data["symptomatic"] = True
        if "source_known" in data:
            data["source_known"] = data["source_known"] == "1"
        return data

    def details(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in CASE_DETAIL_FIELDS}


class ConfirmCaseForm(CaseDetailsForm):
    treatment_place = forms.ChoiceField(
        label=_("Treatment place"), choices=TreatmentPlace.choices, initial=TreatmentPlace.HOME
    )
    field_order = [
        "confirmed_on",
        "test_type",
        "sample_code",
        "detected_in",
        "source_known",
        "setting",
        "cluster",
        "symptomatic",
        "onset_date",
        "severity",
        "treatment_place",
        "facility",
        "notes",
    ]

    def __init__(self, *args, user, province_code: str, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        add_facility_field(self, province_code)
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        check_facility(self)
        return data


class CaseEditForm(CaseDetailsForm):
    def __init__(self, *args, user, case: Case, **kwargs):
        initial = {name: getattr(case, name) for name in (*self.base_fields, "cluster")}
        initial["source_known"] = "1" if case.source_known else "0"
        super().__init__(*args, user=user, initial=initial, **kwargs)
        if case.cluster_id:  # keep a closed cluster selectable for a case already in it
            self.fields["cluster"].queryset = (
                self.fields["cluster"].queryset | Cluster.objects.filter(pk=case.cluster_id)
            ).distinct()
        self.case = case

    def changes(self) -> dict:
        """Only what the officer changed (the service audits each change)."""
        values = {"confirmed_on": self.cleaned_data["confirmed_on"], **self.details()}
        return {
            name: value
            for name, value in values.items()
            if (value if value is not None else "")
            != (getattr(self.case, name) if getattr(self.case, name) is not None else "")
        }


class MoveCaseForm(forms.Form):
    place = forms.ChoiceField(label=_("New treatment place"), choices=TreatmentPlace.choices)
    on = date_field(_("Moved on"), initial=clock.today, window="case.moved_on")

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        add_facility_field(self, case.province_code)
        self.order_fields(["place", "facility", "on"])

    def clean(self):
        data = super().clean()
        check_facility(self, "place")
        return data


class CloseCaseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect, choices=[c for c in Outcome.choices if c[0] != Outcome.ACTIVE]
    )
    on = date_field(_("Date"), initial=clock.today, window="case.outcome_on")


# -- exposures --------------------------------------------------------------------------------


class ExposureForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), widget=forms.RadioSelect, initial="forward", choices=())
    kind = forms.ChoiceField(label=_("Kind of exposure"), choices=ExposureKind.choices)
    start_date = date_field(
        _("Date of exposure"), help_text=_("The first day they were together."), window="exposure.start"
    )
    start_time = forms.TimeField(label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_date = date_field(
        _("Last day of exposure"),
        required=False,
        window="exposure.end",
        help_text=_("Leave empty for a single meeting."),
    )
    masked = forms.ChoiceField(label=_("Wearing a mask"), choices=MASK_CHOICES, required=False)
    distance_m = forms.DecimalField(
        label=_("Distance (m)"), required=False, min_value=Decimal(0), max_digits=5, decimal_places=1
    )
    duration_min = forms.IntegerField(label=_("Duration (minutes)"), required=False, min_value=0, max_value=100_000)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none(), required=False)

    def __init__(self, *args, user, anchor_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters_for(user).filter(closed_on__isnull=True).order_by("name")
        self.fields["direction"].choices = [
            ("forward", _("%(name)s exposed this person (a contact)") % {"name": anchor_name}),
            ("back", _("This person may have infected %(name)s (a source)") % {"name": anchor_name}),
        ]

    @property
    def forward(self) -> bool:
        return self.cleaned_data.get("direction") != "back"

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The exposure cannot end before it starts."))
        masked, kind = _to_bool(data.get("masked")), data.get("kind")
        if kind == ExposureKind.CLOSE_MASKED and masked is False:
            self.add_error(
                "masked",
                _("“Close, masked” means both wore a mask: choose “Close, without a mask” or correct the mask."),
            )
        elif kind == ExposureKind.CLOSE_UNMASKED and masked is True:
            self.add_error("masked", _("“Close, without a mask” contradicts “wearing a mask”: correct one of them."))
        data["masked"] = masked
        return data

    def exposure(self) -> dict:
        data = self.cleaned_data
        start, end = exposure_bounds(data["start_date"], data.get("start_time"), data.get("end_date"))
        return {
            "kind": data["kind"],
            "start": start,
            "end": end,
            "masked": data["masked"],
            "distance_m": data.get("distance_m"),
            "duration_min": data.get("duration_min"),
            "place": data.get("place") or "",
            "cluster": data.get("cluster"),
        }


class QuickPersonForm(PersonForm):
    """Register the other person from the exposure form: name, sex, year of birth, phone, village."""

    KEPT = ("full_name", "sex", "birth_year", "phone", "unit", "confirm_new")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.KEPT:
                del self.fields[name]
        self.fields["birth_year"].required = True
        self.fields["birth_year"].help_text = ""

    def person_data(self) -> dict:
        data = super().person_data()
        data["residence_status"] = data.get("residence_status") or ResidenceStatus.PERMANENT
        data["date_of_birth"] = None
        data["unit"] = self.cleaned_data["unit"]
        return data


# -- clusters ---------------------------------------------------------------------------------


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160, help_text=_("e.g. “Chợ Đức Hạnh”, “Công ty May Sông Bé”"))
    setting = forms.ChoiceField(label=_("Setting"), choices=Setting.choices)
    source_known = forms.ChoiceField(
        label=_("Source of infection"), choices=SOURCE_CHOICES, widget=forms.RadioSelect, initial="0"
    )
    unit = UnitChoiceField(label=_("Commune / village of the site"), queryset=None)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    opened_on = date_field(_("First case"), initial=clock.today, window="cluster.opened_on")
    closed_on = date_field(
        _("Closed"), required=False, help_text=_("When the outbreak at this site is over."), window="cluster.closed_on"
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, cluster: Cluster | None = None, **kwargs):
        if cluster is not None:
            kwargs["initial"] = {
                **{name: getattr(cluster, name) for name in self.base_fields if name != "unit"},
                "unit": cluster.unit.code,
                "source_known": "1" if cluster.source_known else "0",
            }
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(user, Cap.CASES_EDIT).select_related("parent")
        self.fields["unit"].to_field_name = "code"

    def clean(self):
        data = super().clean()
        if "source_known" in data:
            data["source_known"] = data["source_known"] == "1"
        return data

    def values(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in ("name", "setting", "source_known", "address", "opened_on", "closed_on", "notes")
        }


# -- chains -----------------------------------------------------------------------------------


class ChainWindowForm(forms.Form):
    start = date_field(_("Confirmed from"), required=False)
    end = date_field(_("Confirmed until"), required=False)
    all = forms.BooleanField(label=_("Whole chain"), required=False)
    contacts = forms.BooleanField(label=_("Show F1/F2 contacts"), required=False)
    layout = forms.ChoiceField(
        label=_("Layout"),
        required=False,
        choices=[("network", _("Network")), ("timeline", _("Timeline (left to right by date)"))],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    case = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the window is before its start."))
        return data

    def window(self, last_date: date | None, size: int, per_page: int) -> dict:
        """Dates and page to show: a big chain opens on its last two weeks unless asked otherwise."""
        data = self.cleaned_data if self.is_valid() else {}
        start, end = data.get("start"), data.get("end")
        if not (start or end or data.get("all")) and size > per_page and last_date:
            start, end = last_date - timedelta(days=13), last_date
        return {
            "start": start,
            "end": end,
            "page": data.get("page") or 1,
            "contacts": bool(data.get("contacts")),
            "layout": data.get("layout") or "network",
            "case": data.get("case"),
        }
