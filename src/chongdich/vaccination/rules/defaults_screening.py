"""Default pre-vaccination screening checklists (khám sàng lọc trước tiêm chủng vắc xin phòng
COVID-19, adults): QĐ 1464/QĐ-BYT (5/3/2021), QĐ 2995/QĐ-BYT (18/6/2021), QĐ 5002/QĐ-BYT
(29/10/2021).  Every item is recalled [R]: the instruments' numbers and dates come from issue 10
and memory, the wording is a faithful summary, not the form's text.  Each question says which
outcome a "yes" leads to; measurements out of range (``vitals``) lead to their outcome.

Outcomes, mildest first: eligible (tiêm ngay), caution (thận trọng: tiêm tại bệnh viện or with a
longer watch), postpone (tạm hoãn), contraindicated (chống chỉ định).  The most severe wins.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from chongdich.core.versioning import RuleVersion
from chongdich.vaccination.rules.keys import SCREENING_KEY

D_1464 = date(2021, 3, 8)  # issued 5/3/2021 [R]; in force here from the first doses (VACCINATION_START)
D_2995 = date(2021, 6, 18)
D_5002 = date(2021, 10, 29)


def _q(number: int, vi: str, en: str, yes: str, confidence: str = "R") -> dict[str, Any]:
    return {"number": number, "vi": vi, "en": en, "yes": yes, "confidence": confidence}


VITALS = {
    "temperature": {
        "vi": "Sốt (nhiệt độ ≥ 37,5 °C)",
        "en": "Fever (temperature ≥ 37.5 °C)",
        "at_least": 37.5,
        "outcome": "postpone",
    },
    "pulse": {
        "vi": "Mạch > 100 hoặc < 60 lần/phút",
        "en": "Pulse > 100 or < 60 /min",
        "above": 100,
        "below": 60,
        "outcome": "postpone",
    },
    "systolic": {
        "vi": "Huyết áp tâm thu > 140 hoặc < 90 mmHg",
        "en": "Systolic blood pressure > 140 or < 90 mmHg",
        "above": 140,
        "below": 90,
        "outcome": "postpone",
    },
    "diastolic": {
        "vi": "Huyết áp tâm trương > 90 hoặc < 60 mmHg",
        "en": "Diastolic blood pressure > 90 or < 60 mmHg",
        "above": 90,
        "below": 60,
        "outcome": "postpone",
    },
    "spo2": {"vi": "SpO2 < 94%", "en": "SpO2 < 94%", "below": 94, "outcome": "postpone"},
}

QUESTIONS_2995 = {
    "anaphylaxis_covid_vaccine": _q(
        1,
        "Tiền sử rõ ràng phản vệ với vắc xin phòng COVID-19 lần trước hoặc với các thành phần của vắc xin",
        "Clear history of anaphylaxis to a previous COVID-19 vaccine dose or to a vaccine component",
        "contraindicated",
    ),
    "acute_illness": _q(
        2,
        "Đang mắc bệnh cấp tính hoặc bệnh mạn tính tiến triển",
        "Acute illness, or a chronic disease in progression",
        "postpone",
    ),
    "covid_recent": _q(3, "Tiền sử mắc COVID-19 trong vòng 6 tháng", "COVID-19 within the last 6 months", "postpone"),
    "other_vaccine_recent": _q(
        4, "Tiêm vắc xin khác trong vòng 14 ngày qua", "Another vaccine within the last 14 days", "postpone"
    ),
    "immunosuppressive_treatment": _q(
        5,
        "Đang dùng thuốc ức chế miễn dịch, corticoid liều cao, hóa trị, xạ trị",
        "On immunosuppressants, high-dose corticosteroids, chemotherapy or radiotherapy",
        "postpone",
    ),
    "pregnant": _q(6, "Đang mang thai", "Pregnant", "postpone"),
    "anaphylaxis_other": _q(
        7,
        "Tiền sử phản vệ độ 3 trở lên với bất kỳ dị nguyên nào khác",
        "History of grade ≥ 3 anaphylaxis to any other allergen",
        "caution",
    ),
    "allergy_other": _q(8, "Tiền sử dị ứng với các dị nguyên khác", "History of allergy to other allergens", "caution"),
    "severe_immunodeficiency": _q(
        9,
        "Suy giảm miễn dịch nặng, ung thư giai đoạn cuối",
        "Severe immunodeficiency, end-stage cancer",
        "caution",
    ),
    "bleeding_disorder": _q(
        10,
        "Rối loạn đông máu, cầm máu hoặc đang dùng thuốc chống đông",
        "Bleeding or clotting disorder, or on anticoagulants",
        "caution",
    ),
    "chronic_disease": _q(11, "Có bệnh nền, bệnh mạn tính", "Underlying or chronic disease", "caution"),
    "breastfeeding": _q(12, "Đang nuôi con bằng sữa mẹ", "Breastfeeding", "caution"),
    "age_65_plus": _q(13, "Từ 65 tuổi trở lên", "Aged 65 or over", "caution"),
    "abnormal_vitals": _q(
        14,
        "Dấu hiệu bất thường khi đo nhiệt độ, mạch, huyết áp, SpO2",
        "Abnormal temperature, pulse, blood pressure or SpO2",
        "postpone",
    ),
    "abnormal_exam": _q(
        15,
        "Bất thường khi nghe tim, phổi hoặc rối loạn tri giác",
        "Abnormal heart or lung sounds, or impaired consciousness",
        "postpone",
    ),
}

# QĐ 1464 (March 2021) had the same items in substance; pregnancy and breastfeeding postponed [R].
QUESTIONS_1464 = copy.deepcopy(QUESTIONS_2995)
QUESTIONS_1464["breastfeeding"]["yes"] = "postpone"

# QĐ 5002 (29/10/2021): stable chronic disease and age ≥ 65 no longer special; pregnancy from 13 weeks
# vaccinated with a watch (QĐ 3802, 10/8/2021 [R]); recent COVID-19 3 months [R].
QUESTIONS_5002 = copy.deepcopy(QUESTIONS_2995)
QUESTIONS_5002.update(
    {
        "covid_recent": _q(
            3, "Tiền sử mắc COVID-19 trong vòng 3 tháng", "COVID-19 within the last 3 months", "postpone"
        ),
        "pregnant": _q(6, "Mang thai dưới 13 tuần", "Pregnant, under 13 weeks", "postpone"),
        "pregnant_13_weeks_plus": _q(16, "Mang thai từ 13 tuần trở lên", "Pregnant, 13 weeks or more", "caution"),
        "chronic_disease": _q(
            11,
            "Bệnh nền, bệnh mạn tính chưa ổn định",
            "Underlying or chronic disease not under control",
            "postpone",
        ),
        "age_65_plus": None,
        "anaphylaxis_other": _q(
            7,
            "Tiền sử phản vệ từ độ 2 trở lên với bất kỳ dị nguyên nào (tiêm tại bệnh viện)",
            "History of grade ≥ 2 anaphylaxis to any allergen (vaccinate at a hospital)",
            "caution",
        ),
    }
)
QUESTIONS_5002 = {code: q for code, q in QUESTIONS_5002.items() if q is not None}

SRC = "{}: adult pre-vaccination screening checklist [R: instrument, date and items recalled, not checked]"

SCREENING_VERSIONS = [
    RuleVersion(
        SCREENING_KEY,
        "QĐ 1464/QĐ-BYT",
        D_1464,
        D_2995,
        {"instrument": "QĐ 1464/QĐ-BYT 5/3/2021", "questions": QUESTIONS_1464, "vitals": copy.deepcopy(VITALS)},
        source=SRC.format("QĐ 1464/QĐ-BYT 5/3/2021"),
    ),
    RuleVersion(
        SCREENING_KEY,
        "QĐ 2995/QĐ-BYT",
        D_2995,
        D_5002,
        {"instrument": "QĐ 2995/QĐ-BYT 18/6/2021", "questions": QUESTIONS_2995, "vitals": copy.deepcopy(VITALS)},
        source=SRC.format("QĐ 2995/QĐ-BYT 18/6/2021 (issue 10 names it)"),
    ),
    RuleVersion(
        SCREENING_KEY,
        "QĐ 5002/QĐ-BYT",
        D_5002,
        None,
        {"instrument": "QĐ 5002/QĐ-BYT 29/10/2021", "questions": QUESTIONS_5002, "vitals": copy.deepcopy(VITALS)},
        source=SRC.format("QĐ 5002/QĐ-BYT 29/10/2021"),
    ),
]
