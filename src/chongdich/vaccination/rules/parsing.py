"""People from JSON (the CLI's input, API payloads): strict, every error names the person and field.

One person::

    {"id": "P1", "date_of_birth": "1980-05-01" | null,
     "doses": [{"product": "AZ", "date": "2021-07-01"}, …],
     "recovered_on": "2021-09-01" | null, "negative_pcr_at": "2021-10-01T08:30:00+07:00" | null,
     "special_group": false}

``id`` and ``doses`` are required (``doses`` may be empty); the others are optional.  Dates are
``YYYY-MM-DD``; ``negative_pcr_at`` is an ISO date-time (without offset: Vietnam time; a date alone:
00:00 that day).  Unknown keys are refused (a misspelt ``recoverd_on`` must not silently mean "never").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from chongdich.vaccination.rules.errors import InputError
from chongdich.vaccination.rules.evaluate import DoseIn, PersonIn

PERSON_KEYS = frozenset({"id", "date_of_birth", "doses", "recovered_on", "negative_pcr_at", "special_group"})
DOSE_KEYS = frozenset({"product", "date"})


def _where(index: int | None, person_id: Any) -> str:
    place = "" if index is None else f"[{index}]"
    return f"{place}(id {person_id!r})" if person_id is not None else place


def _day(raw: Any, field: str, *, optional: bool) -> dt.date | None:
    if raw is None and optional:
        return None
    if type(raw) is not str:
        raise InputError(field, f"phải là ngày YYYY-MM-DD, nhận {raw!r}", f"must be a date YYYY-MM-DD, got {raw!r}")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(
            field, f"ngày không hợp lệ {raw!r} (YYYY-MM-DD)", f"invalid date {raw!r} (YYYY-MM-DD)"
        ) from None


def _moment(raw: Any, field: str) -> dt.datetime | dt.date | None:
    if raw is None:
        return None
    if type(raw) is not str:
        raise InputError(field, f"phải là ngày giờ ISO, nhận {raw!r}", f"must be an ISO date-time, got {raw!r}")
    try:
        return dt.date.fromisoformat(raw) if len(raw) == 10 else dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(
            field,
            f"ngày giờ không hợp lệ {raw!r} (YYYY-MM-DDTHH:MM[:SS][+07:00])",
            f"invalid date-time {raw!r} (YYYY-MM-DDTHH:MM[:SS][+07:00])",
        ) from None


def person_from_dict(raw: Any, index: int | None = None) -> PersonIn:
    """A ``PersonIn`` from one JSON object; ``index`` (its place in a list) goes into error fields."""
    if not isinstance(raw, Mapping):
        raise InputError(
            _where(index, None) or "person", "phải là một đối tượng JSON", f"must be a JSON object, got {raw!r}"
        )
    person_id = raw.get("id")
    where = _where(index, person_id if type(person_id) in (str, int) else None)
    prefix = f"{where}." if where else ""
    if "id" not in raw:
        raise InputError(f"{prefix}id", "thiếu mã người", "the person's id is missing")
    if type(person_id) not in (str, int) or (type(person_id) is str and not person_id.strip()):
        raise InputError(
            f"{prefix}id",
            f"phải là chuỗi hoặc số nguyên, nhận {person_id!r}",
            f"must be a string or integer, got {person_id!r}",
        )
    unknown = sorted(set(raw) - PERSON_KEYS)
    if unknown:
        raise InputError(
            f"{prefix}{unknown[0]}",
            f"trường không xác định (cho phép: {', '.join(sorted(PERSON_KEYS))})",
            f"unknown field (allowed: {', '.join(sorted(PERSON_KEYS))})",
        )
    if "doses" not in raw:
        raise InputError(f"{prefix}doses", "thiếu danh sách mũi tiêm ([] nếu chưa tiêm)", "missing (use [] for none)")
    doses_raw = raw["doses"]
    if not isinstance(doses_raw, list):
        raise InputError(
            f"{prefix}doses", f"phải là danh sách, nhận {doses_raw!r}", f"must be a list, got {doses_raw!r}"
        )
    doses = []
    for n, item in enumerate(doses_raw):
        here = f"{prefix}doses[{n}]"
        if not isinstance(item, Mapping):
            raise InputError(
                here,
                f"phải là đối tượng {{product, date}}, nhận {item!r}",
                f"must be an object {{product, date}}, got {item!r}",
            )
        extra = sorted(set(item) - DOSE_KEYS)
        missing = sorted(DOSE_KEYS - set(item))
        if extra or missing:
            bad = (extra or missing)[0]
            raise InputError(
                f"{here}.{bad}",
                "trường không xác định" if extra else "thiếu trường",
                "unknown field" if extra else "missing",
            )
        product = item["product"]
        if type(product) is not str or not product.strip():
            raise InputError(
                f"{here}.product", f"phải là mã vắc xin, nhận {product!r}", f"must be a product code, got {product!r}"
            )
        doses.append(DoseIn(product, _day(item["date"], f"{here}.date", optional=False)))
    special = raw.get("special_group", False)
    if type(special) is not bool:
        raise InputError(
            f"{prefix}special_group", f"phải là true/false, nhận {special!r}", f"must be true or false, got {special!r}"
        )
    born = _day(raw.get("date_of_birth"), f"{prefix}date_of_birth", optional=True)
    return PersonIn(
        id=person_id,
        date_of_birth=born,
        doses=tuple(doses),
        recovered_on=_day(raw.get("recovered_on"), f"{prefix}recovered_on", optional=True),
        negative_pcr_at=_moment(raw.get("negative_pcr_at"), f"{prefix}negative_pcr_at"),
        special_group=special,
    )


def people_from_json(raw: Any) -> list[PersonIn]:
    """Every person of a JSON list; raises ``InputErrors`` listing every bad person (up to all of them)."""
    if not isinstance(raw, list):
        raise InputError(
            "input", "phải là danh sách người (JSON list)", f"must be a JSON list of people, got {type(raw).__name__}"
        )
    people, errors = [], []
    seen: dict[Any, int] = {}
    for index, item in enumerate(raw):
        try:
            person = person_from_dict(item, index)
        except InputError as error:
            errors.append(error)
            continue
        if person.id in seen:
            errors.append(
                InputError(
                    f"{_where(index, person.id)}.id",
                    f"trùng mã với người thứ {seen[person.id]}",
                    f"duplicate id (also person [{seen[person.id]}])",
                )
            )
            continue
        seen[person.id] = index
        people.append(person)
    if errors:
        raise InputErrors(errors)
    return people


class InputErrors(InputError):
    """Several input errors at once (``errors``); the message is the first one's."""

    def __init__(self, errors: list[InputError]):
        first = errors[0]
        super().__init__(first.field, first.vi, first.en)
        self.errors = errors
