"""Applying a whole batch of lab results at once (the lab-file import): a few queries per 1,000 rows.

The single-result path is ``services.do_record_result``; this one keeps the same effects — status,
Ct, result date, history, tallies, re-tests of positive pools — for rows the import has already
checked against the same rules (``results.check_result``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from chongdich.tallies import engine
from chongdich.testing.models import Sample
from chongdich.testing.pools import open_retests


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@dataclass
class ResultChange:
    """A validated result from a lab file, for a sample loaded unchanged (and locked) in this transaction."""

    sample: Sample
    status: str
    ct: Decimal | None
    result_on: date
    lab_id: int | None


@transaction.atomic
def apply_lab_results(actor, changes: Sequence[ResultChange]) -> list[Sample]:
    """Apply a batch of lab results checked by the import, in a few queries, with history and tallies.

    The samples must be as stored, read with ``select_for_update`` in the current transaction: the
    tallies' "before" is taken from them instead of reading every sample again (``engine.tracked``
    does the same, one record at a time).  The last result of a sample in the batch wins; positive
    pools open their members' re-tests.  Returns the samples that changed.
    """
    latest = {change.sample.pk: change for change in changes}
    samples = [change.sample for change in latest.values()]
    if not samples:
        return []
    before = engine.contributions_of(samples)
    for change in latest.values():
        sample = change.sample
        sample.status, sample.ct_value, sample.result_on = change.status, change.ct, change.result_on
        if sample.lab_id is None and change.lab_id is not None:
            sample.lab_id = change.lab_id
    _write_results(samples)
    _copy_to_history([sample.pk for sample in samples], _user(actor))
    engine.apply(engine.difference(before, engine.contributions_of(samples)))
    open_retests(samples, actor)
    return samples


def _copy_to_history(ids: list[int], user) -> None:
    """Add the updated samples' new state to their history with one INSERT … SELECT per 1,000.

    The same rows ``bulk_history_create`` writes, copied inside the database: building them in
    Python took a quarter of a 100,000-row import.
    """
    history = Sample.history.model
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in history.tracked_fields]
    extra = [quote(name) for name in ("history_date", "history_type", "history_user_id", "history_change_reason")]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 1000):
            batch = ids[start : start + 1000]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns + extra)}) "  # noqa: S608 - names from the models
                f"SELECT {', '.join(columns)}, %s, %s, %s, %s FROM {quote(Sample._meta.db_table)} "
                f"WHERE {quote(Sample._meta.pk.column)} IN ({', '.join(['%s'] * len(batch))})",
                [now, "~", user.pk if user else None, None, *batch],
            )


def _write_results(samples: list[Sample]) -> None:
    """Store status, Ct, result date and lab of many samples in a few UPDATEs.

    Django's ``bulk_update`` builds a CASE expression per row and field, which costs more than the
    rest of an import; lab results share a handful of (status, date, lab) values, so one UPDATE per
    group does the same work, and only the rows with a Ct need a per-row value.
    """
    groups: dict[tuple, list[int]] = defaultdict(list)
    with_ct = []
    for sample in samples:
        groups[(sample.status, sample.result_on, sample.lab_id, sample.ct_value is None)].append(sample.pk)
        if sample.ct_value is not None:
            with_ct.append(sample)
    for (status, result_on, lab_id, no_ct), ids in groups.items():
        values: dict[str, Any] = {"status": status, "result_on": result_on, "lab_id": lab_id}
        if no_ct:
            values["ct_value"] = None
        Sample.objects.filter(pk__in=ids).update(**values)
    if with_ct:
        Sample.objects.bulk_update(with_ct, ["ct_value"], batch_size=1000)
