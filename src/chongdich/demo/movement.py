"""The demo district's movement control in the last two weeks before the demo's day (December 2021).

Bù Gia Mập is a border district of Bình Phước: Cambodia to the north, Đắk Nông to the east, the rest of
the province (Phước Long, Bù Đốp) to the south and west.  The district keeps

- four checkpoints: the gateway on QL14C at Đắk Ơ (provincial border with Đắk Nông), the Hoàng Diệu
  border post road at Bù Gia Mập, ĐT741 at Phú Nghĩa (district border with Phước Long) and the
  Đắk Huýt river crossing (waterway); four 6-hour shifts a day at the two busiest, with police,
  militia, health staff and volunteers on duty;
- green-lane cards for the trucks of the cashew and rubber companies, their trips (one overdue);
- venues with QR posters: the communes' People's Committees, the markets, the health stations, the
  cashew factories, the schools; people check in by scanning, staff scan some;
- health declarations of people arriving, a few with symptoms, some from the provinces the province
  watches (Hồ Chí Minh City, Bình Dương, Đồng Nai: the autumn 2021 wave) — these raise the alerts
  that the communes take and finish, as the alert rules say.

Everything goes through the same writer as the live system (``movement.ingest.save_events`` with the
alerts' after-steps), drawn from the seed, in one transaction.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chongdich.movement import ingest
from chongdich.movement.actions import alerts
from chongdich.movement.actions.declarations import build_declaration
from chongdich.movement.models import (
    Alert,
    AlertKind,
    AlertOutcome,
    AlertState,
    CheckIn,
    CheckInMethod,
    Checkpoint,
    CheckpointKind,
    Direction,
    Force,
    GreenCard,
    MovementSetting,
    Passage,
    PassageAction,
    Shift,
    ShiftMember,
    Subject,
    TestKind,
    TestResult,
    Trip,
    TripState,
    Venue,
    VenueKind,
    Way,
)
from chongdich.movement.rules import PassageIn, advise, normalise_plate
from chongdich.movement.selectors.watch import origin_status
from chongdich.people.models import Person
from chongdich.surveillance.models import Case
from chongdich.tallies.engine import tracked
from chongdich.territory.models import AdminUnit, Level
from chongdich.testing.models import SampleKind

DAYS = 14
PROVINCE = "70"
WATCHED = ["79", "74", "75"]  # Hồ Chí Minh City, Bình Dương, Đồng Nai

CHECKPOINTS = (
    # code, name, kind, way, route, commune, lat, lon, busy
    (
        "BGM-01",
        "Chốt cửa ngõ QL14C — Đắk Ơ",
        CheckpointKind.PROVINCE_BORDER,
        Way.ROAD,
        "QL14C",
        "25225",
        "12.0302",
        "107.1195",
        True,
    ),
    (
        "BGM-02",
        "Chốt đường vào đồn biên phòng Hoàng Diệu",
        CheckpointKind.PROVINCE_BORDER,
        Way.ROAD,
        "Đường tuần tra biên giới",
        "25222",
        "12.1331",
        "107.0402",
        False,
    ),
    (
        "BGM-03",
        "Chốt ĐT741 — Phú Nghĩa",
        CheckpointKind.DISTRICT_BORDER,
        Way.ROAD,
        "ĐT741",
        "25267",
        "11.9380",
        "107.0051",
        True,
    ),
    (
        "BGM-04",
        "Chốt bến đò sông Đắk Huýt",
        CheckpointKind.DISTRICT_BORDER,
        Way.WATERWAY,
        "Sông Đắk Huýt",
        "25229",
        "12.0011",
        "107.0600",
        False,
    ),
)
VENUES = (
    # code, name, kind, commune, temperature at the gate
    ("BGMUBND1", "UBND xã Đức Hạnh", VenueKind.OFFICE, "25228", True),
    ("BGMCHO01", "Chợ Đức Hạnh", VenueKind.MARKET, "25228", False),
    ("BGMTYT01", "Trạm Y tế xã Đức Hạnh", VenueKind.HEALTH, "25228", True),
    ("BGMDIEU1", "Nhà máy chế biến hạt điều Bình Phước Xanh", VenueKind.FACTORY, "25228", True),
    ("BGMUBND2", "UBND xã Phú Nghĩa", VenueKind.OFFICE, "25267", True),
    ("BGMCHO02", "Chợ Phú Nghĩa", VenueKind.MARKET, "25267", False),
    ("BGMTTYT1", "Trung tâm Y tế huyện Bù Gia Mập", VenueKind.HEALTH, "25267", True),
    ("BGMTRUO1", "Trường THCS Đa Kia", VenueKind.SCHOOL, "25231", True),
    ("BGMSIEU1", "Cửa hàng Bách hóa Xanh Đa Kia", VenueKind.SUPERMARKET, "25231", False),
    ("BGMUBND3", "UBND xã Phú Văn", VenueKind.OFFICE, "25229", True),
    ("BGMCHO03", "Chợ Bù Gia Mập", VenueKind.MARKET, "25222", False),
    ("BGMDIEU2", "Xưởng điều Đắk Ơ", VenueKind.FACTORY, "25225", True),
)
OPERATORS = (
    ("Công ty CP Điều Bình Phước", "Hạt điều thô, điều nhân", "Bù Gia Mập — Đồng Xoài — TP. Hồ Chí Minh"),
    ("Công ty TNHH Cao su Phú Riềng", "Mủ cao su", "Bù Gia Mập — Phú Riềng — Bình Dương"),
    ("HTX Vận tải Phước Long", "Lương thực, thực phẩm thiết yếu", "TP. Hồ Chí Minh — Đồng Xoài — Bù Gia Mập"),
    ("Công ty TNHH Dược Thiên Phúc", "Thuốc, vật tư y tế", "TP. Hồ Chí Minh — Bù Gia Mập"),
    ("Công ty CP Xăng dầu Bình Phước", "Xăng dầu", "Đồng Xoài — Bù Gia Mập"),
    ("Công ty TNHH Nông sản Đắk Nông", "Nông sản, rau củ", "Gia Nghĩa — Bù Gia Mập"),
)
PLATES = ("93C-123.45", "93C-234.56", "51D-345.67", "61C-456.78", "93C-567.89", "48C-678.90")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Điểu", "Vũ", "Đặng", "Bùi", "Thị")
GIVEN = ("Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Hải", "Thị Lan", "Văn Phúc", "Thị Thu", "Đức Long")


def generate_movement(actor, today: date, seed: int = 2021, say: Callable[[str], None] = print) -> dict:
    """Write the demo's movement data up to ``today`` (call inside a transaction)."""
    rng = random.Random(seed + 11)
    district = AdminUnit.objects.get(code="691")
    communes = {u.code: u for u in AdminUnit.objects.filter(parent=district, level=Level.COMMUNE)}
    province = AdminUnit.objects.get(code=PROVINCE)
    MovementSetting.objects.get_or_create(
        unit=province,
        defaults={
            "unit_path": province.path,
            "province_code": PROVINCE,
            "alert_levels": ["red"],
            "watched_units": WATCHED,
            "updated_by": actor,
        },
    )
    origins = _origins(rng)
    checkpoints = _checkpoints(actor, communes, today)
    shifts = _shifts(actor, checkpoints, today)
    cards, trips = _green_lane(actor, district, communes, origins, today, rng)
    venues = _venues(actor, communes)
    people = list(
        Person.objects.filter(unit_path__startswith=district.path)
        .exclude(phone="")
        .order_by("pk")
        .values_list("pk", "full_name", "phone")[:4000]
    )
    passages = _passages(checkpoints, shifts, cards, trips, origins, communes, today, rng)
    checkins = _checkins(venues, people, today, rng)
    declarations = _declarations(communes, origins, today, rng)
    handled = _handle_alerts(actor, district, today, rng)
    counts = {
        "checkpoints": len(checkpoints),
        "passages": passages,
        "cards": len(cards),
        "trips": len(trips),
        "venues": len(venues),
        "checkins": checkins,
        "declarations": declarations,
        "alerts": Alert.objects.filter(unit_path__startswith=district.path).count(),
        "alerts handled": handled,
    }
    say("movement: " + ", ".join(f"{value:,} {name}" for name, value in counts.items()))
    return counts


