"""Default rule versions for the infectious period, contacts, tracing and active cases, seeded from
/work/shared/domain/vn-covid-rules.md §0.3, §4 and §7.6 (R-50 … R-55).

Every duration, distance and eligibility bound is data here.  ``source`` keeps the legal
reference and the spec's confidence marks: [V] checked, [V~] partly, [R] recalled, [D] design
choice.  Provinces override by adding a ``RuleVersion`` with ``province`` set and only the keys
they change, e.g. ``{"default": {"place": "home"}}`` for F1 home quarantine under CV 5599.
Effective dates: ``effective_from`` inclusive, ``effective_to`` exclusive.
"""

from __future__ import annotations

from datetime import date

from chongdich.core.versioning import RuleVersion
from chongdich.surveillance.rules.keys import (
    ACTIVE_KEY,
    F1_KEY,
    F2_KEY,
    INFECTIOUS_KEY,
    TRACING_KEY,
)

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
    *ACTIVE_VERSIONS,
]
