"""SQL only in `bot/store/`: no other module of bot/ runs SQL, writes SQL text or opens SQLite itself; the store
stays split by area (no god class) and the pure planner never imports it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"
STORE = BOT / "store"

ALLOWED: set[str] = set()  # empty: no module outside bot/store/ runs SQL; nothing may be added here

# Calls that run SQL on a connection or a store; `sqlite3.connect` opens a database behind the store's back.
# `store.tx()` is allowed outside: logic may group named store steps into one transaction (leads/forget.py).
SQL_CALLS = {"execute", "executemany", "executescript", "q"}
# SQL statement shapes, in capitals as the code writes them (prose in messages and comments does not match).
SQL_TEXT = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b|\bDROP\s+(?:TABLE|INDEX)\b|\bPRAGMA\s+\w+"
    r"|\bBEGIN\s+(?:IMMEDIATE|EXCLUSIVE)\b"
)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes (prose, not SQL)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def sql_uses(source: str) -> list[str]:
    """Each place `source` runs SQL or holds SQL text, as `line: what`."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            f = node.func
            if f.attr in SQL_CALLS:
                found.append(f"{node.lineno}: .{f.attr}(...)")
            elif f.attr == "connect" and isinstance(f.value, ast.Name) and f.value.id == "sqlite3":
                found.append(f"{node.lineno}: sqlite3.connect(...)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            m = SQL_TEXT.search(node.value)
            if m:
                found.append(f"{node.lineno}: SQL text {m.group(0)[:40]!r}")
    return found


def _modules() -> list[Path]:
    return sorted(p for p in BOT.rglob("*.py") if STORE not in p.parents)


def test_the_scan_finds_sql_calls_and_text_but_not_prose() -> None:
    code = '''
"""Docstring: SELECT name FROM people is prose here."""
import sqlite3
def f(store, c):
    """SELECT x FROM y in a docstring is prose too."""
    store.q("SELECT 1")
    c.execute("PRAGMA busy_timeout=1000")
    with store.tx() as t:
        t.executemany("x", [])
    sql = f"UPDATE people SET name=? WHERE id={1}"
    conn = sqlite3.connect(":memory:")
    msg = "select the rows you want; insert into the queue; update from the platform"
    return store.person_names()
'''
    found = sql_uses(code)
    assert sorted(found) == sorted(
        [
            "6: .q(...)",
            "7: .execute(...)",
            "7: SQL text 'PRAGMA busy_timeout'",
            "9: .executemany(...)",
            "10: SQL text 'UPDATE people SET'",
            "11: sqlite3.connect(...)",
        ]
    ), found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(BOT.parent)))
def test_sql_runs_only_in_the_store(path: Path) -> None:
    rel = str(path.relative_to(BOT.parent))
    found = sql_uses(path.read_text(encoding="utf-8"))
    if rel in ALLOWED:
        return
    assert not found, f"{rel} runs SQL outside bot/store/ (add a named store method instead): {found}"


def test_the_allow_list_names_only_files_that_still_need_it() -> None:
    """A file whose SQL has moved leaves the list (so the list only shrinks)."""
    stale = sorted(rel for rel in ALLOWED if not sql_uses((BOT.parent / rel).read_text(encoding="utf-8")))
    assert stale == [], f"no SQL left in {stale}: remove them from ALLOWED"


def test_the_store_is_split_by_area_with_no_big_module() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in STORE.glob("*.py")}
    assert {"db.py", "migrations.py", "outbox.py", "ingest.py", "platform_state.py"} <= set(sizes)
    # the schema history is append-only (a migration's name and body never change), so it only grows
    assert max(n for name, n in sizes.items() if name != "migrations.py") < 400, sizes


def test_the_planner_is_pure_it_never_imports_the_store() -> None:
    tree = ast.parse((BOT / "publish" / "plan.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported and not {m for m in imported if m.startswith(("bot.store", "sqlite3", "sqlite_utils"))}


def test_every_migration_function_is_registered_once_in_numbered_order() -> None:
    """A migration written but not decorated would never run; two with one number would confuse the history."""
    from bot.store.migrations import migration_names

    defined = [
        node.name
        for path in (STORE / "migrations.py", STORE / "migrations_later.py")
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and re.fullmatch(r"m\d{3}_\w+", node.name)
    ]
    assert list(migration_names()) == defined
    assert [int(name[1:4]) for name in defined] == list(range(1, len(defined) + 1))
