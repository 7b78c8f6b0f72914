"""The commune health station's officer lists who has not been vaccinated, invites them to a session and
prints their slips (A4, six slips a sheet, each with the QR code of its token) — at phone and desk widths."""

from datetime import date, timedelta

import pytest

from chongdich.vaccination.actions.targets import do_enrol
from chongdich.vaccination.models import Dose, DoseKind, Invitation, Session, Site

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = date(2021, 11, 15)
NAMES = [
    "Điểu Thị Lan",
    "Điểu Văn Sang",
    "Lê Thị Hoa",
    "Nguyễn Văn Bình",
    "Trần Thị Thu",
    "Phạm Văn Đông",
    "Vũ Thị Mai",
]


def give(person, product, day, number=1, completes=False):
    dose = Dose(
        person=person, product=product, given_on=day, number=number, kind=DoseKind.PRIMARY, completes_primary=completes
    )
    dose.place_in(person.unit)
    dose.save()


@pytest.fixture
def station(settings, world, personas, make_person):
    settings.CHONGDICH_TODAY = f"{TODAY.isoformat()}T08:30"
    site = Site(name="Trạm Y tế xã Đức Hạnh", address="Thôn 1, xã Đức Hạnh", phone="0271 3800 111")
    site.place_in(world.commune)
    site.save()
    session = Session(site=site, day=TODAY + timedelta(days=2), planned=150, shift="morning")
    session.place_in(world.commune)
    session.save()
    people = [
        make_person(full_name=name, sex="F" if " Thị " in name else "M", birth_year=1950 + 7 * i)
        for i, name in enumerate(NAMES)
    ]
    give(people[5], "AZ", date(2021, 8, 20))
    give(people[6], "VC", date(2021, 9, 1))
    give(people[6], "VC", date(2021, 9, 25), number=2, completes=True)
    for person in people[:3]:
        do_enrol(personas["health"], person, "G08")
    return session


@pytest.mark.parametrize("width", [360, 1366])
def test_invite_the_unvaccinated_and_print_their_slips(page, live_server, station, login, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("health")
    page.goto(f"{live_server.url}/vaccination/targets/")
    assert page.inner_text("[data-count=total]") == "7"
    page.screenshot(path=str(artifacts / f"vaccination-targets-{width}.png"), full_page=True)
    page.click("#state-counts a[href*='doses=none']")
    page.wait_for_url("**doses=none**")
    assert page.inner_text("#list-count").startswith("5")
    page.select_option("#id_session", str(station.pk))
    page.click("#invite-form button[type=submit]")
    page.wait_for_selector("#invitations-table")
    assert Invitation.objects.filter(session=station).count() == 5
    assert page.inner_text("#invitation-counts [data-count=total]") == "5"
    page.screenshot(path=str(artifacts / f"vaccination-invitations-{width}.png"), full_page=True)
    page.click("#slips-link")
    page.wait_for_selector(".slip")
    assert page.locator(".slip").count() == 5 and page.locator(".slip svg").count() == 5
    token = Invitation.objects.filter(session=station).first().token
    assert token in page.content()
    page.screenshot(path=str(artifacts / f"vaccination-slips-{width}.png"), full_page=True)
    if width == 1366:
        page.pdf(path=str(artifacts / "vaccination-slips.pdf"), format="A4", print_background=True)
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.emulate_media(media="print")
        page.screenshot(path=str(artifacts / "vaccination-slips-print.png"), full_page=True)


def test_due_list(page, live_server, station, login, artifacts):
    page.set_viewport_size({"width": 1366, "height": 900})
    login("health")
    page.goto(f"{live_server.url}/vaccination/due/")
    assert "Phạm Văn Đông" in page.inner_text("#due-table")
    page.screenshot(path=str(artifacts / "vaccination-due-1366.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(artifacts / "vaccination-due-360.png"), full_page=True)
    page.click("#due-table a")
    page.wait_for_selector("#vaccination-panel")
    assert "AstraZeneca" in page.inner_text("#person-doses")
    page.locator("#vaccination-panel").screenshot(path=str(artifacts / "vaccination-person-panel-360.png"))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#vaccination-panel").screenshot(path=str(artifacts / "vaccination-person-panel-1366.png"))
