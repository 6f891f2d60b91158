"""Link cards: the OpenGraph facts of a linked page (title, description, image), read with the standard
library's HTML tokenizer. Pure; the adapter fetches the page and uploads the image."""

from __future__ import annotations

from html.parser import HTMLParser

_OG_KEYS = ("og:title", "og:description", "og:image", "description")


class _OpenGraph(HTMLParser):
    """<meta property|name=... content=...> and <title> by the standard library's HTML tokenizer (quoted or
    unquoted attributes, entities decoded, a '>' inside a quoted value kept)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self.title: list[str] | None = None
        self.title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            a = {k.lower(): v for k, v in attrs if v is not None}
            key = (a.get("property") or a.get("name") or "").lower()
            if key in _OG_KEYS and "content" in a:
                self.found.setdefault(key, a["content"].strip())
        elif tag == "title" and not self.title_done:
            self.title = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None:
            self.found.setdefault("title", "".join(self.title).strip())
            self.title, self.title_done = None, True

    def handle_data(self, data: str) -> None:
        if self.title is not None:
            self.title.append(data)


def parse_opengraph(page: str) -> dict[str, str]:
    """og:title / og:description / og:image (or the plain title/description) from an HTML page."""
    parser = _OpenGraph()
    parser.feed(page[:500_000])
    parser.close()
    out = {k: v for k, v in parser.found.items() if k in _OG_KEYS}
    if "og:title" not in out and "title" in parser.found:
        out["og:title"] = parser.found["title"]
    if "og:description" not in out and "description" in out:
        out["og:description"] = out["description"]
    return out
