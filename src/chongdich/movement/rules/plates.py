"""Vietnamese number plates: the stored form (upper case, no separators, Đ folded to D) and the display
form rebuilt from it.

Formats (Thông tư 58/2020/TT-BCA and earlier circulars, recalled [R]; examples from plates in use [V~]):

- cars, vans, trucks, coaches: province + one letter + 4 or 5 digits: "29A-1234", "51C-123.45";
  trailers and semi-trailers use the letter R: "51R-123.45";
- special car series of two letters: LD (foreign-invested), KT (economic units of the army), HC (limited
  operating area), TĐ (domestic pilot assembly), MK (tractors), DA (projects), LA/LB: "30LD-123.45";
- diplomatic and foreign: province + NG / NN / QT / CV + 3-digit country or organisation code + 2-digit
  serial: "80NG-123-45";
- motorbikes: province + a letter and a digit + 4 or 5 digits: "29-B1 1234", "59-X1 123.45" (typed
  "59X2-123.45" too); electric motorbikes MĐ + a digit: "29-MĐ1 123.45"; mopeds under 50 cm³ two
  letters: "29-AA 123.45";
- military (no province): two letters + 4 digits: "TM-12-34", "KA-12-34".

A stored car plate of one letter and 5 digits ("51C12345") reads the same as a motorbike's letter-digit
series with 4 digits ("51-C1 2345"): ``plate_display(stored, vehicle_type="motorbike")`` picks the
motorbike reading; without it the car reading is shown.  Both normalise back to the same stored form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from chongdich.movement.rules.errors import InputError

# Province codes of civil plates [R] (Thông tư 58/2020/TT-BCA, appendix 2); 80 = central agencies and
# the diplomatic corps.  Unassigned: 13, 42, 44, 45, 46, 87, 91, 96.
PROVINCE_CODES: dict[str, str] = {
    "11": "Cao Bằng",
    "12": "Lạng Sơn",
    "14": "Quảng Ninh",
    "15": "Hải Phòng",
    "16": "Hải Phòng",
    "17": "Thái Bình",
    "18": "Nam Định",
    "19": "Phú Thọ",
    "20": "Thái Nguyên",
    "21": "Yên Bái",
    "22": "Tuyên Quang",
    "23": "Hà Giang",
    "24": "Lào Cai",
    "25": "Lai Châu",
    "26": "Sơn La",
    "27": "Điện Biên",
    "28": "Hòa Bình",
    "29": "Hà Nội",
    "30": "Hà Nội",
    "31": "Hà Nội",
    "32": "Hà Nội",
    "33": "Hà Nội",
    "34": "Hải Dương",
    "35": "Ninh Bình",
    "36": "Thanh Hóa",
    "37": "Nghệ An",
    "38": "Hà Tĩnh",
    "39": "Đồng Nai",
    "40": "Hà Nội",
    "41": "TP Hồ Chí Minh",
    "43": "Đà Nẵng",
    "47": "Đắk Lắk",
    "48": "Đắk Nông",
    "49": "Lâm Đồng",
    "50": "TP Hồ Chí Minh",
    "51": "TP Hồ Chí Minh",
    "52": "TP Hồ Chí Minh",
    "53": "TP Hồ Chí Minh",
    "54": "TP Hồ Chí Minh",
    "55": "TP Hồ Chí Minh",
    "56": "TP Hồ Chí Minh",
    "57": "TP Hồ Chí Minh",
    "58": "TP Hồ Chí Minh",
    "59": "TP Hồ Chí Minh",
    "60": "Đồng Nai",
    "61": "Bình Dương",
    "62": "Long An",
    "63": "Tiền Giang",
    "64": "Vĩnh Long",
    "65": "Cần Thơ",
    "66": "Đồng Tháp",
    "67": "An Giang",
    "68": "Kiên Giang",
    "69": "Cà Mau",
    "70": "Tây Ninh",
    "71": "Bến Tre",
    "72": "Bà Rịa - Vũng Tàu",
    "73": "Quảng Bình",
    "74": "Quảng Trị",
    "75": "Thừa Thiên Huế",
    "76": "Quảng Ngãi",
    "77": "Bình Định",
    "78": "Phú Yên",
    "79": "Khánh Hòa",
    "80": "Cơ quan Trung ương",
    "81": "Gia Lai",
    "82": "Kon Tum",
    "83": "Sóc Trăng",
    "84": "Trà Vinh",
    "85": "Ninh Thuận",
    "86": "Bình Thuận",
    "88": "Vĩnh Phúc",
    "89": "Hưng Yên",
    "90": "Hà Nam",
    "92": "Quảng Nam",
    "93": "Bình Phước",
    "94": "Bạc Liêu",
    "95": "Hậu Giang",
    "97": "Bắc Kạn",
    "98": "Bắc Giang",
    "99": "Bắc Ninh",
}

# Letters of civil series [R]: I, J, O, Q and W are not used (I/O read as 1/0).
SERIES_LETTERS = frozenset("ABCDEFGHKLMNPRSTUVXYZ")
TRAILER_LETTER = "R"
# Two-letter car series [R] (stored with Đ folded: TD = TĐ).
CAR_SERIES = frozenset({"LD", "KT", "HC", "TD", "MK", "DA", "LA", "LB"})
# Diplomatic and foreign series: a 3-digit country or organisation code and a 2-digit serial [R].
FOREIGN_SERIES = frozenset({"NG", "NN", "QT", "CV"})
ELECTRIC_SERIES = "MD"  # MĐ + a digit: electric motorbikes [R]
# Stored series shown with Đ.
WITH_D_BAR = {"TD": "TĐ", "MD": "MĐ"}

MAX_INPUT = 40
SEPARATORS = re.compile(r"[\s.\-_·–—/\u200b-\u200d\u2060\ufeff]+")  # zero-width ones pasted from chats
ALLOWED = re.compile(r"[0-9A-Z]*")
MILITARY = re.compile(r"([A-Z]{2})([0-9]{4})")
CIVIL = re.compile(r"([0-9]{2})([A-Z]{1,2})([0-9]{4,6})")

CAR, MOTORBIKE, MOPED, ELECTRIC, TRAILER, MILITARY_KIND, DIPLOMATIC = (
    "car",
    "motorbike",
    "moped",
    "electric_motorbike",
    "trailer",
    "military",
    "diplomatic",
)
KINDS = (CAR, MOTORBIKE, MOPED, ELECTRIC, TRAILER, MILITARY_KIND, DIPLOMATIC)
MOTORBIKE_TYPES = frozenset({"motorbike"})  # vehicle types (movement.models.VehicleType) read as two-wheelers


@dataclass(frozen=True)
class Plate:
    stored: str  # "51C12345"
    display: str  # "51C-123.45"
    kind: str  # one of KINDS
    province: str  # "51" ("" for military)
    series: str  # as displayed: "C", "X1", "MĐ1", "LD", "NG", "TM"
    number: str  # digits: "12345"


def _compact(text: object) -> str:
    if not isinstance(text, str):
        raise InputError("plate", "plate_empty" if text is None else "plate_characters")
    if len(text) > MAX_INPUT:
        raise InputError("plate", "plate_too_long", max=MAX_INPUT)
    folded = unicodedata.normalize("NFKC", text).upper()
    folded = folded.replace("Đ", "D").replace("Ð", "D")  # Đ (U+0110) and Ð (U+00D0) read as D
    compact = SEPARATORS.sub("", folded)
    if not compact:
        raise InputError("plate", "plate_empty")
    if not ALLOWED.fullmatch(compact):
        raise InputError("plate", "plate_characters")
    return compact


def _number(digits: str, five: str = "dots") -> str:
    if len(digits) == 5:
        return f"{digits[:3]}.{digits[3:]}" if five == "dots" else f"{digits[:3]}-{digits[3:]}"
    return digits


def parse_plate(text: object, vehicle_type: str = "") -> Plate:
    """The plate in ``text`` (any case, spaces, dots, dashes; Đ or D), or ``InputError`` (field "plate")."""
    compact = _compact(text)
    military = MILITARY.fullmatch(compact)
    if military:
        letters, digits = military.groups()
        return Plate(compact, f"{letters}-{digits[:2]}-{digits[2:]}", MILITARY_KIND, "", letters, digits)
    civil = CIVIL.fullmatch(compact)
    if not civil:
        raise InputError("plate", "plate_format")
    province, letters, digits = civil.groups()
    if province not in PROVINCE_CODES:
        raise InputError("plate", "plate_province", province=province)
    if letters not in FOREIGN_SERIES and any(letter not in SERIES_LETTERS for letter in letters):
        raise InputError("plate", "plate_series", series=WITH_D_BAR.get(letters, letters))
    shown = WITH_D_BAR.get(letters, letters)
    two_wheeler = vehicle_type in MOTORBIKE_TYPES
    if len(letters) == 2 and letters in FOREIGN_SERIES:
        if len(digits) != 5:
            raise InputError("plate", "plate_format")
        kind, series, number = DIPLOMATIC, shown, digits
        display = f"{province}{series}-{_number(number, 'dash')}"
    elif letters == ELECTRIC_SERIES and len(digits) in (5, 6):
        kind, series, number = ELECTRIC, shown + digits[0], digits[1:]
        display = f"{province}-{series} {_number(number)}"
    elif len(letters) == 2 and letters in CAR_SERIES:
        if len(digits) == 6:
            raise InputError("plate", "plate_format")
        kind, series, number = CAR, shown, digits
        display = f"{province}{series}-{_number(number)}"
    elif len(letters) == 2:
        if len(digits) == 6:
            raise InputError("plate", "plate_format")
        kind, series, number = MOPED, shown, digits
        display = f"{province}-{series} {_number(number)}"
    elif len(digits) == 6 or (len(digits) == 5 and two_wheeler):
        kind, series, number = MOTORBIKE, shown + digits[0], digits[1:]
        display = f"{province}-{series} {_number(number)}"
    else:
        kind = TRAILER if letters == TRAILER_LETTER else CAR
        series, number = shown, digits
        display = f"{province}{series}-{_number(number)}"
    if not number.strip("0"):
        raise InputError("plate", "plate_number_zero")
    return Plate(compact, display, kind, province, series, number)


def normalise_plate(text: object) -> str:
    """The stored form: "51C-123.45" -> "51C12345", "29mđ1 123.45" -> "29MD112345"; ``InputError``."""
    return parse_plate(text).stored


def plate_display(text: object, vehicle_type: str = "") -> str:
    """The display form of a stored (or typed) plate: "51C12345" -> "51C-123.45"; ``InputError``."""
    return parse_plate(text, vehicle_type).display
