"""Files named by the queue (images, and the queue's own YAML files) stay inside the queue folder.

A queue folder is untrusted input: its files may come from other people's pull requests. So every path a
queue file names goes through here, at validate time *and* again when the bytes are read to be sent:

* `resolve` (pure, lexical): the path must be relative, and joined to its YAML file's folder it must stay
  inside the queue folder (no absolute paths, no `..` leading out).
* `open_inside` (disk): the real path (symlinks followed) must still be inside the queue folder; the file is
  then opened one path component at a time from the folder, each with O_NOFOLLOW, so a symlink swapped in
  after the check (time-of-check/time-of-use) is refused, not followed. Only regular files are opened
  (never a fifo, device, socket or folder).
* `sniff` (pure): the bytes must be a PNG, JPEG, GIF or WebP image whose header gives its width and height.

The queue folder is the folder given to `sqbot validate` / `post` (SQBOT_QUEUE or a PATH argument), or,
for a YAML file given by name, that file's folder.
"""

from __future__ import annotations

import errno
import os
import stat
import struct
from dataclasses import dataclass

from bot.errors import PublishError
from bot.models import Image

MAX_READ = 6_000_000  # more than any platform takes (X: 5 MB); larger files are measured, not read


class UnsafePath(Exception):
    """A path the queue must not use; `str()` says why, in words for the YAML's author."""


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # PNG | JPEG | GIF | WebP
    mime: str
    width: int
    height: int
    size: int = 0  # bytes on disk


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# ------------------------------------------------------------------------------------------- paths
def resolve(root: str, base_dir: str, written: str) -> str:
    """The absolute path of `written` (relative to `base_dir`, a folder inside `root`). Pure; raises
    UnsafePath for an absolute path or one whose `..` leads out of the queue folder."""
    if "\0" in written:
        raise UnsafePath("contains a NUL character")
    if os.path.isabs(written) or written.startswith("~"):
        raise UnsafePath("is an absolute path; give a path relative to the YAML file's folder")
    root = os.path.normpath(os.path.abspath(root))
    resolved = os.path.normpath(os.path.join(os.path.abspath(base_dir), written))
    if not _inside(resolved, root):
        raise UnsafePath("leads out of the queue folder (..); keep images inside it")
    return resolved


_KIND_OF_MODE = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a fifo"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symlink"),
)


def _what(mode: int) -> str:
    for test, name in _KIND_OF_MODE:
        if test(mode):
            return name
    return "not a regular file"


