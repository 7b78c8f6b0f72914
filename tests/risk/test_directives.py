"""R-40 directive measure sets and R-41 local hybrids."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules import default_config, directive

ON = date(2021, 7, 1)


@pytest.mark.parametrize(
    ("name", "gathering", "room", "distance", "religious", "stay_home", "open_"),
    [
        ("15", 9, 20, 2, 19, False, False),
        ("16", 2, None, 2, None, True, False),
        ("19", None, None, 1, None, False, True),
    ],
)
def test_r40_directive_limits(name, gathering, room, distance, religious, stay_home, open_):
    limits = directive(name, on=ON).limits
    assert limits.max_gathering_outside == gathering
    assert limits.max_people_per_room_event == room
    assert limits.min_distance_m == distance
    assert limits.religious_gathering_max == religious
    assert limits.stay_home_required is stay_home
    assert limits.non_essential_services_open is open_


def test_r40_directive_19_means_no_crowding_and_keeps_entertainment_closed():
    ct19 = directive("19", on=ON)
    assert ct19.limits.no_crowding
    assert set(ct19.limits.closed_services) == {"entertainment", "beauty", "karaoke", "massage", "bar", "dance_club"}
    assert ct19.get("high_risk_services").allowed == "no"


def test_r41_hybrid_is_a_base_directive_plus_local_deltas():
    hanoi = RuleVersion(
        "risk.directives",
        "Hà Nội 15+",
        date(2021, 9, 6),
        None,
        {
            "hybrids": {
                "15+": {
                    "base": "15",
                    "vi": "Chỉ thị 15 tăng cường",
                    "en": "Directive 15 reinforced",
                    "limits": {"max_gathering_outside": 4},
                    "measures": {
                        "restaurants": {
                            "allowed": "limited",
                            "vi": "Chỉ bán mang về",
                            "en": "Take-away only",
                            "confidence": "D",
                        },
                        "religious": {"remove": True},
                    },
                }
            }
        },
        province="01",
    )
    config = default_config().with_versions([hanoi])
    plus = directive("15+", on=date(2021, 9, 10), province="01", config=config)
    base = directive("15", on=date(2021, 9, 10), province="01", config=config)
    assert plus.base == "15"
    assert plus.limits.max_gathering_outside == 4
    assert plus.limits.min_distance_m == base.limits.min_distance_m == 2
    assert plus.get("restaurants").allowed == "limited"
    assert plus.get("religious") is None
    assert plus.get("events") == base.get("events")
    assert set(plus.deltas) == {"max_gathering_outside", "restaurants", "religious"}
    with pytest.raises(KeyError):
        directive("15+", on=date(2021, 9, 10), province="79", config=config)


def test_unknown_directive():
    with pytest.raises(KeyError, match="known: 15, 16, 19"):
        directive("17", on=ON)
