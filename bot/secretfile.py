"""Small private files (sessions, tokens): written atomically, readable by the owner only."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def _write_private(path: Path, data: dict[str, Any]) -> None:
    """Atomically replace `path` with JSON `data`, readable by the owner only (0600, fsynced, renamed).
    The tokens in it (session JWTs, OAuth tokens) are redacted from every output from now on."""
    from bot.redact import redactor, secret_values

    redactor().add(secret_values(data))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


write_private = _write_private  # the public name; `_write_private` stays for existing importers