def open_inside(root: str, path: str) -> int:
    """Open `path` for reading, refusing anything whose real location is outside `root` or that is not a
    regular file. Returns a file descriptor (the caller closes it); raises UnsafePath."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if not _inside(real, real_root):
        raise UnsafePath("is a symlink (or under one) that leads out of the queue folder; refused")
    if real == real_root:
        raise UnsafePath("is the queue folder itself, not a file")
    parts = os.path.relpath(real, real_root).split(os.sep)
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    cloexec = getattr(os, "O_CLOEXEC", 0)
    try:
        dir_fd = os.open(real_root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | cloexec)
    except OSError as err:
        raise UnsafePath(f"cannot open the queue folder ({err.strerror})") from None
    try:
        for part in parts[:-1]:
            flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | nofollow | cloexec
            try:
                fd = os.open(part, flags, dir_fd=dir_fd)
            except OSError as err:
                raise _open_error(err, path) from None
            os.close(dir_fd)
            dir_fd = fd
        name = parts[-1]
        try:
            before = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError as err:
            raise _open_error(err, path) from None
        if not stat.S_ISREG(before.st_mode):
            raise UnsafePath(f"is {_what(before.st_mode)}, not a regular file")
        flags = os.O_RDONLY | nofollow | cloexec | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        try:
            fd = os.open(name, flags, dir_fd=dir_fd)
        except OSError as err:
            raise _open_error(err, path) from None
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            os.close(fd)
            raise UnsafePath("changed while it was being opened; refused")
        return fd
    finally:
        os.close(dir_fd)


def _open_error(err: OSError, path: str) -> UnsafePath:
    if err.errno in (errno.ELOOP, errno.ENOTDIR, getattr(errno, "EMLINK", -1)):
        return UnsafePath("changed into a symlink while it was being opened; refused")
    if err.errno == errno.ENOENT:
        return UnsafePath(f"not found (looked for {path})")
    return UnsafePath(f"cannot be read ({err.strerror or type(err).__name__})")


def read_inside(root: str, path: str, limit: int) -> tuple[bytes, int]:
    """At most `limit` bytes of the regular file `path` inside `root`, and its size on disk."""
    fd = open_inside(root, path)
    try:
        size = os.fstat(fd).st_size
        chunks: list[bytes] = []
        left = limit
        while left > 0:
            try:
                chunk = os.read(fd, min(left, 1 << 20))
            except OSError as err:
                raise UnsafePath(f"cannot be read ({err.strerror or type(err).__name__})") from None
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), size
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------------------- content
def sniff(data: bytes) -> ImageInfo:
    """The image's kind and dimensions from its header; raises UnsafePath when it is none of PNG, JPEG,
    GIF or WebP, or its header gives no sensible width and height. Pure."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        info = _png(data)
    elif data.startswith(b"\xff\xd8\xff"):
        info = _jpeg(data)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        info = _gif(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        info = _webp(data)
    else:
        raise UnsafePath("is not PNG, JPEG, GIF or WebP (by its content, whatever its name)")
    if info is None or not (0 < info.width <= 65_535 and 0 < info.height <= 65_535):
        raise UnsafePath("looks like an image but its header gives no width and height; re-export it")
    return info


def _png(data: bytes) -> ImageInfo | None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return ImageInfo("PNG", "image/png", width, height)


def _gif(data: bytes) -> ImageInfo | None:
    if len(data) < 10:
        return None
    width, height = struct.unpack("<HH", data[6:10])
    return ImageInfo("GIF", "image/gif", width, height)


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> ImageInfo | None:
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            return None
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if length < 2:
            return None
        if marker in _SOF:
            if i + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return ImageInfo("JPEG", "image/jpeg", width, height)
        i += 2 + length
    return None


def _webp(data: bytes) -> ImageInfo | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return ImageInfo("WebP", "image/webp", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return ImageInfo("WebP", "image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return ImageInfo("WebP", "image/webp", width, height)
    return None


# ------------------------------------------------------------------------------------------- checks
def image_root(image: Image) -> str:
    """The folder an image must stay in: the queue folder it was named in (its own folder when unknown)."""
    return image.root or os.path.dirname(image.resolved or os.path.abspath(image.path))


def inspect(image: Image) -> ImageInfo:
    """What `sqbot validate` checks on disk: inside the queue folder, a regular file, a real image.
    Raises UnsafePath."""
    data, size = read_inside(image_root(image), image.resolved or image.path, MAX_READ)
    info = sniff(data)
    return ImageInfo(info.kind, info.mime, info.width, info.height, size)


def read_image(image: Image, *, what: str, limit: int) -> tuple[bytes, ImageInfo]:
    """The bytes to upload, read through the same checks as `validate` at the moment of sending (a file
    swapped for a symlink or a non-image since is refused). Raises PublishError."""
    try:
        data, size = read_inside(image_root(image), image.resolved or image.path, limit + 1)
        if size > limit or len(data) > limit:
            raise UnsafePath(f"is {max(size, len(data)):,} bytes; the limit is {limit:,}")
        info = sniff(data)
    except UnsafePath as err:
        raise PublishError(
            f"{what}: cannot read image {image.path}: {err}; fix the file or remove it from the query"
        ) from None
    return data, ImageInfo(info.kind, info.mime, info.width, info.height, size)
