"""The CD1 payload: signed and verified round trip, every alteration refused, unknown keys named, any
string at all classified without an exception; the deployment key made once with 0600 permissions."""

from __future__ import annotations

import base64
import json
import stat
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from chongdich.vaccination import certificates as cd1
from chongdich.vaccination import signing
from chongdich.vaccination.certificates import Certificate, DoseLine, Verdict

KEY = Ed25519PrivateKey.generate()
KID = signing.kid_of(KEY.public_key())
KEYS = {KID: KEY.public_key()}
CERT = Certificate(
    kid=KID,
    name="Nguyễn Thị Phương Thảo",
    date_of_birth="1985-03-02",
    doses=(
        DoseLine("AZ", date(2021, 8, 1), "NJ0123"),
        DoseLine("PF", date(2021, 10, 20), "FK5678"),
        DoseLine("PF", date(2022, 3, 15), ""),
    ),
    issued_on=date(2022, 3, 20),
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _resign(body: dict, key=KEY) -> str:
    signed = cd1.PREFIX + _b64(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
    return f"{signed}.{_b64(key.sign(signed.encode()))}"


def test_round_trip():
    payload = cd1.encode(CERT, KEY)
    assert payload.startswith("CD1:") and payload.count(".") == 1
    result = cd1.verify(payload, KEYS)
    assert result.verdict == Verdict.VALID and result.valid
    assert result.certificate == CERT


def test_the_payload_fits_a_readable_qr_code():
    import segno

    payload = cd1.encode(CERT, KEY)
    address = "https://chongdich.soyte.example.gov.vn/vaccination/verify/?c=" + payload
    code = segno.make(address, error="m", micro=False)
    assert len(payload) < 360 and code.version <= 16  # 81 modules: 0.5 mm each on a 45 mm print
    assert code.error in ("M", "Q", "H")


def test_a_year_of_birth_alone():
    cert = Certificate(KID, "Lò Văn Páo", "1950", (DoseLine("VC", date(2021, 9, 1)),), date(2021, 10, 1))
    result = cd1.verify(cd1.encode(cert, KEY), KEYS)
    assert result.valid and result.certificate.birth_day is None and result.certificate.birth_year == 1950


def test_any_change_of_the_body_breaks_the_signature():
    payload = cd1.encode(CERT, KEY)
    signed, signature = payload.split(".")
    body = json.loads(base64.urlsafe_b64decode(signed[4:] + "=" * (-len(signed[4:]) % 4)))
    body["d"][0][1] = "2021-07-01"  # a dose a month earlier
    forged_signed = cd1.PREFIX + _b64(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
    assert cd1.verify(f"{forged_signed}.{signature}", KEYS).verdict == Verdict.INVALID_SIGNATURE


def test_a_signature_from_another_key_under_our_kid_is_invalid():
    impostor = Ed25519PrivateKey.generate()
    assert cd1.verify(_resign(CERT.body(), impostor), KEYS).verdict == Verdict.INVALID_SIGNATURE


def test_every_flipped_character_is_refused():
    payload = cd1.encode(CERT, KEY)
    for i in range(4, len(payload)):
        if payload[i] == ".":
            continue
        flipped = payload[:i] + ("A" if payload[i] != "A" else "B") + payload[i + 1 :]
        assert cd1.verify(flipped, KEYS).verdict != Verdict.VALID, i


def test_unknown_key_names_its_kid_and_shows_the_contents():
    other = Ed25519PrivateKey.generate()
    kid = signing.kid_of(other.public_key())
    cert = Certificate(kid, CERT.name, CERT.date_of_birth, CERT.doses, CERT.issued_on)
    result = cd1.verify(cd1.encode(cert, other), KEYS)
    assert result.verdict == Verdict.UNKNOWN_KEY and result.kid == kid and result.certificate.name == CERT.name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "CD1:",
        "CD1:.",
        "CD1:abc",
        "CD2:" + cd1.encode(CERT, KEY)[4:],
        cd1.encode(CERT, KEY) + "x",
        cd1.encode(CERT, KEY).replace(".", ""),
        "CD1:" + "A" * 2000,
        "CD1:eyJ9.AAAA",
        "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH",
        "https://example.com/?c=",
        "CD1:" + _b64(b"\xff\xfe") + "." + _b64(b"x" * 64),
    ],
)
def test_malformed(text):
    assert cd1.verify(text, KEYS).verdict == Verdict.MALFORMED


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b.pop("i"),
        lambda b: b.update(x=1),
        lambda b: b.update(n=""),
        lambda b: b.update(n="A" * 121),
        lambda b: b.update(n="Tab\tName"),
        lambda b: b.update(b="1985-02-30"),
        lambda b: b.update(b="85"),
        lambda b: b.update(b=1985),
        lambda b: b.update(d=[["PF", "2021-10-20"]]),
        lambda b: b.update(d=[["PF", "20/10/2021", ""]]),
        lambda b: b.update(d=[["", "2021-10-20", ""]]),
        lambda b: b.update(d=[["PF", "2021-10-20", ""]] * 11),
        lambda b: b.update(d={"PF": 1}),
        lambda b: b.update(k="short"),
        lambda b: b.update(i=None),
    ],
)
def test_a_signed_body_out_of_shape_is_malformed(change):
    body = CERT.body()
    change(body)
    assert cd1.verify(_resign(body), KEYS).verdict == Verdict.MALFORMED


