from __future__ import annotations

import os
import textwrap
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

import bot.queue.parse
from bot.models import Image, PostSpec, Problem, Query
from bot.platforms.x.text import x_length
from bot.queue.files import ImageInfo, UnsafePath
from bot.queue.parse import (
    MAX_FILE_BYTES,
    check_queries,
    load_queue,
    parse_document,
    validate,
)

ROOT = Path(__file__).resolve().parents[2]
MARK = "⟨"  # marks where a problem must point; removed before parsing


def _marked(doc: str) -> tuple[str, int, int]:
    """Strip the marker from `doc`; return the text and the marker's 1-based line and column."""
    doc = textwrap.dedent(doc).lstrip("\n")
    index = doc.index(MARK)
    line = doc.count("\n", 0, index) + 1
    col = index - (doc.rfind("\n", 0, index) + 1) + 1
    return doc.replace(MARK, "", 1), line, col


def _parse(doc: str, base_dir: str = "/base") -> tuple[list[Query], list[Problem]]:
    return parse_document(textwrap.dedent(doc).lstrip("\n"), "queue/q.yaml", base_dir)


def _one(doc: str) -> Query:
    queries, problems = _parse(doc)
    assert problems == []
    assert len(queries) == 1
    return queries[0]


# ------------------------------------------------------------------------------------------ parsing
def test_full_example_from_the_issue_maps_to_a_query() -> None:
    q = _one("""
        id: open-ended-ai-people
        title: Who works on open-ended AI + cultural evolution?
        platforms: [bluesky, x]
        at: 2026-12-01T09:00:00+01:00
        thread:
          - "First post of the thread 🧵"
          - text: "Second post"
            images: [{path: images/diagram.png, alt: "Diagram of the loop"}]
            link: https://example.org/essay
        overrides:
          x: {thread: ["shorter first post", "second"]}
        watch: 14d
        tags: [open-ended-ai]
        langs: [en]
    """)
    assert q.id == "open-ended-ai-people"
    assert q.title == "Who works on open-ended AI + cultural evolution?"
    assert q.platforms == ("bluesky", "x")
    assert q.at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert q.at is not None and q.at.utcoffset() == timedelta(hours=1)
    assert q.posts == (
        PostSpec("First post of the thread 🧵"),
        PostSpec(
            "Second post",
            (Image("images/diagram.png", "Diagram of the loop", "/base/images/diagram.png"),),
            "https://example.org/essay",
        ),
    )
    assert q.overrides == {"x": (PostSpec("shorter first post"), PostSpec("second"))}
    assert q.posts_for("x")[0].text == "shorter first post"
    assert q.posts_for("bluesky") == q.posts
    assert q.watch == timedelta(days=14)
    assert q.tags == ("open-ended-ai",)
    assert q.langs == ("en",)
    assert (q.source, q.line) == ("queue/q.yaml", 1)
    assert q.spans["posts.1.images.0"] == (8, 21)


def test_a_file_may_hold_a_list_of_queries() -> None:
    queries, problems = _parse("""
        - {id: one, platforms: [bluesky], text: first}
        - {id: two, platforms: [x], text: second}
    """)
    assert problems == []
    assert [(q.id, q.line) for q in queries] == [("one", 1), ("two", 2)]


def test_an_empty_file_holds_no_queries() -> None:
    assert parse_document("# nothing yet\n", "q.yaml", "/b") == ([], [])


def test_substack_only_query_needs_no_text() -> None:
    q = _one("""
        id: long-read
        platforms: [substack]
        substack: {post_url: https://name.substack.com/p/slug}
    """)
    assert q.posts == ()
    assert q.substack_post_url == "https://name.substack.com/p/slug"


def test_single_post_may_carry_images_and_link_beside_text() -> None:
    doc = """
        id: single
        platforms: [bluesky]
        text: look
        images: [{path: ../img/a.jpg, alt: A photo}]
        link: https://example.org
    """
    queries, problems = parse_document(textwrap.dedent(doc), "q/sub/q.yaml", "/q/sub", root="/q")
    assert problems == []
    assert queries[0].posts == (
        PostSpec("look", (Image("../img/a.jpg", "A photo", "/q/img/a.jpg"),), "https://example.org"),
    )
    assert queries[0].posts[0].images[0].root == "/q"


@pytest.mark.parametrize(
    ("watch", "expected"),
    [("14d", timedelta(days=14)), ("36h", timedelta(hours=36)), ("90m", timedelta(minutes=90)),
     ("2w", timedelta(weeks=2)), ("365d", timedelta(days=365))],
)  # fmt: skip
def test_watch_durations(watch: str, expected: timedelta) -> None:
    assert _one(f"{{id: w, platforms: [x], text: hi, watch: {watch}}}").watch == expected


