"""Pages of cases (F0), contacts and tracing, clusters and transmission chains.

Thin views: parse → one service or selector call → render.  Out of scope answers 404, a role
without the function 403.  Pages that show personal data (a case, a chain) are audited as views,
exports as exports; searches as searches.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.forms import client_id, submit
from chongdich.core.history import history_entries
from chongdich.core.imports import importer_for
from chongdich.core.pagination import paginate_table
from chongdich.core.redirects import next_url
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user, has_capability, in_scope, scope_for
from chongdich.core.spreadsheets import write_xlsx
from chongdich.people.actions import PossibleDuplicate
from chongdich.surveillance import graph, tracing_sources
from chongdich.surveillance.actions import (
    do_close_case,
    do_confirm_case,
    do_create_cluster,
    do_link_chain,
    do_move_case,
    do_reopen_case,
    do_set_contact_status,
    do_trace_contact,
    do_update_case,
    do_update_cluster,
)
from chongdich.surveillance.exports import export_cases, export_contacts, export_filename
from chongdich.surveillance.filters import CaseFilter, ChainFilter, ClusterFilter, TracingFilter, WorklistFilter
from chongdich.surveillance.forms import (
    CaseEditForm,
    ChainWindowForm,
    CloseCaseForm,
    ClusterForm,
    ConfirmCaseForm,
    ExposureForm,
    MoveCaseForm,
    QuickPersonForm,
)
from chongdich.surveillance.handoffs import case_start_from_sample
from chongdich.surveillance.imports import ContactImporter  # importing it registers the case and F1 list imports
from chongdich.surveillance.selectors import (
    active_case_of,
    case_chain,
    case_contacts,
    case_page_case,
    case_with_unit,
    cases_for,
    chain_clusters,
    cluster_of,
    cluster_page,
    clusters_with_counts,
    confirmable_people,
    contact_counts,
    contact_row,
    editable_case,
    episodes_of,
    latest_case_of,
    person_exposures,
    pick_candidates,
    root_chains,
    traceable_people,
    visible_root,
    weekly_summary,
    with_display,
    work_contacts,
    work_rows,
)
from chongdich.surveillance.tables import CaseTable, ChainTable, ClusterTable, ContactTable
from chongdich.surveillance.tracing import MANUAL_STATUSES

PAGE_SIZE = 50
CONTACTS_ON_CASE_PAGE = 100
TRACING_PAGE_SIZE = 100
PICK_LIMIT = 20


# -- helpers ----------------------------------------------------------------------------------


def _query(request, **changes) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    return params.urlencode()


def _shown(contacts) -> list[int]:
    """The people a contact list names: each contact in scope, and the F1 they came through."""
    ids = []
    for row in contacts:
        if row.in_scope:
            ids.append(row.person_id)
        if getattr(row, "via_in_scope", False):
            ids.append(row.via_id)
    return ids


def _exposure_people(exposures) -> list[int]:
    return [exposure.other.pk for exposure in exposures if exposure.other.in_scope]


def _can_export(user) -> bool:
    return has_capability(user, Cap.PEOPLE_EXPORT) and has_capability(user, Cap.CASES_VIEW)


def _exportable(queryset, user):
    """Only what lies in both the user's case scope and their export scope."""
    if not has_capability(user, Cap.CASES_VIEW):
        raise PermissionDenied
    return for_user(queryset, user, Cap.PEOPLE_EXPORT)


# -- cases ------------------------------------------------------------------------------------


@capability_required(Cap.CASES_VIEW)
def case_list(request):
    filterset = CaseFilter(request.GET or None, cases_for(request.user), user=request.user)
    table = CaseTable(with_display(filterset.qs))
    paginate_table(request, table, per_page=PAGE_SIZE)
    audit.record_read(request, _("Case list"), table.page.object_list)
    template = "surveillance/_case_results.html" if request.htmx else "surveillance/case_list.html"
    return render(
        request,
        template,
        {
            "form": filterset.form,
            "table": table,
            "can_confirm": has_capability(request.user, Cap.CASES_EDIT),
            "can_export": _can_export(request.user),
        },
    )


@capability_required(Cap.PEOPLE_EXPORT)
def case_export(request):
    filterset = CaseFilter(request.GET or None, cases_for(request.user), user=request.user)
    cases = _exportable(filterset.qs, request.user)
    content, count = export_cases(cases)
    audit.record_read(
        request, _("Case list"), cases, action=audit.AuditAction.EXPORT, count=count, detail={"rows": count}
    )
    return xlsx_response(content, export_filename("danh-sach-ca-benh"))


