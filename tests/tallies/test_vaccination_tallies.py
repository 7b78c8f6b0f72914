"""Vaccination tallies kept with the writes agree with the set-based rebuild and with the records'
contributions.

Hypothesis drives random sequences of dose and enrolment writes, each through ``tallies.engine.tracked``
as the vaccination actions do (record a dose, void it, correct its date or product, enrol a person in
a priority group, take them out), then checks that the stored tallies equal the grouped rebuild
(``differences``), equal the sum of every record's ``tally_contributions`` and survive a rebuild.
"""

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chongdich.core import clock
from chongdich.tallies import coverage, engine
from chongdich.tallies.engine import CumulativeKey, GroupCumulativeKey, VaccinationKey, contributions_of, tracked
from chongdich.tallies.models import VaccinationCumulative, VaccinationTally
from chongdich.tallies.rebuild import cumulative_of, differences, expected_tallies, rebuild, stored_tallies
from chongdich.vaccination.models import Dose, Enrolment

DAY0 = date(2021, 8, 1)
PEOPLE = 5
PRODUCTS = ["AZ", "PF", "MO", "VC"]
GROUPS = [("G01", False), ("G07", True), ("G09", True)]
BANDS = ["18_49", "50_64", "65_plus"]


def give(person, day, product="AZ", *, kind="primary", number=1, completes=False, band="18_49", group="", risk=False):
    """Record a dose as an action would: created inside ``tracked``."""
    with tracked() as t:
        dose = Dose(
            person=person,
            product=product,
            given_on=day,
            kind=kind,
            number=number,
            completes_primary=completes,
            age_band=band,
            priority_group=group,
            high_risk=risk,
        )
        dose.place_in(person.unit)
        dose.save()
        t.add(dose)
    return dose


def enrol(person, group, risk, since):
    with tracked() as t:
        enrolment = Enrolment(person=person, group=group, high_risk=risk, since=since)
        enrolment.place_in(person.unit)
        enrolment.save()
        t.add(enrolment)
    return enrolment


person = st.integers(0, PEOPLE - 1)
operation = st.one_of(
    st.tuples(
        st.just("dose"), person, st.integers(0, 60), st.sampled_from(PRODUCTS), st.sampled_from(BANDS), st.booleans()
    ),
    st.tuples(st.just("booster"), person, st.integers(0, 60)),
    st.tuples(st.just("void"), person),
    st.tuples(st.just("redate"), person, st.integers(-5, 5)),
    st.tuples(st.just("product"), person, st.sampled_from(PRODUCTS)),
    st.tuples(st.just("enrol"), person, st.integers(0, 2), st.integers(0, 60)),
    st.tuples(st.just("unenrol"), person),
    st.tuples(st.just("move"), person),
)


def run(world, people, op):
    kind, who = op[0], people[op[1]]
    valid = Dose.objects.valid().filter(person=who)
    latest = valid.order_by("-kind", "-number").first()
    if kind == "dose":
        number = valid.filter(kind="primary").count() + 1
        if number <= 3:
            group, risk = ("G07", True) if op[5] else ("", False)
            give(
                who,
                DAY0 + timedelta(days=op[2]),
                op[3],
                number=number,
                completes=number == 2,
                band=op[4],
                group=group,
                risk=risk,
            )
    elif kind == "booster":
        number = valid.filter(kind="booster").count() + 1
        give(who, DAY0 + timedelta(days=op[2]), "PF", kind="booster", number=number)
    elif kind == "void" and latest is not None:
        with tracked(latest):
            latest.voided_at, latest.void_reason = clock.now(), "Nhập nhầm"
            latest.save()
    elif kind == "redate" and latest is not None:
        with tracked(latest):
            latest.given_on += timedelta(days=op[2])
            latest.save()
    elif kind == "product" and latest is not None:
        with tracked(latest):
            latest.product = op[2]
            latest.save()
    elif kind == "enrol":
        group, risk = GROUPS[op[2]]
        if not Enrolment.objects.filter(person=who, group=group).exists():
            enrol(who, group, risk, DAY0 + timedelta(days=op[3]))
    elif kind == "unenrol":
        enrolment = Enrolment.objects.filter(person=who).order_by("pk").first()
        if enrolment is not None:
            with tracked(enrolment):
                enrolment.delete()
    elif kind == "move" and latest is not None:  # a correction of where the person lived: the dose moves
        target = world.other_village if latest.unit_id == world.village.pk else world.village
        with tracked(latest):
            latest.place_in(target)
            latest.save()


def vaccination_part(counter: Counter) -> Counter:
    return Counter(
        {
            key: value
            for key, value in counter.items()
            if isinstance(key, VaccinationKey | CumulativeKey | GroupCumulativeKey) and value
        }
    )


def summed_from_tallies(day, intervals) -> dict:
    """The coverage measures up to ``day`` per tally unit, summed over every tally row (the read the
    running totals replace)."""
    due = Q(day__lte=day) & ~Q(product__in=list(intervals))
    for product, days in intervals.items():
        due |= Q(product=product, day__lte=day - timedelta(days=days))
    measures = {
        **coverage.MEASURES,
        "dose1_due": coverage.DOSE1 & Q(completes_primary=False) & due,
        "doses": Q(doses__gt=0) | Q(doses__lte=0),
    }
    rows = (
        VaccinationTally.objects.filter(day__lte=day)
        .values("unit_id")
        .annotate(**{name: coverage._sum(q) for name, q in measures.items()})
        .order_by()
    )
    return {row.pop("unit_id"): {k: v or 0 for k, v in row.items()} for row in rows if row["doses"]}


