"""Default rule versions for F1 quarantine, home care of F0, release from isolation and the
monitoring of people in care, seeded from /work/shared/domain/vn-covid-rules.md §4 (R-52 … R-54)
and QĐ 261 (warning signs, ``defaults_monitoring``).

The same conventions as ``surveillance.rules.defaults``: every bound is data, ``source`` keeps the
legal reference and the confidence marks, provinces override with a ``RuleVersion`` that names only
the keys it changes.  Effective dates: ``effective_from`` inclusive, ``effective_to`` exclusive.
"""

from __future__ import annotations

from typing import Any

from chongdich.care.rules.defaults_monitoring import MONITORING_VERSIONS
from chongdich.care.rules.keys import HOME_CARE_KEY, QUARANTINE_KEY, RELEASE_KEY
from chongdich.core.versioning import RuleVersion
from chongdich.surveillance.rules.defaults import (
    D_250,
    D_261,
    D_1909,
    D_4038,
    D_5599,
    D_10696,
    D_CD600,
    D_FEB_2022,
    EPIDEMIC_START,
)


# --- F1 quarantine (R-52) -------------------------------------------------------------------
def _branch(
    place: str, days: int, test_days: list[int], monitor_days: int, monitor_test_days: list[int] | None = None
) -> dict[str, Any]:
    return {
        "place": place,  # "concentrated" | "home" | "none"
        "days": days,  # quarantine days; day 1 = day of last exposure
        "test_days": test_days,  # quarantine days on which a test is taken
        "self_monitor_days": monitor_days,  # health monitoring after quarantine
        "self_monitor_test_days": monitor_test_days or [],  # days of the monitoring period
    }


QUARANTINE_VERSIONS = [
    RuleVersion(
        QUARANTINE_KEY,
        "Thực tiễn 2020",
        EPIDEMIC_START,
        D_CD600,
        {"protection": None, "default": _branch("concentrated", 14, [1, 14], 14)},
        source="2020 practice (spec §4.2) [R]: F1 concentrated quarantine 14 days, tests during "
        "quarantine (days 1 and 14 [R]); home monitoring 14 days [V~: CĐ 600 'was 14']",
    ),
    RuleVersion(
        QUARANTINE_KEY,
        "CĐ 600/CĐ-BCĐ",
        D_CD600,
        D_5599,
        {"protection": None, "default": _branch("concentrated", 21, [1, 14, 20], 7, [7])},
        source="CĐ 600/CĐ-BCĐ 5/5/2021 [V]: concentrated ≥ 21 days from last exposure, tests days "
        "1, 14, 20; then 7 days home health monitoring with a test on its day 7",
    ),
    RuleVersion(
        QUARANTINE_KEY,
        "CV 5599/BYT-MT",
        D_5599,
        D_10696,
        {"protection": None, "default": _branch("concentrated", 14, [1, 7, 14], 14)},
        source="CV 5599/BYT-MT 14/7/2021 [V]: concentrated 14 days + 14 days monitoring at home/"
        "residence [V]; tests days 1, 7, 14 [R]; no test in the monitoring period [D]; home "
        "quarantine only where the province applies the F1 home-quarantine guidance "
        "(province override: default.place = 'home') [V]",
    ),
    RuleVersion(
        QUARANTINE_KEY,
        "CV 10696/BYT-MT",
        D_10696,
        D_FEB_2022,
        {
            "protection": {
                "doses": "primary_series",  # "fully vaccinated" = primary series complete
                "min_days_after_last_dose": 14,
                "max_months_after_last_dose": 6,
                "recovered_within_months": 6,
            },
            "protected": _branch("home", 7, [1, 7], 7),
            "default": _branch("concentrated", 14, [1, 7, 14], 14),
        },
        source="CV 10696/BYT-MT 16/12/2021 [V]: fully vaccinated (last dose ≥ 14 days and ≤ 6 months "
        "before) or recovered ≤ 6 months → home 7 days, RT-PCR/RAT days 1 and 7, + 7 days "
        "self-monitoring [V]; otherwise per province, default concentrated 14 days [R], tests "
        "days 1, 7, 14 [R, as CV 5599], + 14 days monitoring [D, as CV 5599]; months are "
        "calendar months [D]; the reference date is the day of last exposure [D]",
    ),
    RuleVersion(
        QUARANTINE_KEY,
        "Công văn BYT 21/2/2022",
        D_FEB_2022,
        D_1909,
        {
            "protection": {
                "doses": 2,
                "min_days_after_last_dose": 14,
                "max_months_after_last_dose": None,
                "recovered_within_months": 3,
            },
            "protected": _branch("home", 5, [5], 5),
            "default": _branch("home", 7, [7], 3),
        },
        source="MoH dispatch 21/2/2022 replacing 10696 (number not verified) [V]: ≥ 2 doses with "
        "last ≥ 14 days, or recovered ≤ 3 months → 5 days, test day 5, + 5 days "
        "self-monitoring; otherwise 7 days, test day 7, + 3 days [V]; place 'home' [R]",
    ),
    RuleVersion(
        QUARANTINE_KEY,
        "CV 1909/BYT-DP",
        D_1909,
        None,
        {"protection": None, "default": _branch("none", 0, [], 10)},
        source="CV 1909/BYT-DP 15/4/2022 [V]: F1 not quarantined; precautions, self-monitoring, "
        "report symptoms, test on symptoms [V]; self-monitoring length not in the spec: 10 "
        "days from last exposure [D, the total of the 21/2/2022 rule]",
    ),
]

