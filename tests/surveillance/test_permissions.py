"""Every surveillance page × every persona: out of scope answers like "not found" (404), a role
without the function 403, anonymous users go to the login page; refused writes leave nothing."""

import pytest
from django.urls import reverse

from chongdich.surveillance.models import Cluster, Contact
from tests.surveillance.pages import D, confirm, expose, fresh_tally_units  # noqa: F401 - fixtures
from tests.test_permission_matrix import ALL, COMMITTEES_IN_SCOPE, expect

pytestmark = pytest.mark.urls("tests.surveillance.urls")

VIEW = COMMITTEES_IN_SCOPE | {"health", "community"}
EDIT = COMMITTEES_IN_SCOPE | {"health"}
NO_CASES = {"viewer", "checkpoint"}
CASE_ROLES = set(ALL) - NO_CASES


@pytest.fixture
def target(world, make_person, confirm, expose):
    case = confirm(make_person(full_name="Hoàng Văn Đích", cccd=None))
    expose(case.person, make_person(full_name="Hoàng Thị Một", sex="F", cccd=None))
    cluster = Cluster(name="Chợ Thôn 1", setting="market")
    cluster.place_in(world.village)
    cluster.save()
    return {"case": case, "contact": Contact.objects.get(), "cluster": cluster}


def url(name, *args):
    return lambda t: reverse(f"surveillance:{name}", args=[a(t) for a in args])


CASE, CONTACT, CLUSTER = (lambda t: t["case"].pk), (lambda t: t["contact"].pk), (lambda t: t["cluster"].pk)
CHAIN, PERSON = (lambda t: t["case"].chain_id), (lambda t: t["case"].person_id)

PAGES = {
    "case list": ("get", url("list"), expect(CASE_ROLES, 200, forbidden=NO_CASES)),
    "work list": ("get", url("worklist"), expect(CASE_ROLES, 200, forbidden=NO_CASES)),
    "clusters": ("get", url("clusters"), expect(CASE_ROLES, 200, forbidden=NO_CASES)),
    "chains": ("get", url("chains"), expect(CASE_ROLES, 200, forbidden=NO_CASES)),
    "case page": ("get", url("detail", CASE), expect(VIEW, 200, forbidden=NO_CASES)),
    "tracing list": ("get", url("tracing", CASE), expect(VIEW, 200, forbidden=NO_CASES)),
    "chain page": ("get", url("chain", CHAIN), expect(VIEW, 200, forbidden=NO_CASES)),
    "cluster page": ("get", url("cluster", CLUSTER), expect(VIEW, 200, forbidden=NO_CASES)),
    "confirm form": ("get", lambda t: reverse("surveillance:confirm") + f"?person={t['case'].person_id}",
                     expect(EDIT, 200, forbidden=NO_CASES | {"community"})),
    "edit form": ("get", url("edit", CASE), expect(EDIT, 200, forbidden=NO_CASES | {"community"})),
    "move form": ("get", url("move", CASE), expect(EDIT, 200, forbidden=NO_CASES | {"community"})),
    "close form": ("get", url("close", CASE), expect(EDIT, 200, forbidden=NO_CASES | {"community"})),
    "exposure form": ("get", url("exposure_create", PERSON), expect(EDIT, 200, forbidden=NO_CASES | {"community"})),
    "cluster form": ("get", url("cluster_edit", CLUSTER), expect(EDIT, 200, forbidden=NO_CASES | {"community"})),
    "F1 template": ("get", url("contacts_template", CASE), expect(EDIT, 200, forbidden=NO_CASES | {"community"})),
    "history": ("get", url("history", CASE),
                expect(COMMITTEES_IN_SCOPE, 200, forbidden=NO_CASES | {"health", "community"})),
    "case export": ("get", url("export"),
                    expect(EDIT | {"other_commune"}, 200, forbidden=NO_CASES | {"community"})),
    "contacts export": ("get", url("contacts_export", CASE), expect(EDIT, 200, forbidden=NO_CASES | {"community"})),
    "status update": ("post", url("contact_status", CONTACT), expect(EDIT, 302, forbidden=NO_CASES | {"community"})),
    "reopen": ("post", url("reopen", CASE), expect(EDIT, 302, forbidden=NO_CASES | {"community"})),
}  # fmt: skip


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("persona", [None, *ALL])
def test_matrix(page, persona, world, personas, target, client_of):
    method, url_of, expected = PAGES[page]
    client = client_of(persona)
    response = client.get(url_of(target)) if method == "get" else client.post(url_of(target), {"status": "reached"})
    assert response.status_code == expected[persona], f"{page} as {persona}: {response.status_code}"
    if method == "post" and response.status_code != 302:
        assert Contact.objects.get().status == "to_find"  # a refused write leaves nothing
