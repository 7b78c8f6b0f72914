"""Every web page that shows people's personal data leaves an audit record of who saw it.

The test walks the URL resolver: every route is opened (GET, with the arguments of a small world that
has one of everything, and with the query strings that make pickers and filters show people) by a
national administrator, who sees everything.  A response that contains a person's name or citizen ID
(in HTML or in a spreadsheet) must have added an audit event by that user that names the page and
lists every person shown.  A new route without sample arguments fails the test, so no personal-data
page can slip in without an audit record.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from chongdich.core.models import AuditEvent
from tests.helpers import read_xlsx, run_job, xlsx_bytes

pytestmark = pytest.mark.django_db

TODAY = date(2021, 8, 20)

# Route prefixes outside this test: the JSON API (its reads are audited by the API's own tests), the
# Django admin (no personal data is registered there), the language switch and the public portal.
SKIPPED_PREFIXES = ("api/", "django-admin/", "i18n/", "public/")


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def full_world(world, personas, make_person, settings):
    """One of every record a page can show, each person with a name found nowhere else on screen."""
    from chongdich.care.actions import (
        do_admit,
        do_bulk_home_quarantine,
        do_create_facility,
        do_order_home_quarantine,
        do_record_monitoring,
    )
    from chongdich.people.actions import do_create_household, do_update_person
    from chongdich.surveillance.actions import (
        do_confirm_case,
        do_create_cluster,
        do_link_chain,
        do_record_exposure,
        do_update_case,
    )
    from chongdich.surveillance.models import Contact
    from chongdich.testing.actions import (
        do_add_targets,
        do_create_campaign,
        do_create_lab,
        do_record_result,
        do_register_pool,
        do_register_sample,
    )

    settings.CHONGDICH_TODAY = f"{TODAY.isoformat()}T14:00"
    actor = personas["district"]
    people = {
        key: make_person(full_name=name, birth_year=1960 + i)
        for i, (key, name) in enumerate(
            {
                "head": "Quách Thị Huệ",
                "member": "Quách Văn Khải",
                "case": "Đoàn Văn Nguồn",
                "f1": "Lương Thị Tiếp",
                "f1b": "Lương Văn Gần",
                "stay": "Kha Thị Cách",
                "pos": "Ông Văn Dương",
                "pool_a": "Tạ Thị Gộp",
                "pool_b": "Tạ Văn Chung",
                "target": "Vũ Thị Chưa",
                "twin": "Đoàn Thị Trùng",  # the phone of "case": a possible duplicate, for the merge page
            }.items()
        )
    }
    people["twin"].phone = people["case"].phone
    people["twin"].save()
    household = do_create_household(actor, unit=world.village, address="Thôn 1")
    for key, relation in (("head", "head"), ("member", "child")):
        do_update_person(actor, people[key], data={"household": household, "relation": relation})
    case, _ = do_confirm_case(actor, people["case"], confirmed_on=TODAY - timedelta(days=5))
    for key in ("f1", "f1b"):
        do_record_exposure(
            actor, source=people["case"], contact=people[key], kind="household", start=at(TODAY - timedelta(days=6))
        )
    contact = Contact.objects.get(person=people["f1"])
    case.refresh_from_db()
    cluster, _ = do_create_cluster(
        actor, unit=world.commune, name="Ổ dịch chợ Đức Hạnh", setting="market", opened_on=TODAY - timedelta(days=7)
    )
    do_link_chain(actor, cluster, case.chain)
    case = do_update_case(actor, case, cluster=cluster)
    lab, _ = do_create_lab(
        actor, unit=world.district, data={"name": "Phòng xét nghiệm huyện", "code": "XN-BGM", "daily_capacity": 500}
    )
    pending, _ = do_register_sample(
        actor, person=people["f1b"], kind="rt_pcr", reason="f1", taken_on=TODAY - timedelta(days=2), lab=lab
    )
    positive, _ = do_register_sample(
        actor, person=people["pos"], kind="rt_pcr", reason="fever_cough", taken_on=TODAY - timedelta(days=1), lab=lab
    )
    do_record_result(actor, positive, status="positive", ct=Decimal("22"), result_on=TODAY)
    pool, _ = do_register_pool(
        actor,
        members=[people["pool_a"], people["pool_b"]],
        reason="screening",
        taken_on=TODAY - timedelta(days=1),
        unit=world.commune,
        lab=lab,
    )
    do_record_result(actor, pool, status="positive", ct=Decimal("30"), result_on=TODAY)
    campaign, _ = do_create_campaign(
        actor,
        unit=world.commune,
        data={
            "name": "Xét nghiệm toàn xã",
            "start": TODAY - timedelta(days=3),
            "end": TODAY + timedelta(days=3),
            "sample_kind": "pooled_rt_pcr",
        },
    )
    do_add_targets(actor, campaign, [people["target"]])
    facility, _ = do_create_facility(
        actor,
        unit=world.commune,
        data={
            "name": "Khu cách ly Trường THCS",
            "kind": "concentrated_quarantine",
            "opened_on": TODAY - timedelta(days=30),
        },
        capacity={"quarantine": 10},
    )
    stay, _ = do_admit(
        actor,
        people["stay"],
        facility=facility,
        bed_type="quarantine",
        purpose="quarantine_entrant",
        on=TODAY - timedelta(days=2),
    )
    order, _ = do_order_home_quarantine(
        actor,
        people["f1"],
        contact=contact,
        last_exposure=TODAY - timedelta(days=6),
        override_reason="Tỉnh cho cách ly F1 tại nhà",
    )
    do_record_monitoring(actor, order, at=at(TODAY - timedelta(days=2)), temperature_c=Decimal("39.5"), spo2=89)
    batch = do_bulk_home_quarantine(actor, chain=case.chain, override_reason="Tỉnh cho cách ly F1 tại nhà").batch
    job = _import_job(personas["national"], world)
    transfer = _transfer_request(world, make_person)
    # vaccination — table: an open session of the commune's site; "target" screened and vaccinated
    from chongdich.vaccination.actions.table import do_create_session, do_record_dose, do_screen, do_set_session_status
    from chongdich.vaccination.models import Lot, Site
    from chongdich.vaccination.selectors.table import checklist

    vacc_site = Site(name="Trạm Y tế Đức Hạnh")
    vacc_site.place_in(world.commune)
    vacc_site.save()
    vacc_lot = Lot.objects.create(product="AZ", number="AZ-AUDIT", expires_on=TODAY + timedelta(days=200))
    vacc_session, _ = do_create_session(actor, site=vacc_site, data={"day": TODAY}, lots=[vacc_lot])
    do_set_session_status(actor, vacc_session, "open")
    answers = {q.code: False for q in checklist(TODAY, "70")}
    do_screen(actor, person=people["target"], session=vacc_session, answers=answers)
    dose, _ = do_record_dose(actor, person=people["target"], session=vacc_session, lot=vacc_lot)
    vaccination_stock = _vaccination_stock(actor, world, make_person)
    targets = _vaccination_targets(world, personas, make_person)  # vaccination — targets
    checkpoints = _movement_checkpoints(actor, world, people["head"])  # movement — checkpoints
    movement = _movement_places(actor, world, people, checkpoints["checkpoint"])  # movement — the rest
    return {
        **checkpoints,
        **movement,
        **vaccination_stock,
        **targets,
        "vacc_session": vacc_session,
        "dose": dose,
        "people": people,
        "household": household,
        "case": case,
        "contact": contact,
        "cluster": cluster,
        "chain": case.chain,
        "lab": lab,
        "sample": pending,
        "pool": pool,
        "campaign": campaign,
        "facility": facility,
        "stay": stay,
        "order": order,
        "alert": order.alerts.first(),
        "batch": batch,
        "job": job,
        "transfer": transfer,
    }


def _vaccination_stock(actor, world, make_person):
    """vaccination — stock: a site, a lot, a dose given there to Phí Thị Tiêm, her (serious) AEFI report."""
    from chongdich.vaccination.actions.aefi import do_report_aefi
    from chongdich.vaccination.actions.stock import do_create_site, do_receive
    from chongdich.vaccination.models import Dose, Lot

    person = make_person(full_name="Phí Thị Tiêm", birth_year=1970)
    site, _ = do_create_site(actor, unit=world.commune, data={"name": "Trạm Y tế Đức Hạnh"})
    lot = Lot.objects.create(product="AZ", number="ABV5300", expires_on=TODAY + timedelta(days=200))
    do_receive(actor, site, lot=lot, doses=100, day=TODAY - timedelta(days=3))
    dose = Dose(person=person, product="AZ", lot=lot, site=site, given_on=TODAY - timedelta(days=1), number=1)
    dose.place_in(person.unit)
    dose.save()
    report, _ = do_report_aefi(
        actor,
        dose,
        data={
            "onset_at": at(TODAY - timedelta(days=1), 15),
            "manifestation": "Sốc phản vệ",
            "severity": "serious",
            "outcome": "recovering",
            "causality": "pending",
        },
    )
    return {"vacc_site": site, "vacc_dose": dose, "vacc_aefi": report}


def _movement_checkpoints(actor, world, person) -> dict:
    """movement — checkpoints: a checkpoint of the commune, a shift on duty, a passage of a registered
    person (found by CCCD) and one of a person on foot typed by name."""
    from chongdich.movement.actions.checkpoints import do_create_checkpoint, do_open_shift, do_record_passage

    checkpoint, _ = do_create_checkpoint(
        actor, unit=world.commune, data={"name": "Chốt Đức Hạnh", "kind": "district_border", "way": "road"}
    )
    shift, _ = do_open_shift(
        actor, checkpoint, data={"starts_at": at(TODAY, 6), "ends_at": at(TODAY, 18), "leader": "Ca trưởng"}, members=[]
    )
    common = {"direction": "in", "subject": "person", "people_on_board": 1, "action": "through", "at": at(TODAY, 8)}
    do_record_passage(actor, checkpoint, common | {"cccd": person.cccd, "full_name": person.full_name})
    return {"checkpoint": checkpoint, "shift": shift}


def _vaccination_targets(world, personas, make_person) -> dict:
    """vaccination — targets: a person with a dose, in a priority group, invited to the commune's session."""
    from chongdich.vaccination.actions.targets import do_enrol, do_invite
    from chongdich.vaccination.models import Dose, Session, Site

    person = make_person(full_name="Điểu Thị Mời", birth_year=1958)
    dose = Dose(person=person, product="AZ", given_on=TODAY - timedelta(days=70), number=1)
    dose.place_in(person.unit)
    dose.save()
    site = Site(name="Trạm Y tế xã Đức Hạnh")
    site.place_in(world.commune)
    site.save()
    session = Session(site=site, day=TODAY + timedelta(days=1))
    session.place_in(world.commune)
    session.save()
    enrolment, _ = do_enrol(personas["district"], person, "G08")
    do_invite(personas["district"], session, [person])
    return {"vaccination_session": session, "vaccination_enrolment": enrolment, "invitation": session.invitations.get()}


