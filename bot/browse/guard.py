"""What `sqbot browse` serves for download is as safe as `leads export`: an ASGI wrapper (loaded into Datasette
as a plugin, see bot/browse/app.py) rewrites every CSV and JSON answer. CSV cells get `bot.safety.text.csv_cell` (no
spreadsheet formulas, control and bidi characters escaped); JSON strings that a spreadsheet would run as a
formula get the same leading `'`, and control and bidi characters become `\\u` escapes (four hex digits)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from bot.safety.text import csv_cell, json_text

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# the plugin file Datasette loads (`--plugins-dir`): it only hands Datasette this module's wrapper
PLUGIN_SOURCE = """from datasette import hookimpl

from bot.browse.guard import wrap


@hookimpl
def asgi_wrapper(datasette):
    return wrap
"""


def safe_csv(text: str) -> str:
    """Every cell through `csv_cell`; the header too (column names are ours, but a view may alias them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def _neutral(value: Any) -> Any:
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, list):
        return [_neutral(v) for v in value]
    if isinstance(value, dict):
        return {k: _neutral(v) for k, v in value.items()}
    return value


def safe_json(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return text
    return json_text(_neutral(data))


def _kind(scope: Scope, headers: list[tuple[bytes, bytes]]) -> str | None:
    path = str(scope.get("path", ""))
    fmt = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("_format", [""])[0]
    ctype = next((v.decode("latin-1").lower() for k, v in headers if k.lower() == b"content-type"), "")
    if path.endswith(".csv") or fmt in ("csv", "tsv") or "text/csv" in ctype:
        return "csv"
    if "json" in ctype or path.endswith(".json") or fmt == "json":
        return "json"
    return None


def wrap(app: App) -> App:
    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await app(scope, receive, send)
            return
        start: Message | None = None
        kind: str | None = None
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start, kind
            if message["type"] == "http.response.start":
                kind = _kind(scope, list(message.get("headers", [])))
                if kind is None:
                    await send(message)
                else:
                    start = message
                return
            if kind is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            text = bytes(body).decode("utf-8", "replace")
            data = (safe_csv(text) if kind == "csv" else safe_json(text)).encode("utf-8")
            assert start is not None
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(data)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": data, "more_body": False})

        await app(scope, receive, capture)

    return guarded
