"""Packing unit boundaries small for the map (loading them is ``actions.load_boundaries``)."""

from __future__ import annotations

from collections.abc import Iterable

# -- packing for the map -------------------------------------------------------------------------


def pack_ring(ring: Iterable) -> list[int]:
    """[lon, lat] pairs → integers at 1e-4°, the first absolute and the others as differences:
    [x0, y0, dx1, dy1, …] (small numbers, few characters)."""
    packed: list[int] = []
    px = py = 0
    for lon, lat, *_rest in ring:
        x, y = round(lon * 10_000), round(lat * 10_000)
        packed += [x - px, y - py]
        px, py = x, y
    return packed


def pack_geometry(geometry: dict) -> list[list[list[int]]]:
    """A GeoJSON (Multi)Polygon → a list of polygons, each a list of packed rings (outer ring first)."""
    polygons = [geometry["coordinates"]] if geometry.get("type") == "Polygon" else geometry.get("coordinates", [])
    return [[pack_ring(ring) for ring in polygon] for polygon in polygons]


def unpack_ring(packed: list[int]) -> list[tuple[float, float]]:
    """The inverse of ``pack_ring`` (used by tests; the map does the same in JavaScript)."""
    points, x, y = [], 0, 0
    for i in range(0, len(packed), 2):
        x += packed[i]
        y += packed[i + 1]
        points.append((x / 10_000, y / 10_000))
    return points
