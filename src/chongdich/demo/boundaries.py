"""The demo's unit outlines: the provinces of the whole country and the districts of the demo province,
read from the workspace's shared reference files (``../shared/geo/`` next to the repository, or the
directory ``CHONGDICH_GEO_DIR`` names) through the product's own loader (``load_boundaries``).  The
files are GPL-3.0 data (attribution in their README), never copied into the repository: without them
the demo's map draws circles, and this step says so in one line."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from chongdich.dashboard.actions import BoundaryError, load_boundaries
from chongdich.dashboard.models import UnitBoundary
from chongdich.demo.district import PROVINCE_CODE
from chongdich.territory.models import AdminUnit

PROVINCES = "vn-legacy-provinces.geojson"
DISTRICTS = "vn-legacy-districts.geojson"
# The attribution the files' README asks for, stored on each outline and shown on the map.
SOURCE = "Ranh giới: dvhcvn (daohoangson), GPL-3.0 — gis.chinhphu.vn, TCTK"


def geo_dir() -> Path:
    """``CHONGDICH_GEO_DIR``, or ``../shared/geo`` beside the repository."""
    configured = os.environ.get("CHONGDICH_GEO_DIR", "")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "shared" / "geo"


def load_demo_boundaries(say: Callable[[str], None] = print, directory: Path | None = None) -> int:
    """Load the outlines once (a second call finds them loaded); returns the number loaded."""
    directory = directory or geo_dir()
    provinces, districts = directory / PROVINCES, directory / DISTRICTS
    if not provinces.is_file() or not districts.is_file():
        say(f"unit outlines not found in {directory} (set CHONGDICH_GEO_DIR): the map draws circles")
        return 0
    province = AdminUnit.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        return 0
    if UnitBoundary.objects.filter(unit_path__startswith=province.path, unit__level="district").exists():
        return 0
    loaded = 0
    try:
        # Provinces for the national map (their outlines are coarse already: simplified a little more).
        loaded += load_boundaries(provinces, tolerance=0.002, skip_unmatched=True, source=SOURCE).loaded
        loaded += load_boundaries(districts, tolerance=0.0005, within=PROVINCE_CODE, source=SOURCE).loaded
    except BoundaryError as error:
        say(f"unit outlines not loaded: {error}")
        return loaded
    say(f"unit outlines loaded from {directory}: {loaded} provinces and districts")
    return loaded
