"""The tracing lists' FilterSets and table: the default status is the one shown, the pager keeps the
filters, an odd value narrows nothing and the rows on the page are marked and audited."""

import pytest
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.surveillance import views
from chongdich.surveillance.filters import ChainFilter, TracingFilter, WorklistFilter
from chongdich.surveillance.models import Contact, ContactStatus
from chongdich.surveillance.selectors import case_contacts, root_chains, work_contacts

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(world, make_person, confirm, expose):
    case = confirm(make_person(full_name="Trần Văn Nguồn", cccd=None))
    for i in range(3):
        expose(case.person, make_person(full_name=f"Người Số {i}", cccd=None))
    Contact.objects.filter(person__full_name="Người Số 0").update(status=ContactStatus.REACHED)
    return case


def test_worklist_defaults_to_contacts_to_find_and_says_so(index, personas):
    user = personas["commune"]
    for data in (None, {"page": "2"}):
        filterset = WorklistFilter(data, work_contacts(user), user=user)
        assert filterset.form["status"].value() == ContactStatus.TO_FIND
        assert {c.person.full_name for c in filterset.qs} == {"Người Số 1", "Người Số 2"}
    assert WorklistFilter({"status": ""}, work_contacts(user), user=user).qs.count() == 3
    assert WorklistFilter({"status": "open", "rank": "1"}, work_contacts(user), user=user).qs.count() == 3
    # An odd value is ignored, the other filters still apply.
    odd = WorklistFilter({"status": "bogus", "rank": "x", "q": "Người Số 2"}, work_contacts(user), user=user)
    assert [c.person.full_name for c in odd.qs] == ["Người Số 2"]


def test_tracing_list_defaults_to_every_status(index, personas):
    filterset = TracingFilter(None, case_contacts(index), user=personas["commune"])
    assert filterset.form["status"].value() == "" and filterset.qs.count() == 3
    reached = TracingFilter({"status": "reached"}, case_contacts(index), user=personas["commune"])
    assert [c.person.full_name for c in reached.qs] == ["Người Số 0"]


def test_chain_filter_orders_and_narrows(index, personas):
    roots = root_chains(personas["commune"])
    assert list(ChainFilter(None, roots).qs) == list(roots.order_by("-active", "-size", "-pk"))
    assert ChainFilter({"min_size": "2"}, roots).qs.count() == 0
    assert ChainFilter({"min_size": "abc", "order": "nonsense"}, roots).qs.count() == 1


def test_pages_keep_their_filters_and_audit_the_rows_shown(index, client_of, personas, monkeypatch):
    monkeypatch.setattr(views, "TRACING_PAGE_SIZE", 1)
    client = client_of("commune")
    response = client.get(reverse("surveillance:worklist"), {"status": "open", "page": "2"})
    html = response.content.decode()
    assert html.count("contact-row") == 1
    assert "?status=open&amp;page=1" in html and "?status=open&amp;page=3" in html
    event = AuditEvent.objects.filter(actor=personas["commune"]).latest("pk")
    shown = response.context["table"].page.object_list[0].record
    assert event.detail["people"] == [shown.person_id]
    tracing = client.get(reverse("surveillance:tracing", args=[index.pk]), {"page": "99"}).content.decode()
    assert tracing.count("contact-row") == 1 and "?page=2" in tracing  # past the end: the last page
