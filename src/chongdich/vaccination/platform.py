"""The national vaccination platform's dose records: reading a row, its stable key, the product's catalogue
code, matching it to a registered person and deciding what it does to that person's doses.

Used by the import (``vaccination.imports``, a whole chunk at a time) and by the reconciliation actions
(``vaccination.actions.platform``, one record at a time), so that both decide the same way:

* **Key.**  A record is identified by who (CCCD, else folded name + date of birth + phone), which product,
  which day and which dose number (``record_key``, a SHA-256): ``Dose.external_id`` and
  ``PlatformRecord.record_key`` hold it, so a file imported twice changes nothing, and a record whose lot
  or site changed updates the dose it made.
* **Matching.**  CCCD first (exact); else folded name + date of birth + phone (all three equal).  A CCCD
  whose registered person has another name or date of birth contradicts the registry (Vietnam recorded
  millions of doses under wrong identities): the record waits on the work list.
* **The dose.**  The dose's kind, number and ``completes_primary`` come from the rules over the person's
  doses (``number_dose``), never from the platform's "mũi số".  The platform's number is *checked*: it must
  equal the dose's place among the person's doses by date (its 1st, 2nd, 3rd… dose of any kind, the way
  the platform counts).  When they disagree the registry misses a dose the platform knows, or holds one the
  platform does not: the record goes to the work list (``dose_conflict``), where an officer attaches it
  anyway (the rules' numbering is kept) or dismisses it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.utils.translation import gettext as _

from chongdich.core.text import cell_text, fold, fold_words, normalize_text
from chongdich.people.identity import IdentityError, clean_cccd, normalize_phone, parse_cccd
from chongdich.vaccination.models import Mismatch
from chongdich.vaccination.rules import DoseIn, PersonIn, check_new_dose, default_config

# The platform writes product names its own way (and officers retype them): folded, without spaces or
# punctuation → the catalogue's code.  Longer names first, so "pfizerbiontech" is not read as "pfizer…".
PRODUCT_NAMES: dict[str, str] = {
    "astrazeneca": "AZ",
    "astra": "AZ",
    "az": "AZ",
    "azd1222": "AZ",
    "vaxzevria": "AZ",
    "covishield": "AZ",
    "chadox1": "AZ",
    "pfizerbiontech": "PF",
    "pfizer": "PF",
    "biontech": "PF",
    "comirnaty": "PF",
    "pf": "PF",
    "moderna": "MO",
    "spikevax": "MO",
    "mrna1273": "MO",
    "verocell": "VC",
    "vero": "VC",
    "sinopharm": "VC",
    "bbibpcorv": "VC",
    "sinopharmverocell": "VC",
    "sputnikv": "SP",
    "sputnik": "SP",
    "gamcovidvac": "SP",
    "abdala": "AB",
    "cigb66": "AB",
    "janssen": "JJ",
    "johnsonjohnson": "JJ",
    "jj": "JJ",
    "ad26cov2s": "JJ",
    "hayatvax": "HV",
    "hayat": "HV",
    "covaxin": "CX",
    "bbv152": "CX",
}
_BY_LENGTH = sorted(PRODUCT_NAMES, key=len, reverse=True)

# The catalogue's codes (a code typed as such is taken as it is).
PRODUCT_CODES = frozenset(PRODUCT_NAMES.values())

CONFIG = default_config()


@lru_cache(maxsize=1024)
def in_use(day: date) -> frozenset[str]:
    """The catalogue's products in force on ``day``."""
    return frozenset(CONFIG.products(day))


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d")


@lru_cache(maxsize=4096)
def product_code(raw: str) -> str:
    """The catalogue code of a product as the platform names it, or "" when it is not one we know."""
    compact = fold_words(raw).replace(" ", "")
    if not compact:
        return ""
    if compact.upper() in PRODUCT_CODES:
        return compact.upper()
    if compact in PRODUCT_NAMES:
        return PRODUCT_NAMES[compact]
    for name in _BY_LENGTH:  # "Pfizer-BioNTech (Comirnaty)", "Vắc xin AstraZeneca"
        if len(name) >= 4 and name in compact:
            return PRODUCT_NAMES[name]
    return ""


