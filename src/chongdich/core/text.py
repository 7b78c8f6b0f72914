"""Vietnamese text normalisation: names stored as typed (NFC) plus a folded search form.

Pure Python.  Folding removes diacritics (including đ/Đ → d), lower-cases and collapses
whitespace so that "nguyen van an" finds "Nguyễn Văn An".
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z ]+")


def normalize_text(value: str | None) -> str:
    """NFC, trimmed, single spaces: the form names are stored in."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """Accent-free, lower-case, single-spaced form for search and matching."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_words(value: str | None) -> str:
    """``fold`` with punctuation turned into spaces (for free-text queries)."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(value))).strip()


def title_name(value: str | None) -> str:
    """Capitalise each word of a person's name the way Vietnamese names are written."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in normalize_text(value).split(" ") if word)


def cell_text(value) -> str:
    """A spreadsheet cell as one line of text: ``None`` empty, ``12.0`` as ``12``, runs of spaces as one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()
