"""The one way sqbot writes a file: a temp file in the same folder, fsync, rename, owner-only (0600).

A full disk or a read-only folder leaves nothing half-written behind (the temp file is removed, the old file, if
any, stays as it was) and becomes one `StorageError` line. `private_dir` makes a folder 0700."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.errors import StorageError, storage_fault

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed; the folder itself is made 0700 (parents are left alone)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        if (path.stat().st_mode & 0o777) != DIR_MODE:
            os.chmod(path, DIR_MODE)
    except OSError as e:
        raise storage_fault(e, path) or StorageError(
            f"cannot create the folder {path}: {e.strerror}"
        ) from None
    return path


def write_bytes(path: Path, data: bytes, *, mode: int = FILE_MODE) -> Path:
    """Atomically replace `path` with `data` (0600 unless `mode` says otherwise)."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
        try:
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise storage_fault(e, path) or StorageError(f"cannot write {path}: {e.strerror}") from None
    return path


def write_text(path: Path, text: str, *, mode: int = FILE_MODE, newline: str | None = None) -> Path:
    """Atomically replace `path` with UTF-8 `text` (`newline=""` keeps line ends as given)."""
    if newline is None:
        text = text.replace("\n", os.linesep) if os.linesep != "\n" else text
    return write_bytes(path, text.encode("utf-8"), mode=mode)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)  # the rename itself survives a power cut
    except OSError:
        pass
    finally:
        os.close(fd)
