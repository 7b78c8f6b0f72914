"""Parsing one row of an officer's person list into model values, with reasons for rejection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import translation
from django.utils.translation import gettext as _

from chongdich.core.text import cell_text as text
from chongdich.core.text import fold, fold_words, title_name
from chongdich.people.identity import FEMALE, MALE, IdentityError, normalize_phone, validate_cccd
from chongdich.people.models import OccupationGroup, Relation, ResidenceStatus
from chongdich.people.validation import identity_message

_SEX = {"nam": MALE, "m": MALE, "male": MALE, "trai": MALE, "nu": FEMALE, "f": FEMALE, "female": FEMALE, "gai": FEMALE}
_RESIDENCE = {
    "thuong tru": ResidenceStatus.PERMANENT,
    "tt": ResidenceStatus.PERMANENT,
    "permanent": ResidenceStatus.PERMANENT,
    "tam tru": ResidenceStatus.TEMPORARY,
    "temporary": ResidenceStatus.TEMPORARY,
    "luu tru": ResidenceStatus.SOJOURN,
    "sojourn": ResidenceStatus.SOJOURN,
}
_RELATION = {
    "chu ho": Relation.HEAD,
    "ch": Relation.HEAD,
    "vo": Relation.SPOUSE,
    "chong": Relation.SPOUSE,
    "con": Relation.CHILD,
    "con trai": Relation.CHILD,
    "con gai": Relation.CHILD,
    "con de": Relation.CHILD,
    "bo": Relation.PARENT,
    "cha": Relation.PARENT,
    "me": Relation.PARENT,
    "ong": Relation.GRANDPARENT,
    "ba": Relation.GRANDPARENT,
    "chau": Relation.GRANDCHILD,
    "anh": Relation.SIBLING,
    "chi": Relation.SIBLING,
    "em": Relation.SIBLING,
    "khac": Relation.OTHER,
}
# Keywords of free-text occupations as officers write them → occupation group.
_OCCUPATION_KEYWORDS = [
    (("bac si", "y si", "y ta", "dieu duong", "y te", "duoc si", "ho sinh"), OccupationGroup.HEALTH),
    (("cong an", "bo doi", "quan doi", "dan quan", "bao ve"), OccupationGroup.SECURITY),
    (("giao vien", "giang vien", "giao duc", "co giao", "thay giao"), OccupationGroup.EDUCATION),
    (("hoc sinh", "sinh vien", "hoc vien"), OccupationGroup.STUDENT),
    (("cong nhan", "kcn", "nha may", "xuong"), OccupationGroup.FACTORY),
    (("tieu thuong", "buon ban", "ban hang", "cho"), OccupationGroup.MARKET),
    (("tai xe", "lai xe", "xe om", "van tai"), OccupationGroup.DRIVER),
    (("shipper", "giao hang", "buu ta"), OccupationGroup.DELIVERY),
    (("nong dan", "lam ray", "lam nong", "lam vuon", "cao su", "trong trot", "chan nuoi"), OccupationGroup.FARMER),
    (("kinh doanh", "dich vu", "tu do", "buon"), OccupationGroup.SERVICES),
    (("can bo", "cong chuc", "vien chuc", "van phong", "nhan vien"), OccupationGroup.OFFICE),
    (("huu tri", "nghi huu", "huu"), OccupationGroup.RETIRED),
    (("tre em", "tre nho", "mam non"), OccupationGroup.CHILD),
    (("that nghiep", "khong", "noi tro", "o nha"), OccupationGroup.UNEMPLOYED),
]


def _add_choice_labels(table: dict, choices) -> None:
    """Accept the labels the interface and the export show, in both languages ("Vợ/chồng", "Spouse")."""
    for language in ("vi", "en"):
        with translation.override(language):
            for value, label in choices:
                key = fold_words(str(label))
                table.setdefault(key, value)
                # "Permanent resident (thường trú)" → also "permanent resident"
                table.setdefault(key.split(" (")[0].split("  ")[0], value)


_LABELS_LOADED = False


def _ensure_labels() -> None:
    global _LABELS_LOADED
    if not _LABELS_LOADED:
        _add_choice_labels(_RELATION, Relation.choices)
        _add_choice_labels(_RESIDENCE, ResidenceStatus.choices)
        _LABELS_LOADED = True


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


@dataclass
class ParsedPerson:
    full_name: str
    folded_name: str
    sex: str
    date_of_birth: date | None
    birth_year: int
    cccd: str | None
    phone: str
    village: str
    commune: str
    household_code: str
    relation: str
    address: str
    residence_status: str
    occupation_group: str
    notes: str


def parse_birth(value, year_value, today: date) -> tuple[date | None, int | None, str | None]:
    """(date of birth, year, error) from a date cell and/or a year cell."""
    dob, year = None, None
    if isinstance(value, datetime):
        dob = value.date()
    elif isinstance(value, date):
        dob = value
    else:
        raw = text(value)
        if re.fullmatch(r"\d{4}", raw):
            year = int(raw)
        elif raw:
            for fmt in _DATE_FORMATS:
                try:
                    dob = datetime.strptime(raw, fmt).date()
                    break
                except ValueError:
                    continue
            else:
                return (
                    None,
                    None,
                    _("“%(value)s” is not a date; write it as dd/mm/yyyy (e.g. 05/09/1987) or just the year.")
                    % {"value": raw},
                )
    if dob:
        year = dob.year
    elif year is None and text(year_value):
        raw = text(year_value)
        if not re.fullmatch(r"\d{4}", raw):
            return None, None, _("“%(value)s” is not a year of birth (4 digits, e.g. 1987).") % {"value": raw}
        year = int(raw)
    if year is None:
        return None, None, _("The date or year of birth is missing.")
    if not 1890 <= year <= today.year or (dob and dob > today):
        return None, None, _("The year of birth %(year)s is not possible.") % {"year": year}
    return dob, year, None


def parse_occupation(value: str) -> str:
    folded = fold_words(value)
    if not folded:
        return ""
    for keywords, group in _OCCUPATION_KEYWORDS:
        if any(folded == k or folded.startswith(k + " ") or f" {k}" in f" {folded}" for k in keywords):
            return group
    return OccupationGroup.OTHER


def parse_row(row: dict, today: date) -> tuple[ParsedPerson | None, dict[str, str]]:
    _ensure_labels()
    errors: dict[str, str] = {}
    name = title_name(text(row.get("full_name")))
    if not name:
        errors["full_name"] = _("The full name is missing.")
    elif len(name) > 120 or any(ch.isdigit() for ch in name):
        errors["full_name"] = _("“%(value)s” does not look like a person's name.") % {"value": name}
    sex_raw = fold(text(row.get("sex")))
    sex = _SEX.get(sex_raw, "")
    if not sex:
        errors["sex"] = _("Write the sex as “Nam” or “Nữ”.") if sex_raw else _("The sex is missing (Nam / Nữ).")
    dob, year, birth_error = parse_birth(row.get("date_of_birth"), row.get("birth_year"), today)
    if birth_error:
        errors["date_of_birth"] = birth_error
    cccd = None
    raw_cccd = text(row.get("cccd"))
    if raw_cccd and not errors.keys() & {"sex", "date_of_birth"}:
        try:
            cccd = validate_cccd(raw_cccd, sex=sex, birth_year=year)
        except IdentityError as error:
            errors["cccd"] = identity_message(error)
    phone = ""
    try:
        phone = normalize_phone(text(row.get("phone")))
    except IdentityError as error:
        errors["phone"] = identity_message(error)
    residence_raw = fold_words(text(row.get("residence_status")))
    residence = _RESIDENCE.get(residence_raw, ResidenceStatus.PERMANENT if not residence_raw else "")
    if not residence:
        errors["residence_status"] = _("Write “Thường trú”, “Tạm trú” or “Lưu trú”.")
    relation_raw = fold_words(text(row.get("relation")))
    relation = _RELATION.get(relation_raw) or _RELATION.get(relation_raw.split(" ")[0], "")  # "cháu ngoại" → cháu
    if relation_raw and not relation:
        relation = Relation.OTHER
        notes_extra = f"{_('Relation to head')}: {text(row.get('relation'))}"
    else:
        notes_extra = ""
    occupation_text = text(row.get("occupation"))
    notes = text(row.get("notes"))
    group = parse_occupation(occupation_text)
    if group == OccupationGroup.OTHER and occupation_text:
        notes = "; ".join(filter(None, [notes, f"{_('Occupation')}: {occupation_text}"]))
    if notes_extra:  # an unknown relation is kept in the notes, never silently lost
        notes = "; ".join(filter(None, [notes, notes_extra]))
    if errors:
        return None, errors
    return (
        ParsedPerson(
            full_name=name,
            folded_name=fold(name),
            sex=sex,
            date_of_birth=dob,
            birth_year=year,
            cccd=cccd,
            phone=phone,
            village=text(row.get("village")),
            commune=text(row.get("commune")),
            household_code=text(row.get("household")),
            relation=relation,
            address=text(row.get("address")),
            residence_status=residence,
            occupation_group=group,
            notes=notes,
        ),
        {},
    )
