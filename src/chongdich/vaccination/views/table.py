"""Sessions and the vaccination table (bàn tiêm): find the person, screen, record the dose, observe.

The table is a run of plain pages that work on a 360 px phone without JavaScript: the search (a QR
scanner types the invitation's token into the same box), the person's card with the screening form
and the dose form, then back to the search for the next person.  The observation list of the session
shows who is still within their 30 minutes.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.history import history_entries
from chongdich.core.pagination import paginate_table
from chongdich.core.redirects import next_url
from chongdich.core.scoping import has_capability, in_scope
from chongdich.vaccination.actions.table import (
    do_create_session,
    do_end_observation,
    do_record_dose,
    do_screen,
    do_set_session_status,
    do_update_session,
    do_void_dose,
)
from chongdich.vaccination.filters.table import SessionFilter
from chongdich.vaccination.forms.table import (
    DoseForm,
    FindForm,
    ScreeningForm,
    SessionForm,
    SessionStatusForm,
    VoidForm,
)
from chongdich.vaccination.models import EDIT, VIEW, SessionStatus
from chongdich.vaccination.selectors.table import dose_page as dose_of
from chongdich.vaccination.selectors.table import (
    find_at_table,
    minutes_left,
    person_card,
    problem_labels,
    session_lists,
    session_page,
    sessions_for,
    short_product_name,
    table_session,
    under_observation,
)
from chongdich.vaccination.selectors.table import table_person as person_at_table
from chongdich.vaccination.tables.table import SessionTable

PAGE_SIZE = 30
SHOWN_LISTS = ("screened", "vaccinated", "postponed", "observing")


def optional_url(name: str, *args, query: str = "") -> str | None:
    """The address of a page another part of the app may not have added yet (None until it has)."""
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


# -- sessions ---------------------------------------------------------------------------------------------
@capability_required(VIEW)
def session_list(request):
    filters = SessionFilter(request.GET or None, sessions_for(request.user), request=request)
    table = paginate_table(request, SessionTable(filters.results(), order_by=("-day",)), per_page=PAGE_SIZE)
    return render(
        request,
        "vaccination/table/sessions.html",
        {"filter": filters, "table": table, "can_create": has_capability(request.user, EDIT)},
    )


@capability_required(EDIT)
def session_create(request):
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            do_create_session,
            request.user,
            site=data["site"],
            data=form.session_data(),
            lots=data["lots"],
            staff=data["staff"],
            client_id=client_id(request),
        )
        if done:
            session, _created = done.value
            messages.success(request, _("The session was planned."))
            return redirect(session)
    return render(request, "vaccination/table/session_form.html", {"form": form})


@capability_required(EDIT)
def session_edit(request, pk: int):
    session = session_page(request.user, pk, EDIT)
    initial = {
        "site": session.site_id,
        "day": session.day,
        "shift": session.shift,
        "planned": session.planned,
        "lots": list(session.lots.all()),
        "staff": list(session.staff.all()),
        "staff_note": session.staff_note,
        "note": session.note,
    }
    form = SessionForm(request.POST or None, user=request.user, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            do_update_session,
            request.user,
            session,
            data=form.session_data(),
            site=data["site"],
            lots=data["lots"],
            staff=data["staff"],
        )
        if done:
            messages.success(request, _("Saved."))
            return redirect(session)
    return render(request, "vaccination/table/session_form.html", {"form": form, "session": session})


@require_POST
@capability_required(EDIT)
def session_status(request, pk: int):
    session = session_page(request.user, pk, EDIT)
    form = SessionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose open, close or cancel."))
    elif submit(request, do_set_session_status, request.user, session, form.cleaned_data["step"]):
        messages.success(request, _("Saved."))
    return redirect(session)


@capability_required(VIEW)
def session_detail(request, pk: int):
    session = session_page(request.user, pk)
    lists = session_lists(session)
    shown = request.GET.get("show") if request.GET.get("show") in SHOWN_LISTS else None
    lot_shown = request.GET.get("lot", "")
    now = clock.now()
    for dose in lists.observing:
        dose.minutes_left = minutes_left(dose, now)
    audit.record_read(request, _("Vaccination session"), lists.screened, lists.vaccinated, lists.observing, obj=session)
    return render(
        request,
        "vaccination/table/session.html",
        {
            "session": session,
            "lists": lists,
            "shown": shown,
            "lot_shown": lot_shown,
            "can_edit": in_scope(request.user, EDIT, session),
            "Status": SessionStatus,
            "breadcrumbs": session.unit.ancestors(),
        },
    )


# -- the table ------------------------------------------------------------------------------------------------
@capability_required(EDIT)
def table(request, pk: int):
    session = session_page(request.user, pk, EDIT)
    form = FindForm(request.GET or None)
    query, found, invitation = "", [], None
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        if query:
            found, invitation = find_at_table(request.user, query)
            audit.record_read(request, _("Vaccination table"), found, obj=session)
            if invitation is not None:  # a scanned slip opens the person's card at once
                return redirect("vaccination:table_person", session.pk, invitation.person_id)
    return render(
        request,
        "vaccination/table/find.html",
        {
            "session": session,
            "form": form,
            "query": query,
            "found": found,
            "observing": under_observation(session).count(),
            "is_open": session.status == SessionStatus.OPEN,
        },
    )


def _card_page(request, session, person, *, screening_form=None, dose_form=None, status=200):
    card = person_card(person, session)
    audit.record_read(request, _("Vaccination table"), obj=person)
    return render(
        request,
        "vaccination/table/person.html",
        {
            "session": session,
            "person": person,
            "card": card,
            "screening_form": screening_form or ScreeningForm(session=session),
            "dose_form": dose_form or DoseForm(session=session),
            "is_open": session.status == SessionStatus.OPEN,
            "aefi_url": optional_url("vaccination:aefi_create", query=f"dose={card.dose_today.pk}")
            if card.dose_today
            else None,
        },
        status=status,
    )


@capability_required(EDIT)
def table_person(request, pk: int, person: int):
    session = session_page(request.user, pk, EDIT)
    return _card_page(request, session, person_at_table(request.user, person))


@require_POST
@capability_required(EDIT)
def screen(request, pk: int, person: int):
    session = table_session(request.user, pk)
    subject = person_at_table(request.user, person)
    form = ScreeningForm(request.POST, session=session)
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            do_screen,
            request.user,
            person=subject,
            session=session,
            answers=form.answers(),
            temperature=data["temperature"],
            blood_pressure=data["blood_pressure"],
            outcome=data["outcome"] or None,
            note=data["note"],
            client_id=client_id(request),
        )
        if done:
            screening, _created = done.value
            messages.success(request, _("Screening saved: %(outcome)s.") % {"outcome": screening.get_outcome_display()})
            return redirect(reverse("vaccination:table_person", args=[session.pk, subject.pk]) + "#dose")
    return _card_page(request, session, subject, screening_form=form, status=200)


@require_POST
@capability_required(EDIT)
def record_dose(request, pk: int, person: int):
    session = table_session(request.user, pk)
    subject = person_at_table(request.user, person)
    form = DoseForm(request.POST, session=session)
    if form.is_valid():
        done = submit(
            form,
            do_record_dose,
            request.user,
            person=subject,
            session=session,
            lot=form.cleaned_data["lot"],
            override_reason=form.cleaned_data["override_reason"],
            client_id=client_id(request),
        )
        if done:
            dose, created = done.value
            message = (
                _("%(name)s: dose %(number)s (%(product)s) recorded.")
                if created
                else _("%(name)s: dose %(number)s (%(product)s) was already recorded.")
            )
            messages.success(
                request,
                message
                % {"name": subject.full_name, "number": dose.number, "product": short_product_name(dose.product)},
            )
            return redirect("vaccination:table", session.pk)
    return _card_page(request, session, subject, dose_form=form)


@capability_required(EDIT)
def observation(request, pk: int):
    session = session_page(request.user, pk, EDIT)
    now = clock.now()
    rows = list(under_observation(session))
    for dose in rows:
        dose.minutes_left = minutes_left(dose, now)
        dose.aefi_url = optional_url("vaccination:aefi_create", query=f"dose={dose.pk}")
    audit.record_read(request, _("Observation after vaccination"), rows, obj=session)
    return render(request, "vaccination/table/observation.html", {"session": session, "rows": rows})


# -- doses ---------------------------------------------------------------------------------------------------------
@require_POST
@capability_required(EDIT)
def dose_observed(request, pk: int):
    dose = dose_of(request.user, pk, EDIT)
    if submit(request, do_end_observation, request.user, dose):
        messages.success(request, _("%(name)s may leave.") % {"name": dose.person.full_name})
    fallback = (
        reverse("vaccination:observation", args=[dose.session_id]) if dose.session_id else dose.get_absolute_url()
    )
    return redirect(next_url(request, fallback))


@capability_required(VIEW)
def dose_detail(request, pk: int):
    dose = dose_of(request.user, pk)
    audit.record_read(request, _("Vaccine dose"), obj=dose)
    return render(
        request,
        "vaccination/table/dose.html",
        {
            "dose": dose,
            "problems": problem_labels(dose.problems or []),
            "history": history_entries(dose),
            "can_edit": in_scope(request.user, EDIT, dose),
            "minutes_left": minutes_left(dose),
            "aefi_url": optional_url("vaccination:aefi_create", query=f"dose={dose.pk}"),
        },
    )


@capability_required(EDIT)
def dose_void(request, pk: int):
    dose = dose_of(request.user, pk, EDIT)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if submit(form, do_void_dose, request.user, dose, reason=form.cleaned_data["reason"]):
            messages.success(request, _("The dose was voided."))
            return redirect(dose)
    audit.record_read(request, _("Vaccine dose"), obj=dose)
    return render(request, "vaccination/table/void.html", {"dose": dose, "form": form})
