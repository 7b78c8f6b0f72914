"""Testing's part of the case confirmation page: a sample from the "positive results without a case"
list starts the confirmation (``surveillance.handoffs``; registered in ``TestingConfig.ready()``)."""

from __future__ import annotations

from chongdich.core.access import get_for_user_or_404
from chongdich.core.roles import Cap
from chongdich.surveillance.handoffs import CaseStart
from chongdich.testing.models import Sample
from chongdich.testing.results import normalize_code


def case_start(user, code: str) -> CaseStart:
    """The sample named in the hand-off, if its person is in the user's area (else 404)."""
    samples = Sample.objects.filter(person__isnull=False)
    sample = get_for_user_or_404(samples, user, Cap.CASES_EDIT, code=normalize_code(code))
    initial = {
        "sample_code": sample.code,
        "confirmed_on": sample.result_on or sample.taken_on,
        "test_type": sample.kind,
    }
    return CaseStart(sample, sample.person_id, initial)
