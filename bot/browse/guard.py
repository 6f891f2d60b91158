"""What `sqbot browse` serves for download is as safe as `leads export`: an ASGI wrapper (loaded into Datasette
as a plugin, see bot/browse/app.py) rewrites every CSV and JSON answer. CSV cells get `bot.safety.text.csv_cell` (no
spreadsheet formulas, control and bidi characters escaped); JSON strings (and object keys) that a spreadsheet would
run as a formula get the same leading `'`, and control and bidi characters become `\\u` escapes (four hex digits).
Every JSON shape is covered (objects, arrays, arrayfirst, object, and newline-delimited `_shape=array&_nl=on`,
which Datasette sends as text/plain), and so is any other non-HTML answer that parses as JSON.

It also answers only requests whose `Host` names the loopback address and port it serves: a page on another site
whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own name as `Host` and gets 421, not the leads."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
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

HOSTS = {hosts!r}


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: wrap(app, hosts=HOSTS)
"""
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def plugin_source(port: int) -> str:
    """The plugin for a server on `port`: the Host names it answers are the loopback ones with that port."""
    return PLUGIN_SOURCE.format(hosts=sorted(allowed_hosts(port)))


def allowed_hosts(port: int) -> set[str]:
    names = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    return names | (set(LOOPBACK_NAMES) if port == 80 else set())


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
        return {_neutral(k): _neutral(v) for k, v in value.items()}
    return value


def safe_json(text: str) -> str:
    """One JSON document, or newline-delimited JSON (one document a line), neutralised; other text unchanged."""
    try:
        data = json.loads(text)
    except ValueError:
        return _safe_ndjson(text)
    return json_text(_neutral(data))


def _safe_ndjson(text: str) -> str:
    lines = text.split("\n")
    try:
        docs = [json.loads(line) if line.strip() else None for line in lines]
    except ValueError:
        return text
    return "\n".join(
        json_text(_neutral(d)) if line.strip() else line for d, line in zip(docs, lines, strict=True)
    )


def _kind(scope: Scope, headers: list[tuple[bytes, bytes]]) -> str | None:
    path = str(scope.get("path", ""))
    fmt = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("_format", [""])[0]
    ctype = next((v.decode("latin-1").lower() for k, v in headers if k.lower() == b"content-type"), "")
    if path.endswith((".csv", ".tsv")) or fmt in ("csv", "tsv") or "text/csv" in ctype or "tab-sep" in ctype:
        return "csv"
    if "json" in ctype or path.endswith(".json") or fmt == "json" or ctype.startswith("text/plain"):
        return "json"  # text/plain: NDJSON (`_nl=on`); text that is not JSON passes unchanged
    return None


def _host(scope: Scope) -> str:
    raw = next((v for k, v in scope.get("headers", []) if k.lower() == b"host"), b"")
    return bytes(raw).decode("latin-1").strip().lower()


async def _refuse_host(send: Send) -> None:
    body = b"421 Misdirected Request: this server answers only for its loopback address (Host header)\n"
    await send(
        {
            "type": "http.response.start",
            "status": 421,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def wrap(app: App, hosts: Iterable[str] | None = None) -> App:
    """Datasette wrapped: downloads neutralised; with `hosts`, a request whose `Host` is not one of them gets 421."""
    allowed = None if hosts is None else {h.lower() for h in hosts}

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        if allowed is not None and _host(scope) not in allowed:
            if scope.get("type") == "http":
                await _refuse_host(send)
            return
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