def _transfer_request(world, make_person):
    """Phú Văn's officer asks to move a resident of Đức Hạnh (people.actions.do_request_transfer): the district decides."""
    from chongdich.accounts.models import Grant, User
    from chongdich.people.actions import DuplicateCccd, do_create_person, do_request_transfer

    resident = make_person(full_name="Mai Thị Chuyển", birth_year=1955)
    officer = User.objects.create_user(username="can_bo_phu_van")
    Grant.objects.create(user=officer, role="commune_committee", unit=world.other_commune)
    try:
        do_create_person(
            officer,
            unit=world.other_village,
            data={"full_name": "Mai Thị Chuyển", "sex": "M", "birth_year": 1955, "cccd": resident.cccd},
        )
    except DuplicateCccd as warning:
        transfer, _ = do_request_transfer(officer, reference=warning.references[0], to_unit=world.other_village)
        return transfer
    raise AssertionError("the citizen ID should have been found in Đức Hạnh")


def _import_job(user, world):
    """A person list checked and imported, with one row rejected (its name shows on the job's page)."""
    content = xlsx_bytes(
        [
            ["Họ và tên", "Giới tính", "Năm sinh", "Thôn"],
            ["Mạc Văn Nhập", "Nam", 1970, "Thôn 1"],
            ["Mạc Thị Sai", "X", 1971, "Thôn 1"],
        ]
    )
    return run_job(user, "people.persons", world.commune, "ds.xlsx", content)


