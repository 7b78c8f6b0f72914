"""The map payload: compact, scoped to the place's communes (provinces for the nation), levels per day."""

import gzip
import json
from datetime import timedelta

import pytest

from chongdich.dashboard import mapdata
from chongdich.dashboard.selectors import NATION, place_of
from tests.dashboard.world import TODAY, assess, at

pytestmark = pytest.mark.django_db


def test_level_chars_and_legend():
    assert [mapdata.level_char("2686", level) for level in range(4)] == ["0", "1", "2", "3"]
    assert [mapdata.level_char("4800", level) for level in range(1, 5)] == ["a", "b", "c", "d"]
    assert (
        mapdata.level_char("218", 4) == "D"
        and mapdata.level_char("", None) == "-"
        and mapdata.level_char("2686", 9) == "-"
    )
    legend = mapdata.legend("en")
    assert legend["3"] == {"fw": "2686", "c": "red", "t": "red", "n": "Very high risk"}
    assert legend["c"]["t"] == "level 3 (orange)" and mapdata.legend("vi")["c"]["t"] == "cấp 3 (cam)"


def test_district_payload(outbreak):
    payload = mapdata.map_payload(place_of(outbreak.district), TODAY, days=3)
    assert payload["tier"] == "commune" and payload["day"] == "2021-08-20" and payload["start"] == "2021-08-18"
    assert [u[0] for u in payload["u"]] == ["25222", "25228", "25229"]  # by path
    duc_hanh = payload["u"][1]
    assert duc_hanh == ["25228", "Xã Đức Hạnh", 11.8748, 107.0421, 65, 19, 0]  # 0: in the district, d[0]
    assert payload["d"] == [["691", "Huyện Bù Gia Mập", 12.04, 107.05, 68, 22]]  # the sums of its communes
    assert payload["dlv"] == ["-", "1", "1"]
    assert "rt" not in payload  # no user: no forecast figures
    assert payload["lv"] == ["---", "010", "020"]  # no assessment on the 18th; Đức Hạnh yellow → orange
    assert payload["shapes"] == 0
    assert "26734" not in json.dumps(payload)  # Hồ Chí Minh City is not in the district


def test_levels_carry_forward_and_pending_changes_take_effect(world, today):
    assess(world.commune, TODAY - timedelta(days=5), 0, pending=(3, at(TODAY - timedelta(days=2), 12)))
    payload = mapdata.map_payload(place_of(world.commune), TODAY, days=5)
    # Assessed 5 days ago (green, red announced for noon two days ago) and not since: the level carries forward.
    assert payload["lv"] == ["0", "0", "3", "3", "3"]  # 16–17 green; red from noon on the 18th
    assert mapdata.map_payload(place_of(world.commune), TODAY, days=1)["lv"] == ["3"]


def test_nation_shows_provinces(outbreak):
    payload = mapdata.map_payload(NATION, TODAY, days=2)
    assert payload["tier"] == "province"
    assert [(u[0], u[4], u[5]) for u in payload["u"]] == [("70", 68, 22), ("79", 500, 500)]
    assert payload["lv"] == ["13", "13"]
    assert payload["d"] == [] and payload["dlv"] == []


def test_size_of_a_province_of_300_communes(world, today):
    """300 communes with 60 days of levels stay far under the 200 KB budget."""
    from chongdich.risk.models import RiskAssessment
    from chongdich.tallies.models import DailyTally
    from chongdich.territory.models import AdminUnit

    units = [
        AdminUnit(
            code=f"9{i:04d}",
            name=f"Xã Thử Nghiệm Số {i}",
            level="commune",
            kind="xa",
            parent=world.district,
            lat=11.5 + i / 1000,
            lon=106.5 + i / 997,
        )
        for i in range(300)
    ]
    for unit in units:
        unit.save()
    DailyTally.objects.bulk_create(
        [
            DailyTally(
                unit=u, unit_path=u.path, province_code="70", day=TODAY, active_home=i % 40, cases_new_community=i % 7
            )
            for i, u in enumerate(units)
        ]
    )
    rows = []
    for offset in range(60):
        day = TODAY - timedelta(days=offset)
        for i, u in enumerate(units):
            level = (i + offset // 10) % 4
            rows.append(
                RiskAssessment(
                    unit=u,
                    code=u.code,
                    name=u.name,
                    tier="commune",
                    unit_path=u.path,
                    day=day,
                    framework="2686",
                    rule_version="t",
                    announced_at=at(day),
                    in_force_framework="2686",
                    in_force_level=level,
                    in_force_since=at(day),
                )
            )
    RiskAssessment.objects.bulk_create(rows, batch_size=2000)
    payload = mapdata.map_payload(place_of(world.district), TODAY, days=60)
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    assert len(payload["u"]) == 303 and len(payload["lv"]) == 60 and all(len(day) == 303 for day in payload["lv"])
    assert len(body) < 60_000 and len(gzip.compress(body)) < 15_000


def test_table_rows(outbreak):
    payload = mapdata.map_payload(place_of(outbreak.district), TODAY, days=2)
    rows = mapdata.table_rows(payload, mapdata.legend("vi"))
    assert [(r["code"], r["active"], r["label"], r["colour"]) for r in rows] == [
        ("25228", 65, "Cam", "orange"),
        ("25229", 3, "Xanh", "green"),
        ("25222", 0, "Xanh", "green"),
    ]
    assert rows[0]["style"] == "background:#fd7e14;color:#000"


def test_shapes_payload(outbreak, tmp_path):
    from chongdich.dashboard.actions import load_boundaries
    from tests.dashboard.test_boundaries import circle, feature, write

    load_boundaries(
        write(
            tmp_path,
            [feature({"code": "25228"}, circle(11.8748, 107.0421)), feature({"code": "26734"}, circle(10.79, 106.69))],
        )
    )
    shapes = mapdata.shapes_payload(place_of(outbreak.district))["s"]
    assert list(shapes) == ["25228"]  # not Hồ Chí Minh City's ward
    assert mapdata.map_payload(place_of(outbreak.district), TODAY, days=1)["shapes"] == 1
