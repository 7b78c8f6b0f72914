"""Pre-vaccination screening: the checklist in force (QĐ 1464, 2995, 5002), four outcomes, the most
severe wins, measurements out of range, strict answers, QUESTIONS for forms, province overrides."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.vaccination.rules import (
    QUESTIONS,
    SCREENING_KEY,
    InputError,
    ScreeningOutcome,
    default_config,
    questions,
    screen,
    vitals,
)

NOV = date(2021, 11, 1)
JULY = date(2021, 7, 1)


def answers(on=NOV, **yes):
    base = {q.code: False for q in questions(None, on)}
    base.update(yes)
    return base


def test_questions_are_renderable_and_lead_somewhere():
    assert QUESTIONS == questions(None, NOV)
    assert [q.number for q in QUESTIONS] == sorted(q.number for q in QUESTIONS)
    for q in QUESTIONS:
        assert q.code and q.vi and q.en and q.yes in {"caution", "postpone", "contraindicated"}
    outcomes = {q.yes for q in QUESTIONS}
    assert outcomes == {"caution", "postpone", "contraindicated"}


def test_all_no_is_eligible():
    result = screen(answers(), None, NOV)
    assert result.outcome is ScreeningOutcome.ELIGIBLE and result.outcome == "eligible"
    assert result.reasons == () and result.instrument.startswith("QĐ 5002")


@pytest.mark.parametrize(
    ("yes", "outcome"),
    [
        ({"anaphylaxis_covid_vaccine": True}, "contraindicated"),
        ({"acute_illness": True}, "postpone"),
        ({"bleeding_disorder": True}, "caution"),
        ({"pregnant_13_weeks_plus": True}, "caution"),
        ({"pregnant": True}, "postpone"),
        ({"bleeding_disorder": True, "acute_illness": True}, "postpone"),
        ({"bleeding_disorder": True, "acute_illness": True, "anaphylaxis_covid_vaccine": True}, "contraindicated"),
    ],
)
def test_the_most_severe_outcome_wins(yes, outcome):
    result = screen(answers(**yes), None, NOV)
    assert result.outcome == outcome
    assert set(result.reasons) == set(yes)
    assert result.details[0][1] == outcome  # most severe first


@pytest.mark.parametrize(
    ("measure", "outcome"),
    [
        ({"temperature": 37.4}, "eligible"),
        ({"temperature": 37.5}, "postpone"),
        ({"pulse": 100}, "eligible"),
        ({"pulse": 101}, "postpone"),
        ({"pulse": 59}, "postpone"),
        ({"systolic": 140, "diastolic": 90}, "eligible"),
        ({"systolic": 141}, "postpone"),
        ({"spo2": 94}, "eligible"),
        ({"spo2": 93}, "postpone"),
        ({"temperature": None}, "eligible"),
    ],
)
def test_measurements(measure, outcome):
    assert screen({**answers(), **measure}, None, NOV).outcome == outcome


def test_versions_differ_on_age_and_chronic_disease():
    july = screen(answers(JULY, age_65_plus=True), None, JULY)
    assert july.outcome == "caution" and july.instrument.startswith("QĐ 2995")
    with pytest.raises(InputError, match="age_65_plus"):
        screen(answers(NOV, age_65_plus=True), None, NOV)  # no longer asked under QĐ 5002
    assert screen(answers(JULY, chronic_disease=True), None, JULY).outcome == "caution"
    assert screen(answers(NOV, chronic_disease=True), None, NOV).outcome == "postpone"  # not under control


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"acute_illness": "yes"}, "acute_illness"),
        ({"acute_illness": None}, "acute_illness"),
        ({"temperature": "38"}, "temperature"),
        ({"temperature": -1}, "temperature"),
        ({"weight": 60}, "weight"),
    ],
)
def test_bad_answers_name_the_field(given, field):
    with pytest.raises(InputError) as raised:
        screen({**answers(), **given}, None, NOV)
    assert raised.value.field == field


def test_an_unanswered_question_is_an_error_not_a_pass():
    partial = answers()
    del partial["pregnant"]
    with pytest.raises(InputError, match="pregnant"):
        screen(partial, None, NOV)
    with pytest.raises(InputError):
        screen(answers(), None, None)
    with pytest.raises(InputError):
        screen([], None, NOV)


def test_province_adds_a_question():
    override = RuleVersion(
        SCREENING_KEY,
        "Tỉnh 70",
        date(2021, 10, 29),
        None,
        {
            "questions": {
                "travel_recent": {
                    "number": 30,
                    "vi": "Vừa đi về từ vùng cấp 4",
                    "en": "Back from a level-4 area",
                    "yes": "postpone",
                }
            }
        },
        province="70",
        source="[D]",
    )
    cfg = default_config().with_versions([override])
    codes = [q.code for q in questions(cfg, NOV, "70")]
    assert codes[-1] == "travel_recent"
    result = screen({**answers(), "travel_recent": True}, cfg, NOV, province="70")
    assert result.outcome == "postpone" and "Tỉnh 70" in result.rule_version
    assert result.texts(cfg, NOV)[0] == "travel_recent"  # not in the national list: the code
    assert result.to_dict()["outcome"] == "postpone"


def test_reason_texts():
    result = screen({**answers(acute_illness=True), "spo2": 90}, None, NOV)
    assert result.texts(lang="en") == ["Acute illness, or a chronic disease in progression", "SpO2 < 94%"]
    assert {v.code for v in vitals()} == {"temperature", "pulse", "systolic", "diastolic", "spo2"}