def _platform_record(w):
    """vaccination — platform: a national platform record whose CCCD names the case's person (another name)."""
    from chongdich.vaccination.models import PlatformRecord

    person = w["people"]["case"]
    record = PlatformRecord.objects.filter(record_key="p" * 64).first()
    if record is None:
        record = PlatformRecord(
            record_key="p" * 64, full_name="Bản Ghi Nền Tảng", cccd=person.cccd or "", problem="identity"
        )
        record.place_in(person.unit)
        record.save()
        record.candidates.add(person)
    return [record.pk]


def _declaration(w):
    """movement — declarations: a health declaration from the public form, staying in Thôn 1 (a re-sent
    client id returns the same one)."""
    from chongdich.movement.actions.declarations import do_declare

    data = {"full_name": "Đặng Văn Khai", "birth_year": 1979, "sex": "male", "phone": "0912 000 222"}
    data |= {"commune_code": "25228", "village": "25228-01", "symptoms": ["fever"], "exposures": []}
    return do_declare(None, data, "audit-declaration", "vi").record


def _movement_places(actor, world, people, checkpoint) -> dict:
    """movement — venues, devices, the green lane and alerts: a venue where the case person checked in
    (by phone, named) with a device token; a checkpoint device; a green-lane card and a trip to the commune;
    an undeclared arrival reported by name."""
    from chongdich.movement.actions.alerts import do_link_person, do_report_undeclared
    from chongdich.movement.actions.devices import do_make_device
    from chongdich.movement.actions.greenlane import do_create_trip, do_issue_card
    from chongdich.movement.actions.venues import do_create_venue
    from chongdich.movement.ingest import save_events
    from chongdich.movement.models import CheckIn

    venue, _ = do_create_venue(actor, unit=world.village, data={"name": "Chợ Thôn 1", "kind": "market"})
    moment = at(TODAY - timedelta(days=6), 9)
    checkin = CheckIn(
        at=moment,
        day=moment.date(),
        received_at=moment,
        venue=venue,
        phone=people["case"].phone,
        full_name=people["case"].full_name,
        person=people["case"],
    )
    checkin.place_in(venue.unit)
    save_events(CheckIn, [checkin])
    card, _ = do_issue_card(
        actor,
        unit=world.commune,
        data={
            "plate": "51C-123.45",
            "vehicle_type": "truck",
            "operator": "Công ty Vận tải",
            "driver_name": "Lê Văn Lái",
            "driver_phone": "0912345678",
            "goods": "Rau củ",
            "essential": True,
            "itinerary": "TP.HCM – Bù Gia Mập",
            "valid_from": TODAY,
            "valid_to": TODAY + timedelta(days=30),
        },
    )
    trip, _ = do_create_trip(
        actor,
        card=card,
        origin=world.other_commune,
        destination=world.commune,
        departed_at=at(TODAY, 6),
        expected_at=at(TODAY, 11),
    )
    # An arrival reported by name, not (yet) a registered person: linked, the alert's person_id is audited.
    alert, _ = do_report_undeclared(actor, unit=world.village, full_name="Người Về Chưa Khai", arrived_on=TODAY)
    do_link_person(actor, alert, people["member"])
    return {
        "venue": venue,
        "venue_device": do_make_device(actor, venue, label="Cổng chợ").device,
        "checkpoint_device": do_make_device(actor, checkpoint, label="Điện thoại chốt").device,
        "card": card,
        "trip": trip,
        "movement_alert": alert,
    }


