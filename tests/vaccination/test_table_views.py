"""The session and table pages through the Django test client: every page answers, bad input never
gives a 500, another area's objects answer 404, person data read is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.vaccination.actions.table import do_record_dose
from chongdich.vaccination.models import Dose, Invitation, Screening, Session
from chongdich.vaccination.selectors.table import checklist
from tests.vaccination.table_world import DAY, eligible


def screening_post(**extra):
    data = {f"q_{q.code}": "no" for q in checklist(DAY, "70")}
    return data | extra


@pytest.fixture
def health(client_of):
    return client_of("health")


def test_pages_answer(vacc, health):
    session, person = vacc["session"], vacc["person"]
    eligible(vacc)
    dose, _ = do_record_dose(vacc["health"], person=person, session=session, lot=vacc["az"])
    urls = [
        reverse("vaccination:index"),
        reverse("vaccination:sessions"),
        reverse("vaccination:sessions") + "?status=open&day=2021-10-01",
        reverse("vaccination:session_create"),
        reverse("vaccination:session", args=[session.pk]),
        *(
            reverse("vaccination:session", args=[session.pk]) + f"?show={s}"
            for s in ("screened", "vaccinated", "postponed", "observing")
        ),
        reverse("vaccination:session", args=[session.pk]) + f"?show=vaccinated&lot={vacc['az'].pk}",
        reverse("vaccination:session_edit", args=[session.pk]),
        reverse("vaccination:table", args=[session.pk]),
        reverse("vaccination:table", args=[session.pk]) + "?q=nguyen+van",
        reverse("vaccination:table_person", args=[session.pk, person.pk]),
        reverse("vaccination:observation", args=[session.pk]),
        reverse("vaccination:dose", args=[dose.pk]),
        reverse("vaccination:dose_void", args=[dose.pk]),
    ]
    for url in urls:
        response = health.get(url)
        assert response.status_code == 200, url
    page = health.get(reverse("vaccination:index")).content.decode()
    assert 'id="kpi-doses">1<' in page and reverse("vaccination:sessions") in page


def test_find_by_cccd_phone_name_and_token(vacc, health):
    session, person = vacc["session"], vacc["person"]
    url = reverse("vaccination:table", args=[session.pk])
    for query in (person.cccd, person.phone, "nguyen van an", "NGUYEN AN"):
        page = health.get(url, {"q": query}).content.decode()
        assert reverse("vaccination:table_person", args=[session.pk, person.pk]) in page, query
    invitation = Invitation(session=session, person=person, token="Qx7kP2mZ9wLs")
    invitation.place_in(person.unit)
    invitation.save()
    card = reverse("vaccination:table_person", args=[session.pk, person.pk])
    for query in ("Qx7kP2mZ9wLs", "https://chongdich.example/i/Qx7kP2mZ9wLs/", "https://x.vn/v?t=Qx7kP2mZ9wLs"):
        response = health.get(url, {"q": query})
        assert response.status_code == 302 and response["Location"] == card, query
    assert (
        AuditEvent.objects.filter(action="search", detail__q__isnull=False).exists()
        or AuditEvent.objects.filter(action="view").exists()
    )


def test_table_flow_through_pages(vacc, health):
    session, person = vacc["session"], vacc["person"]
    card = reverse("vaccination:table_person", args=[session.pk, person.pk])
    response = health.post(reverse("vaccination:screen", args=[session.pk, person.pk]), screening_post(client_id="s1"))
    assert response.status_code == 302 and Screening.objects.get().outcome == "eligible"
    page = health.get(card).content.decode()
    assert 'id="dose-form"' in page
    data = {"lot": vacc["az"].pk, "client_id": "dose-1"}
    response = health.post(reverse("vaccination:record_dose", args=[session.pk, person.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("vaccination:table", args=[session.pk])
    response = health.post(reverse("vaccination:record_dose", args=[session.pk, person.pk]), data)  # re-sent
    assert response.status_code == 302 and Dose.objects.count() == 1
    dose = Dose.objects.get()
    page = health.get(reverse("vaccination:observation", args=[session.pk])).content.decode()
    assert person.full_name in page
    response = health.post(reverse("vaccination:dose_observed", args=[dose.pk]), {"next": "/vaccination/"})
    assert response.status_code == 302 and response["Location"] == "/vaccination/"
    dose.refresh_from_db()
    assert dose.observation_done
    session_page = health.get(reverse("vaccination:session", args=[session.pk])).content.decode()
    assert 'id="count-vaccinated">1<' in session_page and 'id="count-screened">1<' in session_page
    response = health.post(reverse("vaccination:dose_void", args=[dose.pk]), {"reason": ""})
    assert response.status_code == 200 and Dose.objects.valid().count() == 1
    response = health.post(reverse("vaccination:dose_void", args=[dose.pk]), {"reason": "Ghi nhầm"})
    assert response.status_code == 302 and Dose.objects.valid().count() == 0


def test_override_reason_is_asked_on_the_form(vacc, health):
    session, person = vacc["session"], vacc["person"]
    earlier = Dose(person=person, product="AZ", given_on=DAY - timedelta(days=5), number=1, source="manual")
    earlier.place_in(person.unit)
    earlier.save()
    eligible(vacc)
    url = reverse("vaccination:record_dose", args=[session.pk, person.pk])
    response = health.post(url, {"lot": vacc["az"].pk, "client_id": "x1"})
    assert response.status_code == 200
    assert 'name="override_reason"' in response.content.decode() and Dose.objects.count() == 1
    response = health.post(url, {"lot": vacc["az"].pk, "client_id": "x1", "override_reason": "Bác sĩ đồng ý"})
    assert response.status_code == 302 and Dose.objects.count() == 2


def test_stopped_screening_shows_a_clear_message(vacc, health):
    session, person = vacc["session"], vacc["person"]
    health.post(reverse("vaccination:screen", args=[session.pk, person.pk]), screening_post(outcome="postpone"))
    page = health.get(reverse("vaccination:table_person", args=[session.pk, person.pk])).content.decode()
    assert 'id="dose-stopped"' in page and 'id="dose-form"' not in page
    response = health.post(reverse("vaccination:record_dose", args=[session.pk, person.pk]), {"lot": vacc["az"].pk})
    assert response.status_code == 200 and not Dose.objects.exists()


def test_session_create_edit_and_status(vacc, health, world):
    response = health.post(
        reverse("vaccination:session_create"),
        {
            "site": vacc["site"].pk,
            "day": "2021-10-02",
            "shift": "morning",
            "planned": "80",
            "lots": [vacc["az"].pk],
            "client_id": "c1",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(client_id="c1")
    assert list(session.lots.all()) == [vacc["az"]]
    response = health.post(
        reverse("vaccination:session_edit", args=[session.pk]),
        {"site": vacc["site"].pk, "day": "2021-10-02", "shift": "afternoon", "planned": "90", "staff_note": "BS. Lan"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.shift, session.planned, session.staff_note, session.lots.count()) == ("afternoon", 90, "BS. Lan", 0)
    response = health.post(reverse("vaccination:session_status", args=[session.pk]), {"step": "open"}, follow=True)
    session.refresh_from_db()
    assert session.status == "planned" and "02/10/2021" in response.content.decode()  # not before its day
    response = health.post(reverse("vaccination:session_status", args=[session.pk]), {"step": "cancel"})
    session.refresh_from_db()
    assert session.status == "cancelled"


BAD = ["", "x", "-1", "99999999999999999999", "2021-13-45", "\u202e", "' OR 1=1 --", "9" * 400]


def test_bad_input_never_500(vacc, health):
    session, person = vacc["session"], vacc["person"]
    for value in BAD:
        for url, data in [
            (
                reverse("vaccination:session_create"),
                {"site": value, "day": value, "planned": value, "lots": value, "staff": value},
            ),
            (reverse("vaccination:session_edit", args=[session.pk]), {"site": value, "day": value, "shift": value}),
            (reverse("vaccination:session_status", args=[session.pk]), {"step": value}),
            (
                reverse("vaccination:screen", args=[session.pk, person.pk]),
                screening_post(temperature=value, outcome=value, blood_pressure=value),
            ),
            (
                reverse("vaccination:record_dose", args=[session.pk, person.pk]),
                {"lot": value, "override_reason": value},
            ),
            (reverse("vaccination:dose_void", args=[1]), {"reason": value}),
        ]:
            assert health.post(url, data).status_code in (200, 302, 404), (url, value)
        for url in (
            reverse("vaccination:sessions") + f"?site={value}&day={value}&status={value}&page={value}",
            reverse("vaccination:table", args=[session.pk]) + f"?q={value}",
            reverse("vaccination:session", args=[session.pk]) + f"?show={value}&lot={value}",
        ):
            assert health.get(url).status_code == 200, (url, value)


def test_other_area_is_404(vacc, client_of):
    session, person = vacc["session"], vacc["person"]
    eligible(vacc)
    dose, _ = do_record_dose(vacc["health"], person=person, session=session, lot=vacc["az"])
    other = client_of("other_commune")
    for url in (
        reverse("vaccination:session", args=[session.pk]),
        reverse("vaccination:session_edit", args=[session.pk]),
        reverse("vaccination:table", args=[session.pk]),
        reverse("vaccination:table_person", args=[session.pk, person.pk]),
        reverse("vaccination:observation", args=[session.pk]),
        reverse("vaccination:dose", args=[dose.pk]),
        reverse("vaccination:dose_void", args=[dose.pk]),
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(reverse("vaccination:dose_observed", args=[dose.pk])).status_code == 404
    # The list shows only the other commune's sessions (none).
    assert vacc["site"].name not in other.get(reverse("vaccination:sessions")).content.decode()
    # Viewers of vaccination without edit (the community team) see the session, not the table.
    community = client_of("community")
    assert community.get(reverse("vaccination:table", args=[session.pk])).status_code == 403


def test_person_pages_are_audited(vacc, health):
    session, person = vacc["session"], vacc["person"]
    health.get(reverse("vaccination:table_person", args=[session.pk, person.pk]))
    event = AuditEvent.objects.filter(action="view").latest("pk")
    assert person.pk in event.detail.get("people", []) or str(person.pk) == event.object_id
