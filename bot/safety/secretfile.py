"""Small private files (sessions, tokens): written atomically, readable by the owner only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _write_private(path: Path, data: dict[str, Any]) -> None:
    """Atomically replace `path` with JSON `data`, readable by the owner only (0600, fsynced, renamed; see
    bot/safety/atomic.py). The tokens in it (session JWTs, OAuth tokens) are redacted from every output from now on."""
    from bot.safety.atomic import write_bytes
    from bot.safety.redact import redactor, secret_values

    redactor().add(secret_values(data))
    write_bytes(path, json.dumps(data).encode("utf-8"))


write_private = _write_private  # the public name; `_write_private` stays for existing importers
