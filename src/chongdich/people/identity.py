"""Citizen ID (CCCD) and phone validation (pure Python, no Django).

CCCD (căn cước công dân, Thông tư 07/2016/TT-BCA, 59/2021/TT-BCA): 12 digits =
3-digit code of the province of birth registration + 1 digit for sex and century of birth +
2 digits for the year of birth + 6 random digits.  The sex/century digit is 0/1 for a male/female
born in the 20th century, 2/3 in the 21st, 4/5 in the 22nd, 6/7 in the 23rd, 8/9 in the 19th.
Errors are raised as ``IdentityError`` with a message *code* and parameters; the Django layer turns
them into translated messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

# Province codes of CCCD = the 63 pre-2025 province codes (2-digit GSO codes) zero-padded to 3.
CCCD_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 "
    "037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 "
    "077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
_CENTURY_BASE = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}
MALE, FEMALE = "M", "F"


class IdentityError(ValueError):
    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code, params)


@dataclass(frozen=True)
class CccdInfo:
    number: str
    province_code: str
    sex: str
    birth_year_suffix: int
    century: int

    def birth_year_candidates(self) -> int:
        return self.century + self.birth_year_suffix


def clean_cccd(raw: str | None) -> str:
    """Digits only, spaces and dots removed; '' when empty."""
    if raw is None:
        return ""
    value = re.sub(r"[\s.\-]", "", str(raw))
    if value.endswith(".0") and value[:-2].isdigit():  # a number that went through Excel
        value = value[:-2]
    if value.isdigit() and len(value) in (10, 11) and not value.startswith("0"):
        value = value.zfill(12)  # Excel stored it as a number and dropped the leading zeros
    return value


def parse_cccd(raw: str) -> CccdInfo:
    number = clean_cccd(raw)
    if not number.isdigit() or len(number) != 12:
        raise IdentityError("cccd_format", value=raw)
    province = number[:3]
    if province not in CCCD_PROVINCE_CODES:
        raise IdentityError("cccd_province", value=number, province=province)
    digit = int(number[3])
    return CccdInfo(
        number=number,
        province_code=province,
        sex=MALE if digit % 2 == 0 else FEMALE,
        birth_year_suffix=int(number[4:6]),
        century=_CENTURY_BASE[digit],
    )


def validate_cccd(raw: str, *, sex: str | None = None, birth_year: int | None = None) -> str:
    """Return the normalised CCCD or raise IdentityError when it contradicts sex or birth year."""
    info = parse_cccd(raw)
    if sex in (MALE, FEMALE) and sex != info.sex:
        raise IdentityError("cccd_sex", value=info.number, sex=sex, cccd_sex=info.sex)
    if birth_year is not None:
        if birth_year // 100 * 100 != info.century:
            raise IdentityError("cccd_century", value=info.number, year=birth_year)
        if birth_year % 100 != info.birth_year_suffix:
            raise IdentityError("cccd_year", value=info.number, year=birth_year, suffix=f"{info.birth_year_suffix:02d}")
    return info.number


def sex_century_digit(sex: str, birth_year: int) -> int:
    """The 4th CCCD digit for a sex and birth year (used by the demo generator and tests)."""
    base = {1800: 8, 1900: 0, 2000: 2, 2100: 4, 2200: 6}[birth_year // 100 * 100]
    return base + (1 if sex == FEMALE else 0)


# Pre-2018 11-digit mobile prefixes and their 10-digit replacements (MIC, 2018): lists kept by
# officers still carry the old numbers.
OLD_MOBILE_PREFIXES = {
    "0162": "032",
    "0163": "033",
    "0164": "034",
    "0165": "035",
    "0166": "036",
    "0167": "037",
    "0168": "038",
    "0169": "039",
    "0120": "070",
    "0121": "079",
    "0122": "077",
    "0126": "076",
    "0128": "078",
    "0123": "083",
    "0124": "084",
    "0125": "085",
    "0127": "081",
    "0129": "082",
    "0186": "056",
    "0188": "058",
    "0199": "059",
}


def normalize_phone(raw: str | None) -> str:
    """A Vietnamese phone number in E.164 (+84…), '' when empty; IdentityError when invalid."""
    if raw is None:
        return ""
    text = re.sub(r"[\s.\-()]", "", str(raw))
    if text.endswith(".0"):
        text = text[:-2]
    if not text:
        return ""
    if text.startswith("84") and not text.startswith("+"):
        text = "+" + text
    if text.isdigit() and not text.startswith("0") and len(text) in (9, 10):
        text = "0" + text  # Excel dropped the leading zero
    if text.startswith("0") and len(text) == 11 and text[:4] in OLD_MOBILE_PREFIXES:
        text = OLD_MOBILE_PREFIXES[text[:4]] + text[4:]
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException as exc:
        raise IdentityError("phone_format", value=raw) from exc
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise IdentityError("phone_format", value=raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """+84912345678 → 0912 345 678 (the way it is written on forms)."""
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, "VN"), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return e164
