"""Pages of the green lane: cards (list, issue, edit, revoke, the printed card, export) and trips
(list, record, the trip page with its passages, arrival, cancellation).  Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.scoping import has_capability
from chongdich.movement.actions import greenlane as actions
from chongdich.movement.exports.greenlane import cards_workbook
from chongdich.movement.filters.greenlane import CardFilter, TripFilter
from chongdich.movement.forms.greenlane import ArrivalForm, CardForm, ReasonForm, TripEditForm, TripForm, card_initial
from chongdich.movement.models import EDIT, VIEW
from chongdich.movement.selectors import greenlane as selectors
from chongdich.movement.tables.greenlane import CardTable, TripTable, card_badge, trip_badge
from chongdich.vaccination.certificates import qr_svg


def _common(request) -> dict:
    return {"can_edit": has_capability(request.user, EDIT)}


# -- cards ------------------------------------------------------------------------------------------
@capability_required(VIEW)
def card_list(request):
    filters = CardFilter(request.GET, selectors.cards_for(request.user), request=request)
    table = paginate_table(request, CardTable(filters.results()), per_page=50)
    return render(request, "movement/greenlane/card_list.html", {"filter": filters, "table": table} | _common(request))


@capability_required(VIEW)
def card_export(request):
    filters = CardFilter(request.GET, selectors.cards_for(request.user), request=request)
    cards = list(filters.results()[:20000])
    today = clock.today()
    audit.record(
        request.user,
        audit.AuditAction.EXPORT,
        None,
        object_type_label="movement.greencard",
        label=_("Green-lane cards"),
        unit_path=audit.common_path(card.unit_path for card in cards),
        detail={"rows": len(cards), "filters": audit.page_filters(request)},
    )
    return xlsx_response(cards_workbook(cards, today), f"the-luong-xanh-{today:%Y%m%d}.xlsx")


@capability_required(EDIT)
def card_create(request):
    form = CardForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            actions.do_issue_card,
            request.user,
            unit=form.cleaned_data["unit"],
            data=form.card_data(),
            number=form.cleaned_data.get("number") or "",
            client_id=client_id(request),
        )
        if done:
            card, _created = done.value
            messages.success(request, _("Card %(number)s was issued.") % {"number": card.number})
            return redirect(card)
    return render(request, "movement/greenlane/card_form.html", {"form": form, "card": None})


@capability_required(EDIT)
def card_edit(request, pk: int):
    card = selectors.card_page(request.user, pk, EDIT)
    form = CardForm(request.POST or None, user=request.user, editing=True, initial=card_initial(card))
    if request.method == "POST" and form.is_valid():
        if submit(form, actions.do_update_card, request.user, card, data=form.card_data()):
            messages.success(request, _("Saved."))
            return redirect(card)
    return render(request, "movement/greenlane/card_form.html", {"form": form, "card": card})


@capability_required(VIEW)
def card_detail(request, pk: int):
    card = selectors.card_page(request.user, pk)
    may_edit = selectors.may_edit(request.user, card)
    return render(
        request,
        "movement/greenlane/card_detail.html",
        {
            "card": card,
            "plate": selectors.plate_display(card.plate),
            "state": card_badge(card),
            "trips": [(trip, trip_badge(trip)) for trip in selectors.trips_of_card(request.user, card)],
            "may_edit": may_edit,
            "revoke_form": ReasonForm() if may_edit and card.revoked_at is None else None,
        },
    )


@capability_required(EDIT)
@require_POST
def card_revoke(request, pk: int):
    card = selectors.card_page(request.user, pk, EDIT)
    form = ReasonForm(request.POST)
    if form.is_valid():
        if submit(request, actions.do_revoke_card, request.user, card, reason=form.cleaned_data["reason"]):
            messages.success(request, _("The card was revoked."))
    else:
        messages.error(request, _("Say why the card is revoked."))
    return redirect(card)


@capability_required(VIEW)
def card_print(request, pk: int):
    card = selectors.card_page(request.user, pk)
    payload = selectors.card_qr_payload(card)
    return render(
        request,
        "movement/greenlane/card_print.html",
        {
            "card": card,
            "plate": selectors.plate_display(card.plate),
            "qr": qr_svg(payload, title=card.number),
            "payload": payload,
            "status": selectors.card_status(card),
        },
    )


# -- trips ------------------------------------------------------------------------------------------
@capability_required(VIEW)
def trip_list(request):
    filters = TripFilter(request.GET, selectors.trips_for(request.user), request=request)
    table = paginate_table(request, TripTable(filters.results()), per_page=50)
    return render(request, "movement/greenlane/trip_list.html", {"filter": filters, "table": table} | _common(request))


@capability_required(EDIT)
def trip_create(request):
    form = TripForm(request.POST or None, user=request.user, initial={"card": request.GET.get("card", "")[:12]})
    if request.method == "POST" and form.is_valid():
        done = submit(form, actions.do_create_trip, request.user, client_id=client_id(request), **form.trip_data())
        if done:
            trip, _created = done.value
            messages.success(
                request, _("The trip of %(plate)s was recorded.") % {"plate": selectors.plate_display(trip.plate)}
            )
            return redirect(trip)
    return render(request, "movement/greenlane/trip_form.html", {"form": form})


@capability_required(EDIT)
def trip_edit(request, pk: int):
    trip = selectors.trip_page(request.user, pk, EDIT)
    initial = {
        name: getattr(trip, name)
        for name in ("expected_at", "people_on_board", "driver_name", "driver_phone", "goods", "note")
    }
    initial["expected_at"] = timezone.localtime(trip.expected_at)
    form = TripEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if submit(form, actions.do_update_trip, request.user, trip, **form.cleaned_data):
            messages.success(request, _("The trip was changed."))
            return redirect(trip)
    return render(request, "movement/greenlane/trip_edit.html", {"form": form, "trip": trip})


@capability_required(VIEW)
def trip_detail(request, pk: int):
    trip = selectors.trip_page(request.user, pk)
    may_confirm = selectors.may_edit(request.user, trip)
    may_cancel = may_confirm or (trip.card_id is not None and selectors.may_edit(request.user, trip.card))
    under_way = trip.state == "under_way"
    return render(
        request,
        "movement/greenlane/trip_detail.html",
        {
            "trip": trip,
            "plate": selectors.plate_display(trip.plate),
            "state": trip_badge(trip),
            "status": selectors.trip_status(trip),
            "grace": int(selectors.grace_of(trip).total_seconds() // 60),
            "passages": selectors.passages_of(request.user, trip),
            "arrival_form": ArrivalForm() if may_confirm and under_way else None,
            "may_edit": may_cancel and under_way,
            "cancel_form": ReasonForm() if may_cancel and under_way else None,
        },
    )


@capability_required(EDIT)
@require_POST
def trip_arrive(request, pk: int):
    trip = selectors.trip_page(request.user, pk, EDIT)
    form = ArrivalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the time of arrival, e.g. 14:30 07/12/2026."))
    elif submit(request, actions.do_confirm_arrival, request.user, trip, at=form.cleaned_data["at"]):
        messages.success(request, _("The arrival was confirmed."))
    return redirect(trip)


@capability_required(EDIT)
@require_POST
def trip_cancel(request, pk: int):
    trip = selectors.trip_page(request.user, pk, EDIT)
    form = ReasonForm(request.POST)
    if form.is_valid():
        if submit(request, actions.do_cancel_trip, request.user, trip, reason=form.cleaned_data["reason"]):
            messages.success(request, _("The trip was cancelled."))
    else:
        messages.error(request, _("Say why the trip is cancelled."))
    return redirect(trip)
