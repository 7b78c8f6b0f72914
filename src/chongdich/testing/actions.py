"""The ``do_*`` actions that write labs, samples, results and campaigns.

Each one checks the actor's scope, validates with messages that say how to fix the input, writes in
one transaction, keeps tallies in step (``tallies.engine.tracked``) when a sample changes, sets the
history user and appends an audit event.  A re-sent ``client_id`` returns the original record.
Taking a sample from someone moves their contact records forward in tracing to "tested"
(``surveillance.actions.advance_contacts``, audited per record), in the same transaction.

Two writers serve several actions: ``open_retests`` (a positive pool opens an individual re-test per
member) and ``apply_lab_results`` (a whole batch of lab results from the lab-file import, in a few
queries per 1,000 rows, with the same effects as ``do_record_result`` for rows the import has already
checked against the same rules, ``results.check_result``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from chongdich.core import audit, clock, dates
from chongdich.core.recorded import replay
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user, in_scope
from chongdich.people.models import Person
from chongdich.surveillance.actions import advance_contacts
from chongdich.surveillance.models import ContactStatus
from chongdich.tallies import engine
from chongdich.tallies.engine import tracked
from chongdich.territory.models import AdminUnit
from chongdich.testing.codes import next_sample_code, retest_code
from chongdich.testing.models import (
    DEFAULT_POOL_LIMIT,
    POOL_LIMIT_CEILING,
    Campaign,
    Lab,
    PoolMember,
    Sample,
    SampleKind,
    SampleReason,
    SampleStatus,
)
from chongdich.testing.results import FINAL, check_result, normalize_code

LAB_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{1,19}$")
MAX_TARGETS_PER_ADD = 5000


def _outside_area() -> str:
    return _("You may only record tests for your own area.")


def check_can_test_in(actor, path: str) -> None:
    if not in_scope(actor, Cap.TESTS_EDIT, path):
        raise PermissionDenied(_outside_area())


def _replay(actor, model, client_id: str | None):
    return replay(actor, model, client_id, capability=Cap.TESTS_EDIT, refusal=_outside_area())


def _changes(obj: models.Model, values: dict[str, Any]) -> dict[str, list[str]]:
    """Set ``values`` on ``obj``; return {"field": [old, new]} of what really changed (for the audit)."""
    changed = {}
    for field, value in values.items():
        old = getattr(obj, field)
        if old != value:
            changed[field] = [str(getattr(old, "pk", old)), str(getattr(value, "pk", value))]
            setattr(obj, field, value)
    return changed


# -- labs -----------------------------------------------------------------------------------------
def _clean_lab(data: dict[str, Any], exclude_pk: int | None = None) -> dict[str, Any]:
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Enter the name of the laboratory.")
    code = normalize_code(data.get("code"))
    if not LAB_CODE.match(code):
        errors["code"] = _(
            "The code has 2 to 20 letters, digits or dashes, e.g. CDC-BP. Labs write it in their result files."
        )
    elif Lab.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        errors["code"] = _("The code %(code)s is already used by another laboratory.") % {"code": code}
    for field in ("daily_capacity", "antigen_capacity"):
        value = data.get(field) or 0
        if not isinstance(value, int) or value < 0:
            errors[field] = _("Enter a whole number of samples per day (0 if none).")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "code": code,
        "daily_capacity": data.get("daily_capacity") or 0,
        "antigen_capacity": data.get("antigen_capacity") or 0,
        "active": data.get("active", True),
    }


@transaction.atomic
def do_create_lab(actor, *, unit: AdminUnit, data: dict[str, Any], client_id: str | None = None) -> tuple[Lab, bool]:
    """Register a laboratory with its daily capacity; returns (lab, created)."""
    existing = _replay(actor, Lab, client_id)
    if existing is not None:
        return existing, False
    check_can_test_in(actor, unit.path)
    lab = Lab(**_clean_lab(data)).stamp(actor, client_id)
    lab.place_in(unit)
    try:
        with transaction.atomic():
            lab.save()
    except IntegrityError as exc:  # the same code or client id saved a moment ago by someone else
        raise ValidationError(
            {"code": _("The code %(code)s is already used by another laboratory.") % {"code": lab.code}}
        ) from exc
    audit.record(actor, audit.AuditAction.CREATE, lab)
    return lab, True


@transaction.atomic
def do_update_lab(actor, lab: Lab, *, data: dict[str, Any], unit: AdminUnit | None = None) -> Lab:
    check_can_test_in(actor, lab.unit_path)
    if unit is not None and unit.pk != lab.unit_id:
        check_can_test_in(actor, unit.path)
    merged = {f: getattr(lab, f) for f in ("name", "code", "daily_capacity", "antigen_capacity", "active")} | data
    changed = _changes(lab, _clean_lab(merged, exclude_pk=lab.pk))
    if unit is not None and unit.pk != lab.unit_id:
        changed["unit"] = [lab.unit.code, unit.code]
        lab.place_in(unit)
    if changed:
        lab._history_user = actor
        lab.save()
        audit.record(actor, audit.AuditAction.UPDATE, lab, detail={"changed": changed})
    return lab


# -- samples --------------------------------------------------------------------------------------
def _check_taken_on(taken_on: date | None, today: date) -> None:
    if taken_on is None:
        raise ValidationError({"taken_on": _("Enter the day the sample was taken.")})
    dates.check("sample.taken_on", taken_on)


def _check_lab(lab: Lab | None) -> None:
    if lab is not None and not lab.active:
        raise ValidationError({"lab": _("%(lab)s no longer takes samples; choose another laboratory.") % {"lab": lab}})


def _check_campaign(campaign: Campaign | None, taken_on: date, path: str) -> None:
    if campaign is None:
        return
    if not path.startswith(
        campaign.unit_path
    ):  # the person lives in the campaign's area (a district's campaign counts for its communes)
        raise ValidationError(
            {"campaign": _("This person is not in the area of the campaign “%(name)s”.") % {"name": campaign}}
        )
    if taken_on < campaign.start or (campaign.end and taken_on > campaign.end):
        raise ValidationError(
            {"campaign": _("The sampling date is outside the dates of the campaign “%(name)s”.") % {"name": campaign}}
        )


def _code_or_none(code: str) -> str:
    """A code typed by the user, refused when already used (the message names the other sample)."""
    code = normalize_code(code)
    if not code:
        return ""
    if len(code) > 40:
        raise ValidationError({"code": _("A sample code has at most 40 characters.")})
    if Sample.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": _("The sample code %(code)s is already used; check the tube label.") % {"code": code}}
        )
    return code


def _insert_sample(sample: Sample, *, generate_code: bool) -> Sample:
    """Save a new sample; a generated code taken by a concurrent insert is replaced and retried."""
    for _attempt in range(5):
        if generate_code:
            sample.code = next_sample_code(sample.unit, sample.taken_on)
        try:
            with transaction.atomic():
                sample.save()
            return sample
        except IntegrityError:
            if sample.client_id and Sample.objects.filter(client_id=sample.client_id).exists():
                raise ValidationError(
                    _("This sample was saved a moment ago from the same form; open the list of samples.")
                ) from None
            if not generate_code:
                raise ValidationError(
                    {
                        "code": _("The sample code %(code)s is already used; check the tube label.")
                        % {"code": sample.code}
                    }
                ) from None
    raise ValidationError(_("Many samples are being registered at this moment; save again."))


@transaction.atomic
def do_register_sample(
    actor,
    *,
    person: Person,
    kind: str,
    reason: str,
    taken_on: date,
    lab: Lab | None = None,
    campaign: Campaign | None = None,
    code: str = "",
    result: str = "",
    client_id: str | None = None,
) -> tuple[Sample, bool]:
    """Register one person's sample; a rapid antigen test may carry its result at once.

    Returns (sample, created).  The sample belongs to the person's area; without a code one is made
    from the commune and the day (see ``codes``).
    """
    existing = _replay(actor, Sample, client_id)
    if existing is not None:
        return existing, False
    check_can_test_in(actor, person.unit_path)
    today = clock.today()
    if person.merged_into_id:
        raise ValidationError(_("This record was merged into another one; register the sample on that record."))
    if kind not in SampleKind.values or kind == SampleKind.POOLED_RT_PCR:
        raise ValidationError(
            {"kind": _("Choose RT-PCR or rapid antigen test; pooled samples are registered as a pool.")}
        )
    if reason not in SampleReason.values:
        raise ValidationError({"reason": _("Choose why the sample was taken.")})
    _check_taken_on(taken_on, today)
    _check_lab(lab)
    _check_campaign(campaign, taken_on, person.unit_path)
    if result:
        if kind != SampleKind.RAPID_ANTIGEN:
            raise ValidationError(
                {"result": _("An RT-PCR result comes from the laboratory: record it when it arrives.")}
            )
        check_result(kind=kind, status=result, ct=None, result_on=taken_on, taken_on=taken_on, today=today)
    twin = Sample.objects.filter(person=person, kind=kind, taken_on=taken_on, status=SampleStatus.PENDING).first()
    if twin is not None:
        raise ValidationError(
            _("%(name)s already has a sample of this kind taken that day, waiting for its result (%(code)s).")
            % {"name": person.full_name, "code": twin.code}
        )
    typed_code = _code_or_none(code)
    sample = Sample(
        kind=kind,
        person=person,
        reason=reason,
        taken_on=taken_on,
        lab=lab,
        campaign=campaign,
        code=typed_code,
    ).stamp(actor, client_id)
    if result:
        sample.status, sample.result_on = result, taken_on
    sample.place_in(person.unit)
    with tracked() as t:
        _insert_sample(sample, generate_code=not typed_code)
        t.add(sample)
    audit.record(actor, audit.AuditAction.CREATE, sample, detail={"person": person.pk, "kind": kind, "result": result})
    _sampled(actor, [person], sample)
    return sample, True


def _sampled(actor, people: Sequence[Person], sample: Sample) -> int:
    """The people sampled are tested as contacts of any exposure up to the sampling day."""
    return advance_contacts(
        actor, people, ContactStatus.TESTED, cause=f"testing.sample #{sample.pk}", exposed_by=sample.taken_on
    )


def _common_unit(members: Sequence[Person]) -> AdminUnit:
    """The lowest unit containing every member (their village, else their commune…)."""
    unit = AdminUnit.objects.lowest_common(m.unit_path for m in members)
    if unit is None:  # people recorded before a reorganisation of units: let the officer choose
        raise ValidationError({"unit": _("Choose the place where the pool was taken.")})
    return unit


@transaction.atomic
def do_register_pool(
    actor,
    *,
    members: Sequence[Person],
    reason: str,
    taken_on: date,
    unit: AdminUnit | None = None,
    lab: Lab | None = None,
    campaign: Campaign | None = None,
    code: str = "",
    limit: int = DEFAULT_POOL_LIMIT,
    client_id: str | None = None,
) -> tuple[Sample, bool]:
    """One pooled RT-PCR tube for up to ``limit`` people (default 10); returns (pool, created)."""
    existing = _replay(actor, Sample, client_id)
    if existing is not None:
        return existing, False
    today = clock.today()
    if not isinstance(limit, int) or not 2 <= limit <= POOL_LIMIT_CEILING:
        raise ValidationError({"limit": _("A pool holds between 2 and %(max)s people.") % {"max": POOL_LIMIT_CEILING}})
    members = list({m.pk: m for m in members}.values())
    if len(members) < 2:
        raise ValidationError(
            {"members": _("A pool needs at least two people; for one person register a single sample.")}
        )
    if len(members) > limit:
        raise ValidationError(
            {
                "members": _(
                    "A pool holds at most %(limit)s people and this one has %(count)s: split them into two pools."
                )
                % {"limit": limit, "count": len(members)}
            }
        )
    if any(not in_scope(actor, Cap.TESTS_EDIT, m) for m in members):
        raise PermissionDenied(_outside_area())  # never the names of people outside the area
    merged = [m.full_name for m in members if m.merged_into_id]
    if merged:
        raise ValidationError(
            {
                "members": _("These records were merged into other ones; choose those instead: %(names)s.")
                % {"names": ", ".join(merged)}
            }
        )
    unit = unit or _common_unit(members)
    check_can_test_in(actor, unit.path)
    if reason not in SampleReason.values:
        raise ValidationError({"reason": _("Choose why the sample was taken.")})
    _check_taken_on(taken_on, today)
    _check_lab(lab)
    _check_campaign(campaign, taken_on, unit.path)
    typed_code = _code_or_none(code)
    pool = Sample(
        kind=SampleKind.POOLED_RT_PCR,
        reason=reason,
        taken_on=taken_on,
        lab=lab,
        campaign=campaign,
        code=typed_code,
        pool_limit=limit,
    ).stamp(actor, client_id)
    pool.place_in(unit)
    with tracked() as t:
        _insert_sample(pool, generate_code=not typed_code)
        PoolMember.objects.bulk_create([PoolMember(pool=pool, person=m) for m in members])
        t.add(pool)
    audit.record(actor, audit.AuditAction.CREATE, pool, detail={"members": [m.pk for m in members], "limit": limit})
    _sampled(actor, members, pool)
    return pool, True


@transaction.atomic
def do_record_result(
    actor,
    sample: Sample,
    *,
    status: str,
    ct: Decimal | None = None,
    result_on: date | None = None,
    correction: bool = False,
) -> Sample:
    """Enter a sample's result.  A positive pool opens a pending re-test for each of its members.

    Entering the same result again changes nothing.  Changing a positive or negative result needs
    ``correction=True`` (the audit keeps both), and a pool whose re-tests are open keeps its result.
    """
    check_can_test_in(actor, sample.unit_path)
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    check_result(
        kind=sample.kind, status=status, ct=ct, result_on=result_on, taken_on=sample.taken_on, today=clock.today()
    )
    values = {"status": status, "ct_value": ct, "result_on": result_on}
    if all(getattr(sample, f) == v for f, v in values.items()):
        return sample
    if sample.status in FINAL and status != sample.status and not correction:
        raise ValidationError(
            _("This sample already has the result “%(result)s”. Tick “correction” to change it.")
            % {"result": sample.get_status_display()}
        )
    if sample.kind == SampleKind.POOLED_RT_PCR and status != sample.status and sample.retests.exists():
        raise ValidationError(
            _("Individual re-tests were already opened for this pool: its result can no longer change.")
        )
    with tracked(sample):
        changed = _changes(sample, values)
        sample._history_user = actor
        sample.save(update_fields=list(values))
        retests = open_retests([sample], actor)
    detail: dict[str, Any] = {"changed": changed}
    if correction:
        detail["correction"] = True
    if retests:
        detail["retests"] = [r.code for r in retests]
    audit.record(actor, audit.AuditAction.UPDATE, sample, detail=detail)
    return sample


# -- campaigns ------------------------------------------------------------------------------------
def _clean_campaign(data: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Enter the name of the campaign.")
    start, end = data.get("start"), data.get("end")
    if start is None:
        errors["start"] = _("Enter the first day of the campaign.")
    elif end is not None and end < start:
        errors["end"] = _("The last day cannot be before the first day.")
    for key, day in (("start", start), ("end", end)):
        problem = dates.problem(f"campaign.{key}", day)
        if problem and key not in errors:
            errors[key] = problem
    if data.get("sample_kind") not in SampleKind.values:
        errors["sample_kind"] = _("Choose the test used in the campaign.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "start": start,
        "end": end,
        "sample_kind": data["sample_kind"],
        "target_description": (data.get("target_description") or "").strip(),
    }


@transaction.atomic
def do_create_campaign(
    actor, *, unit: AdminUnit, data: dict[str, Any], client_id: str | None = None
) -> tuple[Campaign, bool]:
    existing = _replay(actor, Campaign, client_id)
    if existing is not None:
        return existing, False
    check_can_test_in(actor, unit.path)
    campaign = Campaign(**_clean_campaign(data)).stamp(actor, client_id)
    campaign.place_in(unit)
    campaign.save()
    audit.record(actor, audit.AuditAction.CREATE, campaign)
    return campaign, True


@transaction.atomic
def do_update_campaign(actor, campaign: Campaign, *, data: dict[str, Any]) -> Campaign:
    check_can_test_in(actor, campaign.unit_path)
    fields = ("name", "start", "end", "sample_kind", "target_description")
    changed = _changes(campaign, _clean_campaign({f: getattr(campaign, f) for f in fields} | data))
    if changed:
        campaign._history_user = actor
        campaign.save()
        audit.record(actor, audit.AuditAction.UPDATE, campaign, detail={"changed": changed})
    return campaign


def _targetable(actor, campaign: Campaign) -> models.QuerySet[Person]:
    """People who may be put on the campaign's list: in its area and in the actor's testing scope."""
    return for_user(Person.objects.active(), actor, Cap.TESTS_EDIT).within(campaign.unit_path)


@transaction.atomic
def do_add_targets(actor, campaign: Campaign, people: models.QuerySet[Person] | Iterable[Person]) -> int:
    """Put people on the target list (at most 5,000 at a time); returns how many were not on it yet."""
    check_can_test_in(actor, campaign.unit_path)
    if isinstance(people, models.QuerySet):
        ids = list(people.values_list("pk", flat=True)[: MAX_TARGETS_PER_ADD + 1])
    else:
        ids = list(dict.fromkeys(p.pk for p in people))
    if len(ids) > MAX_TARGETS_PER_ADD:
        raise ValidationError(
            _("At most %(max)s people can be added at once; narrow the filter.")
            % {"max": number_format(MAX_TARGETS_PER_ADD, force_grouping=True)}
        )
    allowed = set(_targetable(actor, campaign).filter(pk__in=ids).values_list("pk", flat=True))
    if len(allowed) != len(set(ids)):
        raise ValidationError(
            _("Only people living in %(unit)s and in your area can be targeted by this campaign.")
            % {"unit": campaign.unit}
        )
    through = Campaign.targets.through
    present = set(through.objects.filter(campaign=campaign, person_id__in=ids).values_list("person_id", flat=True))
    new = [through(campaign_id=campaign.pk, person_id=pk) for pk in ids if pk not in present]
    through.objects.bulk_create(new, batch_size=1000)
    if new:
        audit.record(actor, audit.AuditAction.UPDATE, campaign, detail={"targets_added": len(new)})
    return len(new)


@transaction.atomic
def do_remove_targets(actor, campaign: Campaign, person_ids: Iterable[int]) -> int:
    check_can_test_in(actor, campaign.unit_path)
    removed, _detail = Campaign.targets.through.objects.filter(
        campaign=campaign, person_id__in=list(person_ids)
    ).delete()
    if removed:
        audit.record(actor, audit.AuditAction.UPDATE, campaign, detail={"targets_removed": removed})
    return removed


# -- re-tests of positive pools and lab results in bulk --------------------------------------------
def open_retests(pools: Iterable[Sample], actor) -> list[Sample]:
    """Create the pending individual re-tests of positive pools, in a few queries whatever their number.

    A member's re-test belongs to the member's area (the commune where they live counts it) and is
    dated the day the pool result came back, when the members are called back for sampling.  Re-tests
    that already exist are not created again, so this is safe to repeat.  Tallies are updated here.
    """
    pools = [p for p in pools if p.kind == SampleKind.POOLED_RT_PCR and p.status == SampleStatus.POSITIVE]
    if not pools:
        return []
    members: dict[int, list[PoolMember]] = defaultdict(list)
    for member in PoolMember.objects.filter(pool__in=pools).select_related("person__unit").order_by("pool_id", "pk"):
        members[member.pool_id].append(member)
    wanted: dict[str, Sample] = {}
    for pool in pools:
        for index, member in enumerate(members[pool.pk], start=1):
            retest = Sample(
                code=retest_code(pool.code, index),
                kind=SampleKind.RT_PCR,
                person=member.person,
                reason=pool.reason,
                taken_on=pool.result_on,
                lab=pool.lab,
                campaign=pool.campaign,
                pool=pool,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            retest.place_in(member.person.unit)
            wanted[retest.code] = retest
    existing = set(Sample.objects.filter(code__in=list(wanted)).values_list("code", flat=True))
    new = [sample for code, sample in wanted.items() if code not in existing]
    if not new:
        return []
    user = actor if getattr(actor, "is_authenticated", False) else None
    created = bulk_create_with_history(new, Sample, batch_size=1000, default_user=user)
    engine.apply(engine.contributions_of(created))
    return created


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
