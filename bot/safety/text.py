"""Making attacker-controlled text (replies, names, bios) safe for where it goes.

HTML is Jinja2's job (autoescape). Here: the terminal (no escape sequences, no bidi overrides that reorder a
line, no control characters), CSV (no spreadsheet formulas) and logs (single line)."""

from __future__ import annotations

import unicodedata

# Characters that reorder the text around them (U+202E turns "exe.txt" into "txt.exe"): never shown as they are.
BIDI_CONTROLS = frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
)


def term(text: str | None, *, width: int | None = None, one_line: bool = True) -> str:
    """Printable text: control characters (ESC, BEL, CR...) and bidi controls become visible escapes."""
    if text is None:
        return ""
    from bot.safety.redact import redact  # loaded on first use: `sqbot --help` prints no untrusted text

    text = redact(text)
    out = []
    for ch in text:
        if ch == "\n" and not one_line:
            out.append(ch)
        elif ch in ("\n", "\t"):
            out.append(" ")
        elif ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    s = "".join(out)
    if width is not None and len(s) > width:
        s = s[: max(0, width - 1)] + "…"
    return s


def csv_cell(text: str | None) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    s = term(text, one_line=False)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + s
    return s


def json_text(obj: object, *, indent: int | None = None) -> str:
    """JSON for `--json` outputs: every control (C0, C1), bidi control and line/paragraph separator inside a
    string is a `\\u` escape (four hex digits), so a terminal or a log viewer shows it inertly; the data parses back the same."""
    import json

    s = json.dumps(obj, ensure_ascii=False, indent=indent, default=str)
    return "".join(f"\\u{ord(ch):04x}" if _json_unsafe(ch) else ch for ch in s)


def _json_unsafe(ch: str) -> bool:
    if ch in ("\n", " "):  # json.dumps emits raw newlines/spaces only as indentation, never inside strings
        return False
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs")


def decode_user_text(data: bytes, name: str) -> str:
    """A user's file as UTF-8 text, or one line saying which file and where it stops being UTF-8."""
    from bot.errors import BotError

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        hint = ""
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = " (it looks like UTF-16)"
        raise BotError(
            f"{term(name)}: not UTF-8 text at byte offset {e.start}{hint}; save it as UTF-8 and try again"
        ) from None
