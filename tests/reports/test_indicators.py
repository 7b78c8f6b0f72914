"""The report's indicators come from the tallies (flows of the day and cumulative, stock levels and
their change), roll up to a district with one line per commune, carry the published levels, and
show the blocks the system has no data for as "not recorded" — never as zero."""

from datetime import timedelta

import pytest
from django.utils import translation

from chongdich.reports.indicators import BLOCKS, MISSING, changes, figures, layout
from tests.reports.conftest import DAY

pytestmark = pytest.mark.django_db


def test_commune_figures_of_the_day_and_cumulative(outbreak):
    values = figures(outbreak.commune, DAY)["values"]
    assert values["f0_new"] == [3, 5]
    assert values["f0_new_community"] == [1, 3]
    assert values["f0_new_unknown_source"] == [0, 1]
    assert values["f0_new_isolated"] == [2, 2]
    assert values["f0_active"] == [2, 4]  # +3 in hospital, −1 at home today; 1 at home and 3 in hospital now
    assert values["f0_active_home"] == [-1, 1]
    assert values["f0_active_hospital"] == [3, 3]
    assert values["f0_recovered"] == [1, 1]
    assert values["f0_deaths"] == [0, 0]
    assert values["f1_quarantine"] == [4, 9]
    assert values["f1_home"] == [0, 5] and values["f1_facility"] == [4, 4]
    assert values["samples_taken"] == [6, 16]
    assert values["tests_positive"] == [3, 5]
    assert values["tests_negative"] == [2, 8]
    assert values["samples_pending"] == [1, 3]


def test_capacity_by_type(outbreak):
    capacity = figures(outbreak.commune, DAY)["capacity"]
    assert capacity["quarantine"] == [50, 5]
    assert capacity["treatment"] == [20, 3]
    assert capacity["icu"] == [0, 0]
    free = {line.label: line.free for line in layout(figures(outbreak.commune, DAY)).capacity}
    assert list(free.values())[:2] == [45, 17]


def test_a_past_day_ignores_later_days(outbreak):
    values = figures(outbreak.commune, DAY - timedelta(days=1))["values"]
    assert values["f0_new"] == [0, 2]
    assert values["f0_active"] == [0, 2]
    assert values["samples_pending"] == [0, 2]


def test_district_rolls_up_its_communes_only(outbreak):
    snapshot = figures(outbreak.district, DAY)
    assert snapshot["values"]["f0_new"] == [3, 9]  # Quận 1's 100 cases are in another province
    assert snapshot["values"]["f0_deaths"] == [1, 1]
    assert snapshot["values"]["f0_active"] == [1, 7]
    children = {child["name"]: child["values"] for child in snapshot["children"]}
    assert [child["name"] for child in snapshot["children"]] == ["Xã Bù Gia Mập", "Xã Đức Hạnh", "Xã Phú Văn"]
    assert children["Xã Đức Hạnh"] == {
        "f0_new": 3,
        "f0_cumulative": 5,
        "f0_active": 4,
        "f1_quarantine": 9,
        "samples_taken": 6,
        "deaths": 0,
    }
    assert children["Xã Phú Văn"]["f0_active"] == 3 and children["Xã Phú Văn"]["deaths"] == 1
    assert children["Xã Bù Gia Mập"] == dict.fromkeys(children["Xã Bù Gia Mập"], 0)
    assert layout(snapshot).child_totals[:3] == [3, 9, 7]


def test_province_lists_its_districts(outbreak):
    snapshot = figures(outbreak.province, DAY)
    assert [child["name"] for child in snapshot["children"]] == ["Huyện Bù Gia Mập"]
    assert snapshot["children"][0]["values"]["f0_cumulative"] == 9
    assert figures(outbreak.commune, DAY)["children"] == []  # villages have no tallies of their own


def test_blocks_without_data_are_not_recorded_never_zero(outbreak):
    shown = layout(figures(outbreak.commune, DAY))
    missing = {section.key for section in shown.sections if section.missing}
    assert missing == {"arrivals", "international", "vaccination"}
    lines = [line for section in shown.sections for line in section.lines if line.kind == MISSING]
    assert lines and all(line.day is None and line.total is None for line in lines)
    stored = figures(outbreak.commune, DAY)
    assert not any(
        key in stored["values"] for block in BLOCKS for key in (r.key for r in block.rows if r.kind == MISSING)
    )


def test_levels_of_the_unit_and_its_communes(assessed):
    snapshot = figures(assessed.district, DAY)
    levels = {child["name"]: child["level"] for child in snapshot["children"]}
    assert levels["Xã Đức Hạnh"]["framework"] == "2686" and levels["Xã Đức Hạnh"]["level"] is not None
    assert snapshot["level"] is not None
    counts = dict(layout(snapshot).colour_counts)
    assert sum(counts.values()) == 3


def test_changes_name_what_differs(outbreak, tally):
    before = figures(outbreak.district, DAY)
    tally(outbreak.commune, DAY, cases_new_community=1)
    after = figures(outbreak.district, DAY)
    with translation.override("en"):
        found = changes(before, after)
    labels = [(c.unit, c.label) for c in found]
    assert ("", "New cases") in labels
    assert ("Xã Đức Hạnh", "New cases") in labels
    assert changes(after, after) == []


def test_one_query_for_the_tallies(outbreak, django_assert_max_num_queries):
    from datetime import time

    from chongdich.tallies.registry import SOURCES

    # tallies, children, risk run day, children levels, unit level; and per tally source one query for the
    # entries after the cut-off of the day before (today's cut-off is still to come at 14:00)
    with django_assert_max_num_queries(6 + len(SOURCES)):
        figures(outbreak.district, DAY, time(18))