# --- Home care of F0 (R-53) -----------------------------------------------------------------
_HOME_CARE_COMMON = {
    "permitted": True,
    "severities": ["asymptomatic", "mild"],
    "abnormal_breathing_excludes": True,
}
HOME_CARE_VERSIONS = [
    RuleVersion(
        HOME_CARE_KEY,
        "Trước QĐ 4038 (điều trị tại cơ sở)",
        EPIDEMIC_START,
        D_4038,
        {"permitted": False},
        source="[D] before QĐ 4038/QĐ-BYT (21/8/2021) no national home-care guidance: F0 treated in "
        "facilities; provincial pilots are province overrides",
    ),
    RuleVersion(
        HOME_CARE_KEY,
        "QĐ 4038/QĐ-BYT",
        D_4038,
        D_261,
        {
            **_HOME_CARE_COMMON,
            "respiratory_rate": {"at_most": 20},
            "spo2": {"at_least": 96},
            "comorbidity_allowed": ["none", "stable", "unstable"],
            "protection": {
                "full_doses": 2,
                "one_dose_min_days": 14,
                "age_more_than": 1,
                "age_less_than": 50,
                "no_comorbidity": True,
                "not_pregnant": True,
            },
        },
        source="QĐ 4038/QĐ-BYT 21/8/2021 (R-53) [V]: asymptomatic/mild, RR ≤ 20, SpO2 ≥ 96 on room "
        "air, no abnormal breathing, and (2 doses, or 1 dose ≥ 14 days before) or (1 < age < 50 "
        "and no listed comorbidity and not pregnant); self-care and reachable, or a carer. "
        "The province steering committee decides when/where it applies [V]",
    ),
    RuleVersion(
        HOME_CARE_KEY,
        "QĐ 261/QĐ-BYT",
        D_261,
        None,
        {
            **_HOME_CARE_COMMON,
            "respiratory_rate": {"less_than": 20},
            "spo2": {"more_than": 96},
            "comorbidity_allowed": ["none", "stable"],
            "protection": None,
        },
        source="QĐ 261/QĐ-BYT 31/1/2022 (R-53) [V]: asymptomatic/mild, RR < 20, SpO2 > 96, no "
        "comorbidity or stably treated, self-care/communication or a carer; age and "
        "vaccination conditions dropped [V]; no abnormal breathing (thở rên, rút lõm lồng "
        "ngực…) [V~: phunumoi.net.vn summary of 261]",
    ),
]

# --- Release from isolation (R-54) ----------------------------------------------------------
_HOSPITAL_CLINICAL = {"rule": "clinical"}  # discharge by the treating facility's clinical criteria [D]
RELEASE_VERSIONS = [
    RuleVersion(
        RELEASE_KEY,
        "Trước điều trị tại nhà",
        EPIDEMIC_START,
        D_4038,
        {"home": None, "hospital": _HOSPITAL_CLINICAL},
        source="[D] no home treatment before QĐ 4038 (21/8/2021); hospital discharge follows the "
        "facility's clinical criteria (not in the spec) [D]",
    ),
    RuleVersion(
        RELEASE_KEY,
        "Thực tiễn Hà Nội cuối 2021 (mặc định)",
        D_4038,
        D_250,
        {
            "home": {
                "first_test_day": 10,
                "test": "rapid_antigen",
                "fallback_days": None,  # None: no release without a negative test
                "full_vaccination": {"doses": "primary_series", "min_days_after_last_dose": 14},
            },
            "hospital": _HOSPITAL_CLINICAL,
        },
        source="Hà Nội practice late 2021 [V~]: home F0 released after 10 days with a negative RAT done "
        "or supervised by a health worker; used as the national default before QĐ 250 [D]; "
        "hospital: clinical criteria [D]",
    ),
    RuleVersion(
        RELEASE_KEY,
        "QĐ 250/QĐ-BYT",
        D_250,
        None,
        {
            "home": {
                "first_test_day": 7,
                "test": "rapid_antigen",
                "fallback_days": {"fully_vaccinated": 10, "not_fully_vaccinated": 14},
                "full_vaccination": {"doses": "primary_series", "min_days_after_last_dose": 14},
            },
            "hospital": _HOSPITAL_CLINICAL,
        },
        source="QĐ 250/QĐ-BYT 28/1/2022 (R-54) [V]: release on day 7 with a negative RAT; if still "
        "positive continue to day 10 (fully vaccinated) or 14 (not); commune health station "
        "certifies [V]; a negative RAT after day 7 and before the fallback day releases that "
        "day [D]; 'fully vaccinated' = primary series, last dose ≥ 14 days before day 1 [D]; "
        "day 1 = confirmation date [D]; hospital: clinical criteria [D]",
    ),
]

DEFAULT_VERSIONS: list[RuleVersion] = [
    *QUARANTINE_VERSIONS,
    *HOME_CARE_VERSIONS,
    *RELEASE_VERSIONS,
    *MONITORING_VERSIONS,
]
