"""The audit page shows nothing of another area (issue 8 §1): the user's own actions on records of
another area appear without the record, and an event of the user's area never names a person of
another one (an exposure between two areas is recorded once in each, naming only that area's person)."""

from datetime import date

import pytest
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.surveillance.actions import do_record_exposure


@pytest.fixture
def exposure_across(world, personas, make_person):
    """Đức Hạnh's officer records that a man of Phú Văn exposed a woman of Đức Hạnh."""
    source = make_person(unit=world.other_village, full_name="Lý Văn Phúvăn", cccd=None)
    contact = make_person(full_name="Đinh Thị Đứchạnh", sex="F", cccd=None)
    do_record_exposure(personas["commune"], source=source, contact=contact, kind="household", start=date(2022, 3, 1))
    return source, contact


def audit_page(client_of, persona) -> str:
    return client_of(persona).get(reverse("desk:audit")).content.decode()


def test_own_action_on_another_areas_record_shows_no_record(client_of, exposure_across):
    page = audit_page(client_of, "commune")
    assert "Đinh Thị Đứchạnh" in page  # its own area's side
    assert "Lý Văn Phúvăn" not in page
    assert "Một hồ sơ thuộc địa bàn khác" in page  # its own action, in Phú Văn: shown without the record


def test_event_of_my_area_does_not_name_a_person_of_another(client_of, exposure_across):
    page = audit_page(client_of, "other_commune")
    assert "Lý Văn Phúvăn" in page and "Đinh Thị Đứchạnh" not in page


def test_the_common_level_sees_both_sides(client_of, exposure_across):
    page = audit_page(client_of, "district")
    assert "Lý Văn Phúvăn" in page and "Đinh Thị Đứchạnh" in page
    assert AuditEvent.objects.filter(object_type="surveillance.exposure").count() == 2
