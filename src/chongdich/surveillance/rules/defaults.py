"""Default rule versions for contacts, quarantine, home care and release, seeded from
/work/shared/domain/vn-covid-rules.md §0.3, §4 and §7.6 (R-50 … R-55).

Every duration, distance and eligibility bound is data here.  ``source`` keeps the legal
reference and the spec's confidence marks: [V] checked, [V~] partly, [R] recalled, [D] design
choice.  Provinces override by adding a ``RuleVersion`` with ``province`` set and only the keys
they change, e.g. ``{"default": {"place": "home"}}`` for F1 home quarantine under CV 5599.
Effective dates: ``effective_from`` inclusive, ``effective_to`` exclusive.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chongdich.core.versioning import RuleVersion
from chongdich.surveillance.rules.config import (
    ACTIVE_KEY,
    F1_KEY,
    F2_KEY,
    HOME_CARE_KEY,
    INFECTIOUS_KEY,
    QUARANTINE_KEY,
    RELEASE_KEY,
    TRACING_KEY,
)
from chongdich.surveillance.rules.defaults_monitoring import MONITORING_VERSIONS

# [D] No COVID-19 rule applies before 2020 (Vietnam's first cases: January 2020 [R]); asking
# for an earlier date raises NoRuleInForce rather than silently using a later rule.
EPIDEMIC_START = date(2020, 1, 1)

D_CD600 = date(2021, 5, 5)  # CĐ 600/CĐ-BCĐ: concentrated quarantine 14 → 21 days
D_5599 = date(2021, 7, 14)  # CV 5599/BYT-MT: 21 → 14 days
D_3638 = date(2021, 7, 30)  # QĐ 3638/QĐ-BYT: F1/F2 definitions
D_4038 = date(2021, 8, 21)  # QĐ 4038/QĐ-BYT: home management of F0
D_10696 = date(2021, 12, 16)  # CV 10696/BYT-MT: F1 home quarantine 7 days if protected
D_DEC_2021 = date(2021, 12, 29)  # MoH case-definition update (F0/F1, infectious period)
D_250 = date(2022, 1, 28)  # QĐ 250/QĐ-BYT: F0 release after 7 days + negative RAT
D_261 = date(2022, 1, 31)  # QĐ 261/QĐ-BYT: home management of F0 (replaces 4038)
D_FEB_2022 = date(2022, 2, 21)  # MoH dispatch (number not verified): F1 5 / 7 days
D_1909 = date(2022, 4, 15)  # CV 1909/BYT-DP: F1 1 m; F1 no longer quarantined

# --- Infectious period of an F0 (§4.1; used by R-50) ----------------------------------------
INFECTIOUS_VALUES = {
    "days_before_onset": 2,
    "days_before_positive_sample": 2,
    # "earliest": when both onset and first positive sample are known, start from the earlier
    # anchor (a pre-symptomatic positive is infectious before the later onset) [D];
    # "onset_first": the literal reading (onset when symptomatic, sample only when asymptomatic).
    "anchor": "earliest",
    "ct_threshold": 30,  # informational: the caller gives the date of the first sample with Ct > 30
    "end_inclusive": True,  # the day of the first negative / Ct > 30 sample is still infectious [D]
}
INFECTIOUS_VERSIONS = [
    RuleVersion(
        INFECTIOUS_KEY,
        "Thời kỳ lây truyền (trước 29/12/2021)",
        EPIDEMIC_START,
        D_DEC_2021,
        INFECTIOUS_VALUES,
        source="[D] earlier texts not available; the 29/12/2021 definition (2 days before onset or "
        "first positive sample, until negative or Ct > 30) is applied backwards; anchor "
        "'earliest' [D]; end day inclusive [D]",
    ),
    RuleVersion(
        INFECTIOUS_KEY,
        "Thời kỳ lây truyền (29/12/2021)",
        D_DEC_2021,
        None,
        INFECTIOUS_VALUES,
        source="MoH case-definition update 29/12/2021 (spec §4.1) [V]: from 2 days before onset "
        "(asymptomatic: 2 days before the positive sample) until a negative test or Ct > 30; "
        "anchor 'earliest' [D]; end day inclusive [D]",
    ),
]

# --- F1 definition (R-50) -------------------------------------------------------------------
F1_VALUES = {
    "distance_m": 2,  # within D metres: distance ≤ D
    "masked_min_minutes": 15,  # masked contact counts from 15 minutes (≥ 15)
    "unmasked_min_minutes": 0,  # unmasked: no minimum time
    "physical_contact": True,  # condition (1)
    "care_without_ppe": True,  # condition (4)
    "household_is_enclosed_space": True,  # a shared home is a small enclosed space [D per brief]
    "unknown_mask_as_unmasked": True,  # mask not recorded → treated as unmasked (conservative) [D]
}
F1_SOURCE = (
    "four conditions: (1) physical contact; (2) masked within D m or same small enclosed space "
    "≥ 15 min; (3) unmasked within D m or same small enclosed space, no minimum time; (4) care "
    "without full PPE (spec §4.1, R-50)"
)
F1_VERSIONS = [
    RuleVersion(
        F1_KEY,
        "Định nghĩa F1 (trước 29/12/2021)",
        EPIDEMIC_START,
        D_DEC_2021,
        F1_VALUES,
        source=f"[D] the 2686-era texts (QĐ 2008/QĐ-BYT [V~], QĐ 3638/QĐ-BYT) are not in the spec; the "
        f"29/12/2021 definition (D = 2 m) is applied backwards; {F1_SOURCE}; household = "
        f"enclosed space [D]; unknown mask = unmasked [D]",
    ),
    RuleVersion(
        F1_KEY,
        "Định nghĩa F1 (29/12/2021)",
        D_DEC_2021,
        D_1909,
        F1_VALUES,
        source=f"MoH definition 29/12/2021, kept on 21/2/2022 [V]: D = 2 m, masked ≥ 15 min [V]; "
        f"{F1_SOURCE}; household = enclosed space [D]; unknown mask = unmasked [D]",
    ),
    RuleVersion(
        F1_KEY,
        "CV 1909/BYT-DP",
        D_1909,
        None,
        {**F1_VALUES, "distance_m": 1},
        source=f"CV 1909/BYT-DP 15/4/2022 [V]: same four conditions, D = 1 m [V]; {F1_SOURCE}; "
        f"household = enclosed space [D]; unknown mask = unmasked [D]",
    ),
]

# --- F2 definition (R-51) -------------------------------------------------------------------
F2_VALUES = {
    "distance_m": 2,  # within 2 m of the F1: distance ≤ 2
    "physical_contact": True,  # touching is within 2 m [D]
    "care_without_ppe": True,  # caring for someone is within 2 m [D]
    "household": True,  # sharing a home counts as within 2 m when no distance is recorded [D]
    "same_enclosed_space": True,  # same small enclosed space, no distance recorded [D]
    "isolation_day_counts": True,  # contact on the day the F1 is isolated still counts [D]
}
F2_SOURCE = (
    "contact within 2 m of an F1 between the F1's exposure to the F0 and the F1's isolation "
    "start (R-51); household / enclosed space / physical contact / care count as within 2 m "
    "when no distance is recorded [D]; the isolation day counts [D]"
)
F2_VERSIONS = [
    RuleVersion(
        F2_KEY,
        "Định nghĩa F2 (trước QĐ 3638)",
        EPIDEMIC_START,
        D_3638,
        F2_VALUES,
        source=f"[D] QĐ 5053/QĐ-BYT (3/12/2020) handbook text not in the spec; QĐ 3638 values applied "
        f"backwards; {F2_SOURCE}",
    ),
    RuleVersion(
        F2_KEY,
        "QĐ 3638/QĐ-BYT",
        D_3638,
        None,
        F2_VALUES,
        source=f"QĐ 3638/QĐ-BYT 30/7/2021 [V]; {F2_SOURCE}; whether F2 tracing continued after "
        f"CV 1909 (15/4/2022) is not in the spec [R]",
    ),
]

# --- F3–F5 (local tracing practice) ----------------------------------------------------------
TRACING_VERSIONS = [
    RuleVersion(
        TRACING_KEY,
        "Truy vết F3–F5 (thực tiễn địa phương)",
        EPIDEMIC_START,
        None,
        {"max_rank": 5},
        source="§0.2 [R]: F3–F5 are local tracing practice in outbreak provinces, no national "
        "definition; each rank beyond F2 uses the F2 link rule (within 2 m) [D]",
    ),
]


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

# --- Active cases (R-55) --------------------------------------------------------------------
ACTIVE_VERSIONS = [
    RuleVersion(
        ACTIVE_KEY,
        "R-55",
        EPIDEMIC_START,
        None,
        {"places": ["hospital", "concentrated", "home"]},
        source="R-55 [D]: active = confirmed − recovered − deaths − transferred out, equal to the sum "
        "over treatment places (hospital, concentrated facility, home) [V~ definition §4.4]",
    ),
]

DEFAULT_VERSIONS: list[RuleVersion] = [
    *INFECTIOUS_VERSIONS,
    *F1_VERSIONS,
    *F2_VERSIONS,
    *TRACING_VERSIONS,
    *QUARANTINE_VERSIONS,
    *HOME_CARE_VERSIONS,
    *RELEASE_VERSIONS,
    *MONITORING_VERSIONS,
    *ACTIVE_VERSIONS,
]