def test_watch_defaults_to_14_days() -> None:
    assert _one("{id: w, platforms: [x], text: hi}").watch == timedelta(days=14)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-12-01T09:00:00+01:00", datetime(2026, 12, 1, 8, tzinfo=UTC)),
        ("2026-12-01 09:00:00Z", datetime(2026, 12, 1, 9, tzinfo=UTC)),
        ('"2026-12-01T09:00:00-05:00"', datetime(2026, 12, 1, 14, tzinfo=UTC)),  # quoted: a string
    ],
)
def test_at_accepts_times_with_an_offset(at: str, expected: datetime) -> None:
    got = _one(f"{{id: a, platforms: [x], text: hi, at: {at}}}").at
    assert got == expected
    assert got is not None and got.tzinfo is not None


def test_slot_next() -> None:
    q = _one("{id: s, platforms: [x], text: hi, slot: next}")
    assert (q.slot, q.at) == ("next", None)


def test_yaml_1_1_booleans_stay_text_where_text_is_expected() -> None:
    q = _one("{id: n, platforms: [bluesky], text: yes, langs: [no], tags: [on, 2026]}")
    assert q.posts[0].text == "yes"
    assert q.langs == ("no",)  # Norwegian, not False
    assert q.tags == ("on", "2026")


def test_text_is_stripped_and_crlf_becomes_lf() -> None:
    q = _one('{id: c, platforms: [x], text: "  line one\\r\\nline two  "}')
    assert q.posts[0].text == "line one\nline two"


def test_bytes_with_a_utf8_bom_are_read() -> None:
    queries, problems = parse_document("\ufeffid: bom\nplatforms: [x]\ntext: hé\n".encode(), "q.yaml", "/b")
    assert problems == []
    assert queries[0].posts[0].text == "hé"


def test_a_bad_query_does_not_hide_the_good_ones() -> None:
    queries, problems = _parse("""
        - {id: good, platforms: [x], text: hi}
        - {id: bad, platforms: [x]}
    """)
    assert [q.id for q in queries] == ["good"]
    assert len(problems) == 1


