"""The declaration's symptoms (the MoH 14-day list) and exposures: codes never change, names in both
languages; cleaning keeps each code once in catalogue order and refuses unknown ones."""

from __future__ import annotations

import pytest

from chongdich.movement.rules import (
    EXPOSURES,
    SYMPTOMS,
    InputError,
    clean_exposures,
    clean_symptoms,
    exposure_name,
    is_symptomatic,
    reason_text,
    symptom_name,
)


def test_the_symptoms_of_the_declaration():
    assert [c.code for c in SYMPTOMS] == [
        "fever",
        "cough",
        "dyspnoea",
        "sore_throat",
        "taste_smell",
        "fatigue",
        "myalgia",
        "headache",
        "diarrhoea",
        "runny_nose",
        "chest_pain",
    ]
    assert [c.code for c in EXPOSURES] == ["contact_case", "contact_suspect", "epidemic_area", "case_place", "abroad"]
    for code in (*SYMPTOMS, *EXPOSURES):
        assert code.name_vi and code.name_en and code.name_vi != code.name_en
        assert code.name("vi") == code.name_vi and code.name("en-US") == code.name_en
    assert symptom_name("fever") == "Sốt" and exposure_name("abroad", "en") == "Arrived from abroad"
    assert symptom_name("unknown") == "unknown"


@pytest.mark.parametrize(
    ("codes", "symptomatic"),
    [
        ([], False),
        (None, False),
        (["fever"], True),
        (("cough", "fever"), True),
        (["contact_case"], False),  # an exposure is not a symptom
        (["no_such"], False),
        ({"taste_smell"}, True),
    ],
)
def test_is_symptomatic(codes, symptomatic):
    assert is_symptomatic(codes) is symptomatic


def test_clean_keeps_each_code_once_in_catalogue_order():
    assert clean_symptoms(["cough", "fever", "cough"]) == ("fever", "cough")
    assert clean_exposures(("abroad", "contact_case")) == ("contact_case", "abroad")
    assert clean_symptoms(None) == () and clean_symptoms([]) == ()


@pytest.mark.parametrize(
    ("codes", "code"),
    [
        ("fever", "codes_not_list"),
        (b"fever", "codes_not_list"),
        (42, "codes_not_list"),
        (["fever", "sneezing"], "code_unknown"),
        ([1], "code_unknown"),
        ([None], "code_unknown"),
        (["contact_case"], "code_unknown"),
        (["fever"] * 51, "codes_too_many"),
    ],
)
def test_clean_refuses_with_a_code(codes, code):
    with pytest.raises(InputError) as raised:
        clean_symptoms(codes)
    assert (raised.value.field, raised.value.code) == ("symptoms", code)
    assert "{" not in raised.value.text("vi") and reason_text(code, "en") != code
