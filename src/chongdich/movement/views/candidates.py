"""Candidate contacts from check-ins on a case's tracing page (surveillance's ``tracing_sources``), and the
officer's decision on one: confirm as F1 (registering the person when nobody has that phone) or not a
contact."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.forms import client_id, submit
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.movement.actions.candidates import do_confirm_candidate, do_dismiss_candidate
from chongdich.movement.forms.venues import CandidateForm
from chongdich.movement.selectors.candidates import candidates_for_case, find_candidate
from chongdich.people.duplicates import disclose
from chongdich.surveillance.forms import QuickPersonForm
from chongdich.surveillance.models import ExposureKind
from chongdich.surveillance.selectors import cases_for, with_display
from chongdich.surveillance.tracing_sources import SourcePanel

SHOWN = 200  # candidates listed on the tracing page (a busy market gives many)


def tracing_panel(request, case) -> SourcePanel | None:
    """The candidates of ``case`` for its tracing page.  A candidate the user may not see (a person of
    another area, or a check-in at a venue of another area) is "a person registered in another area",
    with a reference (the duplicate-disclosure rule: audited in that person's area)."""
    candidates = candidates_for_case(request.user, case)[:SHOWN]
    if not candidates:
        return None
    for candidate in candidates:
        candidate.reference = ""
        if not candidate.in_scope and candidate.person is not None:
            found = disclose(request.user, [candidate.person], match="checkin", channel="web")
            candidate.reference = found.elsewhere[0] if found.elsewhere else ""
    return SourcePanel(
        "movement/candidates/_panel.html",
        {
            "case": case,
            "candidates": candidates,
            "may_edit": in_scope(request.user, Cap.CASES_EDIT, case),
        },
        people=[c.person_id for c in candidates if c.in_scope and c.person_id],
    )


@capability_required(Cap.CASES_EDIT)
def candidate_review(request, pk: int):
    """Confirm a candidate as F1 or dismiss them (POST from the tracing page); a candidate nobody is
    registered with opens a short registration form first."""
    case = get_in_scope_or_404(with_display(cases_for(request.user, Cap.CASES_EDIT)), pk=pk)
    back = reverse("surveillance:tracing", args=[case.pk])
    data = request.POST if request.method == "POST" else request.GET
    form = CandidateForm(data or None)
    if not form.is_valid():
        raise Http404
    venue_id, key = form.cleaned_data["venue"], form.cleaned_data["key"]
    candidate = find_candidate(request.user, case, venue_id, key)
    if candidate is None:
        messages.info(
            request, _("This candidate is no longer on the list: someone reviewed them, or they were traced.")
        )
        return redirect(back)
    decision = form.cleaned_data["decision"]
    register = candidate.person is None and decision == "confirm"
    if register and not candidate.in_scope:
        raise PermissionDenied(_("This person checked in at a venue of another area: ask that area to trace them."))
    typed = register and request.method == "POST" and "new-full_name" in request.POST
    new = QuickPersonForm(
        request.POST if typed else None,
        user=request.user,
        initial={"full_name": candidate.full_name, "phone": candidate.phone},
    )
    status = 200
    if request.method == "POST" and decision == "dismiss":
        done = submit(
            form,
            do_dismiss_candidate,
            request.user,
            case,
            venue_id=venue_id,
            key=key,
            note=form.cleaned_data.get("note", ""),
            client_id=client_id(request),
        )
        if done:
            messages.success(request, _("Marked as not a contact."))
            return redirect(back)
        status = 400
    elif request.method == "POST" and (not register or typed):
        status = 400
        if not register or new.is_valid():
            done = submit(
                new if register else form,
                do_confirm_candidate,
                request.user,
                case,
                venue_id=venue_id,
                key=key,
                kind=form.cleaned_data.get("kind") or ExposureKind.SAME_ENCLOSED_SPACE,
                new_person=new.person_data() if register else None,
                confirm_new=bool(register and new.cleaned_data.get("confirm_new")),
                client_id=client_id(request),
            )
            if done:
                messages.success(request, _("Confirmed as F1: the exposure was recorded and the contact list updated."))
                return redirect(back)
    shown = [candidate.person_id] if candidate.in_scope and candidate.person_id else []
    audit.record_read(request, _("Candidate contact"), shown, obj=case)
    return render(
        request,
        "movement/candidates/review.html",
        {"case": case, "candidate": candidate, "form": form, "new": new if register else None, "back": back},
        status=status,
    )
