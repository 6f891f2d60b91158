"""Files named by a queue stay inside the queue folder and are real images (bot.queue.files), at validate time
and again when the bytes are read to be sent. A queue folder is untrusted input (pull requests)."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import tweepy

from bot.errors import PublishError
from bot.models import Image, PostSpec
from bot.platforms.x.adapter import XPlatform
from bot.queue.files import UnsafePath, read_image, sniff
from bot.queue.parse import validate
from tests.fakes.x_api import XFake

ROOT = Path(__file__).resolve().parents[2]
SECRET = "SQBOT_CANARY_app_password_hunter2"


def png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


JPEG = (  # SOI, an APP0 segment, then a baseline frame header (SOF0) of 640x480
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xc0\x00\x11\x08\x01\xe0\x02\x80\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
)
GIF = b"GIF89a\x0a\x00\x05\x00\x80\x00\x00" + b"\x00" * 8
WEBP_LOSSY = (
    b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00\x30\x01\x00\x9d\x01\x2a\x20\x00\x10\x00" + b"\x00" * 8
)
WEBP_LOSSLESS = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f" + (15 | (7 << 14)).to_bytes(4, "little")
WEBP_EXTENDED = (
    b"RIFF\x1e\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x10\x00\x00\x00" + (99).to_bytes(3, "little") * 2
)


def queue_with_image(
    folder: Path, path: str, *, name: str = "q.yaml", platforms: str = "[bluesky, x]"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = folder / name
    doc.write_text(
        f"id: {'pic' if name == 'q.yaml' else name.split('.')[0]}\nplatforms: {platforms}\nthread:\n  - text: look\n    images: [{{path: '{path}', alt: A}}]\n",
        encoding="utf-8",
    )
    return doc


def messages(folder: Path) -> list[str]:
    _, problems = validate([str(folder)])
    return [str(p) for p in problems]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret next to (not inside) the queue folder, as a PNG-named file and a plain one."""
    (tmp_path / "secret.png").write_text(SECRET, encoding="utf-8")
    (tmp_path / "real-outside.png").write_bytes(png())
    return tmp_path


# ------------------------------------------------------------------------------------------ content
@pytest.mark.parametrize(
    ("data", "kind", "size"),
    [
        (png(3, 2), "PNG", (3, 2)),
        (JPEG, "JPEG", (640, 480)),
        (GIF, "GIF", (10, 5)),
        (WEBP_LOSSY, "WebP", (32, 16)),
        (WEBP_LOSSLESS, "WebP", (16, 8)),
        (WEBP_EXTENDED, "WebP", (100, 100)),
    ],
)
def test_the_four_image_kinds_are_recognised_with_their_dimensions(
    data: bytes, kind: str, size: tuple[int, int]
) -> None:
    info = sniff(data)
    assert (info.kind, (info.width, info.height)) == (kind, size)


def test_the_example_diagram_is_a_64_by_32_png() -> None:
    info = sniff((ROOT / "queries" / "images" / "diagram.png").read_bytes())
    assert (info.kind, info.width, info.height, info.mime) == ("PNG", 64, 32, "image/png")


@pytest.mark.parametrize(
    "data",
    [
        b"<script>alert(1)</script>",
        b"just some text saved as .png\n",
        b"%PDF-1.4 not an image",
        b"",
    ],
)
def test_text_scripts_and_other_files_named_png_are_not_images(data: bytes) -> None:
    with pytest.raises(UnsafePath, match="is not PNG, JPEG, GIF or WebP"):
        sniff(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 256,  # the signature, no header
        png(0, 2),  # zero width
        b"\xff\xd8\xff\xd9",  # a JPEG that ends before any frame
        b"\xff\xd8\xff\xda\x00\x08" + b"\x00" * 8,  # scan data before a frame header
        b"GIF89a\x00\x00\x05\x00",
        b"RIFF\x10\x00\x00\x00WEBPJUNK" + b"\x00" * 20,
    ],
)
def test_an_image_whose_header_gives_no_dimensions_is_refused(data: bytes) -> None:
    with pytest.raises(UnsafePath, match="no width and height"):
        sniff(data)


