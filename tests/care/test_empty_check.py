"""§7: a health check with nothing recorded is refused (form and service) and never clears the overdue flag."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from chongdich.care.actions import do_order_home_quarantine, do_record_monitoring
from chongdich.care.models import HomeOrder, MonitoringEntry
from chongdich.care.worklists import work_lists


@pytest.fixture
def watched(personas, make_person):
    """An F1 at home since yesterday, never checked: overdue."""
    today = timezone.localdate()
    order, _ = do_order_home_quarantine(
        personas["commune"], make_person(full_name="Lê Thị Kiểm"), last_exposure=date(2022, 3, 1)
    )
    HomeOrder.objects.filter(pk=order.pk).update(
        start=today - timedelta(days=2), end=today + timedelta(days=5), self_monitor_until=today + timedelta(days=8)
    )
    order.refresh_from_db()
    return order


def test_empty_check_is_refused_by_the_service(personas, watched):
    assert [o.pk for o in work_lists(personas["commune"]).overdue.rows] == [watched.pk]
    with pytest.raises(ValidationError) as refused:
        do_record_monitoring(personas["commune"], watched, note="   ")
    assert refused.value.code == "empty_check"
    assert not MonitoringEntry.objects.exists()
    assert [o.pk for o in work_lists(personas["commune"]).overdue.rows] == [watched.pk]  # still overdue


def test_empty_check_is_refused_by_the_form_in_vietnamese(client_of, watched):
    response = client_of("community").post(
        reverse("care:monitoring", args=[watched.pk]),
        {"at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "client_id": "empty-1"},
    )
    assert response.status_code == 200 and not MonitoringEntry.objects.exists()
    page = response.content.decode()
    assert "Chưa ghi nhận gì" in page
    assert page.count("Chưa ghi nhận gì") == 1  # shown once
    page = client_of("health").get(reverse("care:today")).content.decode()
    assert "Lê Thị Kiểm" in page  # still on the overdue list


def test_an_empty_entry_already_stored_never_clears_the_overdue_flag(personas, watched):
    MonitoringEntry.objects.create(order=watched, at=timezone.now())  # saved before the check existed
    assert [o.pk for o in work_lists(personas["commune"]).overdue.rows] == [watched.pk]
    do_record_monitoring(personas["commune"], watched, symptoms=["cough"])
    assert work_lists(personas["commune"]).overdue.total == 0


@pytest.mark.parametrize("recorded", [{"spo2": 98}, {"symptoms": ["cough"]}, {"note": "Khỏe, không triệu chứng"}])
def test_any_reading_symptom_or_note_is_a_check(personas, watched, recorded):
    entry, _alert, created = do_record_monitoring(personas["commune"], watched, **recorded)
    assert created and entry.pk
    assert work_lists(personas["commune"]).overdue.total == 0
