"""Vietnamese number plates: every format of the brief is read, stored without separators in upper case
(Đ folded to D) and shown again in its own layout; bad input is refused with a code saying why."""

from __future__ import annotations

import pytest

from chongdich.movement.rules import (
    PROVINCE_CODES,
    InputError,
    normalise_plate,
    parse_plate,
    plate_display,
    reason_text,
)

CASES = [
    # typed, stored, display, kind
    ("51C-123.45", "51C12345", "51C-123.45", "car"),
    ("29A-12345", "29A12345", "29A-123.45", "car"),
    ("29A-1234", "29A1234", "29A-1234", "car"),
    ("30LD-123.45", "30LD12345", "30LD-123.45", "car"),
    ("51KT-123.45", "51KT12345", "51KT-123.45", "car"),
    ("29HC 12345", "29HC12345", "29HC-123.45", "car"),
    ("30TĐ-123.45", "30TD12345", "30TĐ-123.45", "car"),
    ("30td12345", "30TD12345", "30TĐ-123.45", "car"),
    ("60MK-012.34", "60MK01234", "60MK-012.34", "car"),
    ("59-X1 123.45", "59X112345", "59-X1 123.45", "motorbike"),
    ("29-B1 12345", "29B112345", "29-B1 123.45", "motorbike"),
    ("59X2-123.45", "59X212345", "59-X2 123.45", "motorbike"),
    ("59 x2 12345", "59X212345", "59-X2 123.45", "motorbike"),
    ("29MĐ1-123.45", "29MD112345", "29-MĐ1 123.45", "electric_motorbike"),
    ("29-mđ1 123.45", "29MD112345", "29-MĐ1 123.45", "electric_motorbike"),
    ("29MD1-123.45", "29MD112345", "29-MĐ1 123.45", "electric_motorbike"),
    ("29-AA 123.45", "29AA12345", "29-AA 123.45", "moped"),
    ("51R-123.45", "51R12345", "51R-123.45", "trailer"),
    ("TM-12-34", "TM1234", "TM-12-34", "military"),
    ("KA-12-34", "KA1234", "KA-12-34", "military"),
    ("ka 1234", "KA1234", "KA-12-34", "military"),
    ("80NG-123-45", "80NG12345", "80NG-123-45", "diplomatic"),
    ("80 nn 123 45", "80NN12345", "80NN-123-45", "diplomatic"),
    ("41QT-001-02", "41QT00102", "41QT-001-02", "diplomatic"),
    ("  51c – 123·45 ", "51C12345", "51C-123.45", "car"),
    ("５１Ｃ－１２３．４５", "51C12345", "51C-123.45", "car"),  # full-width, from some phone keyboards
    ("51Ð-123.45", "51D12345", "51D-123.45", "car"),
    (
        "\ufeff51C\u200b-123.45\u00a0",
        "51C12345",
        "51C-123.45",
        "car",
    ),  # pasted with invisible characters  # Ð (Icelandic eth) read as Đ, folded to D
]


@pytest.mark.parametrize(("typed", "stored", "display", "kind"), CASES)
def test_formats(typed, stored, display, kind):
    plate = parse_plate(typed)
    assert (plate.stored, plate.display, plate.kind) == (stored, display, kind)
    assert normalise_plate(typed) == stored
    assert plate_display(stored) == display
    assert normalise_plate(display) == stored
    assert len(stored) <= 12  # Passage.plate, GreenCard.plate, Trip.plate


@pytest.mark.parametrize(
    ("stored", "vehicle_type", "display"),
    [
        ("51C12345", "", "51C-123.45"),
        ("51C12345", "car", "51C-123.45"),
        ("51C12345", "motorbike", "51-C1 2345"),  # the old 4-digit motorbike plate
        ("59X112345", "car", "59-X1 123.45"),  # six digits: only a motorbike
        ("29A1234", "motorbike", "29A-1234"),
    ],
)
def test_the_vehicle_type_settles_the_one_ambiguous_reading(stored, vehicle_type, display):
    assert plate_display(stored, vehicle_type) == display
    assert normalise_plate(display) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "plate_empty"),
        ("  . - ", "plate_empty"),
        (None, "plate_empty"),
        (51, "plate_characters"),
        ("x" * 41, "plate_too_long"),
        ("51C-123,45", "plate_characters"),
        ("51Ư-123.45", "plate_characters"),
        ("51C-123.45'; drop table", "plate_characters"),
        ("51C", "plate_format"),
        ("51C-123", "plate_format"),
        ("51C-1234567", "plate_format"),
        ("5C-123.45", "plate_format"),
        ("C51-123.45", "plate_format"),
        ("T-12-34", "plate_format"),
        ("TM-123-45", "plate_format"),
        ("80NG-1234", "plate_format"),
        ("30LD-123456", "plate_format"),
        ("13A-123.45", "plate_province"),
        ("00A-123.45", "plate_province"),
        ("10A-123.45", "plate_province"),
        ("51I-123.45", "plate_series"),
        ("51O-123.45", "plate_series"),
        ("51W-123.45", "plate_series"),
        ("51C-000.00", "plate_number_zero"),
    ],
)
def test_refusals_say_why(typed, code):
    with pytest.raises(InputError) as raised:
        normalise_plate(typed)
    assert (raised.value.field, raised.value.code) == ("plate", code)
    assert reason_text(code, "vi") != code and reason_text(code, "en") != code
    assert "{" not in raised.value.text("vi") and "{" not in raised.value.text("en")


def test_province_codes():
    """11–99 without the unassigned ones [R]; 80 is the central agencies' (and the diplomatic corps')."""
    assert set(PROVINCE_CODES) == {f"{n}" for n in range(11, 100)} - {"13", "42", "44", "45", "46", "87", "91", "96"}
    assert PROVINCE_CODES["29"] == PROVINCE_CODES["30"] == "Hà Nội"
    assert PROVINCE_CODES["51"] == "TP Hồ Chí Minh"
    assert PROVINCE_CODES["80"] == "Cơ quan Trung ương"