def _forecast_run():
    from chongdich.core import clock
    from chongdich.forecast.models import Run

    return Run.objects.create(day=clock.today())


# Arguments of every route that takes some, from the world above.
ARGS = {
    # movement — checkpoints
    "movement:checkpoint": lambda w: [w["checkpoint"].pk],
    "movement:checkpoint_edit": lambda w: [w["checkpoint"].pk],
    "movement:shift_create": lambda w: [w["checkpoint"].pk],
    "movement:passage_screen": lambda w: [w["checkpoint"].pk],
    "movement:passage_preview": lambda w: [w["checkpoint"].pk],
    "movement:shift": lambda w: [w["shift"].pk],
    "movement:shift_edit": lambda w: [w["shift"].pk],
    "movement:shift_log": lambda w: [w["shift"].pk],
    "movement:shift_log_pdf": lambda w: [w["shift"].pk],
    # movement — venues, devices, the green lane, alerts
    **{
        name: (lambda w: [w["venue"].pk])
        for name in (
            "movement:venue",
            "movement:venue_edit",
            "movement:venue_poster",
            "movement:venue_poster_pdf",
            "movement:venue_scan",
            "movement:venue_device_create",
        )
    },
    "movement:venue_device_revoke": lambda w: [w["venue_device"].pk],
    "movement:checkin": lambda w: [w["venue"].code],
    "movement:checkpoint_device_create": lambda w: [w["checkpoint"].pk],
    "movement:checkpoint_device_revoke": lambda w: [w["checkpoint_device"].pk],
    "movement:candidate_review": lambda w: [w["case"].pk],
    **{
        name: (lambda w: [w["card"].pk])
        for name in ("movement:card", "movement:card_edit", "movement:card_print", "movement:card_revoke")
    },
    **{
        name: (lambda w: [w["trip"].pk])
        for name in ("movement:trip", "movement:trip_edit", "movement:trip_arrive", "movement:trip_cancel")
    },
    # forecast and notices: figures per unit and the user's own notifications, never a person
    "forecast:unit": lambda w: [w["checkpoint"].unit.code],
    "forecast:run": lambda w: [_forecast_run().pk],
    "notices:open": lambda w: [1],
    **{
        name: (lambda w: [w["movement_alert"].pk])
        for name in (
            "movement:alert",
            "movement:alert_take",
            "movement:alert_finish",
            "movement:alert_reopen",
            "movement:alert_order",
            "movement:alert_sample",
        )
    },
    # movement — declarations
    "movement:declaration": lambda w: [_declaration(w).pk],
    "movement:declaration_receipt": lambda w: [_declaration(w).receipt],
    # vaccination — targets
    "vaccination:invitations": lambda w: [w["vaccination_session"].pk],
    "vaccination:invitations_export": lambda w: [w["vaccination_session"].pk],
    "vaccination:invitation_slips": lambda w: [w["vaccination_session"].pk],
    "vaccination:invitation_status": lambda w: [w["invitation"].pk],
    "vaccination:person_enrol": lambda w: [w["people"]["case"].pk],
    "vaccination:unenrol": lambda w: [w["vaccination_enrolment"].pk],
    # vaccination — certs: a person's certificate (page and PDF)
    "vaccination:certificate": lambda w: [w["people"]["case"].pk],
    "vaccination:certificate_pdf": lambda w: [w["people"]["case"].pk],
    "vaccination:reconcile": _platform_record,
    "people:detail": lambda w: [w["people"]["case"].pk],
    "people:edit": lambda w: [w["people"]["case"].pk],
    "people:merge": lambda w: [w["people"]["case"].pk],
    "people:history": lambda w: [w["people"]["case"].pk],
    "people:household_create": lambda w: [w["people"]["f1"].pk],
    "people:household": lambda w: [w["household"].pk],
    "people:transfer": lambda w: [w["transfer"].pk],
    "people:transfer_decide": lambda w: [w["transfer"].pk],
    "surveillance:detail": lambda w: [w["case"].pk],
    "surveillance:edit": lambda w: [w["case"].pk],
    "surveillance:move": lambda w: [w["case"].pk],
    "surveillance:close": lambda w: [w["case"].pk],
    "surveillance:reopen": lambda w: [w["case"].pk],
    "surveillance:history": lambda w: [w["case"].pk],
    "surveillance:tracing": lambda w: [w["case"].pk],
    "surveillance:contacts_export": lambda w: [w["case"].pk],
    "surveillance:contacts_template": lambda w: [w["case"].pk],
    "surveillance:exposure_create": lambda w: [w["people"]["case"].pk],
    "surveillance:contact_status": lambda w: [w["contact"].pk],
    "surveillance:cluster": lambda w: [w["cluster"].pk],
    "surveillance:cluster_edit": lambda w: [w["cluster"].pk],
    "surveillance:chain": lambda w: [w["chain"].pk],
    "testing:sample": lambda w: [w["sample"].pk],
    "testing:sample_result": lambda w: [w["sample"].pk],
    "testing:lab": lambda w: [w["lab"].pk],
    "testing:lab_edit": lambda w: [w["lab"].pk],
    "testing:campaign": lambda w: [w["campaign"].pk],
    "testing:campaign_edit": lambda w: [w["campaign"].pk],
    "testing:campaign_targets": lambda w: [w["campaign"].pk],
    "testing:campaign_add": lambda w: [w["campaign"].pk],
    "testing:campaign_remove": lambda w: [w["campaign"].pk],
    "testing:campaign_untested_export": lambda w: [w["campaign"].pk],
    "care:facility": lambda w: [w["facility"].pk],
    "care:facility_edit": lambda w: [w["facility"].pk],
    "care:capacity": lambda w: [w["facility"].pk],
    "care:admit": lambda w: [w["facility"].pk],
    "care:discharge": lambda w: [w["stay"].pk],
    "care:transfer": lambda w: [w["stay"].pk],
    "care:stay_print": lambda w: [w["stay"].pk],
    "care:order_create": lambda w: ["home_quarantine"],
    "care:order": lambda w: [w["order"].pk],
    "care:monitoring": lambda w: [w["order"].pk],
    "care:order_end": lambda w: [w["order"].pk],
    "care:order_print": lambda w: [w["order"].pk],
    "care:alert_resolve": lambda w: [w["alert"].pk],
    "care:person": lambda w: [w["people"]["f1"].pk],
    "care:bulk": lambda w: [w["batch"].pk],
    "care:bulk_print": lambda w: [w["batch"].pk],
    # vaccination — stock
    "vaccination:site": lambda w: [w["vacc_site"].pk],
    "vaccination:site_edit": lambda w: [w["vacc_site"].pk],
    "vaccination:stock_movement": lambda w: [w["vacc_site"].pk, "discard"],
    "vaccination:aefi": lambda w: [w["vacc_aefi"].pk],
    "vaccination:aefi_edit": lambda w: [w["vacc_aefi"].pk],
    "vaccination:aefi_acknowledge": lambda w: [w["vacc_aefi"].pk],
    "desk:import_template": lambda w: ["people.persons"],
    "desk:import_new": lambda w: ["people.persons"],
    "desk:import_detail": lambda w: [w["job"].pk],
    "desk:import_confirm": lambda w: [w["job"].pk],
    "desk:import_rejected": lambda w: [w["job"].pk],
    "accounts:token_revoke": lambda w: [1],
    "accounts:user": lambda w: [1],
    "accounts:grant_revoke": lambda w: [1],
    "territory:detail": lambda w: ["25228"],
    "territory:edit": lambda w: ["25228"],
    "territory:village_create": lambda w: ["25228"],
    "territory:history": lambda w: ["25228"],
    "risk:settings": lambda w: ["70"],
    "risk:task_status": lambda w: [1],
    "risk:unit": lambda w: ["25228"],
    "risk:override": lambda w: ["25228"],
    "risk:override_withdraw": lambda w: ["25228", 1],
    "risk:readiness": lambda w: ["25228"],
    "risk:scenario": lambda w: ["25228"],
    "reports:settings": lambda w: ["70"],
    "reports:today": lambda w: ["25228"],
    "reports:detail": lambda w: ["25228", TODAY.isoformat()],
    "reports:xlsx": lambda w: ["25228", TODAY.isoformat()],
    "reports:pdf": lambda w: ["25228", TODAY.isoformat()],
    "reports:reopen": lambda w: ["25228", TODAY.isoformat()],
    # vaccination — table
    "vaccination:session": lambda w: [w["vacc_session"].pk],
    "vaccination:session_edit": lambda w: [w["vacc_session"].pk],
    "vaccination:session_status": lambda w: [w["vacc_session"].pk],
    "vaccination:table": lambda w: [w["vacc_session"].pk],
    "vaccination:table_person": lambda w: [w["vacc_session"].pk, w["people"]["target"].pk],
    "vaccination:screen": lambda w: [w["vacc_session"].pk, w["people"]["target"].pk],
    "vaccination:record_dose": lambda w: [w["vacc_session"].pk, w["people"]["target"].pk],
    "vaccination:observation": lambda w: [w["vacc_session"].pk],
    "vaccination:dose": lambda w: [w["dose"].pk],
    "vaccination:dose_observed": lambda w: [w["dose"].pk],
    "vaccination:dose_void": lambda w: [w["dose"].pk],
}

