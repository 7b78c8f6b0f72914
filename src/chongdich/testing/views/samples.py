"""Samples: list with filters and export, registration (single and pooled), detail with history."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.history import history_entries
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, in_scope
from chongdich.testing.actions import do_register_pool, do_register_sample
from chongdich.testing.exports import export_samples
from chongdich.testing.filters import SampleFilter
from chongdich.testing.forms import PoolForm, SampleForm
from chongdich.testing.models import POOL_LIMIT_CEILING
from chongdich.testing.selectors import (
    household_member_ids,
    lab_results_of,
    people_by_ids,
    people_matching,
    person_page,
    pool_people,
    sample_page,
    samples_for,
)
from chongdich.testing.tables import SampleTable
from chongdich.testing.views.common import PAGE_SIZE

SEARCH_LIMIT = 20
KEPT_FILTERS = ("unit", "tested", "result_from", "result_to")  # not in the form: kept when searching again


def filtered_samples(request, capability: str = Cap.TESTS_VIEW) -> SampleFilter:
    return SampleFilter(request.GET or None, samples_for(request.user, capability), request=request)


@capability_required(Cap.TESTS_VIEW)
def sample_list(request):
    filters = filtered_samples(request)
    table = SampleTable(filters.rows(), order_by=("-taken_on",))
    paginate_table(request, table, per_page=PAGE_SIZE)
    audit.record_read(request, _("Samples"), table.page.object_list)
    template = "testing/samples/_results.html" if request.htmx else "testing/samples/list.html"
    can_edit = has_capability(request.user, Cap.TESTS_EDIT)
    kept = [(name, request.GET[name]) for name in KEPT_FILTERS if request.GET.get(name)]  # a dashboard link's
    return render(request, template, {"filter": filters, "table": table, "can_edit": can_edit, "kept_filters": kept})


@capability_required(Cap.TESTS_VIEW)
def sample_export(request):
    filters = filtered_samples(request)
    content, count = export_samples(filters.results())
    audit.record_read(
        request, _("Samples"), filters.results(), action=audit.AuditAction.EXPORT, count=count, detail={"rows": count}
    )
    return xlsx_response(content, f"danh-sach-mau-xet-nghiem-{clock.today():%Y%m%d}.xlsx")


def _person_search(request) -> tuple[str, list]:
    """The “whose sample?” search shown before the form (no JavaScript needed)."""
    query = request.GET.get("q", "").strip()
    return query, people_matching(request.user, query, SEARCH_LIMIT)


@capability_required(Cap.TESTS_EDIT)
def sample_create(request):
    person_pk = request.POST.get("person") or request.GET.get("person")
    if not person_pk:
        query, found = _person_search(request)
        if query:
            audit.record_read(request, _("Register a sample"), found)
        return render(request, "testing/samples/choose_person.html", {"query": query, "found": found})
    person = person_page(request.user, person_pk)
    form = SampleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            do_register_sample,
            request.user,
            person=person,
            kind=data["kind"],
            reason=data["reason"],
            taken_on=data["taken_on"],
            lab=data["lab"],
            campaign=data["campaign"],
            code=data["code"],
            result=data["result"],
            client_id=client_id(request),
        )
        if done:
            sample, _created = done.value
            messages.success(request, _("Sample %(code)s was registered.") % {"code": sample.code})
            return redirect(sample)
    audit.record_read(request, _("Register a sample"), obj=person)
    return render(request, "testing/samples/form.html", {"form": form, "person": person})


def _member_ids(values) -> list[int]:
    ids = []
    for value in values:
        if str(value).isdigit() and int(value) not in ids:
            ids.append(int(value))
    return ids


@capability_required(Cap.TESTS_EDIT)
def pool_create(request):
    """Build a pool without JavaScript: the chosen people travel in the URL (``m``), search adds more."""
    source = request.POST if request.method == "POST" else request.GET
    ids = _member_ids(source.getlist("m"))
    if request.GET.get("household"):
        ids += [pk for pk in household_member_ids(request.user, request.GET["household"]) if pk not in ids]
    ids = ids[: POOL_LIMIT_CEILING + 5]  # enough to show the “too many” message, not an unbounded query
    members = people_by_ids(request.user, ids)
    query, found = _person_search(request) if request.method == "GET" else ("", [])

    def link(member_ids: list[int]) -> str:
        return "?" + urlencode([("m", pk) for pk in member_ids] + ([("q", query)] if query else []))

    candidates = [(p, link([*ids, p.pk])) for p in found if p.pk not in ids]
    removals = [(m, link([pk for pk in ids if pk != m.pk])) for m in members]
    form = PoolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            do_register_pool,
            request.user,
            members=members,
            reason=data["reason"],
            taken_on=data["taken_on"],
            unit=data["unit"],
            lab=data["lab"],
            campaign=data["campaign"],
            code=data["code"],
            limit=data["limit"],
            client_id=client_id(request),
        )
        if done:
            pool, _created = done.value
            messages.success(
                request,
                _("Pool %(code)s of %(count)s people was registered.") % {"code": pool.code, "count": len(members)},
            )
            return redirect(pool)
    if members or found:
        audit.record_read(request, _("Pooled sample"), members, found)
    return render(
        request,
        "testing/samples/pool_form.html",
        {"form": form, "members": removals, "member_ids": ids, "query": query, "candidates": candidates},
    )


@capability_required(Cap.TESTS_VIEW)
def sample_detail(request, pk: int):
    sample = sample_page(request.user, pk)
    members, retests = pool_people(request.user, sample)
    audit.record_read(request, _("Sample"), members, retests, obj=sample)
    return render(
        request,
        "testing/samples/detail.html",
        {
            "sample": sample,
            "breadcrumbs": sample.unit.ancestors(),
            "members": members,
            "retests": retests,
            "lab_results": lab_results_of(sample),
            "changes": history_entries(sample),
            "can_edit": in_scope(request.user, Cap.TESTS_EDIT, sample),
            "can_see_people": has_capability(request.user, Cap.PEOPLE_VIEW),
        },
    )
