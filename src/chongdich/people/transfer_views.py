"""Pages of transfer requests: ask (from a duplicate warning), list, decide (the level above both areas)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit
from chongdich.core.access import capability_required
from chongdich.core.forms import add_errors, client_id
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.people.duplicates import reference_of
from chongdich.people.forms import TransferDecisionForm, TransferRequestForm
from chongdich.people.models import TransferRequest, TransferStatus
from chongdich.people.transfers import deciders_scope_contains, do_decide_transfer, do_request_transfer
from chongdich.territory.models import AdminUnit

LIST_LIMIT = 100


def _related(requests):
    return requests.select_related("person", "person__unit", "from_unit", "to_unit", "created_by", "decided_by")


def _with_visibility(user, requests) -> list[TransferRequest]:
    """Mark what the user may see of each request's person (the requester: only once it is theirs)."""
    scope = scope_for(user, Cap.PEOPLE_VIEW)
    rows = list(requests)
    for row in rows:
        row.person_visible = scope.contains(row.person.unit_path)
    return rows


@capability_required(Cap.PEOPLE_EDIT)
def transfer_list(request):
    to_decide = TransferRequest.objects.for_user(request.user, Cap.PEOPLE_EDIT)
    mine = TransferRequest.objects.filter(created_by=request.user)
    lists = {
        "pending": _with_visibility(
            request.user, _related(to_decide.filter(status=TransferStatus.PENDING))[:LIST_LIMIT]
        ),
        "decided": _with_visibility(request.user, _related(to_decide.exclude(status=TransferStatus.PENDING))[:30]),
        "mine": _with_visibility(request.user, _related(mine)[:LIST_LIMIT]),
    }
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
    wanted = AdminUnit.objects.filter(code=(warning.detail or {}).get("wanted_unit", "")).first()
    form = TransferRequestForm(
        request.POST or None, user=request.user, initial={"to_unit": wanted.code if wanted else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer, created = do_request_transfer(
                request.user,
                reference=warning.detail["reference"],
                to_unit=form.cleaned_data["to_unit"],
                note=form.cleaned_data["note"],
                client_id=client_id(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
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
    transfer = _related(TransferRequest.objects.filter(pk=pk)).first()
    if transfer is None:
        raise Http404
    decider = deciders_scope_contains(request.user, transfer)
    if not decider and transfer.created_by_id != request.user.pk:
        raise Http404
    return transfer, decider


@capability_required(Cap.PEOPLE_EDIT)
def transfer_detail(request, pk: int):
    transfer, decider = _transfer_or_404(request, pk)
    (transfer,) = _with_visibility(request.user, [transfer])
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
        try:
            do_decide_transfer(
                request.user,
                transfer,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["decision_note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("people:transfer", pk=transfer.pk)
    (transfer,) = _with_visibility(request.user, [transfer])
    return render(request, "people/transfer_detail.html", {"transfer": transfer, "decider": decider, "form": form})