def test_a_body_that_is_not_an_object():
    for body in ([1, 2], "CD1", None, 3):
        assert cd1.verify(_resign(body), KEYS).verdict == Verdict.MALFORMED


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400) | st.text(alphabet="CD1:.-_AZaz09", max_size=400).map(lambda s: "CD1:" + s))
def test_any_text_is_classified_without_an_exception(text):
    assert cd1.verify(text, KEYS).verdict in (Verdict.MALFORMED, Verdict.INVALID_SIGNATURE, Verdict.UNKNOWN_KEY)


def test_the_address_of_the_qr_code_may_be_pasted_whole():
    payload = cd1.encode(CERT, KEY)
    assert cd1.extract(f"https://x.vn/vaccination/verify/?c={payload}") == payload
    assert cd1.extract(f"  {payload[:40]}\n{payload[40:]} ") == payload
    assert cd1.verify(cd1.extract("https://x.vn/?c=%zz"), KEYS).verdict == Verdict.MALFORMED


# -- the deployment key ------------------------------------------------------------------------------
def test_the_key_is_made_once_with_owner_only_permissions(tmp_path):
    path = tmp_path / "keys" / "signing.pem"
    with override_settings(CHONGDICH_SIGNING_KEY_FILE=path):
        first = signing.signing_key()
        assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        signing._load.cache_clear()
        again = signing.signing_key()
    assert again.kid == first.kid and len(first.kid) == 8
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_command_prints_the_public_key_and_rotation_keeps_old_certificates_verifiable(tmp_path, capsys):
    path = tmp_path / "signing.pem"
    with override_settings(CHONGDICH_SIGNING_KEY_FILE=path):
        call_command("vaccination_signing_key", "--pem")
        out = capsys.readouterr().out
        old = signing.signing_key()
        assert f"key id: {old.kid}" in out and old.public_b64 in out and "BEGIN PUBLIC KEY" in out
        cert = Certificate(old.kid, "Trần Văn Cũ", "1970", (DoseLine("AZ", date(2021, 6, 1)),), date(2021, 9, 1))
        payload = cd1.encode(cert, old.private)

        call_command("vaccination_signing_key", "--rotate")
        out = capsys.readouterr().out
        new = signing.signing_key()
        assert new.kid != old.kid and f"CHONGDICH_SIGNING_PUBLIC_KEYS={old.public_b64}" in out
        assert (tmp_path / f"signing.pem.{old.kid}.retired").exists()
        assert cd1.verify(payload, signing.verifying_keys()).verdict == Verdict.UNKNOWN_KEY
        with override_settings(CHONGDICH_SIGNING_PUBLIC_KEYS=[old.public_b64]):
            assert cd1.verify(payload, signing.verifying_keys()).verdict == Verdict.VALID
        with override_settings(CHONGDICH_SIGNING_PUBLIC_KEYS=[old.public_pem]):
            assert cd1.verify(payload, signing.verifying_keys()).verdict == Verdict.VALID


def test_a_wrong_public_key_in_the_settings_stops_with_a_clear_message():
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(CHONGDICH_SIGNING_PUBLIC_KEYS=["not-a-key"]), pytest.raises(ImproperlyConfigured):
        signing.verifying_keys()


def test_the_worked_example_of_the_documentation_verifies():
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "vaccination" / "certificates.md").read_text(encoding="utf-8")
    public = re.search(r"public key \(raw, base64url\): (\S+)", doc).group(1)
    payload = re.search(r"^(CD1:[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$", doc, re.MULTILINE).group(1)
    key = signing.parse_public_key(public)
    result = cd1.verify(payload, {signing.kid_of(key): key})
    assert result.valid and result.certificate.name == "Nguyễn Văn An" and len(result.certificate.doses) == 2
