"""R-13 and NQ 128 measure catalogues; province overrides change only what they name."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.risk.rules import measures_for

ON_2686, ON_128 = date(2021, 8, 1), date(2021, 12, 1)


def test_r13_2686_is_cumulative_with_enforced_values():
    red = measures_for("2686", 3, on=ON_2686)
    assert red.get("gatherings").cap_people == 2  # "3 people or more" banned
    assert red.get("events").cap_people == 30  # from orange
    assert red.get("distance").min_distance_m == 2
    assert red.get("high_risk_services").allowed == "no"  # from yellow
    assert red.get("public_transport").allowed == "no"
    assert red.get("non_essential_business").allowed == "no"
    assert red.get("goods_transport").allowed == "yes"  # must stay allowed
    assert red.get("social_distancing").duration_days == 14
    assert red.get("personal_5k").level == 0


@pytest.mark.parametrize(
    ("level", "gatherings", "cap", "high_risk"),
    [(0, "yes", None, "yes"), (1, "limited", None, "no"), (2, "limited", 9, "no"), (3, "limited", 2, "no")],
)
def test_r13_2686_gatherings_and_high_risk_services_by_level(level, gatherings, cap, high_risk):
    measures = measures_for("2686", level, on=ON_2686)
    assert (measures.get("gatherings").allowed, measures.get("gatherings").cap_people) == (gatherings, cap)
    assert measures.get("high_risk_services").allowed == high_risk


def test_2686_notes_what_it_does_not_regulate():
    notes = measures_for("2686", 3, on=ON_2686).notes
    assert "Chỉ thị 15/16" in notes[0].vi and "schools" in notes[0].en


def test_every_measure_has_both_languages_and_a_confidence_mark():
    for framework, levels, on in (("2686", range(4), ON_2686), ("4800", range(1, 5), ON_128)):
        for level in levels:
            for measure in measures_for(framework, level, on=on).measures:
                assert measure.vi and measure.en and measure.confidence in {"V", "V~", "R", "D"}
                assert measure.allowed in {"yes", "limited", "no"}


@pytest.mark.parametrize("framework", ["4800", "218"])
def test_128_table_applies_to_4800_and_218(framework):
    on = ON_128 if framework == "4800" else date(2022, 3, 1)
    assert measures_for(framework, 1, on=on).get("outdoor_gatherings").allowed == "yes"
    for level in range(1, 5):  # goods, production, malls, restaurants, markets allowed at every level
        measures = measures_for(framework, level, on=on)
        for activity in ("goods_transport", "production_construction", "malls_supermarkets", "restaurants", "markets"):
            assert measures.get(activity).allowed != "no"
    assert measures_for(framework, 4, on=on).get("schools").allowed == "no"


def test_hcmc_override_changes_only_high_risk_services():
    national = measures_for("4800", 2, on=ON_128)
    hcmc = measures_for("4800", 2, on=ON_128, province="79")
    assert hcmc.get("high_risk_services").cap_pct == 50
    assert national.get("high_risk_services").cap_pct is None
    assert measures_for("4800", 3, on=ON_128, province="79").get("high_risk_services").cap_pct == 25
    assert [m for m in hcmc.measures if m.activity != "high_risk_services"] == [
        m for m in national.measures if m.activity != "high_risk_services"
    ]


def test_hanoi_restaurants_from_plan_243_only_from_its_date_and_level():
    assert measures_for("4800", 2, on=date(2021, 10, 31), province="01").get("restaurants").close_time is None
    restaurants = measures_for("4800", 2, on=date(2021, 11, 1), province="01").get("restaurants")
    assert (restaurants.cap_pct, restaurants.close_time) == (50, "21:00")
    assert measures_for("4800", 3, on=date(2021, 11, 1), province="01").get("restaurants").close_time is None


def test_nghe_an_high_risk_services_allowed_up_to_level_3():
    on = date(2022, 4, 8)
    assert [
        measures_for("218", level, on=on, province="40").get("high_risk_services").allowed for level in range(1, 5)
    ] == ["yes", "yes", "yes", "no"]


def test_level_outside_the_framework_is_an_error():
    with pytest.raises(ValueError):
        measures_for("4800", 0, on=ON_128)
