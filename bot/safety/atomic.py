"""The one way sqbot writes a file: a temp file in the same folder, fsync, rename, owner-only (0600).

A full disk or a read-only folder leaves nothing half-written behind (the temp file is removed, the old file, if
any, stays as it was) and becomes one `StorageError` line. `private_dir` creates a folder 0700; a folder that
already exists is never chmodded (sqbot did not make it: a shared `/tmp` would lose its sticky bit), and
`shared_dir_problem` says when one is not fit to hold private data."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.errors import StorageError, storage_fault

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed, the folder itself 0700 (parents are left alone). An existing
    folder is left as it is: sqbot never chmods a folder it did not create."""
    try:
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            os.chmod(path, DIR_MODE)
    except OSError as e:
        raise storage_fault(e, path) or StorageError(
            f"cannot create the folder {path}: {e.strerror}"
        ) from None
    return path


def shared_dir_problem(path: Path) -> str | None:
    """Why an existing folder may not hold sqbot's private data (it is writable by others, has the sticky bit
    of a shared folder like /tmp, or belongs to another user), as one line saying what to do; None when it
    is fine or does not exist yet (sqbot then creates it 0700)."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None  # not a folder: creating things in it reports itself
    why = []
    if st.st_uid != os.geteuid():
        why.append(f"owned by another user (uid {st.st_uid})")
    if st.st_mode & stat.S_ISVTX:
        why.append("a shared folder (sticky bit)")
    if st.st_mode & stat.S_IWOTH:
        why.append("writable by every user")
    if not why:
        return None
    return (
        f"the data dir {path} is {' and '.join(why)}: sqbot keeps private data there and will not use or "
        f"chmod it; use a private subfolder instead, e.g. --data-dir {path / 'sqbot'}"
    )


def write_bytes(path: Path, data: bytes, *, mode: int = FILE_MODE) -> Path:
    """Atomically replace `path` with `data` (0600 unless `mode` says otherwise)."""
    import tempfile  # here: the CLI's quick commands import this module only for `shared_dir_problem`

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
