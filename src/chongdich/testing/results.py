"""Reading and checking a test result as labs and officers write it.

Shared by the manual result form, the services, the lab-file import and the API, so that the same
result is accepted or refused with the same message wherever it comes from.  No database access.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chongdich.core import dates
from chongdich.core.text import fold_words
from chongdich.testing.models import SampleKind, SampleStatus

CT_MIN = Decimal("0")
CT_MAX = Decimal("45")
FINAL = (SampleStatus.NEGATIVE, SampleStatus.POSITIVE)
RESULTS = (SampleStatus.NEGATIVE, SampleStatus.POSITIVE, SampleStatus.INVALID)

# Words labs write in the result column (compared without diacritics, case or punctuation).
_RESULT_WORDS = {
    "am tinh": SampleStatus.NEGATIVE,
    "am": SampleStatus.NEGATIVE,
    "negative": SampleStatus.NEGATIVE,
    "neg": SampleStatus.NEGATIVE,
    "at": SampleStatus.NEGATIVE,
    "khong phat hien": SampleStatus.NEGATIVE,
    "duong tinh": SampleStatus.POSITIVE,
    "duong": SampleStatus.POSITIVE,
    "positive": SampleStatus.POSITIVE,
    "pos": SampleStatus.POSITIVE,
    "dt": SampleStatus.POSITIVE,
    "phat hien": SampleStatus.POSITIVE,
    "khong xac dinh": SampleStatus.INVALID,
    "kxd": SampleStatus.INVALID,
    "invalid": SampleStatus.INVALID,
    "inconclusive": SampleStatus.INVALID,
    "khong hop le": SampleStatus.INVALID,
    "mau khong dat": SampleStatus.INVALID,
    "nghi ngo": SampleStatus.INVALID,
    "undetermined": SampleStatus.INVALID,
}
_SYMBOLS = {
    "-": SampleStatus.NEGATIVE,
    "(-)": SampleStatus.NEGATIVE,
    "+": SampleStatus.POSITIVE,
    "(+)": SampleStatus.POSITIVE,
}
# What labs write in the Ct column when there is no value (no amplification).
_NO_CT = {"", "-", "n/a", "na", "kph", "khong phat hien", "undetermined", "undet", "neg", "am tinh"}
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")
_SPACES = re.compile(r"\s+")


def normalize_code(value) -> str:
    """Sample codes as printed on tubes: no spaces, upper case ("bgm 0012" → "BGM0012")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub("", str(value)).upper()


def parse_status(value) -> str | None:
    """A result word (“Dương tính”, “Negative”, “(+)”, “KXĐ”…) → a SampleStatus value, or None."""
    return _status_of_text(str(value or "").strip())


@lru_cache(maxsize=256)  # a lab file repeats a handful of words 100,000 times
def _status_of_text(raw: str) -> str | None:
    if raw in _SYMBOLS:
        return _SYMBOLS[raw]
    return _RESULT_WORDS.get(fold_words(raw))


def parse_ct(value) -> Decimal | None:
    """A Ct cell → Decimal (one decimal) or None; raises ValidationError for text or a value outside 0–45."""
    if value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        raw = str(value).strip()
        if fold_words(raw) in _NO_CT or raw.lower() in _NO_CT:
            return None
        try:
            number = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” is not a Ct value; write a number such as 24.5.") % {"value": raw}
            ) from None
    check_ct(number)
    return number.quantize(Decimal("0.1"))


def check_ct(ct: Decimal | None) -> None:
    if ct is not None and not (CT_MIN <= ct <= CT_MAX):
        raise ValidationError(_("A Ct value must be between 0 and 45 (it was %(value)s).") % {"value": ct})


def parse_date(value) -> date | None:
    """A date cell (Excel date or dd/mm/yyyy text) → date; raises ValidationError for other text."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = _date_of_text(str(value).strip())
    if parsed is None:
        raise ValidationError(
            _("“%(value)s” is not a date; write it as dd/mm/yyyy (e.g. 05/09/2021).") % {"value": str(value).strip()}
        )
    return parsed


@lru_cache(maxsize=1024)  # result dates repeat row after row; strptime is slow
def _date_of_text(raw: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def check_result(
    *, kind: str, status: str, ct: Decimal | None, result_on: date | None, taken_on: date, today: date
) -> None:
    """Refuse a result that cannot be true, naming the field to correct (raises a ValidationError dict)."""
    errors: dict[str, str] = {}
    if status not in RESULTS:
        errors["status"] = _("Choose the result: negative, positive or invalid.")
    if result_on is None:
        errors["result_on"] = _("Enter the date of the result.")
    elif result_on < taken_on:
        errors["result_on"] = _("The result date %(result)s is before the sample was taken (%(taken)s).") % {
            "result": f"{result_on:%d/%m/%Y}",
            "taken": f"{taken_on:%d/%m/%Y}",
        }
    elif dates.problem("sample.result_on", result_on):
        errors["result_on"] = dates.problem("sample.result_on", result_on)
    if ct is not None:
        if kind == SampleKind.RAPID_ANTIGEN:
            errors["ct_value"] = _("A rapid antigen test has no Ct value; leave it empty.")
        else:
            try:
                check_ct(ct)
            except ValidationError as exc:
                errors["ct_value"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
