"""Properties of `validate` over generated queues (Hypothesis): it never raises, only returns problems, and it
never reads a file outside the queue folder, whatever the YAML says and whatever the folder holds (symlinks
in and out, absolute paths, `..`, fifos, folders and text named .png).

"Never reads outside" is watched two ways: an audit hook records every file opened while `validate` runs
(each must be inside the queue folder, or a single name opened relative to a folder descriptor walked from
it), and canary files outside the folder hold a secret that must never show up in what `validate` returns."""

from __future__ import annotations

import importlib.machinery
import os
import struct
import sys
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.queue.files import UnsafePath, sniff
from bot.queue.parse import parse_document, validate

CANARY = "CANARY-7f3a-app-password"
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x01\x02\x03" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


# ------------------------------------------------------------------------------------------ the audit hook
_opened: list[Any] | None = None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _opened is not None and args:
        _opened.append(args[0])


sys.addaudithook(_hook)  # hooks cannot be removed; this one records only inside `_recording`


@contextmanager
def _recording() -> Iterator[list[Any]]:
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + os.sep)


_CODE_DIRS = tuple({os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)})
_CODE_SUFFIXES = (*importlib.machinery.all_suffixes(), ".pyc")


def _is_python_import(path: str) -> bool:
    """Python loading a module (an encoding, say) on first use: not something validate reads."""
    real = os.path.realpath(path)
    return real.endswith(_CODE_SUFFIXES) and any(_inside(real, d) for d in _CODE_DIRS)


def _assert_only_inside(opened: list[Any], queue: Path) -> None:
    real_queue = os.path.realpath(queue)
    for item in opened:
        if isinstance(item, int):  # an already opened descriptor (fdopen of a checked file)
            continue
        path = os.fsdecode(item)
        if os.path.isabs(path) and _is_python_import(path):
            continue
        if os.path.isabs(path):
            real = os.path.realpath(path)
            assert _inside(real, real_queue), f"validate opened {path} (really {real}), outside {queue}"
        else:  # one name, opened relative to a folder descriptor walked down from the queue folder
            assert os.sep not in path and path not in ("", "..", "."), f"validate opened {path!r} by name"


# ------------------------------------------------------------------------------------------ strategies
EVIL_PATHS = [
    "/etc/shadow",
    "/proc/self/environ",
    "/etc/passwd.png",
    "../outside/secret.png",
    "../outside/real.png",
    "sub/../../outside/secret.png",
    "./../outside/real.png",
    "~/secret.png",
    "leak.png",
    "sub/leak.png",
    "out/real.png",
    "pipe.png",
    "dir.png",
    "text.png",
    "script.png",
    "good.png",
    "sub/good.png",
    "alias.png",
    "loop.png",
    "dangling.png",
    "sub",
    "",
]
KINDS = [
    "png",
    "text",
    "script",
    "dir",
    "fifo",
    "link-in",
    "link-out",
    "link-system",
    "link-dangling",
    "link-loop",
]
NAMES = ["good.png", "leak.png", "pipe.png", "dir.png", "text.png", "script.png", "alias.png", "loop.png",
         "dangling.png", "out", "more.yaml", "evil.yaml"]  # fmt: skip

tree = st.lists(
    st.tuples(st.sampled_from(["", "sub/"]), st.sampled_from(NAMES), st.sampled_from(KINDS)),
    max_size=8,
    unique_by=lambda t: t[0] + t[1],
)
image_path = st.one_of(
    st.sampled_from(EVIL_PATHS),
    st.text(alphabet="./~ab\\\x00é", max_size=12),
)
image = st.fixed_dictionaries({"path": image_path}, optional={"alt": st.sampled_from(["A", "", " "])})
post = st.one_of(
    st.text(max_size=20),
    st.fixed_dictionaries(
        {"text": st.text(max_size=20)},
        optional={"images": st.lists(image, max_size=5), "link": st.text(max_size=8)},
    ),
)
at = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from([timezone(timedelta(hours=h)) for h in (-12, -5, 0, 1, 14)]),
).map(lambda d: d.isoformat())
query = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["q", "q2", "Bad Id", "a" * 101]),
        "platforms": st.sampled_from(
            [["bluesky"], ["x"], ["bluesky", "x"], ["substack"], [], "x", ["mastodon"]]
        ),
    },
    optional={
        "text": st.text(max_size=30),
        "thread": st.lists(post, max_size=4),
        "images": st.lists(image, max_size=3),
        "at": at,
        "slot": st.sampled_from(["next", "later"]),
        "watch": st.sampled_from(["14d", "0d", "999999w", "x"]),
        "overrides": st.fixed_dictionaries(
            {}, optional={"x": st.fixed_dictionaries({"thread": st.lists(post, max_size=3)})}
        ),
    },
)
yaml_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10), image_path),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
document = st.one_of(
    query.map(lambda q: yaml.safe_dump(q, allow_unicode=True)),
    st.lists(query, max_size=3).map(lambda qs: yaml.safe_dump(qs, allow_unicode=True)),
    yaml_value.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.text(max_size=200),
    st.binary(max_size=100).map(lambda b: b.decode("latin-1")),
)


