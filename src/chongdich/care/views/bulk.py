"""Care pages: thin views (parse → one service or selector call → render)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.care.actions import do_bulk_facility_quarantine, do_bulk_home_quarantine, select
from chongdich.care.actions.stays import room
from chongdich.care.forms import BulkForm
from chongdich.care.selectors import batch_page, open_clusters, recent_chains, unclosed_facilities
from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.surveillance.chains import root


def _source(data):
    if data["source"] == "chain":
        chain = root(data["chain"])
        if chain is None:
            raise ValidationError({"chain": _("There is no chain #%(n)s.") % {"n": data["chain"]}})
        return {"chain": chain}
    return {"cluster": data["cluster"]}


def _preview(user, data):
    """Who would be ordered into quarantine, and the beds of the facility (or None) on the day."""
    preview = select(user, home=data["mode"] == "home", override=bool(data.get("override_reason")), **_source(data))
    space = (
        room(data["facility"], "quarantine", data.get("on") or clock.today()) if data["mode"] == "facility" else None
    )
    return preview, space


def _confirm(request, data):
    source = _source(data)
    if data["mode"] == "facility":
        return do_bulk_facility_quarantine(
            request.user,
            facility=data["facility"],
            on=data.get("on"),
            overflow=data["overflow"],
            client_id=client_id(request),
            **source,
        )
    return do_bulk_home_quarantine(
        request.user, override_reason=data.get("override_reason") or "", client_id=client_id(request), **source
    )


@capability_required(Cap.CARE_EDIT)
def bulk_new(request):
    """Choose a chain or a cluster and a kind of order → preview the counts → confirm (POST)."""
    if not has_capability(request.user, Cap.CASES_VIEW):
        raise PermissionDenied
    # The choices travel in the query string; confirming POSTs to the same address with a client id only.
    form = BulkForm(
        request.GET if "source" in request.GET else None,
        clusters=open_clusters(request.user),
        facilities=unclosed_facilities(request.user),
    )
    preview = space = None
    if form.is_bound and form.is_valid():
        if request.method == "POST":
            done = submit(form, _confirm, request, form.cleaned_data)
            if done:
                result = done.value
                messages.success(
                    request,
                    _("%(n)s people were ordered into quarantine.") % {"n": result.counts.get("ordered", 0)},
                )
                return redirect(result.batch)
        else:
            done = submit(form, _preview, request.user, form.cleaned_data)
            if done:
                preview, space = done.value
    return render(
        request,
        "care/bulk_new.html",
        {
            "form": form,
            "preview": preview,
            "space": space,
            "chains": recent_chains(request.user),
            "rules": sorted(preview.rules.items()) if preview else [],  # a Counter in a template answers 0 to .items
            "query": request.GET.urlencode(),
        },
    )


@capability_required(Cap.CARE_VIEW)
def bulk_detail(request, pk: int):
    batch, records = batch_page(request.user, pk)
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
