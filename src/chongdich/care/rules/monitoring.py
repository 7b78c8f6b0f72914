"""Twice-daily health record of a home-treated F0 and its warning signs (QĐ 261 §4.3; list
and thresholds in ``defaults_monitoring``).  Any warning sign raises an alert: the F0 must be
reported at once to the home-care team / commune health station for emergency handling."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from chongdich.care.rules.config import MONITORING_KEY, SurveillanceConfig, resolve
from chongdich.surveillance.rules.bounds import Bound, compile_bound, fmt, fmt_vi, number
from chongdich.surveillance.rules.dates import as_date
from chongdich.surveillance.rules.errors import ConfigError, InputError
from chongdich.surveillance.rules.reasons import Reason

ADULT_AGE_IF_UNKNOWN = 18.0  # an unknown age is judged with the adult thresholds [D]

# Symptom vocabulary (codes stored in records).  The first block is the ordinary symptoms of the
# QĐ 261 health record; the second the symptoms named by warning signs.
SYMPTOMS: dict[str, tuple[str, str]] = {
    "fever": ("sốt", "fever"),
    "cough": ("ho", "cough"),
    "sputum": ("ho có đờm", "productive cough"),
    "haemoptysis": ("ho ra máu", "coughing up blood"),
    "fatigue": ("mệt mỏi", "fatigue"),
    "chills": ("ớn lạnh, gai rét", "chills"),
    "conjunctivitis": ("viêm kết mạc (mắt đỏ)", "conjunctivitis (red eyes)"),
    "loss_of_taste_or_smell": ("mất vị giác hoặc khứu giác", "loss of taste or smell"),
    "diarrhoea": ("tiêu chảy", "diarrhoea"),
    "sore_throat": ("đau họng", "sore throat"),
    "runny_nose": ("chảy mũi", "runny nose"),
    "headache": ("nhức đầu", "headache"),
    "dizziness": ("chóng mặt", "dizziness"),
    "loss_of_appetite": ("chán ăn", "loss of appetite"),
    "nausea": ("buồn nôn", "nausea"),
    "vomiting": ("nôn", "vomiting"),
    "muscle_pain": ("đau nhức cơ", "muscle pain"),
    # named by warning signs
    "dyspnoea": ("khó thở, thở hụt hơi", "shortness of breath"),
    "abnormal_breathing": (
        "thở bất thường (thở rên, rút lõm lồng ngực, phập phồng cánh mũi, khò khè, thở rít)",
        "abnormal breathing (grunting, chest indrawing, nasal flaring, wheezing, stridor)",
    ),
    "chest_pain": ("đau tức ngực", "chest pain or tightness"),
    "altered_consciousness": (
        "thay đổi ý thức (lú lẫn, ngủ rũ, lơ mơ, mệt lả, li bì)",
        "altered consciousness (confusion, drowsiness, stupor, exhaustion, lethargy)",
    ),
    "seizure": ("co giật", "seizure"),
    "cyanosis": ("tím tái, da xanh, lạnh đầu chi", "cyanosis, pallor, cold extremities"),
    "unable_to_drink": ("không uống được", "unable to drink"),
    "poor_feeding": ("bú kém, ăn kém", "poor feeding or eating"),
    "mis_c_signs": (
        "dấu hiệu viêm đa hệ thống (sốt cao, đỏ mắt, môi đỏ, lưỡi dâu tây, sưng phù, hồng ban)",
        "signs of multisystem inflammation (high fever, red eyes and lips, strawberry tongue, swelling, rash)",
    ),
    "acute_illness": (
        "mắc thêm bệnh cấp tính (sốt xuất huyết, tay chân miệng…)",
        "another acute illness (dengue, hand-foot-and-mouth…)",
    ),
    "other_concern": ("tình trạng bất ổn khác cần báo", "other concern to report"),
}

MEASURES: dict[str, tuple[str, str, str, str, float, float]] = {  # name → (vi, en, unit vi, unit en, min, max)
    "respiratory_rate": ("nhịp thở", "respiratory rate", " lần/phút", "/min", 0, 200),
    "spo2": ("SpO2", "SpO2", "%", "%", 0, 100),
    "pulse": ("mạch", "pulse", " lần/phút", "/min", 0, 300),
    "systolic_bp": ("huyết áp tối đa", "systolic BP", " mmHg", " mmHg", 0, 300),
    "diastolic_bp": ("huyết áp tối thiểu", "diastolic BP", " mmHg", " mmHg", 0, 300),
    "temperature_c": ("nhiệt độ", "temperature", " °C", " °C", 25, 45),
}


@dataclass(frozen=True, slots=True)
class MonitoringEntry:
    """One health-record entry; ``None`` = not measured.  ``fever_hours``: how long the
    temperature has stayed at or above the fever bound (see ``fever_duration_hours``)."""

    recorded_at: date | datetime
    temperature_c: float | None = None
    spo2: float | None = None
    respiratory_rate: float | None = None
    pulse: float | None = None
    systolic_bp: float | None = None
    diastolic_bp: float | None = None
    symptoms: frozenset[str] = frozenset()
    age: float | None = None  # years; for the children's thresholds
    fever_hours: float | None = None

    def __post_init__(self) -> None:
        as_date(self.recorded_at, "recorded_at")
        for name, (vi, en, unit_vi, unit_en, low, high) in MEASURES.items():
            value = getattr(self, name)
            if value is not None and (type(value) not in (int, float) or not low <= value <= high):
                raise InputError(
                    name,
                    f"{vi} phải từ {fmt_vi(low)} đến {fmt_vi(high)}{unit_vi}, nhận {value!r}",
                    f"{en} must be from {fmt(low)} to {fmt(high)}{unit_en}, got {value!r}",
                )
        for name, high in (("age", 130), ("fever_hours", 24 * 365)):
            value = getattr(self, name)
            if value is not None and (type(value) not in (int, float) or not 0 <= value <= high):
                raise InputError(
                    name,
                    f"phải là số từ 0 đến {high}, nhận {value!r}",
                    f"must be a number from 0 to {high}, got {value!r}",
                )
        if isinstance(self.symptoms, str) or not isinstance(self.symptoms, Iterable):
            raise InputError("symptoms", "phải là tập mã triệu chứng", "must be a set of symptom codes")
        symptoms = frozenset(self.symptoms)
        unknown = sorted(symptoms - SYMPTOMS.keys())
        if unknown:
            raise InputError("symptoms", f"mã triệu chứng không hợp lệ: {unknown}", f"unknown symptom codes: {unknown}")
        object.__setattr__(self, "symptoms", symptoms)


@dataclass(frozen=True, slots=True)
class WarningSign:
    code: str
    number: int | None  # 1–11 in the QĐ 261 list; None for an extra sign
    vi: str
    en: str
    confidence: str  # V, V~, R or D
    detail_vi: str  # what triggered it, e.g. "SpO2 95% ≤ 96%"
    detail_en: str
    note_vi: str = ""
    note_en: str = ""


@dataclass(frozen=True, slots=True)
class MonitoringResult:
    alert: bool
    signs: list[WarningSign]
    missing: list[str]  # required measurements not recorded (QĐ 261: RR, pulse, temperature, SpO2)
    rule_version: str
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Condition:
    kind: str  # "symptoms", "measure" or "fever"
    symptoms: frozenset[str] = frozenset()
    measure: str = ""
    bound: Bound | None = None
    more_than_hours: float = 0
    age_from: float | None = None
    age_below: float | None = None

    def applies_to(self, age: float) -> bool:
        return (self.age_from is None or age >= self.age_from) and (self.age_below is None or age < self.age_below)


@dataclass(frozen=True, slots=True)
class _Sign:
    code: str
    number: int | None
    vi: str
    en: str
    note_vi: str
    note_en: str
    confidence: str
    conditions: tuple[_Condition, ...]


@dataclass(frozen=True, slots=True)
class MonitoringParams:
    signs: tuple[_Sign, ...]
    required: tuple[str, ...]

    def fever_bound(self) -> Bound | None:
        return next((c.bound for s in self.signs for c in s.conditions if c.kind == "fever"), None)


def check_monitoring(
    entry: MonitoringEntry,
    config: SurveillanceConfig | None = None,
    *,
    province: str | None = None,
) -> MonitoringResult:
    """Warning signs in one entry, by the list in force on the entry's date."""
    on = as_date(entry.recorded_at, "recorded_at")
    version, p = resolve(config).compiled(MONITORING_KEY, on, province, compile_params)
    age = entry.age if entry.age is not None else ADULT_AGE_IF_UNKNOWN
    signs: list[WarningSign] = []
    missing = [name for name in p.required if getattr(entry, name) is None]
    for sign in p.signs:
        for condition in sign.conditions:
            if not condition.applies_to(age):
                continue
            hit = _hit(condition, entry, missing)
            if hit is not None:
                signs.append(
                    WarningSign(
                        sign.code,
                        sign.number,
                        sign.vi,
                        sign.en,
                        sign.confidence,
                        hit[0],
                        hit[1],
                        sign.note_vi,
                        sign.note_en,
                    )
                )
                break
    reasons = [
        Reason(
            "QĐ 261",
            f"{s.vi}: {s.detail_vi}" + (f" (dấu hiệu {s.number})" if s.number else ""),
            f"{s.en}: {s.detail_en}" + (f" (sign {s.number})" if s.number else ""),
        )
        for s in signs
    ]
    if signs:
        reasons.append(
            Reason(
                "QĐ 261",
                "báo ngay cho cơ sở quản lý người mắc COVID-19 tại nhà / trạm y tế để xử trí "
                "cấp cứu, chuyển viện kịp thời",
                "report at once to the home-care team / health station for emergency care",
            )
        )
    if missing:
        names_vi = ", ".join(MEASURES[m][0] if m in MEASURES else m for m in missing)
        names_en = ", ".join(MEASURES[m][1] if m in MEASURES else m for m in missing)
        reasons.append(Reason("QĐ 261", f"chưa đo: {names_vi}", f"not measured: {names_en}"))
    return MonitoringResult(bool(signs), signs, sorted(set(missing)), version.version, reasons)


