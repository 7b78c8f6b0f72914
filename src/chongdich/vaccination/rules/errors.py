"""Errors raised by the vaccination rules.  Input errors carry Vietnamese and English text."""

from __future__ import annotations


class ConfigError(ValueError):
    """A rule version's values are malformed; the message names the key, version and path."""


class InputError(ValueError):
    """An input is invalid.  ``field`` names it (with the person when known); ``vi`` and ``en`` say
    what is wrong."""

    def __init__(self, field: str, vi: str, en: str):
        self.field = field
        self.vi = vi
        self.en = en
        super().__init__(f"{field}: {en}")

    def text(self, lang: str = "vi") -> str:
        if lang == "en":
            return f"field {self.field!r}: {self.en}"
        if lang == "both":
            return f"trường {self.field!r}: {self.vi} / {self.en}"
        return f"trường {self.field!r}: {self.vi}"

    def within(self, prefix: str) -> InputError:
        """The same error with ``prefix`` before the field (a person's place in a list)."""
        return InputError(
            f"{prefix}{self.field}" if self.field.startswith("[") else f"{prefix}.{self.field}", self.vi, self.en
        )
