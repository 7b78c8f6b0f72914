"""Pre-vaccination screening (khám sàng lọc): the checklist in force on a day and its outcome.

``screen(answers, cfg, on)`` takes one boolean per question of the checklist in force (``questions``
lists them; ``QUESTIONS`` is the latest national list, for forms and docs) and, optionally, the
measurements ``temperature`` (°C), ``pulse`` (/min), ``systolic`` / ``diastolic`` (mmHg) and ``spo2``
(%), ``null`` when not measured.  Every "yes" and every measurement out of range leads to an
outcome; the most severe wins (contraindicated > postpone > caution > eligible).  A question left
unanswered, an unknown key or a value of the wrong type is an ``InputError`` naming it: a screening
never passes by omission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chongdich.vaccination.rules.catalogue import OUTCOMES, VITALS, Question, VitalBound
from chongdich.vaccination.rules.config import VaccinationConfig, default_config, resolve
from chongdich.vaccination.rules.defaults_screening import D_5002
from chongdich.vaccination.rules.errors import InputError
from chongdich.vaccination.rules.keys import SCREENING_KEY


class ScreeningOutcome(StrEnum):
    ELIGIBLE = "eligible"  # đủ điều kiện tiêm ngay
    CAUTION = "caution"  # thận trọng: tiêm tại bệnh viện hoặc theo dõi kỹ hơn
    POSTPONE = "postpone"  # tạm hoãn
    CONTRAINDICATED = "contraindicated"  # chống chỉ định

    @property
    def severity(self) -> int:
        return OUTCOMES.index(self.value)


OUTCOME_TEXT = {
    ScreeningOutcome.ELIGIBLE: ("Đủ điều kiện tiêm chủng ngay", "Eligible"),
    ScreeningOutcome.CAUTION: (
        "Thận trọng: tiêm tại bệnh viện hoặc theo dõi kỹ hơn",
        "Caution: hospital or closer watch",
    ),
    ScreeningOutcome.POSTPONE: ("Tạm hoãn tiêm chủng", "Postpone"),
    ScreeningOutcome.CONTRAINDICATED: ("Chống chỉ định tiêm chủng", "Contraindicated"),
}


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    outcome: ScreeningOutcome
    reasons: tuple[str, ...]  # codes of the "yes" questions and abnormal measurements, most severe first
    instrument: str = ""  # the checklist's instrument, e.g. "QĐ 5002/QĐ-BYT 29/10/2021"
    rule_version: str = ""
    details: tuple[tuple[str, str], ...] = ()  # (code, the outcome it leads to), same order as reasons

    def texts(self, cfg: VaccinationConfig | None = None, on: dt.date | None = None, lang: str = "vi") -> list[str]:
        """The reasons as text from the checklist of ``on`` (default: the latest)."""
        known = {item.code: item for item in (*questions(cfg, on), *vitals(cfg, on))}
        return [
            getattr(known[code], "en" if lang == "en" else "vi") if code in known else code for code in self.reasons
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "reasons": list(self.reasons),
            "instrument": self.instrument,
            "rule_version": self.rule_version,
        }


def questions(
    cfg: VaccinationConfig | None = None, on: dt.date | None = None, province: str | None = None
) -> tuple[Question, ...]:
    """The checklist in force on ``on`` (default: the latest national version)."""
    return resolve(cfg).screening_rule(on or D_5002, province).questions


def vitals(
    cfg: VaccinationConfig | None = None, on: dt.date | None = None, province: str | None = None
) -> tuple[VitalBound, ...]:
    return resolve(cfg).screening_rule(on or D_5002, province).vitals


QUESTIONS: tuple[Question, ...] = default_config().screening_rule(D_5002).questions


def screen(
    answers: Mapping[str, object],
    cfg: VaccinationConfig | None = None,
    on: dt.date | None = None,
    *,
    province: str | None = None,
) -> ScreeningResult:
    if not isinstance(on, dt.date):
        raise InputError("on", f"cần ngày khám sàng lọc, nhận {on!r}", f"the screening date is needed, got {on!r}")
    if isinstance(on, dt.datetime):
        on = on.date()
    if not isinstance(answers, Mapping):
        raise InputError("answers", "phải là bảng câu trả lời", f"must be a mapping, got {type(answers).__name__}")
    cfg = resolve(cfg)
    version = cfg.rule(SCREENING_KEY, on, province)
    rule = cfg.screening_rule(on, province)
    asked = {q.code: q for q in rule.questions}
    measured = {v.code: v for v in rule.vitals}
    for key in answers:
        if key not in asked and key not in VITALS:
            raise InputError(
                str(key),
                f"câu hỏi không có trong phiếu sàng lọc {rule.instrument}",
                f"not a question of the checklist {rule.instrument}",
            )
    missing = [code for code in asked if code not in answers]
    if missing:
        raise InputError(
            missing[0],
            f"chưa trả lời ({len(missing)} câu: {', '.join(missing)})",
            f"not answered ({len(missing)}: {', '.join(missing)})",
        )
    findings: list[tuple[str, str, int]] = []
    for code, question in asked.items():
        value = answers[code]
        if type(value) is not bool:
            raise InputError(
                code, f"phải là có/không, nhận {value!r}", f"must be yes or no (true/false), got {value!r}"
            )
        if value:
            findings.append((code, question.yes, question.number))
    for code in VITALS:
        value = answers.get(code)
        if value is None:
            continue
        if type(value) not in (int, float) or value != value or value < 0:  # noqa: PLR0124 - NaN
            raise InputError(code, f"phải là số đo ≥ 0, nhận {value!r}", f"must be a measurement ≥ 0, got {value!r}")
        bound = measured.get(code)
        if bound is not None and bound.abnormal(value):
            findings.append((code, bound.outcome, 1000 + VITALS.index(code)))
    findings.sort(key=lambda f: (-OUTCOMES.index(f[1]), f[2]))
    outcome = ScreeningOutcome(findings[0][1]) if findings else ScreeningOutcome.ELIGIBLE
    return ScreeningResult(
        outcome=outcome,
        reasons=tuple(code for code, _, _ in findings),
        instrument=rule.instrument,
        rule_version=version.version,
        details=tuple((code, result) for code, result, _ in findings),
    )
