"""The plumbing the Django-free command lines share (``chongdich risk``, ``chongdich vaccination``):
bilingual refusals, reading a JSON file or standard input, and writing UTF-8 whatever the locale.

Pure Python: these commands run the rule engines without settings, a database or the clock.
"""

from __future__ import annotations

import json
import sys
from typing import Any


class Invalid(Exception):
    """Bad input or arguments: print ``vi`` / ``en`` and exit 2."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi, self.en = vi, en


def read_json(path: str) -> Any:
    """The JSON of a file (``-``: standard input), or ``Invalid`` saying where it is broken."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else read_file(path)
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise Invalid(
            f"{path}: JSON không hợp lệ ở dòng {error.lineno}, cột {error.colno}: {error.msg}",
            f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
        ) from None
    except UnicodeDecodeError as error:
        raise Invalid(f"{path}: không phải UTF-8 ({error.reason})", f"{path}: not UTF-8 ({error.reason})") from None


def read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise Invalid(f"không đọc được tệp {path}: {error.strerror}", f"cannot read {path}: {error.strerror}") from None


def rule_items(path: str) -> list[Any]:
    """The rule versions of a ``--rules`` file: one object or a list of them."""
    raw = read_json(path)
    return raw if isinstance(raw, list) else [raw]


def write_text(text: str) -> None:
    write_bytes(text.encode("utf-8"))


def write_bytes(data: bytes, stream=None) -> None:
    # UTF-8 whatever the locale: Vietnamese names and reasons must survive a C-locale shell.
    stream = stream or sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8"))
        return
    stream.flush()
    buffer.write(data)
    buffer.flush()


def print_error(prog: str, lang: str, lines: list[tuple[str, str]], heading: tuple[str, str] | None = None) -> None:
    """Refusals on standard error in the asked language (``vi``, ``en`` or ``both``)."""
    pick = {"vi": lambda vi, en: vi, "en": lambda vi, en: en, "both": lambda vi, en: f"{vi} / {en}"}[lang]
    if heading:
        out = [f"{prog}: {pick(*heading)}:", *(f"  {pick(vi, en)}" for vi, en in lines)]
    else:
        out = [f"{prog}: {pick(vi, en)}" for vi, en in lines]
    write_bytes(("\n".join(out) + "\n").encode("utf-8"), sys.stderr)
