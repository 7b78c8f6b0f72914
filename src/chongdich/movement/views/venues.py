"""Pages of venues: the list, create and edit, the detail page with today's check-ins and the venue's
devices, the printable QR poster (page and PDF), the staff scan page; and the public check-in page that
the poster's QR code opens (no login)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.context import client_ip
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.scoping import has_capability, in_scope
from chongdich.movement.actions import devices as device_actions
from chongdich.movement.actions import venues as actions
from chongdich.movement.filters.venues import CheckInFilter, VenueFilter
from chongdich.movement.forms.venues import CheckInForm, DeviceForm, ScanForm, VenueForm
from chongdich.movement.models import EDIT, VIEW, Direction
from chongdich.movement.selectors import venues as selectors
from chongdich.movement.tables.venues import CheckInListTable, CheckInTable, VenueTable
from chongdich.movement.views import devices

POSTER_LANGUAGE = "vi"  # the poster is Vietnamese with English under each line, whatever the interface
RECENT_ON_SCAN = 10


# -- check-ins of the area (the list behind the tallies' check-in figures) -------------------------------
@capability_required(VIEW)
def checkin_list(request):
    filters = CheckInFilter(request.GET, selectors.checkins_for(request.user), request=request)
    table = paginate_table(request, CheckInListTable(filters.results()), per_page=50)
    audit.record_read(request, _("Check-ins"), table.page.object_list)
    return render(request, "movement/venues/checkins.html", {"filter": filters, "table": table})


# -- list, create, edit, detail ------------------------------------------------------------------------
@capability_required(VIEW)
def venue_list(request):
    filters = VenueFilter(request.GET or None, selectors.venues_for(request.user), request=request)
    table = paginate_table(request, VenueTable(filters.results()), per_page=50)
    return render(
        request,
        "movement/venues/list.html",
        {"filter": filters, "table": table, "can_edit": has_capability(request.user, EDIT)},
    )


@capability_required(EDIT)
def venue_create(request):
    form = VenueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            actions.do_create_venue,
            request.user,
            unit=form.cleaned_data["unit"],
            data=form.venue_data(),
            client_id=client_id(request),
        )
        if done:
            venue, _created = done.value
            messages.success(request, _("%(name)s was created. Print its QR poster.") % {"name": venue.name})
            return redirect(venue)
    return render(request, "movement/venues/form.html", {"form": form, "venue": None})


@capability_required(EDIT)
def venue_edit(request, pk: int):
    venue = selectors.venue_page(request.user, pk, EDIT)
    initial = {name: getattr(venue, name) for name in actions.VENUE_FIELDS} | {"unit": venue.unit.code}
    form = VenueForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if submit(
            form, actions.do_update_venue, request.user, venue, unit=form.cleaned_data["unit"], data=form.venue_data()
        ):
            messages.success(request, _("Saved."))
            return redirect(venue)
    return render(request, "movement/venues/form.html", {"form": form, "venue": venue})


@capability_required(VIEW)
def venue_detail(request, pk: int):
    venue = selectors.venue_page(request.user, pk)
    checkins = paginate_table(request, CheckInTable(selectors.checkins_today(venue)), per_page=50)
    may_edit = in_scope(request.user, EDIT, venue)
    checkins.page.object_list = list(checkins.page.object_list)  # read once: the rows audited are the rows shown
    audit.record_read(request, _("Venue check-ins"), [row.record for row in checkins.page.object_list], obj=venue)
    return render(
        request,
        "movement/venues/detail.html",
        {
            "venue": venue,
            "counts": selectors.today_counts(venue),
            "checkins": checkins,
            "devices": selectors.devices_of(venue) if may_edit else [],
            "device_form": DeviceForm() if may_edit else None,
            "may_edit": may_edit,
            "checkin_url": selectors.checkin_url(request, venue),
            "today": clock.today(),
        },
    )


# -- the QR poster -------------------------------------------------------------------------------------
def poster_qr(url: str) -> str:
    """The poster's QR code as inline SVG scaled to its box: error correction M, a quiet zone of 2
    modules (the poster's white page is around it), so that the code itself is at least 15 × 15 cm in
    its 17 cm box (Hà Nội's minimum for a venue code; a short address gives a version-4 code of 33
    modules: 170 × 33 / 37 ≈ 152 mm)."""
    return segno.make(url, error="m", micro=False).svg_inline(border=2, svgclass="qr", lineclass=None, omitsize=True)


def _poster_context(request, venue) -> dict:
    url = selectors.checkin_url(request, venue)
    return {"venue": venue, "url": url, "qr": poster_qr(url)}


@capability_required(VIEW)
def venue_poster(request, pk: int):
    """The A4 poster as a page (the browser prints it: print CSS, QR 16 × 16 cm)."""
    venue = selectors.venue_page(request.user, pk)
    with translation.override(POSTER_LANGUAGE):
        return render(request, "movement/venues/poster.html", _poster_context(request, venue) | {"pdf": False})


@capability_required(VIEW)
def venue_poster_pdf(request, pk: int):
    import weasyprint  # imported here: Pango is loaded only when a PDF is made

    venue = selectors.venue_page(request.user, pk)
    with translation.override(POSTER_LANGUAGE):
        html = render_to_string("movement/venues/poster.html", _poster_context(request, venue) | {"pdf": True})
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ma-qr-{venue.code}.pdf"'
    return response


# -- device tokens -----------------------------------------------------------------------------------------
@require_POST
@capability_required(EDIT)
def device_create(request, pk: int):
    venue = selectors.venue_page(request.user, pk, EDIT)
    return devices.make_device(request, venue, reverse("movement:venue_device_create", args=[venue.pk]))


@require_POST
@capability_required(EDIT)
def device_revoke(request, pk: int):
    device = selectors.venue_device(request.user, pk)
    if submit(request, device_actions.do_revoke_device, request.user, device):
        messages.success(request, _("The device's token was revoked: it can no longer send check-ins."))
    return redirect(device.venue)


# -- the staff scan ----------------------------------------------------------------------------------------
@capability_required(EDIT)
def venue_scan(request, pk: int):
    """Staff at the gate scan a person's code (certificate, ID card) or type a phone number."""
    venue = selectors.venue_page(request.user, pk, EDIT)
    form = ScanForm(request.POST or None, venue=venue, initial={"direction": Direction.IN})
    done_row, scanned, status = None, None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            done = submit(
                form,
                actions.do_staff_check_in,
                request.user,
                venue,
                code=form.cleaned_data["code"],
                full_name=form.cleaned_data.get("full_name", ""),
                direction=form.cleaned_data["direction"],
                temperature=form.cleaned_data.get("temperature"),
                client_id=client_id(request),
            )
            if done:
                saved, scanned = done.value
                done_row, status = saved.record, 200
                form = ScanForm(venue=venue, initial={"direction": form.cleaned_data["direction"]})
    recent = list(selectors.checkins_today(venue)[:RECENT_ON_SCAN])
    audit.record_read(request, _("Venue check-ins"), [r for r in recent if r.person_id], obj=venue)
    return render(
        request,
        "movement/venues/scan.html",
        {
            "venue": venue,
            "form": form,
            "done": done_row,
            "scanned": scanned,
            "fever": bool(done_row and done_row.temperature and done_row.temperature >= actions.FEVER),
            "recent": recent,
        },
        status=status,
    )


# -- the public check-in page --------------------------------------------------------------------------------
def _not_found(request):
    return render(request, "movement/venues/checkin_404.html", status=404)


@never_cache  # the answer names the person who checked in: no proxy or browser keeps it
@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request, code: str):
    """Public (no login): phone and name once (remembered on the phone), then one tap."""
    venue = selectors.public_venue(code)
    if venue is None:
        return _not_found(request)
    form = CheckInForm(request.POST or None, venue=venue)
    if request.method != "POST":
        return render(request, "movement/venues/checkin.html", {"venue": venue, "form": form})
    if form.is_valid():
        done = submit(
            form,
            actions.do_check_in,
            None,
            venue=venue,
            phone=form.cleaned_data["phone"],
            full_name=form.cleaned_data["full_name"],
            direction=form.cleaned_data["direction"],
            temperature=form.cleaned_data.get("temperature"),
            client_id=client_id(request),
            address=client_ip(request),
        )
        if done:
            row = done.value.record
            return render(
                request,
                "movement/venues/checkin_done.html",
                {
                    "venue": venue,
                    "row": row,
                    "fever": bool(row.temperature and row.temperature >= actions.FEVER),
                },
            )
        status = 429 if isinstance(done.error, actions.RateLimited) else 400
    else:
        status = 400
    return render(request, "movement/venues/checkin.html", {"venue": venue, "form": form}, status=status)