def _origins(rng: random.Random) -> dict[str, list[str]]:
    """Commune codes people come from: the watched provinces, the rest of Bình Phước, Đắk Nông."""
    found: dict[str, list[str]] = {}
    for code in [*WATCHED, "70", "67"]:
        codes = list(
            AdminUnit.objects.filter(province_code=code, level=Level.COMMUNE)
            .exclude(path__startswith="/70/691/")
            .order_by("code")
            .values_list("code", flat=True)
        )
        found[code] = rng.sample(codes, min(12, len(codes)))
    return found


def _pick_origin(origins: dict[str, list[str]], rng: random.Random) -> str:
    province = rng.choices(["70", "67", "79", "74", "75"], weights=[50, 20, 14, 10, 6])[0]
    return rng.choice(origins[province]) if origins.get(province) else ""


def _moment(day: date, rng: random.Random, start: int = 6, end: int = 21) -> datetime:
    seconds = rng.randrange(start * 3600, end * 3600)
    return timezone.make_aware(datetime.combine(day, time.min) + timedelta(seconds=seconds))


def _checkpoints(actor, communes, today) -> list[Checkpoint]:
    result = []
    for code, name, kind, way, route, commune, lat, lon, busy in CHECKPOINTS:
        checkpoint = Checkpoint.objects.filter(code=code).first()
        if checkpoint is None:
            checkpoint = Checkpoint(
                code=code,
                name=name,
                kind=kind,
                way=way,
                route=route,
                latitude=Decimal(lat),
                longitude=Decimal(lon),
                opened_on=date(2021, 7, 9),
                note="24/7" if busy else "",
            )
            checkpoint.place_in(communes[commune])
            checkpoint.stamp(actor)
            checkpoint.save()
        checkpoint.busy = busy
        result.append(checkpoint)
    return result


