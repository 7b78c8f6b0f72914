"""Checks every pure rule package's tests make the same way (care, surveillance): versions cite a source,
each family covers every day from the epidemic's start, the source imports no Django, importing the
package loads none, and a malformed province override is refused naming its key and version."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from chongdich.core.versioning import NoRuleInForce, RuleVersion

ROOT = Path(__file__).resolve().parents[1]
CONFIDENCE_MARK = re.compile(r"\[(V|V~|R|D)[\],;: ]")


def assert_cites_a_source(version, keys) -> None:
    assert version.key in keys
    assert CONFIDENCE_MARK.search(version.source), version.source


def assert_covers_every_day(versions, key, config, start) -> None:
    national = sorted((v for v in versions if v.key == key and v.province is None), key=lambda v: v.effective_from)
    assert national[0].effective_from == start
    for before, after in zip(national, national[1:], strict=False):
        assert before.effective_to == after.effective_from, (before.version, after.version)
    assert national[-1].effective_to is None
    with pytest.raises(NoRuleInForce):
        config.rule(key, start - timedelta(days=1))


def assert_override_refused(config, error, key, on, values, match, compiler) -> None:
    override = RuleVersion(key, "Tỉnh 70 lỗi", date(2020, 1, 1), None, values, province="70")
    with pytest.raises(error, match=match) as raised:
        config.with_versions([override]).compiled(key, on, "70", compiler)
    assert key in str(raised.value) and "Tỉnh 70 lỗi" in str(raised.value)


def imported_names(node) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return []


def assert_source_imports_no_django(package_dir: Path) -> None:
    for path in package_dir.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = imported_names(node)
            assert not any(name.split(".")[0] in {"django", "numpy"} for name in names), f"{path.name}: {names}"
            assert not any(name.startswith("chongdich.risk") for name in names), f"{path.name}: {names}"


def assert_import_loads_no_django(statement: str) -> None:
    """Run ``statement`` (an import and a few uses) in a fresh interpreter without Django settings."""
    code = (
        f"import sys; {statement}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'numpy')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
