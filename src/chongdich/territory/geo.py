"""Distances and derived neighbours from centroids (pure Python)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest_neighbour_pairs(
    points: Iterable[tuple[Hashable, float, float]], k: int = 4
) -> dict[tuple[Hashable, Hashable], float]:
    """Symmetric k-nearest-neighbour pairs among ``(key, lat, lon)`` points.

    Centroids don't tell which units share a border; the k nearest siblings are the usual
    stand-in (most communes have 4–6 neighbours).  A pair appears once, keyed (a, b) with a < b
    by position in the input, with its distance in km.
    """
    points = list(points)
    pairs: dict[tuple[Hashable, Hashable], float] = {}
    for i, (_key_i, lat_i, lon_i) in enumerate(points):
        distances = sorted(
            (haversine_km(lat_i, lon_i, lat_j, lon_j), j) for j, (_, lat_j, lon_j) in enumerate(points) if j != i
        )
        for distance, j in distances[:k]:
            a, b = (i, j) if i < j else (j, i)
            pairs[(points[a][0], points[b][0])] = round(distance, 3)
    return pairs
