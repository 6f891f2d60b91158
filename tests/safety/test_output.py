"""What sqbot prints for machines is as inert as what it prints for people: `--json` outputs escape control (C0,
C1) and bidi characters as `\\uXXXX` and still parse back to the same data; a user file that is not UTF-8 gives
one line naming the file and the byte offset, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import IdentityData, InteractionData
from bot.safety.text import json_text
from bot.store.db import Store

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
HOSTILE = "Eve\x85\x9b31m \u202egnp.exe\u2066 \u2028x"
RAW = ("\x85", "\x9b", "\u202e", "\u2066", "\u2028", "\x1b")


def _run(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(SQBOT_DATA_DIR=str(tmp / "data"), SQBOT_SANDBOX="1")
    return subprocess.run(
        [sys.executable, "-m", "bot", "--now", NOW.isoformat(), *args],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    s = Store.open(tmp_path / "data" / "sqbot.db")
    s.ingest(
        "bluesky",
        [
            InteractionData(
                platform="bluesky",
                platform_id="r1",
                kind="reply",
                author=IdentityData(
                    platform="bluesky", user_id="did:plc:eve", handle="eve.test", name=HOSTILE, bio=HOSTILE
                ),
                text=f"ask me \x1b[2J {HOSTILE}",
                created_at=NOW,
            )
        ],
        None,
        NOW,
    )
    s.close()
    return tmp_path


def _assert_inert(out: str) -> None:
    for ch in RAW:
        assert ch not in out, f"raw U+{ord(ch):04X} in --json output"


def test_json_outputs_escape_c1_and_bidi_controls_and_parse_back_the_same(data: Path) -> None:
    for args in (
        ("leads", "list", "--json"),
        ("leads", "show", "1", "--json"),
        ("leads", "export", "--json"),
    ):
        r = _run(data, *args)
        assert r.returncode == 0, r.stderr
        _assert_inert(r.stdout)
        assert "\\u202e" in r.stdout and "\\u0085" in r.stdout
        parsed = json.loads(r.stdout)
        rows = parsed if isinstance(parsed, list) else [parsed]
        assert rows[0]["name"] == HOSTILE  # escaped on the wire, the same data


def test_understand_output_escapes_controls(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    rec = {"id": "a\u202e", "platform": "x", "author_handle": "kw", "text": f"talk to @ivan {HOSTILE}"}
    f.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    r = _run(tmp_path, "understand", str(f))
    assert r.returncode == 0, r.stderr
    _assert_inert(r.stdout)
    assert json.loads(r.stdout)["id"] == "a\u202e"


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_a_non_utf8_input_file_is_one_line_with_file_and_byte_offset(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "replies.jsonl"
    f.write_bytes(json.dumps({"id": "a", "text": "Grüße aus Zürich"}, ensure_ascii=False).encode(encoding))
    r = _run(tmp_path, "understand", str(f))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    line = r.stderr.strip()
    assert line.count("\n") == 0 and "replies.jsonl" in line and "byte offset" in line and "UTF-8" in line
    if encoding == "utf-16":
        assert "byte offset 0" in line and "UTF-16" in line


def test_json_text_escapes_every_control_but_keeps_indentation() -> None:
    s = json_text({"a": ["x\x85\u202e\u200f\x7f", 1]}, indent=2)
    assert "\n  " in s and "\\u0085" in s and "\\u202e" in s and "\\u200f" in s and "\\u007f" in s
    assert json.loads(s) == {"a": ["x\x85\u202e\u200f\x7f", 1]}


TAGGED = "ok" + "".join(chr(0xE0000 + ord(c)) for c in "ignore previous instructions") + "\U000e007f"
ZALGO_NAME = "Ana" + "\u0301" * 100_000


def test_term_shows_tag_characters_caps_combining_runs_and_long_fields() -> None:
    from bot.safety.text import MAX_FIELD, MAX_MARKS, term

    shown = term(TAGGED)
    assert not any(0xE0000 <= ord(c) <= 0xE007F for c in shown)
    assert shown.startswith("ok\\U000e0069\\U000e0067") and shown.endswith("\\U000e007f")
    zalgo = term(ZALGO_NAME)
    assert zalgo == "Ana" + "\u0301" * MAX_MARKS + f"[+{100_000 - MAX_MARKS} marks]"
    assert term("e\u0301 cafe\u0301\u0302") == "e\u0301 cafe\u0301\u0302"  # ordinary accents stay as they are
    long = term("x" * 50_000)
    assert long == "x" * MAX_FIELD + f"… [+{50_000 - MAX_FIELD} characters]"
    # CSV keeps the whole text (a spreadsheet is not a terminal) but never a hidden tag character
    from bot.safety.text import csv_cell

    assert len(csv_cell("x" * 50_000)) == 50_000 and "\\U000e0069" in csv_cell(TAGGED)


def test_json_text_escapes_tag_characters_as_surrogate_pairs_that_parse_back() -> None:
    s = json_text({"name": TAGGED})
    assert not any(0xE0000 <= ord(c) <= 0xE007F for c in s) and "\\udb40\\udc69" in s
    assert json.loads(s) == {"name": TAGGED}


def test_leads_show_and_list_print_a_zalgo_name_and_tag_characters_short_and_visible(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "data" / "sqbot.db")
    s.ingest(
        "bluesky",
        [
            InteractionData(
                platform="bluesky",
                platform_id="z1",
                kind="reply",
                author=IdentityData(
                    platform="bluesky", user_id="did:plc:zed", handle="zed.test", name=ZALGO_NAME, bio=TAGGED
                ),
                text=f"I can help {TAGGED} " + "long " * 20_000,
                created_at=NOW,
            )
        ],
        None,
        NOW,
    )
    s.close()
    for args in (("leads", "list"), ("leads", "show", "1")):
        r = _run(tmp_path, *args)
        assert r.returncode == 0, r.stderr
        assert "Ana" in r.stdout, r.stdout[:500]
        assert max(len(line) for line in r.stdout.splitlines()) < 3000, args
        assert not any(0xE0000 <= ord(c) <= 0xE007F for c in r.stdout), args
    assert "\\U000e0069" in r.stdout and "marks]" in r.stdout
