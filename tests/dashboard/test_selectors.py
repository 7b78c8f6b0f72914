"""Dashboard figures from tallies, levels and tasks."""

from datetime import timedelta

import pytest

from chongdich.dashboard import selectors
from chongdich.dashboard.selectors import NATION, Gauge, moving_average, place_of
from tests.dashboard.world import TODAY, tally

pytestmark = pytest.mark.django_db


def test_district_figures(outbreak):
    data = selectors.dashboard(place_of(outbreak.district), TODAY)
    kpi = data.kpi
    assert (kpi["new_today"], kpi["new_today_community"], kpi["new_today_isolated"]) == (6, 6, 0)
    assert (kpi["new_7d"], kpi["new_7d_community"], kpi["new_7d_isolated"]) == (22, 19, 3)
    assert kpi["active"] == 68  # 3 in hospital since long before the window + home + field hospital + Phú Văn's 3
    assert dict((f, n) for f, _label, _place, n in data.active_by_place) == {
        "active_hospital": 3,
        "active_field_hospital": 2,
        "active_treatment_area": 0,
        "active_concentrated": 1,
        "active_home": 62,
    }
    assert (kpi["f1"], kpi["f1_home"], kpi["f1_facility"]) == (11, 7, 4)
    assert (kpi["tests_today"], kpi["positive_today"], kpi["positivity_today"]) == (10, 4, 40.0)
    assert kpi["deaths_7d"] == 1
    assert kpi["vaccination"] is None  # no data yet, never 0
    assert len(data.days) == len(data.series) == 60 and data.days[-1] == TODAY
    assert data.series[-1]["cases_new_community"] == 6


def test_other_provinces_never_count(outbreak):
    district = selectors.dashboard(place_of(outbreak.district), TODAY).kpi
    province = selectors.dashboard(place_of(outbreak.province), TODAY).kpi
    nation = selectors.dashboard(NATION, TODAY).kpi
    assert province["new_today"] == district["new_today"] == 6
    assert nation["new_today"] == 506 and nation["active"] == 568


def test_commune_has_no_children_and_its_own_figures(outbreak):
    data = selectors.dashboard(place_of(outbreak.commune), TODAY, window=30)
    assert data.children == []
    assert data.kpi["new_today"] == 4 and data.kpi["active"] == 65
    assert len(data.days) == 30


def test_children_small_multiples(outbreak):
    data = selectors.dashboard(place_of(outbreak.district), TODAY)
    by_code = {child.code: child for child in data.children}
    assert [child.code for child in data.children] == ["25228", "25229", "25222"]  # most new cases first
    assert by_code["25228"].new_7d == 17 + 2 and by_code["25228"].active == 65
    assert by_code["25229"].new_today == 2 and by_code["25229"].active == 3
    assert len(by_code["25228"].new_by_day) == 60
    assert by_code["25228"].level.level == 2 and by_code["25222"].level.colour == "green"
    province = selectors.dashboard(place_of(outbreak.province), TODAY)
    assert [(c.code, c.new_today) for c in province.children] == [("691", 6)]
    nation = selectors.dashboard(NATION, TODAY)
    assert {c.code: c.new_today for c in nation.children} == {"70": 6, "79": 500}


def test_gauges_and_days_until_full(outbreak):
    gauges = {g.bed_type: g for g in selectors.dashboard(place_of(outbreak.district), TODAY).gauges}
    treatment, quarantine, icu = gauges["treatment"], gauges["quarantine"], gauges["icu"]
    assert (treatment.capacity, treatment.occupied, treatment.free) == (100, 20, 80)
    assert treatment.net_per_day == 2 and treatment.state == "filling" and treatment.days_until_full == 40
    assert (quarantine.free, quarantine.state, quarantine.days_until_full) == (30, "not_filling", None)
    assert icu.state == "none" and icu.percent is None


