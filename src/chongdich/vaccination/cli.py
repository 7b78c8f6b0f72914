"""``chongdich vaccination``: vaccination status from a JSON file, without Django.

    chongdich vaccination status --input FILE.json|- --as-of YYYY-MM-DD [--province CODE]
                                 [--rules RULES.json] [--lang vi|en|both] [--indent N]
    chongdich vaccination products [--as-of YYYY-MM-DD] [--province CODE] [--rules RULES.json]

``status`` prints a JSON list, one object per person (``id``, ``complete``, ``doses_counted``,
``next_due``, ``colour``, ``problems`` and more: docs/vaccination/rules.md).  ``products`` prints the
catalogue in force.  Exit 0 on success; 2 on invalid input or arguments, with a message naming the
person and field on stderr — never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from chongdich.core.clitools import Invalid, print_error, read_json, rule_items, write_text
from chongdich.core.versioning import NoRuleInForce
from chongdich.vaccination.rules import (
    PRODUCTS_KEY,
    ConfigError,
    InputError,
    InputErrors,
    VaccinationConfig,
    assess,
    default_config,
    people_from_json,
    validate_overrides,
    version_from_dict,
)

EXIT_INVALID = 2
MAX_PROBLEMS = 50
PROG = "chongdich vaccination"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: usage + message, exit 2 (no traceback)
        self.print_usage(sys.stderr)
        raise Invalid(f"đối số không hợp lệ: {message}", f"invalid arguments: {message}")


def main(argv: list[str]) -> int:
    parser = _parser()
    lang = "vi"
    try:
        args = parser.parse_args(argv)
        lang = args.lang
        if args.command is None:
            parser.print_usage(sys.stderr)
            return EXIT_INVALID
        return args.run(args)
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else EXIT_INVALID
    except Invalid as error:
        _error(lang, [(error.vi, error.en)])
    except InputErrors as errors:
        lines = [(e.text("vi"), e.text("en")) for e in errors.errors[:MAX_PROBLEMS]]
        extra = len(errors.errors) - MAX_PROBLEMS
        if extra > 0:
            lines.append((f"… và {extra} lỗi khác", f"… and {extra} more"))
        _error(lang, lines, ("dữ liệu vào không hợp lệ", "invalid input"))
    except InputError as error:
        _error(lang, [(error.text("vi"), error.text("en"))], ("dữ liệu vào không hợp lệ", "invalid input"))
    except NoRuleInForce as error:
        _error(lang, [(f"không có phiên bản quy tắc áp dụng: {error}", f"no rule version in force: {error}")])
    except ConfigError as error:
        _error(lang, [(f"cấu hình quy tắc không hợp lệ: {error}", f"invalid rule configuration: {error}")])
    return EXIT_INVALID


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Tình trạng tiêm chủng COVID-19 / COVID-19 vaccination status")
    parser.set_defaults(lang="vi")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    status = commands.add_parser("status", help="tình trạng tiêm của từng người / status of each person")
    status.add_argument("--input", required=True, help="tệp JSON danh sách người, '-' là stdin / people file")
    status.add_argument("--as-of", type=_date, required=True, help="ngày xét YYYY-MM-DD / reference date")
    _common(status)
    status.add_argument("--indent", type=int, default=None, help="thụt lề JSON (mặc định: mỗi người một dòng)")
    status.set_defaults(run=_status)
    products = commands.add_parser("products", help="danh mục vắc xin / the vaccine catalogue")
    products.add_argument("--as-of", type=_date, default=None, help="ngày YYYY-MM-DD (mặc định hôm nay)")
    _common(products)
    products.set_defaults(run=_products)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--province", help="mã tỉnh áp dụng cấu hình riêng / province code for its overrides")
    parser.add_argument("--rules", help="tệp JSON các phiên bản quy tắc bổ sung / extra rule versions")
    parser.add_argument(
        "--lang", choices=("vi", "en", "both"), default="vi", help="ngôn ngữ thông báo lỗi / language of errors"
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ / invalid date: {text!r} (YYYY-MM-DD)") from None


def _status(args: argparse.Namespace) -> int:
    config = _config(args.rules)
    people = people_from_json(read_json(args.input))
    rows = []
    for person in people:
        try:
            rows.append(assess(person, args.as_of, config, province=args.province).to_dict(person.id))
        except InputError as error:
            raise InputErrors([error.within(f"(id {person.id!r})")]) from None
    if args.indent is not None:
        write_text(json.dumps(rows, ensure_ascii=False, indent=args.indent) + "\n")
    else:
        encode = json.JSONEncoder(ensure_ascii=False).encode
        write_text("[\n" + ",\n".join(encode(row) for row in rows) + ("\n]\n" if rows else "]\n"))
    return 0


def _products(args: argparse.Namespace) -> int:
    config = _config(args.rules)
    on = args.as_of or date.today()
    rule = config.products_rule(on, args.province)
    version = config.rule(PRODUCTS_KEY, on, args.province)
    listing = {
        "as_of": on.isoformat(),
        "province": args.province,
        "rule_version": version.version,
        "source": version.source,
        "products": [_product(p) for p in rule.products.values()],
        "additional": {
            "allowed": rule.additional.allowed,
            "min_days": rule.additional.min_days,
            "recommended_days": rule.additional.recommended_days,
        },
        "booster": {
            "allowed": rule.booster.allowed,
            "max_boosters": rule.booster.max_boosters,
            "min_months": rule.booster.min_months,
            "recommended_months": rule.booster.recommended_months,
            "after_additional_months": rule.booster.after_additional_months,
            "min_age": rule.booster.min_age,
        },
    }
    write_text(json.dumps(listing, ensure_ascii=False, indent=2) + "\n")
    return 0


def _product(product: Any) -> dict[str, Any]:
    return {
        "code": product.code,
        "name": product.name,
        "maker": product.maker,
        "platform": product.platform,
        "primary_doses": product.primary_doses,
        "intervals": [
            {
                "gap": i.gap,
                "min_days": i.min_days,
                "recommended_days": i.recommended_days,
                "max_days": i.max_days,
            }
            for i in product.intervals
        ],
        "min_age": product.min_age,
        "max_age": product.max_age,
        "follow_ups": list(product.follow_ups),
        "booster_products": list(product.booster_products),
        "approved_on": product.approved_on.isoformat() if product.approved_on else None,
        "doses_per_vial": product.doses_per_vial,
    }


def _config(path: str | None) -> VaccinationConfig:
    config = default_config()
    if path is None:
        return config
    items = rule_items(path)
    versions = [version_from_dict(item) for item in items]
    validate_overrides([v for v in versions if v.province], config)  # refused whole, before any person
    return config.with_versions(versions)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def _error(lang: str, lines: list[tuple[str, str]], heading: tuple[str, str] | None = None) -> None:
    print_error(PROG, lang, lines, heading)
