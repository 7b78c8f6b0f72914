from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.history import history_entries
from chongdich.core.pagination import paginate_table
from chongdich.core.panels import person_extras
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for, within_unit
from chongdich.people.actions import (
    DuplicateCccd,
    PossibleDuplicate,
    do_add_to_household,
    do_create_household,
    do_create_person,
    do_merge_persons,
    do_remove_from_household,
    do_set_household_head,
    do_update_person,
)
from chongdich.people.exports import export_people
from chongdich.people.forms import MergeForm, PersonFilterForm, PersonForm
from chongdich.people.models import Household, Person, Relation
from chongdich.people.selectors import households_for, people_for, search_people
from chongdich.people.tables import PersonTable
from chongdich.people.transfers import pending_transfers

PAGE_SIZE = 50
AGE_RANGES = {"0-17": (0, 17), "18-49": (18, 49), "50-64": (50, 64), "65-": (65, 150)}


def filtered_people(user, params, capability: str = Cap.PEOPLE_VIEW):
    """People in scope narrowed by the list filters (shared by the page and the export)."""
    form = PersonFilterForm(params)
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    people = people_for(user, capability).select_related("unit")
    if data.get("q"):
        people = search_people(user, data["q"], base=people)
    if data.get("unit"):
        people, _unit = within_unit(people, data["unit"])
    if data.get("sex"):
        people = people.filter(sex=data["sex"])
    if data.get("age") in AGE_RANGES:
        low, high = AGE_RANGES[data["age"]]
        year = clock.today().year
        people = people.filter(birth_year__gte=year - high, birth_year__lte=year - low)
    for field in ("residence_status", "occupation_group"):
        if data.get(field):
            people = people.filter(**{field: data[field]})
    return form, people


@capability_required(Cap.PEOPLE_VIEW)
def person_list(request):
    form, people = filtered_people(request.user, request.GET or None)
    if not (form.is_bound and form.cleaned_data.get("q")):
        people = people.order_by("folded_name", "pk")
    table = PersonTable(people)
    paginate_table(request, table, per_page=PAGE_SIZE)
    audit.record_read(request, _("People list"), table.page.object_list)
    template = "people/_results.html" if request.htmx else "people/list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "table": table,
            "can_create": not scope_for(request.user, Cap.PEOPLE_EDIT).empty,
            "transfers_pending": pending_transfers(request.user) if not request.htmx else 0,
            "can_export": not scope_for(request.user, Cap.PEOPLE_EXPORT).empty,
            "can_import": not scope_for(request.user, Cap.PEOPLE_IMPORT).empty,
        },
    )


@capability_required(Cap.PEOPLE_EXPORT)
def person_export(request):
    _form, people = filtered_people(request.user, request.GET or None, Cap.PEOPLE_EXPORT)
    content, count = export_people(people)
    audit.record_read(
        request, _("Person list"), people, action=audit.AuditAction.EXPORT, count=count, detail={"rows": count}
    )
    return xlsx_response(content, f"danh-sach-nguoi-dan-{clock.today():%Y%m%d}.xlsx")


def _follow_merge(request, pk: int):
    """The record a merged person now lives on, when the user may see it (old links keep working)."""
    seen = set()
    current = Person.objects.for_user(request.user).filter(pk=pk, merged_into__isnull=False).first()
    while current is not None and current.merged_into_id and current.pk not in seen:
        seen.add(current.pk)
        current = Person.objects.for_user(request.user).filter(pk=current.merged_into_id).first()
    return current


@capability_required(Cap.PEOPLE_VIEW)
def person_detail(request, pk: int):
    person = people_for(request.user).select_related("unit", "household", "household__head").filter(pk=pk).first()
    if person is None:
        merged = _follow_merge(request, pk)
        if merged is None:
            raise Http404
        messages.info(request, _("Record #%(old)s was merged into this one.") % {"old": pk})
        return redirect("people:detail", pk=merged.pk)
    members = (
        list(person.household.members.active().exclude(pk=person.pk).select_related("unit"))
        if person.household_id
        else []
    )
    audit.record_read(request, _("Person"), members, obj=person)
    edit_scope = scope_for(request.user, Cap.PEOPLE_EDIT)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "breadcrumbs": person.unit.ancestors(),
            "members": members,
            "can_edit": edit_scope.contains(person.unit_path),
            "can_merge": scope_for(request.user, Cap.PEOPLE_MERGE).contains(person.unit_path),
            "can_audit": scope_for(request.user, Cap.AUDIT_VIEW).contains(person.unit_path),
            "extras": person_extras(request.user, person),
            "merged_from": person.merged_from.all(),
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
        household = get_in_scope_or_404(
            households_for(request.user, Cap.PEOPLE_EDIT),
            pk=request.GET.get("household") or request.POST.get("household"),
        )
    initial = {"unit": household.unit.code, "address": household.address} if household else {}
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    duplicates, references, identity_taken = [], [], False
    if request.method == "POST" and form.is_valid():
        data = form.person_data()
        if household:
            data["household"] = household
        try:
            person, _created = do_create_person(
                request.user,
                unit=form.cleaned_data["unit"],
                data=data,
                client_id=request.POST.get("client_id") or None,
                confirm_new=form.cleaned_data["confirm_new"],
            )
        except DuplicateCccd as exc:
            form.add_error("cccd", exc.messages[0])
            duplicates, references, identity_taken = [p for p in [exc.existing] if p], exc.references, True
        except PossibleDuplicate as exc:
            form.add_error(None, exc.messages[0])
            duplicates, references = exc.matches, exc.references
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": person.full_name})
            return redirect("people:detail", pk=person.pk)
    return _person_form_page(
        request, form, duplicates=duplicates, household=household, references=references, identity_taken=identity_taken
    )