@capability_required(Cap.CASES_VIEW)
def case_detail(request, pk: int):
    case = case_page_case(request.user, pk)
    scope = scope_for(request.user, Cap.CASES_VIEW)
    contacts = work_rows(request.user, case_contacts(case)[:CONTACTS_ON_CASE_PAGE])
    exposures = person_exposures(case.person, scope)
    audit.record_read(
        request, _("Case"), _shown(contacts), _exposure_people(exposures), obj=case, label=case.case_number
    )
    chain = case_chain(case)
    return render(
        request,
        "surveillance/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "breadcrumbs": case.unit.ancestors(),
            "episodes": episodes_of(case),
            "contacts": contacts,
            "counts": contact_counts(case),
            "exposures": exposures,
            "chain": chain,
            "chain_clusters": chain_clusters(chain),
            "can_edit": in_scope(request.user, Cap.CASES_EDIT, case),
            "can_audit": in_scope(request.user, Cap.AUDIT_VIEW, case),
            "can_export": _can_export(request.user),
            "statuses": MANUAL_STATUSES,
        },
    )


@capability_required(Cap.CASES_EDIT)
def case_confirm(request):
    people = confirmable_people(request.user)
    initial, start = {}, None
    code = request.GET.get("sample") or request.POST.get("sample")
    if code:
        start = case_start_from_sample(request.user, code)
        initial = start.initial
    sample = start.record if start else None
    person_id = request.POST.get("person") or request.GET.get("person") or (start.person_id if start else None)
    if not person_id:
        query = request.GET.get("q", "").strip()
        found = pick_candidates(request.user, query, people, limit=PICK_LIMIT)
        if query:
            audit.record_read(request, _("Confirm a case"), found)
        return render(request, "surveillance/case_pick.html", {"query": query, "candidates": found})
    person = get_in_scope_or_404(people, pk=person_id)
    # Where the case was found defaults to the community (most cases); the source must be chosen: an
    # unknown source raises the area's risk level, so it is never assumed either way.
    initial = {"detected_in": "community", **initial}
    form = ConfirmCaseForm(request.POST or None, user=request.user, province_code=person.province_code, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            do_confirm_case,
            request.user,
            person,
            confirmed_on=data["confirmed_on"],
            treatment_place=data["treatment_place"],
            facility=data.get("facility"),
            client_id=client_id(request),
            **form.details(),
        )
        if done:
            case, _created = done.value
            messages.success(request, _("Case %(number)s was recorded.") % {"number": case.case_number})
            return redirect("surveillance:detail", pk=case.pk)
    active = active_case_of(person)
    audit.record_read(request, _("Confirm a case"), obj=person)
    return render(
        request,
        "surveillance/case_form.html",
        {
            "form": form,
            "person": person,
            "sample": sample,
            "active_case": active,
            "creating": True,
            "title": _("Confirm a case"),
        },
    )


@capability_required(Cap.CASES_EDIT)
def case_edit(request, pk: int):
    case = editable_case(request.user, pk)
    form = CaseEditForm(request.POST or None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes or submit(form, do_update_case, request.user, case, **changes):
            messages.success(request, _("Saved.") if changes else _("Nothing was changed."))
            return redirect("surveillance:detail", pk=case.pk)
    audit.record_read(request, _("Edit case"), obj=case)
    return render(
        request,
        "surveillance/case_form.html",
        {"form": form, "case": case, "person": case.person, "title": _("Edit case")},
    )


@capability_required(Cap.CASES_EDIT)
def case_move(request, pk: int):
    case = editable_case(request.user, pk)
    form = MoveCaseForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form, do_move_case, request.user, case, place=data["place"], on=data["on"], facility=data.get("facility")
        ):
            messages.success(request, _("The treatment place was changed."))
            return redirect("surveillance:detail", pk=case.pk)
    audit.record_read(request, _("Move to another treatment place"), obj=case)
    return render(
        request,
        "surveillance/case_action.html",
        {
            "form": form,
            "case": case,
            "title": _("Move to another treatment place"),
            "episodes": episodes_of(case),
        },
    )


