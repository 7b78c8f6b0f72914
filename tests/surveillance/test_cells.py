"""Officers' words in case and F1 lists → stored values (no database)."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from chongdich.surveillance import cells


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12/07/2021", date(2021, 7, 12)),
        ("12-07-2021", date(2021, 7, 12)),
        ("2021-07-12", date(2021, 7, 12)),
        (datetime(2021, 7, 12, 8, 30), date(2021, 7, 12)),
        (date(2021, 7, 12), date(2021, 7, 12)),
        ("", None),
        (None, None),
    ],
)
def test_days(value, expected):
    assert cells.parse_day(value) == (expected, None)


def test_a_wrong_date_says_how_to_write_it():
    day, error = cells.parse_day("31/02/2021")
    assert day is None and "31/02/2021" in error and "dd/mm/yyyy" in error


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Test nhanh", "rapid_antigen"),
        ("TNKN", "rapid_antigen"),
        ("RT-PCR", "rt_pcr"),
        ("PCR mẫu gộp", "pooled_rt_pcr"),
        ("", "rt_pcr"),
        ("Rapid antigen test", "rapid_antigen"),
    ],
)
def test_test_types(value, expected):
    assert cells.parse_test_type(value) == (expected, None)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Cộng đồng", "community"),
        ("khu cách ly", "quarantine"),
        ("Trong khu phong tỏa", "lockdown"),
        ("Cửa khẩu", "border"),
        ("", "community"),
        ("At the border", "border"),
    ],
)
def test_where_detected(value, expected):
    assert cells.parse_detected_in(value) == (expected, None)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Chưa rõ", (False, "")),
        ("không rõ nguồn", (False, "")),
        ("", (False, "")),
        ("Rõ", (True, "")),
        ("F1 của BN 70-00012", (True, "F1 của BN 70-00012")),
    ],
)
def test_source(value, expected):
    assert cells.parse_source_known(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Tại nhà", "home"),
        ("BV dã chiến số 3", "field_hospital"),
        ("Bệnh viện đa khoa tỉnh", "hospital"),
        ("Cách ly tập trung", "concentrated"),
        ("Khu điều trị", "treatment_area"),
        ("Sân bay", None),
    ],
)
def test_treatment_places(value, expected):
    assert cells.parse_place(value) == expected


@pytest.mark.parametrize(
    "value, masked, expected",
    [
        ("Sống cùng nhà", None, "household"),
        ("Tiếp xúc gần", False, "close_unmasked"),
        ("tiếp xúc gần", True, "close_masked"),
        ("Tiếp xúc gần", None, "close_unmasked"),
        ("Bắt tay", None, "physical_contact"),
        ("Cùng phòng kín", None, "same_enclosed_space"),
        ("Chăm sóc", None, "care_without_ppe"),
        ("Close, without a mask", None, "close_unmasked"),
    ],
)
def test_kinds_of_contact(value, masked, expected):
    assert cells.parse_kind(value, masked) == (expected, None)


def test_contradictions_and_unknown_words_are_explained():
    assert cells.parse_kind("Tiếp xúc gần có đeo khẩu trang", False)[1]
    assert cells.parse_kind("", None)[1] and cells.parse_kind("Đi ngang qua", None)[1]
    assert cells.parse_masked("Có")[0] is True and cells.parse_masked("không")[0] is False
    assert cells.parse_masked("hơi hơi")[1]


@pytest.mark.parametrize(
    "value, expected",
    [("1,5m", Decimal("1.5")), ("< 2 m", Decimal("2")), (1, Decimal("1")), ("50 cm", Decimal("0.5")), ("", None)],
)
def test_distances(value, expected):
    assert cells.parse_distance(value) == (expected, None)


def test_minutes():
    assert cells.parse_minutes("30 phút") == (30, None) and cells.parse_minutes("2 giờ") == (120, None)
    assert cells.parse_minutes("lâu")[1]
