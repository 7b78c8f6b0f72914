"""Read queries on people, always through the user's scope."""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, QuerySet, Value, When

from chongdich.core.roles import Cap
from chongdich.core.text import fold_words
from chongdich.people.identity import IdentityError, clean_cccd, normalize_phone
from chongdich.people.models import Household, Person

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
