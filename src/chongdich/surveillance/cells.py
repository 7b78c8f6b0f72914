"""Reading the cells of officers' case and F1 lists: dates, test types, places, kinds of contact.

Officers write "Test nhanh", "BV dã chiến số 3", "Sống cùng nhà", "< 2m", "Có": each reader maps
such words (compared without diacritics, case or punctuation) to a stored value, or explains what
to write instead.  The interface's own labels (Vietnamese and English) are accepted too, so that an
exported list imports back unchanged.  No database access.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from chongdich.core.text import fold_words
from chongdich.people.rows import _add_choice_labels, text
from chongdich.surveillance.models import DetectedIn, ExposureKind, Setting, Severity, TestType, TreatmentPlace
from chongdich.surveillance.rules.exposure import KIND_NAMES

_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

CLOSE = "close"  # "tiếp xúc gần": masked or not decides the kind

_TEST_WORDS = {
    "pcr": TestType.RT_PCR,
    "rt pcr": TestType.RT_PCR,
    "realtime pcr": TestType.RT_PCR,
    "xet nghiem pcr": TestType.RT_PCR,
    "pcr mau gop": TestType.POOLED_RT_PCR,
    "mau gop": TestType.POOLED_RT_PCR,
    "gop mau": TestType.POOLED_RT_PCR,
    "test nhanh": TestType.RAPID_ANTIGEN,
    "tnkn": TestType.RAPID_ANTIGEN,
    "test nhanh khang nguyen": TestType.RAPID_ANTIGEN,
    "khang nguyen": TestType.RAPID_ANTIGEN,
    "rat": TestType.RAPID_ANTIGEN,
    "antigen": TestType.RAPID_ANTIGEN,
    "lam sang": TestType.CLINICAL_RAT,
    "trieu chung test nhanh": TestType.CLINICAL_RAT,
    "lam sang test nhanh": TestType.CLINICAL_RAT,
}
_DETECTED_WORDS = {
    "cong dong": DetectedIn.COMMUNITY,
    "trong cong dong": DetectedIn.COMMUNITY,
    "community": DetectedIn.COMMUNITY,
    "khu cach ly": DetectedIn.QUARANTINE,
    "cach ly": DetectedIn.QUARANTINE,
    "cach ly tap trung": DetectedIn.QUARANTINE,
    "khu cach ly tap trung": DetectedIn.QUARANTINE,
    "trong khu cach ly": DetectedIn.QUARANTINE,
    "phong toa": DetectedIn.LOCKDOWN,
    "khu phong toa": DetectedIn.LOCKDOWN,
    "vung phong toa": DetectedIn.LOCKDOWN,
    "trong khu phong toa": DetectedIn.LOCKDOWN,
    "bien gioi": DetectedIn.BORDER,
    "cua khau": DetectedIn.BORDER,
    "nhap canh": DetectedIn.BORDER,
}
_UNKNOWN_SOURCE = {
    "chua ro",
    "khong ro",
    "chua ro nguon",
    "chua xac dinh",
    "khong xac dinh",
    "chua ro nguon lay",
    "unknown",
    "unknown source",
    "khong",
}
_KNOWN_WORDS = {"ro", "da ro", "ro nguon", "co", "x", "yes", "known", "known source"}
_SETTING_WORDS = {
    "kcn": Setting.INDUSTRIAL_PARK,
    "khu cong nghiep": Setting.INDUSTRIAL_PARK,
    "nha may": Setting.INDUSTRIAL_PARK,
    "cong ty": Setting.INDUSTRIAL_PARK,
    "xi nghiep": Setting.INDUSTRIAL_PARK,
    "truong": Setting.SCHOOL,
    "truong hoc": Setting.SCHOOL,
    "cho": Setting.MARKET,
    "sieu thi": Setting.SUPERMARKET,
    "trung tam thuong mai": Setting.SUPERMARKET,
    "benh vien": Setting.HOSPITAL,
    "co so y te": Setting.HOSPITAL,
    "tram y te": Setting.HOSPITAL,
    "gia dinh": Setting.HOUSEHOLD,
    "ho gia dinh": Setting.HOUSEHOLD,
    "trong gia dinh": Setting.HOUSEHOLD,
}
_PLACE_WORDS = {
    "tai nha": TreatmentPlace.HOME,
    "nha": TreatmentPlace.HOME,
    "f0 tai nha": TreatmentPlace.HOME,
    "dieu tri tai nha": TreatmentPlace.HOME,
    "cach ly tai nha": TreatmentPlace.HOME,
    "home": TreatmentPlace.HOME,
    "benh vien da chien": TreatmentPlace.FIELD_HOSPITAL,
    "bv da chien": TreatmentPlace.FIELD_HOSPITAL,
    "bvdc": TreatmentPlace.FIELD_HOSPITAL,
    "benh vien": TreatmentPlace.HOSPITAL,
    "bv": TreatmentPlace.HOSPITAL,
    "bvdk": TreatmentPlace.HOSPITAL,
    "trung tam y te": TreatmentPlace.HOSPITAL,
    "ttyt": TreatmentPlace.HOSPITAL,
    "khu dieu tri": TreatmentPlace.TREATMENT_AREA,
    "co so thu dung": TreatmentPlace.TREATMENT_AREA,
    "co so dieu tri": TreatmentPlace.TREATMENT_AREA,
    "cach ly tap trung": TreatmentPlace.CONCENTRATED,
    "khu cach ly": TreatmentPlace.CONCENTRATED,
    "co so tap trung": TreatmentPlace.CONCENTRATED,
    "tap trung": TreatmentPlace.CONCENTRATED,
}
_SEVERITY_WORDS = {
    "khong trieu chung": Severity.ASYMPTOMATIC,
    "ktc": Severity.ASYMPTOMATIC,
    "nhe": Severity.MILD,
    "trung binh": Severity.MODERATE,
    "vua": Severity.MODERATE,
    "nang": Severity.SEVERE,
    "rat nang": Severity.CRITICAL,
    "nguy kich": Severity.CRITICAL,
}
_KIND_WORDS = {
    "cung nha": ExposureKind.HOUSEHOLD,
    "song cung nha": ExposureKind.HOUSEHOLD,
    "o cung nha": ExposureKind.HOUSEHOLD,
    "cung ho": ExposureKind.HOUSEHOLD,
    "ho gia dinh": ExposureKind.HOUSEHOLD,
    "gia dinh": ExposureKind.HOUSEHOLD,
    "nguoi nha": ExposureKind.HOUSEHOLD,
    "truc tiep": ExposureKind.PHYSICAL_CONTACT,
    "tiep xuc truc tiep": ExposureKind.PHYSICAL_CONTACT,
    "than the": ExposureKind.PHYSICAL_CONTACT,
    "tiep xuc co the": ExposureKind.PHYSICAL_CONTACT,
    "bat tay": ExposureKind.PHYSICAL_CONTACT,
    "om": ExposureKind.PHYSICAL_CONTACT,
    "tiep xuc gan": CLOSE,
    "gan": CLOSE,
    "noi chuyen": CLOSE,
    "an chung": CLOSE,
    "an uong cung": CLOSE,
    "lam viec cung": CLOSE,
    "cung phong": ExposureKind.SAME_ENCLOSED_SPACE,
    "phong kin": ExposureKind.SAME_ENCLOSED_SPACE,
    "khong gian kin": ExposureKind.SAME_ENCLOSED_SPACE,
    "cham soc": ExposureKind.CARE_WITHOUT_PPE,
    "kham benh": ExposureKind.CARE_WITHOUT_PPE,
    "tham kham": ExposureKind.CARE_WITHOUT_PPE,
    "khac": ExposureKind.OTHER,
}
_YES = {"co", "x", "yes", "y", "1", "deo", "co deo", "true", "dung"}
_NO = {"khong", "ko", "k", "no", "n", "0", "khong deo", "false"}

_LABELS_LOADED = False


def _ensure_labels() -> None:
    """Accept the interface's labels in both languages, and the rules' names of contact kinds."""
    global _LABELS_LOADED
    if _LABELS_LOADED:
        return
    for table, choices in (
        (_TEST_WORDS, TestType.choices),
        (_DETECTED_WORDS, DetectedIn.choices),
        (_SETTING_WORDS, Setting.choices),
        (_PLACE_WORDS, TreatmentPlace.choices),
        (_SEVERITY_WORDS, Severity.choices),
        (_KIND_WORDS, ExposureKind.choices),
    ):
        _add_choice_labels(table, choices)
    for kind, names in KIND_NAMES.items():
        for name in names:
            _KIND_WORDS.setdefault(fold_words(name), kind.value)
    _LABELS_LOADED = True


def lookup(table: dict, value) -> str | None:
    """The value of the longest word of ``table`` that the cell is or begins with ("bv da chien số 3")."""
    _ensure_labels()
    folded = fold_words(text(value))
    if not folded:
        return None
    if folded in table:
        return table[folded]
    for word in sorted(table, key=len, reverse=True):
        if folded.startswith(word + " "):
            return table[word]
    return None


def parse_day(value) -> tuple[date | None, str | None]:
    """A date cell (a real date, or dd/mm/yyyy text) → (date, error)."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    raw = text(value)
    if not raw:
        return None, None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date(), None
        except ValueError:
            continue
    return None, _("“%(value)s” is not a date; write it as dd/mm/yyyy (e.g. 12/07/2021).") % {"value": raw}