# Query strings that make a page show people: searches in pickers, the person chosen in a form.
VARIANTS = {
    "people:list": lambda w: ["?q=quach", "?sex=F"],
    "people:merge": lambda w: ["?q=doan", f"?other={w['people']['twin'].pk}"],
    "people:household": lambda w: ["?q=luong"],
    "surveillance:confirm": lambda w: ["?q=ong+van", f"?person={w['people']['pos'].pk}"],
    "surveillance:exposure_create": lambda w: ["?q=kha", f"?other={w['people']['stay'].pk}"],
    "surveillance:list": lambda w: ["?q=doan"],
    "surveillance:worklist": lambda w: ["?status="],
    "testing:samples": lambda w: ["?q=luong"],
    "testing:sample_create": lambda w: ["?q=vu+thi", f"?person={w['people']['target'].pk}"],
    "testing:pool_create": lambda w: [
        "?q=ta+thi",
        f"?m={w['people']['pool_a'].pk}&m={w['people']['pool_b'].pk}",
        f"?household={w['household'].pk}",
    ],
    "testing:campaign": lambda w: ["?q=quach"],
    "testing:campaign_targets": lambda w: ["?sex=F"],
    "care:order_create": lambda w: ["?q=quach", f"?person={w['people']['member'].pk}"],
    "care:admit": lambda w: ["?q=quach", f"?person={w['people']['member'].pk}"],
    "care:orders": lambda w: ["?q=luong", "?status="],
    "care:bulk_new": lambda w: [f"?source=chain&chain={w['chain'].pk}&mode=home"],
    "vaccination:aefi_create": lambda w: [f"?dose={w['vacc_dose'].pk}"],
    "vaccination:aefi_list": lambda w: ["?inbox=on", "?severity=serious"],
    "vaccination:table": lambda w: ["?q=vu+thi"],
    "vaccination:session": lambda w: ["?show=screened", "?show=observing"],
}