# ------------------------------------------------------------------------------------------ validate
def test_a_symlink_to_a_secret_outside_the_queue_is_refused_at_its_line(outside: Path) -> None:
    queue = outside / "queue"
    doc = queue_with_image(queue, "leak.png")
    (queue / "leak.png").symlink_to(outside / "secret.png")
    out = messages(queue)
    assert out == [
        f"{doc}:5:21: image 'leak.png' is a symlink (or under one) that leads out of the queue folder; refused"
    ]
    assert SECRET not in "".join(out)


@pytest.mark.parametrize("target", ["/etc/shadow", "/proc/self/environ"])
def test_a_symlink_to_system_files_is_refused(tmp_path: Path, target: str) -> None:
    queue = tmp_path / "queue"
    queue_with_image(queue, "leak.png")
    (queue / "leak.png").symlink_to(target)
    [message] = messages(queue)
    assert message.endswith(
        "image 'leak.png' is a symlink (or under one) that leads out of the queue folder; refused"
    )


def test_an_absolute_image_path_is_refused_even_when_it_is_a_real_png(outside: Path) -> None:
    queue = outside / "queue"
    doc = queue_with_image(queue, str(outside / "real-outside.png"))
    [message] = messages(queue)
    assert message.startswith(f"{doc}:5:21: query 'pic': post 1: image 1: ")
    assert message.endswith("is an absolute path; give a path relative to the YAML file's folder")


def test_dot_dot_out_of_the_queue_folder_is_refused_but_dot_dot_inside_it_is_fine(outside: Path) -> None:
    queue = outside / "queue"
    doc = queue_with_image(queue / "sub", "../../real-outside.png")
    [message] = messages(queue)
    assert message == (
        f"{doc}:5:21: query 'pic': post 1: image 1: '../../real-outside.png' leads out of the queue folder (..);"
        " keep images inside it"
    )
    (queue / "images").mkdir()
    (queue / "images" / "ok.png").write_bytes(png())
    queue_with_image(queue / "sub", "../images/ok.png")
    assert messages(queue) == []


def test_a_folder_symlink_leading_out_is_refused(outside: Path) -> None:
    queue = outside / "queue"
    queue_with_image(queue, "pics/real-outside.png")
    (queue / "pics").symlink_to(outside)
    [message] = messages(queue)
    assert "leads out of the queue folder" in message


def test_a_symlink_to_an_image_inside_the_queue_folder_is_fine(tmp_path: Path) -> None:
    queue = tmp_path / "queue"
    queue_with_image(queue, "alias.png")
    (queue / "images").mkdir()
    (queue / "images" / "real.png").write_bytes(png())
    (queue / "alias.png").symlink_to(queue / "images" / "real.png")
    assert messages(queue) == []


@pytest.mark.timeout(10)
def test_a_fifo_a_folder_and_a_device_named_png_are_refused_without_blocking(tmp_path: Path) -> None:
    queue = tmp_path / "queue"
    os.mkfifo(queue_with_image(queue, "pipe.png", name="a.yaml").parent / "pipe.png")
    queue_with_image(queue, "dir.png", name="b.yaml")
    (queue / "dir.png").mkdir()
    queue_with_image(queue, "null.png", name="c.yaml")
    (queue / "null.png").symlink_to("/dev/null")  # leads out: refused before anything else
    out = messages(queue)
    assert [m.split(": ", 1)[1] for m in out] == [
        "image 'pipe.png' is a fifo, not a regular file",
        "image 'dir.png' is a folder, not a regular file",
        "image 'null.png' is a symlink (or under one) that leads out of the queue folder; refused",
    ]


@pytest.mark.parametrize("platforms", ["[bluesky, x]", "[bluesky]", "[x]"])
def test_script_saved_as_png_is_refused_on_every_platform(tmp_path: Path, platforms: str) -> None:
    queue = tmp_path / "queue"
    doc = queue_with_image(queue, "evil.png", platforms=platforms)
    (queue / "evil.png").write_bytes(b"<script>alert(document.cookie)</script>")
    assert messages(queue) == [
        f"{doc}:5:21: image 'evil.png' is not PNG, JPEG, GIF or WebP (by its content, whatever its name)"
    ]