@capability_required(Cap.CASES_EDIT)
def case_close(request, pk: int):
    case = editable_case(request.user, pk)
    form = CloseCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, do_close_case, request.user, case, outcome=data["outcome"], on=data["on"]):
            messages.success(request, _("Case %(number)s was closed.") % {"number": case.case_number})
            return redirect("surveillance:detail", pk=case.pk)
    audit.record_read(request, _("Close the case"), obj=case)
    return render(request, "surveillance/case_action.html", {"form": form, "case": case, "title": _("Close the case")})


@require_POST
@capability_required(Cap.CASES_EDIT)
def case_reopen(request, pk: int):
    case = editable_case(request.user, pk)
    if submit(request, do_reopen_case, request.user, case):
        messages.success(request, _("Case %(number)s is under treatment again.") % {"number": case.case_number})
    return redirect("surveillance:detail", pk=case.pk)


@capability_required(Cap.AUDIT_VIEW)
def case_history(request, pk: int):
    case = case_with_unit(request.user, pk, Cap.AUDIT_VIEW)
    audit.record_read(request, _("History"), obj=case)
    return render(
        request,
        "core/trail.html",
        {
            "object": case,
            "breadcrumbs": case.unit.ancestors(),
            "events": audit.trail(case),
            "changes": history_entries(case),
        },
    )


# -- exposures and tracing --------------------------------------------------------------------


def _trace_or_duplicate(actor, **details):
    """``do_trace_contact``, with a possible duplicate of the person registered on the spot given back
    (not a refusal: the page offers the existing person, or a box to confirm a new one)."""
    try:
        return do_trace_contact(actor, **details)
    except PossibleDuplicate as exc:
        return exc


@capability_required(Cap.CASES_EDIT)
def exposure_create(request, pk: int):
    """Record an exposure of a traced person (a case, or an F1 whose contacts are F2) with someone
    found by search or registered on the spot."""
    people = traceable_people(request.user)
    person = get_in_scope_or_404(people, pk=pk)
    case = latest_case_of(person)
    back = next_url(
        request, reverse("surveillance:detail", args=[case.pk]) if case else reverse("people:detail", args=[pk])
    )
    query = request.GET.get("q", "").strip()
    other_id = request.POST.get("other") or request.GET.get("other")
    other = get_in_scope_or_404(people, pk=other_id) if other_id else None
    candidates = [] if other else pick_candidates(request.user, query, people, besides=person, limit=PICK_LIMIT)
    form = ExposureForm(request.POST or None, user=request.user, anchor_name=person.full_name)
    new = QuickPersonForm(request.POST if request.method == "POST" and not other else None, user=request.user)
    duplicates, references = [], []
    if request.method == "POST":
        exposure_ok = form.is_valid()
        person_ok = other is not None or new.is_valid()  # both forms checked: every mistake shown at once
        if exposure_ok and person_ok:
            done = submit(
                form,
                _trace_or_duplicate,
                request.user,
                person=person,
                exposure=form.exposure(),
                other=other,
                new_person=None if other else new.person_data(),
                forward=form.forward,
                client_id=client_id(request),
                confirm_new=bool(other is None and new.cleaned_data.get("confirm_new")),
            )
            if isinstance(done.value, PossibleDuplicate):  # the officer confirms a new person, or picks one
                new.add_error(None, done.value.messages[0])
                duplicates, references = done.value.matches, done.value.references
            elif done:
                messages.success(request, _("The exposure was recorded; contacts were updated."))
                return redirect(back)
    confirm_field = new["confirm_new"] if duplicates or references else None
    new.fields.pop("confirm_new", None)
    audit.record_read(request, _("Record an exposure"), candidates, [other] if other else [], obj=person)
    return render(
        request,
        "surveillance/exposure_form.html",
        {
            "person": person,
            "case": case,
            "form": form,
            "new": new,
            "other": other,
            "query": query,
            "candidates": candidates,
            "duplicates": duplicates,
            "references": references,
            "confirm_field": confirm_field,
            "back": back,
        },
    )


def _contact_page(request, table: ContactTable, *, lazy: bool) -> list:
    """Show the page asked for of a tracing list, its rows marked with what the user may see and do."""
    paginate_table(request, table, per_page=TRACING_PAGE_SIZE, lazy=lazy)
    table.page.object_list = list(table.page.object_list)  # read once: the rows marked are the rows shown
    return work_rows(request.user, [row.record for row in table.page.object_list])