def _hit(c: _Condition, entry: MonitoringEntry, missing: list[str]) -> tuple[str, str] | None:
    if c.kind == "symptoms":
        found = sorted(c.symptoms & entry.symptoms)
        if not found:
            return None
        return ", ".join(SYMPTOMS[s][0] for s in found), ", ".join(SYMPTOMS[s][1] for s in found)
    assert c.bound is not None
    if c.kind == "measure":
        value = getattr(entry, c.measure)
        if value is None or not c.bound.holds(value):
            return None
        vi, en, unit_vi, unit_en, _, _ = MEASURES[c.measure]
        return (
            f"{vi} {fmt_vi(value)}{unit_vi} {c.bound.symbol} {fmt_vi(c.bound.limit)}{unit_vi}",
            f"{en} {fmt(value)}{unit_en} {c.bound.text()}{unit_en}",
        )
    value = entry.temperature_c  # fever
    if value is None or not c.bound.holds(value):
        return None
    if entry.fever_hours is None:
        missing.append("fever_hours")
        return None
    if entry.fever_hours <= c.more_than_hours:
        return None
    return (
        f"nhiệt độ {fmt_vi(value)} °C {c.bound.symbol} {fmt_vi(c.bound.limit)} °C kéo dài "
        f"{fmt_vi(round(entry.fever_hours, 1))} giờ > {fmt_vi(c.more_than_hours)} giờ",
        f"temperature {fmt(value)} °C {c.bound.text()} °C for {fmt(round(entry.fever_hours, 1))} h > "
        f"{fmt(c.more_than_hours)} h",
    )


