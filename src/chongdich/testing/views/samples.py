"""Samples: list with filters and export, registration (single and pooled), detail with history."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.forms import add_errors, client_id
from chongdich.core.history import history_entries
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import path_filter, scope_for
from chongdich.people.models import Household
from chongdich.people.selectors import people_for, search_people
from chongdich.testing.actions import do_register_pool, do_register_sample
from chongdich.testing.exports import export_samples
from chongdich.testing.filters import SampleFilter
from chongdich.testing.forms import PoolForm, SampleForm
from chongdich.testing.models import LabResult, PoolMember
from chongdich.testing.pools import POOL_LIMIT_CEILING
from chongdich.testing.selectors import samples_for
from chongdich.testing.tables import SampleTable
from chongdich.testing.views.common import PAGE_SIZE

SEARCH_LIMIT = 20
KEPT_FILTERS = ("unit", "tested", "result_from", "result_to")  # not in the form: kept when searching again


def filtered_samples(request, capability: str = Cap.TESTS_VIEW) -> SampleFilter:
    return SampleFilter(request.GET or None, samples_for(request.user, capability), request=request)


@capability_required(Cap.TESTS_VIEW)
def sample_list(request):
    filters = filtered_samples(request)
    samples = filters.results().select_related("person", "lab")
    table = SampleTable(samples, order_by=("-taken_on",))
    paginate_table(request, table, per_page=PAGE_SIZE)
    audit.record_read(request, _("Samples"), table.page.object_list)
    template = "testing/samples/_results.html" if request.htmx else "testing/samples/list.html"
    can_edit = not scope_for(request.user, Cap.TESTS_EDIT).empty
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
    if not query:
        return query, []
    people = people_for(request.user).select_related("unit")
    return query, list(search_people(request.user, query, base=people)[:SEARCH_LIMIT])


@capability_required(Cap.TESTS_EDIT)
def sample_create(request):
    person_pk = request.POST.get("person") or request.GET.get("person")
    if not person_pk:
        query, found = _person_search(request)
        if query:
            audit.record_read(request, _("Register a sample"), found)
        return render(request, "testing/samples/choose_person.html", {"query": query, "found": found})
    person = get_in_scope_or_404(people_for(request.user).select_related("unit"), pk=person_pk)
    form = SampleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample, _created = do_register_sample(
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
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Sample %(code)s was registered.") % {"code": sample.code})
            return redirect("testing:sample", pk=sample.pk)
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
    people = people_for(request.user).select_related("unit")
    ids = _member_ids(source.getlist("m"))
    if request.GET.get("household"):
        household = get_in_scope_or_404(Household.objects.for_user(request.user), pk=request.GET["household"])
        ids += [pk for pk in household.members.active().order_by("pk").values_list("pk", flat=True) if pk not in ids]
    ids = ids[: POOL_LIMIT_CEILING + 5]  # enough to show the “too many” message, not an unbounded query
    by_pk = {p.pk: p for p in people.filter(pk__in=ids)}
    members = [by_pk[pk] for pk in ids if pk in by_pk]
    query, found = _person_search(request) if request.method == "GET" else ("", [])

    def link(member_ids: list[int]) -> str:
        return "?" + urlencode([("m", pk) for pk in member_ids] + ([("q", query)] if query else []))

    candidates = [(p, link([*ids, p.pk])) for p in found if p.pk not in ids]
    removals = [(m, link([pk for pk in ids if pk != m.pk])) for m in members]
    form = PoolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pool, _created = do_register_pool(
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
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Pool %(code)s of %(count)s people was registered.") % {"code": pool.code, "count": len(members)},
            )
            return redirect("testing:sample", pk=pool.pk)
    if members or found:
        audit.record_read(request, _("Pooled sample"), members, found)
    return render(
        request,
        "testing/samples/pool_form.html",
        {"form": form, "members": removals, "member_ids": ids, "query": query, "candidates": candidates},
    )


@capability_required(Cap.TESTS_VIEW)
def sample_detail(request, pk: int):
    sample = get_in_scope_or_404(
        samples_for(request.user).select_related("person", "unit", "lab", "campaign", "pool", "created_by"), pk=pk
    )
    # A pool may gather people of several areas: each user sees the members and re-tests of theirs only.
    people = path_filter(scope_for(request.user, Cap.PEOPLE_VIEW), "person__unit_path")
    members = PoolMember.objects.filter(pool=sample).select_related("person", "person__unit").order_by("pk")
    retests = samples_for(request.user).filter(pool=sample).select_related("person").order_by("pk")
    if people is not None:
        members, retests = members.filter(people), retests.filter(people)
    members, retests = list(members), list(retests)
    audit.record_read(request, _("Sample"), members, retests, obj=sample)
    return render(
        request,
        "testing/samples/detail.html",
        {
            "sample": sample,
            "breadcrumbs": sample.unit.ancestors(),
            "members": members,
            "retests": retests,
            "lab_results": LabResult.objects.filter(sample_code=sample.code).order_by("-received_at"),
            "changes": history_entries(sample),
            "can_edit": scope_for(request.user, Cap.TESTS_EDIT).contains(sample.unit_path),
            "can_see_people": not scope_for(request.user, Cap.PEOPLE_VIEW).empty,
        },
    )