@capability_required(Cap.CASES_VIEW)
def case_tracing(request, pk: int):
    """The tracing work list of one F0: every contact by rank, with one-click status updates."""
    case = get_in_scope_or_404(with_display(cases_for(request.user)), pk=pk)
    filterset = TracingFilter(request.GET or None, case_contacts(case), user=request.user)
    table = ContactTable(filterset.qs)
    rows = _contact_page(request, table, lazy=False)
    sources = tracing_sources.panels(request, case)  # candidate contacts other apps suggest
    audit.record_read(request, _("Contact tracing"), _shown(rows), *(s.people for s in sources), obj=case)
    return render(
        request,
        "surveillance/tracing.html",
        {
            "case": case,
            "sources": sources,
            "form": filterset.form,
            "table": table,
            "counts": contact_counts(case),
            "can_export": _can_export(request.user),
        },
    )


@capability_required(Cap.CASES_VIEW)
def worklist_view(request):
    """Every contact who lives in the user's area, those to find first."""
    filterset = WorklistFilter(request.GET or None, work_contacts(request.user), user=request.user)
    table = ContactTable(filterset.qs, show_case=True, empty_text=_("Nobody to trace with these filters."))
    rows = _contact_page(request, table, lazy=True)
    audit.record_read(request, _("Tracing work list"), _shown(rows))
    return render(
        request,
        "surveillance/worklist.html",
        {"form": filterset.form, "table": table, "can_export": _can_export(request.user)},
    )


@capability_required(Cap.PEOPLE_EXPORT)
def worklist_export(request):
    filterset = WorklistFilter(request.GET or None, work_contacts(request.user), user=request.user)
    contacts = _exportable(filterset.qs, request.user)
    content, count = export_contacts(contacts, request.user)
    audit.record_read(
        request, _("Contact list"), contacts, action=audit.AuditAction.EXPORT, count=count, detail={"rows": count}
    )
    return xlsx_response(content, export_filename("danh-sach-tiep-xuc"))


@capability_required(Cap.PEOPLE_EXPORT)
def case_contacts_export(request, pk: int):
    case = get_in_scope_or_404(cases_for(request.user), pk=pk)
    contacts = _exportable(case_contacts(case), request.user)
    content, count = export_contacts(contacts, request.user)
    audit.record_read(
        request,
        _("Contact list"),
        contacts,
        obj=case,
        action=audit.AuditAction.EXPORT,
        count=count,
        detail={"rows": count, "list": "contacts"},
    )
    return xlsx_response(content, export_filename(f"tiep-xuc-{case.case_number}"))


@capability_required(Cap.CASES_EDIT)
def contacts_template(request, pk: int):
    """The F1 list template with this case's number filled in, for the officer who traces its contacts."""
    case = get_in_scope_or_404(cases_for(request.user), pk=pk)
    importer = importer_for(ContactImporter.kind)
    row = [case.case_number if column.key == "index_case" else column.example for column in importer.columns]
    headers = [str(column.label) for column in importer.columns]
    content = write_xlsx(headers, [row], widths=[max(12, len(h) + 4) for h in headers])
    return xlsx_response(content, f"danh-sach-f1-{case.case_number}.xlsx")


@require_POST
@capability_required(Cap.CASES_EDIT)
def contact_status(request, pk: int):
    contact = contact_row(request.user, pk, Cap.CASES_EDIT)
    status = request.POST.get("status", "")
    if request.htmx:  # the row is replaced in place, a refusal on it; without JavaScript the page reloads
        refusal = forms.Form(data={})
        submit(refusal, do_set_contact_status, request.user, contact, status)
        row = work_rows(request.user, [contact_row(request.user, pk)])[0]
        return render(
            request,
            "surveillance/_contact_row.html",
            {
                "contact": row,
                "statuses": MANUAL_STATUSES,
                "error": " ".join(refusal.non_field_errors()),
                "show_case": request.POST.get("show_case"),
                "next": request.POST.get("next", ""),
            },
        )
    done = submit(request, do_set_contact_status, request.user, contact, status)
    if done:
        contact = done.value
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": contact.person.full_name, "status": contact.get_status_display()},
        )
    return redirect(next_url(request, reverse("surveillance:tracing", args=[contact.index_case_id])))


# -- clusters ---------------------------------------------------------------------------------


