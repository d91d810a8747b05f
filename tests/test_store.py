"""The house: SQL only in classroom/store/, no Flask in it, and no module past 400 lines.

Read from the source with ast, so that a comment, a docstring or a string that mentions
db.execute( passes, and an aliased import of Flask does not.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "classroom"
STORE = PACKAGE / "store"
MAX_LINES = 400
# The methods that run SQL, on a store Database (either engine's) or a connection or cursor.
SQL_METHODS = {"query", "execute", "executemany", "executescript", "stream"}


def module_name(path: Path) -> str:
    """classroom/store/roster.py -> classroom.store.roster (a package by its own name)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
OUTSIDE = [name for name, path in MODULES.items() if not path.is_relative_to(STORE)]
INSIDE = [name for name, path in MODULES.items() if path.is_relative_to(STORE)]


@cache
def tree(name: str) -> ast.Module:
    """The parsed source of a classroom module."""
    path = MODULES[name]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def sql_calls(module: ast.Module) -> list[str]:
    """Where the module runs SQL: calls to .query(...) or .execute(...), and db[...] tables."""
    found = []
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_METHODS
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}(...)")
        elif isinstance(node, ast.Subscript) and _is_database(node.value):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def _is_database(node: ast.expr) -> bool:
    """Whether the expression names a database: db, self.db, g.db or get_db()."""
    if isinstance(node, ast.Call):
        node = node.func
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return name in {"db", "get_db"}


def imports(name: str, module: ast.Module | None = None) -> set[str]:
    """The modules a classroom module imports by name (from its source, or `module` if
    given), relative imports resolved."""
    path = MODULES.get(name)
    package = name if path and path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(module or tree(name)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            # from . import x: x may be a module of the package
            found.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES)
    return found - {name}


def flask_path(name: str, graph: Mapping[str, set[str]], seen=frozenset()) -> list[str] | None:
    """The chain of imports (graph: module -> what it imports) by which a module reaches
    Flask or a Flask extension, if it does."""
    for imported in sorted(graph.get(name, ())):
        top = imported.split(".")[0]
        if top == "flask" or top.startswith("flask_"):
            return [name, imported]
        if imported in graph and imported not in seen | {name}:
            chain = flask_path(imported, graph, seen | {name})
            if chain:
                return [name, *chain]
    return None


@cache
def import_graph() -> dict[str, set[str]]:
    """What each classroom module imports."""
    return {name: imports(name) for name in MODULES}


@pytest.mark.parametrize("name", OUTSIDE)
def test_no_sql_outside_the_store(name):
    assert sql_calls(tree(name)) == [], f"{name} runs SQL: move it to classroom/store/"


@pytest.mark.parametrize("name", INSIDE)
def test_the_store_imports_no_flask(name):
    chain = flask_path(name, import_graph())
    assert chain is None, " imports ".join(chain)


@pytest.mark.parametrize("name", list(MODULES))
def test_no_module_is_over_400_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: look for the seam"


# The checks themselves, on small sources: they must catch what they are for, and only that.


@pytest.mark.parametrize(
    "source",
    [
        "db.query('select 1')",
        "get_db().execute('delete from users')",
        "self.db.conn.executescript(script)",
        "connection.executemany(sql, rows)",
        "db.stream(sql, params)",
        "db['users'].insert(row)",
        "get_db()['classes'].update(1, {})",
    ],
)
def test_sql_calls_are_found(source):
    assert sql_calls(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        '"""Call db.execute(...) in the store."""',
        "# db.query('select 1')\nx = 1",
        "text = 'db[\"users\"]'",
        "form.data['name']",
        "request.args['show']",
    ],
)
def test_mentions_of_sql_are_not_calls(source):
    assert sql_calls(ast.parse(source)) == []


@pytest.mark.parametrize(
    "source, imported",
    [
        ("import flask", {"flask"}),
        ("from flask import g as request_globals", {"flask"}),
        ("from ..db import get_db", {"classroom.db"}),
        ("from . import latest", {"classroom.store", "classroom.store.latest"}),
        ("from .connection import one", {"classroom.store.connection"}),
    ],
)
def test_imports_are_resolved(source, imported):
    assert imports("classroom.store.example", ast.parse(source)) == imported


def test_flask_is_found_through_the_modules_in_between():
    graph = {
        "classroom.store.a": {"classroom.store.b", "sqlite_utils"},
        "classroom.store.b": {"classroom.db", "classroom.store.a"},
        "classroom.db": {"flask.cli", "classroom.store.a"},
    }
    chain = ["classroom.store.a", "classroom.store.b", "classroom.db", "flask.cli"]
    assert flask_path("classroom.store.a", graph) == chain
    assert flask_path("classroom.store.a", {"classroom.store.a": {"flask_wtf"}})
    assert flask_path("classroom.store.a", {"classroom.store.a": {"sqlite_utils"}}) is None