def parse_choice(table: dict, value, default, message: str) -> tuple[str | None, str | None]:
    """A word of ``table`` → (value, error); an empty cell gives ``default``."""
    if not text(value):
        return default, None
    found = lookup(table, value)
    if found is None:
        return None, message % {"value": text(value)}
    return found, None


def parse_test_type(value):
    return parse_choice(
        _TEST_WORDS,
        value,
        TestType.RT_PCR,
        _("“%(value)s” is not a test; write “RT-PCR”, “PCR mẫu gộp” or “Test nhanh”."),
    )


def parse_detected_in(value):
    return parse_choice(
        _DETECTED_WORDS,
        value,
        DetectedIn.COMMUNITY,
        _("“%(value)s”: write where the case was found: “Cộng đồng”, “Khu cách ly”, “Phong tỏa” or “Biên giới”."),
    )


def parse_severity(value):
    return parse_choice(
        _SEVERITY_WORDS,
        value,
        Severity.ASYMPTOMATIC,
        _("“%(value)s” is not a severity; write “Không triệu chứng”, “Nhẹ”, “Trung bình”, “Nặng” or “Nguy kịch”."),
    )


def parse_source_known(value) -> tuple[bool, str]:
    """(known, description worth keeping).  "Rõ" or a description of the source ("F1 của BN 70-00012")
    is known; "Chưa rõ" — or an empty cell: a source not yet found is unknown, which is what the
    risk levels must count — is unknown."""
    folded = fold_words(text(value))
    if not folded or folded in _UNKNOWN_SOURCE or folded.startswith(("chua ro", "khong ro")):
        return False, ""
    return True, "" if folded in _KNOWN_WORDS else text(value)