# ------------------------------------------------------------------------------------- every problem kind
PROBLEMS = [
    # (what, document with ⟨ where the problem must point, words the message must contain)
    ("unknown key", "id: a\nplatforms: [x]\ntext: hi\n⟨plaforms: [x]\n", "did you mean 'platforms'"),
    (
        "duplicate key",
        "id: a\nplatforms: [x]\ntext: hi\n⟨text: again\n",
        "'text' is given twice (first on line 3)",
    ),
    ("merge key", "id: a\nplatforms: [x]\ntext: hi\n⟨<<: {title: t}\n", "merge keys"),
    ("missing id", "⟨platforms: [x]\ntext: hi\n", "id: is missing"),
    ("bad id", "id: ⟨Open_AI\nplatforms: [x]\ntext: hi\n", "a-z, 0-9 and '-'"),
    ("id with a newline", 'id: ⟨"abc\\n"\nplatforms: [x]\ntext: hi\n', "a-z, 0-9 and '-'"),
    ("id not text", "id: ⟨[a]\nplatforms: [x]\ntext: hi\n", "id must be text, not a list"),
    ("missing platforms", "⟨id: a\ntext: hi\n", "platforms: is missing"),
    ("unknown platform", "id: a\nplatforms: [bluesky, ⟨mastodon]\ntext: hi\n", "unknown platform 'mastodon'"),
    ("platform twice", "id: a\nplatforms: [x, ⟨x]\ntext: hi\n", "listed twice"),
    ("platforms not a list", "id: a\nplatforms: ⟨x\ntext: hi\n", "must be a list, like [x]"),
    ("platforms empty", "id: a\nplatforms: ⟨[]\ntext: hi\n", "platforms is empty"),
    (
        "at without offset",
        "id: a\nplatforms: [x]\ntext: hi\nat: ⟨2026-12-01T09:00:00\n",
        "needs a UTC offset",
    ),
    ("at date only", "id: a\nplatforms: [x]\ntext: hi\nat: ⟨2026-12-01\n", "needs a time as well"),
    ("at garbage", "id: a\nplatforms: [x]\ntext: hi\nat: ⟨tomorrow\n", "must be a date and time"),
    ("slot not next", "id: a\nplatforms: [x]\ntext: hi\nslot: ⟨later\n", "slot must be 'next'"),
    ("at and slot", "id: a\nplatforms: [x]\ntext: hi\nat: 2026-12-01T09:00:00Z\nslot: ⟨next\n", "not both"),
    ("bad watch", "id: a\nplatforms: [x]\ntext: hi\nwatch: ⟨3y\n", "like 14d, 36h, 90m or 2w"),
    ("zero watch", "id: a\nplatforms: [x]\ntext: hi\nwatch: ⟨0d\n", "more than 0"),
    ("too long watch", "id: a\nplatforms: [x]\ntext: hi\nwatch: ⟨400d\n", "at most 365d"),
    ("bad lang", "id: a\nplatforms: [x]\ntext: hi\nlangs: [en, ⟨english!]\n", "not a language tag"),
    ("too many langs", "id: a\nplatforms: [x]\ntext: hi\nlangs: ⟨[en, de, fr, it]\n", "at most 3 langs"),
    ("tags not a list", "id: a\nplatforms: [x]\ntext: hi\ntags: ⟨{a: b}\n", "tags must be a list"),
    ("title not text", "id: a\nplatforms: [x]\ntext: hi\ntitle: ⟨[a, b]\n", "title must be text"),
    ("substack without url", "id: a\nplatforms: ⟨[substack]\n", "needs substack: {post_url"),
    (
        "substack not a platform",
        "id: a\nplatforms: [x]\ntext: hi\n⟨substack: {post_url: https://a.substack.com/p/s}\n",
        "substack is not in platforms",
    ),
    (
        "substack url not a post",
        "id: a\nplatforms: [substack]\nsubstack: {post_url: ⟨https://a.substack.com/about}\n",
        "must be a post",
    ),
    (
        "substack url not a url",
        "id: a\nplatforms: [substack]\nsubstack: {post_url: ⟨a.substack.com/p/s}\n",
        "starting with https://",
    ),
    ("substack url missing", "id: a\nplatforms: [substack]\nsubstack: ⟨{}\n", "needs post_url"),
    ("no text or thread", "⟨id: a\nplatforms: [bluesky]\n", "needs text: (one post) or thread:"),
    ("text and thread", "id: a\nplatforms: [x]\nthread: [one]\n⟨text: hi\n", "goes inside a thread post"),
    (
        "images beside thread",
        "id: a\nplatforms: [x]\nthread: [one]\n⟨link: https://e.org\n",
        "goes inside a thread",
    ),
    ("empty thread", "id: a\nplatforms: [x]\nthread: ⟨[]\n", "non-empty list of posts"),
    ("thread not a list", "id: a\nplatforms: [x]\nthread: ⟨hello\n", "non-empty list of posts"),
    ("empty post", "id: a\nplatforms: [x]\nthread:\n  - one\n  - ⟨''\n", "post 2: text is empty"),
    (
        "post without text",
        "id: a\nplatforms: [x]\nthread:\n  - one\n  - ⟨{link: https://e.org}\n",
        "has no text",
    ),
    ("post a list", "id: a\nplatforms: [x]\nthread:\n  - ⟨[a, b]\n", "must be text or a mapping"),
    (
        "unknown post key",
        "id: a\nplatforms: [x]\nthread:\n  - {text: a, ⟨image: x.png}\n",
        "did you mean 'images'",
    ),
    (
        "image without alt",
        "id: a\nplatforms: [x]\nthread:\n  - text: a\n    images: [⟨{path: a.png}]\n",
        "needs alt:",
    ),
    (
        "image with empty alt",
        "id: a\nplatforms: [x]\nthread:\n  - text: a\n    images: [{path: a.png, alt: ⟨''}]\n",
        "alt (describe the image) is empty",
    ),
    (
        "image without path",
        "id: a\nplatforms: [x]\nthread:\n  - text: a\n    images: [⟨{alt: hi}]\n",
        "needs path:",
    ),
    (
        "image not an image",
        "id: a\nplatforms: [x]\nthread:\n  - text: a\n    images: [{path: ⟨a.pdf, alt: A}]\n",
        "is not a .png",
    ),
    (
        "images not a list",
        "id: a\nplatforms: [x]\nthread:\n  - text: a\n    images: ⟨a.png\n",
        "must be a list",
    ),
    (
        "image not a mapping",
        "id: a\nplatforms: [x]\nthread:\n  - text: a\n    images: [⟨a.png]\n",
        "must be a mapping",
    ),
    (
        "bad link",
        "id: a\nplatforms: [x]\nthread:\n  - text: a\n    link: ⟨ftp://e.org/x\n",
        "starting with https://",
    ),
    (
        "override for other platform",
        "id: a\nplatforms: [x]\ntext: hi\noverrides:\n  ⟨bluesky: {text: b}\n",
        "bluesky is not in platforms",
    ),
    (
        "override unknown platform",
        "id: a\nplatforms: [x]\ntext: hi\noverrides:\n  ⟨threads: {text: b}\n",
        "unknown key 'threads'",
    ),
    (
        "override without text",
        "id: a\nplatforms: [x]\ntext: hi\noverrides:\n  x: {⟨link: https://e.org}\n",
        "needs text: beside it",
    ),
    (
        "override not a mapping",
        "id: a\nplatforms: [x]\ntext: hi\noverrides:\n  x: ⟨short\n",
        "must be a mapping",
    ),
    ("overrides not a mapping", "id: a\nplatforms: [x]\ntext: hi\noverrides: ⟨[x]\n", "must map a platform"),
    (
        "query not a mapping",
        "- {id: a, platforms: [x], text: hi}\n- ⟨just text\n",
        "a query must be a mapping",
    ),
    ("document a scalar", "⟨hello\n", "expected a query"),
    ("non-text key", "id: a\nplatforms: [x]\ntext: hi\n⟨[k]: v\n", "keys must be plain names"),
]