@capability_required(Cap.PEOPLE_EDIT)
def person_edit(request, pk: int):
    person = get_in_scope_or_404(people_for(request.user, Cap.PEOPLE_EDIT).select_related("unit"), pk=pk)
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
        try:
            do_update_person(request.user, person, unit=form.cleaned_data["unit"], data=form.person_data())
        except DuplicateCccd as exc:
            form.add_error("cccd", exc.messages[0])
            references = exc.references
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=person.pk)
    return _person_form_page(request, form, person=person, references=references)


@capability_required(Cap.PEOPLE_MERGE)
def person_merge(request, pk: int):
    people = people_for(request.user, Cap.PEOPLE_MERGE).select_related("unit", "household")
    person = get_in_scope_or_404(people, pk=pk)
    query = request.GET.get("q", "").strip()
    candidates = []
    if query:
        candidates = list(search_people(request.user, query, base=people).exclude(pk=person.pk)[:20])
    else:
        candidates = list(
            people.exclude(pk=person.pk).filter(
                Q(folded_name=person.folded_name, birth_year=person.birth_year) | (Q(phone=person.phone) & ~Q(phone=""))
            )[:20]
        )
    other = None
    other_pk = request.POST.get("other") or request.GET.get("other")
    if other_pk:
        other = get_in_scope_or_404(people.exclude(pk=person.pk), pk=other_pk)
    form = MergeForm(
        request.POST or None,
        people=[person, other] if other else [person],
        initial={"keep": str(_richer(person, other).pk) if other else str(person.pk)},
    )
    if request.method == "POST" and other is not None and form.is_valid():
        keep, remove = (person, other) if form.cleaned_data["keep"] == str(person.pk) else (other, person)
        try:
            do_merge_persons(request.user, keep=keep, remove=remove)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
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
    "full_name",
    "sex",
    "date_of_birth",
    "birth_year",
    "cccd",
    "phone",
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
    person = get_in_scope_or_404(people_for(request.user, Cap.AUDIT_VIEW).select_related("unit"), pk=pk)
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
    household = get_in_scope_or_404(households_for(request.user).select_related("unit", "head"), pk=pk)
    members = sorted(
        household.members.active().select_related("unit"), key=lambda m: (m.pk != household.head_id, m.birth_year, m.pk)
    )
    can_edit = scope_for(request.user, Cap.PEOPLE_EDIT).contains(household.unit_path)
    query = request.GET.get("q", "").strip()
    candidates = []
    if can_edit and query:
        candidates = list(
            search_people(
                request.user, query, base=people_for(request.user, Cap.PEOPLE_EDIT).select_related("unit")
            ).exclude(household=household)[:10]
        )
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
    people = people_for(request.user, Cap.PEOPLE_EDIT)
    person = get_in_scope_or_404(people, pk=request.POST.get("person") or 0)
    action = request.POST.get("action")
    try:
        if action == "head":
            do_set_household_head(request.user, household, person)
        elif action == "remove":
            do_remove_from_household(request.user, household, person)
        elif action == "add":
            do_add_to_household(request.user, household, person, request.POST.get("relation") or Relation.OTHER)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("The household was updated."))
    return redirect("people:household", pk=household.pk)


@require_POST
@capability_required(Cap.PEOPLE_EDIT)
def household_create(request, pk: int):
    """Create a household for a person who has none, with that person as head."""
    person = get_in_scope_or_404(people_for(request.user, Cap.PEOPLE_EDIT).select_related("unit"), pk=pk)
    if person.household_id:
        return redirect("people:household", pk=person.household_id)
    household = do_create_household(request.user, unit=person.unit, address=person.address)
    do_update_person(request.user, person, data={"household": household, "relation": "head"})
    Household.objects.filter(pk=household.pk).update(head=person)
    messages.success(request, _("Household %(code)s was created.") % {"code": household.code})
    return redirect("people:household", pk=household.pk)