@lru_cache(maxsize=8192)
def _date_of_text(raw: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def read_date(value) -> date | None:
    """A date cell (an Excel date or dd/mm/yyyy text) → date; None when empty or not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if " " in text:  # "05/09/2021 08:30"
        text = text.split(" ", 1)[0]
    return _date_of_text(text)


# Ten-digit mobile numbers (the platform's usual phone) are turned into +84… without the full parser.
_MOBILE = re.compile(r"0(3[2-9]|5[689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}")


def read_phone(raw: str) -> str:
    """``people.identity.normalize_phone`` with a fast path for the common mobile numbers."""
    text = raw.replace(" ", "").replace(".", "").replace("-", "")
    if len(text) == 10 and _MOBILE.fullmatch(text):
        return "+84" + text[1:]
    return normalize_phone(raw)


def _number(value) -> int | None:
    text = cell_text(value)
    if text.lower().startswith(("mui", "mũi")):
        text = text.split(" ", 1)[-1]
    return int(text) if text.isdigit() and 0 < int(text) < 20 else None


@dataclass
class PlatformRow:
    """One row of the platform's export, read and checked."""

    row: int
    cccd: str
    full_name: str
    folded_name: str
    date_of_birth: date | None
    phone: str
    product_name: str  # as written
    product: str  # catalogue code, "" when unknown
    lot_number: str
    given_on: date | None
    dose_number: int | None
    site_name: str
    problems: list[str] = field(default_factory=list)  # why the record is unusable (bad_record)
    key: str = ""

    @property
    def identity(self) -> str:
        return self.cccd or f"{self.folded_name}|{self.date_of_birth or ''}|{self.phone}"

    @property
    def sort_key(self) -> tuple:
        return (self.identity, self.given_on or date.min, self.dose_number or 0)


def record_key(identity: str, product: str, given_on: date | None, dose_number: int | None) -> str:
    text = f"{identity}|{product}|{given_on.isoformat() if given_on else ''}|{dose_number or ''}"
    return hashlib.sha256(text.encode()).hexdigest()


def _text(value) -> str:
    """``cell_text`` with a fast path for the usual clean cell."""
    if isinstance(value, str):
        value = value.strip()
        if "  " not in value and "\t" not in value and "\n" not in value:
            return value
    return cell_text(value)


@lru_cache(maxsize=16384)
def _name(raw: str) -> tuple[str, str]:
    """(the name as stored, its folded form); a person's doses repeat their name row after row."""
    name = normalize_text(raw)[:120]
    return name, fold(name)


def read_row(values: dict, today: date) -> tuple[PlatformRow | None, str]:
    """A row of the file as a ``PlatformRow``; (None, reason) when it names nobody at all (a rejected row).

    What makes the record unusable but still names someone (unknown product, a date that is none or lies in
    the future, a CCCD or phone that cannot be one) is listed in ``problems``: the record goes to the work list.
    """
    problems: list[str] = []
    raw_cccd = _text(values.get("cccd"))
    cccd = clean_cccd(raw_cccd)
    if cccd:
        try:
            cccd = parse_cccd(cccd).number
        except IdentityError:
            problems.append(_("“%(value)s” is not a citizen ID of 12 digits.") % {"value": raw_cccd})
            cccd = ""
    full_name, folded_name = _name(_text(values.get("full_name")))
    if not full_name and not cccd:
        return None, _("The row has neither a name nor a citizen ID: nobody to give the dose to.")
    raw_phone = _text(values.get("phone"))
    try:
        phone = read_phone(raw_phone)
    except IdentityError:
        problems.append(_("“%(value)s” is not a Vietnamese phone number.") % {"value": raw_phone})
        phone = ""
    date_of_birth = read_date(values.get("date_of_birth"))
    if values.get("date_of_birth") not in (None, "") and date_of_birth is None:
        problems.append(_("The date of birth “%(value)s” is not a date.") % {"value": _text(values["date_of_birth"])})
    elif date_of_birth is not None and not date(1900, 1, 1) <= date_of_birth <= today:
        problems.append(_("The date of birth %(day)s is not plausible.") % {"day": f"{date_of_birth:%d/%m/%Y}"})
        date_of_birth = None
    product_name = _text(values.get("product"))[:40]
    product = product_code(product_name)
    if not product:
        problems.append(
            _("“%(value)s” is not a vaccine of the catalogue.") % {"value": product_name}
            if product_name
            else _("The vaccine is missing.")
        )
    raw_day = values.get("given_on")
    given_on = read_date(raw_day)
    if given_on is None:
        problems.append(
            _("The vaccination date “%(value)s” is not a date.") % {"value": _text(raw_day)}
            if raw_day not in (None, "")
            else _("The vaccination date is missing.")
        )
    elif given_on > today:
        problems.append(_("The vaccination date %(day)s is in the future.") % {"day": f"{given_on:%d/%m/%Y}"})
    elif given_on < date(2021, 3, 1):
        problems.append(
            _("The vaccination date %(day)s is before the campaign began (08/03/2021).")
            % {"day": f"{given_on:%d/%m/%Y}"}
        )
    elif date_of_birth is not None and given_on < date_of_birth:
        problems.append(_("The vaccination date is before the date of birth."))
    elif product and product not in in_use(given_on):
        problems.append(
            _("%(product)s was not in use in Vietnam on %(day)s.")
            % {"product": product_name, "day": f"{given_on:%d/%m/%Y}"}
        )
    raw_number = values.get("dose_number")
    dose_number = _number(raw_number)
    if raw_number not in (None, "") and dose_number is None:
        problems.append(_("“%(value)s” is not a dose number.") % {"value": _text(raw_number)})
    parsed = PlatformRow(
        row=values.get("_row") or 0,
        cccd=cccd,
        full_name=full_name,
        folded_name=folded_name,
        date_of_birth=date_of_birth,
        phone=phone,
        product_name=product_name,
        product=product,
        lot_number=_text(values.get("lot_number"))[:40],
        given_on=given_on,
        dose_number=dose_number,
        site_name=_text(values.get("site_name"))[:160],
        problems=problems,
    )
    parsed.key = record_key(parsed.identity, product or fold_words(product_name), given_on, dose_number)
    return parsed, ""


# -- matching ------------------------------------------------------------------------------------------


@dataclass
class Match:
    """Whom a record names: ``person`` when exactly one registered person, else the problem and candidates."""

    person: object | None = None
    problem: str = ""
    detail: str = ""
    candidates: list = field(default_factory=list)


def same_identity(person, row: PlatformRow) -> bool:
    """Name and date of birth agree (a missing date of birth on either side does not contradict)."""
    if person.folded_name != row.folded_name and row.folded_name:
        return False
    return person.date_of_birth is None or row.date_of_birth is None or person.date_of_birth == row.date_of_birth


def identity_detail(person, row: PlatformRow) -> str:
    return _(
        "The registry has %(name)s, born %(born)s, under this citizen ID; the platform has %(typed)s, born %(typed_born)s."
    ) % {
        "name": person.full_name,
        "born": f"{person.date_of_birth:%d/%m/%Y}" if person.date_of_birth else person.birth_year,
        "typed": row.full_name or "—",
        "typed_born": f"{row.date_of_birth:%d/%m/%Y}" if row.date_of_birth else "—",
    }


def match(row: PlatformRow, by_cccd: dict, by_phone: dict, in_area) -> Match:
    """Match one record against the people fetched for its chunk.

    ``by_cccd``: CCCD → person; ``by_phone``: phone → [people]; ``in_area(person)``: may the import write there.
    """
    person = by_cccd.get(row.cccd) if row.cccd else None
    if person is not None:
        if not in_area(person):  # said before any comparison: nothing of another area's person is disclosed
            return Match(problem=Mismatch.OUT_OF_SCOPE, candidates=[person])
        if not same_identity(person, row):
            return Match(problem=Mismatch.IDENTITY, detail=identity_detail(person, row), candidates=[person])
        return Match(person=person)
    found = []
    if row.phone and row.date_of_birth and row.folded_name:
        found = [
            p
            for p in by_phone.get(row.phone, ())
            if p.folded_name == row.folded_name and p.date_of_birth == row.date_of_birth
        ]
    if len(found) > 1:
        return Match(problem=Mismatch.SEVERAL, candidates=found)
    if len(found) == 1:
        person = found[0]
        if not in_area(person):
            return Match(problem=Mismatch.OUT_OF_SCOPE, candidates=[person])
        if row.cccd and person.cccd and person.cccd != row.cccd:
            return Match(
                problem=Mismatch.IDENTITY,
                detail=_("The registry has another citizen ID for this name, date of birth and phone."),
                candidates=[person],
            )
        return Match(person=person)
    return Match(problem=Mismatch.NO_MATCH)


# -- the dose a record makes ----------------------------------------------------------------------------


def age_band(date_of_birth: date | None, birth_year: int, on: date) -> str:
    """The territory's age band of the population figures (``18_49`` for ``pop_18_49``) on a day."""
    if date_of_birth is not None:
        age = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    else:
        age = on.year - birth_year
    if age < 18:
        return "0_17"
    if age < 50:
        return "18_49"
    if age < 65:
        return "50_64"
    return "65_plus"


@dataclass(frozen=True)
class Held:
    """A dose the registry already holds for the person (or one added earlier in the same chunk)."""

    pk: int | None
    product: str
    given_on: date
    external_id: str | None = None
    lot_number: str = ""
    site_name: str = ""


@dataclass
class Numbered:
    kind: str
    number: int
    completes_primary: bool
    problems: tuple[str, ...] = ()


def number_dose(held: list[Held], product: str, on: date, date_of_birth: date | None = None) -> Numbered:
    """Kind, number (within its kind), ``completes_primary`` and problems of a new dose after the ``held``
    ones, as the rules say (``vaccination.rules.check_new_dose``; the national catalogue)."""
    person = PersonIn(0, date_of_birth, tuple(DoseIn(h.product, h.given_on) for h in held))
    verdict = check_new_dose(person, product, on, CONFIG)
    return Numbered(verdict.kind, verdict.number, verdict.completes_primary, tuple(verdict.problems))


@dataclass
class Verdict:
    """What a matched record does: ``link`` an existing dose (same day and product), ``new`` a dose, or a conflict."""

    action: str  # "link" | "new" | "conflict"
    held: Held | None = None
    numbered: Numbered | None = None
    detail: str = ""


def decide(
    held: list[Held], row: PlatformRow, *, check_number: bool = True, date_of_birth: date | None = None
) -> Verdict:
    """What the record does to a person who holds ``held`` doses (see the module's note on numbering)."""
    for dose in held:
        if dose.given_on == row.given_on and dose.product == row.product:
            return Verdict("link", held=dose)
    for dose in held:
        if dose.given_on == row.given_on:
            return Verdict(
                "conflict",
                detail=_("On %(day)s the registry already holds a dose of %(product)s.")
                % {"day": f"{dose.given_on:%d/%m/%Y}", "product": dose.product},
            )
    later = [d for d in held if d.given_on > row.given_on]
    if later:
        first = min(later, key=lambda d: d.given_on)
        return Verdict(
            "conflict",
            detail=_(
                "The registry already holds a later dose (%(product)s on %(day)s): recording this one would renumber it."
            )
            % {"product": first.product, "day": f"{first.given_on:%d/%m/%Y}"},
        )
    position = len(held) + 1
    if check_number and row.dose_number is not None and row.dose_number != position:
        return Verdict(
            "conflict",
            detail=_(
                "The platform numbers this dose %(platform)s; the registry holds %(held)s earlier doses, so it would be dose %(position)s."
            )
            % {"platform": row.dose_number, "held": len(held), "position": position},
        )
    return Verdict("new", numbered=number_dose(held, row.product, row.given_on, date_of_birth))
