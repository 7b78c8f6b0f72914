"""The rules package and the CLI must not import Django (or numpy): the CLI must start fast and
the rules must run anywhere."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "src" / "chongdich" / "risk" / "rules"


def test_no_django_import_in_the_rules_package_source():
    for path in [*RULES.glob("*.py"), ROOT / "src" / "chongdich" / "risk" / "cli.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(name.split(".")[0] in {"django", "numpy"} for name in names), f"{path.name}: {names}"


def test_importing_the_cli_loads_neither_django_nor_numpy():
    code = (
        "import sys; import chongdich.risk.cli, chongdich.risk.rules; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'numpy')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
