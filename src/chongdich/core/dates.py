"""The dates people type: a plausible window per field, and "no rule in force on that day".

A mistyped year (2012 for 2021, 1900) must come back as a clear message on the field, with what the
user typed kept — never as a server error, and never stored.  Every date field a user fills is named
here with its window: from the start of the epidemic (minus a lead for onsets and exposures, which
come before a confirmation by up to an incubation period) to today of the system's clock (plus a
margin for fields that may be planned ahead).  The forms (``WindowedDateField``), the API schemas
(``core.webapi.schemas.windowed``), the imports and the services (``check``) all use these windows.

Deployments change them in settings: ``CHONGDICH_EPIDEMIC_START`` (ISO date) moves the start for
every field, ``CHONGDICH_DATE_WINDOWS`` overrides single fields, e.g.
``{"case.onset_date": {"lead_days": 21}, "person.date_of_birth": {"earliest": "1890-01-01"}}``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.core import clock
from chongdich.core.versioning import NoRuleInForce

# Viet Nam's first confirmed cases (two travellers from Wuhan) were announced on 23/01/2020 [R].
EPIDEMIC_START = date(2020, 1, 23)
INCUBATION_DAYS = 14  # an onset or an exposure may come this long before the first confirmed case


@dataclass(frozen=True)
class Window:
    label: str | Promise
    lead_days: int = 0  # accepted before the epidemic start
    earliest: date | None = None  # a fixed first day instead (dates of birth)
    future_days: int | None = 0  # accepted after today; None: no upper bound


WINDOWS: dict[str, Window] = {
    "case.confirmed_on": Window(gettext_lazy("The confirmation date")),
    "case.onset_date": Window(gettext_lazy("The symptom onset"), lead_days=INCUBATION_DAYS),
    "case.moved_on": Window(gettext_lazy("The date of the move")),
    "case.outcome_on": Window(gettext_lazy("The date the case ended")),
    "exposure.start": Window(gettext_lazy("The date of exposure"), lead_days=INCUBATION_DAYS),
    "exposure.end": Window(gettext_lazy("The last day of exposure"), lead_days=INCUBATION_DAYS),
    "sample.taken_on": Window(gettext_lazy("The sampling date")),
    "sample.result_on": Window(gettext_lazy("The result date")),
    "stay.admitted_on": Window(gettext_lazy("The admission date")),
    "stay.left_on": Window(gettext_lazy("The discharge or transfer date")),
    "stay.last_exposure": Window(gettext_lazy("The day of last exposure or of entry"), lead_days=INCUBATION_DAYS),
    "order.start": Window(gettext_lazy("The first day of the order")),
    "order.until": Window(gettext_lazy("The last day of self-monitoring"), future_days=90),
    "order.last_exposure": Window(gettext_lazy("The day of last exposure"), lead_days=INCUBATION_DAYS),
    "order.recovered_on": Window(gettext_lazy("The recovery date")),
    "vaccination.last_dose": Window(gettext_lazy("The date of the last dose")),
    "cluster.opened_on": Window(gettext_lazy("The date of the first case")),
    "cluster.closed_on": Window(gettext_lazy("The closing date")),
    "campaign.start": Window(gettext_lazy("The first day of the campaign"), future_days=366),
    "campaign.end": Window(gettext_lazy("The last day of the campaign"), future_days=366),
    "person.date_of_birth": Window(gettext_lazy("The date of birth"), earliest=date(1900, 1, 1)),
}


def epidemic_start() -> date:
    configured = getattr(settings, "CHONGDICH_EPIDEMIC_START", "")
    if isinstance(configured, date):
        return configured
    return date.fromisoformat(configured) if configured else EPIDEMIC_START


def window(key: str) -> Window:
    """The window of ``key`` with this deployment's overrides."""
    base = WINDOWS[key]
    override = dict(getattr(settings, "CHONGDICH_DATE_WINDOWS", {}).get(key, {}))
    if isinstance(override.get("earliest"), str):
        override["earliest"] = date.fromisoformat(override["earliest"])
    return replace(base, **override) if override else base


def bounds(key: str) -> tuple[date, date | None]:
    """(first day accepted, last day accepted or None) for ``key`` today."""
    found = window(key)
    earliest = found.earliest or epidemic_start() - timedelta(days=found.lead_days)
    latest = None if found.future_days is None else clock.today() + timedelta(days=found.future_days)
    return earliest, latest


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def problem(key: str, value: date | None) -> str | None:
    """Why ``value`` is not a plausible ``key``, in the user's language, or None when it is."""
    if value is None:
        return None
    earliest, latest = bounds(key)
    label = window(key).label
    if value < earliest:
        if key == "person.date_of_birth":
            return _("%(label)s (%(date)s) cannot be before %(earliest)s: check the year.") % {
                "label": label,
                "date": _fmt(value),
                "earliest": _fmt(earliest),
            }
        return _("%(label)s (%(date)s) is before the epidemic reached Viet Nam (%(earliest)s): check the year.") % {
            "label": label,
            "date": _fmt(value),
            "earliest": _fmt(earliest),
        }
    if latest is not None and value > latest:
        if latest == clock.today():
            return _("%(label)s cannot be in the future (today is %(today)s).") % {
                "label": label,
                "today": _fmt(latest),
            }
        return _("%(label)s (%(date)s) cannot be after %(latest)s.") % {
            "label": label,
            "date": _fmt(value),
            "latest": _fmt(latest),
        }
    return None


def check(key: str, value: date | None, field: str | None = None) -> None:
    """Raise a ``ValidationError`` on ``field`` (default: the part of ``key`` after the dot) when
    ``value`` lies outside the window of ``key``."""
    message = problem(key, value)
    if message is not None:
        raise ValidationError({field or key.split(".", 1)[1]: message}, code="date_window")


def shown_day(day: date | None) -> date:
    """The day a page shows (dashboard, map, report, risk levels): today when none is asked for; a day
    before the epidemic or after today is brought inside — there is no history before, and no figure
    yet after (and date arithmetic on the year 1 or 9999 would fail)."""
    today = clock.today()
    if day is None:
        return today
    return max(min(day, today), epidemic_start())


def year_bounds() -> tuple[int, int]:
    """Plausible years of birth: those of the date-of-birth window."""
    earliest, latest = bounds("person.date_of_birth")
    return earliest.year, (latest or clock.today()).year


class WindowedDateField(forms.DateField):
    """A date input that refuses dates outside its window with the window's message; the browser's
    date picker gets the same bounds (``min``/``max``, refreshed for every form)."""

    def __init__(self, *args, window: str, **kwargs):
        self.window = window
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        message = problem(self.window, value)
        if message is not None:
            raise forms.ValidationError(message, code="date_window")

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        earliest, latest = bounds(self.window)
        copy.widget.attrs["min"] = earliest.isoformat()
        if latest is not None:
            copy.widget.attrs["max"] = latest.isoformat()
        return copy


class RuleNotInForce(ValidationError, NoRuleInForce):
    """No version of a rule covers the date: a validation error in the user's language (shown on the
    form, a 422 in the API, a rejected import row).  Code that handles ``NoRuleInForce`` still does."""

    def __init__(self, error: NoRuleInForce):
        on = getattr(error, "on", None)
        super().__init__(
            _("No rule applies on %(date)s: the date is probably mistyped. Check the year.")
            % {"date": _fmt(on) if on else "?"},
            code="no_rule_in_force",
        )
