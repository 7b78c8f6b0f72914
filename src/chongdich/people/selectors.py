"""Read queries on people, always through the user's scope."""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, in_scope
from chongdich.core.text import fold_words
from chongdich.people.identity import IdentityError, clean_cccd, normalize_phone
from chongdich.people.models import Household, Person, TransferRequest, TransferStatus

_DIGITS = re.compile(r"^\+?[\d\s.\-]+$")


def people_for(user, capability: str = Cap.PEOPLE_VIEW) -> QuerySet[Person]:
    return Person.objects.for_user(user, capability).active()


def households_for(user, capability: str = Cap.PEOPLE_VIEW) -> QuerySet[Household]:
    return Household.objects.for_user(user, capability)


def search_people(user, query: str, base: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """Search by CCCD, phone or name (with or without diacritics), inside the user's scope.

    Digits are a CCCD (12) or a phone (9–11 or +84); anything else is a name: every word must
    begin a word of the folded name ("nguyen an" finds "Nguyễn Văn An"), exact and prefix matches first.
    """
    people = base if base is not None else people_for(user)
    text = (query or "").strip()
    if not text:
        return people.none()
    if _DIGITS.match(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) == 12 and not text.startswith("+"):
            return people.filter(cccd=clean_cccd(digits))
        try:
            return people.filter(phone=normalize_phone(text))
        except IdentityError:
            return people.filter(cccd__startswith=digits) if len(digits) >= 6 else people.none()
    words = fold_words(text)
    if not words:
        return people.none()
    # Each word must begin a word of the name: "an" finds "An" and "Anh", not "Văn".
    result = people.filter(folded_name__word_prefixes=words)
    rank = Case(
        When(folded_name=words, then=Value(0)),
        When(folded_name__startswith=words, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return result.annotate(rank=rank).order_by("rank", "folded_name", "pk")


def people() -> QuerySet[Person]:
    """Active people with their unit, to fetch one with ``get_for_user_or_404``."""
    return Person.objects.active().select_related("unit")


def households() -> QuerySet[Household]:
    """Households with their unit and head, to fetch one with ``get_for_user_or_404``."""
    return Household.objects.select_related("unit", "head")


def person_page(user, pk: int) -> Person | None:
    """The active person ``pk`` of the user's area, with what the person page shows."""
    return people_for(user).select_related("unit", "household", "household__head").filter(pk=pk).first()


def follow_merge(user, pk: int) -> Person | None:
    """The record a merged person now lives on, when the user may see it (old links keep working)."""
    seen = set()
    visible = Person.objects.for_user(user, Cap.PEOPLE_VIEW)
    current = visible.filter(pk=pk, merged_into__isnull=False).first()
    while current is not None and current.merged_into_id and current.pk not in seen:
        seen.add(current.pk)
        current = visible.filter(pk=current.merged_into_id).first()
    return current


def current_record(person: Person | None) -> Person | None:
    """The record a merged person lives on now (whatever the area: for actions that checked it)."""
    seen = set()
    while person is not None and person.merged_into_id and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.filter(pk=person.merged_into_id).first()
    return person


def fellow_members(person: Person) -> list[Person]:
    """The other active members of the person's household."""
    if not person.household_id:
        return []
    return list(person.household.members.active().exclude(pk=person.pk).select_related("unit"))


def household_members(household: Household) -> list[Person]:
    """Members of a household, the head first, then by age."""
    return sorted(
        household.members.active().select_related("unit"), key=lambda m: (m.pk != household.head_id, m.birth_year, m.pk)
    )


def household_candidates(user, household: Household, query: str, limit: int = 10) -> list[Person]:
    """People the user may add to ``household`` (found by ``query``)."""
    base = people_for(user, Cap.PEOPLE_EDIT).select_related("unit")
    return list(search_people(user, query, base=base).exclude(household=household)[:limit])


def mergeable() -> QuerySet[Person]:
    """Active people with what the merge page compares (scope them with ``for_user``)."""
    return Person.objects.active().select_related("unit", "household")


def merge_partners(person: Person) -> QuerySet[Person]:
    """The records ``person`` may be merged with (scope them with ``for_user``)."""
    return mergeable().exclude(pk=person.pk)


def merge_candidates(user, person: Person, query: str, limit: int = 20) -> list[Person]:
    """Who ``person`` may be a duplicate of: found by ``query``, else by the same name and year or phone."""
    others = merge_partners(person).for_user(user, Cap.PEOPLE_MERGE)
    if query:
        return list(search_people(user, query, base=others)[:limit])
    same = Q(folded_name=person.folded_name, birth_year=person.birth_year) | (Q(phone=person.phone) & ~Q(phone=""))
    return list(others.filter(same)[:limit])


def pending_transfers(user) -> int:
    """Requests waiting for ``user``'s decision (a badge on the people list)."""
    if not has_capability(user, Cap.PEOPLE_EDIT):
        return 0
    return TransferRequest.objects.for_user(user, Cap.PEOPLE_EDIT).filter(status=TransferStatus.PENDING).count()


def deciders_scope_contains(user, request: TransferRequest) -> bool:
    """Whether ``user`` is of the level that decides ``request``."""
    return TransferRequest.objects.for_user(user, Cap.PEOPLE_EDIT).filter(pk=request.pk).exists()


def _transfer_rows(requests):
    return requests.select_related("person", "person__unit", "from_unit", "to_unit", "created_by", "decided_by")


def with_visibility(user, requests) -> list[TransferRequest]:
    """Mark what the user may see of each request's person (the requester: only once it is theirs)."""
    rows = list(requests)
    for row in rows:
        row.person_visible = in_scope(user, Cap.PEOPLE_VIEW, row.person)
    return rows


def transfer_lists(user, limit: int = 100, decided: int = 30) -> dict[str, list[TransferRequest]]:
    """The requests a user decides (pending, recently decided) and those they asked for."""
    to_decide = TransferRequest.objects.for_user(user, Cap.PEOPLE_EDIT)
    mine = TransferRequest.objects.filter(created_by=user)
    return {
        "pending": with_visibility(user, _transfer_rows(to_decide.filter(status=TransferStatus.PENDING))[:limit]),
        "decided": with_visibility(user, _transfer_rows(to_decide.exclude(status=TransferStatus.PENDING))[:decided]),
        "mine": with_visibility(user, _transfer_rows(mine)[:limit]),
    }


def transfer_for(user, pk: int) -> tuple[TransferRequest | None, bool]:
    """(request, user decides it): a request exists for the level that decides it and for its requester;
    for anyone else (None, False)."""
    transfer = _transfer_rows(TransferRequest.objects.filter(pk=pk)).first()
    if transfer is None:
        return None, False
    decider = deciders_scope_contains(user, transfer)
    if not decider and transfer.created_by_id != getattr(user, "pk", None):
        return None, False
    return transfer, decider


def merged_from(person: Person) -> QuerySet[Person]:
    """The records merged into ``person``."""
    return person.merged_from.all()
