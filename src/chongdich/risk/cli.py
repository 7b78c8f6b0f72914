"""``chongdich risk``: risk levels from a JSON file, without Django (fast on any machine).

    chongdich risk assess [--framework {2686,4800,218}] --input FILE.json|- [--as-of YYYY-MM-DD]
                          [--lang vi|en|both] [--province CODE] [--rules RULES.json]
    chongdich risk frameworks [--as-of YYYY-MM-DD] [--rules RULES.json]

Without ``--framework`` the framework in force on ``--as-of`` (default: today) is used (R-01).
Output: JSON on stdout, one unit per line.  Exit 0 on success; 2 on invalid input or arguments,
with a message naming the unit and field on stderr.  Schema: docs/risk/cli.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from datetime import date
from typing import Any

from chongdich.core.clitools import Invalid, print_error, read_json, rule_items, write_bytes, write_text
from chongdich.core.versioning import NoRuleInForce
from chongdich.risk.rules.config import FRAMEWORK_KEY, FRAMEWORK_RULES, RiskConfig, default_config, version_from_dict
from chongdich.risk.rules.engine import assess_units
from chongdich.risk.rules.errors import ConfigError, InputError, NoFrameworkInForce
from chongdich.risk.rules.levels import Framework
from chongdich.risk.rules.parsing import parse_units
from chongdich.risk.rules.results import Assessment

EXIT_INVALID = 2
MAX_PROBLEMS = 50


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse reports its own errors (exit 2) and --help (exit 0)
        return stop.code if isinstance(stop.code, int) else EXIT_INVALID
    if args.command is None:
        parser.print_usage(sys.stderr)
        return EXIT_INVALID
    gc_was_enabled = gc.isenabled()
    gc.disable()  # short run, many objects, no cycles: the cyclic collector would only add time
    try:
        return args.run(args)
    except Invalid as error:
        _error(args.lang, [(error.vi, error.en)])
    except InputError as error:
        lines = [(problem.text("vi"), problem.text("en")) for problem in error.problems[:MAX_PROBLEMS]]
        extra = len(error.problems) - MAX_PROBLEMS
        if extra > 0:
            lines.append((f"… và {extra} lỗi khác", f"… and {extra} more"))
        _error(args.lang, lines, ("dữ liệu vào không hợp lệ", "invalid input"))
    except NoFrameworkInForce as error:
        _error(args.lang, [(error.vi, str(error))])
    except NoRuleInForce as error:
        _error(args.lang, [(f"không có phiên bản quy tắc áp dụng: {error}", f"no rule version in force: {error}")])
    except ConfigError as error:
        _error(args.lang, [(f"cấu hình quy tắc không hợp lệ: {error}", f"invalid rule configuration: {error}")])
    finally:
        if gc_was_enabled:
            gc.enable()
    return EXIT_INVALID


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chongdich risk", description="Đánh giá cấp độ dịch / risk levels")
    commands = parser.add_subparsers(dest="command")
    assess = commands.add_parser("assess", help="đánh giá cấp độ từ tệp JSON / assess units from a JSON file")
    assess.add_argument(
        "--framework",
        choices=[f.value for f in Framework],
        help="khung đánh giá; mặc định theo --as-of (R-01) / default: by --as-of",
    )
    assess.add_argument("--input", required=True, help="tệp JSON danh sách đơn vị, '-' là stdin / units file")
    _common(assess)
    assess.add_argument("--province", help="mã tỉnh áp dụng cấu hình riêng cho đơn vị không có tỉnh trong tệp")
    assess.add_argument(
        "--indent",
        type=int,
        default=None,
        help="thụt lề JSON cho người đọc (mặc định: mỗi đơn vị một dòng) / pretty-print",
    )
    assess.add_argument(
        "--details",
        action="store_true",
        help="kèm chỉ số tính được và số liệu đầu vào đã dùng / add indicators and inputs used",
    )
    assess.set_defaults(run=_assess)
    listing = commands.add_parser("frameworks", help="liệt kê khung và phiên bản quy tắc / list frameworks")
    _common(listing)
    listing.set_defaults(run=_frameworks)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=_date, default=None, help="ngày đánh giá YYYY-MM-DD (mặc định hôm nay)")
    parser.add_argument(
        "--lang",
        choices=("vi", "en", "both"),
        default="vi",
        help="ngôn ngữ lý do và thông báo lỗi (mặc định vi) / language of reasons and errors",
    )
    parser.add_argument(
        "--rules", help="tệp JSON các phiên bản quy tắc bổ sung (ghi đè của tỉnh) / extra rule versions"
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ / invalid date: {text!r} (YYYY-MM-DD)") from None


def _assess(args: argparse.Namespace) -> int:
    config = _config(args.rules)
    units = parse_units(read_json(args.input))
    results = assess_units(
        units, as_of=args.as_of or date.today(), framework=args.framework, config=config, province=args.province
    )
    if args.indent is not None:
        rows = [r.to_dict(args.lang, args.details) for r in results]
        write_text(json.dumps(rows, ensure_ascii=False, indent=args.indent) + "\n")
    else:  # one unit per line: readable, diff-friendly and fast (the C encoder needs indent=None)
        write_bytes(b"[\n" + _lines(results, args.lang, args.details) + b"\n]\n")
    return 0


PARALLEL_FROM = 4_000  # units; below this a second process costs more than it saves


def _render(results: list[Assessment], lang: str, details: bool) -> bytes:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return ",\n".join([encode(result.to_dict(lang, details)) for result in results]).encode("utf-8")


def _lines(results: list[Assessment], lang: str, details: bool) -> bytes:
    """Render the output, the first half in a forked child when that is possible and worth it:
    formatting 10,000 units' reasons is a third of a national run and splits cleanly in two."""
    if len(results) < PARALLEL_FROM or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return _render(results, lang, details)
    half = len(results) // 2
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # child: render, hand the text over, exit without unwinding the parent's state
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(_render(results[:half], lang, details))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")
    try:
        second = _render(results[half:], lang, details)
        first = pipe.read()
    finally:  # closing first lets a child still writing fail fast instead of blocking the wait
        pipe.close()
        _, status = os.waitpid(child, 0)
    if status != 0:  # the child failed: do its half here rather than print a partial answer
        first = _render(results[:half], lang, details)
    return first + b",\n" + second


