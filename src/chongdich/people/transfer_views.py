"""Pages of transfer requests: ask (from a duplicate warning), list, decide (the level above both areas)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.roles import Cap
from chongdich.people import selectors
from chongdich.people.actions import do_decide_transfer, do_request_transfer
from chongdich.people.duplicates import reference_of
from chongdich.people.forms import TransferDecisionForm, TransferRequestForm
from chongdich.people.models import TransferRequest, TransferStatus
from chongdich.territory.selectors import unit_by_code


@capability_required(Cap.PEOPLE_EDIT)
def transfer_list(request):
    lists = selectors.transfer_lists(request.user)
    audit.record_read(request, _("Transfer requests"), *(_shown(rows) for rows in lists.values()))
    return render(request, "people/transfers.html", lists)


def _shown(rows) -> list:
    """The people a list of requests names (the others appear only as what their requester typed)."""
    return [row.person for row in rows if row.person_visible]


@capability_required(Cap.PEOPLE_EDIT)
def transfer_new(request):
    reference = request.POST.get("ref") or request.GET.get("ref") or ""
    warning = reference_of(request.user, reference)
    if warning is None:
        raise Http404
    wanted = unit_by_code((warning.detail or {}).get("wanted_unit", ""))
    form = TransferRequestForm(
        request.POST or None, user=request.user, initial={"to_unit": wanted.code if wanted else None}
    )
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            do_request_transfer,
            request.user,
            reference=warning.detail["reference"],
            to_unit=form.cleaned_data["to_unit"],
            note=form.cleaned_data["note"],
            client_id=client_id(request),
        )
        if done:
            _transfer, created = done.value
            if created:
                messages.success(
                    request, _("The request was sent to the level above both areas; its answer will appear here.")
                )
            else:
                messages.info(
                    request, _("You have already asked for this person; the request is waiting for a decision.")
                )
            return redirect("people:transfers")
    return render(request, "people/transfer_form.html", {"form": form, "warning": warning})


def _transfer_or_404(request, pk: int) -> tuple[TransferRequest, bool]:
    """A request is shown to the level that decides it and to its requester; to anyone else it does not exist."""
    transfer, decider = selectors.transfer_for(request.user, pk)
    if transfer is None:
        raise Http404
    return transfer, decider


@capability_required(Cap.PEOPLE_EDIT)
def transfer_detail(request, pk: int):
    transfer, decider = _transfer_or_404(request, pk)
    (transfer,) = selectors.with_visibility(request.user, [transfer])
    audit.record_read(request, _("Transfer request"), _shown([transfer]))
    form = TransferDecisionForm() if decider and transfer.status == TransferStatus.PENDING else None
    return render(request, "people/transfer_detail.html", {"transfer": transfer, "decider": decider, "form": form})


@require_POST
@capability_required(Cap.PEOPLE_EDIT)
def transfer_decide(request, pk: int):
    transfer, decider = _transfer_or_404(request, pk)
    if not decider:
        raise PermissionDenied
    form = TransferDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        if submit(
            form, do_decide_transfer, request.user, transfer, approve=approve, note=form.cleaned_data["decision_note"]
        ):
            messages.success(request, _("The decision was recorded."))
            return redirect("people:transfer", pk=transfer.pk)
    (transfer,) = selectors.with_visibility(request.user, [transfer])
    return render(request, "people/transfer_detail.html", {"transfer": transfer, "decider": decider, "form": form})
