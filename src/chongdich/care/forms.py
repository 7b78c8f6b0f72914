"""Forms of the care pages: they parse and check what a person typed; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from chongdich.care import plans
from chongdich.care.actions.monitoring import empty_check_error, is_empty
from chongdich.care.models import BedType, DischargeReason, FacilityKind, OrderStatus, StayPurpose
from chongdich.core import clock
from chongdich.core.dates import WindowedDateField
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = {"inputmode": "decimal"}


def date_field(label, required=True, *, window: str | None = None, **kwargs) -> forms.DateField:
    """A date input; with ``window`` (a key of ``core.dates.WINDOWS``) implausible dates are refused."""
    if window:
        return WindowedDateField(label=label, required=required, widget=DATE, window=window, **kwargs)
    return forms.DateField(label=label, required=required, widget=DATE, **kwargs)


def facility_units(user):
    """Units where the user may place a facility: their area, from the province down to villages."""
    units = AdminUnit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE])
    return for_user(units, user, Cap.CARE_EDIT, path_field="path").select_related("parent").order_by("path")


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices)
    unit = UnitChoiceField(label=_("Administrative unit"), queryset=AdminUnit.objects.none(), to_field_name="code")
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel"}),
    )
    ready_within_24h = forms.BooleanField(label=_("Can open within 24 hours"), required=False)
    opened_on = date_field(_("Opened on"), required=False)
    closed_on = date_field(_("Closed on"), required=False)

    BED_FIELDS = {bed: f"beds_{bed}" for bed in BedType.values}

    def __init__(self, *args, user, with_beds: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = facility_units(user)
        if with_beds:
            for bed, label in BedType.choices:
                self.fields[self.BED_FIELDS[bed]] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=100_000,
                    required=False,
                    initial=0,
                    help_text=_("Places of this type on the opening day.") if bed == BedType.QUARANTINE else "",
                )

    def facility_data(self) -> dict:
        keys = ("name", "kind", "address", "phone", "ready_within_24h", "opened_on", "closed_on")
        return {key: self.cleaned_data.get(key) for key in keys} | {
            "address": self.cleaned_data.get("address") or "",
            "phone": self.cleaned_data.get("phone") or "",
        }

    def capacity(self) -> dict[str, int]:
        return {bed: self.cleaned_data.get(name) or 0 for bed, name in self.BED_FIELDS.items() if name in self.fields}


class CapacityForm(forms.Form):
    bed_type = forms.ChoiceField(label=_("Bed type"), choices=BedType.choices)
    delta = forms.IntegerField(label=_("Beds added (negative to remove)"), min_value=-100_000, max_value=100_000)
    day = date_field(_("From"), initial=clock.today)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError(
                _("Enter how many beds are added (for example 20) or removed (for example -5).")
            )
        return delta


class VaccinationFields(forms.Form):
    vaccinated_doses = forms.IntegerField(
        label=_("COVID-19 vaccine doses"),
        min_value=0,
        max_value=10,
        required=False,
        help_text=_("Leave empty when not known."),
    )
    last_dose = date_field(_("Date of the last dose"), required=False, window="vaccination.last_dose")

    def clean(self):
        data = super().clean()
        if data.get("vaccinated_doses") and not data.get("last_dose") and not self.has_error("last_dose"):
            self.add_error("last_dose", _("Enter the date of the last dose (the rules count days since it)."))
        return data

    def vaccination(self):
        return plans.vaccination_from(self.cleaned_data.get("vaccinated_doses"), self.cleaned_data.get("last_dose"))


class AdmitForm(VaccinationFields):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=StayPurpose.choices, widget=forms.RadioSelect)
    bed_type = forms.ChoiceField(label=_("Bed type"), choices=BedType.choices)
    on = date_field(_("Admitted on"), initial=clock.today, window="stay.admitted_on")
    last_exposure = date_field(
        _("Day of last exposure (F1) or of entry (entrant)"),
        required=False,
        window="stay.last_exposure",
        help_text=_("The quarantine plan is counted from this day (day 1)."),
    )
    overflow = forms.BooleanField(label=_("Above capacity (authorised overflow)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    field_order = ["purpose", "bed_type", "on", "last_exposure", "vaccinated_doses", "last_dose", "overflow", "note"]


class DischargeForm(forms.Form):
    on = date_field(_("Discharged on"), initial=clock.today, window="stay.left_on")
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[c for c in DischargeReason.choices if c[0] != DischargeReason.TRANSFERRED]
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TransferForm(forms.Form):
    to_facility = forms.ModelChoiceField(label=_("To facility"), queryset=None)
    bed_type = forms.ChoiceField(label=_("Bed type"), choices=BedType.choices)
    on = date_field(_("Transferred on"), initial=clock.today, window="stay.left_on")
    overflow = forms.BooleanField(label=_("Above capacity (authorised overflow)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_facility"].queryset = facilities


class HomeQuarantineForm(VaccinationFields):
    last_exposure = date_field(
        _("Day of last exposure"), help_text=_("Day 1 of the quarantine."), window="order.last_exposure"
    )
    recovered_on = date_field(
        _("Recovered from COVID-19 on"),
        required=False,
        window="order.recovered_on",
        help_text=_("A recent recovery shortens the quarantine under some rules."),
    )
    override_reason = forms.CharField(
        label=_("Reason for home quarantine when the rule prescribes a facility"),
        max_length=300,
        required=False,
        help_text=_("Only when authorised, for example: the province applies home quarantine for F1."),
    )
    order_number = forms.CharField(label=_("Decision number"), max_length=40, required=False)

    field_order = ["last_exposure", "vaccinated_doses", "last_dose", "recovered_on", "override_reason", "order_number"]


def tri_state(label) -> forms.TypedChoiceField:
    """Yes / no / not known (None): the rules tell "failed" from "not recorded"."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        empty_value=None,
        coerce=lambda value: value == "yes",
        choices=[("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))],
    )


class HomeCareForm(VaccinationFields):
    on = date_field(_("Home care from"), initial=clock.today, window="order.start")
    respiratory_rate = forms.IntegerField(label=_("Breaths per minute"), min_value=5, max_value=80, required=False)
    spo2 = forms.IntegerField(label=_("SpO2 (%) on room air"), min_value=50, max_value=100, required=False)
    abnormal_breathing = tri_state(_("Abnormal breathing"))
    comorbidity = forms.ChoiceField(
        label=_("Comorbidity"),
        required=False,
        choices=[
            ("", _("Not known")),
            ("none", _("None")),
            ("stable", _("Yes, stably treated")),
            ("unstable", _("Yes, not stable")),
        ],
    )
    pregnant = tri_state(_("Pregnant"))
    can_self_care = tri_state(_("Can look after themself"))
    reachable = tri_state(_("Can call health workers (phone…)"))
    has_carer = tri_state(_("Has a carer at home"))
    override_reason = forms.CharField(
        label=_("Authorised reason for home care when not eligible"),
        max_length=300,
        required=False,
        help_text=_("Leave empty unless a doctor or the steering committee decided home care anyway."),
    )
    order_number = forms.CharField(label=_("Decision number"), max_length=40, required=False)

    field_order = [
        "on",
        "respiratory_rate",
        "spo2",
        "abnormal_breathing",
        "vaccinated_doses",
        "last_dose",
        "comorbidity",
        "pregnant",
        "can_self_care",
        "reachable",
        "has_carer",
        "override_reason",
        "order_number",
    ]

    def facts(self) -> plans.HomeCareFacts:
        data = self.cleaned_data
        return plans.HomeCareFacts(
            respiratory_rate=data.get("respiratory_rate"),
            spo2=data.get("spo2"),
            abnormal_breathing=data.get("abnormal_breathing"),
            vaccinated_doses=data.get("vaccinated_doses"),
            last_dose_date=data.get("last_dose"),
            comorbidity=data.get("comorbidity") or None,
            pregnant=data.get("pregnant"),
            can_self_care=data.get("can_self_care"),
            has_carer=data.get("has_carer"),
            reachable=data.get("reachable"),
        )


class SelfMonitoringForm(forms.Form):
    start = date_field(_("From"), initial=clock.today, window="order.start")
    end = date_field(_("Until (inclusive)"), window="order.until")
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MonitoringForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Time of the check"),
        initial=lambda: timezone.localtime(clock.now()).replace(second=0, microsecond=0),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    temperature_c = forms.DecimalField(
        label=_("Temperature (°C)"),
        max_digits=4,
        decimal_places=1,
        required=False,
        widget=forms.NumberInput(attrs={**NUMBER, "step": "0.1"}),
    )
    spo2 = forms.IntegerField(
        label=_("SpO2 (%)"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    respiratory_rate = forms.IntegerField(
        label=_("Breaths per minute"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    pulse = forms.IntegerField(
        label=_("Pulse"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms"), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symptoms"].choices = plans.symptom_choices(get_language())

    def clean(self):
        data = super().clean()
        if not self.errors and is_empty(data, data.get("symptoms"), data.get("note") or ""):
            raise empty_check_error()
        return data

    def readings(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("at", "temperature_c", "spo2", "respiratory_rate", "pulse")} | {
            "symptoms": self.cleaned_data.get("symptoms") or [],
            "note": self.cleaned_data.get("note") or "",
        }


class EndOrderForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How the order ends"),
        widget=forms.RadioSelect,
        choices=[
            (OrderStatus.COMPLETED, _("Completed (released)")),
            (OrderStatus.CONVERTED, _("Became a case or moved to a facility")),
            (OrderStatus.CANCELLED, _("Cancelled (entered by mistake)")),
        ],
    )
    on = date_field(
        _("First day no longer under the order"),
        required=False,
        help_text=_("Empty: the day after the planned end (or today)."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ResolveAlertForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=300)


class BulkForm(forms.Form):
    SOURCES = [("chain", _("Transmission chain")), ("cluster", _("Cluster"))]
    MODES = [("home", _("Home quarantine")), ("facility", _("Quarantine in a facility"))]

    source = forms.ChoiceField(label=_("All F1 of"), choices=SOURCES, widget=forms.RadioSelect, initial="chain")
    chain = forms.IntegerField(
        label=_("Chain number"), required=False, min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=None, required=False)
    mode = forms.ChoiceField(
        label=pgettext_lazy("quarantine", "Where"), choices=MODES, widget=forms.RadioSelect, initial="home"
    )
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None, required=False)
    on = date_field(_("Admitted on"), required=False, initial=clock.today, window="stay.admitted_on")
    overflow = forms.BooleanField(label=_("Above capacity (authorised overflow)"), required=False)
    override_reason = forms.CharField(
        label=_("Reason for home quarantine when the rule prescribes a facility"), max_length=300, required=False
    )

    def __init__(self, *args, clusters, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["facility"].queryset = facilities

    def clean(self):
        data = super().clean()
        if data.get("source") == "chain" and not data.get("chain"):
            self.add_error("chain", _("Enter the chain number (shown as #… on the case pages)."))
        if data.get("source") == "cluster" and not data.get("cluster"):
            self.add_error("cluster", _("Choose the cluster."))
        if data.get("mode") == "facility" and not data.get("facility"):
            self.add_error("facility", _("Choose the facility."))
        return data