def assert_agree():
    assert differences() == {}
    stored = vaccination_part(stored_tallies())
    records = contributions_of([*Dose.objects.all(), *Enrolment.objects.all()])
    assert stored == vaccination_part(records + cumulative_of(records))
    assert vaccination_part(expected_tallies()) == stored
    # The running totals read as the coverage indicators read them equal the sums of the tally rows.
    for offset in (-1, 0, 20, 40, 70):
        day = DAY0 + timedelta(days=offset)
        params = coverage.coverage_parameters(day, "70")
        read = coverage.unit_totals("/", day, params, coverage.known_provinces(day))
        found = {
            unit: {name: measures[name] for name in (*coverage.MEASURES, "dose1_due", "doses")}
            for unit, (_path, measures) in read.items()
            if measures["doses"]
        }
        assert found == summed_from_tallies(day, params.intervals)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=30))
def test_random_dose_and_enrolment_writes_keep_tallies_equal_to_a_rebuild(world, make_person, operations):
    with transaction.atomic():
        people = [
            make_person(full_name=f"Người {i}", cccd=None, unit=world.village if i % 2 else world.other_village)
            for i in range(PEOPLE)
        ]
        for op in operations:
            run(world, people, op)
        assert_agree()
        before = vaccination_part(stored_tallies())
        rebuild()
        assert vaccination_part(stored_tallies()) == before
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_dose_counts_in_its_commune_on_its_day_and_a_voided_one_counts_nothing(world, make_person):
    person = make_person(unit=world.village)
    dose = give(person, DAY0, "AZ", band="50_64", group="G07", risk=True)
    running = VaccinationCumulative.objects.get()
    assert (running.product, running.day, running.doses, running.dose1, running.dose1_18plus, running.full) == (
        "AZ",
        DAY0,
        1,
        1,
        1,
        0,
    )
    row = VaccinationTally.objects.get()
    assert (row.unit_id, row.unit_path, row.province_code, row.day) == (
        world.commune.pk,
        world.commune.path,
        "70",
        DAY0,
    )
    assert (row.product, row.kind, row.number, row.age_band, row.priority_group, row.high_risk, row.doses) == (
        "AZ",
        "primary",
        1,
        "50_64",
        "G07",
        True,
        1,
    )
    with tracked(dose):
        dose.voided_at = datetime(2021, 8, 2, 8, 0, tzinfo=clock.now().tzinfo)
        dose.save()
    assert VaccinationTally.objects.get().doses == 0
    assert VaccinationCumulative.objects.get().doses == 0  # reads the same as no row; --check agrees
    assert_agree()
    rebuild()
    assert not VaccinationTally.objects.exists()  # a rebuild stores no empty row
    assert not VaccinationCumulative.objects.exists()


@pytest.mark.django_db
def test_enrolment_is_a_stock_of_the_group(world, make_person):
    people = [make_person(unit=world.village, cccd=None, full_name=f"Người {i}") for i in range(3)]
    for i, who in enumerate(people):
        enrol(who, "G07", True, DAY0 + timedelta(days=i))
    rows = VaccinationTally.objects.filter(priority_group="G07", product="")
    assert sum(rows.values_list("enrolled", flat=True)) == 3
    assert_agree()


@pytest.mark.django_db
def test_rebuild_command_check_reports_agreement(world, make_person, capsys):
    give(make_person(unit=world.village), DAY0)
    call_command("rebuild_tallies", "--check")
    assert "tallies agree" in capsys.readouterr().out
    VaccinationTally.objects.update(doses=5)
    call_command("rebuild_tallies", "--check")
    out = capsys.readouterr().out
    assert "vaccination" in out and "1 differences" in out
    call_command("rebuild_tallies")
    VaccinationCumulative.objects.update(full=3)
    call_command("rebuild_tallies", "--check")
    out = capsys.readouterr().out
    assert "running total [AZ] full: stored 3, expected 0" in out and "1 differences" in out
    call_command("rebuild_tallies")
    call_command("rebuild_tallies", "--check")
    assert "tallies agree" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_bulk_write_of_many_keys_adds_like_row_by_row_writes(world, make_person, monkeypatch):
    """The platform import writes thousands of keys at once: PostgreSQL takes them by COPY (from
    ``engine.BULK_ROWS`` keys), SQLite by VALUES; both add to existing rows and equal the rebuild."""
    monkeypatch.setattr(engine, "BULK_ROWS", 10)
    person = make_person(unit=world.village)
    give(person, DAY0, "AZ", band="50_64")  # an existing row the bulk write adds to
    doses = []
    for i in range(30):
        dose = Dose(
            person=person,
            product=PRODUCTS[i % len(PRODUCTS)],
            given_on=DAY0 + timedelta(days=i % 15),
            kind="primary",
            number=2 + i,  # unique per person and kind
            age_band=BANDS[i % len(BANDS)],
        )
        dose.place_in(person.unit)
        doses.append(dose)
    Dose.objects.bulk_create(doses)
    engine.apply(contributions_of(doses))
    assert sum(VaccinationTally.objects.values_list("doses", flat=True)) == 31
    assert_agree()