@pytest.mark.parametrize(("doc", "words"), [pytest.param(d, w, id=n) for n, d, w in PROBLEMS])
def test_every_structural_problem_points_at_file_line_col(doc: str, words: str) -> None:
    text, line, col = _marked(doc)
    _, problems = parse_document(text, "queue/q.yaml", "/base")
    assert [(p.file, p.line, p.col) for p in problems] == [("queue/q.yaml", line, col)], problems
    assert words in problems[0].message
    assert str(problems[0]).startswith(f"queue/q.yaml:{line}:{col}: ")


# ------------------------------------------------------------------------------------------ hostile input


LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if getattr(yaml, "__with_libyaml__", False) else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def either_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hostile-input tests run with libyaml's parser and with PyYAML's pure-Python one."""
    monkeypatch.setattr(bot.queue.parse, "_Loader", request.param)


BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.timeout(10)
def test_billion_laughs_is_refused_quickly(either_loader: None) -> None:
    start = time.perf_counter()
    queries, problems = parse_document(BOMB, "bomb.yaml", "/b")
    elapsed = time.perf_counter() - start
    assert queries == []
    assert len(problems) == 1 and "anchors and aliases" in problems[0].message
    assert elapsed < 0.5


@pytest.mark.timeout(10)
def test_bomb_inside_a_query_field_is_refused(either_loader: None) -> None:
    doc = BOMB.replace("i: &i", "id: x\nplatforms: [x]\ntext: hi\ntags: &i") + "\n"
    start = time.perf_counter()
    queries, problems = parse_document(doc, "bomb.yaml", "/b")
    assert time.perf_counter() - start < 0.5
    assert queries == [] and "anchors and aliases" in problems[0].message


def test_small_aliases_are_fine() -> None:
    queries, problems = _parse("""
        - {id: one, platforms: &both [bluesky, x], text: hi}
        - {id: two, platforms: *both, text: ho}
    """)
    assert problems == []
    assert [q.platforms for q in queries] == [("bluesky", "x"), ("bluesky", "x")]


@pytest.mark.parametrize(
    ("doc", "line", "col", "words"),
    [
        ("a:\n  " + "[" * 40 + "]" * 40 + "\n", 2, 34, "nests deeper than 32"),  # 33rd level
        ("&a [*a]\n", 1, 1, "self-referencing anchor"),
        ("[" * 200_000, 1, 1, ""),  # far too deep: refused by the parser or the scan, never a RecursionError
    ],
)
@pytest.mark.timeout(10)
def test_deep_nesting_is_refused(doc: str, line: int, col: int, words: str, either_loader: None) -> None:
    queries, problems = parse_document(doc, "deep.yaml", "/b")
    assert queries == [] and len(problems) == 1
    assert words in problems[0].message
    if words:
        assert (problems[0].line, problems[0].col) == (line, col)


@pytest.mark.parametrize(
    ("data", "line", "col", "words"),
    [
        (b"id: a\nplatforms: [x]\x00\x01\x02", 2, 15, "NUL bytes"),
        (b"id: a\ntext: caf\xe9\n", 2, 10, "not UTF-8 (byte 0xe9)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, 1, "binary"),
        (b"id: a\ntext: bell\x07\n", 2, 11, "control character U+0007"),
    ],
)
def test_binary_junk_is_refused_with_its_position(
    data: bytes, line: int, col: int, words: str, either_loader: None
) -> None:
    queries, problems = parse_document(data, "junk.yaml", "/b")
    assert queries == []
    assert [(p.line, p.col) for p in problems] == [(line, col)]
    assert words.replace("not UTF-8 ", "not UTF-8 text ") in problems[0].message


@pytest.mark.parametrize(
    ("doc", "line", "col"),
    [
        ("id: a\nplatforms: [x\ntext: hi\n", 3, 5),  # unclosed flow list
        ("id: a\n  platforms: [x]\n", 2, 12),  # bad indentation
        ("id: a\ntext: 'open\n", 3, 1),  # unclosed quote
        ("id: a\n\ttext: hi\n", 2, 1),  # a tab indents
        ("--- a\n--- b\n", 2, 1),  # two documents
    ],
)
def test_malformed_yaml_reports_line_and_column(doc: str, line: int, col: int, either_loader: None) -> None:
    queries, problems = parse_document(doc, "bad.yaml", "/b")
    assert queries == []
    assert [(p.file, p.line, p.col) for p in problems] == [("bad.yaml", line, col)]
    assert problems[0].message.startswith("malformed YAML: ")


def test_a_document_over_1_mb_is_refused_before_parsing() -> None:
    _, problems = parse_document(b"#" * (MAX_FILE_BYTES + 1), "big.yaml", "/b")
    assert [p.message for p in problems] == ["file is 1.1 MB; the limit is 1 MB: split it"]


# ------------------------------------------------------------------------------------------ check_queries
def _query(qid: str = "q", source: str = "a.yaml", **kw: object) -> Query:
    args: dict[str, object] = {"platforms": ("bluesky", "x"), "posts": (PostSpec("hi"),)}
    args.update(kw)
    spans = {
        "id": (3, 5),
        "posts.0": (5, 7),
        "posts.1": (6, 7),
        "posts.1.images.0": (8, 9),
        "overrides.x.0": (10, 9),
    }
    return Query(id=qid, source=source, line=3, spans=spans, **args)  # type: ignore[arg-type]


def _inspect(image: Image) -> ImageInfo:
    """Stands in for the disk: `missing.png` is not there; `NAME-SIZE.png` is a PNG of SIZE bytes."""
    if image.resolved.endswith("missing.png"):
        raise UnsafePath(f"not found (looked for {image.resolved})")
    stem = Path(image.resolved).stem
    return ImageInfo("PNG", "image/png", 64, 32, int(stem.rsplit("-", 1)[-1]) if "-" in stem else 1000)


def _check(*queries: Query) -> list[Problem]:
    return check_queries(queries, inspect_image=_inspect)


def _x_text(length: int) -> str:
    text = "x" * (length - 1) + "🎉"  # the emoji weighs 2
    assert x_length(text) == length + 1
    return "x" * length


def test_duplicate_ids_point_at_the_second_and_name_the_first() -> None:
    problems = _check(_query("same", "a.yaml"), _query("other", "a.yaml"), _query("same", "b/c.yaml"))
    assert [str(p) for p in problems] == [
        "b/c.yaml:3:5: id 'same' is already used at a.yaml:3; ids must be unique across all files"
    ]


def test_x_length_problem_names_platform_post_and_length() -> None:
    q = _query(platforms=("x",), posts=(PostSpec("fine"), PostSpec(_x_text(297))))
    assert [str(p) for p in _check(q)] == ["a.yaml:6:7: x: post 2 is 297 long, limit 280"]


def test_x_length_counts_the_link_the_adapter_appends() -> None:
    text = "y" * 260  # 260 + newline + 23 for the URL = 284
    q = _query(platforms=("x", "bluesky"), posts=(PostSpec(text, link="https://example.org/essay"),))
    assert [p.message for p in _check(q)] == ["x: post 1 is 284 long, limit 280"]


def test_x_length_at_the_limit_is_fine() -> None:
    assert _check(_query(platforms=("x",), posts=(PostSpec(_x_text(280)),))) == []


def test_bluesky_counts_graphemes() -> None:
    family = "👨‍👩‍👧‍👦"  # 1 grapheme, 25 UTF-8 bytes
    ok = _query(platforms=("bluesky",), posts=(PostSpec(family * 100 + "a" * 200),))
    too_long = _query("b", platforms=("bluesky",), posts=(PostSpec("é" * 301),))
    assert [p.message for p in _check(ok, too_long)] == ["bluesky: post 1 is 301 long, limit 300"]


def test_bluesky_caps_bytes_too() -> None:
    q = _query(platforms=("bluesky",), posts=(PostSpec("👨‍👩‍👧‍👦" * 121),))  # 121 graphemes, 3025 bytes
    assert [p.message for p in _check(q)] == ["bluesky: post 1 is 3025 bytes, limit 3000"]


def test_substack_notes_limit() -> None:
    q = _query(
        platforms=("substack",),
        posts=(PostSpec("z" * 10_001),),
        substack_post_url="https://a.substack.com/p/s",
    )
    assert [p.message for p in _check(q)] == ["substack: post 1 is 10001 long, limit 10000"]


def test_override_is_measured_instead_of_the_main_thread_and_points_at_the_override() -> None:
    q = _query(
        platforms=("bluesky", "x"),
        posts=(PostSpec(_x_text(290)),),  # fine on Bluesky (290 < 300), replaced on X
        overrides={"x": (PostSpec(_x_text(281)),)},
    )
    assert [str(p) for p in _check(q)] == ["a.yaml:10:9: x: post 1 is 281 long, limit 280"]


def test_missing_image_is_reported_once_at_its_path() -> None:
    img = Image("images/missing.png", "alt", "/base/images/missing.png")
    q = _query(posts=(PostSpec("a"), PostSpec("b", (img,))))
    assert [str(p) for p in _check(q)] == [
        "a.yaml:8:9: image 'images/missing.png' not found (looked for /base/images/missing.png)"
    ]


def test_more_than_four_images() -> None:
    imgs = tuple(Image(f"i{n}.png", "alt", f"/b/i{n}.png") for n in range(5))
    q = _query(platforms=("x",), posts=(PostSpec("a"), PostSpec("b", imgs)))
    assert [str(p) for p in _check(q)] == ["a.yaml:6:7: x: post 2 has 5 images, limit 4"]


@pytest.mark.parametrize(
    ("size", "messages"),
    [
        (1_000_000, []),
        (1_000_001, ["bluesky: image 'big.png' is 1,000,001 bytes, limit 1,000,000"]),
        (5_000_001, ["bluesky: image 'big.png' is 5,000,001 bytes, limit 1,000,000",
                     "x: image 'big.png' is 5,000,001 bytes, limit 5,000,000"]),
    ],
)  # fmt: skip
def test_image_size_limits_per_platform(size: int, messages: list[str]) -> None:
    img = Image("big.png", "alt", f"/b/big-{size}.png")
    q = _query(posts=(PostSpec("a"), PostSpec("b", (img,))))
    problems = _check(q)
    assert [p.message for p in problems] == messages
    assert all((p.line, p.col) == (8, 9) for p in problems)


def test_unreadable_image_is_a_problem() -> None:
    def unreadable(image: Image) -> ImageInfo:
        raise UnsafePath("cannot be read (Permission denied)")

    img = Image("a.png", "alt", "/b/a.png")
    problems = check_queries([_query(posts=(PostSpec("a", (img,)),))], inspect_image=unreadable)
    assert [p.message for p in problems] == ["image 'a.png' cannot be read (Permission denied)"]


def test_substack_only_query_has_nothing_to_measure() -> None:
    q = _query(platforms=("substack",), posts=(), substack_post_url="https://a.substack.com/p/s")
    assert _check(q) == []


# ------------------------------------------------------------------------------------------ files
GOOD = "id: {id}\nplatforms: [bluesky]\ntext: hello\n"


def test_load_queue_reads_folders_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "two.yml").write_text(GOOD.format(id="two"))
    (tmp_path / "a.yaml").write_text(GOOD.format(id="one"))
    (tmp_path / "notes.txt").write_text("not a query")
    (tmp_path / ".hidden" / "x.yaml").write_text(GOOD.format(id="hidden"))
    queries, problems, files = load_queue([str(tmp_path)])
    assert problems == []
    assert files == [str(tmp_path / "a.yaml"), str(tmp_path / "b" / "two.yml")]
    assert [q.id for q in queries] == ["one", "two"]
    assert queries[1].source == str(tmp_path / "b" / "two.yml")


def test_load_queue_reads_a_file_given_twice_once(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(GOOD.format(id="one"))
    queries, problems, files = load_queue([str(path), str(tmp_path)])
    assert (len(queries), problems, files) == (1, [], [str(path)])


def test_load_queue_resolves_images_next_to_the_yaml(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "q.yaml").write_text(
        "id: i\nplatforms: [x]\nthread:\n  - text: a\n    images: [{path: pics/a.png, alt: A}]\n"
    )
    queries, _, _ = load_queue([str(tmp_path)])
    assert queries[0].posts[0].images[0].resolved == str(tmp_path / "sub" / "pics" / "a.png")


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope")
    queries, problems, files = load_queue([missing])
    assert (queries, files) == ([], [])
    assert [str(p) for p in problems] == [f"{missing}:1:1: no such file or folder"]


@pytest.mark.timeout(10)
def test_a_10_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(10_000_000)  # sparse: costs no disk
    start = time.perf_counter()
    queries, problems, files = load_queue([str(tmp_path)])
    assert time.perf_counter() - start < 0.5
    assert (queries, files) == ([], [])
    assert [str(p) for p in problems] == [f"{big}:1:1: file is 10.0 MB; the limit is 1 MB: split it"]


def test_binary_junk_file_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(bytes(range(256)) * 4)
    queries, problems, files = load_queue([str(junk)])
    assert queries == [] and files == [str(junk)]
    assert [(p.file, p.line, p.col) for p in problems] == [(str(junk), 1, 1)]
    assert "binary" in problems[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.timeout(10)
def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    _, problems, files = load_queue([str(tmp_path)])
    assert files == []
    assert [p.message for p in problems] == ["this queue file is a fifo, not a regular file"]


def test_validate_finds_duplicates_across_files_and_missing_images(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD.format(id="same"))
    (tmp_path / "b.yaml").write_text(
        "id: same\nplatforms: [bluesky]\nthread:\n  - text: a\n    images: [{path: gone.png, alt: A}]\n"
    )
    queries, problems = validate([str(tmp_path)])
    assert len(queries) == 2
    a, b = str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")
    assert [str(p) for p in problems] == [
        f"{b}:1:5: id 'same' is already used at {a}:1; ids must be unique across all files",
        f"{b}:5:21: image 'gone.png' not found (looked for {tmp_path / 'gone.png'})",
    ]


# ------------------------------------------------------------------------------------------ the examples
def test_example_queries_validate_without_problems() -> None:
    queries, problems = validate([str(ROOT / "queries")])
    assert problems == []
    assert len(queries) >= 3


def test_examples_show_a_single_post_a_thread_and_a_substack_query() -> None:
    queries, _ = validate([str(ROOT / "queries")])
    single = [q for q in queries if len(q.posts) == 1 and set(q.platforms) == {"bluesky", "x"}]
    thread = [
        q for q in queries if len(q.posts) > 1 and "x" in q.overrides and any(p.images for p in q.posts)
    ]
    substack = [q for q in queries if q.platforms == ("substack",) and q.substack_post_url]
    assert single and thread and substack
    assert all(img.alt for q in thread for p in q.posts for img in p.images)
    assert any(p.link for q in thread for p in q.posts)


def test_examples_are_not_stale() -> None:
    queries, _ = validate([str(ROOT / "queries")])
    not_before = datetime(2026, 11, 28, tzinfo=timezone.utc)  # noqa: UP017
    assert all(q.at is None or q.at >= not_before for q in queries)
    assert any(q.slot == "next" for q in queries)


def test_query_equality_ignores_source_spans() -> None:
    q = _query()
    assert replace(q, spans={}) == q


# ------------------------------------------------------------------------------------------ warnings
def test_a_bluesky_handle_bluesky_would_not_link_is_a_warning_at_its_post() -> None:
    doc, line, col = _marked(
        f"""
        id: ask
        platforms: [bluesky, x]
        thread:
          - text: "ask @alice.bsky.social"
          - text: {MARK}"and [@bob.example.com] or @foo.notarealtld"
        """
    )
    queries, problems = parse_document(doc, "queue/q.yaml", "/base")
    assert problems == []
    assert [str(w) for w in bot.queue.parse.warnings(queries)] == [
        f"queue/q.yaml:{line}:{col}: warning: bluesky: post 2: @{h} is not a mention Bluesky links; "
        "posted as plain text"
        for h in ("bob.example.com", "foo.notarealtld")
    ]


def test_mentions_in_posts_not_for_bluesky_are_not_warned_about() -> None:
    q = _one("id: ask\nplatforms: [x]\ntext: 'ask [@bob.example.com]'\n")
    assert bot.queue.parse.warnings([q]) == []


# ------------------------------------------------------------------------------------------ at: horizon
@pytest.mark.parametrize(
    "at",
    [
        "9999-12-31T23:30:00-05:00",  # 10000-01-01 in UTC: does not exist
        "'9999-12-31T23:30:00-05:00'",  # the same, as a quoted string
        "0001-01-01T00:30:00+01:00",  # before year 1 in UTC
        "2199-12-31T23:30:00-05:00",  # 2200 in UTC: beyond the horizon
        "2500-06-01T09:00:00Z",
        "1999-12-31T23:59:00Z",
    ],
)
def test_an_at_that_cannot_be_scheduled_is_refused_at_its_position(at: str) -> None:
    doc, line, col = _marked(f"""
        id: far
        platforms: [bluesky]
        at: ⟨{at}
        text: hello
    """)
    queries, problems = parse_document(doc, "queue/q.yaml", "/base")
    assert queries == []
    assert [(p.line, p.col) for p in problems] == [(line, col)]
    assert "outside the years sqbot schedules (2000 to 2199, in UTC)" in problems[0].message


@pytest.mark.parametrize(
    "at", ["2000-01-01T00:00:00Z", "2199-12-31T23:59:00+00:00", "2199-12-31T23:59:00+05:00"]
)
def test_an_at_inside_the_horizon_is_accepted(at: str) -> None:
    q = _one(f"id: near\nplatforms: [bluesky]\nat: {at}\ntext: hello\n")
    assert q.at is not None and q.at == datetime.fromisoformat(at.replace("Z", "+00:00"))


def test_validate_reports_the_far_future_at_as_file_line_col(tmp_path: Path) -> None:
    (tmp_path / "far.yaml").write_text(
        "id: far\nplatforms: [bluesky, x]\nat: 9999-12-31T23:30:00-05:00\ntext: hi\n", encoding="utf-8"
    )
    _, problems = validate([str(tmp_path)])
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'far.yaml'}:3:5: query 'far': at '9999-12-31T23:30:00-05:00' is outside the years sqbot "
        "schedules (2000 to 2199, in UTC); give a real date, like 2026-12-01T09:00:00+01:00"
    ]


# ------------------------------------------------------------------------------------------ visible text
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200b\u200c\u200d",  # zero-width space, non-joiner, joiner
    "\u2060\ufeff",  # word joiner, BOM
    "\u202e\u2066\u2069\u200f",  # bidi controls
    "\ufe0f\ufe0e",  # variation selectors
    " \u200b \u3000\u00a0\u3164",  # spaces, ideographic space, hangul filler
    "\U000e0041\U000e007f",  # tag characters
]


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_text_that_shows_nothing_is_refused(text: str) -> None:
    escaped = text.encode("unicode_escape").decode("ascii")
    doc, line, col = _marked(f"""
        id: blank
        platforms: [bluesky]
        text: ⟨"{escaped}"
    """)
    _, problems = parse_document(doc, "queue/q.yaml", "/base")
    assert [(p.line, p.col, p.message) for p in problems] == [
        (
            line,
            col,
            "query 'blank': post 1: text shows nothing (only spaces or invisible characters); write some words",
        )
    ]


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_thread_post_or_override_that_shows_nothing_is_refused(text: str) -> None:
    escaped = text.encode("unicode_escape").decode("ascii")
    doc = textwrap.dedent(f"""
        id: blank
        platforms: [bluesky, x]
        thread:
          - "fine"
          - "{escaped}"
          - text: "{escaped}"
        overrides:
          x:
            text: "{escaped}"
    """).lstrip("\n")
    _, problems = parse_document(doc, "queue/q.yaml", "/base")
    assert [(p.line, p.message.split(":", 1)[1].strip()) for p in problems] == [
        (5, "post 2: text shows nothing (only spaces or invisible characters); write some words"),
        (6, "post 3: text shows nothing (only spaces or invisible characters); write some words"),
        (9, "post 1: text shows nothing (only spaces or invisible characters); write some words"),
    ]


@pytest.mark.parametrize("text", ["a\u200b", "❤️", "\u200bhi\u200b", "👨‍👩‍👧", "؟", "·"])
def test_a_text_with_something_visible_is_fine(text: str) -> None:
    escaped = text.encode("unicode_escape").decode("ascii")
    q = _one(f'id: ok\nplatforms: [bluesky]\ntext: "{escaped}"\n')
    assert q.posts[0].text == text


def test_the_example_thread_carries_its_diagram_on_x_too() -> None:
    """sqbot uploads images to X: the example says so by showing it, not by a stale note."""
    queries, problems = validate([str(ROOT / "queries")])
    assert problems == []
    [q] = [q for q in queries if q.id == "novelty-search-benchmarks"]
    assert [i.path for p in q.posts_for("x") for i in p.images] == ["images/diagram.png"]
    assert "does not upload images" not in (ROOT / "queries" / "novelty-search-thread.yaml").read_text()


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("link: http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
        ("link: http://127.0.0.1:8080/admin", "127.0.0.1 is a loopback address"),
        ("link: https://localhost/x", "localhost names this machine or an internal network"),
        ("link: http://10.0.0.5/wiki", "10.0.0.5 is a private address"),
        (
            "link: http://[::ffff:192.168.1.1]/",
            "::ffff:192.168.1.1 is an IPv6 form of 192.168.1.1 (a private address)",
        ),
    ],
)
def test_validate_refuses_links_sqbot_would_fetch_on_this_machine_or_a_private_network(
    tmp_path: Path, line: str, why: str
) -> None:
    """The link card is fetched when posting: an internal address is refused at `file:line:col`."""
    (tmp_path / "q.yaml").write_text(
        f"id: q\nplatforms: [bluesky]\nthread:\n  - text: read this\n    {line}\n", encoding="utf-8"
    )
    queries, problems = validate([str(tmp_path)])
    assert queries == [] or all(not p.link for q in queries for p in q.posts)
    assert [str(p) for p in problems] == [f"{tmp_path / 'q.yaml'}:5:11: query 'q': post 1: link: {why}"]


def test_validate_refuses_a_substack_post_url_on_an_internal_host(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "id: s\nplatforms: [substack]\nsubstack: {post_url: 'http://169.254.169.254/p/slug'}\n",
        encoding="utf-8",
    )
    _, problems = validate([str(tmp_path)])
    assert len(problems) == 1 and str(problems[0]).startswith(f"{tmp_path / 's.yaml'}:3:")
    assert "substack.post_url: 169.254.169.254 is a cloud metadata address" in str(problems[0])
