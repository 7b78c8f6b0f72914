"""The PC-Covid colour on a day: green at 14 days after the primary series (13 is not), recovered
within 180 days (181 is not); yellow at 14 days after a first dose or with a negative PCR within 72
hours of the moment (the end of ``as_of`` unless ``at`` is given); red otherwise; a province override."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.vaccination.rules import COLOUR_KEY, DoseIn, InputError, PersonIn, assess, default_config

D = date.fromisoformat


def person(*doses, recovered=None, pcr=None):
    return PersonIn("p", None, tuple(DoseIn(c, D(d)) for c, d in doses), recovered, pcr)


PF = (("PF", "2021-09-10"), ("PF", "2021-10-01"))


@pytest.mark.parametrize(
    ("as_of", "colour", "reason"),
    [
        ("2021-09-23", "red", "none"),  # first dose 13 days before
        ("2021-09-24", "yellow", "one_dose"),  # 14 days
        ("2021-10-14", "yellow", "one_dose"),  # complete 13 days before
        ("2021-10-15", "green", "full_primary"),  # 14 days
    ],
)
def test_colour_by_doses(as_of, colour, reason):
    status = assess(person(*PF), D(as_of))
    assert (status.colour, status.colour_reason) == (colour, reason)


@pytest.mark.parametrize(("days", "colour"), [(0, "green"), (180, "green"), (181, "red"), (-1, "red")])
def test_recovered_within_180_days(days, colour):
    recovered = D("2021-06-01")
    assert assess(person(recovered=recovered), recovered + timedelta(days=days)).colour == colour


def test_janssen_single_dose_is_green_after_14_days():
    assert assess(person(("JJ", "2021-10-01")), D("2021-10-14")).colour == "red"
    assert assess(person(("JJ", "2021-10-01")), D("2021-10-15")).colour == "green"


def test_an_uncounted_dose_does_not_colour():
    assert assess(person(("XX", "2021-09-01")), D("2021-10-01")).colour == "red"
    status = assess(person(("PF", "2021-09-01"), ("PF", "2021-09-05")), D("2021-10-01"))  # second too short
    assert (status.colour, status.colour_reason) == ("yellow", "one_dose")


@pytest.mark.parametrize(
    ("pcr", "colour"),
    [
        (datetime(2021, 10, 8, 0, 0), "yellow"),  # exactly 72 h before the end of 10/10
        (datetime(2021, 10, 7, 23, 59), "red"),
        (datetime(2021, 10, 10, 23, 0), "yellow"),
        (datetime(2021, 10, 11, 0, 0), "red"),  # after the day
        (date(2021, 10, 8), "yellow"),  # a date alone: 00:00 that day
        (datetime(2021, 10, 7, 17, 0, tzinfo=UTC), "yellow"),  # = 8/10 00:00 in Vietnam
    ],
)
def test_negative_pcr_within_72_hours_of_the_end_of_as_of(pcr, colour):
    assert assess(person(pcr=pcr), D("2021-10-10")).colour == colour


@pytest.mark.parametrize(
    ("pcr", "colour"),
    [
        (datetime(2021, 10, 7, 9, 0), "yellow"),
        (datetime(2021, 10, 7, 8, 59), "red"),
        (datetime(2021, 10, 10, 9, 1), "red"),  # after the moment
    ],
)
def test_negative_pcr_at_a_given_moment(pcr, colour):
    at = datetime(2021, 10, 10, 9, 0)
    assert assess(person(pcr=pcr), D("2021-10-10"), at=at).colour == colour
    aware = datetime(2021, 10, 10, 2, 0, tzinfo=UTC)  # 9:00 in Vietnam
    assert assess(person(pcr=pcr), D("2021-10-10"), at=aware).colour == colour


def test_at_must_be_on_as_of():
    with pytest.raises(InputError, match="at"):
        assess(person(), D("2021-10-10"), at=datetime(2021, 10, 11, 1, 0))


def test_green_wins_over_yellow_and_a_future_dose_does_not_count():
    status = assess(person(("PF", "2021-10-01"), recovered=D("2021-09-01")), D("2021-10-20"))
    assert (status.colour, status.colour_reason) == ("green", "recovered")
    assert assess(person(("JJ", "2021-11-01")), D("2021-10-20")).colour == "red"


def test_colour_rule_is_versioned_per_province():
    override = RuleVersion(
        COLOUR_KEY,
        "Tỉnh 70: PCR 48 giờ",
        date(2021, 10, 1),
        None,
        {"yellow": {"negative_pcr_max_hours": 48}},
        province="70",
        source="[D]",
    )
    cfg = default_config().with_versions([override])
    someone = person(pcr=datetime(2021, 10, 8, 12, 0))
    assert assess(someone, D("2021-10-10"), cfg).colour == "yellow"
    assert assess(someone, D("2021-10-10"), cfg, province="70").colour == "red"


def test_colour_before_any_vaccine():
    assert assess(person(recovered=D("2020-03-01")), D("2020-04-01")).colour == "green"
