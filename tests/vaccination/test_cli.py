"""``chongdich vaccination`` (the stable rules interface, issue 10 §6): through ``chongdich.cli.main``
and once as a subprocess; the documented examples run and give the documented output; every invalid
input or argument is a message naming the person and field on stderr with exit 2, never a traceback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chongdich.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "vaccination"
EXAMPLE_AS_OF = "2021-12-01"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["vaccination", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def write(tmp_path: Path, data, name: str = "people.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_the_documented_example_gives_the_documented_output(capsys):
    code, out, err = run(capsys, "status", "--input", str(DOCS / "example-input.json"), "--as-of", EXAMPLE_AS_OF)
    assert code == 0 and err == ""
    assert json.loads(out) == json.loads((DOCS / "example-output.json").read_text(encoding="utf-8"))


def test_the_documented_output_has_the_stable_fields(capsys):
    rows = json.loads((DOCS / "example-output.json").read_text(encoding="utf-8"))
    for row in rows:
        assert {"id", "complete", "doses_counted", "next_due", "colour", "problems"} <= set(row)
        assert row["colour"] in {"green", "yellow", "red"}
    by_id = {row["id"]: row for row in rows}
    assert by_id["001"]["complete"] and by_id["001"]["colour"] == "green"
    assert by_id["002"]["problems"] == ["interval_too_short"]
    assert by_id["005"]["problems"] == ["age_not_allowed"]
    assert by_id["006"]["problems"] == ["dose_in_future"]
    assert by_id["007"]["problems"] == ["mixing_not_allowed"]
    assert by_id["003"]["colour"] == "yellow" and by_id["009"]["colour"] == "red"


def test_documented_province_rules_example(capsys, tmp_path):
    people = [{"id": "A", "doses": [{"product": "AZ", "date": "2021-09-01"}, {"product": "AZ", "date": "2021-09-29"}]}]
    path = write(tmp_path, people)
    rules = str(DOCS / "example-rules.json")
    code, out, _ = run(capsys, "status", "--input", path, "--as-of", "2021-10-20", "--rules", rules, "--province", "70")
    assert code == 0 and json.loads(out)[0]["complete"] is True
    code, out, _ = run(capsys, "status", "--input", path, "--as-of", "2021-10-20", "--rules", rules)
    assert code == 0 and json.loads(out)[0]["problems"] == ["interval_too_short"]


def test_stdin_and_indent(capsys, monkeypatch):
    data = json.dumps([{"id": 7, "doses": []}]).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "status", "--input", "-", "--as-of", "2021-10-01", "--indent", "2")
    assert code == 0
    assert json.loads(out) == [
        {
            "id": 7,
            "complete": False,
            "completed_on": None,
            "doses_counted": 0,
            "next_due": None,
            "earliest_next": None,
            "overdue_after": None,
            "next_kind": "primary",
            "next_number": 1,
            "colour": "red",
            "colour_reason": "none",
            "series_product": None,
            "problems": [],
            "doses": [],
        }
    ]


def test_empty_list(capsys, tmp_path):
    code, out, _ = run(capsys, "status", "--input", write(tmp_path, []), "--as-of", "2021-10-01")
    assert code == 0 and json.loads(out) == []


def test_products_lists_the_catalogue_in_force(capsys):
    code, out, _ = run(capsys, "products", "--as-of", "2021-10-01")
    assert code == 0
    listing = json.loads(out)
    codes = {p["code"]: p for p in listing["products"]}
    assert {"AZ", "PF", "MO", "VC", "SP", "AB", "JJ", "HV"} <= set(codes) and "PF5" not in codes
    assert codes["PF"]["intervals"] == [{"gap": 1, "min_days": 21, "recommended_days": 21, "max_days": 28}]
    assert codes["AB"]["primary_doses"] == 3 and codes["JJ"]["intervals"] == []
    assert listing["booster"]["allowed"] is False
    code, out, _ = run(capsys, "products", "--as-of", "2022-05-01")
    assert "PF5" in {p["code"] for p in json.loads(out)["products"]} and json.loads(out)["booster"]["allowed"]


def test_products_with_a_province_override(capsys):
    rules = str(DOCS / "example-rules.json")
    code, out, _ = run(capsys, "products", "--as-of", "2021-10-01", "--rules", rules, "--province", "70")
    az = next(p for p in json.loads(out)["products"] if p["code"] == "AZ")
    assert code == 0 and az["intervals"][0]["min_days"] == 28


BAD_PEOPLE = [
    ("[", "JSON không hợp lệ"),
    ('{"id": 1}', "danh sách người"),
    ([{"doses": []}], "[0].id"),
    ([{"id": True, "doses": []}], "[0].id"),
    ([{"id": "A"}], "[0](id 'A').doses"),
    ([{"id": "A", "doses": {}}], "[0](id 'A').doses"),
    ([{"id": "A", "doses": [], "recoverd_on": None}], "[0](id 'A').recoverd_on"),
    ([{"id": "A", "doses": [{"product": "AZ"}]}], "[0](id 'A').doses[0].date"),
    ([{"id": "A", "doses": [{"product": "AZ", "date": "2021-02-30"}]}], "[0](id 'A').doses[0].date"),
    ([{"id": "A", "doses": [{"product": 5, "date": "2021-07-01"}]}], "[0](id 'A').doses[0].product"),
    ([{"id": "A", "doses": [{"product": "AZ", "date": "2021-07-01", "lot": "x"}]}], "doses[0].lot"),
    ([{"id": "A", "doses": ["AZ"]}], "[0](id 'A').doses[0]"),
    ([{"id": "A", "doses": [], "date_of_birth": "01/02/1980"}], "[0](id 'A').date_of_birth"),
    ([{"id": "A", "doses": [], "negative_pcr_at": "yesterday"}], "[0](id 'A').negative_pcr_at"),
    ([{"id": "A", "doses": [], "special_group": "yes"}], "[0](id 'A').special_group"),
    ([{"id": "A", "doses": []}, {"id": "A", "doses": []}], "[1](id 'A').id"),
    (["A"], "[0]"),
]


@pytest.mark.parametrize(("data", "named"), BAD_PEOPLE)
def test_invalid_input_names_the_person_and_field(capsys, tmp_path, data, named):
    code, out, err = run(capsys, "status", "--input", write(tmp_path, data), "--as-of", "2021-10-01")
    assert code == 2 and out == ""
    assert named in err and err.startswith("chongdich vaccination:")


def test_every_bad_person_is_reported_in_english_too(capsys, tmp_path):
    data = [{"id": "A", "doses": [{"product": "AZ", "date": "x"}]}, {"id": "B", "doses": []}, {"id": "C"}]
    code, _, err = run(capsys, "status", "--input", write(tmp_path, data), "--as-of", "2021-10-01", "--lang", "en")
    assert code == 2 and "invalid input" in err and "(id 'A')" in err and "(id 'C')" in err and "(id 'B')" not in err
    code, _, err = run(capsys, "status", "--input", write(tmp_path, data), "--as-of", "2021-10-01", "--lang", "both")
    assert code == 2 and "không hợp lệ" in err and "invalid" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["status"],
        ["status", "--input", "x.json"],  # --as-of is required
        ["status", "--input", "x.json", "--as-of", "2021-13-01"],
        ["status", "--input", "/nonexistent/people.json", "--as-of", "2021-10-01"],
        ["frobnicate"],
        ["products", "--as-of", "2020-01-01"],  # before the catalogue
        ["products", "--as-of", "2021-10-01", "--rules", "/nonexistent/rules.json"],
    ],
)
def test_bad_arguments_exit_2_without_traceback(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err


@pytest.mark.parametrize(
    "rules",
    [
        [{"key": "risk.4800", "version": "x", "effective_from": "2021-10-01", "values": {}}],
        [{"key": "vaccination.products", "version": "x", "effective_from": "2021-10-01", "values": {}}],
        [
            {
                "key": "vaccination.products",
                "version": "x",
                "effective_from": "2021-09-01",
                "province": "70",
                "values": {"products": {"AZ": {"intervals": {"1": {"min_days": 28, "recommended_days": 28}}}}},
            }
        ],
        {"key": "vaccination.products"},
    ],
)
def test_bad_rules_exit_2(capsys, tmp_path, rules):
    people = write(
        tmp_path,
        [{"id": "A", "doses": [{"product": "AZ", "date": "2021-08-01"}, {"product": "AZ", "date": "2021-09-05"}]}],
    )
    path = write(tmp_path, rules, "rules.json")
    code, out, err = run(
        capsys, "status", "--input", people, "--as-of", "2021-10-01", "--rules", path, "--province", "70"
    )
    assert code == 2 and out == "" and "quy tắc" in err


def test_help_exits_0(capsys):
    assert main(["vaccination", "--help"]) == 0
    assert "status" in capsys.readouterr().out


def test_as_a_subprocess_without_django_settings():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), LC_ALL="C")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "chongdich.cli",
            "vaccination",
            "status",
            "--input",
            str(DOCS / "example-input.json"),
            "--as-of",
            EXAMPLE_AS_OF,
        ],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode("utf-8")) == json.loads((DOCS / "example-output.json").read_text("utf-8"))
    bad = subprocess.run(
        [sys.executable, "-m", "chongdich.cli", "vaccination", "status", "--input", "-", "--as-of", "2021-10-01"],
        input='[{"id": "Đ", "doses": [{"product": "AZ", "date": "hôm qua"}]}]'.encode(),
        capture_output=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr
    assert "doses[0].date" in bad.stderr.decode("utf-8")
