"""`sqbot run`, `sqbot health`, `sqbot status`: the daemon and how to look at it (see bot/ops/daemon.py)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

import click

from bot.safety.text import term

if TYPE_CHECKING:
    from bot.cli.app import Ctx
    from bot.config import Settings


def register(cli: click.Group) -> None:
    cli.add_command(run)
    cli.add_command(health)
    cli.add_command(status)


@click.command()
@click.pass_obj
def run(c: Ctx) -> None:
    """Run as a service: post what is due, poll on a cadence, mail the digest; stop with SIGTERM/Ctrl-C."""
    from bot.ops.daemon import run as run_daemon
    from bot.ops.daemon import stop_early_on_signals
    from bot.ops.logs import secrets_of, setup_logging

    stop_early_on_signals()

    settings = c.settings
    real = datetime.now(UTC)
    offset = c.now - real  # `sqbot --now +1h run` (demos): the clock runs shifted
    if abs(offset.total_seconds()) < 1:
        offset = offset * 0
    setup_logging(secrets=secrets_of(settings))
    code = run_daemon(settings, clock=lambda: datetime.now(UTC) + offset)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # an abandoned job thread must not keep the process alive


@click.command()
@click.pass_obj
def health(c: Ctx) -> None:
    """Exit 0 when the daemon's heartbeat is fresh and the database takes a write; 1 with the reason otherwise."""
    from bot.ops.daemon import health as check

    ok, reason = check(c.db_path(), datetime.now(UTC), note=True)
    click.echo(term(reason), err=not ok)
    sys.exit(0 if ok else 1)


@click.command()
@click.pass_obj
def status(c: Ctx) -> None:
    """What is scheduled next, the last poll per platform, the X budget, and accounts needing attention."""
    from bot.ops.daemon import status_lines

    quick = c.status_settings()
    for line in status_lines(c.settings if quick is None else cast("Settings", quick), c.now):
        click.echo(term(line))
