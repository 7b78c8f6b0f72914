"""The deployment's key that signs vaccination certificates (Ed25519), and the public keys that verify them.

The private key lives in ``settings.CHONGDICH_SIGNING_KEY_FILE`` (PKCS#8 PEM, unencrypted, mode 0600 in
a 0700 directory), made on first use — by the first certificate, or beforehand by ``chongdich
vaccination_signing_key``, which prints the public key to publish.  A key is named by its *key id*
(``kid``): the first 6 bytes of the SHA-256 of the raw 32-byte public key, base64url (8 characters).
The kid travels in every payload, so the key can be replaced: a retired key's public key goes in
``settings.CHONGDICH_SIGNING_PUBLIC_KEYS`` and the certificates it signed stay verifiable.

The format of the payload itself is ``vaccination.certificates`` (no Django there).
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KID_BYTES = 6
_lock = threading.Lock()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def kid_of(key: Ed25519PublicKey) -> str:
    """The key id: base64url of the first 6 bytes of SHA-256 over the raw public key."""
    return b64url(hashlib.sha256(raw_public(key)).digest()[:KID_BYTES])


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private: Ed25519PrivateKey
    path: Path

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_b64(self) -> str:
        """The public key as ``CHONGDICH_SIGNING_PUBLIC_KEYS`` and third parties take it (raw, base64url)."""
        return b64url(raw_public(self.public))

    @property
    def public_pem(self) -> str:
        return self.public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")


def _read(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"{path} is not an unencrypted PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} holds a {type(key).__name__}, not an Ed25519 key.")
    return key


def _create(path: Path) -> None:
    """Write a new key to ``path`` unless one is there: written aside, then linked into place, so that
    two processes starting at once end up with the same key and nobody reads half a file."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    aside = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process was first: its key is the key
    finally:
        aside.unlink(missing_ok=True)


@lru_cache(maxsize=8)
def _load(path: Path) -> SigningKey:
    with _lock:
        if not path.exists():
            _create(path)
        private = _read(path)
    return SigningKey(kid_of(private.public_key()), private, path)


def signing_key() -> SigningKey:
    """The deployment's key, made on first use."""
    return _load(Path(settings.CHONGDICH_SIGNING_KEY_FILE))


def rotate() -> tuple[SigningKey, SigningKey]:
    """Replace the key: the old file is kept beside it as ``<name>.<kid>.retired``.  Returns (old, new);
    the old public key must be added to ``CHONGDICH_SIGNING_PUBLIC_KEYS`` for its certificates to verify."""
    old = signing_key()
    with _lock:
        old.path.rename(old.path.with_name(f"{old.path.name}.{old.kid}.retired"))
        _load.cache_clear()
    return old, signing_key()


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A public key as printed by the command: raw 32 bytes in base64url (padding optional), or PEM."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    return Ed25519PublicKey.from_public_bytes(raw)


@lru_cache(maxsize=8)
def _extra_keys(texts: tuple[str, ...]) -> dict[str, Ed25519PublicKey]:
    keys = {}
    for text in texts:
        try:
            key = parse_public_key(text)
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(
                f"CHONGDICH_SIGNING_PUBLIC_KEYS: {text[:20]}… is not an Ed25519 public key ({error})."
            ) from None
        keys[kid_of(key)] = key
    return keys


def verifying_keys() -> dict[str, Ed25519PublicKey]:
    """kid → public key: the current key and every retired one listed in the settings."""
    current = signing_key()
    return {**_extra_keys(tuple(settings.CHONGDICH_SIGNING_PUBLIC_KEYS)), current.kid: current.public}
