"""Idempotent replay (``core.recorded.replay``): a re-sent form returns the record it made — to someone
who may see it.  Another area's ``client_id`` answers like the service's refusal for that area, never
with the other area's record, in every service that accepts a ``client_id``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from chongdich.care.models import CapacityChange, Facility, HomeOrder, MonitoringEntry, OrderBatch, Stay
from chongdich.movement.models import Alert, CandidateReview, Checkpoint, DeviceToken, GreenCard, Shift, Trip, Venue
from chongdich.people.models import Person
from chongdich.portal.models import Announcement
from chongdich.surveillance.models import Case, Contact, Exposure
from chongdich.testing.models import Campaign, Lab, Sample
from chongdich.vaccination.models import AefiReport, Dose, Enrolment, Lot, Screening, Session, Site, StockMovement

D = date(2022, 3, 1)
CID = "form-0001"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def areas(world, personas, make_person, settings):
    """What each commune officer needs to act in their own commune: people, a facility, an order, a chain,
    and for vaccination two sites (the first with stock), an open session on D, a screened person, a dose."""
    from chongdich.care.actions import do_create_facility, do_order_self_monitoring
    from chongdich.surveillance.actions import do_confirm_case
    from chongdich.vaccination.actions import stock, table
    from chongdich.vaccination.selectors.table import checklist

    settings.CHONGDICH_TODAY = f"{D.isoformat()}T09:00"  # vaccination sessions and doses happen on D
    lot = Lot.objects.create(product="AZ", number="A1001", expires_on=date(2022, 6, 30))  # shared by every site
    result = {}
    for name, unit, village in (
        ("commune", world.commune, world.village),
        ("other_commune", world.other_commune, world.other_village),
    ):
        actor = personas[name]
        people = [make_person(unit=village, full_name=f"{name} {i}", cccd=None) for i in range(4)]
        facility, _ = do_create_facility(
            actor,
            unit=unit,
            data={"name": f"Khu cách ly {name}", "kind": "concentrated_quarantine", "opened_on": date(2022, 1, 1)},
            capacity={"quarantine": 5},
        )
        order, _ = do_order_self_monitoring(actor, people[1], start=D, end=date(2022, 3, 14))
        case, _ = do_confirm_case(actor, people[2], confirmed_on=D)
        contact = Contact(person=people[3], index_case=case, rank=1, first_exposure=D, last_exposure=D)
        contact.place_in(village)
        contact.save()
        site, _ = stock.do_create_site(actor, unit=unit, data={"name": f"Trạm Y tế {name}"})
        second_site, _ = stock.do_create_site(actor, unit=unit, data={"name": f"Điểm tiêm {name}"})
        stock.do_receive(actor, site, lot=lot, doses=100, day=D)
        session, _ = table.do_create_session(actor, site=site, data={"day": D, "planned": 50}, lots=[lot])
        table.do_set_session_status(actor, session, "open")
        session.refresh_from_db()
        vaccinee = make_person(unit=village, full_name=f"{name} tiêm", cccd=None)
        answers = {q.code: False for q in checklist(D, "70")}
        for person in (people[0], vaccinee):
            table.do_screen(actor, person=person, session=session, answers=answers)
        dose, _ = table.do_record_dose(actor, person=vaccinee, session=session, lot=lot)
        result[name] = {
            "actor": actor,
            "unit": unit,
            "village": village,
            "people": people,
            "facility": facility,
            "order": order,
            "chain": case.chain,
            "site": site,
            "second_site": second_site,
            "lot": lot,
            "session": session,
            "answers": answers,
            "dose": dose,
        }
    return result


def _person(a, cid):
    from chongdich.people.actions import do_create_person

    return do_create_person(
        a["actor"], unit=a["village"], client_id=cid, data={"full_name": "Phan Văn Mới", "sex": "M", "birth_year": 1990}
    )


def _case(a, cid):
    from chongdich.surveillance.actions import do_confirm_case

    return do_confirm_case(a["actor"], a["people"][0], confirmed_on=D, client_id=cid)


def _exposure(a, cid):
    from chongdich.surveillance.actions import do_record_exposure

    return do_record_exposure(
        a["actor"], source=a["people"][0], contact=a["people"][1], kind="household", start=D, client_id=cid
    )


def _lab(a, cid):
    from chongdich.testing.actions import do_create_lab

    code = "LAB-" + a["unit"].code
    return do_create_lab(a["actor"], unit=a["unit"], data={"name": code, "code": code}, client_id=cid)


def _sample(a, cid):
    from chongdich.testing.actions import do_register_sample

    return do_register_sample(
        a["actor"], person=a["people"][0], kind="rt_pcr", reason="screening", taken_on=D, client_id=cid
    )


def _pool(a, cid):
    from chongdich.testing.actions import do_register_pool

    return do_register_pool(a["actor"], members=a["people"][:2], reason="screening", taken_on=D, client_id=cid)


def _campaign(a, cid):
    from chongdich.testing.actions import do_create_campaign

    return do_create_campaign(
        a["actor"], unit=a["unit"], client_id=cid, data={"name": "Sàng lọc chợ", "start": D, "sample_kind": "rt_pcr"}
    )


def _facility(a, cid):
    from chongdich.care.actions import do_create_facility

    return do_create_facility(
        a["actor"], unit=a["unit"], data={"name": "Khu mới", "kind": "concentrated_quarantine"}, client_id=cid
    )


def _capacity(a, cid):
    from chongdich.care.actions import do_change_capacity

    return do_change_capacity(a["actor"], a["facility"], bed_type="quarantine", delta=3, day=D, client_id=cid)


def _stay(a, cid):
    from chongdich.care.actions import do_admit

    return do_admit(
        a["actor"],
        a["people"][0],
        facility=a["facility"],
        bed_type="quarantine",
        purpose="quarantine_entrant",
        on=D,
        client_id=cid,
    )


def _order(a, cid):
    from chongdich.care.actions import do_order_self_monitoring

    return do_order_self_monitoring(a["actor"], a["people"][0], start=D, end=date(2022, 3, 14), client_id=cid)


def _monitoring(a, cid):
    from chongdich.care.actions import do_record_monitoring

    entry, _alert, created = do_record_monitoring(a["actor"], a["order"], temperature_c=Decimal("36.8"), client_id=cid)
    return entry, created


def _bulk(a, cid):
    from chongdich.care.actions import do_bulk_home_quarantine

    result = do_bulk_home_quarantine(a["actor"], chain=a["chain"], client_id=cid)
    return result.batch, result.created


def _bulk_facility(a, cid):
    from chongdich.care.actions import do_bulk_facility_quarantine

    result = do_bulk_facility_quarantine(a["actor"], facility=a["facility"], chain=a["chain"], on=D, client_id=cid)
    return result.batch, result.created


def _announcement(a, cid):
    from chongdich.portal.actions import do_create_announcement

    count = Announcement.objects.filter(client_id=cid).count()
    announcement = do_create_announcement(
        a["actor"], a["unit"], client_id=cid, title="Thông báo", body="Nội dung thông báo cho người dân"
    )
    return announcement, Announcement.objects.filter(client_id=cid).count() > count


def _site(a, cid):
    from chongdich.vaccination.actions.stock import do_create_site

    return do_create_site(a["actor"], unit=a["unit"], data={"name": "Điểm tiêm mới"}, client_id=cid)


def _lot(a, cid):
    from chongdich.vaccination.actions.stock import do_register_lot

    data = {"product": "PF", "number": "FK" + a["unit"].code, "expires_on": date(2022, 12, 31)}
    return do_register_lot(a["actor"], data=data, client_id=cid)


def _receive(a, cid):
    from chongdich.vaccination.actions.stock import do_receive

    return do_receive(a["actor"], a["site"], lot=a["lot"], doses=20, day=D, client_id=cid)


def _transfer(a, cid):
    from chongdich.vaccination.actions.stock import do_transfer

    (out, _into), created = do_transfer(
        a["actor"], a["site"], destination=a["second_site"], lot=a["lot"], doses=10, day=D, client_id=cid
    )
    return out, created


def _discard(a, cid):
    from chongdich.vaccination.actions.stock import do_discard

    return do_discard(a["actor"], a["site"], lot=a["lot"], doses=5, day=D, opened=False, client_id=cid)


def _adjust(a, cid):
    from chongdich.vaccination.actions.stock import do_adjust

    return do_adjust(a["actor"], a["site"], lot=a["lot"], doses=2, day=D, reason="Kiểm kê", client_id=cid)


def _session(a, cid):
    from chongdich.vaccination.actions.table import do_create_session

    return do_create_session(a["actor"], site=a["site"], data={"day": D, "shift": "afternoon"}, client_id=cid)


def _enrolment(a, cid):
    from chongdich.vaccination.actions.targets import do_enrol

    return do_enrol(a["actor"], a["people"][0], "G01", client_id=cid)


def _screening(a, cid):
    from chongdich.vaccination.actions.table import do_screen

    return do_screen(a["actor"], person=a["people"][0], session=a["session"], answers=a["answers"], client_id=cid)


def _dose(a, cid):
    from chongdich.vaccination.actions.table import do_record_dose

    return do_record_dose(a["actor"], person=a["people"][0], session=a["session"], lot=a["lot"], client_id=cid)


def _aefi(a, cid):
    from chongdich.vaccination.actions.aefi import do_report_aefi

    data = {
        "onset_at": a["dose"].given_at,
        "manifestation": "Sốt 38,5 °C",
        "severity": "minor",
        "outcome": "recovered",
        "causality": "pending",
    }
    return do_report_aefi(a["actor"], a["dose"], data=data, client_id=cid)


# Every service that takes a ``client_id`` (grep ``client_id=`` in src/chongdich/*/actions*).
def _checkpoint(a, cid):
    from chongdich.movement.actions.checkpoints import do_create_checkpoint

    data = {"name": "Chốt " + a["unit"].name, "kind": "internal", "way": "road"}
    return do_create_checkpoint(a["actor"], unit=a["unit"], data=data, client_id=cid)


def _shift(a, cid):
    from chongdich.movement.actions.checkpoints import do_open_shift
    from chongdich.movement.models import Checkpoint

    checkpoint = Checkpoint.objects.filter(unit=a["unit"]).first()
    if checkpoint is None:
        checkpoint = Checkpoint(code="CP-" + a["unit"].code, name="Chốt", kind="internal")
        checkpoint.place_in(a["unit"])
        checkpoint.save()
    start = datetime.fromisoformat(f"{D}T06:00+07:00")
    data = {"starts_at": start, "ends_at": start + timedelta(hours=6)}
    return do_open_shift(a["actor"], checkpoint, data=data, members=[], client_id=cid)


def _venue(a, cid):
    from chongdich.movement.actions.venues import do_create_venue

    return do_create_venue(a["actor"], unit=a["village"], data={"name": "Chợ", "kind": "market"}, client_id=cid)


def _green_card(a, cid):
    from chongdich.movement.actions.greenlane import do_issue_card

    data = {
        "plate": "51C-123.45",
        "vehicle_type": "truck",
        "operator": "Công ty Vận tải",
        "driver_name": "Lê Văn Lái",
        "driver_phone": "0912345678",
        "goods": "Rau củ",
        "essential": True,
        "itinerary": "TP.HCM – Bù Gia Mập",
        "valid_from": D,
        "valid_to": D + timedelta(days=30),
    }
    return do_issue_card(a["actor"], unit=a["unit"], data=data, client_id=cid)


SERVICES = {
    "person": (_person, Person),
    "case": (_case, Case),
    "exposure": (_exposure, Exposure),
    "lab": (_lab, Lab),
    "sample": (_sample, Sample),
    "pool": (_pool, Sample),
    "campaign": (_campaign, Campaign),
    "facility": (_facility, Facility),
    "capacity change": (_capacity, CapacityChange),
    "stay": (_stay, Stay),
    "home order": (_order, HomeOrder),
    "monitoring entry": (_monitoring, MonitoringEntry),
    "bulk order": (_bulk, OrderBatch),
    "bulk facility order": (_bulk_facility, OrderBatch),
    "announcement": (_announcement, Announcement),
    "vaccination site": (_site, Site),
    "vaccine lot": (_lot, Lot),
    "stock received": (_receive, StockMovement),
    "stock transferred": (_transfer, StockMovement),
    "stock discarded": (_discard, StockMovement),
    "stock adjusted": (_adjust, StockMovement),
    "vaccination session": (_session, Session),
    "priority group enrolment": (_enrolment, Enrolment),
    "screening": (_screening, Screening),
    "dose": (_dose, Dose),
    "aefi report": (_aefi, AefiReport),
    "checkpoint": (_checkpoint, Checkpoint),
    "checkpoint shift": (_shift, Shift),
    "venue": (_venue, Venue),
    "green-lane card": (_green_card, GreenCard),
}


@pytest.mark.parametrize("service", list(SERVICES))
def test_replay_of_another_areas_client_id_is_refused(service, areas):
    call, model = SERVICES[service]
    record, created = call(areas["commune"], CID)
    assert created
    again, created_again = call(areas["commune"], CID)  # the same form re-sent by its author: the same record
    assert again.pk == record.pk and not created_again
    before = model.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        call(areas["other_commune"], CID)  # the same client id from another commune's form
    assert model.objects.count() == before
    assert str(record.pk) not in str(refused.value) and "commune 0" not in str(refused.value)


@pytest.mark.parametrize("service", list(SERVICES))
def test_replay_refusal_is_the_services_own_out_of_area_answer(service, areas):
    """The refusal is word for word what the service answers for any out-of-area request."""
    call, _model = SERVICES[service]
    call(areas["commune"], CID)
    with pytest.raises(PermissionDenied) as replayed:
        call(areas["other_commune"], CID)
    if service in ("bulk order", "bulk facility order", "vaccine lot"):
        return  # a batch, a lot belong to no area: only its author gets it back (checked above)
    if service == "stay":  # a facility that cannot be seen is refused before the person is looked at
        assert (
            str(replayed.value) == "You may only admit people who live in your area, or into a facility of your area."
        )
        return
    outside = dict(areas["other_commune"], actor=areas["commune"]["actor"])  # commune acting on Phú Văn's things
    with pytest.raises(PermissionDenied) as refused:
        call(outside, "another-form")
    assert str(replayed.value) == str(refused.value)


def _not_created_from_a_form():
    """Models with the bookkeeping whose records no service creates with a ``client_id``, and why."""
    from chongdich.people.models import TransferRequest
    from chongdich.vaccination.models import Invitation, PlatformRecord

    return {
        TransferRequest,  # replay checked with its own two-sided scope in tests/people/test_transfers
        # Written in bulk by do_invite (a session and a list of people, no client id): a re-sent run
        # invites nobody twice through the (session, person) constraint (tests/vaccination/test_targets).
        Invitation,
        # Written only by the national platform import, upserted on ``record_key`` (a re-imported file
        # adds nothing: tests/vaccination/test_platform_import); no form creates one.
        PlatformRecord,
        # A trip is replayed to the destination's or the card issuer's officers (two-sided, like a
        # transfer: tests/movement/test_greenlane_actions).
        Trip,
        # Raised by the system once per (kind, source), or reported by a form whose replay is checked
        # in tests/movement/test_alerts_actions.
        Alert,
        # Replayed under the case's scope (cases.edit): tests/movement/test_venues_candidates.
        CandidateReview,
        # Made by movement.devices.issue: a token is shown once; a re-sent form makes another token,
        # which the officer revokes (no client id: a replay cannot show a secret again).
        DeviceToken,
    }


def test_every_model_with_a_client_id_keeps_its_bookkeeping_in_one_abstract_model():
    from django.apps import apps

    from chongdich.core.recorded import Recorded
    from chongdich.movement.retention import EVENT_MODELS

    # The event tables (passages, check-ins, declarations) are partitioned and carry no unique
    # constraint: a re-sent event is found by movement.ingest under an advisory lock
    # (tests/movement/test_ingest_*, tests/demo/test_movement).
    with_client_id = {
        m
        for m in apps.get_models()
        if any(f.name == "client_id" for f in m._meta.concrete_fields)
        and not m._meta.model_name.startswith("historical")
        and m not in EVENT_MODELS
    }
    exceptions = _not_created_from_a_form()
    assert not exceptions & {m for _c, m in SERVICES.values()}  # an exception is not also a service
    assert with_client_id == {m for _c, m in SERVICES.values()} | exceptions
    assert all(issubclass(model, Recorded) for model in with_client_id)
    for model in with_client_id:
        names = {c.name for c in model._meta.constraints}
        assert f"{model._meta.app_label}_{model._meta.model_name}_client_id" in names


def test_replay_helper_checks_the_scope(areas):
    """Direct test of the helper (fails when its scope check is removed)."""
    from chongdich.core.recorded import replay

    person, _ = _person(areas["commune"], CID)
    assert replay(areas["commune"]["actor"], Person, CID, capability="people.edit", refusal="no") == person
    assert replay(areas["commune"]["actor"], Person, "unknown", capability="people.edit", refusal="no") is None
    assert replay(areas["commune"]["actor"], Person, None, capability="people.edit", refusal="no") is None
    with pytest.raises(PermissionDenied, match="^no$"):
        replay(areas["other_commune"]["actor"], Person, CID, capability="people.edit", refusal="no")


def test_replay_without_an_area_returns_only_the_authors_record(areas, personas):
    from chongdich.core.recorded import replay

    batch, _ = _bulk(areas["commune"], CID)
    assert replay(personas["commune"], OrderBatch, CID, capability="care.edit", refusal="no", path=None) == batch
    with pytest.raises(PermissionDenied):
        replay(personas["district"], OrderBatch, CID, capability="care.edit", refusal="no", path=None)


def test_api_replay_of_another_areas_key_answers_404(areas, client_of):
    import json

    _person(areas["commune"], CID)
    response = client_of("other_commune").post(
        "/api/v1/persons",
        json.dumps({"full_name": "Lý Văn Khác", "sex": "M", "birth_year": 1970, "unit": "25229-01"}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=CID,
    )
    assert response.status_code == 404
    assert "commune 0" not in response.content.decode() and "Phan" not in response.content.decode()
