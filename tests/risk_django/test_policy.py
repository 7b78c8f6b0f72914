"""R-14 overrides: stronger or equal only, with a reason, by the committee of the unit or above;
refusals explain themselves; everything is audited; the day's assessment applies the decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from chongdich.core.models import AuditEvent
from chongdich.risk.actions import OverrideRefused, do_override, do_withdraw_override
from chongdich.risk.assess import assess_day
from chongdich.risk.models import RiskAssessment, RiskOverride
from tests.risk_django.conftest import DAY

pytestmark = pytest.mark.django_db
REASON = "Quyết định số 123/QĐ-UBND ngày 20/8/2021 của UBND xã"


@pytest.fixture
def assessed(outbreak):
    assess_day(DAY)  # Đức Hạnh computed orange (2)
    return outbreak


@pytest.mark.parametrize("persona", ["commune", "district", "province", "national"])
def test_the_committee_of_the_unit_or_above_may_apply_a_stronger_level(
    assessed, personas, persona, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        override = do_override(personas[persona], assessed.commune, level=3, reason=REASON)
    assert (override.framework, override.level, override.valid_from, override.by) == ("2686", 3, DAY, personas[persona])
    assert AuditEvent.objects.filter(
        action="create", object_type="risk.riskoverride", object_id=str(override.pk)
    ).exists()
    row = RiskAssessment.objects.get(code="25228", day=DAY)  # re-assessed on commit
    assert (row.computed_level, row.applied_level) == (2, 3)
    assert any(reason["rule"] == "R-14" for reason in row.reasons)


@pytest.mark.parametrize("persona", ["other_commune", "health", "checkpoint", "community", "viewer"])
def test_others_may_not(assessed, personas, persona):
    with pytest.raises(PermissionDenied):
        do_override(personas[persona], assessed.commune, level=3, reason=REASON)
    assert not RiskOverride.objects.exists()


def test_a_commune_committee_may_not_decide_for_its_district(assessed, personas):
    with pytest.raises(PermissionDenied):
        do_override(personas["commune"], assessed.district, level=3, reason=REASON)


def test_a_weaker_level_is_refused_with_the_rule_explained(assessed, personas):
    with pytest.raises(OverrideRefused) as refused:
        do_override(personas["commune"], assessed.commune, level=1, reason=REASON)
    assert "thấp hơn cấp độ đánh giá Cam" in refused.value.messages[0]
    assert refused.value.computed == 2
    with translation.override("en"), pytest.raises(OverrideRefused) as refused:
        do_override(personas["commune"], assessed.commune, level=0, reason=REASON)
    assert "weaker than the assessed orange" in refused.value.messages[0]
    assert not RiskOverride.objects.exists()
    attempts = AuditEvent.objects.filter(object_type="territory.adminunit", detail__has_key="override_refused")
    assert attempts.count() == 2


def test_the_same_level_is_accepted(assessed, personas):
    assert do_override(personas["commune"], assessed.commune, level=2, reason=REASON).level == 2


def test_a_reason_and_a_sensible_period_are_needed(assessed, personas):
    with pytest.raises(ValidationError) as invalid:
        do_override(personas["commune"], assessed.commune, level=3, reason="vì")
    assert "reason" in invalid.value.message_dict
    with pytest.raises(ValidationError) as invalid:
        do_override(personas["commune"], assessed.commune, level=3, reason=REASON, valid_from=DAY - timedelta(days=1))
    assert "valid_from" in invalid.value.message_dict
    with pytest.raises(ValidationError) as invalid:
        do_override(
            personas["commune"],
            assessed.commune,
            level=3,
            reason=REASON,
            valid_from=DAY + timedelta(days=5),
            valid_to=DAY + timedelta(days=2),
        )
    assert "valid_to" in invalid.value.message_dict
    with pytest.raises(ValidationError):
        do_override(personas["commune"], assessed.village, level=3, reason=REASON)


def test_without_an_assessment_only_the_top_level_is_accepted(world, personas):
    with pytest.raises(OverrideRefused):
        do_override(personas["commune"], world.commune, level=2, reason=REASON)
    assert do_override(personas["commune"], world.commune, level=3, reason=REASON).level == 3


def test_a_new_decision_ends_the_previous_one(assessed, personas):
    first = do_override(personas["commune"], assessed.commune, level=3, reason=REASON)
    second = do_override(
        personas["district"], assessed.commune, level=2, reason=REASON, valid_from=DAY + timedelta(days=3)
    )
    first.refresh_from_db()
    assert first.valid_to == DAY + timedelta(days=2) and second.valid_to is None


def test_withdrawing_a_decision(assessed, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        override = do_override(personas["commune"], assessed.commune, level=3, reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        do_withdraw_override(personas["district"], override)
    override.refresh_from_db()
    assert override.withdrawn_by == personas["district"] and override.valid_to == DAY - timedelta(days=1)
    assert RiskAssessment.objects.get(code="25228", day=DAY).applied_level == 2
    with pytest.raises(ValidationError):
        do_withdraw_override(personas["district"], override)
    with pytest.raises(PermissionDenied):
        do_withdraw_override(personas["other_commune"], override)
