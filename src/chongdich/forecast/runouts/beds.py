"""Beds and quarantine places: each facility × bed type, each district's own beds by type, and each
area's quarantine places.

**Capacity and occupancy** are care's own figures on the day (``care.selectors.capacity_on`` — the
running sum of capacity changes — and ``occupied_on`` — the stays open at the end of the day, as the
tallies count them): two grouped queries for every facility of every province.

**A facility's projected occupancy.**  The nightly run projects, per district and bed type, the beds in
use each day (``Projection.demand[bed_type]``).  A district's patients go to the beds that serve it: the
district's own facilities (any facility whose unit lies in the district) and the province's own-level
facilities (a provincial hospital takes patients from every district).  The projected *change* in the
district's beds in use (the projection minus the beds in use in the district's facilities now) is shared
among those beds by capacity: a facility with a quarter of the beds serving the district takes a quarter
of its growth (or of its decline), starting from what it holds now, never below zero.  So a facility
that is nearly full now fills before an empty one of the same district, the province's facilities
take the growth of a district that has no beds of a type, and the shares of a district add up to its
projected change (no patient is counted twice).  Sharing by current capacity is the simplest rule that
needs no referral data the system does not hold; occupancy-weighted shares were rejected because an
empty facility would then never fill.

**Rows.**  A facility with no beds of a type has no row for it.  One row per district and bed type sums
its own facilities (capacity, beds in use, and the district's share of the change); the quarantine
places of a district (kind ``quarantine``) are that same sum for quarantine places, and each province
has one more: the province's projected F1 in quarantine against all its quarantine places.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from django.db.models import Q
from django.urls import reverse

from chongdich.care.models import BedType, Facility
from chongdich.care.selectors import capacity_on, occupied_on
from chongdich.forecast.models import RunoutKind
from chongdich.forecast.runouts.common import (
    Day,
    Place,
    bed_label,
    district_path,
    is_province_level,
    province_path,
    runout,
)
from chongdich.forecast.runouts.paths import both_crossings, rounded, shared_change


def code_of(path: str) -> str:
    return path.strip("/").split("/")[-1]


def open_facilities(day):
    """Facilities open on ``day`` (as care's lists count them: not closed on or before it)."""
    return Facility.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def rows(ctx: Day) -> list:
    facilities = list(
        open_facilities(ctx.day)
        .values("pk", "name", "unit_id", "unit_path", "province_code", "commune_code")
        .order_by("unit_path", "name", "pk")
    )
    if not facilities:
        return []
    ids = open_facilities(ctx.day).values("pk")
    capacity, occupied = capacity_on(ids, ctx.day), occupied_on(ids, ctx.day)
    out = []
    for bed_type in BedType.values:
        out += _rows_of_type(ctx, bed_type, facilities, capacity, occupied)
    out += _province_quarantine(ctx, facilities, capacity, occupied)
    return out


def _rows_of_type(ctx: Day, bed_type: str, facilities, capacity, occupied) -> list:
    width = ctx.horizon
    cap = {f["pk"]: max(capacity.get((f["pk"], bed_type), 0), 0) for f in facilities}
    occ = {f["pk"]: occupied.get((f["pk"], bed_type), 0) for f in facilities}
    own_cap: dict[str, int] = defaultdict(int)  # by district path
    own_occ: dict[str, int] = defaultdict(int)
    pool_cap: dict[str, int] = defaultdict(int)  # the province's own-level beds, by province path
    for f in facilities:
        if is_province_level(f["unit_path"]):
            pool_cap[f["unit_path"]] += cap[f["pk"]]
        else:
            district = district_path(f["unit_path"])
            own_cap[district] += cap[f["pk"]]
            own_occ[district] += occ[f["pk"]]
    # The districts whose change is shared: those with beds of their own, and every projected district
    # of a province whose own-level facilities have beds of the type.
    districts = {d for d, c in own_cap.items() if c > 0}
    districts |= {p.place.unit_path for p in ctx.districts() if pool_cap.get(province_path(p.place.unit_path), 0) > 0}
    serving = {d: own_cap.get(d, 0) + pool_cap.get(province_path(d), 0) for d in districts}
    change = {}  # district path → (q50, q95) change of beds in use, NaN without a projection
    for d in districts:
        projected = ctx.projections.get(d)
        if projected is None:
            change[d] = (np.full(width, np.nan), np.full(width, np.nan))
        else:
            now = own_occ.get(d, 0)
            change[d] = tuple(projected.path(bed_type, q, width) - now for q in ("q50", "q95"))

    subjects, places, refs, links, caps, occs, details = [], [], [], [], [], [], []
    changes50, changes95 = [], []
    for f in facilities:
        beds = cap[f["pk"]]
        if beds <= 0:
            continue
        detail = {"measure": "beds", "bed_type": bed_type}
        if is_province_level(f["unit_path"]):
            served = [d for d in districts if province_path(d) == f["unit_path"] and serving[d] > 0]
            shares = {d: beds / serving[d] for d in served}
            projected = [d for d in served if not np.isnan(change[d][0]).all()]
            if projected:
                c50 = np.nansum([shares[d] * change[d][0] for d in projected], axis=0)
                c95 = np.nansum([shares[d] * change[d][1] for d in projected], axis=0)
            else:
                c50 = c95 = np.full(width, np.nan)
            detail |= {
                "catchment": code_of(f["unit_path"]),
                "shares": {code_of(d): round(shares[d], 4) for d in sorted(served)},
                "projection": bool(projected),
            }
        else:
            d = district_path(f["unit_path"])
            share = beds / serving[d]
            c50, c95 = share * change[d][0], share * change[d][1]
            detail |= {
                "catchment": code_of(d),
                "share": round(share, 4),
                "serving_capacity": serving[d],
                "projection": d in ctx.projections,
            }
        subjects.append(f"{f['name']} · {bed_label(bed_type)}")
        places.append(Place.of_record(f, f["name"]))
        refs.append(f"facility:{f['pk']}:{bed_type}")
        links.append(reverse("care:facility", args=[f["pk"]]))
        caps.append(beds)
        occs.append(occ[f["pk"]])
        details.append(detail)
        changes50.append(c50)
        changes95.append(c95)

    out = []
    if caps:
        ones = np.ones(len(caps))
        q50 = shared_change(occs, ones, np.array(changes50))
        q95 = shared_change(occs, ones, np.array(changes95))
        days, early = both_crossings(occs, caps, q50, q95)
        for i in range(len(caps)):
            details[i] |= {"q50": rounded(q50[i]), "q95": rounded(q95[i])}
            out.append(
                runout(
                    ctx.day,
                    RunoutKind.BEDS,
                    places[i],
                    subject=subjects[i],
                    ref=refs[i],
                    link=links[i],
                    capacity=caps[i],
                    current=occs[i],
                    days=days[i],
                    early=early[i],
                    detail=details[i],
                )
            )
    out += _district_rows(ctx, bed_type, own_cap, own_occ, serving, change)
    return out


def _district_rows(ctx: Day, bed_type, own_cap, own_occ, serving, change) -> list:
    """One row per district with beds of the type: its own facilities summed."""
    paths = sorted(d for d, c in own_cap.items() if c > 0)
    if not paths:
        return []
    places = ctx.units(paths)
    paths = [d for d in paths if d in places]
    caps = [own_cap[d] for d in paths]
    occs = [own_occ[d] for d in paths]
    shares = [own_cap[d] / serving[d] for d in paths]
    q50 = shared_change(occs, shares, np.array([change[d][0] for d in paths]).reshape(len(paths), -1))
    q95 = shared_change(occs, shares, np.array([change[d][1] for d in paths]).reshape(len(paths), -1))
    days, early = both_crossings(occs, caps, q50, q95)
    kind = RunoutKind.QUARANTINE if bed_type == BedType.QUARANTINE else RunoutKind.BEDS
    out = []
    for i, d in enumerate(paths):
        place = places[d]
        ref = f"unit:{d.strip('/')}" if kind == RunoutKind.QUARANTINE else f"unit:{d.strip('/')}:{bed_type}"
        out.append(
            runout(
                ctx.day,
                kind,
                place,
                subject=f"{place.name} · {bed_label(bed_type)}",
                ref=ref,
                link=reverse("care:facilities") + f"?unit={place.code}",
                capacity=caps[i],
                current=occs[i],
                days=days[i],
                early=early[i],
                detail={
                    "measure": "beds",
                    "bed_type": bed_type,
                    "share": round(shares[i], 4),
                    "serving_capacity": serving[d],
                    "projection": d in ctx.projections,
                    "q50": rounded(q50[i]),
                    "q95": rounded(q95[i]),
                },
            )
        )
    return out


def _province_quarantine(ctx: Day, facilities, capacity, occupied) -> list:
    """Per province: its projected F1 in quarantine against all its quarantine places."""
    cap: dict[str, int] = defaultdict(int)
    occ: dict[str, int] = defaultdict(int)
    for f in facilities:
        province = province_path(f["unit_path"])
        cap[province] += max(capacity.get((f["pk"], BedType.QUARANTINE), 0), 0)
        occ[province] += occupied.get((f["pk"], BedType.QUARANTINE), 0)
    paths = sorted(p for p, c in cap.items() if c > 0)
    if not paths:
        return []
    places = ctx.units(paths)
    paths = [p for p in paths if p in places]
    width = ctx.horizon

    def path(p, q):
        projected = ctx.projections.get(p)
        return projected.path(BedType.QUARANTINE, q, width) if projected else np.full(width, np.nan)

    q50 = np.array([path(p, "q50") for p in paths]).reshape(len(paths), -1)
    q95 = np.array([path(p, "q95") for p in paths]).reshape(len(paths), -1)
    days, early = both_crossings([occ[p] for p in paths], [cap[p] for p in paths], q50, q95)
    return [
        runout(
            ctx.day,
            RunoutKind.QUARANTINE,
            places[p],
            subject=f"{places[p].name} · {bed_label(BedType.QUARANTINE)}",
            ref=f"unit:{p.strip('/')}",
            link=reverse("care:facilities") + f"?unit={places[p].code}",
            capacity=cap[p],
            current=occ[p],
            days=days[i],
            early=early[i],
            detail={
                "measure": "places",
                "bed_type": BedType.QUARANTINE,
                "projection": p in ctx.projections,
                "q50": rounded(q50[i]),
                "q95": rounded(q95[i]),
            },
        )
        for i, p in enumerate(paths)
    ]
