"""Active cases under treatment (R-55) with validation and the check against treatment places."""

from __future__ import annotations

import pytest

from chongdich.surveillance.rules import InputError, active_count


def test_spec_example_district_report():
    result = active_count(11, 5, 0, 0, {"hospital": 1, "concentrated": 2, "home": 3})
    assert (result.active, result.by_place) == (6, {"hospital": 1, "concentrated": 2, "home": 3})
    assert result.reasons[0].vi == "đang điều trị = 11 − 5 − 0 − 0 = 6"
    assert result.rule_version == "R-55"


def test_without_places():
    assert active_count(100, 60, 3, 7).active == 30
    assert active_count(0, 0, 0, 0).active == 0


@pytest.mark.parametrize(
    ("args", "by_place", "field"),
    [
        ((10, 5, 0, -1), None, "transferred_out"),
        ((10, 5.0, 0, 0), None, "recovered"),
        ((10, 8, 2, 1), None, "confirmed"),
        ((10, 5, 0, 0), {"home": 4}, "by_place"),
        ((10, 5, 0, 0), {"home": 6, "hospital": -1}, "by_place.hospital"),
        ((10, 5, 0, 0), {"hotel": 5}, "by_place"),
        ((True, 0, 0, 0), None, "confirmed"),
    ],
)
def test_validation(args, by_place, field):
    with pytest.raises(InputError) as raised:
        active_count(*args, by_place)
    assert raised.value.field == field
