"""Static assets served from installed XStatic packages (no CDN, no vendored copies)."""

from __future__ import annotations

import importlib

XSTATIC_PACKAGES = ("bootstrap", "leaflet", "leaflet_markercluster")


def xstatic_dirs() -> list[tuple[str, str]]:
    """STATICFILES_DIRS entries: ``static/xstatic/<name>/…`` for each installed package."""
    dirs = []
    for name in XSTATIC_PACKAGES:
        module = importlib.import_module(f"xstatic.pkg.{name}")
        dirs.append((f"xstatic/{name}", module.BASE_DIR))
    return dirs
