"""The query queue: YAML files -> `Query` models, or problems with file:line:col.

Three layers, so each stays testable:

* `parse_document` is pure: text in, queries and structural problems out (no disk).
* `check_queries` does the checks that need every query or the files on disk: duplicate ids across files,
  images (present, how many, how big) and post lengths per platform.
* `load_queue` / `validate` read files and directories, guarding against what a queue file must not be
  (huge, binary, malformed, a YAML bomb).

YAML is only ever *composed* with the safe loader; values are built from the nodes here, after an event
scan bounds nesting depth and a node walk bounds alias expansion, so no input can make this hang or eat
memory.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.models import DEFAULT_WATCH, Image, PostSpec, Problem, Query
from bot.platforms.bluesky.text import unlinked_mentions
from bot.platforms.specs import PLATFORMS, SPECS
from bot.queue.files import ImageInfo, UnsafePath, inspect, open_inside, resolve
from bot.safety.fetch import check_public_url

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000  # YAML events, and nodes visited with every alias expanded
MAX_DEPTH = 32  # nested collections; a query needs 5
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")
MAX_WATCH = timedelta(days=365)
MAX_LANGS = 3
# `at:` must fall in these years (UTC, and in any offset): far enough for any real plan, and the due time
# plus a watch window (at most 365d) or a slot search still fits in a datetime.
AT_FIRST_YEAR = 2000
AT_LAST_YEAR = 2199
# Characters that show nothing: a post made only of these (and spaces) is empty. Format characters (Cf:
# zero-width space/joiners, word joiner, BOM, bidi controls, tags), marks with nothing to sit on
# (variation selectors, combining marks), separators, controls, and letters/symbols that render blank.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_CHARS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_WATCH = re.compile(r"^(\d{1,6})\s*([mhdw])$")
_WATCH_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_QUERY_KEYS = (
    "id", "title", "platforms", "at", "slot", "text", "thread", "images", "link",
    "overrides", "watch", "tags", "substack", "langs",
)  # fmt: skip
_POST_KEYS = ("text", "images", "link")
_OVERRIDE_KEYS = ("text", "thread", "images", "link")
_IMAGE_KEYS = ("path", "alt")


class _Refused(Exception):
    def __init__(self, node_or_mark: Any, message: str) -> None:
        self.mark = getattr(node_or_mark, "start_mark", node_or_mark)
        super().__init__(message)


# ------------------------------------------------------------------------------------------- safe YAML
def _scan_events(text: str) -> None:
    """Bound the document's size and nesting *before* composing it (the composer recurses)."""
    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=_Loader)):
        if count > MAX_NODES:
            raise _Refused(event, f"the YAML has more than {MAX_NODES:,} items; split it into several files")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(
                    event, f"the YAML nests deeper than {MAX_DEPTH} levels; a query needs far fewer"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _walk_budget(root: Node) -> None:
    """Visit every node as a reader would, aliases expanded, and refuse if that is too many (billion
    laughs) or too deep (a self-referencing anchor)."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    visited = 0
    while stack:
        node, depth = stack.pop()
        visited += 1
        if visited > MAX_NODES:
            raise _Refused(root, f"the YAML expands to more than {MAX_NODES:,} values (anchors and aliases?)")
        if depth > MAX_DEPTH:
            raise _Refused(
                node, f"the YAML nests deeper than {MAX_DEPTH} levels (a self-referencing anchor?)"
            )
        if isinstance(node, SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))


def _position(mark: Any) -> tuple[int, int]:
    if mark is None:
        return 1, 1
    return int(mark.line) + 1, int(mark.column) + 1


def _text_position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _bytes_position(data: bytes, index: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, index) + 1
    return line, index - (data.rfind(b"\n", 0, index) + 1) + 1


def _compose(data: str | bytes, source: str) -> tuple[Node | None, list[Problem]]:
    """Decode and compose one document safely; never raises for bad input."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        return None, [Problem(source, 1, 1, f"file is {_mb(size)} MB; the limit is 1 MB: split it")]
    if isinstance(data, bytes):
        nul = data.find(b"\0")
        if nul >= 0:
            line, col = _bytes_position(data, nul)
            return None, [Problem(source, line, col, "file contains NUL bytes: it is binary, not YAML text")]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            offset = err.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
            line, col = _bytes_position(data, offset)
            msg = f"file is not UTF-8 text (byte 0x{data[offset]:02x}); save it as UTF-8"
            return None, [Problem(source, line, col, msg)]
    else:
        text = data.removeprefix("\ufeff")
        nul = text.find("\0")
        if nul >= 0:
            line, col = _text_position(text, nul)
            return None, [Problem(source, line, col, "file contains NUL bytes: it is binary, not YAML text")]
    try:
        _scan_events(text)
        node: Node | None = yaml.compose(text, Loader=_Loader)
        if node is not None:
            _walk_budget(node)
    except _Refused as err:
        line, col = _position(err.mark)
        return None, [Problem(source, line, col, str(err))]
    except yaml.MarkedYAMLError as err:
        line, col = _position(err.problem_mark or err.context_mark)
        what = " ".join(s for s in (err.context, err.problem) if s)
        return None, [Problem(source, line, col, f"malformed YAML: {what}")]
    except yaml.reader.ReaderError as err:
        line, col = _text_position(text, err.position)
        char = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "?")
        return None, [
            Problem(source, line, col, f"malformed YAML: control character U+{char:04X} is not allowed")
        ]
    except (yaml.YAMLError, RecursionError, ValueError) as err:  # defensive: never crash on input
        return None, [Problem(source, 1, 1, f"malformed YAML: {type(err).__name__}")]
    return node, []