def _frameworks(args: argparse.Namespace) -> int:
    config = _config(args.rules)
    on = args.as_of or date.today()
    periods = [v for v in config.book(FRAMEWORK_KEY).versions if v.province is None and v.values.get("framework")]
    listing = []
    for framework in Framework:
        spans = [v for v in periods if v.values["framework"] == framework.value]
        listing.append(
            {
                "framework": framework.value,
                "periods": [
                    {"from": v.effective_from.isoformat(), "to": v.effective_to.isoformat() if v.effective_to else None}
                    for v in spans
                ],
                "rule_versions": [_version_dict(v) for v in config.book(FRAMEWORK_RULES[framework]).versions],
            }
        )
    chosen = config.rule(FRAMEWORK_KEY, on).values.get("framework")
    write_text(
        json.dumps({"as_of": on.isoformat(), "in_force": chosen, "frameworks": listing}, ensure_ascii=False, indent=2)
        + "\n"
    )
    return 0


def _version_dict(version: Any) -> dict[str, Any]:
    return {
        "version": version.version,
        "province": version.province,
        "effective_from": version.effective_from.isoformat(),
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
        "source": version.source,
    }


def _config(path: str | None) -> RiskConfig:
    config = default_config()
    if path is None:
        return config
    items = rule_items(path)
    return config.with_versions(version_from_dict(item) for item in items)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def _error(lang: str, lines: list[tuple[str, str]], heading: tuple[str, str] | None = None) -> None:
    print_error("chongdich risk", lang, lines, heading)
