"""Eligibility of an F0 for home care (R-53): QĐ 4038 (from 21/8/2021) and QĐ 261 (from
31/1/2022), by the version in force on ``as_of``.

Criteria are three-valued: met, failed, or undetermined because an input is missing (``None``
means "not recorded").  ``eligible`` is True only when every criterion is met; ``failed`` lists
the criteria that failed and ``missing`` the inputs still needed.  Boundaries are data: under
4038 RR ≤ 20 and SpO2 ≥ 96 are eligible; under 261 RR < 20 and SpO2 > 96 are required, so
RR = 20 or SpO2 = 96 is eligible under 4038 and not under 261.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chongdich.care.rules.config import HOME_CARE_KEY, SurveillanceConfig, resolve
from chongdich.surveillance.rules.bounds import Bound, compile_bound, fmt, fmt_vi, number
from chongdich.surveillance.rules.dates import as_date, vi_date
from chongdich.surveillance.rules.errors import ConfigError, InputError
from chongdich.surveillance.rules.reasons import Reason

R = "R-53"


class Severity(StrEnum):
    ASYMPTOMATIC = "asymptomatic"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    CRITICAL = "critical"

    @property
    def vi(self) -> str:
        return {
            "asymptomatic": "không triệu chứng",
            "mild": "nhẹ",
            "moderate": "trung bình",
            "severe": "nặng",
            "critical": "nguy kịch",
        }[self.value]


class Comorbidity(StrEnum):
    NONE = "none"  # không có bệnh nền
    STABLE = "stable"  # có bệnh nền, đang điều trị ổn định
    UNSTABLE = "unstable"  # có bệnh nền chưa ổn định

    @property
    def vi(self) -> str:
        return {"none": "không có bệnh nền", "stable": "bệnh nền ổn định", "unstable": "bệnh nền chưa ổn định"}[
            self.value
        ]

    @property
    def en(self) -> str:
        return {"none": "no comorbidity", "stable": "stable comorbidity", "unstable": "unstable comorbidity"}[
            self.value
        ]


@dataclass(frozen=True, slots=True)
class HomeCareInputs:
    """One F0's facts; ``None`` = not recorded.  ``age`` in years (fractions allowed: 1.5)."""

    age: float | None = None
    severity: Severity | None = None
    respiratory_rate: float | None = None  # breaths per minute
    spo2: float | None = None  # % on room air
    abnormal_breathing: bool | None = None  # thở rên, rút lõm lồng ngực, phập phồng cánh mũi, khò khè, thở rít
    vaccinated_doses: int | None = None
    last_dose_date: date | None = None
    comorbidity: Comorbidity | None = None
    comorbidities: tuple[str, ...] = ()  # names, for the record only
    pregnant: bool | None = None
    can_self_care: bool | None = None
    has_carer: bool | None = None
    reachable: bool | None = None  # can communicate with health workers (phone, computer…)

    def __post_init__(self) -> None:
        for name, kind in (("severity", Severity), ("comorbidity", Comorbidity)):
            value = getattr(self, name)
            if value is not None and not isinstance(value, kind):
                try:
                    object.__setattr__(self, name, kind(value))
                except ValueError:
                    raise InputError(
                        name,
                        f"giá trị không hợp lệ: {value!r}",
                        f"invalid value {value!r}; expected one of {[k.value for k in kind]}",
                    ) from None
        for name, low, high in (("age", 0, 130), ("respiratory_rate", 0, 200), ("spo2", 0, 100)):
            value = getattr(self, name)
            if value is not None and (type(value) not in (int, float) or not low <= value <= high):
                raise InputError(
                    name,
                    f"phải là số từ {low} đến {high}, nhận {value!r}",
                    f"must be a number from {low} to {high}, got {value!r}",
                )
        doses = self.vaccinated_doses
        if doses is not None and (type(doses) is not int or doses < 0):
            raise InputError(
                "vaccinated_doses", f"phải là số nguyên ≥ 0, nhận {doses!r}", f"must be an integer ≥ 0, got {doses!r}"
            )
        if self.comorbidity is Comorbidity.NONE and self.comorbidities:
            raise InputError(
                "comorbidities",
                "có tên bệnh nền nhưng ghi 'không có bệnh nền'",
                "comorbidities listed but comorbidity is 'none'",
            )
        for name in ("abnormal_breathing", "pregnant", "can_self_care", "has_carer", "reachable"):
            value = getattr(self, name)
            if value is not None and type(value) is not bool:
                raise InputError(name, "phải là true/false", "must be true or false")


@dataclass(frozen=True, slots=True)
class Eligibility:
    eligible: bool
    rule_version: str
    reasons: list[Reason] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # criterion names
    missing: list[str] = field(default_factory=list)  # input names still needed