@capability_required(Cap.CASES_VIEW)
def cluster_list(request):
    filterset = ClusterFilter(request.GET or None, clusters_with_counts(request.user))
    table = ClusterTable(filterset.qs)
    paginate_table(request, table, per_page=PAGE_SIZE)
    return render(
        request,
        "surveillance/cluster_list.html",
        {"form": filterset.form, "table": table, "can_create": has_capability(request.user, Cap.CASES_EDIT)},
    )


@capability_required(Cap.CASES_VIEW)
def cluster_detail(request, pk: int):
    cluster = cluster_of(request.user, pk)
    can_edit = in_scope(request.user, Cap.CASES_EDIT, cluster)
    if request.method == "POST" and can_edit:
        return _link_chain(request, cluster)
    page = cluster_page(request.user, cluster)
    audit.record_read(request, _("Cluster"), page.cases, obj=cluster)
    return render(
        request,
        "surveillance/cluster_detail.html",
        {
            "cluster": cluster,
            "cases": page.cases,
            "chains": page.chains,
            "totals": page.totals,
            "can_edit": can_edit,
            "breadcrumbs": cluster.unit.ancestors(),
        },
    )


def _link_chain(request, cluster):
    number = request.POST.get("chain", "").strip().lstrip("#")
    root = visible_root(request.user, int(number)) if number.isdigit() else None
    if root is None:
        messages.error(request, _("There is no chain #%(number)s in your area.") % {"number": number})
    elif submit(request, do_link_chain, request.user, cluster, root):
        messages.success(request, _("Chain #%(number)s is linked to this cluster.") % {"number": root.pk})
    return redirect("surveillance:cluster", pk=cluster.pk)


@capability_required(Cap.CASES_EDIT)
def cluster_create(request):
    form = ClusterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(form, do_create_cluster, request.user, unit=form.cleaned_data["unit"], **form.values())
        if done:
            cluster, _created = done.value
            messages.success(request, _("Cluster “%(name)s” was created.") % {"name": cluster.name})
            return redirect("surveillance:cluster", pk=cluster.pk)
    return render(request, "surveillance/cluster_form.html", {"form": form, "title": _("New cluster")})


@capability_required(Cap.CASES_EDIT)
def cluster_edit(request, pk: int):
    cluster = cluster_of(request.user, pk, Cap.CASES_EDIT)
    form = ClusterForm(request.POST or None, user=request.user, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        if submit(form, do_update_cluster, request.user, cluster, unit=form.cleaned_data["unit"], **form.values()):
            messages.success(request, _("Saved."))
            return redirect("surveillance:cluster", pk=cluster.pk)
    return render(request, "surveillance/cluster_form.html", {"form": form, "cluster": cluster, "title": cluster.name})


# -- chains -----------------------------------------------------------------------------------


@capability_required(Cap.CASES_VIEW)
def chain_list(request):
    filterset = ChainFilter(request.GET or None, root_chains(request.user))
    table = ChainTable(filterset.qs, orderable=False)
    paginate_table(request, table, per_page=PAGE_SIZE)
    return render(request, "surveillance/chain_list.html", {"form": filterset.form, "table": table})


@capability_required(Cap.CASES_VIEW)
def chain_detail(request, pk: int):
    root = visible_root(request.user, pk)
    if root is None:
        raise Http404
    if root.pk != pk:  # a chain merged into a bigger one: its page is the bigger one's
        return redirect(f"{reverse('surveillance:chain', args=[root.pk])}?{request.GET.urlencode()}")
    form = ChainWindowForm(request.GET or None)
    view = graph.build(root, request.user, graph.Window(**form.window(root.last_date, root.size, graph.PER_PAGE)))
    audit.record_read(
        request,
        _("Transmission chain"),
        view.nodes,
        obj=root,
        detail={"page_number": view.page, "start": str(view.window.start or ""), "end": str(view.window.end or "")},
    )
    weeks = [
        (
            week,
            _query(
                request,
                start=week.start.isoformat(),
                end=(week.start + timedelta(days=6)).isoformat(),
                page=None,
                all=None,
                case=None,
            ),
        )
        for week in weekly_summary(root)
    ]
    return render(
        request,
        "surveillance/chain_detail.html",
        {
            "chain": root,
            "view": view,
            "form": form,
            "weeks": weeks,
            "clusters": chain_clusters(root),
            "legend": graph.case_legend(),
            "previous_query": _query(request, page=view.page - 1, case=None),
            "next_query": _query(request, page=view.page + 1, case=None),
            "all_query": _query(request, all="on", start=None, end=None, page=None),
        },
    )
