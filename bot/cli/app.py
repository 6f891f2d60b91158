"""`sqbot`: a thin shell over library functions. Each command is one library call; any `BotError` becomes one
line on stderr and exit code 1. Only commands that talk to a network build platforms (and import SDKs)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from bot.errors import BotError, QueueError
from bot.safety.text import json_text, term

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.models import Query
    from bot.ops.datadir import StatusSettings
    from bot.ops.logs import ErrorLog
    from bot.store.db import Store

F = TypeVar("F", bound=Callable[..., Any])

_REL = re.compile(r"^([+-])(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_now(value: str | None, real_now: datetime) -> datetime:
    """`--now`: an ISO time with offset, or an offset from the real clock (`+3h`, `-1d`)."""
    if not value:
        return real_now
    m = _REL.match(value.strip())
    if m:
        delta = timedelta(**{_UNITS[m.group(3)]: int(m.group(2))})
        return real_now + delta if m.group(1) == "+" else real_now - delta
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is neither an ISO time with offset nor like +3h") from None
    if dt.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no UTC offset; add one, e.g. {value}+00:00")
    return dt.astimezone(UTC)


_DATA_DIR: list[Path | None] = [None]  # this run's `--data-dir`, for the error log


def error_log_path() -> Path | None:
    """Where the CLI logs what it cannot say in one line (traces): `sqbot.log` beside the database, when that
    folder exists."""
    from bot.ops.datadir import db_path

    db = db_path(_DATA_DIR[0])
    return db.parent / "sqbot.log" if db is not None and db.parent.is_dir() else None


def install_error_log() -> ErrorLog:
    """The CLI's `sqbot` loggers write to `error_log_path()` (installed once, when a command first builds
    Settings: quick commands never import logging)."""
    from bot.ops.logs import ErrorLog, cli_logging

    handler = _ERROR_LOG[0]
    if not isinstance(handler, ErrorLog):
        handler = _ERROR_LOG[0] = cli_logging(error_log_path)
    return handler


_ERROR_LOG: list[ErrorLog | None] = [None]


class Ctx:
    def __init__(
        self, now_opt: str | None, data_dir: Path | None = None, env_file: Path | None = None
    ) -> None:
        self.now = parse_now(now_opt, datetime.now(UTC))
        self.data_dir = data_dir  # `--data-dir`: wins over SQBOT_DATA_DIR
        self.env_file = env_file  # `--env-file`: else the data dir's .env (never the working folder's)
        _DATA_DIR[0] = data_dir
        self._settings: Settings | None = None
        self._checked = False

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from bot.config import load_settings

            self._checked_data_dir()
            over = {} if self.data_dir is None else {"data_dir": self.data_dir}
            settings = load_settings(self.env_file, **over)
            _refuse_shared(settings.data_dir, settings.db_path.parent)
            self._settings = settings
            install_error_log()
        return self._settings

    def _checked_data_dir(self) -> None:
        """Before any .env is read from it: the data dir is not a shared folder; a working folder's .env is
        named once as not read."""
        from bot.ops.datadir import data_dir_of, env_file

        if self._checked:
            return
        self._checked = True
        _refuse_shared(data_dir_of(self.data_dir))
        used = env_file(self.data_dir, self.env_file)
        here = Path(".env")
        try:
            ignored = here.is_file() and here.resolve() != used.resolve()
        except OSError:
            ignored = False
        if ignored:
            click.echo(
                f"sqbot: note: ./.env is not read (the working folder may be a queue repository); "
                f"move it to {used} or pass --env-file .env",
                err=True,
            )

    def db_path(self) -> Path:
        """The database, without building Settings when nothing else is needed (start-up time)."""
        if self._settings is None:
            from bot.ops.datadir import db_path

            self._checked_data_dir()
            found = db_path(self.data_dir, env_file=self.env_file)
            if found is not None:
                _refuse_shared(found.parent)
                return found
        return self.settings.db_path

    def status_settings(self) -> StatusSettings | None:
        """The few settings `status` reads, without building Settings; None when it takes Settings."""
        if self._settings is not None:
            return None
        from bot.ops.datadir import status_settings

        self._checked_data_dir()
        found = status_settings(self.data_dir, env_file=self.env_file)
        if found is not None:
            _refuse_shared(found.db_path.parent)
        return found

    def store(self) -> Store:
        from bot.store.db import Store

        return Store.open(self.db_path())

    def queue_paths(self, paths: Sequence[str]) -> list[str]:
        return list(paths) or [str(self.settings.queue)]


def _refuse_shared(*folders: Path) -> None:
    """A data dir (or database folder) that is shared, world-writable or someone else's is refused with one
    line; it is never chmodded (sqbot creates its own data dir 0700, see bot/safety/atomic.py)."""
    from bot.errors import ConfigError
    from bot.safety.atomic import shared_dir_problem

    for folder in folders:
        problem = shared_dir_problem(folder)
        if problem is not None:
            raise ConfigError(problem)


def echo(line: str = "") -> None:
    click.echo(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--now", "now_opt", metavar="TIME", help="Pretend it is TIME (ISO with offset, or +3h/-1d). For demos."
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Where sqbot keeps its database, sessions and digests (instead of SQBOT_DATA_DIR).",
)
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="Read settings from this .env (default: .env in the data dir; never the working folder's).",
)
@click.version_option(package_name="sqbot")
@click.pass_context
def cli(ctx: click.Context, now_opt: str | None, data_dir: Path | None, env_file: Path | None) -> None:
    """sqbot: post questions to Bluesky, X and Substack; file the replies as leads; mail a digest."""
    ctx.obj = Ctx(now_opt, data_dir, env_file)


def _load_valid_queue(c: Ctx, paths: Sequence[str]) -> list[Query]:
    from bot.queue.parse import validate

    queries, problems = validate(c.queue_paths(paths))
    if problems:
        for p in problems:
            click.echo(term(str(p)), err=True)
        raise QueueError(problems)
    _echo_warnings(queries, err=True)
    return queries


def _echo_warnings(queries: Sequence[Query], *, err: bool = False) -> None:
    from bot.queue.parse import warnings

    for w in warnings(queries):
        click.echo(term(str(w)), err=err)


# ---------------------------------------------------------------------------------------------- the queue
@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_obj
def validate(c: Ctx, paths: tuple[str, ...]) -> None:
    """Check the queue (default SQBOT_QUEUE) before anything is posted; every problem as file:line:col."""
    from bot.queue.parse import validate as run

    queries, problems = run(c.queue_paths(paths))
    for p in problems:
        click.echo(term(str(p)))
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(1)
    _echo_warnings(queries)
    posts = sum(len(q.posts_for(pl)) for q in queries for pl in q.platforms)
    files = {q.source for q in queries}
    echo(f"ok: {len(queries)} queries, {posts} posts, {len(files)} files")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One object per query and platform.")
@click.pass_obj
def plan(c: Ctx, paths: tuple[str, ...], as_json: bool) -> None:
    """What will be posted when (local time and UTC), per platform, with lengths; and what is already posted."""
    from bot.publish.plan import plan_rows

    queries = _load_valid_queue(c, paths)
    s = c.settings
    existing = {}
    if s.db_path.exists():
        store = c.store()
        try:
            existing = {(r.query_id, r.platform): r for r in store.outbox()}
        finally:
            store.close()
    rows = plan_rows(queries, existing, slots_spec=s.slots, tz=s.tz, now=c.now)
    if as_json:
        click.echo(json_text(rows, indent=2))
        return
    for r in rows:
        if r["due_at"] is None:  # cannot be scheduled: said, and the others are planned as usual
            echo(f"{'unschedulable':<42}{r['platform']:<9}{'error':<13}{term(r['error'])}")
            continue
        local = datetime.fromisoformat(r["due_at"]).astimezone(s.tz)
        lens = ", ".join(str(p["length"]) for p in r["posts"])
        echo(
            f"{local:%a %Y-%m-%d %H:%M %Z}  ({r['due_at']} UTC)  {r['platform']:<8} {r['status']:<12} "
            f"{term(r['query_id'])}  [{len(r['posts'])} post(s); lengths {lens or '-'}]"
        )
    if not rows:
        echo("nothing queued")
    if any(r["due_at"] is None for r in rows):
        sys.exit(1)


# ---------------------------------------------------------------------------------------------- posting
@cli.command()
@click.argument("query_id", required=False)
@click.option("--dry-run", is_flag=True, help="Show what would be posted; post nothing.")
@click.pass_obj
def post(c: Ctx, query_id: str | None, dry_run: bool) -> None:
    """Post everything due now (or one QUERY_ID), exactly once; reconcile unknown outcomes first."""
    from bot.ops.service import post_due

    outcomes = post_due(c.settings, c.now, only=query_id, dry_run=dry_run)
    for o in outcomes:
        ids = " ".join(p.url or p.platform_id for p in o.posts[:3])
        echo(f"{o.status:<12} {o.platform:<8} {term(o.query_id)} {term(ids)} {term(o.detail)}".rstrip())
    if not outcomes:
        echo("nothing due")
    if any(o.status in ("failed", "needs_review") for o in outcomes):
        sys.exit(1)


@cli.command()
@click.pass_obj
def poll(c: Ctx) -> None:
    """Fetch new replies, mentions, quotes and comments; file responders as people."""
    from bot.ops.service import poll_once

    for r in poll_once(c.settings, c.now):
        line = f"{r.platform:<8} {r.new_interactions} new interaction(s), {r.new_people} new people, {r.requests} request(s)"
        if r.forgotten:
            line += f", forgotten accounts wrote {r.forgotten} time(s) (not stored)"
        echo(line + (f"  ! {term(r.error)}" if r.error else ""))


# ---------------------------------------------------------------------------------------------- digest
@cli.command()
@click.option(
    "--preview", type=click.Path(dir_okay=False, path_type=Path), help="Write HTML (+ .eml, .txt) here."
)
@click.option("--send", is_flag=True, help="Mail the digest for the window since the last one sent.")
@click.pass_obj
def digest(c: Ctx, preview: Path | None, send: bool) -> None:
    """Build the digest of new replies and leads: preview it to a file, or send it."""
    from bot.ops.service import digest as run

    echo(run(c.settings, c.now, preview=preview, send=send))


@cli.command()
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True
)
@click.option("--queue", "queue_dir", type=click.Path(), default="queries", show_default=True)
@click.pass_obj
def demo(c: Ctx, out: Path, queue_dir: str) -> None:
    """The whole loop on the offline sandbox: validate, post, poll, file leads, write the digest."""
    from bot.ops.service import DEMO_DIGEST_AFTER, run_demo

    for line in run_demo(out, queue_dir, c.now):
        echo(line)
    import shlex

    data = shlex.quote(str(out / "demo-data"))
    me = _how_i_was_run()
    echo("")
    echo("Look at what it made (from this folder):")
    echo(f"  {me} --data-dir {data} leads list")
    echo(f"  {me} --data-dir {data} leads show 1")
    echo(f"  {me} --data-dir {data} browse")
    # the demo's replies arrive over 30 simulated hours: the review app's clock starts where its digest was made
    when = (c.now + DEMO_DIGEST_AFTER).replace(microsecond=0).isoformat()
    echo(f"  {me} --data-dir {data} --now {when} review")
    for name in ("digest.html", "digest.eml"):
        echo(f"  {shlex.quote(str(out / name))}")


def _how_i_was_run() -> str:
    """`sqbot` as the user can type it again from the same folder: the script path they ran (`.venv/bin/sqbot`)
    unless `sqbot` on PATH is that same script; `python -m bot` when run as a module."""
    import shlex
    import shutil

    argv0 = sys.argv[0] if sys.argv else ""
    if Path(argv0).name == "__main__.py" or not argv0:
        return f"{shlex.quote(sys.executable)} -m bot"
    on_path = shutil.which("sqbot")
    if on_path and Path(on_path).resolve() == Path(argv0).resolve():
        return "sqbot"
    if "/" not in argv0:
        return shlex.quote(str(Path(argv0).resolve()))
    return shlex.quote(argv0)


def _register() -> None:
    """Command groups that live in their own modules (each keeps its imports lazy)."""
    from bot.cli import leads as cli_leads
    from bot.cli import understand as cli_understand

    cli_leads.register(cli)
    cli_understand.register(cli)
    __import__("bot.cli.daemon", fromlist=["register"]).register(cli)
    __import__("bot.cli.stream", fromlist=["register"]).register(cli)
    __import__("bot.cli.stats", fromlist=["register"]).register(cli)
    __import__("bot.cli.login", fromlist=["register"]).register(cli)
    __import__("bot.cli.review", fromlist=["register"]).register(cli)


_register()


def main(argv: Sequence[str] | None = None) -> None:
    import os
    import sqlite3

    from bot.errors import storage_fault

    os.umask(0o077)  # every file sqbot creates (database, -wal, -shm, digests, sessions) is owner-only
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="sqbot", standalone_mode=False)
    except BotError as e:
        click.echo(f"sqbot: error: {term(str(e))}", err=True)
        sys.exit(1)
    except (sqlite3.OperationalError, OSError) as e:
        fault = storage_fault(e)
        if fault is None:
            raise
        click.echo(f"sqbot: error: {term(str(fault))}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except Exception as e:  # a bug: one redacted line here, the redacted trace in the log, never a traceback
        import logging

        errors = install_error_log()
        logging.getLogger("sqbot.cli").error(f"unexpected {type(e).__name__}: {e}", exc_info=True)
        where = f"; the trace is in {errors.written}" if errors.written else ""
        click.echo(f"sqbot: error: unexpected {type(e).__name__}: {term(str(e))}{where}", err=True)
        sys.exit(1)
