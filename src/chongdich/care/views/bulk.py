from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.care.actions import do_bulk_facility_quarantine, do_bulk_home_quarantine, select
from chongdich.care.actions.bulk import batch_orders
from chongdich.care.actions.stays import room
from chongdich.care.forms import BulkForm
from chongdich.care.models import OrderBatch
from chongdich.care.selectors import facilities_for, in_scope
from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import add_errors, client_id
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.surveillance.chains import root
from chongdich.surveillance.models import Case, Chain, Cluster


def _choices(user):
    clusters = (
        Cluster.objects.for_user(user, Cap.CASES_VIEW).filter(closed_on__isnull=True).order_by("-opened_on", "name")
    )
    return clusters, facilities_for(user).filter(closed_on__isnull=True).order_by("name")


def _recent_chains(user, limit: int = 30) -> list[Chain]:
    """The largest chains with active cases in the user's area (to pick from)."""
    cases = in_scope(Case.objects.active(), user, Cap.CASES_VIEW)  # Case's manager has no for_user yet
    chain_ids = cases.exclude(chain=None).values_list("chain_id", flat=True)
    roots = Chain.objects.filter(pk__in=chain_ids).values_list("parent_id", "pk")
    ids = {parent or pk for parent, pk in roots[:5000]}
    return list(Chain.objects.filter(pk__in=ids).order_by("-size")[:limit])


def _source(data):
    if data["source"] == "chain":
        chain = root(data["chain"])
        if chain is None:
            raise ValidationError({"chain": _("There is no chain #%(n)s.") % {"n": data["chain"]}})
        return {"chain": chain}
    return {"cluster": data["cluster"]}


@capability_required(Cap.CARE_EDIT)
def bulk_new(request):
    """Choose a chain or a cluster and a kind of order → preview the counts → confirm (POST)."""
    if not has_capability(request.user, Cap.CASES_VIEW):
        raise PermissionDenied
    clusters, facilities = _choices(request.user)
    # The choices travel in the query string; confirming POSTs to the same address with a client id only.
    form = BulkForm(request.GET if "source" in request.GET else None, clusters=clusters, facilities=facilities)
    preview = space = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            source = _source(data)
            if request.method == "POST":
                return _confirm(request, data, source)
            preview = select(
                request.user, home=data["mode"] == "home", override=bool(data.get("override_reason")), **source
            )
            if data["mode"] == "facility":
                space = room(data["facility"], "quarantine", data.get("on") or clock.today())
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
    return render(
        request,
        "care/bulk_new.html",
        {
            "form": form,
            "preview": preview,
            "space": space,
            "chains": _recent_chains(request.user),
            "rules": sorted(preview.rules.items()) if preview else [],  # a Counter in a template answers 0 to .items
            "query": request.GET.urlencode(),
        },
    )


def _confirm(request, data, source):
    if data["mode"] == "facility":
        result = do_bulk_facility_quarantine(
            request.user,
            facility=data["facility"],
            on=data.get("on"),
            overflow=data["overflow"],
            client_id=client_id(request),
            **source,
        )
    else:
        result = do_bulk_home_quarantine(
            request.user, override_reason=data.get("override_reason") or "", client_id=client_id(request), **source
        )
    messages.success(request, _("%(n)s people were ordered into quarantine.") % {"n": result.counts.get("ordered", 0)})
    return redirect("care:bulk", pk=result.batch.pk)


def _batch_or_404(request, pk: int) -> tuple[OrderBatch, list]:
    """A batch page shows the batch's records the user may see; none visible (and not theirs) → 404."""
    batch = OrderBatch.objects.select_related("chain", "cluster", "facility", "created_by").filter(pk=pk).first()
    if batch is None:
        raise Http404
    records = list(batch_orders(batch, request.user).order_by("unit_path", "person__folded_name"))
    if not records and batch.created_by_id != request.user.pk:
        raise Http404
    return batch, records


@capability_required(Cap.CARE_VIEW)
def bulk_detail(request, pk: int):
    batch, records = _batch_or_404(request, pk)
    audit.record_read(request, _("Quarantine batch"), records[:500], obj=batch)
    by_unit = {}
    for record in records:
        by_unit.setdefault(record.unit.name, 0)
        by_unit[record.unit.name] += 1
    return render(
        request,
        "care/bulk_detail.html",
        {"batch": batch, "records": records[:500], "total": len(records), "by_unit": sorted(by_unit.items())},
    )
