"""Structured logging for the daemon: one JSON object per line when stderr is not a terminal (containers, log
shippers), a short human line when it is. Secrets never reach a log line: the configured secret values and
anything shaped like a token, password or app password are replaced with `[REDACTED]` before formatting.

    log = logging.getLogger("sqbot.daemon")
    event(log, logging.INFO, "posted", query="q1", platform="bluesky")
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from pydantic import BaseModel

from bot.safety.redact import redact

REDACTED = "[REDACTED]"


class Redactor:
    """Replaces known secret values and secret-shaped substrings."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # longest first, so a secret that contains another is replaced whole
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for s in self.secrets:
            text = text.replace(s, REDACTED)
        return redact(text)  # the process's one redactor: every secret, in its encodings, and secret shapes


def secrets_of(settings: BaseModel) -> list[str]:
    """Every `SecretStr` value set on a settings object (app passwords, API keys, SMTP password, cookie)."""
    from pydantic import SecretStr

    values = (getattr(settings, name, None) for name in type(settings).model_fields)
    return [v.get_secret_value() for v in values if isinstance(v, SecretStr)]


def event(log: logging.Logger, level: int, msg: str, **fields: Any) -> None:
    """Log `msg` with structured fields (they become JSON keys)."""
    log.log(level, msg, extra={"fields": fields})


class _Formatter(logging.Formatter):
    def __init__(self, redact: Redactor, *, as_json: bool) -> None:
        super().__init__()
        self.redact = redact
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        msg = self.redact(record.getMessage())
        fields: dict[str, Any] = getattr(record, "fields", None) or {}
        clean = {k: self._clean(v) for k, v in fields.items()}
        exc = self.redact(self.formatException(record.exc_info)) if record.exc_info else None
        ts = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        if self.as_json:
            obj: dict[str, Any] = {
                "ts": ts,
                "level": record.levelname.lower(),
                "logger": record.name,
                "msg": msg,
            }
            obj.update({k: v for k, v in clean.items() if k not in obj})
            if exc:
                obj["exc"] = exc
            return json.dumps(obj, ensure_ascii=False, default=str)
        extra = " ".join(f"{k}={v}" for k, v in clean.items())
        line = f"{ts[11:19]} {record.levelname.lower():<7} {msg}" + (f"  {extra}" if extra else "")
        return line + (f"\n{exc}" if exc else "")

    def _clean(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, bool | int | float) or value is None:
            return value
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [self._clean(v) for v in value]
        return self.redact(str(value))


def setup_logging(
    *, secrets: Iterable[str] = (), stream: TextIO | None = None, as_json: bool | None = None, level: int = 20
) -> logging.Handler:
    """Send the `sqbot` loggers (and APScheduler's) to `stream` (stderr), JSON unless it is a TTY."""
    stream = stream if stream is not None else sys.stderr
    if as_json is None:
        as_json = not (hasattr(stream, "isatty") and stream.isatty())
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_Formatter(Redactor(secrets), as_json=as_json))
    for name in ("sqbot", "apscheduler"):
        lg = logging.getLogger(name)
        for old in list(lg.handlers):
            lg.removeHandler(old)
        lg.addHandler(handler)
        lg.propagate = False
        lg.setLevel(level if name == "sqbot" else max(level, logging.WARNING))
    return handler


class ErrorLog(logging.Handler):
    """The CLI's log: warnings and errors (with their traces) appended to a file beside the database, redacted
    like every log line, so a trace never reaches the terminal. A warning without a trace is also said on stderr
    (one redacted, escaped line, as before this log existed); errors with a trace are said by the CLI's own one
    line. The file is opened on the first record only (`path` is asked then: the data dir is known once the
    command has parsed its options)."""

    def __init__(self, path: Callable[[], Path | None]) -> None:
        super().__init__(logging.WARNING)
        self.path = path
        self.written: Path | None = None
        self.setFormatter(_Formatter(Redactor(), as_json=False))

    def emit(self, record: logging.LogRecord) -> None:
        import os

        if record.exc_info is None:
            from bot.safety.text import term

            with contextlib.suppress(Exception):  # a closed stderr never stops the command
                print(term(redact(record.getMessage())), file=sys.stderr)
        try:
            where = self.path()
            if where is None:
                return
            line = self.format(record)
            fd = os.open(where, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as f:
                f.write(line + "\n")
            self.written = where
        except Exception:  # a log that cannot be written never stops the command (nor prints a trace)
            return


def cli_logging(path: Callable[[], Path | None]) -> ErrorLog:
    """Send the `sqbot` loggers to an `ErrorLog` (the CLI; the daemon calls `setup_logging` instead)."""
    handler = ErrorLog(path)
    lg = logging.getLogger("sqbot")
    lg.addHandler(handler)  # found before Python's last-resort handler, which would print to the terminal
    if lg.level == logging.NOTSET:
        lg.setLevel(logging.INFO)
    return handler
