"""Default rule versions of vaccination: the catalogue (products, intervals, ages, mixing, the
additional dose and boosters), the PC-Covid colour and the coverage target; the priority groups
and the screening checklist are in ``defaults_groups`` and ``defaults_screening``.

Sources and confidence marks (as in /work/shared/domain/vn-covid-rules.md: [V] checked against a
public source, [V~] partly, [R] recalled, [D] design choice) are in each version's ``source`` and in
docs/vaccination/rules.md.  Effective dates: ``effective_from`` inclusive, ``effective_to`` exclusive.
A province overrides with a ``RuleVersion`` naming only what it changes, e.g.
``{"products": {"AZ": {"intervals": {"1": {"min_days": 28, "recommended_days": 28}}}}}``
(``AZ_FOUR_WEEKS``, from 20/9/2021).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from chongdich.core.versioning import RuleVersion
from chongdich.vaccination.rules.defaults_groups import GROUP_VERSIONS
from chongdich.vaccination.rules.defaults_screening import SCREENING_VERSIONS
from chongdich.vaccination.rules.keys import COLOUR_KEY, PRODUCTS_KEY, TARGETS_KEY

# [R] Vietnam's first COVID-19 vaccinations (AstraZeneca, health workers in Hải Dương): 8/3/2021.
# Asking for the catalogue before it raises NoRuleInForce; a dose dated earlier is `unknown_product`.
VACCINATION_START = date(2021, 3, 8)
# [D] The colour needs no vaccine (recovery, a PCR): its rule covers every day from the epidemic's start.
EPIDEMIC_START = date(2020, 1, 1)
D_AZ_FOUR_WEEKS = date(2021, 9, 20)  # provinces may give AstraZeneca's second dose from 4 weeks (issue 10 §1)
D_TEENS = date(2021, 10, 27)  # [R] children 12–17 vaccinated with Pfizer (late October 2021)
D_BOOSTERS = date(2021, 11, 19)  # [R] MoH guidance on the additional dose and boosters (November 2021)
D_CHILDREN = date(2022, 4, 14)  # [R] children 5–11 (Pfizer 10 µg) from mid-April 2022


def _gap(min_days: int, recommended_days: int | None = None, max_days: int | None = None, **extra: int) -> dict:
    gap = {"min_days": min_days, "recommended_days": recommended_days or min_days}
    if max_days is not None:
        gap["max_days"] = max_days
    return {**gap, **extra}


def _product(
    name: str,
    maker: str,
    platform: str,
    doses: int,
    gaps: list[dict],
    follow_ups: list[str],
    booster_products: list[str],
    approved_on: str,
    doses_per_vial: int,
    *,
    min_age: int | None = 18,
    max_age: int | None = None,
    note: str = "",
) -> dict[str, Any]:
    return {
        "name": name,
        "maker": maker,
        "platform": platform,
        "primary_doses": doses,
        "intervals": {str(n): gap for n, gap in enumerate(gaps, start=1)},
        "min_age": min_age,
        "max_age": max_age,
        "follow_ups": follow_ups,
        "booster_products": booster_products,
        "approved_on": approved_on,
        "doses_per_vial": doses_per_vial,
        "note": note,
    }


MRNA_OR_AZ = ["AZ", "PF", "MO"]

PRODUCTS_2021: dict[str, dict[str, Any]] = {
    "AZ": _product(
        "AstraZeneca (Vaxzevria / Covishield, ChAdOx1-S)",
        "AstraZeneca – Oxford (SK Bioscience, Serum Institute…)",
        "viral_vector",
        2,
        [_gap(56, 56, 84)],  # 8–12 weeks
        ["AZ", "PF", "MO"],  # AZ then an mRNA vaccine allowed
        MRNA_OR_AZ,
        "2021-01-30",
        10,
    ),
    "PF": _product(
        "Pfizer-BioNTech (Comirnaty, BNT162b2)",
        "Pfizer – BioNTech",
        "mrna",
        2,
        [_gap(21, 21, 28)],
        ["PF", "MO"],
        MRNA_OR_AZ,
        "2021-06-12",
        6,
    ),
    "MO": _product(
        "Moderna (Spikevax, mRNA-1273)",
        "Moderna",
        "mrna",
        2,
        [_gap(28, 28, 42)],
        ["MO", "PF"],
        MRNA_OR_AZ,
        "2021-06-29",
        10,
    ),
    "VC": _product(
        "Vero Cell (Sinopharm, BBIBP-CorV)",
        "Sinopharm – Viện Sinh phẩm Bắc Kinh",
        "inactivated",
        2,
        [_gap(21, 21, 28)],  # 3–4 weeks
        ["VC", "HV"],  # Sinopharm only with itself (Hayat-Vax is the same vaccine, made in the UAE)
        ["VC", "HV", *MRNA_OR_AZ],
        "2021-06-03",
        1,
    ),
    "HV": _product(
        "Hayat-Vax (Sinopharm BBIBP-CorV, sản xuất tại UAE)",
        "G42 – Julphar (UAE), licence of Sinopharm",
        "inactivated",
        2,
        [_gap(21, 21, 28)],
        ["HV", "VC"],
        ["HV", "VC", *MRNA_OR_AZ],
        "2021-08-10",
        1,
    ),
    "SP": _product(
        "Sputnik V (Gam-COVID-Vac)",
        "Gamaleya Institute",
        "viral_vector",
        2,
        [_gap(21, 21)],
        ["SP"],  # component 2 (Ad5) differs from component 1 (Ad26): same code, given in order
        ["SP", *MRNA_OR_AZ],
        "2021-03-23",
        1,
        note="Thành phần 1 (Ad26) và thành phần 2 (Ad5) khác nhau / components 1 and 2 differ",
    ),
    "AB": _product(
        "Abdala (CIGB-66)",
        "CIGB (Cuba)",
        "protein_subunit",
        3,
        [_gap(14, 14), _gap(14, 14)],  # 3 doses, 14 days apart
        ["AB"],
        ["AB", "PF", "MO"],
        "2021-09-17",
        10,
    ),
    "JJ": _product(
        "Janssen (Johnson & Johnson, Ad26.COV2.S)",
        "Janssen – Johnson & Johnson",
        "viral_vector",
        1,
        [],
        [],
        ["JJ", "PF", "MO"],
        "2021-07-15",
        5,
    ),
    "CX": _product(
        "Covaxin (BBV152)",
        "Bharat Biotech (Ấn Độ)",
        "inactivated",
        2,
        [_gap(28, 28)],
        ["CX"],
        ["CX", *MRNA_OR_AZ],
        "2021-11-10",
        20,
    ),
}

ADDITIONAL_NONE = {"allowed": False, "min_days": 28, "recommended_days": 28}
BOOSTER_NONE = {
    "allowed": False,
    "max_boosters": 0,
    "min_months": 6,
    "recommended_months": 6,
    "after_additional_months": 3,
    "between_boosters_months": 4,
    "min_age": 18,
}
ADDITIONAL_2021 = {"allowed": True, "min_days": 28, "recommended_days": 28}
BOOSTER_2021 = {**BOOSTER_NONE, "allowed": True, "max_boosters": 1}


def _catalogue(
    products: dict[str, dict[str, Any]], additional: dict[str, Any], booster: dict[str, Any]
) -> dict[str, Any]:
    return {"products": copy.deepcopy(products), "additional": dict(additional), "booster": dict(booster)}


def _with(products: dict[str, dict[str, Any]], code: str, **changes: Any) -> dict[str, dict[str, Any]]:
    changed = copy.deepcopy(products)
    changed[code] = {**changed[code], **changes}
    return changed


# From 20/9/2021 the national rule keeps AstraZeneca at 8–12 weeks and lets a province go down to 4.
PRODUCTS_SEP_2021 = _with(PRODUCTS_2021, "AZ", intervals={"1": _gap(56, 56, 84, floor_days=28)})
PRODUCTS_OCT_2021 = _with(PRODUCTS_SEP_2021, "PF", min_age=12)
PRODUCTS_APR_2022 = {
    **PRODUCTS_OCT_2021,
    "PF5": _product(
        "Pfizer-BioNTech 5–11 tuổi (Comirnaty 10 µg)",
        "Pfizer – BioNTech",
        "mrna",
        2,
        [_gap(21, 21, 56)],
        ["PF5", "PF"],  # a child who turns 12 between doses finishes with the adult dose [D]
        ["PF5", "PF"],
        "2022-03-28",
        10,
        min_age=5,
        max_age=11,
    ),
}

SRC_PRODUCTS = (
    "Catalogue [R unless marked]: products and MoH approval dates recalled (AZ 30/1/2021, Sputnik V "
    "23/3/2021, Vero Cell 3/6/2021, Pfizer 12/6/2021, Moderna 29/6/2021, Janssen 15/7/2021, Hayat-Vax "
    "10/8/2021, Abdala 17/9/2021, Covaxin 10/11/2021); intervals as issue 10 §1 states them [V~: issue "
    "10; Pfizer 21 d, Moderna 28 d, AZ 8–12 weeks, Vero Cell 3–4 weeks, Sputnik V 3 weeks, Abdala 3 "
    "doses 14 d apart]; max_days (end of the recommended window) from WHO SAGE [R]; ages ≥ 18 in 2021 "
    "[V~: NQ 21 'adults ≥ 18']; mixing AZ→PF/MO, PF↔MO, Sinopharm only with itself [V~: issue 10]; "
    "doses per vial [R]"
)

PRODUCTS_VERSIONS = [
    RuleVersion(
        PRODUCTS_KEY,
        "Triển khai 2021 (≥ 18 tuổi; AZ 8–12 tuần)",
        VACCINATION_START,
        D_AZ_FOUR_WEEKS,
        _catalogue(PRODUCTS_2021, ADDITIONAL_NONE, BOOSTER_NONE),
        source=SRC_PRODUCTS + "; no additional dose or booster yet [R]",
    ),
    RuleVersion(
        PRODUCTS_KEY,
        "Từ 20/9/2021 (tỉnh được rút AZ còn ≥ 4 tuần)",
        D_AZ_FOUR_WEEKS,
        D_TEENS,
        _catalogue(PRODUCTS_SEP_2021, ADDITIONAL_NONE, BOOSTER_NONE),
        source=SRC_PRODUCTS + "; from 20/9/2021 provinces may give AZ's second dose from 4 weeks [V~: issue 10 "
        "§1; the MoH dispatch number not verified] — national AZ stays 8–12 weeks with floor_days 28, a "
        "province applies it with the AZ_FOUR_WEEKS override",
    ),
    RuleVersion(
        PRODUCTS_KEY,
        "Trẻ 12–17 tuổi (Pfizer)",
        D_TEENS,
        D_BOOSTERS,
        _catalogue(PRODUCTS_OCT_2021, ADDITIONAL_NONE, BOOSTER_NONE),
        source=SRC_PRODUCTS + "; Pfizer for children 12–17 from late October 2021 [R: date recalled]",
    ),
    RuleVersion(
        PRODUCTS_KEY,
        "Mũi bổ sung và mũi nhắc lại (11/2021)",
        D_BOOSTERS,
        D_CHILDREN,
        _catalogue(PRODUCTS_OCT_2021, ADDITIONAL_2021, BOOSTER_2021),
        source=SRC_PRODUCTS + "; additional dose ≥ 28 days after the primary series for special groups "
        "(immunocompromised…), booster ≥ 6 months after it (≥ 3 months after an additional dose) with AZ, "
        "Pfizer or Moderna [V~: issue 10 §1 for 28 days and 6 months; MoH guidance of November 2021, number "
        "and date recalled; booster products and the 3 months after an additional dose R]; boosters for "
        "≥ 18 [R]",
    ),
    RuleVersion(
        PRODUCTS_KEY,
        "Trẻ 5–11 tuổi (Pfizer 10 µg)",
        D_CHILDREN,
        None,
        _catalogue(PRODUCTS_APR_2022, ADDITIONAL_2021, BOOSTER_2021),
        source=SRC_PRODUCTS + "; Pfizer 10 µg for children 5–11 from mid-April 2022, 2 doses ≥ 21 days apart "
        "[R: date, interval recalled]",
    ),
]

# The override a province writes to give AstraZeneca's second dose from 4 weeks (20/9/2021 on).
AZ_FOUR_WEEKS = {"products": {"AZ": {"intervals": {"1": {"min_days": 28, "recommended_days": 28}}}}}


def az_four_weeks(province: str, effective_from: date = D_AZ_FOUR_WEEKS) -> RuleVersion:
    """The province override: AstraZeneca's second dose from 28 days (refused before 20/9/2021)."""
    return RuleVersion(
        PRODUCTS_KEY,
        "AZ ≥ 4 tuần",
        effective_from,
        None,
        copy.deepcopy(AZ_FOUR_WEEKS),
        province=province,
        source="Province decision applying issue 10 §1 'AZ ≥ 4 weeks from 20/9/2021' [V~]",
    )