def _shifts(actor, checkpoints, today) -> dict[tuple[int, date, int], Shift]:
    """Four 6-hour shifts a day at the busy checkpoints for the last three days (00–06, 06–12, …)."""
    crews = (
        ("Thượng úy Trần Quốc Bảo", Force.POLICE),
        ("Điểu Thanh", Force.MILITIA),
        ("Y sĩ Lê Thị Mai", Force.HEALTH),
        ("Nguyễn Văn Tâm", Force.VOLUNTEER),
        ("Trung úy Phạm Văn Hùng", Force.POLICE),
        ("Thị Hoa", Force.MILITIA),
        ("Điều dưỡng Vũ Thị Hạnh", Force.HEALTH),
        ("Đoàn viên Hoàng Minh Tú", Force.VOLUNTEER),
    )
    result = {}
    for checkpoint in checkpoints:
        if not checkpoint.busy:
            continue
        for back in range(2, -1, -1):
            day = today - timedelta(days=back)
            for number in range(4):
                starts = timezone.make_aware(datetime.combine(day, time(6 * number)))
                shift = Shift(checkpoint=checkpoint, starts_at=starts, ends_at=starts + timedelta(hours=6))
                crew = crews[(number % 2) * 4 : (number % 2) * 4 + 4]
                shift.leader = crew[0][0]
                shift.place_in(checkpoint.unit)
                shift.stamp(None)
                shift.save()
                ShiftMember.objects.bulk_create(
                    ShiftMember(shift=shift, full_name=name, force=force, phone=f"09{number}8{back}1234{i}")
                    for i, (name, force) in enumerate(crew)
                )
                result[(checkpoint.pk, day, number)] = shift
    return result


