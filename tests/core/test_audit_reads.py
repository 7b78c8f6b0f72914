"""audit.record_read: one event per page view of personal data, with the people shown and the filters."""

import pytest
from django.urls import reverse

from chongdich.core import audit
from chongdich.core.models import AuditEvent


@pytest.mark.parametrize(
    "paths, expected",
    [
        (["/70/691/25228/25228-01/", "/70/691/25228/25228-02/"], "/70/691/25228/"),
        (["/70/691/25228/25228-01/", "/70/691/25229/"], "/70/691/"),
        (["/70/691/25228/"], "/70/691/25228/"),
        (["/70/691/", "/79/760/"], ""),
        ([], ""),
    ],
)
def test_common_path_is_cut_at_unit_boundaries(paths, expected):
    assert audit.common_path(paths) == expected


def test_browsing_the_people_list_is_one_event_listing_the_page(world, personas, client_of, make_person):
    shown = [make_person(full_name=f"Người Số {i}", birth_year=1980 + i) for i in range(3)]
    make_person(unit=world.other_village, full_name="Ở Xã Khác")
    client_of("commune").get(reverse("people:list"), {"sex": "M"})
    event = AuditEvent.objects.exclude(action="login").get(actor=personas["commune"])
    assert event.action == "view" and event.object_type == "people.person" and event.object_id == ""
    assert sorted(event.detail["people"]) == sorted(p.pk for p in shown) and event.detail["count"] == 3
    assert event.detail["filters"] == {"sex": "M"}
    assert event.unit_path == world.village.path  # the commune's auditor sees who looked at its people


def test_a_search_is_recorded_as_a_search_with_its_results(world, personas, client_of, make_person):
    found = make_person(full_name="Lò Thị Tìm")
    make_person(full_name="Khác Tên")
    client_of("commune").get(reverse("people:list"), {"q": "lo thi tim"})
    event = AuditEvent.objects.exclude(action="login").get(actor=personas["commune"])
    assert (
        event.action == "search"
        and event.detail["people"] == [found.pk]
        and event.detail["filters"] == {"q": "lo thi tim"}
    )
    assert event.detail["q"] == "lo thi tim"
    assert "“lo thi tim”" in client_of("commune").get(reverse("desk:audit")).content.decode()


def test_a_large_export_lists_the_first_people_and_keeps_its_filters(
    world, personas, client_of, make_person, monkeypatch
):
    monkeypatch.setattr(audit, "PEOPLE_LISTED", 2)
    for i in range(3):
        make_person(full_name=f"Xuất Số {i}", birth_year=1970 + i)
    client_of("commune").get(reverse("people:export"))
    event = AuditEvent.objects.get(actor=personas["commune"], action="export")
    assert len(event.detail["people"]) == 2 and event.detail["people_truncated"] and event.detail["rows"] == 3


def test_the_edit_page_of_a_person_is_audited(world, personas, client_of, make_person):
    person = make_person(full_name="Sửa Thông Tin")
    client_of("commune").get(reverse("people:edit", args=[person.pk]))
    event = AuditEvent.objects.exclude(action="login").get(actor=personas["commune"])
    assert (event.action, event.object_type, event.object_id) == ("view", "people.person", str(person.pk))
    assert event.detail["people"] == [person.pk] and event.unit_path == person.unit_path
