"""Property: nothing attacker-controlled (names, bios, reply texts) reaches the digest HTML or the terminal
unescaped. Generated hostile strings go through the real store, the real digest build and render, and the real
`sqbot leads list` / `leads show` commands; the HTML is parsed and checked for injected tags, event-handler
attributes and javascript: URLs, the terminal output for raw ESC, C1 and bidi controls."""

from __future__ import annotations

import tempfile
import unicodedata
from datetime import UTC, timedelta
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli.app import cli
from bot.digest import collect as digestdb
from bot.digest.build import build
from bot.digest.render import render
from bot.safety.text import BIDI_CONTROLS
from bot.store.db import Store
from tests.digest_seed import T0, add_query, ingest, reply

HOSTILE_BITS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "</td></tr></table><iframe src=//evil>",
    "<svg/onload=alert(1)>",
    "{{ 7*7 }}",
    "\x1b[2J\x1b]8;;http://evil\x07link\x1b]8;;\x07",
    "\x9b31m",
    "\x85",
    "\u202egnp.exe",
    "\u2066\u2069\u200f",
    "&lt;b&gt;",
    '=HYPERLINK("http://evil")',
    "@evil.test",
    'https://evil.example/"><script>',
)
hostile = st.lists(st.one_of(st.sampled_from(HOSTILE_BITS), st.text(max_size=8)), min_size=1, max_size=5).map(
    "".join
)


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += [(k, v or "") for k, v in attrs]


def _parse(html: str) -> Collect:
    p = Collect()
    p.feed(html)
    p.close()
    return p


def _digest_html(folder: Path, people: list[tuple[str, str, str]]) -> str:
    store = Store.open(folder / "sqbot.db")
    try:
        add_query(store)
        items = [reply(n + 1, name=name, bio=bio, text=text) for n, (name, bio, text) in enumerate(people)]
        ingest(store, items, T0 + timedelta(hours=1))
        now = T0 + timedelta(hours=2)
        since, until = digestdb.window(store, now)
        return render(build(digestdb.collect(store, since, until), now=now, tz=UTC)).html
    finally:
        store.close()


def _benign_tags() -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        return _parse(
            _digest_html(Path(tmp), [("Ann Lee", "Field ecologist", "I use QGIS, ask @bob.test")])
        ).tags


BENIGN = _benign_tags()
triples = st.lists(st.tuples(hostile, hostile, hostile), min_size=1, max_size=3)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=triples)
def test_generated_names_bios_and_texts_never_inject_markup_into_the_digest(
    people: list[tuple[str, str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        html = _digest_html(Path(tmp), people)
    parsed = _parse(html)
    assert parsed.tags <= BENIGN | {
        "a",
        "br",
        "span",
        "p",
        "div",
        "td",
        "tr",
        "table",
        "tbody",
        "li",
        "ul",
    }, parsed.tags - BENIGN
    for name, value in parsed.attrs:
        assert not name.startswith("on"), (name, value)
        if name in ("href", "src", "action", "formaction", "xlink:href"):
            v = "".join(value.split()).lower()
            assert not v.startswith(("javascript:", "data:", "vbscript:")), value
    assert "\x1b" not in html and not any(c in html for c in BIDI_CONTROLS)


def _raw_controls(out: str) -> list[str]:
    return [
        c for c in out if c == "\x1b" or c in BIDI_CONTROLS or (unicodedata.category(c) == "Cc" and c != "\n")
    ]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=triples)
def test_generated_names_bios_and_texts_reach_the_terminal_only_as_visible_escapes(
    people: list[tuple[str, str, str]],
) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        store = Store.open(data / "sqbot.db")
        try:
            add_query(store)
            ingest(store, [reply(n + 1, name=a, bio=b, text=t) for n, (a, b, t) in enumerate(people)], T0)
            ids = [str(r["id"]) for r in store.q("SELECT id FROM people ORDER BY id")]
        finally:
            store.close()
        env = {"SQBOT_DATA_DIR": str(data), "SQBOT_SANDBOX": "1", "SQBOT_TIMEZONE": "UTC"}
        outs = [runner.invoke(cli, ["--now", T0.isoformat(), "leads", "list"], env=env)]
        outs += [runner.invoke(cli, ["--now", T0.isoformat(), "leads", "show", pid], env=env) for pid in ids]
    for r in outs:
        assert r.exit_code == 0, (r.output, r.exception)
        assert _raw_controls(r.output) == [], repr(r.output)
