from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required, get_for_user_or_404
from chongdich.core.forms import client_id, submit
from chongdich.core.history import history_entries
from chongdich.core.pagination import paginate_table
from chongdich.core.panels import person_extras
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, in_scope
from chongdich.people import selectors
from chongdich.people.actions import (
    DuplicateCccd,
    PossibleDuplicate,
    do_add_to_household,
    do_create_person,
    do_merge_persons,
    do_remove_from_household,
    do_set_household_head,
    do_start_household,
    do_update_person,
)
from chongdich.people.exports import export_people
from chongdich.people.filters import PersonFilter
from chongdich.people.forms import MergeForm, PersonForm
from chongdich.people.models import IDENTITY_FIELDS, Household, Person, Relation
from chongdich.people.tables import PersonTable

PAGE_SIZE = 50


@capability_required(Cap.PEOPLE_VIEW)
def person_list(request):
    filters = PersonFilter(request.GET or None, user=request.user)
    table = PersonTable(filters.people)
    paginate_table(request, table, per_page=PAGE_SIZE)
    audit.record_read(request, _("People list"), table.page.object_list)
    template = "people/_results.html" if request.htmx else "people/list.html"
    return render(
        request,
        template,
        {
            "form": filters.form,
            "table": table,
            "can_create": has_capability(request.user, Cap.PEOPLE_EDIT),
            "transfers_pending": selectors.pending_transfers(request.user) if not request.htmx else 0,
            "can_export": has_capability(request.user, Cap.PEOPLE_EXPORT),
            "can_import": has_capability(request.user, Cap.PEOPLE_IMPORT),
        },
    )


@capability_required(Cap.PEOPLE_EXPORT)
def person_export(request):
    people = PersonFilter(request.GET or None, user=request.user, capability=Cap.PEOPLE_EXPORT).people
    content, count = export_people(people)
    audit.record_read(
        request, _("Person list"), people, action=audit.AuditAction.EXPORT, count=count, detail={"rows": count}
    )
    return xlsx_response(content, f"danh-sach-nguoi-dan-{clock.today():%Y%m%d}.xlsx")


@capability_required(Cap.PEOPLE_VIEW)
def person_detail(request, pk: int):
    person = selectors.person_page(request.user, pk)
    if person is None:
        merged = selectors.follow_merge(request.user, pk)
        if merged is None:
            raise Http404
        messages.info(request, _("Record #%(old)s was merged into this one.") % {"old": pk})
        return redirect("people:detail", pk=merged.pk)
    members = selectors.fellow_members(person)
    audit.record_read(request, _("Person"), members, obj=person)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "breadcrumbs": person.unit.ancestors(),
            "members": members,
            "can_edit": in_scope(request.user, Cap.PEOPLE_EDIT, person),
            "can_merge": in_scope(request.user, Cap.PEOPLE_MERGE, person),
            "can_audit": in_scope(request.user, Cap.AUDIT_VIEW, person),
            "extras": person_extras(request.user, person),
            "merged_from": selectors.merged_from(person),
        },
    )


def _person_form_page(request, form, person=None, duplicates=(), household=None, references=(), identity_taken=False):
    # The "this is a different person" box belongs next to the duplicate warning, not at the form's end;
    # a citizen ID already registered is the same person whatever the officer confirms, so no box then.
    confirm_field = form["confirm_new"] if "confirm_new" in form.fields and not identity_taken else None
    form.fields.pop("confirm_new", None)
    if person is not None:
        audit.record_read(request, _("Edit person"), obj=person)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "person": person,
            "duplicates": duplicates,
            "household": household,
            "confirm_field": confirm_field,
            "references": references,
        },
    )


@capability_required(Cap.PEOPLE_EDIT)
def person_create(request):
    household = None
    if request.GET.get("household") or request.POST.get("household"):
        household = get_for_user_or_404(
            selectors.households(),
            request.user,
            Cap.PEOPLE_EDIT,
            pk=request.GET.get("household") or request.POST.get("household"),
        )
    initial = {"unit": household.unit.code, "address": household.address} if household else {}
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    duplicates, references, identity_taken = [], [], False
    if request.method == "POST" and form.is_valid():
        data = form.person_data()
        if household:
            data["household"] = household
        done = submit(
            form,
            do_create_person,
            request.user,
            unit=form.cleaned_data["unit"],
            data=data,
            client_id=client_id(request),
            confirm_new=form.cleaned_data["confirm_new"],
        )
        if done:
            person, _created = done.value
            messages.success(request, _("%(name)s was registered.") % {"name": person.full_name})
            return redirect("people:detail", pk=person.pk)
        if isinstance(done.error, DuplicateCccd):
            duplicates, references, identity_taken = (
                [p for p in [done.error.existing] if p],
                done.error.references,
                True,
            )
        elif isinstance(done.error, PossibleDuplicate):
            duplicates, references = done.error.matches, done.error.references
    return _person_form_page(
        request, form, duplicates=duplicates, household=household, references=references, identity_taken=identity_taken
    )


@capability_required(Cap.PEOPLE_EDIT)
def person_edit(request, pk: int):
    person = get_for_user_or_404(selectors.people(), request.user, Cap.PEOPLE_EDIT, pk=pk)
    initial = {
        "full_name": person.full_name,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "birth_year": person.birth_year,
        "cccd": person.cccd or "",
        "phone": person.phone_display,
        "unit": person.unit.code,
        "address": person.address,
        "residence_status": person.residence_status,
        "occupation_group": person.occupation_group,
        "relation": person.relation,
        "notes": person.notes,
    }
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    form.fields.pop("confirm_new")
    references = []
    if request.method == "POST" and form.is_valid():
        done = submit(
            form, do_update_person, request.user, person, unit=form.cleaned_data["unit"], data=form.person_data()
        )
        if done:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=person.pk)
        if isinstance(done.error, DuplicateCccd):
            references = done.error.references
    return _person_form_page(request, form, person=person, references=references)


