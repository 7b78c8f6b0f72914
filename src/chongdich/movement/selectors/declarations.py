"""Reads of the health declarations: the public unit picker (territory units only), the public
receipt (reachable with its code only), and the officers' scoped list, page and receipt lookup."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import segno
from django.conf import settings
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.access import get_for_user_or_404
from chongdich.core.text import fold_words
from chongdich.movement.models import VIEW, Declaration
from chongdich.movement.rules import EXPOSURES, SYMPTOMS
from chongdich.territory.models import AdminUnit, Level

SEARCH_WORDS = 6  # words of a unit query read
SEARCH_CANDIDATES = 400  # communes read to rank one query
SEARCH_RESULTS = 10  # shown under the box
VILLAGES_MAX = 300  # villages of one commune listed

LEVEL_NAMES = {
    "green": _("green (new normal)"),
    "yellow": _("yellow (low risk)"),
    "orange": _("orange (high risk)"),
    "red": _("red (very high risk)"),
    "1": _("level 1"),
    "2": _("level 2"),
    "3": _("level 3"),
    "4": _("level 4"),
}


def level_name(level: str) -> str:
    return str(LEVEL_NAMES.get(level, level))


# -- the public picker -----------------------------------------------------------------------------
def _word_rank(words: list[str], own: str, around: str) -> tuple[int, int]:
    """Lower is better: words matching the commune's own name first, whole words before parts."""
    own_words, around_words = own.split(), around.split()
    rank = 0
    for word in words:
        if word in own_words:
            rank += 0
        elif any(w.startswith(word) for w in own_words):
            rank += 1
        elif word in around_words:
            rank += 2
        elif any(w.startswith(word) for w in around_words):
            rank += 3
        else:
            rank += 4
    return rank, len(own)


def _label(unit: AdminUnit) -> str:
    names = [unit.name]
    parent = unit.parent
    while parent is not None:
        names.append(parent.name)
        parent = parent.parent if parent.parent_id else None
    return ", ".join(names)


def search_communes(query: str) -> list[dict]:
    """Communes (wards, townships) whose name, or their district's or province's, holds every word of
    ``query`` (diacritics and case ignored: "bu gia map", "phu van binh phuoc"), best first; each as
    ``{"code", "name", "label"}`` with the district and province in the label."""
    words = [word for word in fold_words(query[:120]).split()[:SEARCH_WORDS] if word]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= (
            Q(folded_name__contains=word)
            | Q(parent__folded_name__contains=word)
            | Q(parent__parent__folded_name__contains=word)
        )
    rows = list(
        AdminUnit.objects.current()
        .filter(condition, level=Level.COMMUNE)
        .values_list("pk", "folded_name", "parent__folded_name", "parent__parent__folded_name")[:SEARCH_CANDIDATES]
    )
    rows.sort(key=lambda r: (_word_rank(words, r[1], f"{r[2] or ''} {r[3] or ''}"), r[1], r[0]))
    ids = [row[0] for row in rows[:SEARCH_RESULTS]]
    units = AdminUnit.objects.select_related("parent__parent").in_bulk(ids)
    return [{"code": units[pk].code, "name": units[pk].name, "label": _label(units[pk])} for pk in ids]


def villages_of(commune_code: str) -> list[dict]:
    """The villages (thôn, ấp, tổ dân phố …) of a commune in force today, by name."""
    commune = commune_of(commune_code)
    if commune is None:
        return []
    rows = (
        AdminUnit.objects.current()
        .filter(parent=commune, level=Level.VILLAGE)
        .order_by("name", "code")
        .values_list("code", "name")[:VILLAGES_MAX]
    )
    return [{"code": code, "name": name, "label": name} for code, name in rows]


def commune_of(code: str) -> AdminUnit | None:
    """A commune in force today, by code (None for anything else)."""
    if not code or len(code) > 16:
        return None
    return AdminUnit.objects.current().filter(code=code, level=Level.COMMUNE).select_related("parent__parent").first()


def commune_label(code: str) -> str:
    unit = commune_of(code)
    return _label(unit) if unit is not None else ""


def unit_labels(codes: Iterable[str]) -> dict[str, str]:
    """Code → "Xã …, Huyện …, Tỉnh …" for the codes given (origins shown in lists and exports)."""
    wanted = {code for code in codes if code}
    units = AdminUnit.objects.filter(code__in=wanted).select_related("parent__parent")
    return {unit.code: _label(unit) for unit in units}


# -- the catalogue in the user's language -------------------------------------------------------------
def _name(item, lang: str) -> str:
    return item.name_en if lang == "en" else item.name_vi


def symptom_choices(lang: str) -> list[tuple[str, str]]:
    return [(item.code, _name(item, lang)) for item in SYMPTOMS]


def exposure_choices(lang: str) -> list[tuple[str, str]]:
    return [(item.code, _name(item, lang)) for item in EXPOSURES]


def names_of(codes: Iterable[str], catalogue, lang: str) -> list[str]:
    by_code = {item.code: _name(item, lang) for item in catalogue}
    return [by_code.get(code, code) for code in codes]


def symptom_names(codes: Iterable[str], lang: str) -> list[str]:
    return names_of(codes, SYMPTOMS, lang)


def exposure_names(codes: Iterable[str], lang: str) -> list[str]:
    return names_of(codes, EXPOSURES, lang)


# -- the public receipt ---------------------------------------------------------------------------------
def retention_days() -> int:
    return int(getattr(settings, "CHONGDICH_MOVEMENT_RETENTION_DAYS", 30))


def public_receipt(code: str) -> Declaration | None:
    """The declaration of a receipt code (already normalised), within the retention period: what its
    declarant typed, shown to whoever holds the code."""
    if not code:
        return None
    since = clock.now() - timedelta(days=retention_days() + 1)
    return Declaration.objects.filter(receipt=code, received_at__gte=since).select_related("unit").first()


# -- the officers' side -----------------------------------------------------------------------------------
def declarations_for(user):
    return Declaration.objects.for_user(user, VIEW).select_related("unit").order_by("-received_at", "-id")


def declaration_page(user, pk) -> Declaration:
    return get_for_user_or_404(Declaration, user, VIEW, pk=pk)


def by_receipt(user, code: str) -> Declaration | None:
    """The declaration of a receipt code in ``user``'s area (None otherwise: elsewhere is as unknown)."""
    if not code:
        return None
    return declarations_for(user).filter(receipt=code).first()


def receipt_qr(code: str) -> str:
    """The receipt's QR (payload: the receipt code) as inline SVG that scales to its box."""
    qr = segno.make(code, error="m", micro=False)
    return mark_safe(qr.svg_inline(border=4, title=code, svgclass="qr", lineclass=None, omitsize=True))  # noqa: S308 - segno's own SVG