def _green_lane(actor, district, communes, origins, today, rng):
    cards = []
    for index, ((operator, goods, itinerary), plate) in enumerate(zip(OPERATORS, PLATES, strict=True), start=1):
        number = f"70-2021-{index:04d}"
        card = GreenCard.objects.filter(number=number).first()
        if card is None:
            card = GreenCard(
                number=number,
                plate=normalise_plate(plate),
                operator=operator,
                driver_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                driver_phone=f"09{rng.randrange(10**8):08d}",
                goods=goods,
                itinerary=itinerary,
                valid_from=date(2021, 7, 30),
                valid_to=date(2022, 1, 31),
            )
            card.place_in(district)
            card.stamp(actor)
            card.save()
        cards.append(card)
    trips = []
    destinations = ["25228", "25267", "25231", "25225", "25228", "25267"]
    for index, card in enumerate(cards):
        departed = _moment(today - timedelta(days=index % 3), rng, 4, 10)
        expected = departed + timedelta(hours=5 + index % 3)
        arrived = index not in (1, 4)  # one under way, one overdue
        if index == 4:
            departed -= timedelta(days=1)
            expected -= timedelta(days=1)
        origin_code = _pick_origin(origins, rng) if index % 2 else origins["79"][0]
        trip = Trip(
            card=card,
            plate=card.plate,
            driver_name=card.driver_name,
            driver_phone=card.driver_phone,
            people_on_board=2,
            goods=card.goods,
            origin=AdminUnit.objects.get(code=origin_code),
            departed_at=departed,
            expected_at=expected,
            state=TripState.ARRIVED if arrived else TripState.UNDER_WAY,
            arrived_at=expected - timedelta(minutes=20) if arrived else None,
            confirmed_by=actor if arrived else None,
        )
        trip.origin_path = trip.origin.path
        trip.place_in(communes[destinations[index]])
        trip.stamp(actor)
        trip.save()
        trips.append(trip)
    overdue = trips[4]
    with tracked():
        alerts.raise_alert(
            "trip_overdue",
            f"trip:{overdue.pk}",
            overdue.unit,
            day=timezone.localtime(overdue.expected_at).date(),
            raised_at=overdue.expected_at + timedelta(hours=6),
            full_name=overdue.driver_name,
            phone=overdue.driver_phone,
            trip=overdue,
            detail={"plate": overdue.plate},
        )
    Trip.objects.filter(pk=overdue.pk).update(overdue_alerted=True)
    return cards, trips


def _venues(actor, communes) -> list[Venue]:
    result = []
    for code, name, kind, commune, temperature in VENUES:
        venue = Venue.objects.filter(code=code).first()
        if venue is None:
            venue = Venue(
                code=code,
                name=name,
                kind=kind,
                address=communes[commune].name,
                temperature_check=temperature,
                contact_name=f"{SURNAMES[len(result) % 10]} {GIVEN[len(result) % 9]}",
                contact_phone=f"0271{3800000 + len(result) * 37:07d}",
            )
            venue.place_in(communes[commune])
            venue.stamp(actor)
            venue.save()
        result.append(venue)
    return result