@pytest.mark.parametrize(
    "capacity, occupied, net, state, days",
    [
        (10, 10, 1, "full", None),
        (10, 12, 0, "full", None),
        (10, 9, 2, "filling", 0),
        (10, 5, -1, "not_filling", None),
        (0, 0, 0, "none", None),
        (100, 40, 0.5, "filling", 120),
    ],
)
def test_gauge_states(capacity, occupied, net, state, days):
    gauge = Gauge("treatment", "Beds", capacity, occupied, net)
    assert (gauge.state, gauge.days_until_full) == (state, days)


def test_level_rose_today(outbreak):
    data = selectors.dashboard(place_of(outbreak.district), TODAY)
    assert [(r.code, r.before_level, r.level, r.colour) for r in data.rose_today] == [("25228", 1, 2, "orange")]
    assert data.level.level == 1 and data.level.colour == "yellow"
    yesterday = selectors.dashboard(place_of(outbreak.district), TODAY - timedelta(days=1))
    assert yesterday.rose_today == []
    other = selectors.dashboard(place_of(outbreak.far_province), TODAY)
    assert other.rose_today == []


def test_announced_change_counts_when_it_takes_effect(outbreak):
    from chongdich.risk.models import RiskAssessment
    from tests.dashboard.world import at

    RiskAssessment.objects.filter(code="25229", day=TODAY).update(
        pending_framework="2686", pending_level=3, pending_from=at(TODAY, 5)
    )
    rose = selectors.dashboard(place_of(outbreak.district), TODAY).rose_today
    assert [(r.code, r.colour) for r in rose] == [("25229", "red"), ("25228", "orange")]  # most severe first


def test_overdue_tasks(outbreak):
    data = selectors.dashboard(place_of(outbreak.district), TODAY)
    assert data.overdue_count == 1 and [t.what_vi for t in data.overdue_tasks] == ["Lập chốt kiểm soát"]
    assert selectors.dashboard(NATION, TODAY).overdue_count == 2


def test_many_overdue_tasks_are_counted(outbreak):
    from tests.dashboard.world import at, task

    for i in range(12):
        task(outbreak.commune, f"Việc {i}", at(TODAY - timedelta(days=1)))
    data = selectors.dashboard(place_of(outbreak.district), TODAY)
    assert data.overdue_count == 13 and len(data.overdue_tasks) == 10


def test_empty_area(world, today):
    data = selectors.dashboard(place_of(world.far_province), TODAY)
    assert not data.has_data and data.kpi["new_today"] == 0 and data.level is None
    assert data.kpi["positivity_today"] is None and data.kpi["new_prev_7d"] == 0


def test_rows_of_the_place_itself_count_but_belong_to_no_child(world, today):
    tally(world.district, TODAY, cases_new_community=4)  # a record kept at district level
    data = selectors.dashboard(place_of(world.district), TODAY)
    assert data.kpi["new_today"] == 4 and all(child.new_today == 0 for child in data.children)


def test_moving_average():
    assert moving_average([7, 0, 0, 0, 0, 0, 0, 7], 7) == [None] * 6 + [1.0, 1.0]


def test_places_and_scope(personas, world):
    scope, roots = selectors.places_for(personas["district"])
    assert [r.code for r in roots] == ["691"]
    assert selectors.place_for(personas["district"], "25228", scope).code == "25228"
    assert selectors.place_for(personas["district"], "79") is None
    assert selectors.place_for(personas["district"], "VN") is None
    assert selectors.place_for(personas["national"], "VN") is NATION
    # A village: tallies stop at communes, so its team's place is the commune above, and only that one.
    assert [r.code for r in selectors.places_for(personas["community"])[1]] == ["25228"]
    assert selectors.place_for(personas["community"], "25228").code == "25228"
    assert (
        selectors.place_for(personas["community"], "25229") is None
        and selectors.place_for(personas["community"], "691") is None
    )
    crumbs = selectors.breadcrumbs(place_of(world.commune), selectors.places_for(personas["district"])[0])
    assert [(code, ok) for code, _name, ok in crumbs] == [("691", True), ("25228", True)]
