"""``chongdich forecast``: Rt and projections from a CSV of daily cases, without Django.

    chongdich forecast rt --input FILE.csv|- [--si-mean 4.0] [--si-sd 2.9] [--window 7] [--fill-gaps]
    chongdich forecast project --input FILE.csv|- --as-of YYYY-MM-DD [--horizon 14] [--seed 0] [--fill-gaps]

Input: CSV with a header naming at least ``unit,date,new_cases`` (other columns are ignored), UTF-8;
one row per unit and day, dates ``YYYY-MM-DD``, ``new_cases`` a whole number ≥ 0.  A unit's days must be
consecutive from its first row (and, for ``project``, reach ``--as-of``): a missing day is refused,
because a day without a report is not a day without cases; ``--fill-gaps`` counts missing days as 0.

``rt`` prints ``unit,date,rt_mean,rt_lo,rt_hi,reliable`` for every input row (the window ends on
``date``; 2.5%/97.5% quantiles; empty before the first full window; ``reliable`` true/false).
``project`` prints ``unit,date,q05,q25,q50,q75,q95`` for the ``--horizon`` days after ``--as-of``, from
the rows up to ``--as-of`` only.  Units in the order of their first row.  Exit 0 on success; 2 on
invalid input or arguments, with a message on stderr naming the row and field.
Method: docs/forecast/method.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from chongdich.core.clitools import Invalid, print_error, read_file, write_text
from chongdich.forecast.rules import QUANTILES, InputError, config, estimate_rt, project

EXIT_INVALID = 2
PROG = "chongdich forecast"
COLUMNS = ("unit", "date", "new_cases")
MAX_PROBLEMS = 20


@dataclass
class Series:
    units: list[str]  # in the order of their first row
    start: date  # the first day of the matrix (the earliest date of any unit)
    cases: np.ndarray  # units × days (0 before a unit's first row)
    first: list[int]  # per unit: column of its first row
    last: list[int]  # per unit: column of its last row

    def day(self, column: int) -> date:
        return self.start + timedelta(days=column)


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse reports its own errors (exit 2) and --help (exit 0)
        return stop.code if isinstance(stop.code, int) else EXIT_INVALID
    if args.command is None:
        parser.print_usage(sys.stderr)
        return EXIT_INVALID
    try:
        return args.run(args)
    except Invalid as error:
        print_error(PROG, args.lang, [(error.vi, error.en)])
    except InputError as error:
        print_error(PROG, args.lang, [(f"dữ liệu không hợp lệ: {error}", f"invalid input: {error}")])
    return EXIT_INVALID


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Rt and case projections from daily cases (CSV).")
    parser.add_argument("--lang", choices=("vi", "en", "both"), default="both", help="language of the errors")
    sub = parser.add_subparsers(dest="command")

    rt = sub.add_parser("rt", help="Rt per unit and day (Cori et al. 2013)")
    _common(rt)
    rt.add_argument("--si-mean", type=float, default=None, help="serial interval mean, days (default 4.0)")
    rt.add_argument("--si-sd", type=float, default=None, help="serial interval SD, days (default 2.9)")
    rt.add_argument("--window", type=int, default=None, help="window, days (default 7)")
    rt.set_defaults(run=_run_rt)

    proj = sub.add_parser("project", help="quantiles of daily cases after --as-of (renewal model)")
    _common(proj)
    proj.add_argument("--as-of", required=True, help="last day of data used, YYYY-MM-DD")
    proj.add_argument("--horizon", type=int, default=14, help="days to project (1-90, default 14)")
    proj.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    proj.set_defaults(run=_run_project)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", required=True, help="CSV file with unit,date,new_cases (- = stdin)")
    parser.add_argument("--fill-gaps", action="store_true", help="count missing days as 0 instead of refusing")
    parser.add_argument("--lang", choices=("vi", "en", "both"), default=argparse.SUPPRESS)


def _run_rt(args) -> int:
    overrides = {
        name: value
        for name, value in (("si_mean", args.si_mean), ("si_sd", args.si_sd), ("window", args.window))
        if value is not None
    }
    cfg = config(overrides)
    series = read_series(args.input, fill_gaps=args.fill_gaps)
    rt = estimate_rt(series.cases, None, cfg)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("unit", "date", "rt_mean", "rt_lo", "rt_hi", "reliable"))
    for row, unit in enumerate(series.units):
        for column in range(series.first[row], series.last[row] + 1):
            mean = rt.mean[row, column]
            writer.writerow(
                (
                    unit,
                    series.day(column).isoformat(),
                    _number(mean, 3),
                    _number(rt.lo[row, column], 3),
                    _number(rt.hi[row, column], 3),
                    "true" if rt.reliable[row, column] else "false",
                )
            )
    write_text(out.getvalue())
    return 0


def _run_project(args) -> int:
    as_of = _parse_date(args.as_of, "--as-of")
    if not 1 <= args.horizon <= 90:
        raise Invalid("--horizon phải từ 1 đến 90", "--horizon must be from 1 to 90")
    series = read_series(args.input, fill_gaps=args.fill_gaps, until=as_of)
    cfg = config()
    quantiles = project(series.cases, None, cfg, horizon=args.horizon, seed=args.seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("unit", "date", *(f"q{round(q * 100):02d}" for q in QUANTILES)))
    for row, unit in enumerate(series.units):
        for h in range(args.horizon):
            day = as_of + timedelta(days=h + 1)
            writer.writerow((unit, day.isoformat(), *(_number(v, 1) for v in quantiles[row, :, h])))
    write_text(out.getvalue())
    return 0


def read_series(path: str, *, fill_gaps: bool = False, until: date | None = None) -> Series:
    """The CSV as a units × days matrix; every problem raises ``Invalid`` naming the line and field.
    With ``until``, rows after it are checked but left out, and every unit must reach it."""
    raw = sys.stdin.buffer.read() if path == "-" else read_file(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Invalid(f"{path}: không phải UTF-8 ({error.reason})", f"{path}: not UTF-8 ({error.reason})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise Invalid(f"{path}: tệp rỗng", f"{path}: empty file")
    names = [name.strip().lower() for name in header]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise Invalid(
            f"{path}: thiếu cột {', '.join(missing)} (cần unit,date,new_cases)",
            f"{path}: missing column(s) {', '.join(missing)} (need unit,date,new_cases)",
        )
    at = {name: names.index(name) for name in COLUMNS}
    rows: dict[str, dict[date, int]] = {}
    problems: list[tuple[str, str]] = []
    for line, record in enumerate(reader, start=2):
        if not record or all(not cell.strip() for cell in record):
            continue
        if len(record) < len(header):
            problems.append((f"dòng {line}: thiếu giá trị", f"line {line}: missing values"))
            continue
        unit, day_text, cases_text = record[at["unit"]], record[at["date"]], record[at["new_cases"]]
        if not unit.strip():
            problems.append((f"dòng {line}: unit trống", f"line {line}: empty unit"))
            continue
        try:
            day = _parse_date(day_text, "date")
        except Invalid:
            problems.append(
                (
                    f"dòng {line}: date {day_text!r} không phải YYYY-MM-DD",
                    f"line {line}: date {day_text!r} is not YYYY-MM-DD",
                )
            )
            continue
        cases = _parse_cases(cases_text)
        if cases is None:
            problems.append(
                (
                    f"dòng {line}: new_cases {cases_text!r} phải là số nguyên ≥ 0",
                    f"line {line}: new_cases {cases_text!r} must be a whole number ≥ 0",
                )
            )
            continue
        days = rows.setdefault(unit, {})
        if day in days:
            problems.append(
                (
                    f"dòng {line}: trùng {unit} ngày {day.isoformat()}",
                    f"line {line}: duplicate row for {unit} on {day.isoformat()}",
                )
            )
            continue
        days[day] = cases
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise Invalid("; ".join(vi for vi, _ in problems), "; ".join(en for _, en in problems))
    if until is not None:
        rows = {unit: {d: c for d, c in days.items() if d <= until} for unit, days in rows.items()}
        empty = [unit for unit, days in rows.items() if not days]
        if empty:
            raise Invalid(
                f"đơn vị {empty[0]} không có dòng nào đến --as-of {until.isoformat()}",
                f"unit {empty[0]} has no rows up to --as-of {until.isoformat()}",
            )
    if not rows:
        raise Invalid(f"{path}: không có dòng dữ liệu", f"{path}: no data rows")
    return _matrix(rows, fill_gaps, until)


def _matrix(rows: dict[str, dict[date, int]], fill_gaps: bool, until: date | None) -> Series:
    start = min(min(days) for days in rows.values())
    end = until or max(max(days) for days in rows.values())
    width = (end - start).days + 1
    if width > 20_000:
        raise Invalid("khoảng ngày quá dài (hơn 20.000 ngày)", "date range too long (more than 20,000 days)")
    units = list(rows)
    cases = np.zeros((len(units), width))
    first, last = [], []
    for row, unit in enumerate(units):
        days = rows[unit]
        lo, hi = min(days), max(days)
        stop = until or hi
        if not fill_gaps:
            span = (stop - lo).days + 1
            if len(days) != span:
                gap = next(lo + timedelta(days=i) for i in range(span) if lo + timedelta(days=i) not in days)
                raise Invalid(
                    f"đơn vị {unit}: thiếu ngày {gap.isoformat()} (dùng --fill-gaps để tính là 0 ca)",
                    f"unit {unit}: no row for {gap.isoformat()} (use --fill-gaps to count missing days as 0)",
                )
        for day, value in days.items():
            cases[row, (day - start).days] = value
        first.append((lo - start).days)
        last.append((stop - start).days)
    return Series(units=units, start=start, cases=cases, first=first, last=last)


def _parse_date(text: str, field: str) -> date:
    try:
        if len(text.strip()) != 10:
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(
            f"{field}: {text!r} không phải ngày YYYY-MM-DD", f"{field}: {text!r} is not a YYYY-MM-DD date"
        ) from None


def _parse_cases(text: str) -> int | None:
    value = text.strip()
    if value.endswith(".0"):
        value = value[:-2]
    if not value.isdigit() or not value.isascii() or len(value) > 9:
        return None
    return int(value)


def _number(value: float, digits: int) -> str:
    if not np.isfinite(value):
        return ""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
