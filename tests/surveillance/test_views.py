"""Case pages through the Django test client: lists, the case page, the case forms, exposures,
tracing, clusters and chains — scope (404), capability (403), clear errors that save nothing, and
query counts that do not grow with the rows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.people.models import Person
from chongdich.surveillance.models import Case, Cluster, Contact, ContactStatus, Exposure, Outcome, TreatmentPlace
from tests.surveillance.pages import D


@pytest.fixture
def index(world, make_person, confirm):
    """A case in Thôn 1 (Đức Hạnh) with an F1 at home and an F1 who lives in Phú Văn."""
    return confirm(make_person(full_name="Trần Văn Nguồn", cccd=None))


def case_form(**extra):
    return {
        "confirmed_on": "2021-07-12",
        "test_type": "rt_pcr",
        "detected_in": "community",
        "source_known": "0",
        "severity": "mild",
        "treatment_place": "home",
        "client_id": "form-1",
        **extra,
    }


# -- the list ---------------------------------------------------------------------------------


def test_case_list_filters_and_search(client_of, world, make_person, confirm):
    a = confirm(make_person(full_name="Lê Thị Hoa", sex="F", cccd=None))
    b = confirm(make_person(full_name="Phạm Văn Bình", cccd=None), detected_in="quarantine")
    client = client_of("commune")
    page = client.get(reverse("surveillance:list"))
    assert page.status_code == 200 and a.case_number in page.content.decode() and b.case_number in page.content.decode()
    assert [
        c.pk for c in client.get(reverse("surveillance:list"), {"detected_in": "quarantine"}).context["table"].data
    ] == [b.pk]
    assert [c.pk for c in client.get(reverse("surveillance:list"), {"q": "le thi hoa"}).context["table"].data] == [a.pk]
    number = b.case_number.split("-")[1].lstrip("0")  # "2": officers type the short number
    assert [c.pk for c in client.get(reverse("surveillance:list"), {"q": number}).context["table"].data] == [b.pk]
    searches = AuditEvent.objects.filter(action="search", actor__username="commune")
    assert [e.detail["people"] for e in searches.order_by("pk")] == [[a.person_id], [b.person_id]]
    assert AuditEvent.objects.filter(action="view", actor__username="commune").count() == 2  # browsing is audited too
    partial = client.get(reverse("surveillance:list"), {"q": "le thi hoa"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Lê Thị Hoa" in partial and "<nav" not in partial


def test_case_list_is_scoped(client_of, world, make_person, confirm):
    confirm(make_person(cccd=None))
    assert client_of("other_commune").get(reverse("surveillance:list")).context["table"].data.data.count() == 0
    assert client_of("community").get(reverse("surveillance:list")).status_code == 200  # view only
    for persona in ("viewer", "checkpoint"):
        assert client_of(persona).get(reverse("surveillance:list")).status_code == 403
    assert client_of(None).get(reverse("surveillance:list")).status_code == 302


def test_case_list_query_count_does_not_grow(client_of, world, make_person, confirm):
    client = client_of("commune")
    confirm(make_person(cccd=None))
    client.get(reverse("surveillance:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("surveillance:list"))
    for i in range(15):
        confirm(make_person(full_name=f"Người Thứ {i}", cccd=None), detected_in="border")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("surveillance:list"))
    assert response.status_code == 200 and len(response.context["table"].page.object_list) == 16
    assert len(many.captured_queries) == len(few.captured_queries)


# -- the case page ----------------------------------------------------------------------------


def test_case_page_shows_everything_and_is_audited(client_of, world, make_person, confirm, expose, index, personas):
    home = make_person(full_name="Trần Thị Nhà", sex="F", cccd=None, birth_year=1990)
    away = make_person(unit=world.other_village, full_name="Hồ Văn Xa", cccd=None)
    expose(index.person, home)
    expose(index.person, away, kind="physical_contact")
    response = client_of("commune").get(reverse("surveillance:detail", args=[index.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trần Thị Nhà" in page and "Hồ Văn Xa" not in page  # the other area's F1: no personal details
    assert "Xã Phú Văn" in page
    assert reverse("surveillance:chain", args=[index.chain_id]) in page
    assert response.context["counts"].total(1) == 2
    assert AuditEvent.objects.filter(
        action="view", object_type="surveillance.case", object_id=str(index.pk), actor=personas["commune"]
    ).exists()
    # The F1 who lives in Phú Văn is on Phú Văn's work list, with details and buttons; the case is not theirs.
    other = client_of("other_commune")
    assert other.get(reverse("surveillance:detail", args=[index.pk])).status_code == 404
    worklist = other.get(reverse("surveillance:worklist")).content.decode()
    assert "Hồ Văn Xa" in worklist and "Trần Thị Nhà" not in worklist
    assert index.case_number in worklist and reverse("surveillance:detail", args=[index.pk]) not in worklist


def test_case_page_query_count_does_not_grow(client_of, world, make_person, confirm, expose, index):
    client = client_of("commune")
    expose(index.person, make_person(full_name="Người Đầu", cccd=None))
    expose(index.person, make_person(unit=world.other_village, full_name="Người Xa", cccd=None))
    url = reverse("surveillance:detail", args=[index.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(12):
        unit = world.other_village if i % 2 else world.village2
        expose(index.person, make_person(unit=unit, full_name=f"Người Thứ {i}", cccd=None), kind="close_unmasked")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["contacts"]) == 14 and len(response.context["exposures"]) == 14
    assert len(many.captured_queries) == len(few.captured_queries)


def test_case_history(client_of, world, index):
    assert client_of("commune").get(reverse("surveillance:history", args=[index.pk])).status_code == 200
    assert client_of("health").get(reverse("surveillance:history", args=[index.pk])).status_code == 403
    assert client_of("other_commune").get(reverse("surveillance:history", args=[index.pk])).status_code == 404


# -- confirming and editing -------------------------------------------------------------------


def test_confirm_a_case_through_the_form(client_of, world, make_person):
    person = make_person(cccd=None)
    client = client_of("health")
    url = reverse("surveillance:confirm")
    assert client.get(url, {"person": person.pk}).status_code == 200
    response = client.post(url, case_form(person=person.pk, onset_date="2021-07-09"))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("surveillance:detail", args=[case.pk])
    assert (case.detected_in, case.source_known, case.symptomatic, case.severity) == ("community", False, True, "mild")
    assert case.episodes.get().place == TreatmentPlace.HOME
    again = client.post(url, case_form(person=person.pk))  # the same page sent twice
    assert again.status_code == 302 and Case.objects.count() == 1


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"confirmed_on": "2999-01-01"}, "confirmed_on"),
        ({"onset_date": "2999-01-01"}, "onset_date"),
        ({"confirmed_on": ""}, "confirmed_on"),
        ({"treatment_place": "field_hospital"}, "facility"),
    ],
)
def test_confirm_bad_input_explains_and_saves_nothing(client_of, world, make_person, bad, field):
    person = make_person(cccd=None)
    response = client_of("health").post(reverse("surveillance:confirm"), case_form(person=person.pk, **bad))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert Case.objects.count() == 0


def test_second_active_case_is_refused_with_a_reason(client_of, world, index):
    response = client_of("health").post(
        reverse("surveillance:confirm"), case_form(person=index.person_id, client_id="x")
    )
    assert response.status_code == 200 and index.case_number in " ".join(response.context["form"].non_field_errors())
    assert Case.objects.count() == 1


def test_confirm_finds_the_person_first(client_of, world, make_person):
    make_person(full_name="Đặng Thị Tìm", sex="F", cccd=None)
    page = client_of("health").get(reverse("surveillance:confirm"), {"q": "dang thi tim"})
    assert page.status_code == 200 and [p.full_name for p in page.context["candidates"]] == ["Đặng Thị Tìm"]


def test_confirm_from_a_positive_sample(client_of, world, make_person):
    from chongdich.testing.models import Sample

    person = make_person(cccd=None)
    sample = Sample(
        code="BGM0042",
        kind="rapid_antigen",
        person=person,
        taken_on=date(2021, 7, 11),
        status="positive",
        result_on=date(2021, 7, 11),
    )
    sample.place_in(person.unit)
    sample.save()
    page = client_of("health").get(reverse("surveillance:confirm"), {"sample": "bgm 0042"})
    form = page.context["form"]
    assert page.context["person"] == person
    assert (form.initial["test_type"], form.initial["sample_code"], form.initial["confirmed_on"]) == (
        "rapid_antigen",
        "BGM0042",
        date(2021, 7, 11),
    )
    assert client_of("other_commune").get(reverse("surveillance:confirm"), {"sample": "BGM0042"}).status_code == 404


def test_confirm_out_of_scope_and_without_the_right(client_of, world, make_person):
    person = make_person(cccd=None)
    assert client_of("other_commune").get(reverse("surveillance:confirm"), {"person": person.pk}).status_code == 404
    assert (
        client_of("other_commune").post(reverse("surveillance:confirm"), case_form(person=person.pk)).status_code == 404
    )
    for persona in ("community", "viewer", "checkpoint"):
        assert client_of(persona).post(reverse("surveillance:confirm"), case_form(person=person.pk)).status_code == 403
    assert Case.objects.count() == 0


def test_edit_a_case(client_of, world, index, personas):
    client = client_of("commune")
    url = reverse("surveillance:edit", args=[index.pk])
    data = case_form(confirmed_on="2021-07-10", severity="severe", source_known="1", detected_in="community")
    assert client.post(url, data).status_code == 302
    index.refresh_from_db()
    assert index.severity == "severe"
    event = AuditEvent.objects.filter(action="update", object_id=str(index.pk)).latest("at")
    assert set(event.detail["changed"]) == {"severity"}
    response = client.post(url, {**data, "onset_date": (date.today() + timedelta(days=2)).isoformat()})
    assert response.status_code == 200 and "onset_date" in response.context["form"].errors
    assert client_of("other_commune").get(url).status_code == 404
    assert client_of("community").get(url).status_code == 403


def test_move_close_and_reopen(client_of, world, index):
    client = client_of("health")
    move = reverse("surveillance:move", args=[index.pk])
    assert client.post(move, {"place": "hospital", "on": "2021-07-12"}).status_code == 302
    response = client.post(move, {"place": "home", "on": "2021-07-11"})  # before the last move
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    close = reverse("surveillance:close", args=[index.pk])
    response = client.post(close, {"outcome": "recovered", "on": "2021-07-01"})  # before confirmation
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    index.refresh_from_db()
    assert index.outcome == Outcome.ACTIVE and index.episodes.count() == 2
    assert client.post(close, {"outcome": "recovered", "on": "2021-07-24"}).status_code == 302
    index.refresh_from_db()
    assert (index.outcome, index.outcome_on) == (Outcome.RECOVERED, date(2021, 7, 24))
    assert client.post(reverse("surveillance:reopen", args=[index.pk])).status_code == 302
    index.refresh_from_db()
    assert index.outcome == Outcome.ACTIVE
    assert client_of("other_commune").post(close, {"outcome": "died", "on": "2021-07-24"}).status_code == 404
    assert client_of("viewer").post(reverse("surveillance:reopen", args=[index.pk])).status_code == 403


# -- exposures --------------------------------------------------------------------------------


def exposure_form(**extra):
    return {
        "direction": "forward",
        "kind": "household",
        "start_date": "2021-07-09",
        "masked": "",
        "client_id": "e-1",
        **extra,
    }


def test_record_an_exposure_with_someone_registered(client_of, world, make_person, index):
    other = make_person(full_name="Võ Thị Gần", sex="F", cccd=None)
    client = client_of("health")
    url = reverse("surveillance:exposure_create", args=[index.person_id])
    page = client.get(url, {"q": "vo thi gan"})
    assert [p.pk for p in page.context["candidates"]] == [other.pk]
    response = client.post(url, exposure_form(other=other.pk))
    assert response.status_code == 302 and response.url == reverse("surveillance:detail", args=[index.pk])
    assert Contact.objects.get(person=other, index_case=index).rank == 1
    assert client.post(url, exposure_form(other=other.pk)).status_code == 302 and Exposure.objects.count() == 1


def test_register_the_contact_on_the_spot(client_of, world, make_person, index):
    url = reverse("surveillance:exposure_create", args=[index.person_id])
    new = {
        "new-full_name": "Lý Văn Mới",
        "new-sex": "M",
        "new-birth_year": "1999",
        "new-phone": "0905 123 456",
        "new-unit": world.village2.code,
    }
    response = client_of("health").post(url, exposure_form(kind="close_unmasked", distance_m="1", **new))
    assert response.status_code == 302
    person = Person.objects.get(full_name="Lý Văn Mới")
    assert person.unit == world.village2 and Contact.objects.get(person=person).rank == 1


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"start_date": "2999-01-01"}, "start_date"),
        ({"start_date": "2021-07-09", "end_date": "2021-07-01"}, "end_date"),
        ({"kind": "close_masked", "masked": "0"}, "masked"),
        ({"distance_m": "-1"}, "distance_m"),
    ],
)
def test_bad_exposure_explains_and_saves_nothing_not_even_the_new_person(client_of, world, index, bad, field):
    new = {"new-full_name": "Lý Văn Mới", "new-sex": "M", "new-birth_year": "1999", "new-unit": world.village.code}
    response = client_of("health").post(
        reverse("surveillance:exposure_create", args=[index.person_id]), exposure_form(**new, **bad)
    )
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Person.objects.filter(full_name="Lý Văn Mới").exists() and Exposure.objects.count() == 0


def test_exposure_to_oneself_is_explained(client_of, world, index):
    response = client_of("health").post(
        reverse("surveillance:exposure_create", args=[index.person_id]), exposure_form(other=index.person_id)
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Exposure.objects.count() == 0


def test_refused_service_leaves_no_new_person(client_of, world, make_person, index, monkeypatch):
    """The person registered on the spot goes away with a refused exposure (one transaction)."""
    from django.core.exceptions import ValidationError

    from chongdich.surveillance.actions import tracing

    def refuse(*args, **kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(tracing, "do_record_exposure", refuse)
    new = {"new-full_name": "Lý Văn Mới", "new-sex": "M", "new-birth_year": "1999", "new-unit": world.village.code}
    response = client_of("health").post(
        reverse("surveillance:exposure_create", args=[index.person_id]), exposure_form(**new)
    )
    assert response.status_code == 200 and "refused" in " ".join(response.context["form"].non_field_errors())
    assert not Person.objects.filter(full_name="Lý Văn Mới").exists()


def test_possible_duplicate_is_offered_on_the_exposure_form(client_of, world, make_person, index):
    existing = make_person(full_name="Lý Văn Mới", birth_year=1999, phone="+84905123456", cccd=None)
    new = {
        "new-full_name": "Lý Văn Mới",
        "new-sex": "M",
        "new-birth_year": "1999",
        "new-phone": "0905123456",
        "new-unit": world.village.code,
    }
    response = client_of("health").post(
        reverse("surveillance:exposure_create", args=[index.person_id]), exposure_form(**new)
    )
    assert response.status_code == 200 and existing in response.context["duplicates"]
    assert Person.objects.filter(full_name="Lý Văn Mới").count() == 1


def test_exposure_form_scope(client_of, world, make_person, index):
    url = reverse("surveillance:exposure_create", args=[index.person_id])
    assert client_of("other_commune").get(url).status_code == 404
    assert client_of("community").get(url).status_code == 403


# -- tracing ----------------------------------------------------------------------------------


def test_one_click_status_updates(client_of, world, make_person, expose, index, personas):
    f1 = make_person(full_name="Bùi Thị Một", sex="F", cccd=None)
    expose(index.person, f1)
    contact = Contact.objects.get(person=f1)
    client = client_of("health")
    tracing = client.get(reverse("surveillance:tracing", args=[index.pk]))
    assert "Bùi Thị Một" in tracing.content.decode() and tracing.context["counts"].by_rank[1] == {"to_find": 1}
    url = reverse("surveillance:contact_status", args=[contact.pk])
    response = client.post(url, {"status": "reached", "next": reverse("surveillance:worklist")})
    assert response.status_code == 302 and response.url == reverse("surveillance:worklist")
    contact.refresh_from_db()
    assert contact.status == ContactStatus.REACHED
    assert AuditEvent.objects.filter(
        object_type="surveillance.contact", object_id=str(contact.pk), detail__changed__status=["to_find", "reached"]
    ).exists()
    row = client.post(url, {"status": "isolated"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and b"contact-row" in row.content and b"<nav" not in row.content
    contact.refresh_from_db()
    assert contact.status == ContactStatus.ISOLATED
    client.post(url, {"status": "became_case"})  # only the case services set this
    contact.refresh_from_db()
    assert contact.status == ContactStatus.ISOLATED
    assert client_of("other_commune").post(url, {"status": "released"}).status_code == 404
    assert client_of("community").post(url, {"status": "released"}).status_code == 403


def test_worklist_shows_contacts_to_find_in_my_area(client_of, world, make_person, expose, index):
    found, waiting = make_person(full_name="Đã Gặp", cccd=None), make_person(full_name="Chưa Gặp", cccd=None)
    expose(index.person, found)
    expose(index.person, waiting)
    Contact.objects.filter(person=found).update(status=ContactStatus.REACHED)
    client = client_of("community")  # a community team sees its village's list
    page = client.get(reverse("surveillance:worklist")).content.decode()
    assert "Chưa Gặp" in page and "Đã Gặp" not in page
    assert "Đã Gặp" in client.get(reverse("surveillance:worklist"), {"status": "open"}).content.decode()
    assert client_of("viewer").get(reverse("surveillance:worklist")).status_code == 403


def test_exports_are_audited_and_scoped(client_of, world, make_person, confirm, expose, index, personas):
    from tests.helpers import read_xlsx

    confirm(make_person(unit=world.other_village, full_name="Lý Thị Xa", cccd=None), actor="district")
    expose(index.person, make_person(full_name="Mai Văn Gần", cccd=None))
    rows = read_xlsx(client_of("other_commune").get(reverse("surveillance:export")).content)
    assert [row[1] for row in rows[1:]] == ["Lý Thị Xa"]
    response = client_of("commune").get(reverse("surveillance:export"), {"outcome": "active"})
    assert [row[1] for row in read_xlsx(response.content)[1:]] == ["Trần Văn Nguồn"]
    event = AuditEvent.objects.get(action="export", actor=personas["commune"])
    assert event.detail["rows"] == 1 and event.detail["filters"] == {"outcome": "active"}
    assert event.detail["people"] == [index.person_id]
    contacts = read_xlsx(client_of("commune").get(reverse("surveillance:contacts_export", args=[index.pk])).content)
    assert contacts[1][1] == index.case_number and contacts[1][3] == "Mai Văn Gần"
    assert read_xlsx(client_of("commune").get(reverse("surveillance:worklist_export")).content)[1][3] == "Mai Văn Gần"
    assert AuditEvent.objects.filter(action="export", actor=personas["commune"]).count() == 3
    assert client_of("community").get(reverse("surveillance:export")).status_code == 403  # no export right
    assert client_of("other_commune").get(reverse("surveillance:contacts_export", args=[index.pk])).status_code == 404


# -- clusters and chains ----------------------------------------------------------------------


def cluster_form(world, **extra):
    return {
        "name": "Chợ Đức Hạnh",
        "setting": "market",
        "source_known": "0",
        "unit": world.commune.code,
        "opened_on": "2021-07-05",
        **extra,
    }


def test_clusters(client_of, world, make_person, confirm, index):
    client = client_of("commune")
    assert client.post(reverse("surveillance:cluster_create"), cluster_form(world)).status_code == 302
    assert client.post(reverse("surveillance:cluster_create"), cluster_form(world)).status_code == 302  # re-sent
    cluster = Cluster.objects.get()
    response = client.post(
        reverse("surveillance:cluster_create"), cluster_form(world, name="Chợ B", closed_on="2021-07-01")
    )
    assert (
        response.status_code == 200 and "closed_on" in response.context["form"].errors and Cluster.objects.count() == 1
    )
    member = confirm(make_person(full_name="Người Ở Chợ", cccd=None), cluster=cluster)
    page = client.get(reverse("surveillance:cluster", args=[cluster.pk]))
    assert page.status_code == 200 and member in page.context["cases"]
    assert [c.pk for c in page.context["chains"]] == [member.chain_id]
    client.post(reverse("surveillance:cluster", args=[cluster.pk]), {"chain": str(index.chain_id)})
    assert set(page.context["chains"].model.objects.filter(clusters=cluster).values_list("pk", flat=True)) == {
        member.chain_id,
        index.chain_id,
    }
    assert (
        client.post(
            reverse("surveillance:cluster_edit", args=[cluster.pk]), cluster_form(world, name="Chợ Đức Hạnh mới")
        ).status_code
        == 302
    )
    cluster.refresh_from_db()
    assert cluster.name == "Chợ Đức Hạnh mới"
    assert client.get(reverse("surveillance:clusters")).context["table"].data.data.get().n_cases == 1
    assert client_of("other_commune").get(reverse("surveillance:cluster", args=[cluster.pk])).status_code == 404
    assert client_of("community").get(reverse("surveillance:cluster_create")).status_code == 403


def test_chains(client_of, world, make_person, confirm, expose, index):
    second = confirm(make_person(full_name="Người Thứ Hai", cccd=None), day=D + timedelta(days=2))
    expose(index.person, second.person)
    lonely = confirm(make_person(unit=world.other_village, full_name="Người Xa", cccd=None), actor="district")
    client = client_of("commune")
    table = client.get(reverse("surveillance:chains")).context["table"]
    assert [(c.size, c.active) for c in table.data] == [(2, 2)]
    page = client.get(reverse("surveillance:chain", args=[index.chain_id]), {"case": index.pk})
    assert page.status_code == 200 and len(page.context["view"].nodes) == 2
    assert 'class="highlight"' in page.content.decode()
    assert client_of("other_commune").get(reverse("surveillance:chain", args=[index.chain_id])).status_code == 404
    assert client_of("commune").get(reverse("surveillance:chain", args=[lonely.chain_id])).status_code == 404
    assert client_of("checkpoint").get(reverse("surveillance:chains")).status_code == 403


def test_exposure_details_have_no_stray_separator(client_of, world, make_person, expose, index):
    import re
    from decimal import Decimal

    expose(
        index.person,
        make_person(full_name="Không Rõ Khẩu Trang", cccd=None),
        kind="close_unmasked",
        distance_m=Decimal("1.0"),
    )
    expose(index.person, make_person(full_name="Chỉ Thời Gian", cccd=None), kind="same_enclosed_space", duration_min=20)
    expose(
        index.person,
        make_person(full_name="Có Khẩu Trang", cccd=None),
        kind="close_masked",
        masked=True,
        distance_m=Decimal("1.5"),
        duration_min=30,
    )
    expose(index.person, make_person(full_name="Không Ghi Gì", cccd=None))
    page = client_of("commune").get(reverse("surveillance:detail", args=[index.pk])).content.decode()
    card = page[page.index('id="exposures"') :]
    cells = {}
    for row in re.findall(r"<tr>(.*?)</tr>", card[: card.index("</table>")], re.S):
        tds = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if not tds:
            continue  # the header
        name = next(n for n in ("Không Rõ", "Chỉ Thời Gian", "Có Khẩu Trang", "Không Ghi Gì") if n in tds[0])
        cells[name] = " ".join(tds[-1].split())
    assert cells["Không Rõ"] == "1,0 m"
    assert cells["Chỉ Thời Gian"].startswith("20 ") and "·" not in cells["Chỉ Thời Gian"]
    assert cells["Có Khẩu Trang"].count("·") == 2 and cells["Có Khẩu Trang"].startswith("có")
    assert cells["Không Ghi Gì"] == "—"
