"""The watch's daily rules: level rises, Rt above 1 with confidence, runouts.  Each fires once (a re-run
publishes nothing new), reaches the unit's people and those above it only (a sibling commune gets
nothing), a muted kind is not received, a fall or an unsure estimate sends nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chongdich.forecast.models import ForecastSetting, RunoutKind
from chongdich.forecast.watch import fire, fire_report, kinds, on_day_assessed
from chongdich.notices.models import Mute, Notice
from chongdich.risk.models import RiskAssessment
from chongdich.risk.signals import day_assessed
from tests.forecast.watch_world import (
    TODAY,
    assessment,
    estimate,
    received,
    receivers,
    runout,
    watch_people_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db
YESTERDAY = TODAY - timedelta(days=1)
LEVEL, RT = kinds.LEVEL_RISE.code, kinds.RT_ABOVE_ONE.code


# -- level rises ----------------------------------------------------------------------------------------
def test_a_level_rise_is_sent_once_to_the_commune_and_above(world, watch_people):
    assessment(world.commune, YESTERDAY, 2)
    assessment(world.commune, TODAY, 2, pending=3)
    assert fire(TODAY) == 1
    notice = Notice.objects.get(kind=LEVEL)
    assert notice.unit_id == world.commune.pk and notice.severity == "warning"
    assert notice.params["old"] == {"msgid": "yellow"} and notice.params["new"] == {"msgid": "orange"}
    assert notice.link == f"/risk/{world.commune.code}/"
    assert notice.day == TODAY
    # committees of the commune and above, health staff of the commune; not the sibling commune's
    # committee or health worker, not the viewer, not the lab (roles of the kind)
    assert receivers(LEVEL) == {"commune", "health", "district", "province"}
    assert fire(TODAY) == 0  # a re-run publishes nothing new
    assessment(
        world.commune,
        TODAY + timedelta(days=1),
        2,
        pending=3,
        pending_from=RiskAssessment.objects.get(day=TODAY).pending_from,
    )
    assert fire(TODAY + timedelta(days=1)) == 0  # the same announcement carried on the next day
    assert Notice.objects.filter(kind=LEVEL).count() == 1


def test_the_text_reads_in_vietnamese(world, watch_people):
    assessment(world.commune, YESTERDAY, 2)
    assessment(world.commune, TODAY, 2, pending=4)
    fire(TODAY)
    notice = Notice.objects.get(kind=LEVEL)
    assert notice.severity == "danger"  # to red
    from django.utils import translation

    with translation.override("vi"):
        assert "Xã Đức Hạnh" in notice.text and "vàng" in notice.text and "đỏ" in notice.text
    with translation.override("en"):
        assert "from yellow to red" in notice.text


@pytest.mark.parametrize(
    "before, after, framework_before, framework_after, sent",
    [
        (3, 2, "4800", "4800", False),  # a fall
        (2, 2, "4800", "4800", False),  # the same level
        (1, 2, "2686", "4800", False),  # 2686 yellow (1) → 4800 yellow (2): same colour
        (1, 3, "2686", "4800", True),  # 2686 yellow → 4800 orange
    ],
)
def test_only_a_more_severe_level_is_a_rise(
    world, watch_people, before, after, framework_before, framework_after, sent
):
    assessment(world.commune, YESTERDAY, before, framework=framework_before)
    assessment(world.commune, TODAY, before, framework=framework_before, pending=after)
    RiskAssessment.objects.filter(day=TODAY).update(pending_framework=framework_after)
    assert fire(TODAY) == int(sent)


def test_a_first_level_and_a_level_put_in_force_at_once(world, watch_people):
    assessment(world.commune, TODAY, 3)  # no earlier assessment: nothing to rise from
    assert fire(TODAY) == 0
    assessment(world.other_commune, YESTERDAY, 1)
    assessment(world.other_commune, TODAY, 3)  # no notice period: in force at once
    assert fire(TODAY) == 1
    assert receivers(LEVEL) == {"other_commune", "other_health", "district", "province"}


def test_a_district_rise_reaches_the_district_and_province_not_the_communes(world, watch_people):
    assessment(world.district, YESTERDAY, 1)
    assessment(world.district, TODAY, 1, pending=2)
    assert fire(TODAY) == 1
    assert receivers(LEVEL) == {"district", "province"}


def test_a_cancelled_rise_announced_again_is_a_new_notice(world, watch_people):
    assessment(world.commune, YESTERDAY, 2)
    assessment(world.commune, TODAY, 2, pending=3)
    assert fire(TODAY) == 1
    later = TODAY + timedelta(days=1)
    assessment(world.commune, later, 2)  # cancelled before it took effect: a fall, nothing sent
    assert fire(later) == 0
    again = later + timedelta(days=1)
    assessment(world.commune, again, 2, pending=3)
    assert fire(again) == 1


def test_a_muted_kind_is_not_received(world, watch_people):
    Mute.objects.create(user=watch_people["health"], kind=LEVEL)
    assessment(world.commune, YESTERDAY, 2)
    assessment(world.commune, TODAY, 2, pending=3)
    fire(TODAY)
    assert received(watch_people["health"], LEVEL) == 0
    assert received(watch_people["commune"], LEVEL) == 1


def test_the_risk_assessment_signal_sends_the_rises(world, watch_people):
    assessment(world.commune, YESTERDAY, 2)
    assessment(world.commune, TODAY, 2, pending=3)
    assert day_assessed.has_listeners(RiskAssessment)
    day_assessed.send(sender=RiskAssessment, day=TODAY)
    assert Notice.objects.filter(kind=LEVEL).count() == 1
    on_day_assessed(RiskAssessment, day=TODAY)  # again: nothing new
    assert Notice.objects.filter(kind=LEVEL).count() == 1


# -- Rt above 1 -----------------------------------------------------------------------------------------
def test_rt_above_one_with_confidence_is_sent_for_communes_and_districts(world, watch_people):
    estimate(world.commune, TODAY, 1.45, 0.01)
    estimate(world.other_commune, TODAY, 1.30, 0.20)  # not confident enough
    estimate(world.border_commune, TODAY, 1.80, 0.0, reliable=False)  # too few cases: no number
    estimate(world.district, TODAY, 1.20, 0.04)
    estimate(world.province, TODAY, 1.20, 0.01)  # provinces are not sent (their districts are)
    assert fire(TODAY) == 2
    commune = Notice.objects.get(kind=RT, unit=world.commune)
    assert commune.params["rt"] == "1.45" and commune.params["probability"] == 99
    assert commune.key == f"rt:{world.commune.code}:{TODAY.isoformat()}"
    assert Notice.objects.filter(kind=RT, unit=world.district).exists()
    assert received(watch_people["other_commune"], RT) == 0 and received(watch_people["other_health"], RT) == 0
    assert received(watch_people["commune"], RT) == 1 and received(watch_people["district"], RT) == 2
    assert fire(TODAY) == 0


def test_rt_is_sent_at_most_once_a_week_while_it_lasts(world, watch_people):
    sent = []
    for offset in range(15):
        day = TODAY + timedelta(days=offset)
        estimate(world.commune, day, 1.5, 0.01)
        sent.append(fire_report(day, often=False)["rt"])
    assert sent == [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]


def test_rt_flickering_is_not_sent_each_time_it_comes_back(world, watch_people):
    pattern = [0.01, 0.3, 0.01, 0.3, 0.01, 0.01, 0.3, 0.01]
    sent = []
    for offset, p in enumerate(pattern):
        day = TODAY + timedelta(days=offset)
        estimate(world.commune, day, 1.2, p)
        sent.append(fire_report(day, often=False)["rt"])
    assert sent == [1, 0, 0, 0, 0, 0, 0, 1]


def test_rt_probability_of_the_province(world, watch_people):
    estimate(world.commune, TODAY, 1.2, 0.15)
    assert fire(TODAY) == 0
    setting = ForecastSetting(overrides={"alert_probability": 0.8})
    setting.place_in(world.province)
    setting.save()
    assert fire(TODAY) == 1


def test_refused_province_settings_fall_back_to_the_defaults(world, watch_people):
    setting = ForecastSetting(overrides={"alert_probability": "high"})
    setting.place_in(world.province)
    setting.save()
    estimate(world.commune, TODAY, 1.2, 0.01)
    report = fire_report(TODAY, often=False)
    assert report["rt"] == 1 and "errors" not in report


# -- runouts --------------------------------------------------------------------------------------------
def test_beds_projected_full_within_the_alert_days(world, watch_people):
    runout(world.commune, TODAY, RunoutKind.BEDS, "facility:1:treatment", 3, link="/care/facilities/1/")
    runout(world.commune, TODAY, RunoutKind.BEDS, "facility:1:icu", 10)  # beyond 7 days
    runout(world.commune, TODAY, RunoutKind.BEDS, "facility:1:oxygen", None)  # not within the horizon
    assert fire(TODAY) == 1
    notice = Notice.objects.get(kind=kinds.RUNOUT_BEDS.code)
    assert notice.severity == "warning" and notice.link == "/care/facilities/1/"
    assert notice.params["on"] == (TODAY + timedelta(days=3)).strftime("%d/%m/%Y")
    assert receivers(kinds.RUNOUT_BEDS.code) == {"facility", "health", "district", "province"}
    assert fire(TODAY) == 0


def test_already_full_is_more_urgent_and_sent_even_after_projected(world, watch_people):
    runout(world.commune, TODAY, RunoutKind.BEDS, "facility:1:treatment", 2)
    assert fire(TODAY) == 1
    tomorrow = TODAY + timedelta(days=1)
    runout(world.commune, tomorrow, RunoutKind.BEDS, "facility:1:treatment", 1)
    assert fire(tomorrow) == 0  # still projected: reminded next week
    later = TODAY + timedelta(days=2)
    runout(world.commune, later, RunoutKind.BEDS, "facility:1:treatment", 0, current=20)
    assert fire(later) == 1
    full = Notice.objects.filter(kind=kinds.RUNOUT_BEDS.code).order_by("-pk").first()
    assert full.severity == "danger" and full.key.endswith(f":full:{later.isoformat()}")


@pytest.mark.parametrize(
    "kind, code, expected",
    [
        (
            RunoutKind.QUARANTINE,
            kinds.RUNOUT_QUARANTINE.code,
            {"commune", "health", "facility", "district", "province"},
        ),
        (RunoutKind.LAB, kinds.RUNOUT_LAB.code, {"lab", "health", "district", "province"}),
        (RunoutKind.VACCINE, kinds.RUNOUT_VACCINE.code, {"health", "district", "province"}),
        (RunoutKind.SCENARIO_100, kinds.RUNOUT_SCENARIO.code, {"health", "district", "province"}),
    ],
)
def test_each_threshold_reaches_who_acts_on_it(world, watch_people, kind, code, expected):
    runout(world.commune, TODAY, kind, f"{kind}:1", 4)
    runout(world.far_commune, TODAY, kind, f"{kind}:2", 4)  # another province: nobody here
    assert fire(TODAY) == 2
    assert receivers(code) == expected


def test_alert_days_of_the_province(world, watch_people):
    runout(world.commune, TODAY, RunoutKind.BEDS, "facility:1:icu", 10)
    assert fire(TODAY) == 0
    setting = ForecastSetting(overrides={"alert_days": 14})
    setting.place_in(world.province)
    setting.save()
    assert fire(TODAY) == 1


def test_scenario_thresholds_are_separate_notices(world, watch_people):
    runout(world.district, TODAY, RunoutKind.SCENARIO_100, "unit:70/691", 0, capacity=100, current=130)
    runout(world.district, TODAY, RunoutKind.SCENARIO_500, "unit:70/691", 5, capacity=500, current=130)
    assert fire(TODAY) == 2
    assert set(Notice.objects.values_list("severity", flat=True)) == {"danger", "warning"}


def test_a_rule_that_fails_does_not_stop_the_others(world, watch_people, monkeypatch):
    from chongdich.forecast import watch

    def broken(day):
        raise RuntimeError("boom")

    monkeypatch.setitem(watch.DAILY, "levels", broken)
    estimate(world.commune, TODAY, 1.5, 0.01)
    report = fire_report(TODAY)
    assert report["rt"] == 1 and report["errors"] == {"levels": "RuntimeError: boom"}
    assert fire(TODAY) == 0
