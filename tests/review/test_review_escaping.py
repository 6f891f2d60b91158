"""Property: hostile names, bios and reply texts (generated, the digest's hostile pieces plus random text) are
rendered by both review pages as text: no injected tag, no event-handler attribute, no javascript:/data: link,
no raw ESC or bidi control. Real store, real app (in process), real HTML parser."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bot.config import load_settings
from bot.review.app import Config, create_app
from bot.review.guard import Guard, served_hosts
from bot.safety.text import BIDI_CONTROLS
from bot.store.db import Store
from tests.digest.test_props_escaping import hostile
from tests.digest_seed import T0, add_query, ingest, reply
from tests.review.conftest import TOKEN

PAGE_TAGS = {  # every tag the pages use; anything else came from the data
    "html", "head", "meta", "title", "link", "body", "header", "main", "a", "span", "p", "h1", "h2", "section",
    "blockquote", "div", "ul", "li", "br", "strong", "form", "input", "label", "textarea", "button", "select",
    "option", "article", "code", "details", "summary",
}  # fmt: skip


def _pages(folder: Path, people: list[tuple[str, str, str]]) -> list[str]:
    store = Store.open(folder / "sqbot.db")
    try:
        add_query(store)
        items = [reply(n + 1, name=name, bio=bio, text=text) for n, (name, bio, text) in enumerate(people)]
        ingest(store, items, T0 + timedelta(hours=1))
        with store.tx() as c:  # a hostile note and a hostile display name on the person too
            c.execute("UPDATE people SET notes=name, name=name || '<b>x</b>'")
        pids = [int(r["id"]) for r in store.q("SELECT id FROM people ORDER BY id")]
    finally:
        store.close()
    s = load_settings(data_dir=folder, sandbox=True)
    app = create_app(
        Config(s, Guard(TOKEN, served_hosts("127.0.0.1", 8765)), lambda: T0 + timedelta(hours=2))
    )
    c = TestClient(app, base_url="http://127.0.0.1:8765")
    assert c.get(f"/?token={TOKEN}").status_code == 200
    return [c.get("/").text] + [c.get(f"/person/{pid}").text for pid in pids]


def _parse(html: str) -> tuple[set[str], list[tuple[str, str]]]:
    from tests.digest.test_props_escaping import _parse as parse

    p = parse(html)
    return p.tags, p.attrs


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(st.tuples(hostile, hostile, hostile), min_size=1, max_size=3))
def test_generated_names_bios_and_texts_render_as_text_on_both_pages(
    people: list[tuple[str, str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pages = _pages(Path(tmp), people)
    assert len(pages) == 1 + len(people)
    for html in pages:
        tags, attrs = _parse(html)
        assert tags <= PAGE_TAGS, tags - PAGE_TAGS
        for name, value in attrs:
            assert not name.startswith("on"), (name, value)
            if name in ("href", "src", "action", "formaction"):
                v = "".join(value.split()).lower()
                assert v.startswith(("/", "https://", "#")), value
        assert "\x1b" not in html and not any(c in html for c in BIDI_CONTROLS)
