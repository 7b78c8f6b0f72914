"""The ``do_*`` actions on clusters: named outbreak sites (a market, a factory), linked to chains.

A cluster belongs to the unit where the site is; cases of any area can point at it.  Chains are
linked to a cluster when one of their cases is (``actions.do_confirm_case``) or by hand here.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import audit, clock, dates
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.surveillance.models import Chain, Cluster
from chongdich.tallies.engine import tracked

FIELDS = ("name", "setting", "source_known", "address", "opened_on", "closed_on", "notes")


def _check_can_edit(actor, path: str) -> None:
    if not in_scope(actor, Cap.CASES_EDIT, path):
        raise PermissionDenied(_("You may only record clusters in your area."))


def _validate(values: dict) -> None:
    opened: date | None = values.get("opened_on")
    closed: date | None = values.get("closed_on")
    if not (values.get("name") or "").strip():
        raise ValidationError({"name": _("Give the cluster a name (e.g. “Chợ Đức Hạnh”).")})
    dates.check("cluster.opened_on", opened)
    dates.check("cluster.closed_on", closed)
    if opened and closed and closed < opened:
        raise ValidationError({"closed_on": _("A cluster cannot close before its first case.")})


@transaction.atomic
def do_create_cluster(actor, *, unit, **values) -> tuple[Cluster, bool]:
    """Create a cluster; returns (cluster, created).  The same name, unit and first date again (a
    re-sent form) returns the existing one."""
    _check_can_edit(actor, unit.path)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a cluster field: {sorted(unknown)}")
    values["name"] = " ".join((values.get("name") or "").split())
    if values.get("opened_on") is None:  # the system's today (pinned in drills), also for the re-sent form check
        values["opened_on"] = clock.today()
    _validate(values)
    existing = Cluster.objects.filter(unit=unit, name__iexact=values["name"], opened_on=values.get("opened_on")).first()
    if existing is not None:
        return existing, False
    cluster = Cluster(**{k: v for k, v in values.items() if v is not None or k == "closed_on"})
    cluster.place_in(unit)
    cluster._history_user = actor
    with tracked() as tally:  # open in its commune's cluster tallies
        cluster.save()
        tally.add(cluster)
    audit.record(actor, audit.AuditAction.CREATE, cluster)
    return cluster, True


@transaction.atomic
def do_update_cluster(actor, cluster: Cluster, *, unit=None, **changes) -> Cluster:
    _check_can_edit(actor, cluster.unit_path)
    if unit is not None and unit.pk != cluster.unit_id:
        _check_can_edit(actor, unit.path)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a cluster field: {sorted(unknown)}")
    if "name" in changes:
        changes["name"] = " ".join((changes["name"] or "").split())
    merged = {name: getattr(cluster, name) for name in FIELDS} | changes
    _validate(merged)
    changed = {k: [str(getattr(cluster, k)), str(v)] for k, v in changes.items() if getattr(cluster, k) != v}
    if unit is not None and unit.pk != cluster.unit_id:
        changed["unit"] = [cluster.unit.code, unit.code]
        cluster.place_in(unit)
    if not changed:
        return cluster
    for name, value in changes.items():
        setattr(cluster, name, value)
    cluster._history_user = actor
    with tracked(cluster):  # its dates, commune, setting and source move in the cluster tallies
        cluster.save()
    audit.record(actor, audit.AuditAction.UPDATE, cluster, detail={"changed": changed})
    return cluster


@transaction.atomic
def do_link_chain(actor, cluster: Cluster, chain: Chain) -> None:
    """Link a transmission chain (its root) to a cluster, e.g. when an investigation finds the site."""
    _check_can_edit(actor, cluster.unit_path)
    root = chain if chain.parent_id is None else chain.parent
    if root.clusters.filter(pk=cluster.pk).exists():
        return
    root.clusters.add(cluster)
    audit.record(actor, audit.AuditAction.UPDATE, cluster, detail={"linked_chain": root.pk})
