"""Default warning signs for the twice-daily health record of home-treated F0 (spec §4.3:
"report any of 11 warning signs", QĐ 261/QĐ-BYT, 31/1/2022).

The spec gives the count (11) [V] but not the items.  Items 1–11 below follow a public copy of
the home-care warning list (arcmmp.com, "Những dấu hiệu F0 điều trị tại nhà cần được cấp cứu
kịp thời") that matches the recalled QĐ 261 text: [V~] — second-hand and not checked against the
decision.  Two further signs are not in the 11 and are marked [R]: fast breathing of infants
under 1 year (WHO IMCI threshold) and persistent high fever.  Before QĐ 261 the RR and SpO2
thresholds are the QĐ 4038-era values (RR > 20, SpO2 < 96) [R], which also mirror the 4038
eligibility bounds (RR ≤ 20, SpO2 ≥ 96).

Each sign: ``code``, ``number`` (1–11 in the QĐ 261 list, ``None`` for extra signs), short
``vi``/``en`` names, a longer ``note_vi``/``note_en``, ``confidence`` and ``when``: a list of
conditions, any of which raises the sign:

- ``{"symptoms": [codes], "age_below": 12}`` — any listed symptom (``age_below`` optional: only
  for children; an unknown age counts as adult [D]);
- ``{"measure": "spo2", "at_most": 96, "age_from": 5, "age_below": 12}`` — a measurement beyond
  a bound (age bounds optional);
- ``{"fever": {"at_least": 38.5}, "more_than_hours": 48}`` — temperature at or above the bound
  for longer than the given hours.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from chongdich.care.rules.keys import MONITORING_KEY
from chongdich.core.versioning import RuleVersion

_EPIDEMIC_START = date(2020, 1, 1)
_D_4038 = date(2021, 8, 21)
_D_261 = date(2022, 1, 31)

ADULT_AGE = 12  # "trẻ em" in the RR sign means under 12; from 12 the adult threshold applies [D]


def _sign(
    code: str,
    number: int | None,
    vi: str,
    en: str,
    when: list[dict[str, Any]],
    confidence: str = "V~",
    note_vi: str = "",
    note_en: str = "",
) -> dict[str, Any]:
    return {
        "code": code,
        "number": number,
        "vi": vi,
        "en": en,
        "note_vi": note_vi or vi,
        "note_en": note_en or en,
        "confidence": confidence,
        "when": when,
    }


def _rr(adult: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"measure": "respiratory_rate", "at_least": 50, "age_below": 1},
        {"measure": "respiratory_rate", "at_least": 40, "age_from": 1, "age_below": 5},
        {"measure": "respiratory_rate", "at_least": 30, "age_from": 5, "age_below": ADULT_AGE},
        {"measure": "respiratory_rate", **adult, "age_from": ADULT_AGE},
    ]


SIGNS_261 = [
    _sign(
        "breathing_difficulty",
        1,
        "Khó thở, thở hụt hơi hoặc thở bất thường",
        "Shortness of breath or abnormal breathing",
        [{"symptoms": ["dyspnoea", "abnormal_breathing"]}],
        note_vi="Khó thở, thở hụt hơi, hoặc ở trẻ em có dấu hiệu thở bất thường: thở rên, rút lõm lồng ngực, "
        "phập phồng cánh mũi, khò khè, thở rít thì hít vào",
        note_en="Shortness of breath or breathlessness; in children abnormal breathing: grunting, chest "
        "indrawing, nasal flaring, wheezing, inspiratory stridor",
    ),
    _sign(
        "fast_breathing",
        2,
        "Nhịp thở tăng",
        "Fast breathing",
        _rr({"at_least": 20}),
        note_vi="Nhịp thở tăng theo tuổi (người lớn; trẻ từ 1 đến dưới 5 tuổi; trẻ từ 5 đến dưới 12 tuổi). "
        "Ở trẻ em đếm đủ nhịp thở trong 1 phút khi trẻ nằm yên không khóc. Ngưỡng cho trẻ dưới "
        "1 tuổi (≥ 50 lần/phút) theo IMCI của WHO, không có trong QĐ 261 [R]",
        note_en="Breathing rate raised for age (adults; children 1 to under 5; 5 to under 12). Count a "
        "full minute while the child lies quietly. The under-1 threshold (≥ 50/min) is WHO IMCI, "
        "not in QĐ 261 [R]",
    ),
    _sign(
        "low_spo2",
        3,
        "SpO2 giảm",
        "Low SpO2",
        [{"measure": "spo2", "at_most": 96}],
        note_vi="SpO2 thấp (nếu có máy đo). Khi chỉ số bất thường, đo lại lần 2 sau 30 giây đến 1 phút, "
        "giữ yên vị trí đo",
        note_en="Low SpO2 (if a pulse oximeter is available). Re-measure after 30 s to 1 min, keeping the finger still",
    ),
    _sign(
        "abnormal_pulse",
        4,
        "Mạch nhanh hoặc chậm",
        "Fast or slow pulse",
        [{"measure": "pulse", "more_than": 120}, {"measure": "pulse", "less_than": 50}],
    ),
    _sign(
        "low_blood_pressure",
        5,
        "Huyết áp thấp",
        "Low blood pressure",
        [{"measure": "systolic_bp", "less_than": 90}, {"measure": "diastolic_bp", "less_than": 60}],
        note_vi="Huyết áp thấp: tối đa hoặc tối thiểu dưới ngưỡng (nếu có thể đo)",
        note_en="Low blood pressure: systolic or diastolic below the threshold (if it can be measured)",
    ),
    _sign(
        "chest_pain",
        6,
        "Đau tức ngực",
        "Chest pain or tightness",
        [{"symptoms": ["chest_pain"]}],
        note_vi="Đau tức ngực thường xuyên, cảm giác bó thắt ngực, đau tăng khi hít sâu",
        note_en="Persistent chest pain, tightness, pain worse on deep breathing",
    ),
    _sign(
        "altered_consciousness",
        7,
        "Thay đổi ý thức",
        "Altered consciousness",
        [{"symptoms": ["altered_consciousness", "seizure"]}],
        note_vi="Lú lẫn, ngủ rũ, lơ mơ, rất mệt/mệt lả, trẻ quấy khóc, li bì khó đánh thức, co giật",
        note_en="Confusion, drowsiness, stupor, extreme exhaustion; in children fussiness, lethargy, hard "
        "to wake, seizures",
    ),
    _sign(
        "cyanosis",
        8,
        "Tím tái, da xanh, lạnh đầu chi",
        "Cyanosis, pallor, cold extremities",
        [{"symptoms": ["cyanosis"]}],
        note_vi="Tím môi, tím đầu móng tay, móng chân, da xanh, môi nhợt, lạnh đầu ngón tay, ngón chân",
        note_en="Bluish lips, fingernails or toenails, pale skin or lips, cold fingers or toes",
    ),
    _sign(
        "child_feeding_or_mis_c",
        9,
        "Trẻ không uống được, bú kém, nôn; dấu hiệu viêm đa hệ thống",
        "Child unable to drink, feeding poorly, vomiting; signs of multisystem inflammation",
        [
            {"symptoms": ["unable_to_drink", "poor_feeding", "mis_c_signs"]},
            {"symptoms": ["vomiting"], "age_below": ADULT_AGE},
        ],
        note_vi="Không thể uống hoặc bú kém/giảm, ăn kém, nôn (ở trẻ em). Trẻ có biểu hiện hội chứng viêm đa "
        "hệ thống: sốt cao, đỏ mắt, môi đỏ, lưỡi dâu tây, ngón tay chân sưng phù nổi hồng ban",
        note_en="Unable to drink, poor breastfeeding or eating, vomiting (children). Signs of multisystem "
        "inflammatory syndrome: high fever, red eyes, red lips, strawberry tongue, swollen hands "
        "and feet with rash",
    ),
    _sign(
        "acute_illness",
        10,
        "Mắc thêm bệnh cấp tính",
        "Another acute illness",
        [{"symptoms": ["acute_illness"]}],
        note_vi="Mắc thêm bệnh cấp tính: sốt xuất huyết, tay chân miệng…",
        note_en="Another acute illness: dengue, hand-foot-and-mouth disease…",
    ),
    _sign(
        "other_concern",
        11,
        "Tình trạng bất ổn khác cần báo",
        "Any other concern to report",
        [{"symptoms": ["other_concern"]}],
        note_vi="Bất kỳ tình trạng bất ổn nào của người mắc COVID-19 mà thấy cần báo cơ sở y tế",
        note_en="Any other condition the patient feels should be reported to the health facility",
    ),
    _sign(
        "persistent_fever",
        None,
        "Sốt cao kéo dài",
        "Persistent high fever",
        [{"fever": {"at_least": 38.5}, "more_than_hours": 48}],
        confidence="R",
        note_vi="Sốt cao kéo dài, không thuộc danh sách 11 dấu hiệu của QĐ 261 [R]",
        note_en="Persistent high fever; not in the QĐ 261 list of 11 [R]",
    ),
]


def _with_4038_thresholds(signs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = copy.deepcopy(signs)
    for sign in result:
        if sign["code"] == "fast_breathing":
            sign["when"] = _rr({"more_than": 20})
            sign["confidence"] = "R"
        elif sign["code"] == "low_spo2":
            sign["when"] = [{"measure": "spo2", "less_than": 96}]
            sign["confidence"] = "R"
    return result


SIGNS_4038 = _with_4038_thresholds(SIGNS_261)

_SOURCE_261 = (
    "QĐ 261/QĐ-BYT 31/1/2022 (spec §4.3): twice-daily record of RR, pulse, temperature, SpO2, BP "
    "if possible; 11 warning signs [V count]; items and thresholds (adult RR ≥ 20, child 1–<5 ≥ "
    "40, 5–<12 ≥ 30, SpO2 ≤ 96, pulse > 120 or < 50, BP < 90/60) [V~: arcmmp.com copy, matches "
    "recall]; infant RR ≥ 50 [R: WHO IMCI]; fever ≥ 38.5 °C > 48 h [R, extra]; unknown age = adult "
    "[D]; child = under 12 [D]"
)
MONITORING_VERSIONS = [
    RuleVersion(
        MONITORING_KEY,
        "Dấu hiệu cảnh báo (trước QĐ 4038)",
        _EPIDEMIC_START,
        _D_4038,
        {"signs": SIGNS_4038, "required_measures": ["respiratory_rate", "pulse", "temperature_c", "spo2"]},
        source="[D] no home-care monitoring before QĐ 4038; the 4038-era list is used for any earlier "
        "record; thresholds RR > 20, SpO2 < 96 [R]; other items as QĐ 261 [V~]",
    ),
    RuleVersion(
        MONITORING_KEY,
        "Dấu hiệu cảnh báo QĐ 4038/QĐ-BYT",
        _D_4038,
        _D_261,
        {"signs": SIGNS_4038, "required_measures": ["respiratory_rate", "pulse", "temperature_c", "spo2"]},
        source="QĐ 4038/QĐ-BYT 21/8/2021: twice-daily health record [V~: vietnamplus.vn]; the 4038 list is "
        "not in the spec: QĐ 261 items reused [D] with thresholds RR > 20 and SpO2 < 96 [R]",
    ),
    RuleVersion(
        MONITORING_KEY,
        "Dấu hiệu cảnh báo QĐ 261/QĐ-BYT",
        _D_261,
        None,
        {"signs": SIGNS_261, "required_measures": ["respiratory_rate", "pulse", "temperature_c", "spo2"]},
        source=_SOURCE_261,
    ),
]
