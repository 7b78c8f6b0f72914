"""How often one client address may use a public entry point — the one rate limit of movement's public
doors: the declaration form and the declarations API (one bucket, "declaration"), the form's unit search
("unit_search"), the venue check-in page ("checkin").  A fixed-window counter per (bucket, address) in
Django's cache.  The limits are settings (``CHONGDICH_<BUCKET>_RATE_LIMIT`` requests per
``CHONGDICH_<BUCKET>_RATE_WINDOW`` seconds; a limit of 0 counts nothing and refuses nothing)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from chongdich.core.context import client_ip


def limits(bucket: str) -> tuple[int, int]:
    """(requests allowed, window in seconds) of ``bucket`` ("declaration", "unit_search", "checkin")."""
    name = bucket.upper()
    return (
        int(getattr(settings, f"CHONGDICH_{name}_RATE_LIMIT", 20)),
        int(getattr(settings, f"CHONGDICH_{name}_RATE_WINDOW", 600)),
    )


def allow(request, bucket: str) -> tuple[bool, int]:
    """Count one request of ``request``'s client in ``bucket``: (allowed, seconds until the window
    ends)."""
    return allow_address(bucket, client_ip(request))


def allow_address(bucket: str, address: str | None) -> tuple[bool, int]:
    """``allow`` for a client address found already (the fast ingest front has no Django request).
    A cache that fails lets the request through (the form must not fall with it)."""
    limit, window = limits(bucket)
    if limit <= 0:
        return True, 0
    window = max(window, 1)
    now = int(time.time())
    slot = now // window
    key = f"rate:{bucket}:{address or '-'}:{slot}"
    retry_after = (slot + 1) * window - now
    try:
        cache.add(key, 0, timeout=window + 1)
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    except Exception:  # noqa: BLE001 - an unreachable cache must not refuse declarations
        return True, 0
    return count <= limit, retry_after
