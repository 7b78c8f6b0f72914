"""Forms of the testing pages: parsing and field-level checks only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.dates import WindowedDateField
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user
from chongdich.people.forms import SELECT_LIMIT, UnitChoiceField, units_in_scope
from chongdich.people.models import OccupationGroup, ResidenceStatus, Sex
from chongdich.territory.models import AdminUnit, Level
from chongdich.testing.models import DEFAULT_POOL_LIMIT, POOL_LIMIT_CEILING, SampleKind, SampleReason, SampleStatus
from chongdich.testing.results import CT_MAX, CT_MIN, RESULTS
from chongdich.testing.selectors import campaigns_to_choose, labs_to_choose

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RESULT_CHOICES = [(value, label) for value, label in SampleStatus.choices if value in RESULTS]


def administrative_units(user, capability: str = Cap.TESTS_EDIT):
    """Provinces, districts and communes where the user may record tests (for labs and campaigns)."""
    units = AdminUnit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
    return for_user(units, user, capability, path_field="path").order_by("path")


def offer_units(field: forms.ModelChoiceField, units) -> None:
    """A select of units, or a code box when a national or provincial user would get thousands."""
    field.queryset = units
    if units.count() > SELECT_LIMIT:
        field.widget = forms.TextInput(attrs={"placeholder": _("Unit code")})
        field.help_text = _("Type the code of the unit (see the Units page).")


class _SamplingFields(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=SampleReason.choices)
    taken_on = WindowedDateField(label=_("Taken on"), widget=DATE, window="sample.taken_on")
    lab = forms.ModelChoiceField(label=_("Laboratory"), queryset=None, required=False, empty_label="—")
    campaign = forms.ModelChoiceField(label=_("Screening campaign"), queryset=None, required=False, empty_label="—")
    code = forms.CharField(
        label=_("Sample code"),
        max_length=40,
        required=False,
        help_text=_("As written on the tube. Leave empty to number it automatically."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = clock.today()
        self.fields["lab"].queryset = labs_to_choose(user)
        self.fields["campaign"].queryset = campaigns_to_choose(user)


class SampleForm(_SamplingFields):
    kind = forms.ChoiceField(
        label=_("Test"),
        widget=forms.RadioSelect,
        initial=SampleKind.RT_PCR,
        choices=[c for c in SampleKind.choices if c[0] != SampleKind.POOLED_RT_PCR],
    )
    result = forms.ChoiceField(
        label=_("Result of the rapid test"),
        required=False,
        choices=[("", _("Not read yet")), *RESULT_CHOICES],
        help_text=_("Only for a rapid antigen test, read on the spot."),
    )
    field_order = ["kind", "reason", "taken_on", "lab", "campaign", "code", "result"]


class PoolForm(_SamplingFields):
    unit = UnitChoiceField(
        label=_("Place"),
        queryset=AdminUnit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("The village or commune of the people in the pool"),
    )
    limit = forms.IntegerField(
        label=_("People per pool at most"), initial=DEFAULT_POOL_LIMIT, min_value=2, max_value=POOL_LIMIT_CEILING
    )
    field_order = ["reason", "taken_on", "lab", "campaign", "code", "limit", "unit"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        offer_units(self.fields["unit"], units_in_scope(user, Cap.TESTS_EDIT).select_related("parent"))
        self.fields["reason"].initial = SampleReason.SCREENING


class ResultForm(forms.Form):
    status = forms.ChoiceField(label=_("Result"), choices=RESULT_CHOICES, widget=forms.RadioSelect)
    ct_value = forms.DecimalField(
        label=_("Ct"),
        required=False,
        min_value=CT_MIN,
        max_value=CT_MAX,
        max_digits=4,
        decimal_places=1,
        help_text=_("RT-PCR only, between 0 and 45."),
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    result_on = WindowedDateField(label=_("Result date"), widget=DATE, window="sample.result_on")
    correction = forms.BooleanField(label=_("This corrects a result entered before"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_on"].initial = clock.today()


class ResultByCodeForm(ResultForm):
    code = forms.CharField(
        label=_("Sample code"), max_length=40, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"})
    )
    field_order = ["code", "status", "ct_value", "result_on", "correction"]


class LabForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("The code the laboratory writes in its result files.")
    )
    unit = UnitChoiceField(label=_("Administrative unit"), queryset=AdminUnit.objects.none(), to_field_name="code")
    daily_capacity = forms.IntegerField(label=_("RT-PCR samples per day"), min_value=0, initial=0)
    antigen_capacity = forms.IntegerField(label=_("Rapid tests per day"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("Takes samples"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_units(self.fields["unit"], administrative_units(user))

    def lab_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "code", "daily_capacity", "antigen_capacity", "active")}


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    unit = UnitChoiceField(label=_("Administrative unit"), queryset=AdminUnit.objects.none(), to_field_name="code")
    target_description = forms.CharField(
        label=_("Target"),
        max_length=200,
        required=False,
        help_text=_("Who is to be tested, e.g. “traders of Đức Hạnh market”."),
    )
    start = WindowedDateField(label=_("From"), widget=DATE, window="campaign.start")
    end = WindowedDateField(label=_("Until"), widget=DATE, required=False, window="campaign.end")
    sample_kind = forms.ChoiceField(label=_("Test"), choices=SampleKind.choices, initial=SampleKind.POOLED_RT_PCR)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_units(self.fields["unit"], administrative_units(user))
        self.fields["start"].initial = clock.today()

    def campaign_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "target_description", "start", "end", "sample_kind")}


class TargetFilterForm(forms.Form):
    """“Everyone in unit X aged A–B” and the other people fields a campaign can aim at."""

    unit = UnitChoiceField(
        label=_("Lives in"),
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("The whole campaign area"),
    )
    age_from = forms.IntegerField(label=_("Aged from"), min_value=0, max_value=120, required=False)
    age_to = forms.IntegerField(label=_("Aged up to"), min_value=0, max_value=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("All")), *Sex.choices], required=False)
    occupation_group = forms.ChoiceField(
        label=_("Occupation"), choices=[("", _("All")), *OccupationGroup.choices], required=False
    )
    residence_status = forms.ChoiceField(
        label=_("Residence status"), choices=[("", _("All")), *ResidenceStatus.choices], required=False
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        units = AdminUnit.objects.filter(
            path__startswith=campaign.unit_path, level__in=[Level.DISTRICT, Level.COMMUNE, Level.VILLAGE]
        )
        offer_units(self.fields["unit"], units.select_related("parent").order_by("path"))

    def clean(self):
        data = super().clean()
        low, high = data.get("age_from"), data.get("age_to")
        if low is not None and high is not None and low > high:
            self.add_error("age_to", _("The upper age is below the lower age."))
        return data

    def apply(self, people):
        """Narrow a queryset of people by the filters (ages by year of birth, as in the people list)."""
        data = self.cleaned_data
        year = clock.today().year
        if data.get("unit"):
            people = people.within(data["unit"])
        if data.get("age_from") is not None:
            people = people.filter(birth_year__lte=year - data["age_from"])
        if data.get("age_to") is not None:
            people = people.filter(birth_year__gte=year - data["age_to"])
        for field in ("sex", "occupation_group", "residence_status"):
            if data.get(field):
                people = people.filter(**{field: data[field]})
        return people

    @property
    def is_empty(self) -> bool:
        return not any(v not in (None, "") for v in self.cleaned_data.values())