COLOUR_VERSIONS = [
    RuleVersion(
        COLOUR_KEY,
        "Mã màu PC-Covid",
        EPIDEMIC_START,
        None,
        {
            "green": {"full_primary_min_days": 14, "recovered_max_days": 180},
            "yellow": {"one_dose_min_days": 14, "negative_pcr_max_hours": 72},
        },
        source="Issue 10 §3 [V~]: green = primary series complete ≥ 14 days or recovered within 180 days; yellow "
        "= one dose ≥ 14 days or a negative PCR within 72 hours; red otherwise. PC-Covid launched 30/9/2021 "
        "[V]; the same thresholds applied to earlier days [D]",
    ),
]

TARGET_VERSIONS = [
    RuleVersion(
        TARGETS_KEY,
        "Kế hoạch 152, 10 (≥ 95%)",
        VACCINATION_START,
        None,
        {"coverage_pct": 95, "groups": {}},
        source="Plans 152 (Bù Gia Mập) and 10 (Châu Sơn): ≥ 95% coverage by priority group [V~: issue 10]; a "
        "province sets its own with an override",
    ),
]

DEFAULT_VERSIONS = [*PRODUCTS_VERSIONS, *GROUP_VERSIONS, *COLOUR_VERSIONS, *SCREENING_VERSIONS, *TARGET_VERSIONS]