def _mb(size: int) -> str:
    return f"{math.ceil(size / 100_000) / 10:.1f}"


# ------------------------------------------------------------------------------------------- the schema
class _Parser:
    """Builds queries from composed nodes, collecting every problem with its position."""

    def __init__(self, source: str, base_dir: str, root: str | None = None) -> None:
        self.source = source
        self.base_dir = base_dir
        self.root = root if root is not None else base_dir
        self.problems: list[Problem] = []
        self.spans: dict[str, tuple[int, int]] = {}

    def problem(self, node: Node, message: str) -> None:
        line, col = _position(node.start_mark)
        self.problems.append(Problem(self.source, line, col, message))

    def span(self, key: str, node: Node) -> None:
        self.spans[key] = _position(node.start_mark)

    # --- generic shapes
    def mapping(self, node: MappingNode, allowed: Sequence[str], where: str) -> dict[str, tuple[Node, Node]]:
        """Keys -> (key node, value node); duplicate, unknown and non-text keys are problems."""
        out: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.tag == _NULL:
                self.problem(key, f"{where}: keys must be plain names")
                continue
            name = key.value
            if name == "<<":
                self.problem(key, f"{where}: merge keys (<<) are not supported; write the keys out")
            elif name in out:
                line, _ = _position(out[name][0].start_mark)
                self.problem(key, f"{where}: {name!r} is given twice (first on line {line}); keep one")
            elif name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(allowed)}"
                self.problem(key, f"{where}: unknown key {name!r}; {hint}")
            else:
                out[name] = (key, value)
        return out

    def string(self, node: Node, what: str, *, allow_empty: bool = False) -> str | None:
        if not isinstance(node, ScalarNode):
            self.problem(node, f"{what} must be text, not a {_kind(node)}")
            return None
        if node.tag == _NULL and not node.style:
            if allow_empty:
                return ""
            self.problem(node, f"{what} is empty")
            return None
        value = str(node.value)
        if not value.strip() and not allow_empty:
            self.problem(node, f"{what} is empty")
            return None
        return value

    def string_list(self, node: Node, what: str) -> list[tuple[str, Node]]:
        if isinstance(node, ScalarNode) and node.tag != _NULL:
            self.problem(node, f"{what} must be a list, like [{node.value}]")
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{what} must be a list")
            return []
        out = []
        for item in node.value:
            value = self.string(item, f"each of {what}")
            if value is not None:
                out.append((value.strip(), item))
        return out

    def url(self, node: Node, what: str) -> str | None:
        value = self.string(node, what)
        if value is None:
            return None
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
            self.problem(node, f"{what} must be a web address starting with https://, not {value[:80]!r}")
            return None
        if problem := check_public_url(value):  # sqbot fetches it (link card, Substack comments)
            self.problem(node, f"{what}: {problem}")
            return None
        return value

    # --- the parts of a query
    def query(self, node: Node) -> Query | None:
        if not isinstance(node, MappingNode):
            self.problem(
                node, f"a query must be a mapping (id:, platforms:, text: or thread:), not a {_kind(node)}"
            )
            return None
        before = len(self.problems)
        self.spans = {}
        keys = self.mapping(node, _QUERY_KEYS, "query")
        qid = self.query_id(node, keys)
        where = f"query {qid!r}" if qid else "query"
        v: dict[str, Node] = {k: value for k, (_, value) in keys.items()}

        title = self.string(v["title"], f"{where}: title") if "title" in v else None
        platforms = self.platforms(v.get("platforms"), node, where)
        at, slot = self.when(v.get("at"), v.get("slot"), where)
        watch = self.watch(v["watch"], where) if "watch" in v else DEFAULT_WATCH
        tags = tuple(t for t, _ in self.string_list(v["tags"], f"{where}: tags")) if "tags" in v else ()
        langs = self.langs(v["langs"], where) if "langs" in v else ()
        substack_url = self.substack(v["substack"], where) if "substack" in v else None
        if "substack" in platforms and "substack" not in v:
            self.problem(
                v.get("platforms", node),
                f"{where}: platform substack needs substack: {{post_url: https://NAME.substack.com/p/SLUG}}"
                " (the post you published by hand, whose comments are polled)",
            )
        if "substack" in v and "substack" not in platforms and platforms:
            self.problem(keys["substack"][0], f"{where}: substack: is given but substack is not in platforms")

        posts = self.posts(keys, "posts", where)
        if posts is None and any(p != "substack" for p in platforms):
            self.problem(node, f"{where}: needs text: (one post) or thread: (a list of posts)")
        overrides = self.overrides(v["overrides"], platforms, where) if "overrides" in v else {}

        if len(self.problems) > before or qid is None:
            return None
        line = self.spans["id"][0]
        return Query(
            id=qid,
            platforms=platforms,
            posts=posts or (),
            title=title,
            at=at,
            slot=slot,
            overrides=overrides,
            watch=watch,
            tags=tags,
            substack_post_url=substack_url,
            langs=langs,
            source=self.source,
            line=line,
            spans=dict(self.spans),
        )

    def query_id(self, node: MappingNode, keys: dict[str, tuple[Node, Node]]) -> str | None:
        if "id" not in keys:
            self.problem(node, "query: id: is missing; give it a unique name like open-ended-ai-people")
            return None
        value_node = keys["id"][1]
        qid = self.string(value_node, "id")
        if qid is None:
            return None
        if not _ID.fullmatch(qid):
            self.problem(
                value_node,
                f"id {qid[:80]!r} may use only a-z, 0-9 and '-' (at most 100, not starting with '-')",
            )
            return None
        self.span("id", value_node)
        return qid

    def platforms(self, node: Node | None, query_node: Node, where: str) -> tuple[str, ...]:
        if node is None:
            self.problem(query_node, f"{where}: platforms: is missing; e.g. platforms: [bluesky, x]")
            return ()
        out: list[str] = []
        for name, item in self.string_list(node, f"{where}: platforms"):
            if name not in PLATFORMS:
                self.problem(item, f"{where}: unknown platform {name!r}; use {', '.join(PLATFORMS)}")
            elif name in out:
                self.problem(item, f"{where}: platform {name!r} is listed twice")
            else:
                out.append(name)
        if isinstance(node, SequenceNode) and not node.value:
            self.problem(node, f"{where}: platforms is empty; e.g. platforms: [bluesky, x]")
        return tuple(out)

    def when(
        self, at_node: Node | None, slot_node: Node | None, where: str
    ) -> tuple[datetime | None, str | None]:
        at: datetime | None = None
        slot: str | None = None
        if at_node is not None:
            at = self.at(at_node, where)
        if slot_node is not None:
            value = self.string(slot_node, f"{where}: slot")
            if value is not None and value.strip() != "next":
                self.problem(slot_node, f"{where}: slot must be 'next' (the next free posting slot)")
            elif value is not None:
                slot = "next"
            if at_node is not None:
                self.problem(slot_node, f"{where}: give either at: or slot: next, not both")
        return at, slot

    def at(self, node: Node, where: str) -> datetime | None:
        example = "like 2026-12-01T09:00:00+01:00"
        value: object = None
        if isinstance(node, ScalarNode) and node.tag == _TIMESTAMP:
            try:
                value = SafeConstructor().construct_object(node)
            except (ValueError, yaml.YAMLError):
                value = None
        elif isinstance(node, ScalarNode) and node.tag != _NULL:
            try:
                value = datetime.fromisoformat(str(node.value).strip())
            except ValueError:
                value = None
        if isinstance(value, datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                self.problem(node, f"{where}: at needs a UTC offset ({example}, or Z for UTC)")
                return None
            if not _schedulable(value):
                self.problem(
                    node,
                    f"{where}: at {str(node.value).strip()[:40]!r} is outside the years sqbot schedules "
                    f"({AT_FIRST_YEAR} to {AT_LAST_YEAR}, in UTC); give a real date, {example}",
                )
                return None
            return value
        if isinstance(value, date):
            self.problem(node, f"{where}: at needs a time as well as a date, {example}")
        else:
            self.problem(node, f"{where}: at must be a date and time with offset, {example}")
        return None

    def watch(self, node: Node, where: str) -> timedelta:
        value = self.string(node, f"{where}: watch")
        m = _WATCH.match(value.strip().lower()) if value is not None else None
        if value is not None and not m:
            self.problem(
                node, f"{where}: watch must be a duration like 14d, 36h, 90m or 2w, not {value[:40]!r}"
            )
        if not m:
            return DEFAULT_WATCH
        watch = timedelta(**{_WATCH_UNITS[m.group(2)]: int(m.group(1))})
        if not timedelta(0) < watch <= MAX_WATCH:
            self.problem(node, f"{where}: watch must be more than 0 and at most 365d")
            return DEFAULT_WATCH
        return watch

    def langs(self, node: Node, where: str) -> tuple[str, ...]:
        out = []
        for tag, item in self.string_list(node, f"{where}: langs"):
            if not _LANG.fullmatch(tag):
                self.problem(item, f"{where}: {tag[:40]!r} is not a language tag like en, de or pt-BR")
            else:
                out.append(tag)
        if len(out) > MAX_LANGS:
            self.problem(node, f"{where}: at most {MAX_LANGS} langs (Bluesky's limit)")
        return tuple(out)

    def substack(self, node: Node, where: str) -> str | None:
        if not isinstance(node, MappingNode):
            self.problem(
                node,
                f"{where}: substack must be a mapping like {{post_url: https://NAME.substack.com/p/SLUG}}",
            )
            return None
        keys = self.mapping(node, ("post_url",), f"{where}: substack")
        if "post_url" not in keys:
            self.problem(node, f"{where}: substack needs post_url: (the published post's address)")
            return None
        url = self.url(keys["post_url"][1], f"{where}: substack.post_url")
        if url is not None and "/p/" not in urlsplit(url).path:
            self.problem(
                keys["post_url"][1],
                f"{where}: substack.post_url must be a post, like https://NAME.substack.com/p/SLUG",
            )
            return None
        return url

    def posts(
        self, keys: dict[str, tuple[Node, Node]], prefix: str, where: str
    ) -> tuple[PostSpec, ...] | None:
        """The thread from `text:` (+ `images:`/`link:`) or `thread:`; None when neither is there."""
        if "thread" in keys:
            for extra in ("text", "images", "link"):
                if extra in keys:
                    self.problem(
                        keys[extra][0], f"{where}: {extra}: goes inside a thread post when thread: is used"
                    )
            node = keys["thread"][1]
            if not isinstance(node, SequenceNode) or not node.value:
                self.problem(node, f"{where}: thread must be a non-empty list of posts")
                return ()
            return tuple(
                self.post(item, f"{prefix}.{i}", f"{where}: post {i + 1}")
                for i, item in enumerate(node.value)
            )
        if "text" in keys:
            post_keys = {k: keys[k] for k in _POST_KEYS if k in keys}
            return (self.post_fields(post_keys, keys["text"][1], f"{prefix}.0", f"{where}: post 1"),)
        for extra in ("images", "link"):
            if extra in keys:
                self.problem(keys[extra][0], f"{where}: {extra}: needs text: beside it (or use thread:)")
                return ()
        return None

    def post(self, node: Node, key: str, where: str) -> PostSpec:
        if isinstance(node, ScalarNode):
            text = self.string(node, f"{where}: text")
            self.span(key, node)
            if text is not None and not visible(text):
                self.problem(
                    node,
                    f"{where}: text shows nothing (only spaces or invisible characters); write some words",
                )
            return PostSpec(text=_clean(text or ""))
        if isinstance(node, MappingNode):
            keys = self.mapping(node, _POST_KEYS, where)
            return self.post_fields(keys, node, key, where)
        self.problem(node, f"{where} must be text or a mapping with text:, images:, link:")
        return PostSpec(text="")

    def post_fields(self, keys: dict[str, tuple[Node, Node]], anchor: Node, key: str, where: str) -> PostSpec:
        text = ""
        if "text" in keys:
            text = _clean(self.string(keys["text"][1], f"{where}: text", allow_empty=True) or "")
            anchor = keys["text"][1]
        self.span(key, anchor)
        images = self.images(keys["images"][1], key, where) if "images" in keys else ()
        link = self.url(keys["link"][1], f"{where}: link") if "link" in keys else None
        if not text.strip() and not images:
            self.problem(anchor, f"{where} has no text (and no image)")
        elif text.strip() and not visible(text):
            self.problem(
                anchor, f"{where}: text shows nothing (only spaces or invisible characters); write some words"
            )
        return PostSpec(text=text, images=images, link=link)

    def images(self, node: Node, key: str, where: str) -> tuple[Image, ...]:
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{where}: images must be a list like [{{path: images/a.png, alt: ...}}]")
            return ()
        out: list[Image] = []
        for j, item in enumerate(node.value):
            what = f"{where}: image {j + 1}"
            if not isinstance(item, MappingNode):
                self.problem(item, f"{what} must be a mapping {{path: ..., alt: ...}}")
                continue
            keys = self.mapping(item, _IMAGE_KEYS, what)
            if "path" not in keys:
                self.problem(item, f"{what} needs path: (relative to this file's folder)")
                continue
            path = self.string(keys["path"][1], f"{what}: path")
            self.span(f"{key}.images.{j}", keys["path"][1])
            alt = None
            if "alt" not in keys:
                self.problem(item, f"{what} needs alt: text describing it for people who cannot see it")
            else:
                alt = self.string(keys["alt"][1], f"{what}: alt (describe the image)")
            if path is None or alt is None:
                continue
            if not path.lower().endswith(IMAGE_EXTENSIONS):
                self.problem(
                    keys["path"][1], f"{what}: {path[:80]!r} is not a {', '.join(IMAGE_EXTENSIONS)} image"
                )
                continue
            try:
                resolved = resolve(self.root, self.base_dir, path)
            except UnsafePath as err:
                self.problem(keys["path"][1], f"{what}: {path[:80]!r} {err}")
                continue
            out.append(Image(path=path, alt=alt.strip(), resolved=resolved, root=self.root))
        return tuple(out)

    def overrides(
        self, node: Node, platforms: tuple[str, ...], where: str
    ) -> dict[str, tuple[PostSpec, ...]]:
        if not isinstance(node, MappingNode):
            self.problem(
                node, f"{where}: overrides must map a platform to text: or thread:, like x: {{text: ...}}"
            )
            return {}
        out: dict[str, tuple[PostSpec, ...]] = {}
        for platform, (key_node, value) in self.mapping(node, PLATFORMS, f"{where}: overrides").items():
            if platforms and platform not in platforms:
                self.problem(key_node, f"{where}: override for {platform} but {platform} is not in platforms")
                continue
            if not isinstance(value, MappingNode):
                self.problem(value, f"{where}: overrides.{platform} must be a mapping with text: or thread:")
                continue
            keys = self.mapping(value, _OVERRIDE_KEYS, f"{where}: overrides.{platform}")
            posts = self.posts(keys, f"overrides.{platform}", f"{where} ({platform})")
            if posts is None:
                self.problem(value, f"{where}: overrides.{platform} needs text: or thread:")
            else:
                out[platform] = posts
        return out


def visible(text: str) -> bool:
    """True when `text` would show something: not only spaces, zero-width and other invisible characters."""
    return any(
        ch not in _BLANK_CHARS and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES for ch in text
    )


def _schedulable(value: datetime) -> bool:
    """An `at:` that converts to UTC (and back to any zone) and leaves room for a watch window."""
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        return False
    return AT_FIRST_YEAR <= utc.year <= AT_LAST_YEAR and AT_FIRST_YEAR <= value.year <= AT_LAST_YEAR


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "value"


# ------------------------------------------------------------------------------------------- public API
def parse_document(
    text: str | bytes, source: str, base_dir: str, *, root: str | None = None
) -> tuple[list[Query], list[Problem]]:
    """Parse one YAML document holding a query (a mapping) or a list of queries. Pure: no disk access.
    Images are resolved relative to `base_dir` and must stay inside `root`, the queue folder (default:
    `base_dir`); their files are checked by `check_queries`."""
    doc, problems = _compose(text, source)
    if doc is None:
        return [], problems
    parser = _Parser(source, base_dir, root)
    items: Iterable[Node]
    if isinstance(doc, SequenceNode):
        items = doc.value
    elif isinstance(doc, MappingNode):
        items = [doc]
    elif isinstance(doc, ScalarNode) and doc.tag == _NULL and not doc.value:
        items = []
    else:
        parser.problem(doc, "expected a query (a mapping with id:) or a list of queries")
        items = []
    queries = [q for q in (parser.query(item) for item in items) if q is not None]
    return queries, parser.problems


def check_queries(
    queries: Sequence[Query], *, inspect_image: Callable[[Image], ImageInfo] = inspect
) -> list[Problem]:
    """Checks across queries and against the files: duplicate ids, images, lengths per platform.
    `inspect_image` reads an image through `bot.queue.files` (inside the queue folder, a regular file, a PNG,
    JPEG, GIF or WebP with a width and height) and raises UnsafePath saying what is wrong."""
    problems: list[Problem] = []
    first: dict[str, Query] = {}
    inspected: dict[tuple[str, str], ImageInfo | str] = {}

    def at(q: Query, key: str, message: str) -> None:
        line, col = q.spans.get(key) or q.spans.get(key.rsplit(".images.", 1)[0]) or (q.line or 1, 1)
        problems.append(Problem(q.source, line, col, message))

    def look(image: Image) -> ImageInfo | str:
        key = (image.root, image.resolved)
        if key not in inspected:
            try:
                inspected[key] = inspect_image(image)
            except UnsafePath as err:
                inspected[key] = str(err)
            except (OSError, ValueError) as err:  # defensive: validate reports, it never raises
                inspected[key] = f"cannot be read ({type(err).__name__})"
        return inspected[key]

    for q in queries:
        if q.id in first:
            p = first[q.id]
            at(
                q,
                "id",
                f"id {q.id!r} is already used at {p.source}:{p.line}; ids must be unique across all files",
            )
        else:
            first[q.id] = q
        reported: set[str] = set()
        for platform in q.platforms:
            prefix = f"overrides.{platform}" if platform in q.overrides else "posts"
            for i, post in enumerate(q.posts_for(platform)):
                key = f"{prefix}.{i}"
                for message in _length_problems(platform, i, post):
                    at(q, key, message)
                spec = SPECS[platform]  # parse_document lets only registered platforms through
                if spec.max_images is not None and len(post.images) > spec.max_images:
                    at(
                        q,
                        key,
                        f"{platform}: post {i + 1} has {len(post.images)} images, limit {spec.max_images}",
                    )
                for j, image in enumerate(post.images):
                    image_key = f"{key}.images.{j}"
                    info = look(image)  # every platform: nothing unchecked is ever read to be sent
                    if isinstance(info, str):
                        if image_key not in reported:
                            reported.add(image_key)
                            at(q, image_key, f"image {image.path!r} {info}")
                        continue
                    limit = spec.image_bytes
                    if limit is not None and info.size > limit:
                        at(
                            q,
                            image_key,
                            f"{platform}: image {image.path!r} is {info.size:,} bytes, limit {limit:,}",
                        )
    return problems


def _length_problems(platform: str, index: int, post: PostSpec) -> list[str]:
    over = SPECS[platform].over_limit(post.text, post.link)
    if over is None:
        return []
    unit, size, limit = over
    return [f"{platform}: post {index + 1} is {size} {unit}, limit {limit}"]


def _expand(paths: Sequence[str]) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(file, queue folder) for every YAML file named or found below a folder named. A file found in a
    folder belongs to that folder; a file named by itself, to its own folder."""
    files: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for path in paths:
        if os.path.isdir(path):
            found = []
            for folder, dirs, names in os.walk(path):  # symlinked folders are listed, never entered
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found += [os.path.join(folder, n) for n in names if n.endswith((".yaml", ".yml"))]
            files += [(f, path) for f in sorted(found)]
        elif os.path.lexists(path):
            files.append((path, os.path.dirname(os.path.abspath(path))))
        else:
            problems.append(Problem(path, 1, 1, "no such file or folder"))
    seen: set[str] = set()
    unique = []
    for f, root in files:
        real = os.path.realpath(f)
        if real not in seen:
            seen.add(real)
            unique.append((f, root))
    return unique, problems


def _read(path: str, root: str) -> bytes | Problem:
    """The file's bytes, read only if it is a regular file inside `root` (see bot.queue.files.open_inside)."""
    try:
        fd = open_inside(root, path)
    except UnsafePath as err:
        return Problem(path, 1, 1, f"this queue file {err}")
    try:
        size = os.fstat(fd).st_size
        if size > MAX_FILE_BYTES:
            return Problem(path, 1, 1, f"file is {_mb(size)} MB; the limit is 1 MB: split it")
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        return Problem(path, 1, 1, f"cannot read the file: {err.strerror or type(err).__name__}")
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        return Problem(path, 1, 1, "file is over 1 MB; the limit is 1 MB: split it")
    return data


def load_queue(paths: Sequence[str]) -> tuple[list[Query], list[Problem], list[str]]:
    """Read queue files (folders: every *.yaml / *.yml below, sorted). Returns the queries, the problems
    found while reading and parsing each file, and the files read. Every file, and every image a file
    names, must stay inside its queue folder (the folder given, or the folder of a file given)."""
    files, problems = _expand(paths)
    queries: list[Query] = []
    read: list[str] = []
    for path, root in files:
        data = _read(path, root)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        read.append(path)
        base_dir = os.path.dirname(os.path.abspath(path))
        found, file_problems = parse_document(data, path, base_dir, root=os.path.abspath(root))
        queries += found
        problems += file_problems
    return queries, problems, read


def validate(paths: Sequence[str]) -> tuple[list[Query], list[Problem]]:
    """Everything `sqbot validate` checks: load every file, then the checks across files and on disk."""
    queries, problems, _ = load_queue(paths)
    problems += check_queries(queries)
    return queries, sorted(problems, key=lambda p: (p.file, p.line, p.col))


def warnings(queries: Sequence[Query]) -> list[Problem]:
    """What posts, but not as written: a Bluesky `@name.domain` that Bluesky shows as plain text, not as a
    mention (unknown TLD, not a handle, or not after a space/'('). Offline; a handle that does not resolve is
    found only when posting, and is then posted as plain text too."""
    found: list[Problem] = []
    for q in queries:
        if "bluesky" not in q.platforms:
            continue
        prefix = "overrides.bluesky" if "bluesky" in q.overrides else "posts"
        for i, post in enumerate(q.posts_for("bluesky")):
            for handle in unlinked_mentions(post.text):
                line, col = q.spans.get(f"{prefix}.{i}") or (q.line or 1, 1)
                message = f"warning: bluesky: post {i + 1}: @{handle} is not a mention Bluesky links; posted as plain text"
                found.append(Problem(q.source, line, col, message))
    return found
