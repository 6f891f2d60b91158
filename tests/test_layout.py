"""The shape of `bot/` (ARCHITECTURE.md): packages by job, few modules flat in `bot/`, no big file, no complex
function, package `__init__` files that re-export nothing."""

from __future__ import annotations

import ast
from pathlib import Path

from radon.complexity import cc_visit

BOT = Path(__file__).resolve().parent.parent / "bot"
SOURCES = sorted(p for p in BOT.rglob("*.py") if "__pycache__" not in p.parts)


def test_at_most_twelve_modules_sit_flat_in_bot() -> None:
    flat = sorted(p.name for p in BOT.glob("*.py"))
    assert len(flat) <= 12, flat


def test_no_file_in_bot_is_over_800_lines() -> None:
    sizes = {str(p.relative_to(BOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in SOURCES}
    assert {k: v for k, v in sizes.items() if v > 800} == {}


def test_no_function_is_over_cyclomatic_complexity_30() -> None:
    over = [
        f"{p.relative_to(BOT)}:{b.lineno} {b.name} ({b.complexity})"
        for p in SOURCES
        for b in cc_visit(p.read_text(encoding="utf-8"))
        if b.complexity > 30
    ]
    assert over == []


def test_package_init_files_hold_a_docstring_and_nothing_else() -> None:
    """Nothing is re-exported (importing a package stays cheap: CLI start-up)."""
    for init in BOT.rglob("__init__.py"):
        if init.parent == BOT:
            continue
        body = ast.parse(init.read_text(encoding="utf-8")).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr), init.relative_to(BOT)