# Pages that must be found to show personal data: the walk cannot silently stop finding them.
KNOWN_PERSONAL = {
    "movement:alert",
    "movement:checkins",
    "movement:checkpoint",
    "movement:shift",
    "movement:shift_log",
    "movement:passages",
    "movement:passages_export",
    "vaccination:targets",
    "vaccination:targets_export",
    "vaccination:due",
    "vaccination:due_export",
    "vaccination:invitations",
    "vaccination:invitations_export",
    "vaccination:invitation_slips",
    "people:list",
    "people:detail",
    "people:edit",
    "people:merge",
    "people:history",
    "people:household",
    "people:export",
    "surveillance:list",
    "surveillance:detail",
    "surveillance:tracing",
    "surveillance:worklist",
    "surveillance:cluster",
    "surveillance:chain",
    "testing:samples",
    "testing:sample",
    "testing:pending",
    "testing:positives",
    "testing:campaign",
    "care:today",
    "care:facility",
    "care:orders",
    "care:order",
    "care:person",
    "care:bulk",
    "care:quarantine",
    "people:transfers",
    "people:transfer",
    "vaccination:aefi_list",
    "vaccination:aefi",
    "vaccination:aefi_edit",
    "vaccination:aefi_create",
    "vaccination:certificate",
    "vaccination:session",
    "vaccination:table",
    "vaccination:table_person",
    "vaccination:observation",
    "vaccination:dose",
}


