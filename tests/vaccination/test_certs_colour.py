"""The colour of a person on a day (selectors.certs.colour_of / colours_of), table-driven at the edges:
full series + 14 days, recovered 180/181 days, negative RT-PCR within 72 hours (single and pooled),
one dose + 14 days, under treatment; and the bulk version asks one query per source."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import pytest

from chongdich.surveillance.models import Case, Outcome
from chongdich.testing.models import PoolMember, Sample, SampleKind, SampleStatus
from chongdich.vaccination.selectors.certs import colour_of, colours_of
from tests.vaccination.certs_helpers import give

D = date(2021, 11, 15)
_codes = count(1)


def recovered(person, on: date, confirmed: date | None = None):
    case = Case(
        person=person,
        case_number=f"BN{next(_codes)}",
        confirmed_on=confirmed or on - timedelta(days=14),
        outcome=Outcome.RECOVERED,
        outcome_on=on,
    )
    case.place_in(person.unit)
    case.save()
    return case


def active_case(person, confirmed: date, closed: date | None = None):
    case = Case(
        person=person,
        case_number=f"BN{next(_codes)}",
        confirmed_on=confirmed,
        outcome=Outcome.RECOVERED if closed else Outcome.ACTIVE,
        outcome_on=closed,
    )
    case.place_in(person.unit)
    case.save()
    return case


def sample(person, result_on: date, status=SampleStatus.NEGATIVE, kind=SampleKind.RT_PCR):
    tube = Sample(
        code=f"S{next(_codes):06d}",
        kind=kind,
        person=person,
        taken_on=result_on - timedelta(days=1),
        status=status,
        result_on=result_on,
    )
    tube.place_in(person.unit)
    tube.save()
    return tube


def pooled(people, result_on: date, status=SampleStatus.NEGATIVE):
    pool = Sample(
        code=f"P{next(_codes):06d}",
        kind=SampleKind.POOLED_RT_PCR,
        taken_on=result_on,
        status=status,
        result_on=result_on,
    )
    pool.place_in(people[0].unit)
    pool.save()
    for person in people:
        PoolMember.objects.create(pool=pool, person=person)
    return pool


CASES = [
    # (what the person has, days between it and the day asked, colour, reason)
    ("nothing", None, "red", "none"),
    ("full", 14, "green", "full_primary"),
    ("full", 13, "yellow", "one_dose"),  # second dose 13 days ago; the first one counts
    ("one", 14, "yellow", "one_dose"),
    ("one", 13, "red", "none"),
    ("recovered", 180, "green", "recovered"),
    ("recovered", 181, "red", "none"),
    ("pcr", 0, "yellow", "negative_pcr"),
    ("pcr", 2, "yellow", "negative_pcr"),
    ("pcr", 3, "red", "none"),  # counted from 00:00 of the result day: 72 hours are over
    ("pool", 1, "yellow", "negative_pcr"),
    ("positive", 1, "red", "none"),
    ("antigen", 1, "red", "none"),  # a rapid test is not an RT-PCR
]


@pytest.mark.parametrize("has, days, colour, reason", CASES)
def test_colour_table(has, days, colour, reason, world, make_person):
    person = make_person(cccd=None)
    on = D
    if has == "full":
        give(person, "PF", on - timedelta(days=days + 21))
        give(person, "PF", on - timedelta(days=days))
    elif has == "one":
        give(person, "AZ", on - timedelta(days=days))
    elif has == "recovered":
        recovered(person, on - timedelta(days=days))
    elif has == "pcr":
        sample(person, on - timedelta(days=days))
    elif has == "pool":
        pooled([person, make_person(cccd=None, full_name="Trong Cùng Mẫu Gộp")], on - timedelta(days=days))
    elif has == "positive":
        sample(person, on - timedelta(days=days), status=SampleStatus.POSITIVE)
    elif has == "antigen":
        sample(person, on - timedelta(days=days), kind=SampleKind.RAPID_ANTIGEN)
    found = colour_of(person, on)
    assert (found.colour, found.reason) == (colour, reason)


def test_an_f0_under_treatment_is_red_whatever_the_doses(world, make_person):
    person = make_person(cccd=None)
    give(person, "PF", D - timedelta(days=80))
    give(person, "PF", D - timedelta(days=50))
    assert colour_of(person, D).colour == "green"
    case = active_case(person, D - timedelta(days=3))
    found = colour_of(person, D)
    assert (found.colour, found.reason, found.under_treatment) == ("red", "under_treatment", True)
    case.outcome, case.outcome_on = Outcome.RECOVERED, D + timedelta(days=5)
    case.save()
    assert colour_of(person, D).colour == "red"  # closed later: still under treatment on the day
    assert colour_of(person, D + timedelta(days=5)).reason in ("recovered", "full_primary")


def test_doses_after_the_day_and_voided_doses_do_not_count(world, make_person):
    from django.utils import timezone

    person = make_person(cccd=None)
    first = give(person, "PF", D - timedelta(days=40))
    give(person, "PF", D + timedelta(days=1))
    assert colour_of(person, D).reason == "one_dose"
    first.voided_at = timezone.now()
    first.save()
    assert colour_of(person, D).colour == "red"


def test_results_after_the_day_do_not_count(world, make_person):
    person = make_person(cccd=None)
    sample(person, D + timedelta(days=1))
    recovered(person, D + timedelta(days=1), confirmed=D + timedelta(days=1))
    assert colour_of(person, D).colour == "red"


def test_many_people_one_query_per_source(world, make_person, django_assert_max_num_queries):
    people = []
    for i in range(30):
        person = make_person(cccd=None, full_name=f"Người {i}")
        if i % 3 == 0:
            give(person, "PF", D - timedelta(days=60))
            give(person, "PF", D - timedelta(days=30))
        elif i % 3 == 1:
            sample(person, D - timedelta(days=1))
        people.append(person)
    pooled(people[20:25], D - timedelta(days=1))
    recovered(people[29], D - timedelta(days=10))
    with django_assert_max_num_queries(5):  # doses, cases, samples, pools, provinces' overrides
        found = colours_of(people, D)
    assert len(found) == 30
    assert [found[p.pk].colour for p in people[:3]] == ["green", "yellow", "red"]
    assert found[people[23].pk].colour == "yellow" and found[people[29].pk].reason == "recovered"
    assert colours_of([], D) == {}