def fever_duration_hours(
    entries: Sequence[MonitoringEntry],
    config: SurveillanceConfig | None = None,
    *,
    province: str | None = None,
) -> float | None:
    """Hours from the first entry of the latest unbroken run of readings at or above the fever
    bound to the latest entry (0 for a single reading); None when the latest reading is below
    the bound or not taken, or entries lack times.  Entries must be datetimes."""
    timed = sorted((e for e in entries if e.temperature_c is not None), key=lambda e: _when(e))
    if not timed:
        return None
    _, p = resolve(config).compiled(
        MONITORING_KEY, as_date(timed[-1].recorded_at, "recorded_at"), province, compile_params
    )
    bound = p.fever_bound()
    if bound is None or not bound.holds(timed[-1].temperature_c):  # type: ignore[arg-type]
        return None
    first = timed[-1]
    for e in reversed(timed):
        if not bound.holds(e.temperature_c):  # type: ignore[arg-type]
            break
        first = e
    return (_when(timed[-1]) - _when(first)).total_seconds() / 3600


def _when(e: MonitoringEntry) -> datetime:
    if not isinstance(e.recorded_at, datetime):
        raise InputError(
            "recorded_at",
            "cần thời điểm (ngày giờ) để tính thời gian sốt",
            "needs a datetime to measure how long the fever lasted",
        )
    return e.recorded_at


