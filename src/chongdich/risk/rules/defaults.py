"""Default rule versions, seeded from /work/shared/domain/vn-covid-rules.md.

Every threshold, band, matrix and switch is data here.  ``source`` keeps the legal reference
and the spec's confidence marks: [V] checked, [V~] partly, [R] recalled, [D] design choice.
Provinces override by adding a ``RuleVersion`` with ``province`` set and only the keys they change.
"""

from __future__ import annotations

from datetime import date

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules.defaults_catalogue import CATALOGUE_VERSIONS

D_2686 = date(2021, 5, 31)
D_128 = date(2021, 10, 11)
D_218 = date(2022, 1, 27)

# --- R-01 framework selection ------------------------------------------------------------
FRAMEWORK_VERSIONS = [
    RuleVersion(
        "risk.framework",
        "R-01 trước 2686",
        date.min,
        D_2686,
        {"framework": None},
        source="R-01 [D, dates V]: before 31/5/2021 only directives 15/16/19 applied (spec §0.3)",
    ),
    RuleVersion(
        "risk.framework",
        "R-01 QĐ 2686",
        D_2686,
        D_128,
        {"framework": "2686"},
        source="R-01 [D, dates V]: QĐ 2686/QĐ-BCĐQG effective 31/5/2021",
    ),
    RuleVersion(
        "risk.framework",
        "R-01 NQ 128/QĐ 4800",
        D_128,
        D_218,
        {"framework": "4800"},
        source="R-01 [D, dates V]: NQ 128/NQ-CP 11/10/2021, QĐ 4800/QĐ-BYT 12/10/2021",
    ),
    RuleVersion(
        "risk.framework",
        "R-01 QĐ 218",
        D_218,
        None,
        {"framework": "218"},
        source="R-01 [D, dates V]: QĐ 218/QĐ-BYT 27/1/2022 replaces 4800",
    ),
]

# --- Local policy, shared shape for all frameworks --------------------------------
POLICY = {
    "raise_border_by": 0,  # k ∈ {0, 1, 2}; 0 = off until a province sets it
    "raise_next_to_higher_by": 0,
    "tiers": ["commune"],
}

# --- QĐ 2686 (R-10 … R-14, §1.5) -----------------------------------------------------------
_ROLLUP_TIER = {
    "3": {"shares": {"3": 0.30, "2": 0.50}, "spread_share_over": 0.50},
    "2": {"shares": {"2": 0.30, "1": 0.50}, "counts": {"3": 1}, "spread_share_over": 0.20, "protected_site": True},
    "1": {"counts": {"1": 1}},
}
VALUES_2686 = {
    "commune": {
        "cluster_min_cases": 2,
        "high_contact_settings": ["industrial_park", "school", "market", "supermarket", "hospital"],
        "yellow_known_source_rate_per_100k_over": None,
    },
    "adjacency": {"3": 2, "2": 1},  # neighbour level → minimum level of this commune
    "rollup": {
        "share_mode": "at_or_above",
        "district": _ROLLUP_TIER,
        "province": {**_ROLLUP_TIER, "3": {**_ROLLUP_TIER["3"], "spread_needs_other_provinces": True}},
        "nation": {**_ROLLUP_TIER, "3": {**_ROLLUP_TIER["3"], "spread_needs_other_provinces": True}},
    },
    "policy": POLICY,
    "under_control": {
        "weeks_falling": 2,
        "below_peak_min": 0.50,
        "positivity_days": 14,
        "positivity_rule": "non_increasing",
        "cluster_free_days": 7,
        "risk_reduction_min": 0.50,
    },
}
SOURCE_2686 = (
    "QĐ 2686/QĐ-BCĐQG 31/5/2021 (spec §1, R-10…R-14). Commune factors R-10 [V]; cluster = ≥2 cases "
    "[D]; high-contact settings [V]; adjacency red→≥orange, orange→≥yellow to a fixed point [V]; "
    "yellow rate 1/100k in 14 days (baotintuc 5/8/2021) [V~] off by default. District/province "
    "red/orange thresholds 30%/50%, 30%/50%/1 red, spread >50%/>20% [V]; yellow = any child yellow+ "
    "[R, design fallback]; share_mode 'at_or_above' [D: the 'exactly' reading (R-11 text) can lower a "
    "district when a commune worsens, e.g. 5 orange of 10 → red but 2 red + 3 orange → orange]. "
    "Policy R-14 [R], raises off by default. Under control QĐ 3979/3989 [V]; positivity 'falls "
    "continuously' read as non-increasing and lower at the end [D]."
)

