"""Errors raised by the movement rules.  They carry codes, never text: ``reason_text(code, lang)`` gives
the Vietnamese or English words, so the rules stay text-free and the forms translate."""

from __future__ import annotations

from chongdich.core.versioning import NoRuleInForce
from chongdich.movement.rules.texts import reason_text


class ConfigError(ValueError):
    """A rule version's values are malformed; the message names the key, version and path."""


class InputError(ValueError):
    """An input is invalid.  ``field`` names it ("plate", "test_at", "symptoms"…), ``code`` says why
    (a key of ``texts.REASONS``: "plate_format", "plate_province"…); ``params`` fill the text's blanks."""

    def __init__(self, field: str, code: str, /, **params: object):
        self.field = field
        self.code = code
        self.params = params
        super().__init__(f"{field}: {code}")

    def text(self, lang: str = "vi") -> str:
        """The reason in ``lang`` ("vi" or "en")."""
        return reason_text(self.code, lang, **self.params)


class NotInForce(InputError, NoRuleInForce):
    """No version of the rule covers the day asked (field "at", code "no_rule_in_force"): an ``InputError``
    for forms and the API, and a ``core.versioning.NoRuleInForce`` for callers that catch that."""

    def __init__(self, key: str, on: object):
        super().__init__("at", "no_rule_in_force")
        self.key, self.on = key, on
