"""`sqbot stream` (follow Bluesky live in the foreground) and `sqbot backup PATH` (a verified copy of the database)."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from bot.errors import BotError, StoreError
from bot.safety.text import term

if TYPE_CHECKING:
    from bot.cli.app import Ctx


@click.command("stream")
@click.option(
    "--mode",
    type=click.Choice(["firehose", "jetstream"]),
    help="Overrides SQBOT_BLUESKY_STREAM for this run.",
)
@click.pass_obj
def stream(c: Ctx, mode: str | None) -> None:
    """Follow Bluesky live (firehose or Jetstream) and file replies within seconds, until SIGTERM / Ctrl-C."""
    from bot.ops.logs import secrets_of, setup_logging
    from bot.poll.stream import run_stream, stream_mode

    settings = c.settings
    if mode:
        settings = settings.model_copy(update={"bluesky_stream": mode})
    if stream_mode(settings) == "off":
        raise BotError("SQBOT_BLUESKY_STREAM is off; set it to firehose or jetstream, or pass --mode")
    setup_logging(secrets=secrets_of(settings))
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    run_stream(settings, stop)
    click.echo("stream stopped")


def backup_database(src: Path, dest: Path, *, force: bool = False) -> tuple[int, str]:
    """Copy the live database to `dest` with SQLite's backup API (a consistent snapshot, safe while the daemon
    writes), readable by the owner only; then run `PRAGMA integrity_check` on the copy. Returns (bytes, result)."""
    if not src.exists():
        raise StoreError(f"no database at {src}; set SQBOT_DB or SQBOT_DATA_DIR")
    if dest.exists() and not force:
        raise BotError(f"{dest} exists; choose a new path or pass --force to replace it")
    if not dest.parent.is_dir():
        raise BotError(f"the folder {dest.parent} does not exist; create it first")
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
            os.close(fd)
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)  # one step: one read snapshot, never blocks the writer (WAL)
                target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
                result = "; ".join(r[0] for r in target.execute("PRAGMA integrity_check").fetchall())
            finally:
                target.close()
        finally:
            source.close()
        os.replace(tmp, dest)
    except sqlite3.Error as e:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            f"backup of {src} failed: {e}; check free space and that {src} is a sqbot database"
        ) from None
    return dest.stat().st_size, result


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.pass_obj
def backup(c: Ctx, path: Path, force: bool) -> None:
    """Copy the database to PATH (safe while the daemon runs) and verify the copy with integrity_check."""
    size, result = backup_database(c.settings.db_path, path, force=force)
    click.echo(f"backup: {term(str(path))} ({size} bytes); integrity_check: {term(result)}")
    if result != "ok":
        raise BotError(f"the copy at {path} failed integrity_check; the source database may be damaged")


def register(cli: click.Group) -> None:
    cli.add_command(stream)
    cli.add_command(backup)
