"""Reads of venues, their check-ins and devices, and what a staff scan names (scoped with ``for_user``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from chongdich.core import clock
from chongdich.core.access import get_in_scope_or_404
from chongdich.movement.models import EDIT, VIEW, CheckIn, DeviceToken, Direction, Venue
from chongdich.people.identity import IdentityError, clean_cccd, normalize_phone
from chongdich.people.models import Person
from chongdich.vaccination.certificates import PREFIX as CERTIFICATE_PREFIX
from chongdich.vaccination.selectors.certs import check_payload

TODAY_SHOWN = 200  # the detail page lists the latest check-ins of today
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U to misread
CODE_LENGTH = 8


def normalise_code(raw: str) -> str:
    """A venue code as a person typed it, as stored: upper case, Crockford's look-alikes mapped
    (O→0, I and L→1), spaces and dashes dropped."""
    text = "".join(str(raw or "").split()).replace("-", "").upper()
    return text.translate(str.maketrans("OIL", "011"))


def venues_for(user, capability: str = VIEW):
    return Venue.objects.for_user(user, capability).select_related("unit", "unit__parent").order_by("name", "pk")


def venue_page(user, pk, capability: str = VIEW) -> Venue:
    """The venue of a page (404 outside the area), through ``core.access``."""
    return get_in_scope_or_404(venues_for(user, capability), pk=pk)


def public_venue(code: str) -> Venue | None:
    """The active venue of a poster's code (any area: the page is public), None for an unknown one."""
    code = normalise_code(code)
    if not code or len(code) > 12:
        return None
    return Venue.objects.filter(code=code, active=True).select_related("unit", "unit__parent").first()


def checkin_url(request, venue: Venue) -> str:
    """The absolute address the poster's QR code holds (short: a phone camera reads it at a glance)."""
    base = settings.CHONGDICH_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return f"{base}{reverse('movement:checkin', args=[venue.code])}"


def checkins_today(venue: Venue):
    """Today's check-ins at the venue, newest first (the venue's index on (venue, at))."""
    start = clock.start_of(clock.today())
    return (
        CheckIn.objects.filter(venue=venue, at__gte=start, at__lt=start + timedelta(days=1))
        .order_by("-at", "-pk")
        .select_related("created_by")
    )


def today_counts(venue: Venue) -> dict:
    rows = checkins_today(venue).order_by()
    counts = rows.aggregate(
        total=Count("pk"),
        arrivals=Count("pk", filter=Q(direction=Direction.IN)),
        departures=Count("pk", filter=Q(direction=Direction.OUT)),
        fever=Count("pk", filter=Q(temperature__gte=37.5)),
    )
    counts["people"] = rows.exclude(phone="").values("phone").distinct().count()
    return counts


def devices_of(venue: Venue):
    return DeviceToken.objects.filter(venue=venue).order_by("revoked_at", "-created_at")


def venue_device(user, pk) -> DeviceToken:
    return get_in_scope_or_404(
        DeviceToken.objects.for_user(user, EDIT).filter(venue__isnull=False).select_related("venue"), pk=pk
    )


# -- staff scan ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scanned:
    """What a scanned or typed code names: a person found (in any area: the check-in is the venue's),
    a phone, a name; ``source`` says what was read; ``problem`` why nothing was."""

    source: str  # "certificate" | "cccd" | "phone" | ""
    person: Person | None = None
    phone: str = ""
    full_name: str = ""
    problem: str = ""


_CCCD_QR = re.compile(r"^(\d{12})\|")  # the chip ID card's QR: CCCD|CMND|name|ddmmyyyy|sex|address|issued


def _unique(people) -> Person | None:
    found = list(people.filter(merged_into__isnull=True)[:2])
    return found[0] if len(found) == 1 else None


def read_code(text: str) -> Scanned:
    """Read what the staff scanned or typed: a vaccination certificate (CD1, verified with the
    deployment's keys), a chip ID card's QR or a CCCD number, or a phone number."""
    text = (text or "").strip()
    if not text:
        return Scanned("", problem="empty")
    if CERTIFICATE_PREFIX in text:
        checked = check_payload(text)
        if not checked.verification.valid or checked.verification.certificate is None:
            return Scanned("certificate", problem="certificate")
        certificate = checked.verification.certificate
        people = Person.objects.filter(full_name=certificate.name)
        if certificate.birth_day is not None:
            people = people.filter(date_of_birth=certificate.birth_day)
        else:
            people = people.filter(birth_year=certificate.birth_year)
        person = _unique(people)
        return Scanned("certificate", person, getattr(person, "phone", ""), certificate.name)
    match = _CCCD_QR.match(text)
    digits = match.group(1) if match else re.sub(r"\D", "", text) if len(re.sub(r"\D", "", text)) == 12 else ""
    if digits:
        cccd = clean_cccd(digits)
        name = text.split("|")[2].strip() if match and text.count("|") >= 2 else ""
        person = _unique(Person.objects.filter(cccd=cccd))
        return Scanned("cccd", person, getattr(person, "phone", ""), getattr(person, "full_name", "") or name)
    try:
        phone = normalize_phone(text)
    except IdentityError:
        return Scanned("", problem="unreadable")
    if not phone:
        return Scanned("", problem="unreadable")
    person = _unique(Person.objects.filter(phone=phone))
    return Scanned("phone", person, phone, getattr(person, "full_name", ""))


def checkins_for(user):
    """The check-ins at venues of the user's area, newest first."""
    return CheckIn.objects.for_user(user, VIEW).select_related("venue").order_by("-at", "-id")