def _passages(checkpoints, shifts, cards, trips, origins, communes, today, rng) -> int:
    vehicle_types = ("motorbike", "motorbike", "motorbike", "car", "truck", "coach", "container")
    local = list(communes)
    rows = []
    for back in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        for checkpoint in checkpoints:
            for _ in range(rng.randrange(40, 70) if checkpoint.busy else rng.randrange(5, 15)):
                at = _moment(day, rng, 0, 24)
                inbound = rng.random() < 0.6
                card = rng.choice(cards) if rng.random() < 0.08 else None
                vehicle = "truck" if card else rng.choice(vehicle_types)
                origin = _pick_origin(origins, rng) if inbound else rng.choice(local)
                status = origin_status(origin, day, province_code=PROVINCE) if inbound else None
                watched = bool(status and status.watched)
                tested = rng.random() < 0.85
                test_at = at - timedelta(hours=rng.randrange(4, 90)) if tested else None
                colour = rng.choices(["green", "yellow", "red"], weights=[80, 15, 5])[0]
                temperature = Decimal(rng.choice(["36.5", "36.6", "36.8", "37.0", "37.2", "37.8"]))
                advice = advise(
                    PassageIn(
                        at=at,
                        subject=Subject.VEHICLE,
                        vehicle_type=vehicle,
                        has_valid_card=card is not None,
                        card_essential=card is not None,
                        declaration_shown=rng.random() < 0.9,
                        test_result=TestResult.NEGATIVE if tested else "",
                        test_kind=TestKind.RAT if tested else "",
                        test_at=test_at,
                        people_on_board=1 if vehicle == "motorbike" else rng.randrange(1, 4),
                        temperature=temperature,
                        colour=colour,
                        from_watched_area=watched,
                    )
                )
                number = min(3, at.hour // 6)
                shift = shifts.get((checkpoint.pk, day, number))
                plate = card.plate if card else _plate(vehicle, rng)
                passage = Passage(
                    at=at,
                    day=day,
                    received_at=at + timedelta(seconds=rng.randrange(2, 600)),
                    client_id=f"demo-passage-{checkpoint.code}-{at.timestamp():.0f}-{rng.randrange(10**6)}",
                    checkpoint=checkpoint,
                    shift=shift,
                    direction=Direction.IN if inbound else Direction.OUT,
                    subject=Subject.VEHICLE,
                    plate=plate,
                    vehicle_type=vehicle,
                    people_on_board=1 if vehicle == "motorbike" else rng.randrange(1, 4),
                    full_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                    phone=f"+849{rng.randrange(10**8):08d}",
                    origin_commune_code=origin,
                    origin_level=(status.colour or "") if status else "",
                    from_watched_area=watched,
                    destination_commune_code=rng.choice(local) if inbound else "",
                    green_card=card,
                    declaration_shown=True,
                    test_result=TestResult.NEGATIVE if tested else "",
                    test_kind=TestKind.RAT if tested else "",
                    test_at=test_at,
                    colour=colour,
                    temperature=temperature,
                    advice=advice.action,
                    action=advice.action
                    if advice.action != PassageAction.TURNED_BACK or rng.random() < 0.9
                    else PassageAction.TESTED,
                    rule_version=advice.version,
                )
                passage.place_in(checkpoint.unit)
                rows.append(passage)
    ingest.save_events(Passage, rows, after=alerts.alerts_for_passages)
    return len(rows)


def _plate(vehicle: str, rng: random.Random) -> str:
    province = rng.choice(["93", "93", "93", "61", "51", "48", "60"])
    if vehicle == "motorbike":
        return f"{province}{rng.choice('BEFGHK')}{rng.randrange(1, 10)}{rng.randrange(10**5):05d}"
    return f"{province}{rng.choice('ACDH')}{rng.randrange(10**5):05d}"


def _checkins(venues, people, today, rng) -> int:
    """Check-ins at the venues; the people of the district's recent cases check in too, so that their
    tracing pages list candidate contacts."""
    district_cases = list(
        Case.objects.filter(
            unit_path__startswith="/70/691/", confirmed_on__gte=today - timedelta(days=DAYS), confirmed_on__lte=today
        )
        .exclude(person__phone="")
        .values_list("person_id", "person__full_name", "person__phone", "confirmed_on")[:12]
    )
    rows = []
    for back in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        for venue in venues:
            busy = venue.kind in (VenueKind.MARKET, VenueKind.SUPERMARKET, VenueKind.FACTORY)
            for _ in range(rng.randrange(60, 140) if busy else rng.randrange(10, 40)):
                pk, name, phone = rng.choice(people)
                rows.append(_checkin(venue, day, pk, name, phone, rng))
    for pk, name, phone, confirmed_on in district_cases:
        for offset in (4, 3, 2):
            day = confirmed_on - timedelta(days=offset)
            if day <= today:
                rows.append(_checkin(rng.choice(venues[:6]), day, pk, name, phone, rng))
    ingest.save_events(CheckIn, rows)
    return len(rows)


def _checkin(venue, day, person_id, name, phone, rng) -> CheckIn:
    at = _moment(day, rng, 6, 19)
    staff = venue.temperature_check and rng.random() < 0.5
    checkin = CheckIn(
        at=at,
        day=day,
        received_at=at + timedelta(seconds=rng.randrange(1, 30)),
        client_id=f"demo-checkin-{venue.code}-{at.timestamp():.0f}-{rng.randrange(10**7)}",
        venue=venue,
        method=CheckInMethod.STAFF if staff else CheckInMethod.SELF,
        phone=phone,
        full_name=name,
        person_id=person_id if staff else None,
        temperature=Decimal(rng.choice(["36.4", "36.6", "36.7", "36.9"])) if venue.temperature_check else None,
    )
    checkin.place_in(venue.unit)
    return checkin


def _declarations(communes, origins, today, rng) -> int:
    villages = {
        code: list(AdminUnit.objects.filter(parent__code=code).values_list("code", flat=True)) for code in communes
    }
    rows = []
    for back in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        for _ in range(rng.randrange(25, 55)):
            commune = rng.choices(list(communes), weights=[8, 10, 16, 10, 14, 9, 8, 25])[0]
            origin = _pick_origin(origins, rng)
            symptoms = []
            if rng.random() < 0.06:
                symptoms = rng.sample(["fever", "cough", "sore_throat", "taste_smell", "fatigue"], rng.randrange(1, 3))
            sex = rng.choice(["male", "female"])
            data = {
                "full_name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                "birth_year": str(rng.randrange(1950, 2006)),
                "sex": sex,
                "phone": f"09{rng.randrange(10**8):08d}",
                "commune_code": commune,
                "village": rng.choice(villages[commune]) if villages[commune] else "",
                "address": f"Tổ {rng.randrange(1, 12)}",
                "arrived_from_commune_code": origin,
                "arrived_on": (day - timedelta(days=rng.randrange(0, 2))).isoformat(),
                "transport": rng.choice(["coach", "motorbike", "car"]),
                "symptoms": symptoms,
                "exposures": ["epidemic_area"] if rng.random() < 0.1 else [],
            }
            received = _moment(day, rng, 6, 22)
            row = build_declaration(data, received_at=received, language="vi")
            row.client_id = f"demo-declaration-{received.timestamp():.0f}-{rng.randrange(10**7)}"
            rows.append(row)
    ingest.save_events(type(rows[0]), rows, after=alerts.alerts_for_declarations)
    return len(rows)


def _handle_alerts(actor, district, today, rng) -> int:
    """The communes worked through the alerts of the earlier days: a few arrivals ordered into home
    quarantine and a few declarants with symptoms sampled through the one-click actions (people
    registered under the duplicate rules), the rest closed with what the officer found; today's and
    yesterday's stay new or taken."""
    handled = 0
    earlier = Alert.objects.filter(unit_path__startswith=district.path, day__lt=today - timedelta(days=1))
    ordered = sampled = 0
    for alert in earlier.order_by("pk"):
        if rng.random() < 0.12:
            continue
        try:
            if alert.kind == AlertKind.WATCHED_ARRIVAL and ordered < 4:
                alerts.do_register_alert_person(actor, alert, confirm_new=True)
                alerts.do_order_from_alert(actor, Alert.objects.get(pk=alert.pk), override_reason=OVERRIDE)
                ordered += 1
                handled += 1
                continue
            if alert.kind == AlertKind.SYMPTOMS and sampled < 3:
                alerts.do_register_alert_person(actor, alert, confirm_new=True)
                alerts.do_sample_from_alert(actor, Alert.objects.get(pk=alert.pk), kind=SampleKind.RAPID_ANTIGEN)
                sampled += 1
                handled += 1
                continue
        except (ValidationError, PermissionDenied):  # the care or testing rules said no: closed by hand below
            alert.refresh_from_db()
        taken = alert.raised_at + timedelta(minutes=rng.randrange(10, 180))
        outcome = {
            AlertKind.WATCHED_ARRIVAL: (AlertOutcome.NO_ACTION, "Đã có xét nghiệm âm tính, nhắc tự theo dõi sức khỏe"),
            AlertKind.SYMPTOMS: (AlertOutcome.NOT_FOUND, "Gọi điện không liên lạc được, tổ COVID cộng đồng đến tìm"),
            AlertKind.UNDECLARED: (AlertOutcome.NO_ACTION, "Đã khai báo bổ sung"),
            AlertKind.TRIP_OVERDUE: (AlertOutcome.ARRIVED, "Xe đến muộn do hỏng dọc đường"),
        }[AlertKind(alert.kind)]
        with tracked(alert):
            alert.state = AlertState.DONE
            alert.owner = actor
            alert.taken_at = taken
            alert.done_at = taken + timedelta(hours=rng.randrange(1, 20))
            alert.outcome, alert.outcome_note = outcome
            alert.save()
        handled += 1
    return handled


# Why the demo's arrivals are quarantined at home although the rule of the day prescribes a facility.
OVERRIDE = "Khu cách ly tập trung đã đủ chỗ; đủ điều kiện cách ly tại nhà theo hướng dẫn của tỉnh"
