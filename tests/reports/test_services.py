"""Saving and sending a report keep the figures of that moment: a correction of the records later
changes the live tallies, never a sent report.  Only the committees in scope write; all audited."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from chongdich.core.models import AuditEvent
from chongdich.reports.actions import do_reopen_report, do_save_report, do_send_report, do_set_cut_off
from chongdich.reports.indicators import changes, figures
from chongdich.reports.models import DailyReport, ReportStatus
from tests.reports.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests check messages by their English wording; the interface defaults to Vietnamese."""
    with translation.override("en"):
        yield


def test_save_takes_a_snapshot_and_send_freezes_it(outbreak, personas, tally):
    officer = personas["commune"]
    draft = do_save_report(officer, outbreak.commune, DAY, comments="Tình hình ổn định.")
    assert draft.status == ReportStatus.DRAFT and draft.indicators["values"]["f0_new"] == [3, 5]
    assert draft.cut_off == time(18, 0) and draft.figures_at is not None

    tally(outbreak.commune, DAY, cases_new_community=2)  # a late entry before sending
    sent = do_send_report(officer, outbreak.commune, DAY, comments="Đã rà soát.")
    assert sent.pk == draft.pk and sent.status == ReportStatus.SENT
    assert sent.indicators["values"]["f0_new"] == [5, 7] and sent.sent_by == officer and sent.sent_at

    tally(outbreak.commune, DAY, cases_new_community=-1)  # a record corrected after sending
    sent.refresh_from_db()
    assert sent.indicators["values"]["f0_new"] == [5, 7]  # the report stays as sent
    live = figures(outbreak.commune, DAY)
    assert live["values"]["f0_new"] == [4, 6]
    assert changes(sent.indicators, live)

    with pytest.raises(ValidationError, match="reopen"):
        do_save_report(officer, outbreak.commune, DAY, comments="again")
    actions = list(AuditEvent.objects.filter(object_type="reports.dailyreport").values_list("action", "detail__status"))
    assert actions == [("update", "sent"), ("create", "draft")]


def test_reopen_needs_a_reason_and_is_audited(outbreak, personas):
    officer = personas["commune"]
    report = do_send_report(officer, outbreak.commune, DAY)
    with pytest.raises(ValidationError):
        do_reopen_report(officer, report, reason="")
    reopened = do_reopen_report(officer, report, reason="Sửa số mẫu xét nghiệm")
    assert reopened.status == ReportStatus.DRAFT and reopened.sent_at is None
    assert AuditEvent.objects.filter(object_type="reports.dailyreport", detail__reopened=True).count() == 1
    do_send_report(officer, outbreak.commune, DAY)  # sent again


@pytest.mark.parametrize("persona", ["commune", "district", "province", "national"])
def test_committees_in_scope_write(outbreak, personas, persona):
    assert do_save_report(personas[persona], outbreak.commune, DAY).pk


@pytest.mark.parametrize("persona", ["other_commune", "viewer", "health", "community"])
def test_others_may_not_write(outbreak, personas, persona):
    with pytest.raises(PermissionDenied):
        do_save_report(personas[persona], outbreak.commune, DAY)
    assert not DailyReport.objects.exists()


def test_validation(outbreak, personas):
    officer = personas["district"]
    with pytest.raises(ValidationError, match="future"):
        do_save_report(officer, outbreak.commune, DAY + timedelta(days=1))
    with pytest.raises(ValidationError):
        do_save_report(officer, outbreak.village, DAY)
    with pytest.raises(ValidationError) as error:
        do_save_report(officer, outbreak.commune, DAY, number="x" * 41)
    assert "number" in error.value.message_dict


def test_province_cut_off(outbreak, personas):
    do_set_cut_off(personas["province"], outbreak.province, cut_off=time(17, 0))
    assert do_save_report(personas["commune"], outbreak.commune, DAY).cut_off == time(17, 0)
    with pytest.raises(PermissionDenied):
        do_set_cut_off(personas["district"], outbreak.far_province, cut_off=time(12, 0))
    with pytest.raises(ValidationError):
        do_set_cut_off(personas["province"], outbreak.district, cut_off=time(12, 0))
