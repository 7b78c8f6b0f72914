"""The signed payload of a vaccination certificate's QR code (format ``CD1``), without Django.

    CD1:<body>.<signature>

- ``body``: base64url (no padding) of the UTF-8 JSON object
  ``{"k": kid, "n": full name, "b": date of birth, "d": [[product, date given, lot], …], "i": issued}``
  — dates ``YYYY-MM-DD`` (``b`` may be a bare year ``YYYY`` when only the year is known), ``product``
  the catalogue's code (``AZ``, ``PF``, ``MO``, ``VC``…), ``lot`` the lot number or ``""``; doses
  oldest first; no other key.
- ``signature``: base64url (no padding) of the Ed25519 signature of the ASCII text ``CD1:<body>``
  (everything before the dot) with the key named by ``kid``.

docs/vaccination/certificates.md says the same for a third party, with a worked example.  The QR code
holds the verification page's address with the payload as its ``c`` parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "CD1:"
MAX_PAYLOAD = 1200  # characters: far above what a certificate of 10 doses takes (~450)
MAX_DOSES = 10
MAX_NAME = 120  # people.Person.full_name
MAX_PRODUCT = 8  # vaccination.Dose.product
MAX_LOT = 40  # vaccination.Dose.lot_number
KEYS = {"k", "n", "b", "d", "i"}
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_KID = re.compile(r"[A-Za-z0-9_-]{8}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")


class Verdict(StrEnum):
    VALID = "valid"
    INVALID_SIGNATURE = "invalid_signature"  # altered, or signed with another key under this kid
    UNKNOWN_KEY = "unknown_key"  # signed by a key this deployment does not know (another system, or a forgery)
    MALFORMED = "malformed"  # not a CD1 payload at all


@dataclass(frozen=True)
class DoseLine:
    product: str
    given_on: date
    lot: str = ""


@dataclass(frozen=True)
class Certificate:
    kid: str
    name: str
    date_of_birth: str  # "YYYY-MM-DD", or "YYYY" when only the year is known
    doses: tuple[DoseLine, ...]
    issued_on: date

    def body(self) -> dict:
        return {
            "k": self.kid,
            "n": self.name,
            "b": self.date_of_birth,
            "d": [[dose.product, dose.given_on.isoformat(), dose.lot] for dose in self.doses],
            "i": self.issued_on.isoformat(),
        }

    @property
    def birth_day(self) -> date | None:
        return date.fromisoformat(self.date_of_birth) if len(self.date_of_birth) == 10 else None

    @property
    def birth_year(self) -> int:
        return int(self.date_of_birth[:4])


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    certificate: Certificate | None = None  # what the payload holds (None when malformed)
    kid: str = ""

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    """Strict base64url without padding: any other character, or a text that does not re-encode to
    itself, is refused (so that one payload has one spelling)."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url(raw) != text:
        raise ValueError("not canonical base64url")
    return raw


def encode(certificate: Certificate, key: Ed25519PrivateKey) -> str:
    body = json.dumps(certificate.body(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    signed = PREFIX + b64url(body)
    return f"{signed}.{b64url(key.sign(signed.encode('ascii')))}"


def extract(text: str) -> str:
    """The payload in what a person pasted: the payload itself, or the whole address of the QR code
    (``…/verify/?c=CD1:…``); spaces and line breaks removed."""
    text = "".join(text.split())
    if not text.startswith(PREFIX) and "c=" in text:
        try:
            found = parse_qs(urlsplit(text).query).get("c")
        except ValueError:
            found = None
        if found:
            text = "".join(found[0].split())
    return text


def _day(value) -> date:
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError("not a date")
    return date.fromisoformat(value)


def _text(value, limit: int, *, required: bool = False) -> str:
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise ValueError("not a text")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("control characters")
    return value


def _certificate(data) -> Certificate:
    """The body's fields, each checked; anything else is ``ValueError``."""
    if not isinstance(data, dict) or set(data) != KEYS:
        raise ValueError("not a CD1 body")
    kid = data["k"]
    if not isinstance(kid, str) or not _KID.fullmatch(kid):
        raise ValueError("kid")
    birth = data["b"]
    if not isinstance(birth, str) or not (_DAY.fullmatch(birth) or _YEAR.fullmatch(birth)):
        raise ValueError("date of birth")
    if len(birth) == 10:
        _day(birth)
    doses = data["d"]
    if not isinstance(doses, list) or len(doses) > MAX_DOSES:
        raise ValueError("doses")
    lines = []
    for dose in doses:
        if not isinstance(dose, list) or len(dose) != 3:
            raise ValueError("dose")
        lines.append(DoseLine(_text(dose[0], MAX_PRODUCT, required=True), _day(dose[1]), _text(dose[2], MAX_LOT)))
    return Certificate(
        kid=kid,
        name=_text(data["n"], MAX_NAME, required=True),
        date_of_birth=birth,
        doses=tuple(lines),
        issued_on=_day(data["i"]),
    )


def decode(payload: str) -> tuple[Certificate, str, bytes]:
    """(what the payload holds, the signed text, the signature) — ``ValueError`` when it is not a CD1
    payload.  Nothing is verified here: see ``verify``."""
    if not isinstance(payload, str) or len(payload) > MAX_PAYLOAD or not payload.startswith(PREFIX):
        raise ValueError("not a CD1 payload")
    signed, dot, signature = payload.rpartition(".")
    if not dot:
        raise ValueError("no signature")
    raw_signature = _unb64url(signature)
    if len(raw_signature) != 64:
        raise ValueError("signature length")
    try:
        data = json.loads(_unb64url(signed[len(PREFIX) :]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ValueError("body is not JSON") from None
    return _certificate(data), signed, raw_signature


def verify(payload: str, keys: Mapping[str, Ed25519PublicKey]) -> Verification:
    """Check a payload against the known public keys (kid → key).  Never raises."""
    try:
        certificate, signed, signature = decode(payload)
    except (ValueError, binascii.Error, OverflowError):
        return Verification(Verdict.MALFORMED)
    key = keys.get(certificate.kid)
    if key is None:
        return Verification(Verdict.UNKNOWN_KEY, certificate, certificate.kid)
    try:
        key.verify(signature, signed.encode("ascii"))
    except InvalidSignature:
        return Verification(Verdict.INVALID_SIGNATURE, certificate, certificate.kid)
    return Verification(Verdict.VALID, certificate, certificate.kid)


def qr_svg(content: str, *, title: str = "") -> str:
    """The QR code as inline SVG that scales to the box it is put in (a ``viewBox``, no size), error
    correction M at least (segno raises it when that costs no size), a quiet zone of 4 modules."""
    import segno  # imported here: only the pages that draw a code need it

    code = segno.make(content, error="m", micro=False)
    return code.svg_inline(border=4, title=title or None, svgclass="qr", lineclass=None, omitsize=True)
