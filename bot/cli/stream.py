"""`sqbot stream` (follow Bluesky live in the foreground) and `sqbot backup PATH` (a verified copy of the database)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from bot.errors import BotError
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


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.pass_obj
def backup(c: Ctx, path: Path, force: bool) -> None:
    """Copy the database to PATH (safe while the daemon runs) and verify the copy with integrity_check."""
    from bot.store.backup import backup_database, remember_backup

    size, result = backup_database(c.settings.db_path, path, force=force)
    remember_backup(c.settings.data_dir, path)
    click.echo(f"backup: {term(str(path))} ({size} bytes); integrity_check: {term(result)}")
    if result != "ok":
        raise BotError(f"the copy at {path} failed integrity_check; the source database may be damaged")


def register(cli: click.Group) -> None:
    cli.add_command(stream)
    cli.add_command(backup)
