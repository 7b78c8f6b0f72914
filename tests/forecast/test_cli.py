"""``chongdich forecast rt|project``: the stable CSV interface (issue 12 §6)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from chongdich.cli import main as chongdich_main
from chongdich.forecast.cli import main
from tests.forecast.data import REAL_DATA_MISSING, provinces

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path, text: str, name: str = "cases.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def series_csv(units: dict[str, list[int]], start_day: int = 1, month: int = 5) -> str:
    lines = ["unit,date,new_cases"]
    for unit, values in units.items():
        for offset, value in enumerate(values):
            lines.append(f"{unit},2021-{month:02d}-{start_day + offset:02d},{value}")
    return "\n".join(lines) + "\n"


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def rows(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


def test_rt_prints_every_row(tmp_path, capsys):
    path = write(tmp_path, series_csv({"Xã A": [10, 12, 15, 18, 22, 26, 30, 36, 43, 50], "B": [5] * 10}))
    code, out, err = run(["rt", "--input", path], capsys)
    assert code == 0, err
    assert out.splitlines()[0] == "unit,date,rt_mean,rt_lo,rt_hi,reliable"
    table = rows(out)
    assert len(table) == 20
    assert [r["unit"] for r in table[:10]] == ["Xã A"] * 10  # exactly as given, input order
    assert table[0]["rt_mean"] == "" and table[0]["reliable"] == "false"  # no full window yet
    last = table[9]
    assert last["date"] == "2021-05-10"
    assert float(last["rt_lo"]) < float(last["rt_mean"]) < float(last["rt_hi"])
    assert float(last["rt_mean"]) > 1 and last["reliable"] == "true"


def test_rt_options_change_the_estimate(tmp_path, capsys):
    path = write(tmp_path, series_csv({"A": [10, 12, 15, 18, 22, 26, 30, 36, 43, 50, 60, 70, 85, 100, 120]}))
    _, default, _ = run(["rt", "--input", path], capsys)
    _, longer, _ = run(["rt", "--input", path, "--si-mean", "6.5", "--si-sd", "4", "--window", "10"], capsys)
    assert rows(default)[-1]["rt_mean"] != rows(longer)[-1]["rt_mean"]
    assert rows(longer)[8]["rt_mean"] == "" and rows(longer)[9]["rt_mean"] != ""


def test_project_uses_rows_up_to_as_of_only(tmp_path, capsys):
    values = [10, 12, 15, 18, 22, 26, 30, 36, 43, 50, 60, 70, 85, 100, 120]
    full = write(tmp_path, series_csv({"A": values}), "full.csv")
    cut = write(tmp_path, series_csv({"A": values[:10]}), "cut.csv")
    code, out, err = run(["project", "--input", full, "--as-of", "2021-05-10", "--horizon", "14"], capsys)
    assert code == 0, err
    _, out_cut, _ = run(["project", "--input", cut, "--as-of", "2021-05-10", "--horizon", "14"], capsys)
    assert out == out_cut
    table = rows(out)
    assert out.splitlines()[0] == "unit,date,q05,q25,q50,q75,q95"
    assert [r["date"] for r in table] == [f"2021-05-{d:02d}" for d in range(11, 25)]
    for row in table:
        q = [float(row[k]) for k in ("q05", "q25", "q50", "q75", "q95")]
        assert q == sorted(q) and q[0] >= 0


def test_project_deterministic(tmp_path, capsys):
    path = write(tmp_path, series_csv({"A": [3, 5, 8, 6, 9, 12, 10, 14, 13, 15]}))
    argv = ["project", "--input", path, "--as-of", "2021-05-10", "--horizon", "7"]
    assert run(argv, capsys)[1] == run(argv, capsys)[1]


@pytest.mark.parametrize(
    ("text", "argv_extra", "message"),
    [
        ("unit,day,new_cases\nA,2021-05-01,1\n", [], "date"),
        ("unit,date\nA,2021-05-01\n", [], "new_cases"),
        ("", [], "empty"),
        ("unit,date,new_cases\n", [], "no data rows"),
        ("unit,date,new_cases\nA,01/05/2021,1\n", [], "line 2: date"),
        ("unit,date,new_cases\nA,2021-02-30,1\n", [], "line 2: date"),
        ("unit,date,new_cases\nA,2021-05-01,-1\n", [], "line 2: new_cases"),
        ("unit,date,new_cases\nA,2021-05-01,abc\n", [], "line 2: new_cases"),
        ("unit,date,new_cases\nA,2021-05-01,1.5\n", [], "line 2: new_cases"),
        ("unit,date,new_cases\nA,2021-05-01,\n", [], "line 2: new_cases"),
        ("unit,date,new_cases\nA,2021-05-01,1\nA,2021-05-01,2\n", [], "line 3: duplicate"),
        ("unit,date,new_cases\nA,2021-05-01,1\nA,2021-05-03,2\n", [], "2021-05-02"),
        ("unit,date,new_cases\n,2021-05-01,1\n", [], "empty unit"),
        ("unit,date,new_cases\nA,2021-05-01\n", [], "line 2: missing"),
    ],
)
def test_invalid_input_exit_2(tmp_path, capsys, text, argv_extra, message):
    path = write(tmp_path, text)
    code, out, err = run(["--lang", "en", "rt", "--input", path, *argv_extra], capsys)
    assert code == 2
    assert out == ""
    assert message in err


def test_invalid_project_arguments(tmp_path, capsys):
    path = write(tmp_path, series_csv({"A": [1, 2, 3], "B": [1]}))
    for argv, message in [
        (["--as-of", "2021-13-01"], "--as-of"),
        (["--as-of", "2021-05-03", "--horizon", "0"], "--horizon"),
        (["--as-of", "2021-05-03", "--horizon", "x"], "invalid int"),
        (["--as-of", "2021-04-01"], "no rows up to"),
        (["--as-of", "2021-05-03"], "unit B: no row for 2021-05-02"),  # B stops before --as-of
    ]:
        code, out, err = run(["--lang", "en", "project", "--input", path, *argv], capsys)
        assert code == 2, argv
        assert message in err, (argv, err)
        assert out == ""


def test_fill_gaps(tmp_path, capsys):
    path = write(tmp_path, "unit,date,new_cases\nA,2021-05-01,1\nA,2021-05-03,2\n")
    code, out, _ = run(["rt", "--input", path, "--fill-gaps"], capsys)
    assert code == 0
    assert [r["date"] for r in rows(out)] == ["2021-05-01", "2021-05-02", "2021-05-03"]


def test_bad_options_and_missing_file(tmp_path, capsys):
    path = write(tmp_path, series_csv({"A": [1, 2, 3]}))
    assert run(["rt", "--input", path, "--si-mean", "0.5"], capsys)[0] == 2
    assert run(["rt", "--input", path, "--window", "0"], capsys)[0] == 2
    code, _, err = run(["rt", "--input", str(tmp_path / "nope.csv")], capsys)
    assert code == 2 and "nope.csv" in err
    assert run([], capsys)[0] == 2
    assert run(["rt"], capsys)[0] == 2  # --input is required


def test_vietnamese_errors_by_default(tmp_path, capsys):
    path = write(tmp_path, "unit,date,new_cases\nA,2021-05-01,-1\n")
    code, _, err = run(["rt", "--input", path], capsys)
    assert code == 2 and "phải là số nguyên" in err and "must be a whole number" in err


def test_bom_and_extra_columns(tmp_path, capsys):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffprovince_code,unit,date,new_cases\n24,Bắc Giang,2021-05-01,3\n".encode())
    code, out, _ = run(["rt", "--input", str(path)], capsys)
    assert code == 0 and rows(out)[0]["unit"] == "Bắc Giang"


def test_dispatched_by_chongdich_without_django(tmp_path):
    path = write(tmp_path, series_csv({"A": list(range(1, 15))}))
    script = (
        "import sys; from chongdich.cli import main; code = main(['forecast', 'rt', '--input', sys.argv[1]]); "
        "assert 'django' not in sys.modules, 'django loaded'; sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, path],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("unit,date,rt_mean,rt_lo,rt_hi,reliable\n")
    assert chongdich_main is not None


@pytest.mark.skipif(not provinces(), reason=REAL_DATA_MISSING)
def test_real_bac_giang(tmp_path, capsys):
    province = provinces()["Bắc Giang"]
    lines = ["unit,date,new_cases"] + [
        f"Bắc Giang,{province.day(i).isoformat()},{int(v)}" for i, v in enumerate(province.cases)
    ]
    path = write(tmp_path, "\n".join(lines) + "\n")
    code, out, _ = run(["rt", "--input", path], capsys)
    assert code == 0
    by_day = {r["date"]: r for r in rows(out)}
    assert float(by_day["2021-05-28"]["rt_lo"]) > 1 and float(by_day["2021-06-26"]["rt_hi"]) < 1
    code, out, _ = run(["project", "--input", path, "--as-of", "2021-06-10", "--horizon", "7"], capsys)
    assert code == 0 and len(rows(out)) == 7