def _build(root: Path, entries: list[tuple[str, str, str]], docs: list[str]) -> Path:
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.png").write_text(CANARY, encoding="utf-8")
    (outside / "real.png").write_bytes(_png())
    (outside / "secret.yaml").write_text(f"id: {CANARY}\ntext: [{CANARY}\n", encoding="utf-8")
    queue = root / "queue"
    (queue / "sub").mkdir(parents=True)
    for folder, name, kind in entries:
        path = queue / folder / name
        if kind == "png":
            path.write_bytes(_png())
        elif kind == "text":
            path.write_text("just text\n", encoding="utf-8")
        elif kind == "script":
            path.write_text("<script>alert(1)</script>", encoding="utf-8")
        elif kind == "dir":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "link-in":
            (queue / "inside.png").write_bytes(_png())
            path.symlink_to(queue / "inside.png")
        elif kind == "link-out":
            path.symlink_to(outside / ("secret.yaml" if name.endswith(".yaml") else "secret.png"))
        elif kind == "link-system":
            path.symlink_to("/proc/self/environ")
        elif kind == "link-dangling":
            path.symlink_to(queue / "nothing-here")
        elif kind == "link-loop":
            path.symlink_to(path)
    if not os.path.lexists(queue / "out"):
        (queue / "out").symlink_to(outside)  # a folder symlink leading out, for "out/real.png"
    for i, doc in enumerate(docs):
        target = queue / ("sub" if i % 2 else "") / f"doc{i}.yaml"
        target.write_text(doc, encoding="utf-8", errors="surrogatepass")
    return queue


# ------------------------------------------------------------------------------------------ properties
@PROPS
@given(entries=tree, docs=st.lists(document, min_size=1, max_size=3))
@example(  # always tried: a queue file and an image, each a symlink to a secret outside the folder
    entries=[("", "evil.yaml", "link-out"), ("", "leak.png", "link-out"), ("sub/", "pipe.png", "fifo")],
    docs=["id: q\nplatforms: [bluesky, x]\nthread:\n  - text: hi\n    images: [{path: leak.png, alt: A}]\n",
          "id: q2\nplatforms: [x]\ntext: hi\nimages: [{path: pipe.png, alt: A}, {path: /etc/shadow.png, alt: B}]\n"],
)  # fmt: skip
def test_validate_never_raises_and_never_reads_outside_the_queue_folder(
    entries: list[tuple[str, str, str]], docs: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        queue = _build(Path(tmp), entries, docs)
        with _recording() as opened:
            queries, problems = validate([str(queue)])
        _assert_only_inside(opened, queue)
        shown = "\n".join(str(p) for p in problems) + repr(queries)
        assert CANARY not in shown
        for p in problems:
            assert p.line >= 1 and p.col >= 1 and p.message and "\n" not in p.message
        for q in queries if not problems else []:  # a queue that passes names only images inside it
            for platform in q.platforms:
                for spec in q.posts_for(platform):
                    for img in spec.images:
                        assert _inside(os.path.realpath(img.resolved), os.path.realpath(queue))


@PROPS
@given(doc=document)
def test_parse_document_never_raises_and_opens_nothing(doc: str) -> None:
    with _recording() as opened:
        queries, problems = parse_document(doc, "q.yaml", "/nowhere/queue")
    assert opened == []
    assert isinstance(queries, list) and isinstance(problems, list)


def test_the_audit_hook_sees_what_validate_reads(tmp_path: Path) -> None:
    """The property above is only as good as its witness: a YAML file read by validate shows up."""
    (tmp_path / "q.yaml").write_text("id: q\nplatforms: [x]\ntext: hi\n", encoding="utf-8")
    with _recording() as opened:
        validate([str(tmp_path)])
    assert any(isinstance(o, str) and o.endswith("q.yaml") for o in opened)


@PROPS
@given(
    data=st.one_of(
        st.binary(max_size=64),
        st.tuples(
            st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBPVP8 ",
                             b"RIFF\x00\x00\x00\x00WEBPVP8L", b"RIFF\x00\x00\x00\x00WEBPVP8X"]),
            st.binary(max_size=48),
        ).map(lambda t: t[0] + t[1]),
    )
)  # fmt: skip
def test_the_image_header_check_only_ever_accepts_or_refuses(data: bytes) -> None:
    try:
        info = sniff(data)
    except UnsafePath as err:
        assert str(err)
    else:
        assert info.kind in ("PNG", "JPEG", "GIF", "WebP") and info.width > 0 and info.height > 0
