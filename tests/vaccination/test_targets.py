"""Target lists: enrolment in priority groups, the target list and its counts, due and overdue, invitations
(slips, Excel, statuses), the person page's panel — actions, selectors and pages."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from chongdich.vaccination.actions import targets as act
from chongdich.vaccination.models import Dose, DoseKind, Enrolment, Invitation, InvitationStatus, Session, Site
from chongdich.vaccination.rules import DoseIn, PersonIn, assess, default_config
from chongdich.vaccination.selectors import targets as read

TODAY = date(2021, 11, 15)


@pytest.fixture(autouse=True)
def pinned(settings):
    settings.CHONGDICH_TODAY = f"{TODAY.isoformat()}T09:00"


def give(person, product, day, number=1, kind=DoseKind.PRIMARY, completes=False, **extra):
    dose = Dose(
        person=person, product=product, given_on=day, number=number, kind=kind, completes_primary=completes, **extra
    )
    dose.place_in(person.unit)
    dose.save()
    return dose


@pytest.fixture
def session(world):
    site = Site(name="Trạm Y tế xã Đức Hạnh", address="Thôn 1", phone="0271 3800 111")
    site.place_in(world.commune)
    site.save()
    made = Session(site=site, day=TODAY + timedelta(days=2), planned=200)
    made.place_in(world.commune)
    made.save()
    return made


def first_group(person=None):
    return read.groups_on(TODAY, "70")[0]


def high_risk_group():
    return next(g for g in read.groups_on(TODAY, "70") if g.high_risk)


# -- enrolment -------------------------------------------------------------------------------------------
def test_enrol_is_idempotent_and_snapshots_the_high_risk_flag(personas, make_person):
    person = make_person()
    group = high_risk_group()
    enrolment, created = act.do_enrol(personas["health"], person, group.code)
    again, created_again = act.do_enrol(personas["health"], person, group.code)
    assert created and not created_again and again.pk == enrolment.pk
    assert enrolment.high_risk is True and enrolment.unit_path == person.unit_path
    assert Enrolment.objects.filter(person=person).count() == 1


def test_enrol_replays_a_resent_form(personas, make_person):
    person = make_person()
    code = first_group().code
    first, _ = act.do_enrol(personas["health"], person, code, client_id="abc-1")
    second, created = act.do_enrol(personas["health"], person, code, client_id="abc-1")
    assert first.pk == second.pk and not created
    with pytest.raises(PermissionDenied):
        act.do_enrol(personas["other_commune"], person, code, client_id="abc-1")


def test_enrol_refuses_another_area_and_an_unknown_group(personas, make_person, world):
    person = make_person()
    with pytest.raises(PermissionDenied):
        act.do_enrol(personas["other_commune"], person, first_group().code)
    with pytest.raises(PermissionDenied):
        act.do_enrol(personas["community"], person, first_group().code)  # view only
    with pytest.raises(ValidationError):
        act.do_enrol(personas["health"], person, "G99")
    assert not Enrolment.objects.exists()


def test_enrol_many_adds_each_person_once(personas, make_person, world):
    people = [make_person(full_name=f"Người {i}") for i in range(5)]
    code = first_group().code
    act.do_enrol(personas["health"], people[0], code)
    added, already = act.do_enrol_many(personas["health"], people, code)
    assert (added, already) == (4, 1)
    assert act.do_enrol_many(personas["health"], people, code) == (0, 5)
    assert Enrolment.objects.filter(group=code).count() == 5
    assert all(e.history.count() == 1 for e in Enrolment.objects.all())


def test_enrol_many_refuses_people_of_another_area(personas, make_person, world):
    mine = make_person()
    theirs = make_person(unit=world.other_village)
    with pytest.raises(PermissionDenied):
        act.do_enrol_many(personas["health"], [mine, theirs], first_group().code)
    assert not Enrolment.objects.exists()


def test_unenrol(personas, make_person):
    person = make_person()
    enrolment, _ = act.do_enrol(personas["health"], person, first_group().code)
    with pytest.raises(PermissionDenied):
        act.do_unenrol(personas["other_commune"], enrolment)
    act.do_unenrol(personas["health"], enrolment)
    assert not Enrolment.objects.exists()


# -- the target list ----------------------------------------------------------------------------------------
@pytest.fixture
def town(world, make_person, personas):
    """People of Thôn 1 in every dose state, one of the other commune."""
    none = make_person(full_name="Chưa Tiêm", date_of_birth=date(1950, 5, 1), birth_year=1950)
    partial = make_person(full_name="Một Mũi", date_of_birth=date(1990, 1, 1), birth_year=1990)
    complete = make_person(full_name="Hai Mũi", date_of_birth=date(2005, 6, 1), birth_year=2005)
    boosted = make_person(full_name="Ba Mũi", date_of_birth=None, birth_year=1960)
    elsewhere = make_person(full_name="Xã Khác", unit=world.other_village)
    give(partial, "PF", date(2021, 9, 1))
    give(complete, "PF", date(2021, 8, 1))
    give(complete, "PF", date(2021, 8, 22), number=2, completes=True)
    give(boosted, "AZ", date(2021, 3, 10))
    give(boosted, "AZ", date(2021, 6, 10), number=2, completes=True)
    give(boosted, "PF", date(2021, 11, 1), number=1, kind=DoseKind.BOOSTER)
    give(elsewhere, "PF", date(2021, 9, 1))
    act.do_enrol(personas["health"], none, high_risk_group().code)
    return {"none": none, "partial": partial, "complete": complete, "boosted": boosted, "elsewhere": elsewhere}


def test_dose_states_and_counts_equal_the_lists(town, personas):
    people = read.with_dose_state(read.people_in_scope(personas["commune"]), TODAY)
    counts = read.state_counts(people)
    assert counts["total"] == 4  # the other commune's person is outside
    for state, _label in read.DoseState.CHOICES:
        listed = list(people.filter(read.state_q(state)))
        assert counts[state] == len(listed) == 1
        assert listed[0] == town[state]


def test_dose_state_on_an_earlier_day(town, personas):
    people = read.with_dose_state(read.people_in_scope(personas["commune"]), date(2021, 8, 10))
    assert set(people.filter(read.state_q("partial"))) == {town["complete"]}
    assert set(people.filter(read.state_q("complete"))) == {town["boosted"]}
    assert read.state_counts(people)["none"] == 2


def test_age_bands_use_the_date_of_birth_else_the_year(town, personas):
    people = read.people_in_scope(personas["commune"])
    assert set(people.filter(read.age_q("12_17", TODAY))) == {town["complete"]}  # 16
    assert set(people.filter(read.age_q("65_plus", TODAY))) == {town["none"]}  # 71
    assert set(people.filter(read.age_q("50_64", TODAY))) == {town["boosted"]}  # born 1960: 61
    assert set(people.filter(read.age_q("18_49", TODAY))) == {town["partial"]}
    # the 18th birthday on the list's day counts
    assert town["complete"] in people.filter(read.age_q("12_17", date(2023, 5, 31)))
    assert town["complete"] not in people.filter(read.age_q("12_17", date(2023, 6, 1)))
    assert town["complete"] in people.filter(read.age_q("18_49", date(2023, 6, 1)))


def test_group_filter(town, personas):
    people = read.people_in_scope(personas["commune"])
    assert set(read.in_group(people, high_risk_group().code)) == {town["none"]}
    assert town["none"] not in set(read.in_group(people, "none"))
    assert len(read.in_group(people, "none")) == 3


# -- due and overdue -------------------------------------------------------------------------------------------
def expected_due(people, day, late_by=None):
    """What the rules say, person by person (the reference the one-pass selector must equal)."""
    due = set()
    cfg = default_config()
    for person in people:
        doses = tuple(
            DoseIn(d.product, d.given_on) for d in person.vaccine_doses.order_by("given_on") if d.given_on <= day
        )
        if not doses or person.vaccine_doses.filter(kind=DoseKind.BOOSTER, given_on__lte=day).exists():
            continue
        status = assess(PersonIn(person.pk, person.date_of_birth, doses, None, None), day, cfg)
        earliest = status.earliest_next or status.next_due
        if status.next_due is None or earliest > day:
            continue
        if late_by is not None and (day - status.next_due).days < late_by:
            continue
        due.add(person.pk)
    return due


def test_due_list_equals_the_rules_person_by_person(town, personas, make_person):
    recent = make_person(full_name="Mới Tiêm")
    give(recent, "PF", TODAY - timedelta(days=5))
    people = read.people_in_scope(personas["commune"])
    for day in (TODAY, TODAY + timedelta(days=90), TODAY + timedelta(days=200)):
        rows = read.due_rows(people, day, default_config())
        assert {row.pk for row in rows} == expected_due(people, day)
        late = read.due_rows(people, day, default_config(), late_by=30)
        assert {row.pk for row in late} == expected_due(people, day, late_by=30)
    rows = {row.pk: row for row in read.due_rows(people, TODAY, default_config())}
    assert town["partial"].pk in rows and recent.pk not in rows
    assert town["boosted"].pk not in rows and town["elsewhere"].pk not in rows
    assert rows[town["partial"].pk].next_kind == "primary" and rows[town["partial"].pk].next_number == 2
    assert rows[town["partial"].pk].days_late > 30


def test_due_list_reads_the_doses_in_one_query(world, personas, make_person, django_assert_max_num_queries):
    for i in range(40):
        person = make_person(full_name=f"Người {i}")
        give(person, "PF", date(2021, 9, 1) + timedelta(days=i))
        if i % 2:
            give(person, "PF", date(2021, 9, 25) + timedelta(days=i), number=2, completes=True)
    people = read.people_in_scope(personas["commune"])
    with django_assert_max_num_queries(3):
        rows = read.due_rows(people, TODAY, default_config())
    assert len(rows) == len(expected_due(people, TODAY))


# -- invitations -------------------------------------------------------------------------------------------------
def test_invite_is_idempotent_with_short_unique_tokens(town, personas, session):
    people = [town["none"], town["partial"], town["complete"]]
    invited, before = act.do_invite(personas["health"], session, people)
    assert (invited, before) == (3, 0)
    assert act.do_invite(personas["health"], session, people) == (0, 3)
    invitations = {i.person_id: i for i in Invitation.objects.filter(session=session)}
    tokens = [i.token for i in invitations.values()]
    assert len(set(tokens)) == 3 and all(8 <= len(t) <= 32 for t in tokens)
    assert (invitations[town["none"].pk].dose_kind, invitations[town["none"].pk].dose_number) == ("primary", 1)
    assert (invitations[town["partial"].pk].dose_kind, invitations[town["partial"].pk].dose_number) == ("primary", 2)
    assert invitations[town["complete"].pk].dose_kind == "booster"
    assert all(i.status == InvitationStatus.INVITED for i in invitations.values())


def test_invite_refusals(town, personas, session):
    with pytest.raises(PermissionDenied):
        act.do_invite(personas["health"], session, [town["elsewhere"]])
    with pytest.raises(PermissionDenied):
        act.do_invite(personas["other_commune"], session, [town["elsewhere"]])
    with pytest.raises(ValidationError):
        act.do_invite(personas["health"], session, [])
    session.status = "cancelled"
    session.save()
    with pytest.raises(ValidationError):
        act.do_invite(personas["health"], session, [town["none"]])
    session.status, session.day = "planned", TODAY - timedelta(days=1)
    session.save()
    with pytest.raises(ValidationError):
        act.do_invite(personas["health"], session, [town["none"]])
    assert not Invitation.objects.exists()


def test_invitation_status_and_a_dose_given_shows_vaccinated(town, personas, session):
    act.do_invite(personas["health"], session, [town["none"], town["partial"]])
    invitation = Invitation.objects.get(person=town["none"])
    act.do_set_invitation_status(personas["health"], invitation, InvitationStatus.ABSENT)
    with pytest.raises(ValidationError):
        act.do_set_invitation_status(personas["health"], invitation, "vaccinated")
    with pytest.raises(PermissionDenied):
        act.do_set_invitation_status(personas["other_commune"], invitation, InvitationStatus.CAME)
    give(town["partial"], "PF", session.day, number=2, completes=True, session=session)
    rows = read.invitations_of(personas["commune"], session)
    shown = {i.person_id: read.shown_status(i) for i in rows}
    assert shown == {town["none"].pk: "absent", town["partial"].pk: "vaccinated"}
    counts = read.invitation_counts(rows)
    assert counts["total"] == 2 and counts["absent"] == 1 and counts["vaccinated"] == 1 and counts["invited"] == 0


# -- pages ---------------------------------------------------------------------------------------------------------
def test_target_list_page_counts_equal_the_list(town, client_of):
    client = client_of("commune")
    response = client.get(reverse("vaccination:targets"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa Tiêm" in html and "Xã Khác" not in html
    assert response.context["counts"]["total"] == response.context["table"].paginator.count == 4
    for state, _label in read.DoseState.CHOICES:
        listed = client.get(reverse("vaccination:targets"), {"doses": state})
        assert listed.context["table"].paginator.count == response.context["counts"][state]


@pytest.mark.parametrize(
    "query",
    [
        {"on": "abc"},
        {"on": "0001-01-01"},
        {"on": "9999-12-31"},
        {"age": "x"},
        {"group": "G99"},
        {"doses": "lots"},
        {"unit": "nope"},
        {"unit": "26734"},
        {"page": "-1"},
        {"q": "x" * 500},
        {"sort": "nonsense"},
        {"late_by": "1e9"},
        {"late_by": "-3"},
    ],
)
def test_odd_filters_never_fail(town, client_of, query):
    client = client_of("commune")
    for name in ("vaccination:targets", "vaccination:due", "vaccination:targets_export", "vaccination:due_export"):
        response = client.get(reverse(name), query)
        assert response.status_code == 200, (name, query)


def test_an_invalid_filter_exports_nothing(town, client_of):
    response = client_of("commune").get(reverse("vaccination:targets_export"), {"age": "x"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1


def test_target_export_has_the_usual_shape(town, client_of):
    response = client_of("commune").get(reverse("vaccination:targets_export"), {"age": "65_plus"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows[0]) == 10 and len(rows) == 2
    assert rows[1][1] == "Chưa Tiêm" and rows[1][8] == 0
    assert high_risk_group().name_vi in rows[1][7]


def test_due_page_and_export(town, client_of):
    client = client_of("commune")
    response = client.get(reverse("vaccination:due"), {"late_by": "30"})
    assert response.status_code == 200 and "Một Mũi" in response.content.decode()
    assert response.context["count"] == response.context["table"].paginator.count
    export = client.get(reverse("vaccination:due_export"), {"late_by": "30"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.values)
    assert len(rows) - 1 == response.context["count"]


def test_enrol_everyone_listed_and_invite_from_the_list(town, client_of, session):
    client = client_of("health")
    code = first_group().code
    response = client.post(reverse("vaccination:targets_enrol"), {"doses": "none", "into_group": code})
    assert response.status_code == 302
    assert set(Enrolment.objects.filter(group=code).values_list("person_id", flat=True)) == {town["none"].pk}
    response = client.post(reverse("vaccination:targets_invite"), {"age": "18_plus", "session": session.pk})
    assert response.status_code == 302 and response.url == reverse("vaccination:invitations", args=[session.pk])
    assert Invitation.objects.filter(session=session).count() == 3  # none, partial, boosted (16 y.o. left out)
    # bad posts: a message, never a 500
    for data in ({"session": "abc"}, {"session": "999999"}, {"age": "x", "session": session.pk}, {"into_group": "G99"}):
        assert client.post(reverse("vaccination:targets_invite"), data).status_code == 302
        assert client.post(reverse("vaccination:targets_enrol"), data).status_code == 302


def test_invite_from_the_due_list(town, client_of, session):
    response = client_of("health").post(reverse("vaccination:due_invite"), {"session": session.pk})
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("person_id", flat=True)) == {town["partial"].pk}


def test_invitations_page_slips_and_export(town, personas, client_of, session):
    act.do_invite(personas["health"], session, [town["none"], town["partial"]])
    client = client_of("commune")
    page = client.get(reverse("vaccination:invitations", args=[session.pk]))
    assert page.status_code == 200 and page.context["counts"]["total"] == 2
    slips = client.get(reverse("vaccination:invitation_slips", args=[session.pk]))
    html = slips.content.decode()
    assert slips.status_code == 200 and html.count('class="slip"') == 2 and html.count("<svg") == 2
    token = Invitation.objects.get(person=town["none"]).token
    assert token in html and "Chưa Tiêm" in html
    export = client.get(reverse("vaccination:invitations_export", args=[session.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.values)
    assert len(rows) == 3 and token in {row[-1] for row in rows}
    other = client_of("other_commune")
    for name in ("vaccination:invitations", "vaccination:invitation_slips", "vaccination:invitations_export"):
        assert other.get(reverse(name, args=[session.pk])).status_code == 404
    assert client.get(reverse("vaccination:invitations", args=[999999])).status_code == 404


def test_invitation_status_page_post(town, personas, client_of, session):
    act.do_invite(personas["health"], session, [town["none"]])
    invitation = Invitation.objects.get()
    url = reverse("vaccination:invitation_status", args=[invitation.pk])
    assert client_of("health").post(url, {"status": "came"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "came"
    assert client_of("health").post(url, {"status": "bogus"}).status_code == 302
    assert client_of("other_commune").post(url, {"status": "absent"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "came"


def test_enrol_by_uploading_cccd(town, client_of, make_person):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH NHÓM ƯU TIÊN"])
    sheet.append(["STT", "Họ và tên", "Số CCCD"])
    sheet.append([1, "Chưa Tiêm", town["none"].cccd])
    sheet.append([2, "Một Mũi", town["partial"].cccd])
    sheet.append([3, "Ai đó", "070085999999"])
    sheet.append([4, "Sai", "abc"])
    sheet.append([5, "Xã Khác", town["elsewhere"].cccd])
    buffer = io.BytesIO()
    workbook.save(buffer)
    code = first_group().code

    def send():
        upload = io.BytesIO(buffer.getvalue())
        upload.name = "ds.xlsx"
        return client_of("health").post(reverse("vaccination:enrol_upload"), {"group": code, "file": upload})

    response = send()
    assert response.status_code == 200
    result = response.context["result"]
    assert result["added"] == 2 and result["missing_count"] == 2 and result["bad_count"] == 1
    assert send().context["result"]["added"] == 0  # sent again: nothing new
    assert Enrolment.objects.filter(group=code).count() == 2
    bad = io.BytesIO(b"\x00garbage")
    bad.name = "x.xlsx"
    response = client_of("health").post(reverse("vaccination:enrol_upload"), {"group": code, "file": bad})
    assert response.status_code == 200 and response.context["form"].errors


def test_person_page_panel(town, client_of, personas):
    person = town["partial"]
    page = client_of("commune").get(reverse("people:detail", args=[person.pk]))
    html = page.content.decode()
    assert 'id="vaccination-panel"' in html and "01/09/2021" in html and 'id="enrol-person"' in html
    code = high_risk_group().code
    response = client_of("health").post(reverse("vaccination:person_enrol", args=[person.pk]), {"group": code})
    assert response.status_code == 302 and Enrolment.objects.filter(person=person, group=code).exists()
    assert (
        client_of("health").post(reverse("vaccination:person_enrol", args=[person.pk]), {"group": "G99"}).status_code
        == 302
    )
    assert (
        client_of("other_commune")
        .post(reverse("vaccination:person_enrol", args=[person.pk]), {"group": code})
        .status_code
        == 404
    )
    viewer = client_of("community").get(reverse("people:detail", args=[person.pk])).content.decode()
    assert 'id="vaccination-panel"' in viewer and 'id="enrol-person"' not in viewer
