"""build_declaration: the row the form and the API share, and its refusals per field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from chongdich.core import clock
from chongdich.movement.actions.declarations import (
    RECEIPT_ALPHABET,
    build_declaration,
    do_declare,
    normalise_receipt,
)
from chongdich.movement.models import Declaration

pytestmark = pytest.mark.django_db


def data(**changes):
    base = {
        "full_name": "Nguyễn Văn An",
        "birth_year": 1990,
        "sex": "male",
        "phone": "0912 345 678",
        "commune_code": "25228",
        "village": "25228-01",
        "symptoms": [],
        "exposures": [],
    }
    return {**base, **changes}


def test_a_good_declaration_is_placed_in_its_village(world):
    row = build_declaration(data(symptoms=["fever"]), received_at=clock.now(), language="vi")
    assert row.unit == world.village and row.commune_code == "25228" and row.unit_path == world.village.path
    assert row.phone == "+84912345678" and row.symptomatic and row.pk is None
    assert len(row.receipt) == 10 and set(row.receipt) <= set(RECEIPT_ALPHABET)
    assert row.day == clock.today()


def test_without_a_village_the_commune_holds_it(world):
    row = build_declaration(data(village=""), received_at=clock.now(), language="en")
    assert row.unit == world.commune and row.language == "en"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"full_name": ""}, "full_name"),
        ({"birth_year": 1800}, "birth_year"),
        ({"birth_year": "abc"}, "birth_year"),
        ({"birth_year": None}, "birth_year"),
        ({"sex": "x"}, "sex"),
        ({"phone": "12345"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"cccd": "123"}, "cccd"),
        ({"commune_code": "99999"}, "commune_code"),
        ({"commune_code": "691"}, "commune_code"),  # a district is not a commune
        ({"village": "25229-01"}, "village"),  # a village of another commune
        ({"arrived_from_commune_code": "nowhere"}, "arrived_from_commune_code"),
        ({"arrived_on": "2019-01-01"}, "arrived_on"),
        ({"arrived_on": "not a date"}, "arrived_on"),
        ({"transport": "rocket"}, "transport"),
        ({"symptoms": ["zombie"]}, "symptoms"),
        ({"symptoms": "x" * 30}, "symptoms"),
        ({"exposures": [1, 2]}, "exposures"),
        ({"full_name": "a" * 200}, "full_name"),
        ({"client_id": 5}, "client_id"),
    ],
)
def test_refusals_name_the_field(world, changes, field):
    with pytest.raises(ValidationError) as caught:
        build_declaration(data(**changes), received_at=clock.now(), language="vi")
    assert field in caught.value.error_dict


def test_every_wrong_field_is_named_at_once(world):
    with pytest.raises(ValidationError) as caught:
        build_declaration(data(full_name="", phone="1", sex=""), received_at=clock.now(), language="vi")
    assert {"full_name", "phone", "sex"} <= set(caught.value.error_dict)


def test_cccd_must_agree_with_sex_and_year(world):
    from tests.conftest import valid_cccd

    good = valid_cccd("M", 1990)
    assert build_declaration(data(cccd=good), received_at=clock.now(), language="vi").cccd == good
    with pytest.raises(ValidationError) as caught:
        build_declaration(data(cccd=good, birth_year=1985), received_at=clock.now(), language="vi")
    assert "cccd" in caught.value.error_dict


def test_origin_commune_or_words(world):
    row = build_declaration(
        data(arrived_from_commune_code="26734", arrived_on=clock.today() - timedelta(days=2), transport="coach"),
        received_at=clock.now(),
        language="vi",
    )
    assert row.arrived_from_commune_code == "26734" and row.arrived_from_text == ""
    abroad = build_declaration(data(arrived_from_text="Hàn Quốc"), received_at=clock.now(), language="vi")
    assert abroad.arrived_from_text == "Hàn Quốc" and abroad.arrived_from_commune_code == ""


def test_do_declare_saves_once_per_client_id(world, tally):
    first = do_declare(None, data(), "c-1", "vi")
    again = do_declare(None, data(full_name="Someone Else"), "c-1", "vi")
    assert not first.replayed and again.replayed
    assert again.record.receipt == first.record.receipt
    assert Declaration.objects.count() == 1


def test_receipts_are_read_back_forgivingly():
    assert normalise_receipt(" abcd-efgh-jk ") == "ABCDEFGHJK"
    assert normalise_receipt("o1l1o1l1o1") == "0111011101"
    assert normalise_receipt("short") == ""
    assert normalise_receipt("ABCDEFGHJU") == ""  # U is not in the alphabet
