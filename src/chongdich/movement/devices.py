"""Device tokens: how a checkpoint's phone or a venue's scanner authenticates to the API
(``Authorization: Device <token>``).

A token is ``dv_`` and 43 random characters; only its SHA-256 digest is stored (``DeviceToken.digest``)
with its first characters (``prefix``) to recognise it in lists.  A token works until it expires or is
revoked; ``last_used_at`` is written at most once a minute.  The fast ingest front (``movement.front``)
keeps a looked-up token for ``CHONGDICH_DEVICE_TOKEN_CACHE_SECONDS`` (5 s): a revocation takes effect
within that time everywhere.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from chongdich.core import clock
from chongdich.movement.models import Checkpoint, DeviceToken

PREFIX = "dv_"
SCHEME = "Device"
LAST_USED_EVERY = timedelta(minutes=1)
DEFAULT_DAYS = 365


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(place, label: str, *, actor=None, expires_at=None, client_id: str | None = None) -> tuple[DeviceToken, str]:
    """A new token for ``place`` (a Checkpoint or a Venue) and its secret, shown once."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = DeviceToken(
        label=label,
        checkpoint=place if isinstance(place, Checkpoint) else None,
        venue=None if isinstance(place, Checkpoint) else place,
        digest=digest(raw),
        prefix=raw[:8],
        expires_at=expires_at or clock.now() + timedelta(days=DEFAULT_DAYS),
    )
    token.place_in(place.unit)
    token.stamp(actor, client_id)
    token.save()
    return token, raw


def usable(token: DeviceToken | None) -> bool:
    return token is not None and token.revoked_at is None and token.expires_at > clock.now()


def _lookup(raw: str) -> DeviceToken | None:
    return (
        DeviceToken.objects.select_related("venue", "venue__unit", "checkpoint", "checkpoint__unit")
        .filter(digest=digest(raw))
        .first()
    )


def _touch(token: DeviceToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def authenticate(raw: str | None) -> DeviceToken | None:
    """The usable token behind ``raw`` (its venue or checkpoint loaded), or None."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = _lookup(raw)
    if not usable(token):
        return None
    _touch(token)
    return token


def from_header(value: str | None) -> str | None:
    """``Device <token>`` → the token (None for another scheme)."""
    if not value:
        return None
    scheme, _, raw = value.strip().partition(" ")
    return raw.strip() if scheme.lower() == SCHEME.lower() else None


class CachedTokens:
    """Tokens looked up in the last few seconds (per process; the fast front's path)."""

    def __init__(self):
        self._tokens: dict[str, tuple[float, DeviceToken | None]] = {}
        self._lock = threading.Lock()

    def authenticate(self, raw: str | None) -> DeviceToken | None:
        if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
            return None
        ttl = float(getattr(settings, "CHONGDICH_DEVICE_TOKEN_CACHE_SECONDS", 5))
        now = time.monotonic()
        hit = self._tokens.get(raw)
        if hit is None or now - hit[0] > ttl:
            token = _lookup(raw)
            with self._lock:
                if len(self._tokens) > 10_000:
                    self._tokens.clear()
                self._tokens[raw] = (now, token)
        else:
            token = hit[1]
        if not usable(token):
            return None
        _touch(token)
        return token

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


CACHE = CachedTokens()