@capability_required(Cap.PEOPLE_MERGE)
def person_merge(request, pk: int):
    person = get_for_user_or_404(selectors.mergeable(), request.user, Cap.PEOPLE_MERGE, pk=pk)
    query = request.GET.get("q", "").strip()
    candidates = selectors.merge_candidates(request.user, person, query)
    other = None
    other_pk = request.POST.get("other") or request.GET.get("other")
    if other_pk:
        other = get_for_user_or_404(selectors.merge_partners(person), request.user, Cap.PEOPLE_MERGE, pk=other_pk)
    form = MergeForm(
        request.POST or None,
        people=[person, other] if other else [person],
        initial={"keep": str(_richer(person, other).pk) if other else str(person.pk)},
    )
    if request.method == "POST" and other is not None and form.is_valid():
        keep, remove = (person, other) if form.cleaned_data["keep"] == str(person.pk) else (other, person)
        if submit(request, do_merge_persons, request.user, keep=keep, remove=remove):
            messages.success(request, _("The two records were merged into %(name)s.") % {"name": keep})
            return redirect("people:detail", pk=keep.pk)
    audit.record_read(request, _("Merge people"), candidates, [other] if other else [], obj=person)
    return render(
        request,
        "people/merge.html",
        {
            "person": person,
            "other": other,
            "candidates": candidates,
            "query": query,
            "form": form,
            "keep_default": form.initial.get("keep"),
            "different_ids": bool(other and person.cccd and other.cccd and person.cccd != other.cccd),
            "fields": _comparison(person, other) if other else [],
        },
    )


COMPARED_FIELDS = (
    *IDENTITY_FIELDS,
    "unit",
    "household",
    "address",
    "residence_status",
    "occupation_group",
)


def _comparison(a: Person, b: Person) -> list[tuple[str, str, str]]:
    rows = []
    for field in COMPARED_FIELDS:
        label = _("Lives in") if field == "unit" else capfirst(Person._meta.get_field(field).verbose_name)
        rows.append((label, _shown(a, field), _shown(b, field)))
    return rows


def _shown(person: Person, field: str) -> str:
    if field == "phone":
        return person.phone_display or "—"
    if field == "date_of_birth":
        return date_format(person.date_of_birth, "SHORT_DATE_FORMAT") if person.date_of_birth else "—"
    display = getattr(person, f"get_{field}_display", None)
    value = display() if display else getattr(person, field)
    return str(value) if value not in (None, "") else "—"


def _richer(a: Person, b: Person) -> Person:
    """The record to keep by default: the one with a CCCD, then the one with more filled fields."""

    def score(p: Person) -> tuple:
        return (
            bool(p.cccd),
            sum(1 for f in COMPARED_FIELDS if getattr(p, f"{f}_id", getattr(p, f, None)) not in (None, "")),
            -p.pk,
        )

    return max((a, b), key=score)


@capability_required(Cap.AUDIT_VIEW)
def person_history(request, pk: int):
    person = get_for_user_or_404(selectors.people(), request.user, Cap.AUDIT_VIEW, pk=pk)
    audit.record_read(request, _("History"), obj=person)
    return render(
        request,
        "core/trail.html",
        {
            "object": person,
            "breadcrumbs": person.unit.ancestors(),
            "events": audit.trail(person),
            "changes": history_entries(person),
        },
    )


@capability_required(Cap.PEOPLE_VIEW)
def household_detail(request, pk: int):
    household = get_for_user_or_404(selectors.households(), request.user, Cap.PEOPLE_VIEW, pk=pk)
    members = selectors.household_members(household)
    can_edit = in_scope(request.user, Cap.PEOPLE_EDIT, household)
    query = request.GET.get("q", "").strip()
    candidates = selectors.household_candidates(request.user, household, query) if can_edit and query else []
    if request.method == "POST" and can_edit:
        return _household_action(request, household)
    audit.record_read(request, _("Household"), members, candidates, obj=household)
    return render(
        request,
        "people/household.html",
        {
            "household": household,
            "members": members,
            "breadcrumbs": household.unit.ancestors(),
            "can_edit": can_edit,
            "query": query,
            "candidates": candidates,
            "relations": [(value, label) for value, label in Relation.choices if value != Relation.HEAD],
        },
    )


def _household_action(request, household: Household):
    """Set the head, remove a member or add an existing person (one POST form each)."""
    person = get_for_user_or_404(selectors.people(), request.user, Cap.PEOPLE_EDIT, pk=request.POST.get("person") or 0)
    action = request.POST.get("action")
    if action == "head":
        done = submit(request, do_set_household_head, request.user, household, person)
    elif action == "remove":
        done = submit(request, do_remove_from_household, request.user, household, person)
    elif action == "add":
        relation = request.POST.get("relation") or Relation.OTHER
        done = submit(request, do_add_to_household, request.user, household, person, relation)
    else:
        raise Http404
    if done:
        messages.success(request, _("The household was updated."))
    return redirect("people:household", pk=household.pk)


@require_POST
@capability_required(Cap.PEOPLE_EDIT)
def household_create(request, pk: int):
    """Create a household for a person who has none, with that person as head."""
    person = get_for_user_or_404(selectors.people(), request.user, Cap.PEOPLE_EDIT, pk=pk)
    done = submit(request, do_start_household, request.user, person)
    if not done:
        return redirect("people:detail", pk=person.pk)
    household, created = done.value
    if created:
        messages.success(request, _("Household %(code)s was created.") % {"code": household.code})
    return redirect("people:household", pk=household.pk)
