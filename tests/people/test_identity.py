"""CCCD and phone validation: table-driven edges and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chongdich.people.identity import (
    CCCD_PROVINCE_CODES,
    FEMALE,
    MALE,
    IdentityError,
    display_phone,
    normalize_phone,
    parse_cccd,
    sex_century_digit,
    validate_cccd,
)


@pytest.mark.parametrize(
    ("number", "sex", "year"),
    [
        ("070090001234", MALE, 1990),
        ("070190001234", FEMALE, 1990),
        ("001205000001", MALE, 2005),
        ("079305123456", FEMALE, 2005),
        ("096800000001", MALE, 1800),
        ("038099999999", MALE, 1999),
        ("070 090 001 234", MALE, 1990),  # spaces as typed
        ("70090001234", MALE, 1990),  # leading zero lost by Excel
    ],
)
def test_valid_cccd(number, sex, year):
    assert validate_cccd(number, sex=sex, birth_year=year).isdigit()


@pytest.mark.parametrize(
    ("number", "sex", "year", "code"),
    [
        ("07009000123", None, None, "cccd_format"),  # 11 digits that are not a lost zero: starts with 0
        ("0700900012345", None, None, "cccd_format"),
        ("07009000123A", None, None, "cccd_format"),
        ("003090001234", MALE, 1990, "cccd_province"),  # 003 is not a province code
        ("097090001234", MALE, 1990, "cccd_province"),
        ("070090001234", FEMALE, 1990, "cccd_sex"),
        ("070190001234", MALE, 1990, "cccd_sex"),
        ("070290001234", MALE, 1990, "cccd_century"),  # digit 2 = born 2000–2099
        ("070091001234", MALE, 1990, "cccd_year"),
    ],
)
def test_invalid_cccd(number, sex, year, code):
    with pytest.raises(IdentityError) as caught:
        validate_cccd(number, sex=sex, birth_year=year)
    assert caught.value.code == code


def test_province_codes_are_the_legacy_province_codes():
    from vietnamadminunits.database import query

    codes = {"0" + r["provinceCode"] for r in query("SELECT DISTINCT provinceCode FROM admin_units_legacy")}
    assert codes == set(CCCD_PROVINCE_CODES)
    assert len(CCCD_PROVINCE_CODES) == 63


@given(
    province=st.sampled_from(sorted(CCCD_PROVINCE_CODES)),
    sex=st.sampled_from([MALE, FEMALE]),
    year=st.integers(min_value=1800, max_value=2299),
    serial=st.integers(min_value=0, max_value=999_999),
)
def test_generated_cccd_round_trips(province, sex, year, serial):
    number = f"{province}{sex_century_digit(sex, year)}{year % 100:02d}{serial:06d}"
    assert validate_cccd(number, sex=sex, birth_year=year) == number
    info = parse_cccd(number)
    assert info.sex == sex and info.century + info.birth_year_suffix == year
    other_sex = FEMALE if sex == MALE else MALE
    with pytest.raises(IdentityError):
        validate_cccd(number, sex=other_sex, birth_year=year)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("912345678", "+84912345678"),  # leading zero lost by Excel
        ("01662345678", "+84362345678"),  # old 11-digit Viettel prefix
        ("01212345678", "+84792345678"),  # old Mobifone 0121 → 079
        ("0271 3879 123", "+842713879123"),  # Bình Phước landline
        ("", ""),
        (None, ""),
    ],
)
def test_phone_normalisation(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["123", "0012345678", "+1 202 555 0100", "09123456789012", "abc"])
def test_invalid_phone(raw):
    with pytest.raises(IdentityError) as caught:
        normalize_phone(raw)
    assert caught.value.code == "phone_format"


def test_display_phone():
    assert display_phone("+84912345678") == "0912 345 678"
    assert display_phone("") == ""