def compile_params(values: Mapping[str, Any], where: str) -> MonitoringParams:
    signs = []
    seen = set()
    for index, raw in enumerate(values["signs"]):
        at = f"{where}.signs[{index}]"
        code = raw["code"]
        if code in seen:
            raise ConfigError(f"{at}: duplicate code {code!r}")
        seen.add(code)
        n = raw.get("number")
        if n is not None and (type(n) is not int or n < 1):
            raise ConfigError(f"{at}.number: expected a positive integer or null")
        if raw.get("confidence") not in ("V", "V~", "R", "D"):
            raise ConfigError(f"{at}.confidence: expected V, V~, R or D")
        conditions = tuple(_condition(c, f"{at}.when[{i}]") for i, c in enumerate(raw["when"]))
        if not conditions:
            raise ConfigError(f"{at}.when: at least one condition")
        signs.append(
            _Sign(
                code,
                n,
                str(raw["vi"]),
                str(raw["en"]),
                str(raw.get("note_vi", "")),
                str(raw.get("note_en", "")),
                raw["confidence"],
                conditions,
            )
        )
    required = tuple(values.get("required_measures", []))
    if set(required) - MEASURES.keys():
        raise ConfigError(f"{where}.required_measures: unknown {sorted(set(required) - MEASURES.keys())}")
    return MonitoringParams(tuple(signs), required)


def _condition(raw: Mapping[str, Any], where: str) -> _Condition:
    age_from = number(raw["age_from"], f"{where}.age_from") if "age_from" in raw else None
    age_below = number(raw["age_below"], f"{where}.age_below") if "age_below" in raw else None
    if "symptoms" in raw:
        symptoms = frozenset(raw["symptoms"])
        if not symptoms or symptoms - SYMPTOMS.keys():
            raise ConfigError(f"{where}.symptoms: unknown or empty {sorted(symptoms - SYMPTOMS.keys())}")
        extra = set(raw) - {"symptoms", "age_from", "age_below"}
        if extra:
            raise ConfigError(f"{where}: unexpected keys {sorted(extra)}")
        return _Condition("symptoms", symptoms=symptoms, age_from=age_from, age_below=age_below)
    if "measure" in raw:
        if raw["measure"] not in MEASURES:
            raise ConfigError(f"{where}.measure: unknown {raw['measure']!r}; expected one of {list(MEASURES)}")
        bound = compile_bound({k: v for k, v in raw.items() if k not in ("measure", "age_from", "age_below")}, where)
        return _Condition("measure", measure=raw["measure"], bound=bound, age_from=age_from, age_below=age_below)
    if "fever" in raw:
        hours = number(raw["more_than_hours"], f"{where}.more_than_hours")
        return _Condition(
            "fever",
            bound=compile_bound(raw["fever"], f"{where}.fever"),
            more_than_hours=hours,
            age_from=age_from,
            age_below=age_below,
        )
    raise ConfigError(f"{where}: expected 'symptoms', 'measure' or 'fever'")