def parse_setting(value) -> tuple[str, str]:
    """(setting, text kept in the notes when it is not a known setting)."""
    if not text(value):
        return "", ""
    found = lookup(_SETTING_WORDS, value)
    return (found, "") if found else (Setting.OTHER, text(value))


def parse_place(value) -> str | None:
    """A treatment place word, or None (the cell may then be a facility's name)."""
    return lookup(_PLACE_WORDS, value)


def parse_kind(value, masked: bool | None) -> tuple[str | None, str | None]:
    """The kind of contact; "tiếp xúc gần" becomes masked or unmasked by the mask column."""
    if not text(value):
        return None, _("Write the kind of contact (e.g. “Sống cùng nhà”, “Tiếp xúc gần”, “Cùng phòng kín”).")
    kind = lookup(_KIND_WORDS, value)
    if kind is None:
        return None, _(
            "“%(value)s” is not a kind of contact; write e.g. “Sống cùng nhà”, “Tiếp xúc trực tiếp”, "
            "“Tiếp xúc gần”, “Cùng phòng kín”, “Chăm sóc” or “Khác”."
        ) % {"value": text(value)}
    if kind == CLOSE:
        kind = ExposureKind.CLOSE_MASKED if masked else ExposureKind.CLOSE_UNMASKED
    if (kind == ExposureKind.CLOSE_MASKED and masked is False) or (
        kind == ExposureKind.CLOSE_UNMASKED and masked is True
    ):
        return None, _("“%(value)s” contradicts the mask column: correct one of them.") % {"value": text(value)}
    return kind, None


def parse_masked(value) -> tuple[bool | None, str | None]:
    folded = fold_words(text(value))
    if not folded:
        return None, None
    if folded in _YES or folded.startswith("co "):
        return True, None
    if folded in _NO or folded.startswith("khong "):
        return False, None
    return None, _("“%(value)s”: write “Có” or “Không” for the mask.") % {"value": text(value)}


def parse_distance(value) -> tuple[Decimal | None, str | None]:
    """ "1,5m", "< 2 m", "dưới 1 mét" → metres."""
    if isinstance(value, (int, float)):
        return Decimal(str(value)).quantize(Decimal("0.1")), None
    raw = text(value)
    if not raw:
        return None, None
    match = _NUMBER.search(raw)
    if match is None:
        return None, _("“%(value)s” is not a distance; write it in metres (e.g. 1.5).") % {"value": raw}
    number = Decimal(match.group(0).replace(",", "."))
    if "cm" in raw.lower():
        number = number / 100
    return number.quantize(Decimal("0.1")), None


def parse_minutes(value) -> tuple[int | None, str | None]:
    """ "15", "15 phút", "2 giờ" → minutes."""
    if isinstance(value, (int, float)):
        return int(value), None
    raw = text(value)
    if not raw:
        return None, None
    match = _NUMBER.search(raw)
    if match is None:
        return None, _("“%(value)s” is not a duration; write the minutes (e.g. 30).") % {"value": raw}
    number = float(match.group(0).replace(",", "."))
    folded = fold_words(raw)
    if " gio" in f" {folded}" or folded.endswith("h"):
        number *= 60
    return int(round(number)), None
