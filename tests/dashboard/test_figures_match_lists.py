"""§6: on the generated demo, every dashboard figure equals the list it links to — for every figure the
dashboard knows (``dashboard.links.FIGURES``: a new figure is covered without touching this test), at the
district, at communes and for a village team, today and on a past day.

The demo is generated small (a few thousand people, one outbreak) through the real services, then officers
do what they do on the case pages — confirm an F1 who is quarantined at home, confirm a case straight into
the field hospital, move and close cases — and nobody closes the quarantines that ended: the figures must
still add up.  The field hospital's patients must also be its beds in use.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from chongdich.dashboard.links import FIGURES, FREE_BEDS, FREE_QUARANTINE, ROWS, tile_links
from chongdich.dashboard.selectors import dashboard, place_for

TODAY = date(2021, 8, 12)
PAST = TODAY - timedelta(days=9)
NON_QUARANTINE_BEDS = ("treatment", "oxygen", "icu")


def silent(message: str) -> None:
    pass


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo district with a small outbreak up to TODAY, and a few case-page decisions on top; generated
    once for the module inside a transaction that is rolled back at its end."""
    from chongdich.accounts.models import User
    from chongdich.demo.generate import generate
    from chongdich.demo.outbreak import generate_outbreak

    with django_db_blocker.unblock(), override_settings(CHONGDICH_TODAY=f"{TODAY.isoformat()}T20:00"):
        with transaction.atomic():
            generate(people=2500, seed=2021, say=silent)
            generate_outbreak(User.objects.get(username="admin"), TODAY, seed=2021, limit=140, say=silent)
            case_page_decisions(User.objects.get(username="huyen.bugiamap"))
            yield
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db, settings):
    from chongdich.accounts.models import User

    settings.CHONGDICH_TODAY = f"{TODAY.isoformat()}T20:00"
    return {
        name: User.objects.get(username=name)
        for name in ("huyen.bugiamap", "xa.duchanh", "yte.duchanh", "todan.duchanh")
    }


def case_page_decisions(officer) -> None:
    """What officers do on the case pages rather than the care pages (the paths that used to leave the
    F1 figure, the tests due and the field hospital's beds behind)."""
    from chongdich.care.actions import do_order_home_quarantine
    from chongdich.care.models import Facility, FacilityKind
    from chongdich.people.models import Person
    from chongdich.surveillance.actions import do_close_case, do_confirm_case, do_move_case
    from chongdich.surveillance.models import Outcome, TreatmentPlace

    field = Facility.objects.get(kind=FacilityKind.FIELD_HOSPITAL)
    healthy = list(
        Person.objects.filter(
            cases__isnull=True, home_orders__isnull=True, stays__isnull=True, commune_code="25228"
        ).order_by("pk")[:4]
    )
    do_order_home_quarantine(
        officer, healthy[0], last_exposure=TODAY - timedelta(days=4), override_reason="Tỉnh áp dụng cách ly F1 tại nhà"
    )
    do_confirm_case(officer, healthy[0], confirmed_on=TODAY - timedelta(days=1))  # an F1 at home tests positive
    do_confirm_case(
        officer,
        healthy[1],
        confirmed_on=TODAY - timedelta(days=2),
        severity="moderate",
        treatment_place=TreatmentPlace.FIELD_HOSPITAL,
        facility=field,
    )
    treated = [
        do_confirm_case(
            officer,
            person,
            confirmed_on=PAST - timedelta(days=1),
            treatment_place=TreatmentPlace.FIELD_HOSPITAL,
            facility=field,
        )[0]
        for person in healthy[2:]
    ]
    do_close_case(officer, treated[0], outcome=Outcome.RECOVERED, on=TODAY - timedelta(days=1))
    do_move_case(officer, treated[1], place=TreatmentPlace.HOME, on=TODAY)


def measured(response, measure: str) -> int:
    """What the list shows that the figure must equal."""
    if measure == ROWS:
        return len(response.context["table"].data)
    totals = response.context["totals"]
    if measure == FREE_BEDS:
        return sum(totals.of(bed).free for bed in NON_QUARANTINE_BEDS)
    if measure == FREE_QUARANTINE:
        return totals.of("quarantine").free
    raise AssertionError(f"unknown measure {measure}")


PLACES = (  # (persona, dashboard place): the district, communes, a village team (whose dashboard is its commune)
    ("huyen.bugiamap", "691"),
    ("huyen.bugiamap", "25228"),
    ("huyen.bugiamap", "25231"),
    ("xa.duchanh", "25228"),
    ("yte.duchanh", "25228"),
    ("todan.duchanh", "25228"),
)


def tile_hrefs(html: str) -> set[str]:
    """Links inside the tiles and the "under treatment by place" list of the dashboard page."""
    hrefs = set()
    for block in ("dash-tiles", "dash-active-places"):
        match = re.search(rf'id="{block}".*?</(?:div|ul)>\s*</div>\s*</div>|id="{block}".*?</ul>', html, re.S)
        assert match, block
        hrefs |= {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', match.group(0))}
    return hrefs


def test_every_dashboard_figure_equals_the_list_it_links_to(demo, subtests):
    from chongdich.tallies.rebuild import differences

    assert differences() == {}
    checked = 0
    for username, code in PLACES:
        user = demo[username]
        client = Client()
        client.force_login(user)
        place = place_for(user, code)
        assert place is not None, (username, code)
        for day in (TODAY, PAST):
            data = dashboard(place, day)
            links = tile_links(user, place, day)
            page = client.get(reverse("dashboard:index"), {"unit": code, "day": day.isoformat()}).content.decode()
            offered = {url for url in links.values() if url}
            assert tile_hrefs(page) <= offered, "a dashboard figure links to a list that dashboard.links does not know"
            for figure in FIGURES:
                url = links[figure.key]
                if url is None:
                    continue
                with subtests.test(user=username, place=code, day=day.isoformat(), figure=figure.key):
                    response = client.get(url)
                    assert response.status_code == 200, url
                    assert measured(response, figure.measure) == figure.value(data.kpi), url
                    checked += 1
        if username == "todan.duchanh":  # the village team sees its commune's figures, and no list that shows less
            # (the risk and coverage pages are aggregates of the commune, like the dashboard itself)
            assert {key for key, url in links.items() if url} == {"risk", "coverage"}
    assert checked >= 2 * len(FIGURES) * 4


def test_the_field_hospital_s_patients_are_its_beds_in_use(demo):
    from chongdich.care.models import Facility, FacilityKind, Stay, StayPurpose
    from chongdich.care.selectors import occupied_on
    from chongdich.surveillance.models import Case, Outcome
    from chongdich.tallies.selectors import levels_on
    from chongdich.territory.models import AdminUnit

    district = AdminUnit.objects.get(code="691")
    for kind, field in (
        (FacilityKind.FIELD_HOSPITAL, "active_field_hospital"),
        (FacilityKind.TREATMENT_AREA, "active_treatment_area"),
    ):
        facilities = list(Facility.objects.filter(kind=kind))
        for day in (TODAY, PAST, TODAY - timedelta(days=20)):
            in_use = sum(occupied_on([f.pk for f in facilities], day).values())
            assert levels_on(district.path, day)[field] == in_use, (kind, day)
        for facility in facilities:
            patients = Case.objects.filter(outcome=Outcome.ACTIVE, care_facility__facility=facility).count()
            beds = Stay.objects.filter(
                facility=facility, purpose=StayPurpose.TREATMENT, discharged_on__isnull=True
            ).count()
            assert patients == beds, facility.name
