"""What the public health declaration asks: symptoms in the last 14 days and exposures.

The lists follow the Ministry of Health's domestic health declaration (tokhaiyte.vn / NCOVI, then
PC-Covid, 2020–2022) [V~: the items are those of the declaration; the wording is ours].  Codes are
stored in ``Declaration.symptoms`` / ``.exposures``: they never change; names may.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from chongdich.movement.rules.errors import InputError


class Code(NamedTuple):
    code: str
    name_vi: str
    name_en: str

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang.lower().startswith("en") else self.name_vi


SYMPTOMS: tuple[Code, ...] = (
    Code("fever", "Sốt", "Fever"),
    Code("cough", "Ho", "Cough"),
    Code("dyspnoea", "Khó thở", "Shortness of breath"),
    Code("sore_throat", "Đau họng", "Sore throat"),
    Code("taste_smell", "Mất vị giác hoặc khứu giác", "Loss of taste or smell"),
    Code("fatigue", "Mệt mỏi", "Fatigue"),
    Code("myalgia", "Đau mỏi cơ", "Muscle pain"),
    Code("headache", "Đau đầu", "Headache"),
    Code("diarrhoea", "Tiêu chảy, buồn nôn", "Diarrhoea or nausea"),
    Code("runny_nose", "Sổ mũi, nghẹt mũi", "Runny or blocked nose"),
    Code("chest_pain", "Đau ngực", "Chest pain"),
)

EXPOSURES: tuple[Code, ...] = (
    Code("contact_case", "Tiếp xúc gần với ca bệnh COVID-19 (F0)", "Close contact with a confirmed case (F0)"),
    Code(
        "contact_suspect",
        "Tiếp xúc với người nghi nhiễm hoặc F1",
        "Contact with a suspected case or a close contact (F1)",
    ),
    Code("epidemic_area", "Đi qua hoặc ở lại vùng có dịch", "Travelled through or stayed in an epidemic area"),
    Code("case_place", "Đến nơi có ca bệnh", "Was at a place where there were cases"),
    Code("abroad", "Từ nước ngoài về", "Arrived from abroad"),
)

SYMPTOM_CODES = frozenset(code.code for code in SYMPTOMS)
EXPOSURE_CODES = frozenset(code.code for code in EXPOSURES)
MAX_CODES = 50  # a list longer than this is refused before it is read


def _clean(codes: object, catalogue: tuple[Code, ...], field: str) -> tuple[str, ...]:
    if codes is None:
        return ()
    if isinstance(codes, str | bytes) or not isinstance(codes, Iterable):
        raise InputError(field, "codes_not_list")
    known = {code.code for code in catalogue}
    seen: set[str] = set()
    for count, code in enumerate(codes, start=1):
        if count > MAX_CODES:
            raise InputError(field, "codes_too_many", max=MAX_CODES)
        if not isinstance(code, str) or code not in known:
            raise InputError(field, "code_unknown", code=str(code)[:40])
        seen.add(code)
    return tuple(code.code for code in catalogue if code.code in seen)


def clean_symptoms(codes: object) -> tuple[str, ...]:
    """The symptom codes, each once, in catalogue order; ``InputError`` (field "symptoms") on an unknown one."""
    return _clean(codes, SYMPTOMS, "symptoms")


def clean_exposures(codes: object) -> tuple[str, ...]:
    """The exposure codes, each once, in catalogue order; ``InputError`` (field "exposures")."""
    return _clean(codes, EXPOSURES, "exposures")


def is_symptomatic(codes: Iterable[str] | None) -> bool:
    """True when any code is a symptom of the catalogue (unknown codes count for nothing)."""
    return any(code in SYMPTOM_CODES for code in codes or ())


def symptom_name(code: str, lang: str = "vi") -> str:
    return _name(code, SYMPTOMS, lang)


def exposure_name(code: str, lang: str = "vi") -> str:
    return _name(code, EXPOSURES, lang)


def _name(code: str, catalogue: tuple[Code, ...], lang: str) -> str:
    for item in catalogue:
        if item.code == code:
            return item.name(lang)
    return code