def test_a_queue_yaml_that_is_a_symlink_out_of_the_folder_is_not_read(outside: Path) -> None:
    queue = outside / "queue"
    queue.mkdir()
    (outside / "secret.yaml").write_text(f"password: [{SECRET}\n", encoding="utf-8")
    (queue / "sneaky.yaml").symlink_to(outside / "secret.yaml")
    out = messages(queue)
    assert out == [
        f"{queue / 'sneaky.yaml'}:1:1: this queue file is a symlink (or under one) that leads out of the"
        " queue folder; refused"
    ]
    assert SECRET not in "".join(out)


def test_the_example_queue_still_validates() -> None:
    _, problems = validate([str(ROOT / "queries")])
    assert problems == []


# ------------------------------------------------------------------------------------------ send time
def _validated_image(queue: Path) -> Image:
    queue_with_image(queue, "pic.png")
    (queue / "pic.png").write_bytes(png())
    queries, problems = validate([str(queue)])
    assert problems == []
    return queries[0].posts[0].images[0]


def test_an_image_swapped_for_a_symlink_after_validate_is_refused_when_read_to_send(outside: Path) -> None:
    image = _validated_image(outside / "queue")
    assert read_image(image, what="q", limit=1_000_000)[1].kind == "PNG"
    os.unlink(image.resolved)
    os.symlink(outside / "real-outside.png", image.resolved)  # a real PNG, but outside
    with pytest.raises(PublishError, match="leads out of the queue folder"):
        read_image(image, what="q", limit=1_000_000)


def test_an_image_swapped_for_text_after_validate_is_refused_when_read_to_send(tmp_path: Path) -> None:
    image = _validated_image(tmp_path / "queue")
    Path(image.resolved).write_text(SECRET, encoding="utf-8")
    with pytest.raises(PublishError, match=r"q: cannot read image pic\.png: is not PNG") as err:
        read_image(image, what="q", limit=1_000_000)
    assert SECRET not in str(err.value)


def test_a_folder_swapped_for_a_symlink_between_check_and_open_is_not_followed(outside: Path) -> None:
    """The race itself: the real path was checked, then a folder on it became a symlink. The component-wise
    O_NOFOLLOW open refuses it instead of reading the file it now points to."""
    import bot.queue.files

    queue = outside / "queue"
    (queue / "pics").mkdir(parents=True)
    (queue / "pics" / "a.png").write_bytes(png())
    (outside / "elsewhere").mkdir()
    (outside / "elsewhere" / "a.png").write_text(SECRET, encoding="utf-8")
    real_realpath = os.path.realpath

    def swap_after_check(path: str) -> str:
        answer = real_realpath(path)
        if path.endswith("a.png"):
            os.rename(queue / "pics", outside / "old-pics")
            os.symlink(outside / "elsewhere", queue / "pics")
        return answer

    image = Image("pics/a.png", "A", str(queue / "pics" / "a.png"), str(queue))
    mp = pytest.MonkeyPatch()
    mp.setattr(bot.queue.files.os.path, "realpath", swap_after_check)
    try:
        with pytest.raises(PublishError, match="changed into a symlink while it was being opened"):
            read_image(image, what="q", limit=1_000_000)
    finally:
        mp.undo()


@pytest.fixture
def x_fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def test_x_refuses_a_swapped_image_before_uploading_anything(x_fake: XFake, outside: Path) -> None:
    image = _validated_image(outside / "queue")
    os.unlink(image.resolved)
    os.symlink(outside / "secret.png", image.resolved)
    client = tweepy.Client(
        consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="as"
    )
    x = XPlatform(client, api_base=x_fake.base_url, timeout=2.0, user_id=x_fake.me, now=lambda: x_fake.clock)
    with pytest.raises(PublishError, match="leads out of the queue folder"):
        x.prepare("pic", [PostSpec("look", images=(image,))], x_fake.clock)
    assert x_fake.calls == []
