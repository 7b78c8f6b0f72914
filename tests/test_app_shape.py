"""The app contract of docs/architecture.md, checked on the source: each job lives in the file named for
it, in every app, so that a new app is born in the same shape and an old one cannot drift.

- every ``do_*`` action is defined in ``<app>/actions.py`` (or the ``actions/`` package);
- FilterSets live in ``filters.py``, tables in ``tables.py``, forms in ``forms.py``, ninja routers in
  ``api.py``, management commands under ``management/commands``;
- views hold no ORM: no ``Model.objects``, no write (``save``, ``delete``, ``bulk_create`` …), no
  refusal handling of their own (``core.forms.submit`` shows an action's refusal);
- selectors, forms, filters, tables and template tags read, never write;
- no import hides inside a function body (the layers have no cycles to dodge), except in an
  ``AppConfig.ready()``;
- one paginator (``core.pagination``), one queryset scope (``for_user``), one scoped fetch.

The layers themselves are import-linter contracts in pyproject.toml (``./run lint``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "chongdich"
# The domain apps (core is the framework under them, api only mounts their routers, demo generates data).
APPS = sorted(
    p.name
    for p in SRC.iterdir()
    if p.is_dir() and (p / "apps.py").exists() and p.name not in {"core", "api", "demo", "formats", "locale"}
)
WRITES = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "create"}
READ_ONLY_FILES = {"selectors.py", "forms.py", "filters.py", "tables.py"}


def sources(root: Path = SRC):
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


SOURCES = list(sources())


def rel(path: Path) -> str:
    return str(path.relative_to(SRC))


def job_file(path: Path) -> str:
    """The contract file a module stands for: ``views/orders.py`` is part of ``views``."""
    parts = path.relative_to(SRC).parts
    return parts[1].removesuffix(".py") if len(parts) > 2 else path.stem


def bases(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        if isinstance(base, ast.Attribute):
            names.add(base.attr)
        elif isinstance(base, ast.Name):
            names.add(base.id)
    return names


def test_every_domain_app_has_models_and_its_actions_in_actions():
    missing = [app for app in APPS if not (SRC / app / "models.py").exists()]
    assert not missing, f"apps without models.py: {missing}"
    misplaced = [
        f"{rel(path)}:{node.lineno} {node.name}"
        for path, tree in SOURCES
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("do_") and job_file(path) != "actions"
    ]
    assert not misplaced, "do_* actions outside actions.py:\n" + "\n".join(misplaced)


@pytest.mark.parametrize(
    "kind, base_names, home",
    [
        ("FilterSet", {"FilterSet"}, "filters"),
        ("table", {"Table"}, "tables"),
        ("form", {"Form", "ModelForm", "BaseForm"}, "forms"),
    ],
)
def test_each_kind_of_class_lives_in_its_file(kind, base_names, home):
    misplaced = [
        f"{rel(path)}:{node.lineno} {node.name}"
        for path, tree in SOURCES
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and bases(node) & base_names and job_file(path) != home
    ]
    assert not misplaced, f"{kind} classes outside {home}.py:\n" + "\n".join(misplaced)


def test_ninja_routers_live_in_each_apps_api_module():
    misplaced = [
        f"{rel(path)}:{node.lineno}"
        for path, tree in SOURCES
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Router"
        and path.name != "api.py"
    ]
    assert not misplaced, "ninja routers outside <app>/api.py:\n" + "\n".join(misplaced)


def _calls(tree, names):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names:
            yield node


def test_views_hold_no_orm_and_no_refusal_handling():
    found = []
    for path, tree in SOURCES:
        if job_file(path) != "views" and not path.name.endswith("_views.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                found.append(f"{rel(path)}:{node.lineno} .objects (a selector's job)")
            if isinstance(node, ast.ExceptHandler) and "PermissionDenied" in ast.unparse(node.type or ast.Pass()):
                found.append(f"{rel(path)}:{node.lineno} except … PermissionDenied (core.forms.submit's job)")
        for call in _calls(tree, WRITES | {"update", "add_errors"}):
            target = ast.unparse(call.func.value)
            if call.func.attr == "update" and not target.endswith(("objects", ")")):
                continue  # dict.update, QueryDict.update
            found.append(f"{rel(path)}:{call.lineno} {ast.unparse(call.func)}() (an action's job)")
    assert not found, "views must only parse, call one action or selector, and render:\n" + "\n".join(found)


def test_reading_modules_never_write():
    found = [
        f"{rel(path)}:{call.lineno} {ast.unparse(call.func)}()"
        for path, tree in SOURCES
        if f"{job_file(path)}.py" in READ_ONLY_FILES or "templatetags" in path.parts
        for call in _calls(tree, WRITES - {"create"})
        # a form's own save() and the cache's delete() are not the ORM's
        if not (job_file(path) == "forms" and call.func.attr == "save")
        and not ast.unparse(call.func.value).endswith("cache")
    ]
    assert not found, "selectors, forms, filters, tables and template tags write:\n" + "\n".join(found)


def _function_imports(tree):
    """Imports inside a function body, other than in AppConfig.ready() and TYPE_CHECKING blocks."""
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or func.name == "ready":
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node


def test_no_import_hides_in_a_function():
    found = []
    for path, tree in SOURCES:
        for node in _function_imports(tree):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            if node.__class__ is ast.ImportFrom and node.level:
                modules = ["chongdich"]  # a relative import is the project's
            if any(m == "chongdich" or m.startswith("chongdich.") for m in modules):
                found.append(f"{rel(path)}:{node.lineno} {ast.unparse(node)}")
    assert not found, "imports of the project inside functions (the layers leave no cycle to dodge):\n" + "\n".join(
        found
    )


def test_one_paginator_one_scope_one_scoped_fetch():
    """Lists page through core.pagination; rows are scoped by ``for_user`` (never a hand-built path filter);
    one object is fetched with ``core.access`` (``get_for_user_or_404``, or ``get_in_scope_or_404`` over a
    selector's scoped queryset) and checked with ``in_scope`` — never django's unscoped get_object_or_404
    nor a scope re-checked by hand."""
    found = []
    for path, tree in SOURCES:
        if path.parts[-2] == "core" and path.name in {"pagination.py", "scoping.py", "access.py"}:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.core.paginator":
                found.append(f"{rel(path)}:{node.lineno} django's paginator (core.pagination is the one)")
            if isinstance(node, ast.Name) and node.id in {"path_filter", "get_object_or_404"}:
                found.append(f"{rel(path)}:{node.lineno} {node.id} (for_user / core.access are the ones)")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "contains"
                and isinstance(node.func.value, ast.Call)
                and ast.unparse(node.func.value.func).endswith("scope_for")
            ):
                found.append(f"{rel(path)}:{node.lineno} scope_for(...).contains (in_scope is the one)")
    assert not found, "\n".join(sorted(set(found)))


def test_pure_rule_packages_have_tests_of_their_own():
    """A rules/ package is pure, so it is tested directly, without pages or the database in between."""
    tests = Path(__file__).resolve().parent
    tested = {
        app
        for app in APPS
        for path in tests.rglob("test_*.py")
        if f"chongdich.{app}.rules" in path.read_text(encoding="utf-8")
    }
    missing = [app for app in APPS if (SRC / app / "rules").is_dir() and app not in tested]
    assert not missing, f"rules/ packages without tests of their own: {missing}"
