"""Candidate contacts from check-ins: who is found (table-driven, with the edges of the time window), who
is left out, what the tracing page shows in and out of the area, and the officer's decisions."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from chongdich.core.audit import AuditEvent
from chongdich.movement.actions.venues import do_create_venue
from chongdich.movement.ingest import save_events
from chongdich.movement.models import CandidateReview, CheckIn, MovementSetting
from chongdich.movement.selectors.candidates import candidates_for_case
from chongdich.surveillance.actions import do_confirm_case, do_record_exposure
from chongdich.surveillance.models import Contact, Exposure

NOW = "2021-08-20T14:00:00+07:00"
CASE_PHONE = "+84911000000"


@pytest.fixture(autouse=True)
def _pinned(settings):
    settings.CHONGDICH_TODAY = NOW
    cache.clear()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2021, 8, day, hour, minute))


def venue_in(personas, unit, name="Chợ Đức Hạnh"):
    venue, _created = do_create_venue(personas["commune"], unit=unit, data={"name": name, "kind": "market"})
    return venue


def check_in(venue, when, phone="", name="", direction="in", person=None):
    row = CheckIn(
        at=when,
        day=timezone.localtime(when).date(),
        received_at=when,
        venue=venue,
        phone=phone,
        full_name=name,
        direction=direction,
        person=person,
    )
    row.place_in(venue.unit)
    return save_events(CheckIn, [row])[0].record


@pytest.fixture
def scene(world, personas, make_person):
    """A case (onset 16/8, so infectious from 14/8, still active) who checked in at the market on 15/8
    at 10:00 (no check-out: the assumed 60-minute stay, a 30-minute margin: window 09:30–11:30)."""
    patient = make_person(full_name="Nguyễn Văn Ca", phone=CASE_PHONE)
    case, _created = do_confirm_case(
        personas["health"], patient, confirmed_on=date(2021, 8, 18), symptomatic=True, onset_date=date(2021, 8, 16)
    )
    market = venue_in(personas, world.village)
    check_in(market, at(15, 10), phone=CASE_PHONE, name="Ca")
    return {"case": case, "market": market, "patient": patient}


def keys(candidates):
    return sorted(c.phone for c in candidates)


# (when the other person checked in, their check-out, found?) — around the case's window 09:30–11:30
# (their own window starts 30 minutes before their check-in and ends 90 minutes after it).
WINDOW_CASES = [
    ("same time", at(15, 10), None, True),
    ("arrives one minute before the window closes", at(15, 11, 59), None, True),
    ("arrives one minute after it closes", at(15, 12, 1), None, False),
    ("left one minute after the case's window opened", at(15, 8, 1), None, True),
    ("left one minute before it", at(15, 7, 59), None, False),
    ("long stay closed by a check-out", at(15, 6), at(15, 9, 45), True),
    ("short stay closed early by a check-out", at(15, 6), at(15, 8, 30), False),
    ("came before and left after the case: the stay spans it", at(15, 6), at(15, 18), True),
    ("a day's stay ending after the window", at(15, 12, 30), at(15, 20), False),
    ("another day", at(16, 10), None, False),
]


@pytest.mark.parametrize(("label", "when", "out", "found"), WINDOW_CASES, ids=[c[0] for c in WINDOW_CASES])
def test_the_time_window(scene, personas, label, when, out, found):
    check_in(scene["market"], when, phone="+84922000001", name="Khách")
    if out is not None:
        check_in(scene["market"], out, phone="+84922000001", name="Khách", direction="out")
    result = candidates_for_case(personas["commune"], scene["case"])
    assert keys(result) == (["+84922000001"] if found else []), label


def test_the_provinces_stay_and_margin_widen_the_window(scene, personas, world):
    check_in(scene["market"], at(15, 12, 31), phone="+84922000002")
    assert candidates_for_case(personas["commune"], scene["case"]) == []
    setting = MovementSetting(checkin_stay_minutes=120, checkin_margin_minutes=30)
    setting.place_in(world.province)
    setting.save()
    assert keys(candidates_for_case(personas["commune"], scene["case"])) == ["+84922000002"]


def test_only_check_ins_of_the_infectious_period_count(scene, personas, world):
    other = venue_in(personas, world.village, "Quán cà phê")
    check_in(other, at(13, 10), phone=CASE_PHONE)  # 13/8: before onset − 2 days
    check_in(other, at(13, 10), phone="+84922000003")
    check_in(other, at(14, 9), phone=CASE_PHONE)  # 14/8 00:00 opens the period
    check_in(other, at(14, 9, 20), phone="+84922000004")
    assert keys(candidates_for_case(personas["commune"], scene["case"])) == ["+84922000004"]


def test_other_venues_the_case_and_those_already_traced_or_reviewed_are_left_out(scene, personas, world, make_person):
    market, case = scene["market"], scene["case"]
    school = venue_in(personas, world.village, "Trường")
    check_in(school, at(15, 10), phone="+84922000005")  # elsewhere at the same time
    check_in(market, at(15, 10, 5), person=scene["patient"])  # the case, scanned by staff without a phone
    traced = make_person(full_name="Đã truy vết", phone="+84922000006")
    do_record_exposure(personas["district"], source=scene["patient"], contact=traced, kind="household", start=at(15, 8))
    check_in(market, at(15, 10), phone="+84922000006")
    check_in(market, at(15, 10), phone="+84922000007", name="Đã xem")
    CandidateReview.objects.create(case=case, venue=market, phone="+84922000007", decision="dismissed", unit=case.unit)
    check_in(market, at(15, 10), phone="+84922000008", name="Mới")
    check_in(market, at(15, 10, 40), phone="+84922000008", name="Mới")  # twice: one candidate
    found = candidates_for_case(personas["commune"], case)
    assert keys(found) == ["+84922000008"]
    assert len(found[0].stays) == 2


def test_a_phone_is_matched_to_the_registered_person(scene, personas, make_person):
    known = make_person(full_name="Lê Thị Dung", phone="+84922000009")
    check_in(scene["market"], at(15, 10), phone="+84922000009", name="Dung")
    (candidate,) = candidates_for_case(personas["commune"], scene["case"])
    assert candidate.person == known and candidate.in_scope


# -- the tracing page and the decisions ---------------------------------------------------------------------
def test_the_tracing_page_lists_candidates_and_hides_other_areas(scene, personas, world, make_person, client_of):
    elsewhere = make_person(world.other_village, full_name="Người Phú Văn", phone="+84922000010")
    check_in(scene["market"], at(15, 10), phone="+84922000010", name="Người Phú Văn")
    check_in(scene["market"], at(15, 10), phone="+84922000011", name="Khách vãng lai")
    page = client_of("commune").get(reverse("surveillance:tracing", args=[scene["case"].pk])).content.decode()
    assert "Khách vãng lai" in page and "0922 000 011" in page
    assert "Người Phú Văn" not in page and "Một người đăng ký ở địa bàn khác" in page
    warning = AuditEvent.objects.get(action="duplicate", object_id=str(elsewhere.pk))
    assert warning.detail["reference"] in page and warning.unit_path == elsewhere.unit_path


def test_confirm_as_f1_records_the_exposure_once(scene, personas, make_person, client_of):
    known = make_person(full_name="Lê Thị Dung", phone="+84922000009")
    check_in(scene["market"], at(15, 10, 15), phone="+84922000009", name="Dung")
    health = client_of("health")
    body = {"venue": scene["market"].pk, "key": "+84922000009", "decision": "confirm", "client_id": "k1"}
    url = reverse("movement:candidate_review", args=[scene["case"].pk])
    assert health.post(url, body).status_code == 302
    assert health.post(url, body).status_code == 302  # re-sent: nothing more
    exposure = Exposure.objects.get()
    assert (exposure.source, exposure.contact, exposure.kind, exposure.place) == (
        scene["patient"],
        known,
        "same_enclosed_space",
        "Chợ Đức Hạnh",
    )
    assert timezone.localtime(exposure.start) == at(15, 10, 15)
    assert Contact.objects.filter(person=known, index_case=scene["case"], rank=1).exists()
    review = CandidateReview.objects.get()
    assert (review.decision, review.exposure, review.person) == ("confirmed", exposure, known)
    assert candidates_for_case(personas["health"], scene["case"]) == []


def test_not_a_contact(scene, personas, client_of):
    check_in(scene["market"], at(15, 10), phone="+84922000012")
    url = reverse("movement:candidate_review", args=[scene["case"].pk])
    body = {"venue": scene["market"].pk, "key": "+84922000012", "decision": "dismiss", "client_id": "k2"}
    assert client_of("commune").post(url, body).status_code == 302
    assert CandidateReview.objects.get().decision == "dismissed" and not Exposure.objects.exists()
    assert candidates_for_case(personas["commune"], scene["case"]) == []


def test_confirming_someone_not_registered_registers_them(scene, world, client_of):
    check_in(scene["market"], at(15, 10), phone="+84922000013", name="Hoàng Văn Giang")
    url = reverse("movement:candidate_review", args=[scene["case"].pk])
    health = client_of("health")
    first = {"venue": scene["market"].pk, "key": "+84922000013", "decision": "confirm", "client_id": "k3"}
    form = health.post(url, first)
    assert form.status_code == 200 and "Hoàng Văn Giang" in form.content.decode()
    answer = health.post(
        url,
        first
        | {
            "kind": "close_unmasked",
            "new-full_name": "Hoàng Văn Giang",
            "new-sex": "M",
            "new-birth_year": "1980",
            "new-phone": "0922000013",
            "new-unit": world.village.code,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    exposure = Exposure.objects.get()
    assert exposure.contact.full_name == "Hoàng Văn Giang" and exposure.kind == "close_unmasked"
    assert CandidateReview.objects.get().person == exposure.contact


def test_only_case_editors_of_the_area_decide(scene, client_of):
    check_in(scene["market"], at(15, 10), phone="+84922000014")
    url = reverse("movement:candidate_review", args=[scene["case"].pk])
    body = {"venue": scene["market"].pk, "key": "+84922000014", "decision": "dismiss"}
    assert client_of("other_commune").post(url, body).status_code == 404
    assert client_of("viewer").post(url, body).status_code == 403
    assert not CandidateReview.objects.exists()