# The audit log names people in its events' labels; its own event lists the events shown instead.
ONLY_AN_EVENT = {"desk:audit"}


def routes(patterns=None, prefix="", namespace=""):
    """(route name, URL pattern) of every named route under the resolver."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def shown_text(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        return "\n".join(" ".join(str(v) for v in row if v is not None) for row in read_xlsx(body))
    if content_type.startswith(("text/", "application/json")):
        return body.decode("utf-8", "replace")
    return ""


def people_shown(text: str, people) -> set[int]:
    return {p.pk for p in people if p.full_name in text or (p.cccd and p.cccd in text)}


def audited_people(events) -> set[int]:
    ids = set()
    for event in events:
        if event.object_type == "people.person" and event.object_id:
            ids.add(int(event.object_id))
        ids.update((event.detail or {}).get("people", []))
    return ids


def test_every_page_showing_people_is_audited(full_world, personas, client_of):
    from chongdich.people.models import Person

    user = personas["national"]
    client = client_of("national")
    people = list(Person.objects.all())
    missing_args, failures, personal = [], [], set()
    for name, pattern in sorted(set(routes())):
        if pattern.startswith(SKIPPED_PREFIXES):
            continue
        if "<" in pattern and name not in ARGS:
            missing_args.append(name)
            continue
        url = reverse(name, args=ARGS[name](full_world) if name in ARGS else None)
        for query in ["", *VARIANTS.get(name, lambda w: [])(full_world)]:
            before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(url + query)
            if response.status_code != 200:
                continue
            shown = people_shown(shown_text(response), people)
            if not shown:
                continue
            personal.add(name)
            events = list(AuditEvent.objects.filter(pk__gt=before, actor=user))
            if not events:
                failures.append(f"{url}{query}: shows {len(shown)} people, no audit event")
            elif name not in ONLY_AN_EVENT and not shown <= audited_people(events):
                unlisted = sorted(Person.objects.get(pk=pk).full_name for pk in shown - audited_people(events))
                failures.append(f"{url}{query}: audit event does not list {unlisted}")
    assert not missing_args, f"routes without sample arguments in ARGS: {missing_args}"
    assert KNOWN_PERSONAL <= personal, f"pages no longer found to show people: {KNOWN_PERSONAL - personal}"
    assert not failures, "\n".join(failures)