# --- QĐ 4800 (R-20 … R-25) -----------------------------------------------------------------
VALUES_4800 = {
    "bands": {
        "base": "A",
        "cuts": [
            {"label": "B", "at_least": 20},
            {"label": "C", "at_least": 50},
            {"label": "D", "at_least": 150},
        ],
    },
    "coverage_min_pct": 70,
    "matrix": {  # band → [level if covered, level if not covered]
        "A": [1, 2],
        "B": [2, 3],
        "C": [3, 4],
        "D": [4, 4],
    },
    "capacity_gate": True,
    "r23": {"enabled": False, "full_50plus_min_pct": 80},
    "aggregation": "totals",
    "policy": POLICY,
    "notice_hours": 48,
}
SOURCE_4800 = (
    "NQ 128/NQ-CP 11/10/2021 + QĐ 4800/QĐ-BYT 12/10/2021 (spec §2.3, R-20…R-25). Bands A <20 and D ≥150 "
    "[V], B 20–<50 and C 50–<150 [R]; coverage cut 70% adults ≥1 dose [V~]; matrix [R]; capacity gate "
    "R-22 [V~]; R-23 ≥50 y full dose <80% → +1 [V~, Sept 2021 draft] OFF until verified; 48 h notice "
    "[V]; aggregation R-25 'totals' [R]."
)

# --- QĐ 218 (R-30 … R-34) ------------------------------------------------------------------
VALUES_218 = {
    "transmission": {
        "indicators": ["1a", "1b"],
        "combine": "max",
        "bands": {
            "1a": {
                "base": 1,
                "cuts": [
                    {"label": 2, "at_least": 20},
                    {"label": 3, "at_least": 50},
                    {"label": 4, "more_than": 600},
                ],
            },
            "1b": {
                "base": 1,
                "cuts": [
                    {"label": 2, "at_least": 5},
                    {"label": 3, "at_least": 10},
                    {"label": 4, "at_least": 30},
                ],
            },
            "1c": {
                "base": 1,
                "cuts": [
                    {"label": 2, "at_least": 1},
                    {"label": 3, "at_least": 2},
                    {"label": 4, "at_least": 5},
                ],
            },
        },
    },
    "vaccination": {"full_all_min_pct": 75, "full_high_risk_min_pct": 90},
    "deaths": {"per_100k_over": 6, "raise": "level"},
    "capacity": {
        "combine": "worst",
        "3a": {"ready": "HIGH", "not_ready": "LOW"},
        "3b": {
            "base": "LOW",
            "cuts": [
                {"label": "MEDIUM", "at_least": 10},
                {"label": "HIGH", "more_than": 30},
            ],
        },
        "3c": None,
    },
    "matrix": {  # transmission level → level by capacity class
        "1": {"HIGH": 1, "MEDIUM": 1, "LOW": 2},
        "2": {"HIGH": 1, "MEDIUM": 2, "LOW": 3},
        "3": {"HIGH": 2, "MEDIUM": 3, "LOW": 4},
        "4": {"HIGH": 3, "MEDIUM": 4, "LOW": 4},
    },
    "aggregation": "totals",
    "policy": POLICY,
    "notice_hours": 48,
}
SOURCE_218 = (
    "QĐ 218/QĐ-BYT 27/1/2022 (spec §2.4, R-30…R-34). 1a level 4 needs >600/100k/week [V]; 1a cuts 20/50 "
    "[R: WHO PHSM indicative]; 1b cuts 5/10/30 and 1c cuts 1/2/5 per 100k/week [R: WHO PHSM indicative, "
    "218 values not found]; T = max of 1a, 1b [D]; 1c not in T by default because R-32 handles deaths "
    "[D]; vaccination 75% population / 90% high-risk full primary → T+1 [V]; deaths >6/100k/week → "
    "+1 level [V~, HCMC reading]; 3b HIGH >30, MEDIUM 10–30, LOW <10 [V]; 3a ready→HIGH, not "
    "ready→LOW [D]; 3c thresholds unknown [R] so unused until configured; capacity = worst [D]; "
    "matrix [R; (T2,MEDIUM)→2 and (T3,HIGH)→2 V]."
)

RULE_VERSIONS = [
    RuleVersion("risk.2686", "2686.v1", D_2686, None, VALUES_2686, source=SOURCE_2686),
    RuleVersion(
        "risk.2686",
        "2686.v1 TP.HCM",
        D_2686,
        None,
        {"under_control": {"risk_reduction_min": 0.30}},
        province="79",
        source="QĐ 3989/QĐ-BYT (Aug 2021): HCMC risk group falls by ≥30% [V]",
    ),
    RuleVersion("risk.4800", "4800.v1", D_128, None, VALUES_4800, source=SOURCE_4800),
    RuleVersion("risk.218", "218.v1", D_218, None, VALUES_218, source=SOURCE_218),
]

DEFAULT_VERSIONS: list[RuleVersion] = [*FRAMEWORK_VERSIONS, *RULE_VERSIONS, *CATALOGUE_VERSIONS]
