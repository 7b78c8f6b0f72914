"""The ``do_*`` actions that write people, households and transfer requests: validate, scope-check,
write, audit.

Transfer requests: an officer who found that the person they were registering is already registered
in another area asks the lowest level above both areas to move the record to their area.  The
requester never learns more than the duplicate warning told them ("registered in another area"): the
request names the warning by its reference (the audit event).  The officers of the common level see
the person and decide; an approval moves the person with ``do_update_person`` (audited, with history),
leaving behind a household of the old area.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chongdich.core import audit, clock, dates
from chongdich.core.recorded import replay, user_or_none
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.people.duplicates import Found, disclose, reference_of, similar_people
from chongdich.people.models import IDENTITY_FIELDS, Household, Person, Relation, TransferRequest, TransferStatus
from chongdich.people.selectors import current_record, deciders_scope_contains
from chongdich.people.validation import clean_cccd_field, clean_phone_field
from chongdich.territory.models import AdminUnit

PERSON_FIELDS = (
    *IDENTITY_FIELDS,
    "household",
    "relation",
    "address",
    "residence_status",
    "occupation_group",
    "notes",
)


class DuplicateCccd(ValidationError):
    """The citizen ID is taken: by a person the user may see (``existing``), or by one in another area
    (``references``: the audited warning, with which the user can ask for a transfer)."""

    field = "cccd"  # shown on the citizen ID field of a form

    def __init__(self, cccd: str, found: Found):
        self.existing = found.named[0] if found.named else None
        self.references = found.elsewhere
        if self.existing is not None:
            message = _(
                "The citizen ID %(cccd)s is already registered to %(name)s. Open that record instead of creating a new one."
            ) % {"cccd": cccd, "name": self.existing}
        else:
            message = _(
                "The citizen ID %(cccd)s is already registered in another area (reference %(ref)s). If this person now lives in your area, ask for a transfer."
            ) % {"cccd": cccd, "ref": ", ".join(map(str, self.references))}
        super().__init__(message, code="cccd_taken")


class PossibleDuplicate(ValidationError):
    """Probably a person registered before: ``matches`` the user may see, ``references`` for the others."""

    def __init__(self, found: Found):
        self.matches = found.named
        self.references = found.elsewhere
        messages = []
        if self.matches:
            messages.append(
                _(
                    "A person with the same name and year of birth is already registered with the same phone, in the same village or in the same household. Open it, or confirm that this is a different person."
                )
            )
        if self.references:
            messages.append(
                _(
                    "A person with the same name, year of birth and phone is already registered in another area (reference %(ref)s). If it is the same person, ask for a transfer; otherwise confirm that this is a different person."
                )
                % {"ref": ", ".join(map(str, self.references))}
            )
        super().__init__(" ".join(messages), code="possible_duplicate")


def _outside_area() -> str:
    return _("You may only record people who live in your area.")


def check_can_edit_in(actor, unit) -> None:
    if not in_scope(actor, Cap.PEOPLE_EDIT, unit):
        refusal = PermissionDenied(_outside_area())
        refusal.field = "unit"  # shown on the unit field of a form
        raise refusal


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if data.get("date_of_birth"):
        data["birth_year"] = data["date_of_birth"].year
    if not data.get("birth_year"):
        raise ValidationError({"birth_year": _("Enter the date of birth or at least the year of birth.")})
    dates.check("person.date_of_birth", data.get("date_of_birth"))
    first, last = dates.year_bounds()
    if not first <= data["birth_year"] <= last:
        raise ValidationError(
            {
                "birth_year": _("The year of birth must be between %(first)s and %(last)s.")
                % {"first": first, "last": last}
            }
        )
    data["cccd"] = clean_cccd_field(data.get("cccd"), sex=data.get("sex"), birth_year=data["birth_year"])
    data["phone"] = clean_phone_field(data.get("phone"))
    return data


def check_person_is_new(actor, *, unit, data: dict[str, Any], confirm_new: bool = False, channel: str = "web") -> None:
    """Raise ``DuplicateCccd`` or (unless ``confirm_new``) ``PossibleDuplicate`` for validated ``data``.

    Call it outside any transaction that the refusal rolls back: the warning about a person of another
    area is audited, and the audit event must stay.
    """
    typed = {"channel": channel, "wanted_unit": unit, "typed_name": data["full_name"]}
    if data["cccd"]:
        taken = Person.objects.filter(cccd=data["cccd"]).first()
        if taken is not None:
            raise DuplicateCccd(data["cccd"], disclose(actor, [taken], match="cccd", **typed))
    if not confirm_new:
        matches = similar_people(
            full_name=data["full_name"],
            birth_year=data["birth_year"],
            date_of_birth=data.get("date_of_birth"),
            phone=data["phone"],
            unit=unit,
            household=data.get("household"),
        )
        if matches:
            raise PossibleDuplicate(disclose(actor, matches, match="similar", **typed))


def do_create_person(
    actor, *, unit, data: dict[str, Any], client_id: str | None = None, confirm_new: bool = False, channel: str = "web"
) -> tuple[Person, bool]:
    """Create a person; returns (person, created).  A re-sent ``client_id`` returns the original.

    A citizen ID already registered raises ``DuplicateCccd``; a probable twin (``similar_people``) raises
    ``PossibleDuplicate`` unless ``confirm_new``; both say only what ``duplicates.disclose`` allows.
    """
    existing = replay(actor, Person, client_id, capability=Cap.PEOPLE_EDIT, refusal=_outside_area())
    if existing is not None:
        return existing, False
    data = precheck_new_person(actor, unit=unit, data=data, confirm_new=confirm_new, channel=channel)
    return _create_person(actor, unit, data, client_id), True


def precheck_new_person(
    actor, *, unit, data: dict[str, Any], confirm_new: bool = False, channel: str = "web", client_id: str | None = None
) -> dict[str, Any]:
    """Everything ``do_create_person`` refuses before it writes (scope, input, duplicates), for callers
    that create a person inside a larger transaction: call it first, outside.  Returns the clean data."""
    if client_id and replay(actor, Person, client_id, capability=Cap.PEOPLE_EDIT, refusal=_outside_area()):
        return data  # a re-sent form: the person exists and is returned, no warning about them
    check_can_edit_in(actor, unit)
    data = _validated(data)
    check_person_is_new(actor, unit=unit, data=data, confirm_new=confirm_new, channel=channel)  # before the transaction
    return data


@transaction.atomic
def _create_person(actor, unit, data: dict[str, Any], client_id: str | None) -> Person:
    person = Person().stamp(actor, client_id)
    for field in PERSON_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    person.place_in(unit)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent insert of the same CCCD or client id
        raise ValidationError(_("This person was just registered by someone else; search again.")) from exc
    if person.household_id and person.relation == Relation.HEAD and not person.household.head_id:
        Household.objects.filter(pk=person.household_id).update(head=person)
    audit.record(actor, audit.AuditAction.CREATE, person)
    return person


def do_update_person(actor, person: Person, *, unit=None, data: dict[str, Any]) -> Person:
    check_can_edit_in(actor, person.unit)
    if unit is not None and unit.pk != person.unit_id:
        check_can_edit_in(actor, unit)
    merged = {field: getattr(person, field) for field in PERSON_FIELDS}
    merged.update(data)
    cleaned = _validated(merged)
    taken = Person.objects.filter(cccd=cleaned["cccd"]).exclude(pk=person.pk).first() if cleaned["cccd"] else None
    if taken is not None:  # checked before the transaction: the warning's audit must stay
        raise DuplicateCccd(
            cleaned["cccd"],
            disclose(
                actor,
                [taken],
                match="cccd",
                channel="web",
                wanted_unit=unit or person.unit,
                typed_name=cleaned["full_name"],
            ),
        )
    return _update_person(actor, person, unit, cleaned)


@transaction.atomic
def _update_person(actor, person: Person, unit, cleaned: dict[str, Any]) -> Person:
    changed = {}
    for field in PERSON_FIELDS:
        if field in cleaned and getattr(person, field) != cleaned[field]:
            changed[field] = [str(getattr(person, field)), str(cleaned[field])]
            setattr(person, field, cleaned[field])
    if unit is not None and unit.pk != person.unit_id:
        changed["unit"] = [person.unit.code, unit.code]
        person.place_in(unit)
    if changed:
        person._history_user = actor
        person.save()
        audit.record(actor, audit.AuditAction.UPDATE, person, detail={"changed": changed})
    return person


@transaction.atomic
def do_create_household(actor, *, unit, address: str = "", code: str = "") -> Household:
    check_can_edit_in(actor, unit)
    household = Household(address=address, code=code or next_household_code(unit))
    household.place_in(unit)
    household._history_user = actor
    household.save()
    audit.record(actor, audit.AuditAction.CREATE, household)
    return household


@transaction.atomic
def do_start_household(actor, person: Person) -> tuple[Household, bool]:
    """A household for ``person``, who has none, with them as its head: (household, created).  A person
    already in a household (a re-sent form) gets theirs back, and nothing is written."""
    # Lock the person's row only: PostgreSQL cannot lock the nullable side of the household join.
    person = Person.objects.select_for_update(of=("self",)).select_related("unit", "household").get(pk=person.pk)
    if person.household_id:
        return person.household, False
    check_can_edit_in(actor, person.unit)
    household = do_create_household(actor, unit=person.unit, address=person.address)
    do_update_person(actor, person, data={"household": household, "relation": Relation.HEAD})
    household.head = person
    household._history_user = actor
    household.save(update_fields=["head"])
    audit.record(actor, audit.AuditAction.UPDATE, household, detail={"head": person.pk})
    return household, True


def next_household_code(unit) -> str:
    prefix = (unit.commune_code or unit.code) + "-H"
    last = Household.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def do_set_household_head(actor, household: Household, person: Person) -> Household:
    check_can_edit_in(actor, household.unit)
    if person.household_id != household.pk:
        raise ValidationError(_("The head of household must be a member of the household."))
    previous = household.head
    if previous is not None and previous.pk != person.pk and previous.relation == Relation.HEAD:
        do_update_person(actor, previous, data={"relation": Relation.OTHER})
    if person.relation != Relation.HEAD:
        do_update_person(actor, person, data={"relation": Relation.HEAD})
    household.head = person
    household._history_user = actor
    household.save()
    audit.record(actor, audit.AuditAction.UPDATE, household, detail={"head": person.pk})
    return household


def _eldest_other_member(household: Household, *exclude: Person) -> Person | None:
    return household.members.active().exclude(pk__in=[p.pk for p in exclude]).order_by("birth_year", "pk").first()


@transaction.atomic
def do_add_to_household(actor, household: Household, person: Person, relation: str) -> Person:
    """Move a person into a household (from none or from another one, whose headship is handed over)."""
    check_can_edit_in(actor, household.unit)
    check_can_edit_in(actor, person.unit)
    if person.household_id == household.pk:
        raise ValidationError(_("%(name)s is already a member of this household.") % {"name": person.full_name})
    for old in Household.objects.filter(head=person):
        old.head = _eldest_other_member(old, person)
        old.save(update_fields=["head"])
    do_update_person(actor, person, data={"household": household, "relation": relation or Relation.OTHER})
    if not household.head_id and relation == Relation.HEAD:
        do_set_household_head(actor, household, person)
    return person


@transaction.atomic
def do_remove_from_household(actor, household: Household, person: Person) -> None:
    check_can_edit_in(actor, household.unit)
    if person.household_id != household.pk:
        raise ValidationError(_("%(name)s is not a member of this household.") % {"name": person.full_name})
    if household.head_id == person.pk:
        household.head = _eldest_other_member(household, person)
        household._history_user = actor
        household.save()
    do_update_person(actor, person, data={"household": None, "relation": ""})


MERGE_FILL_FIELDS = ("cccd", "phone", "date_of_birth", "household", "relation", "address", "occupation_group")


@transaction.atomic
def do_merge_persons(actor, *, keep: Person, remove: Person) -> Person:
    """Merge ``remove`` into ``keep``: every link that pointed at ``remove`` now points at ``keep``.

    ``remove`` stays as a tombstone (``merged_into``) so that old links, exports and the audit
    trail still resolve; its CCCD moves to ``keep`` when ``keep`` has none.
    """
    if keep.pk == remove.pk:
        raise ValidationError(_("Choose two different people to merge."))
    if remove.merged_into_id or keep.merged_into_id:
        raise ValidationError(_("One of these records was already merged."))
    if not (in_scope(actor, Cap.PEOPLE_MERGE, keep) and in_scope(actor, Cap.PEOPLE_MERGE, remove)):
        raise PermissionDenied(_("You may only merge people inside your area."))
    if keep.cccd and remove.cccd and keep.cccd != remove.cccd:
        raise ValidationError(
            _("These two people have different citizen IDs (%(a)s and %(b)s): they are not the same person.")
            % {"a": keep.cccd, "b": remove.cccd}
        )

    _hand_over_headship(keep, remove)
    moved = _repoint_links(keep, remove)
    filled = {}
    removed_cccd = remove.cccd
    if remove.cccd:
        remove.cccd = None  # free the unique CCCD before keep takes it
        remove.save(update_fields=["cccd"])
    for field in MERGE_FILL_FIELDS:
        value = removed_cccd if field == "cccd" else getattr(remove, field)
        if value and not getattr(keep, field):
            setattr(keep, field, value)
            filled[field] = str(value)
    if remove.notes:
        keep.notes = "\n".join(filter(None, [keep.notes, remove.notes]))
    keep._history_user = actor
    keep.save()
    remove.merged_into = keep
    remove._history_user = actor
    remove.save(update_fields=["merged_into", "updated_at"])
    detail = {"kept": keep.pk, "removed": remove.pk, "links_moved": moved, "filled": filled}
    audit.record(actor, audit.AuditAction.MERGE, keep, detail=detail)
    audit.record(actor, audit.AuditAction.MERGE, remove, detail=detail)
    return keep


def _hand_over_headship(keep: Person, remove: Person) -> None:
    """A household headed by ``remove`` is headed by ``keep`` only if ``keep`` lives in it after the
    merge; otherwise by its eldest remaining member (or nobody), never by a stranger."""
    final_household = keep.household_id or remove.household_id
    for household in Household.objects.filter(head=remove):
        if household.pk == final_household:
            household.head = keep
        else:
            household.head = (
                household.members.active().exclude(pk__in=[remove.pk, keep.pk]).order_by("birth_year", "pk").first()
            )
        household.save(update_fields=["head"])


def _repoint_links(keep: Person, remove: Person) -> dict[str, int]:
    """Move every foreign key that points at ``remove`` to ``keep`` (all apps, found by introspection)."""
    moved: dict[str, int] = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        model = relation.related_model
        if model._meta.model_name.startswith("historical"):
            continue  # history rows keep what was true then
        field = relation.field
        count = model._base_manager.filter(**{field.name: remove}).update(**{field.name: keep})
        if count:
            moved[f"{model._meta.label_lower}.{field.name}"] = count
    return moved


def _unknown_reference() -> ValidationError:
    return ValidationError({"reference": _("No duplicate warning with this reference was given to you.")})


@transaction.atomic
def do_request_transfer(
    actor, *, reference, to_unit: AdminUnit, note: str = "", client_id: str | None = None
) -> tuple[TransferRequest, bool]:
    """Ask the level above both areas to move the person of duplicate warning ``reference`` to ``to_unit``.

    Returns (request, created); the same person asked for again while a request is pending returns it.
    """
    existing = replay(
        actor,
        TransferRequest,
        client_id,
        capability=Cap.PEOPLE_EDIT,
        path=None,
        refusal=_("You may only record people who live in your area."),
    )
    if existing is not None:
        return existing, False
    warning = reference_of(actor, reference)
    if warning is None:
        raise _unknown_reference()
    person = current_record(
        Person.objects.filter(pk=int(warning.object_id)).first() if warning.object_id.isdigit() else None
    )
    if person is None:
        raise _unknown_reference()
    check_can_edit_in(actor, to_unit)
    if in_scope(actor, Cap.PEOPLE_EDIT, person):
        raise ValidationError(_("This person is already registered in your area: open their record."))
    pending = TransferRequest.objects.filter(person=person, created_by=actor, status=TransferStatus.PENDING).first()
    if pending is not None:
        return pending, False
    common = AdminUnit.objects.lowest_common([person.unit_path, to_unit.path])
    request = TransferRequest(
        person=person,
        from_unit_id=person.unit_id,
        to_unit=to_unit,
        common_unit=common,
        unit_path=common.path if common else "",
        reference=warning.detail["reference"],
        typed_name=(warning.detail or {}).get("typed_name", "")[:120],
        note=(note or "").strip()[:500],
    ).stamp(actor, client_id)
    request.save()
    # In the requester's area (neutral label) — and so for every level above it, the deciders' included.
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        request,
        unit_path=to_unit.path,
        label=str(request),
        detail={"reference": warning.detail["reference"], "to_unit": to_unit.code},
    )
    return request, True


@transaction.atomic
def do_decide_transfer(actor, request: TransferRequest, *, approve: bool, note: str = "") -> TransferRequest:
    """Approve (the person moves to the requested unit) or refuse a pending request, as the common level."""
    if not deciders_scope_contains(actor, request):
        raise PermissionDenied(_("Only the level above both areas may decide this request."))
    request = TransferRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TransferStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    note = (note or "").strip()[:500]
    if not approve and not note:
        raise ValidationError({"decision_note": _("Say why the request is refused: the requester will read it.")})
    if approve:
        _move(actor, request)
    request.status = TransferStatus.APPROVED if approve else TransferStatus.REFUSED
    request.decided_by, request.decided_at, request.decision_note = user_or_none(actor), clock.now(), note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        request,
        label=str(request),
        detail={"changed": {"status": [TransferStatus.PENDING, request.status]}, "person": request.person_id},
    )
    return request


def _move(actor, request: TransferRequest) -> None:
    person = current_record(Person.objects.select_related("household").get(pk=request.person_id))
    if person.household_id and not person.household.unit_path.startswith(request.to_unit.path):
        do_remove_from_household(actor, person.household, person)  # the household stays where it lives
        person.refresh_from_db()
    if person.unit_id != request.to_unit_id:
        do_update_person(actor, person, unit=request.to_unit, data={})