@dataclass(frozen=True, slots=True)
class LowRiskBranch:
    """QĐ 4038: vaccinated (``full_doses``, or one dose ≥ ``one_dose_min_days`` days before), or
    all of: age in (``age_more_than``, ``age_less_than``), no comorbidity, not pregnant."""

    full_doses: int
    one_dose_min_days: int
    age_more_than: float
    age_less_than: float
    no_comorbidity: bool
    not_pregnant: bool


@dataclass(frozen=True, slots=True)
class HomeCareParams:
    permitted: bool
    severities: frozenset[Severity] = frozenset()
    respiratory_rate: Bound | None = None
    spo2: Bound | None = None
    abnormal_breathing_excludes: bool = True
    comorbidity_allowed: frozenset[Comorbidity] = frozenset(Comorbidity)
    protection: LowRiskBranch | None = None


Tri = bool | None  # three-valued: True met, False failed, None undetermined


def home_care_eligibility(
    inputs: HomeCareInputs,
    as_of: date | datetime,
    config: SurveillanceConfig | None = None,
    *,
    province: str | None = None,
) -> Eligibility:
    on = as_date(as_of, "as_of")
    version, p = resolve(config).compiled(HOME_CARE_KEY, on, province, compile_params)
    name = version.version
    if not p.permitted:
        return Eligibility(
            False,
            name,
            [
                Reason(
                    R,
                    f"{name}: chưa có hướng dẫn quản lý F0 tại nhà — điều trị tại cơ sở",
                    f"{name}: no home-care guidance in force — treat in a facility",
                )
            ],
            ["permitted"],
            [],
        )
    checks = _Checks()
    i = inputs
    sev = None if i.severity is None else i.severity in p.severities
    checks.add(
        "severity",
        sev,
        ["severity"],
        f"mức độ: {i.severity.vi if i.severity else '?'} (cho phép: không triệu chứng hoặc nhẹ)",
        f"severity: {i.severity.value if i.severity else '?'} (allowed: asymptomatic or mild)",
    )
    for field_name, bound, label_vi, label_en, unit_vi, unit_en in (
        ("respiratory_rate", p.respiratory_rate, "nhịp thở", "respiratory rate", " lần/phút", "/min"),
        ("spo2", p.spo2, "SpO2", "SpO2", "%", "%"),
    ):
        if bound is None:
            continue
        value = getattr(i, field_name)
        shown_vi = "?" if value is None else fmt_vi(value) + unit_vi
        shown_en = "?" if value is None else fmt(value) + unit_en
        checks.add(
            field_name,
            None if value is None else bound.holds(value),
            [field_name],
            f"{label_vi} {shown_vi} (cần {bound.symbol} {fmt_vi(bound.limit)})",
            f"{label_en} {shown_en} (needs {bound.text()})",
        )
    if p.abnormal_breathing_excludes:
        ab = None if i.abnormal_breathing is None else not i.abnormal_breathing
        checks.add("abnormal_breathing", ab, ["abnormal_breathing"], "không có thở bất thường", "no abnormal breathing")
    if p.comorbidity_allowed != frozenset(Comorbidity):
        co = None if i.comorbidity is None else i.comorbidity in p.comorbidity_allowed
        allowed_vi = " hoặc ".join(c.vi for c in Comorbidity if c in p.comorbidity_allowed)
        allowed_en = " or ".join(c.en for c in Comorbidity if c in p.comorbidity_allowed)
        checks.add(
            "comorbidity",
            co,
            ["comorbidity"],
            f"bệnh nền: {i.comorbidity.vi if i.comorbidity else '?'} (cho phép: {allowed_vi})",
            f"comorbidity: {i.comorbidity.en if i.comorbidity else '?'} (allowed: {allowed_en})",
        )
    if p.protection is not None:
        _protection(p.protection, i, on, checks)
    care = _or(_and(i.can_self_care, i.reachable), i.has_carer)
    care_missing = [n for n in ("can_self_care", "reachable", "has_carer") if getattr(i, n) is None]
    checks.add(
        "care",
        care,
        care_missing,
        "tự chăm sóc và liên lạc được với nhân viên y tế, hoặc có người chăm sóc",
        "can self-care and reach health workers, or has a carer",
    )
    eligible = not checks.failed and not checks.missing
    if eligible:
        text = ("đủ điều kiện quản lý tại nhà", "eligible for home care")
    elif checks.failed:
        text = ("không đủ điều kiện quản lý tại nhà", "not eligible for home care")
    else:
        text = ("chưa đủ thông tin để kết luận", "cannot decide yet: inputs missing")
    verdict = Reason(R, f"{name}: {text[0]}", f"{name}: {text[1]}")
    return Eligibility(eligible, name, [verdict, *checks.reasons], checks.failed, sorted(set(checks.missing)))


