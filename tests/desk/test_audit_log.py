"""The audit log (desk): a record links to its page through its model's get_absolute_url, filters by
action and user, pages without error, and the query count does not grow with the rows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chongdich.core import audit
from chongdich.people.actions import do_start_household


def test_records_link_to_their_pages(world, personas, client_of, make_person):
    person = make_person()
    household, _created = do_start_household(personas["commune"], person)
    audit.record(personas["commune"], audit.AuditAction.UPDATE, world.village)
    audit.record(personas["commune"], audit.AuditAction.VIEW, object_type_label="gone.model", object_id="7", label="?")
    page = client_of("commune").get(reverse("desk:audit")).content.decode()
    for url in (
        person.get_absolute_url(),
        household.get_absolute_url(),
        reverse("territory:detail", args=["25228-01"]),
    ):
        assert f'href="{url}"' in page
    assert reverse("territory:detail", args=[world.village.code]) == world.village.get_absolute_url()


def test_filters_by_action_and_user(world, personas, client_of):
    audit.record(personas["commune"], audit.AuditAction.UPDATE, world.village, label="Thôn Một")
    audit.record(personas["health"], audit.AuditAction.CREATE, world.village2, label="Thôn Hai")
    client = client_of("commune")
    updated = client.get(reverse("desk:audit"), {"action": "update"}).content.decode()
    assert "Thôn Một" in updated and "Thôn Hai" not in updated
    by_health = client.get(reverse("desk:audit"), {"actor": "heal"}).content.decode()
    assert "Thôn Hai" in by_health and "Thôn Một" not in by_health
    assert client.get(reverse("desk:audit"), {"page": "abc", "action": "nonsense"}).status_code == 200


def test_queries_do_not_grow_with_the_rows(world, personas, client_of, make_person):
    client = client_of("commune")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("desk:audit")).status_code == 200
        return len(captured)

    audit.record(personas["commune"], audit.AuditAction.VIEW, make_person())
    audit.record(personas["commune"], audit.AuditAction.VIEW, world.village)
    few = queries()
    for n in range(15):
        audit.record(personas["commune"], audit.AuditAction.VIEW, make_person(full_name=f"Người Số {n}", cccd=None))
        audit.record(personas["commune"], audit.AuditAction.UPDATE, world.village2)
    assert queries() <= few + 2
