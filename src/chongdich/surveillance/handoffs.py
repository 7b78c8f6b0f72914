"""Records of other apps that a case confirmation may start from, without surveillance importing them.

The testing app's "positive results without a case" list links to the confirmation page with
``?sample=<code>``; testing (above surveillance) registers, in its ``AppConfig.ready()``, the function
that finds that sample for the user.  Surveillance shows what it returns and never refers to testing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404


@dataclass(frozen=True)
class CaseStart:
    """Where a confirmation starts: the record shown above the form (its template reads ``code``,
    ``status``, ``result_on`` and the ``get_*_display`` of a sample), its person and the form's initial values."""

    record: object
    person_id: int
    initial: dict = field(default_factory=dict)


_sample_lookup: Callable[[object, str], CaseStart] | None = None


def register_sample_lookup(lookup: Callable[[object, str], CaseStart]) -> None:
    """``lookup(user, code)`` → the ``CaseStart`` of the sample, or Http404 (missing or out of scope)."""
    global _sample_lookup
    _sample_lookup = lookup


def case_start_from_sample(user, code: str) -> CaseStart:
    if _sample_lookup is None:
        raise Http404
    return _sample_lookup(user, code)
