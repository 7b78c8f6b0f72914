"""The one error the forecast rules raise on bad input or configuration."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input or configuration; the (English) message names the field or argument."""