class _Checks:
    def __init__(self) -> None:
        self.reasons: list[Reason] = []
        self.failed: list[str] = []
        self.missing: list[str] = []

    def add(self, criterion: str, result: Tri, inputs: list[str], vi: str, en: str) -> None:
        if result is True:
            self.reasons.append(Reason(R, f"đạt: {vi}", f"met: {en}"))
        elif result is False:
            self.failed.append(criterion)
            self.reasons.append(Reason(R, f"không đạt: {vi}", f"failed: {en}"))
        else:
            self.missing.extend(inputs)
            self.reasons.append(Reason(R, f"thiếu thông tin: {vi}", f"missing input: {en}"))


def _protection(b: LowRiskBranch, i: HomeCareInputs, on: date, checks: _Checks) -> None:
    vaccinated: Tri
    need: list[str] = []
    if i.vaccinated_doses is None:
        vaccinated, need = None, ["vaccinated_doses"]
    elif i.vaccinated_doses >= b.full_doses:
        vaccinated = True
    elif i.vaccinated_doses >= 1:
        if i.last_dose_date is None:
            vaccinated, need = None, ["last_dose_date"]
        else:
            vaccinated = (on - i.last_dose_date).days >= b.one_dose_min_days
    else:
        vaccinated = False
    age = None if i.age is None else b.age_more_than < i.age < b.age_less_than
    comorbidity = None if i.comorbidity is None else (i.comorbidity is Comorbidity.NONE or not b.no_comorbidity)
    pregnant = None if i.pregnant is None else (not i.pregnant or not b.not_pregnant)
    low_risk = _and(_and(age, comorbidity), pregnant)
    result = _or(vaccinated, low_risk)
    if result is None:
        need += [n for n, v in (("age", age), ("comorbidity", comorbidity), ("pregnant", pregnant)) if v is None]
    doses = "?" if i.vaccinated_doses is None else str(i.vaccinated_doses)
    last_vi = f", mũi cuối {vi_date(i.last_dose_date)}" if i.last_dose_date else ""
    last_en = f", last {i.last_dose_date.isoformat()}" if i.last_dose_date else ""
    checks.add(
        "vaccination_or_low_risk",
        result,
        need,
        f"đã tiêm {b.full_doses} mũi hoặc 1 mũi ≥ {b.one_dose_min_days} ngày ({doses} mũi{last_vi}), hoặc "
        f"{fmt_vi(b.age_more_than)} < tuổi < {fmt_vi(b.age_less_than)}, không bệnh nền, không mang thai",
        f"{b.full_doses} doses or 1 dose ≥ {b.one_dose_min_days} days ({doses} doses{last_en}), or "
        f"{fmt(b.age_more_than)} < age < {fmt(b.age_less_than)}, no comorbidity, not pregnant",
    )


def _and(a: Tri, b: Tri) -> Tri:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _or(a: Tri, b: Tri) -> Tri:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def compile_params(values: Mapping[str, Any], where: str) -> HomeCareParams:
    permitted = values["permitted"]
    if type(permitted) is not bool:
        raise ConfigError(f"{where}.permitted: expected true or false")
    if not permitted:
        return HomeCareParams(permitted=False)
    try:
        severities = frozenset(Severity(s) for s in values["severities"])
        allowed = frozenset(Comorbidity(c) for c in values["comorbidity_allowed"])
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None
    raw = values.get("protection")
    protection = None
    if raw is not None:
        protection = LowRiskBranch(
            full_doses=_count(raw["full_doses"], f"{where}.protection.full_doses"),
            one_dose_min_days=_count(raw["one_dose_min_days"], f"{where}.protection.one_dose_min_days"),
            age_more_than=number(raw["age_more_than"], f"{where}.protection.age_more_than"),
            age_less_than=number(raw["age_less_than"], f"{where}.protection.age_less_than"),
            no_comorbidity=bool(raw["no_comorbidity"]),
            not_pregnant=bool(raw["not_pregnant"]),
        )
    if type(values["abnormal_breathing_excludes"]) is not bool:
        raise ConfigError(f"{where}.abnormal_breathing_excludes: expected true or false")
    return HomeCareParams(
        permitted=True,
        severities=severities,
        respiratory_rate=compile_bound(values["respiratory_rate"], f"{where}.respiratory_rate"),
        spo2=compile_bound(values["spo2"], f"{where}.spo2"),
        abnormal_breathing_excludes=values["abnormal_breathing_excludes"],
        comorbidity_allowed=allowed,
        protection=protection,
    )


def _count(raw: Any, where: str) -> int:
    if type(raw) is not int or raw < 0:
        raise ConfigError(f"{where}: expected a whole number ≥ 0, got {raw!r}")
    return raw
