"""``chongdich risk`` CLI: in-process ``main()`` and as a subprocess (the real entry point)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chongdich.risk.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "risk"
QUIET = {
    "clusters": [],
    "unknown_source_cases_14d": 0,
    "known_source_cases_14d": 0,
    "f1_present": False,
    "neighbours": [],
}
UNITS_4800 = [
    {"code": "691", "name": "Huyện Bù Gia Mập", "level": "district", "parent": None},
    {
        "code": "25222",
        "name": "Xã Bù Gia Mập",
        "level": "commune",
        "parent": "691",
        "population": 4000,
        "new_community_cases_7d": 1,
        "dose1_18plus": 2000,
        "population_18plus": 2500,
        "capacity_ready": True,
    },
    {
        "code": "25225",
        "name": "Xã Đak Ơ",
        "level": "commune",
        "parent": "691",
        "population": 6000,
        "new_community_cases_7d": 0,
        "dose1_18plus": 4000,
        "population_18plus": 4500,
        "capacity_ready": True,
    },
]


def write(tmp_path: Path, data, name: str = "units.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_valid_file(tmp_path, capsys):
    code, out, err = run_main(
        capsys, "assess", "--framework", "4800", "--input", write(tmp_path, UNITS_4800), "--as-of", "2021-11-01"
    )
    assert (code, err) == (0, "")
    result = {row["code"]: row for row in json.loads(out)}
    assert [row["code"] for row in json.loads(out)] == ["691", "25222", "25225"]  # input order
    assert result["25222"]["computed_level"] == 2  # 25/100k, 80% adults → band B, covered
    assert result["25222"]["colour"] == "yellow"
    assert result["691"]["computed_level"] == 1  # 10/100k on the totals
    assert result["25222"]["reasons"][0].startswith("R-20: 25 ca mắc mới")
    for row in result.values():
        assert {
            "code",
            "computed_level",
            "applied_level",
            "colour",
            "reasons",
            "missing",
            "framework",
            "rule_version",
        } <= set(row)


def test_framework_chosen_by_date_when_omitted(tmp_path, capsys):
    units = [{"code": "1", "name": "Xã 1", "level": "commune", "parent": None, **QUIET}]
    code, out, _ = run_main(capsys, "assess", "--input", write(tmp_path, units), "--as-of", "2021-08-01")
    assert code == 0 and json.loads(out)[0]["framework"] == "2686" and json.loads(out)[0]["computed_level"] == 0


def test_lang_en_and_both(tmp_path, capsys):
    path = write(tmp_path, UNITS_4800)
    _, out, _ = run_main(
        capsys, "assess", "--framework", "4800", "--input", path, "--as-of", "2021-11-01", "--lang", "en"
    )
    assert json.loads(out)[1]["reasons"][0].startswith("R-20: 25 new community cases per 100,000")
    _, out, _ = run_main(
        capsys, "assess", "--framework", "4800", "--input", path, "--as-of", "2021-11-01", "--lang", "both"
    )
    assert " / 25 new community cases" in json.loads(out)[1]["reasons"][0]


def test_missing_inputs_are_listed_and_level_is_null(tmp_path, capsys):
    units = [{**UNITS_4800[1], "parent": None, "dose1_18plus": None, "capacity_ready": None}]
    _, out, _ = run_main(
        capsys, "assess", "--framework", "4800", "--input", write(tmp_path, units), "--as-of", "2021-11-01"
    )
    row = json.loads(out)[0]
    assert (row["computed_level"], row["applied_level"], row["colour"]) == (None, None, None)
    assert row["missing"] == ["dose1_18plus", "capacity_ready"]


def test_rules_file_applies_a_province_override(tmp_path, capsys):
    rules = [
        {
            "key": "risk.2686",
            "version": "Bình Phước: biên giới +1",
            "effective_from": "2021-05-31",
            "province": "70",
            "values": {"policy": {"raise_border_by": 1}},
            "source": "[D] thử nghiệm",
        }
    ]
    units = [
        {"code": "70", "name": "Tỉnh Bình Phước", "level": "province", "parent": None},
        {
            "code": "25222",
            "name": "Xã Bù Gia Mập",
            "level": "commune",
            "parent": "70",
            **QUIET,
            "f1_present": True,
            "is_border": True,
        },
    ]
    code, out, err = run_main(
        capsys,
        "assess",
        "--framework",
        "2686",
        "--input",
        write(tmp_path, units),
        "--as-of",
        "2021-08-01",
        "--rules",
        write(tmp_path, rules, "rules.json"),
    )
    assert code == 0, err
    row = json.loads(out)[1]
    assert (row["computed_level"], row["applied_level"], row["colour"]) == (1, 2, "orange")
    assert row["rule_version"] == "2686.v1 + Bình Phước: biên giới +1"


def test_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(UNITS_4800).encode())))
    code, out, _ = run_main(capsys, "assess", "--framework", "4800", "--input", "-", "--as-of", "2021-11-01")
    assert code == 0 and len(json.loads(out)) == 3


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("[{", ["JSON", "dòng 1"]),
        ('{"units": []}', ["danh sách"]),
        ([{**UNITS_4800[1], "parent": None, "level": "hamlet"}], ["25222", "'level'"]),
        ([{**UNITS_4800[1], "parent": None, "neighbours": ["99999"]}], ["25222", "'neighbours'", "99999"]),
        ([UNITS_4800[1]], ["25222", "'parent'", "691"]),
        ([{**UNITS_4800[1], "parent": None, "population": -4}], ["25222", "'population'", "-4"]),
        ([{**UNITS_4800[1], "parent": None, "population": "4000"}], ["25222", "'population'"]),
        ([{**UNITS_4800[1], "parent": None}, {**UNITS_4800[1], "parent": None}], ["25222", "'code'", "trùng"]),
        ([{**UNITS_4800[1], "parent": None, "previous_level": 0}], ["25222", "'previous_level'", "1–4"]),
        ([{**UNITS_4800[1], "parent": None, "populaton": 1}], ["25222", "'populaton'"]),
    ],
)
def test_invalid_input_exits_2_naming_unit_and_field(tmp_path, capsys, content, fragments):
    code, out, err = run_main(
        capsys, "assess", "--framework", "4800", "--input", write(tmp_path, content), "--as-of", "2021-11-01"
    )
    assert (code, out) == (2, "")
    for fragment in fragments:
        assert fragment in err


def test_invalid_input_in_english(tmp_path, capsys):
    units = [{**UNITS_4800[1], "parent": None, "population": -4}]
    code, _, err = run_main(capsys, "assess", "--framework", "4800", "--input", write(tmp_path, units), "--lang", "en")
    assert code == 2
    assert "unit 25222 (Xã Bù Gia Mập), field 'population': must not be negative (got -4)" in err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["assess", "--framework", "2000", "--input", "x.json"], "--framework"),
        (["assess", "--input", "{path}", "--as-of", "2021-02-30"], "invalid date"),
        (["assess", "--input", "{path}", "--as-of", "2021-01-15"], "Chỉ thị 15/16/19"),
        (["assess", "--input", "{path}", "--framework", "218", "--as-of", "2021-01-15"], "không có phiên bản quy tắc"),
        (["assess", "--input", "/nonexistent/units.json"], "không đọc được tệp"),
        (["assess", "--input", "{path}", "--rules", "{path}"], "cấu hình quy tắc không hợp lệ"),
        ([], "usage"),
    ],
)
def test_invalid_arguments_exit_2(tmp_path, capsys, argv, fragment):
    path = write(tmp_path, UNITS_4800)
    code, out, err = run_main(capsys, *[arg.replace("{path}", path) for arg in argv])
    assert code == 2 and out == ""
    assert fragment in err


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "assess" in capsys.readouterr().out


def test_frameworks_listing(capsys):
    code, out, _ = run_main(capsys, "frameworks", "--as-of", "2021-11-01")
    listing = json.loads(out)
    assert code == 0 and listing["in_force"] == "4800"
    assert [f["framework"] for f in listing["frameworks"]] == ["2686", "4800", "218"]
    assert listing["frameworks"][2]["periods"] == [{"from": "2022-01-27", "to": None}]
    assert listing["frameworks"][1]["rule_versions"][0]["version"] == "4800.v1"


def test_documented_example_output_is_current(capsys):
    code, out, _ = run_main(
        capsys,
        "assess",
        "--input",
        str(DOCS / "example-input.json"),
        "--as-of",
        "2021-08-20",
        "--indent",
        "2",
        "--details",
    )
    assert code == 0
    assert json.loads(out) == json.loads((DOCS / "example-output.json").read_text(encoding="utf-8"))


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ, LC_ALL="C", LANG="C")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


def test_subprocess_valid_file_via_the_console_dispatcher():
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "chongdich.cli",
            "risk",
            "assess",
            "--input",
            str(DOCS / "example-input.json"),
            "--as-of",
            "2021-08-20",
        ],
        capture_output=True,
        env=subprocess_env(),
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    rows = json.loads(completed.stdout.decode("utf-8"))
    assert {row["code"]: row["colour"] for row in rows}["25267"] == "red"
    assert rows[0]["name"] == "Tỉnh Bình Phước"  # UTF-8 even under the C locale


def test_subprocess_stdin_and_invalid_input():
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "chongdich.risk.cli",
            "assess",
            "--framework",
            "4800",
            "--input",
            "-",
            "--as-of",
            "2021-11-01",
        ],
        input=json.dumps(UNITS_4800).encode(),
        capture_output=True,
        env=subprocess_env(),
        check=False,
    )
    assert ok.returncode == 0 and len(json.loads(ok.stdout)) == 3
    bad = [{**UNITS_4800[1], "parent": None, "deaths_7d": -1}]
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "chongdich.cli",
            "risk",
            "assess",
            "--framework",
            "218",
            "--input",
            "-",
            "--as-of",
            "2022-03-01",
        ],
        input=json.dumps(bad).encode(),
        capture_output=True,
        env=subprocess_env(),
        check=False,
    )
    assert failed.returncode == 2 and failed.stdout == b""
    assert "25222" in failed.stderr.decode() and "'deaths_7d'" in failed.stderr.decode()


def test_parallel_rendering_gives_the_same_bytes(monkeypatch):
    from datetime import date

    from chongdich.risk import cli
    from chongdich.risk.rules import assess_units, parse_units

    units = json.loads((DOCS / "example-input.json").read_text(encoding="utf-8"))
    results = assess_units(parse_units(units), as_of=date(2021, 8, 20))
    serial = cli._render(results, "vi", True)
    monkeypatch.setattr(cli, "PARALLEL_FROM", 2)  # force the forked path on a small file
    assert cli._lines(results, "vi", True) == serial
    assert json.loads(b"[" + serial + b"]")[0]["code"] == "70"
