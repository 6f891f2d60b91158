"""Making attacker-controlled text (replies, names, bios) safe for where it goes.

HTML is Jinja2's job (autoescape). Here: the terminal (no escape sequences, no bidi overrides that reorder a
line, no control characters, no invisible tag characters, no zalgo runs or endless fields), CSV (no spreadsheet
formulas) and logs (single line)."""

from __future__ import annotations

import unicodedata

# Characters that reorder the text around them (U+202E turns "exe.txt" into "txt.exe"): never shown as they are.
BIDI_CONTROLS = frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
)


# Unicode tag characters (U+E0000-U+E007F) are invisible and can carry a whole hidden sentence.
TAG_CHARS = range(0xE0000, 0xE0080)
MAX_MARKS = 4  # combining marks kept on one character; a longer run (zalgo) is cut with a marker
MAX_FIELD = 2000  # characters of one field on the terminal; the rest is cut with a marker saying how much
MAX_STORED_TEXT = 20_000  # characters of one reply kept in the database; the rest is cut at ingest, marked


def stored_text(text: str) -> str:
    """A reply's text as it is stored: at most MAX_STORED_TEXT characters, and when cut, a visible marker at
    the end saying how many characters were not kept (a 1 MB reply would slow every view of that person)."""
    if len(text) <= MAX_STORED_TEXT:
        return text
    return f"{text[:MAX_STORED_TEXT]} [… {len(text) - MAX_STORED_TEXT} more characters not stored]"


def term(
    text: str | None, *, width: int | None = None, one_line: bool = True, limit: int | None = MAX_FIELD
) -> str:
    """Printable text: control characters (ESC, BEL, CR...), bidi controls and tag characters become visible
    escapes, a run of more than MAX_MARKS combining marks keeps MAX_MARKS and says how many it dropped, and a
    field longer than `limit` characters (before escaping) is cut with a marker saying how many it dropped."""
    if text is None:
        return ""
    from bot.safety.redact import redact  # loaded on first use: `sqbot --help` prints no untrusted text

    text = redact(text)
    out = []
    marks = kept = cut = 0
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me"):
            marks += 1
            if marks <= MAX_MARKS:
                out.append(ch)
                kept += 1
            continue
        if marks > MAX_MARKS:
            out.append(f"[+{marks - MAX_MARKS} marks]")
        marks = 0
        if limit is not None and kept >= limit:
            cut = len(text) - i
            break
        kept += 1
        if ch == "\n" and not one_line:
            out.append(ch)
        elif ch in ("\n", "\t"):
            out.append(" ")
        elif ch in BIDI_CONTROLS or cat in ("Cc", "Cs") or ord(ch) in TAG_CHARS:
            out.append(_escape(ch))
        else:
            out.append(ch)
    if marks > MAX_MARKS:
        out.append(f"[+{marks - MAX_MARKS} marks]")
    if cut:
        out.append(f"… [+{cut} characters]")
    s = "".join(out)
    if width is not None and len(s) > width:
        s = s[: max(0, width - 1)] + "…"
    return s


def _escape(ch: str) -> str:
    """`\\u` and four hex digits; `\\U` and eight past the Basic Multilingual Plane (a tag character)."""
    n = ord(ch)
    return f"\\u{n:04x}" if n <= 0xFFFF else f"\\U{n:08x}"


def csv_cell(text: str | None) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (whole: no length cap)."""
    s = term(text, one_line=False, limit=None)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + s
    return s


def json_text(obj: object, *, indent: int | None = None) -> str:
    """JSON for `--json` outputs: every control (C0, C1), bidi control and line/paragraph separator inside a
    string is a `\\u` escape (four hex digits), so a terminal or a log viewer shows it inertly; the data parses back the same."""
    import json

    s = json.dumps(obj, ensure_ascii=False, indent=indent, default=str)
    return "".join(_json_escape(ch) if _json_unsafe(ch) else ch for ch in s)


def _json_escape(ch: str) -> str:
    """A JSON `\\u` escape; past U+FFFF (tag characters) the UTF-16 surrogate pair JSON needs."""
    n = ord(ch)
    if n <= 0xFFFF:
        return f"\\u{n:04x}"
    n -= 0x10000
    return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"


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
