"""`sqbot run`: the long-running service. APScheduler (3.x, BlockingScheduler) only says *when*; every job calls
the same library functions as the CLI (`bot.ops.service`), and the store is the source of truth for *what*:

* `post`   every SQBOT_TICK_SECONDS: sync the queue, expire what is too late (downtime policy), post what is due.
* `poll`   every tick: each platform whose watched posts are due for a poll (age bands, SQBOT_POLL_BANDS) is
           polled; the last poll per platform is in `job_runs`, so a restart keeps the cadence.
* `digest` on SQBOT_DIGEST_CRON in SQBOT_TIMEZONE; a run missed while down (within SQBOT_CATCHUP) runs at start.
* `heartbeat` (its own thread) for `sqbot health`.

Downtime policy: a queued post due less than SQBOT_CATCHUP ago is posted (in due order, once: the outbox);
an older one becomes `expired`, is logged and shown by `sqbot status`, and is never posted late in a burst.
One daemon per database (an advisory lock beside it). SIGTERM/SIGINT: no new job starts, the running one gets
`GRACE` seconds to finish, else it is abandoned (safe: the outbox reconciles it at the next start); exit 0.
A failing job is logged and retried at its next run; it never stops the daemon.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import signal
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.errors import BotError, ConfigError, StoreError, storage_fault
from bot.models import WatchedPost
from bot.ops.logs import event
from bot.platforms.specs import PLATFORMS
from bot.store.db import CLAIMED, SENDING, Store, iso, parse_iso

if TYPE_CHECKING:  # apscheduler and Settings load where used: `sqbot health` starts without them
    from apscheduler.triggers.cron import CronTrigger

    from bot.config import Settings
    from bot.platforms.base import Platform

log = logging.getLogger("sqbot.daemon")
GRACE = 5.0  # seconds the running job gets after SIGTERM before it is abandoned
STUCK = timedelta(minutes=15)  # a job running longer than this makes `sqbot health` fail
Clock = Callable[[], datetime]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def utcnow() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------------------------------------- pure helpers
def parse_duration(text: str, setting: str) -> timedelta:
    """`90s`, `10m`, `6h`, `1.5d`, `2w`."""
    m = _DURATION.match(text)
    if not m:
        raise ConfigError(
            f"{setting}={text!r} is not a duration; write a number and a unit, e.g. 6h, 30m, 2d"
        )
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])


@dataclass(frozen=True)
class Band:
    """Posts younger than `upto` (None: any age) are polled every `every`."""

    upto: timedelta | None
    every: timedelta


def parse_bands(spec: str) -> tuple[Band, ...]:
    """`1h:2m,1d:10m,3d:30m,*:2h`: fresh posts often, older ones rarely. Ages must increase; the last band may
    be `*` (every age up to the query's `watch`); without it, posts older than the last band are not polled."""
    bands: list[Band] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        age, sep, every = part.partition(":")
        if not sep:
            raise ConfigError(f"SQBOT_POLL_BANDS: {part!r} is not age:every, e.g. 1h:2m,1d:10m,*:2h")
        upto = None if age.strip() == "*" else parse_duration(age, "SQBOT_POLL_BANDS")
        if bands and (bands[-1].upto is None or (upto is not None and upto <= bands[-1].upto)):
            raise ConfigError(f"SQBOT_POLL_BANDS: ages must increase and `*` must come last ({spec!r})")
        bands.append(Band(upto, parse_duration(every, "SQBOT_POLL_BANDS")))
    if not bands:
        raise ConfigError("SQBOT_POLL_BANDS is empty; e.g. 1h:2m,1d:10m,3d:30m,*:2h")
    return tuple(bands)


def poll_every(age: timedelta, bands: Sequence[Band]) -> timedelta | None:
    for b in bands:
        if b.upto is None or age < b.upto:
            return b.every
    return None


def next_poll(
    watched: Sequence[WatchedPost], last: datetime | None, now: datetime, bands: Sequence[Band]
) -> datetime | None:
    """When a platform is next due for a poll: its freshest query sets the pace. None: nothing to watch."""
    intervals = [poll_every(now - w.posted_at, bands) for w in watched if w.index == 0]
    every = min((i for i in intervals if i is not None), default=None)
    if every is None:
        return None
    return now if last is None else last + every


def cron_trigger(spec: str, tz: ZoneInfo) -> CronTrigger:
    """Crontab (`minute hour day month weekday`) in `tz`; a sixth leading field is seconds (tests, demos)."""
    from apscheduler.triggers.cron import CronTrigger

    fields = spec.split()
    try:
        if len(fields) == 5:
            return CronTrigger.from_crontab(spec, timezone=tz)
        if len(fields) == 6:
            s, mi, h, d, mo, dow = fields
            return CronTrigger(second=s, minute=mi, hour=h, day=d, month=mo, day_of_week=dow, timezone=tz)
    except ValueError as e:
        raise ConfigError(f"SQBOT_DIGEST_CRON={spec!r}: {e}; e.g. '0 8 * * *' (daily 08:00)") from None
    raise ConfigError(f"SQBOT_DIGEST_CRON={spec!r} needs 5 fields, e.g. '0 8 * * *' (daily 08:00)")


def last_fire(trigger: CronTrigger, since: datetime, now: datetime) -> datetime | None:
    """The latest time the trigger fired in [since, now], if any."""
    fire = trigger.get_next_fire_time(None, since)
    last = None
    for _ in range(100_000):
        if fire is None or fire > now:
            break
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return last.astimezone(UTC) if last is not None else None


# ---------------------------------------------------------------------------------------------- one instance
def acquire_instance_lock(db_path: Path) -> int:
    """Hold `<db>.daemon.lock` for the process's life; a second daemon on the same database is refused."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    path = f"{db_path}.daemon.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise StoreError(
            f"another `sqbot run` (pid {holder}) is already running on {db_path}; only one daemon may use a "
            "database: stop that one first, or point this one at another SQBOT_DB"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


# ---------------------------------------------------------------------------------------------- the jobs
class Daemon:
    """The jobs, each a call into `bot.ops.service`; `clock` is the scheduling time, `wall` the liveness time."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = utcnow,
        wall: Clock = utcnow,
        platforms: Mapping[str, Platform] | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.wall = wall
        self.catchup = parse_duration(settings.catchup, "SQBOT_CATCHUP")
        self.bands = parse_bands(settings.poll_bands)
        self.digest_trigger = cron_trigger(settings.digest_cron, settings.tz)
        self._given = dict(platforms) if platforms is not None else None
        self._plats: dict[str, Platform] = {}
        self._plats_day = ""
        self.stopping = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.busy: tuple[str, datetime] | None = None
        self.on_digest_failure: Callable[[], None] | None = None

    @contextmanager
    def store(self) -> Iterator[Store]:
        s = Store.open(self.settings.db_path)
        s.keep_forgotten = self.settings.keep_forgotten_replies
        try:
            yield s
        finally:
            s.close()

    def platforms(self, names: Sequence[str]) -> dict[str, Platform]:
        """Configured platforms among `names`, built once (rebuilt daily, so X spending is re-read)."""
        if self._given is not None:
            return {n: p for n, p in self._given.items() if n in names}
        from bot.ops.service import metered_platforms

        now = self.clock()
        if self._plats_day != now.date().isoformat():
            self._plats, self._plats_day = {}, now.date().isoformat()
        missing = [n for n in names if n not in self._plats]
        if missing:
            with self.store() as s:
                self._plats.update(metered_platforms(self.settings, s, missing, now, self.clock))
        return {n: self._plats[n] for n in names if n in self._plats}

    # -------------------------------------------------------------------------------------- start
    def started(self) -> bool:
        """Record the start; True when a digest fell due while down (within the catch-up window)."""
        now, wall = self.clock(), self.wall()
        with self.store() as s:
            s.set_daemon_state(
                pid=os.getpid(),
                host=socket.gethostname(),
                started_at=iso(wall),
                heartbeat_at=iso(wall),
                heartbeat_seconds=self.settings.heartbeat_seconds,
                busy_job=None,
                busy_since=None,
                stopped_at=None,
            )
            run = s.job_runs().get("digest")
        missed = last_fire(self.digest_trigger, now - self.catchup, now)
        done = parse_iso(run["last_start"]) if run is not None else None
        return missed is not None and (done is None or done < missed)

    # -------------------------------------------------------------------------------------- jobs
    def guarded(self, job: str, fn: Callable[[datetime], object]) -> bool:
        """Run one job: never raises, records the run, logs a failure (retried at the job's next run)."""
        if self.stopping.is_set():
            return False
        start = self.clock()
        self.idle.clear()
        self.busy = (job, self.wall())
        error: str | None = None
        try:
            fn(start)
        except BotError as e:
            error = str(e)
            event(log, logging.ERROR, f"{job} failed: {e}; retrying at its next run", job=job, error=error)
        except Exception as e:
            # a full disk, a read-only data dir, a locked database: one line, retried at the next tick
            fault = storage_fault(e, self.settings.data_dir)
            if fault is not None:
                error = str(fault)
                event(
                    log,
                    logging.ERROR,
                    f"{job} failed: {fault}; retrying at its next run",
                    job=job,
                    error=error,
                )
            else:
                error = f"{type(e).__name__}: {e}"
                log.exception(
                    f"{job} failed unexpectedly; retrying at its next run", extra={"fields": {"job": job}}
                )
        finally:
            self.busy = None
            self.idle.set()
        try:
            with self.store() as s:
                s.record_job_run(job, start, self.clock(), error)
        except (BotError, sqlite3.Error) as e:
            event(log, logging.ERROR, "could not record a job run", job=job, error=str(e))
        return error is None

    def post(self, now: datetime) -> None:
        from bot.ops.service import load_usable_queries, post_due
        from bot.publish.outbox import sync_queue
        from bot.publish.schedule import parse_slots

        # a file with problems, or a query that cannot be scheduled, never stops the others: they are
        # posted, then the job fails saying why (shown by `sqbot status` and the digest's attention section)
        queries, problems = load_usable_queries(self.settings)
        unscheduled: dict[str, str] = {}
        with self.store() as s:
            sync_queue(
                s,
                queries,
                slots=parse_slots(self.settings.slots),
                tz=self.settings.tz,
                now=now,
                failures=unscheduled,
            )
            expired = s.expire_overdue(now - self.catchup, now)
            names = {r.platform for r in s.outbox(statuses=[CLAIMED, SENDING])}
        for row in expired:
            event(
                log,
                logging.WARNING,
                f"expired: {row.query_id} on {row.platform} was due {iso(row.due_at)}, more than "
                f"{self.settings.catchup} ago; not posted",
                query=row.query_id,
                platform=row.platform,
                due_at=iso(row.due_at),
            )
        names |= {p for q in queries for p in q.platforms}
        plats = self.platforms(sorted(names))
        for o in post_due(self.settings, now, platforms=plats, queries=queries):
            level = logging.WARNING if o.status in ("needs_review", "failed") else logging.INFO
            if o.status == "skipped":
                level = logging.DEBUG
            event(
                log,
                level,
                f"{o.status}: {o.query_id} on {o.platform}",
                query=o.query_id,
                platform=o.platform,
                status=o.status,
                ids=[p.platform_id for p in o.posts],
                detail=o.detail,
            )
        why = [str(p) for p in problems] + list(unscheduled.values())
        if why:
            more = f" (+{len(why) - 1} more; `sqbot validate`)" if len(why) > 1 else ""
            raise BotError(f"held back (every other query went ahead): {why[0]}{more}")

    def due_polls(self, now: datetime) -> list[str]:
        with self.store() as s:
            runs = s.job_runs()
            due = []
            for name in PLATFORMS:
                run = runs.get(f"poll:{name}")
                at = next_poll(
                    s.watched_posts(name, now), parse_iso(run["last_start"]) if run else None, now, self.bands
                )
                if at is not None and at <= now:
                    due.append(name)
        return due

    def poll(self, now: datetime) -> None:
        from bot.ops.service import poll_once

        for name in self.due_polls(now):
            if self.stopping.is_set():
                return

            def one(at: datetime, name: str = name) -> None:
                plats = self.platforms([name])
                if not plats:
                    raise ConfigError(f"{name} has posts to watch but is not configured (credentials?)")
                for r in poll_once(self.settings, at, platforms=plats):
                    if r.error:
                        raise BotError(f"{name}: {r.error}")
                    event(
                        log,
                        logging.INFO,
                        f"polled {name}: {r.new_interactions} new",
                        platform=name,
                        new=r.new_interactions,
                        people=r.new_people,
                        requests=r.requests,
                        forgotten=r.forgotten,
                    )

            self.guarded(f"poll:{name}", one)

    def digest(self, now: datetime) -> None:
        from bot.ops.service import digest

        result = digest(self.settings, now, preview=None, send=True)
        event(log, logging.INFO, result.splitlines()[0], job="digest")

    def digest_job(self) -> None:
        if not self.guarded("digest", self.digest) and self.on_digest_failure is not None:
            self.on_digest_failure()

    def heartbeat(self) -> None:
        busy = self.busy
        try:
            with self.store() as s:
                s.set_daemon_state(
                    heartbeat_at=iso(self.wall()),
                    busy_job=busy[0] if busy else None,
                    busy_since=iso(busy[1]) if busy else None,
                )
        except (BotError, sqlite3.Error) as e:
            event(log, logging.ERROR, "heartbeat could not be written", error=str(e))


# ---------------------------------------------------------------------------------------------- run
STOP_DEADLINE = 8.0  # seconds from SIGTERM to exit, whatever happens (docker/podman stop waits 10)


class _Stop(Exception):
    pass


_early_stop = threading.Event()


def stop_early_on_signals() -> None:
    """Called first thing by `sqbot run`: a SIGTERM during start-up still ends in a clean exit 0."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: _early_stop.set())


def run(settings: Settings, *, clock: Clock = utcnow) -> int:
    """Run until SIGTERM/SIGINT; returns the exit code (0). The caller exits with `os._exit` (an abandoned job
    thread must not hold the process open)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    early = _early_stop.is_set()  # a signal that came while Python was still importing
    lock_fd = acquire_instance_lock(settings.db_path)
    daemon = Daemon(settings, clock=clock)
    sched = BlockingScheduler(
        timezone=UTC,
        executors={"default": ThreadPoolExecutor(1), "beat": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if daemon.stopping.is_set():
            return
        daemon.stopping.set()
        # Whatever the shutdown below waits on, the process is gone inside the container's grace period: an
        # abandoned step is as safe as a crash (reconciled at the next start), so exit 0 is honest.
        watchdog = threading.Timer(STOP_DEADLINE, lambda: os._exit(0))
        watchdog.daemon = True
        watchdog.start()
        raise _Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    why = "?"
    try:
        if early:
            raise _Stop("signal during start-up")
        catch_up = daemon.started()
        now = datetime.now(UTC)
        tick, beat = settings.tick_seconds, settings.heartbeat_seconds

        def retry_digest() -> None:
            at = datetime.now(UTC) + timedelta(minutes=5)
            sched.add_job(daemon.digest_job, "date", run_date=at, id="digest-retry", replace_existing=True)

        daemon.on_digest_failure = retry_digest
        sched.add_job(daemon.heartbeat, IntervalTrigger(seconds=beat), id="heartbeat", executor="beat")
        sched.add_job(
            daemon.guarded, IntervalTrigger(seconds=tick), ("post", daemon.post), id="post", next_run_time=now
        )
        sched.add_job(
            daemon.guarded, IntervalTrigger(seconds=tick), ("poll", daemon.poll), id="poll", next_run_time=now
        )
        sched.add_job(daemon.digest_job, daemon.digest_trigger, id="digest")
        if catch_up:
            sched.add_job(daemon.digest_job, "date", run_date=now, id="digest-catchup")
        # Bluesky live (SQBOT_BLUESKY_STREAM=firehose|jetstream): its own thread, stops with the daemon; a no-op
        # when off. Polling stays as the safety net.
        from bot.poll.stream import follow_in_background

        follow_in_background(settings, daemon.stopping)
        event(
            log,
            logging.INFO,
            "sqbot daemon started",
            pid=os.getpid(),
            db=str(settings.db_path),
            tick_seconds=tick,
            digest_cron=settings.digest_cron,
            timezone=settings.timezone,
            catchup=settings.catchup,
            digest_catch_up=catch_up,
        )
        sched.start()
    except _Stop as stop:
        why = str(stop)
    finally:
        daemon.stopping.set()
    if sched.running:
        sched.shutdown(wait=False)
    finished = daemon.idle.wait(GRACE)
    busy = daemon.busy
    try:
        s = Store.open(settings.db_path)
        s.wait_when_busy(1000)
        try:
            s.set_daemon_state(stopped_at=iso(daemon.wall()))
        finally:
            s.close()
    except (BotError, sqlite3.Error):
        pass  # the abandoned job holds the write lock; the heartbeat going stale says the same
    event(
        log,
        logging.INFO,
        "sqbot daemon stopped (clean exit)"
        if finished
        else f"sqbot daemon stopped; abandoned {busy[0] if busy else 'a job'} (reconciled at the next start)",
        signal=why,
        finished=finished,
    )
    os.close(lock_fd)
    return 0


# ---------------------------------------------------------------------------------------------- health, status
def health(settings: Settings | Path, now: datetime, *, note: bool = False) -> tuple[bool, str]:
    """(healthy, reason): the heartbeat is fresh, no job is stuck or failing run after run
    (`attention.STREAK_UNHEALTHY`), and the database takes a write.
    `settings` may be just the database path (`sqbot health` then starts without building Settings).

    With `note`, a healthy reason also says how many things need attention (`bot.ops.attention`): they never
    fail the probe (a restart fixes none of them; `sqbot status` and the digest say what they are). With just
    a path the budget limit is unknown, so a spent X budget counts as X waiting."""
    from bot.ops import attention
    from bot.store import status

    db = settings if isinstance(settings, Path) else settings.db_path
    items: list[attention.Attention] = []
    failing = ""
    if not db.exists():
        return (
            False,
            f"no database at {db}: `sqbot run` has not started here (check SQBOT_DATA_DIR / SQBOT_DB)",
        )
    try:
        s = Store.open(db, create_parent=False)
        try:
            s.wait_when_busy(5000)
            st = s.daemon_state()
            s.set_daemon_state(checked_at=iso(now))
            data = status.attention_data(s)
            failing = attention.unhealthy(data)
            if note:
                budget = None
                if not isinstance(settings, Path):
                    from bot.store.metering import x_budget

                    budget = x_budget(s, settings.x_budget_usd, now, settings.x_poll_reserve_usd)
                items = attention.build(data, budget, now)
        finally:
            s.close()
    except (BotError, sqlite3.Error) as e:
        return False, f"the database {db} is not writable: {e}"
    if st is None or not st["heartbeat_at"]:
        return False, "no heartbeat yet: start the daemon with `sqbot run`"
    beat = parse_iso(st["heartbeat_at"])
    if st["stopped_at"] and parse_iso(st["stopped_at"]) >= beat:
        return False, f"the daemon (pid {st['pid']}) stopped at {st['stopped_at']}"
    age = (now - beat).total_seconds()
    limit = 3 * float(st["heartbeat_seconds"] or 30) + 10
    if age > limit:
        return False, (
            f"the last heartbeat is {age:.0f} s old (limit {limit:.0f} s): the daemon (pid {st['pid']}) is not "
            "running or is stuck; see its log"
        )
    if st["busy_since"] and now - parse_iso(st["busy_since"]) > STUCK:
        return False, f"job {st['busy_job']} has been running since {st['busy_since']}: stuck? see its log"
    if failing:
        return False, f"{failing}; see `sqbot status` and the log"
    return True, f"ok: heartbeat {max(age, 0):.0f} s ago (pid {st['pid']})" + attention.summary(items)


def status_lines(settings: Settings, now: datetime) -> list[str]:
    """What `sqbot status` prints: daemon, next post, outbox, polls, digest, budget, attention."""
    from bot.ops import attention
    from bot.store import status
    from bot.store.metering import x_budget

    tz = settings.tz

    def local(dt: datetime) -> str:
        return f"{dt.astimezone(tz):%a %Y-%m-%d %H:%M %Z}"

    if not settings.db_path.exists():
        return [f"no database at {settings.db_path} yet: `sqbot run` (or `sqbot post`) creates it"]
    ok, reason = health(settings, now)
    lines = [f"daemon: {'running' if ok else 'NOT healthy'}: {reason}"]
    s = Store.open(settings.db_path)
    try:
        lines += _outbox_lines(s, now, local)
        lines += _poll_lines(s, settings, now, local)
        d = Daemon(settings, clock=lambda: now)
        nxt = d.digest_trigger.get_next_fire_time(None, now)
        sent = status.last_digest_sent(s)
        lines.append(
            f"digest: next {local(nxt) if nxt else 'never'} ({settings.digest_cron}); "
            f"last sent {local(sent) if sent else 'never'}"
        )
        budget = x_budget(s, settings.x_budget_usd, now, settings.x_poll_reserve_usd)
        lines.append(
            f"budget: X ${budget.spent:.2f} of ${budget.limit:.2f} this month ({budget.window.name})"
        )
        lines += attention.lines(attention.build(status.attention_data(s), budget, now))
        lines += _forgotten_lines(s, local)
    finally:
        s.close()
    return lines


def _outbox_lines(s: Store, now: datetime, local: Callable[[datetime], str]) -> list[str]:
    from bot.store import status

    counts = status.outbox_counts(s)
    out = ["outbox: " + (", ".join(f"{n} {st}" for st, n in sorted(counts.items())) or "empty")]
    r = status.next_queued(s)
    if r is not None:
        due = parse_iso(r["due_at"])
        when = "now (next tick)" if due <= now else local(due)
        out.append(f"next post: {r['query_id']} on {r['platform']} at {when}")
    else:
        out.append("next post: nothing queued")
    for r in status.outbox_trouble(s):
        out.append(
            f"  {r['status']}: {r['query_id']} on {r['platform']}: {r['last_error'] or ''}".rstrip(": ")
        )
    return out


def _forgotten_lines(s: Store, local: Callable[[datetime], str]) -> list[str]:
    from bot.store import status

    return [
        f"forgotten accounts wrote {r.writes} time(s) on {r.platform} (not stored; last {local(r.last_at)})"
        if r.last_at
        else f"forgotten accounts wrote {r.writes} time(s) on {r.platform} (not stored)"
        for r in status.forgotten_writes(s)
    ]


def _poll_lines(s: Store, settings: Settings, now: datetime, local: Callable[[datetime], str]) -> list[str]:
    bands = parse_bands(settings.poll_bands)
    runs = s.job_runs()
    out = []
    for name in PLATFORMS:
        run = runs.get(f"poll:{name}")
        watched = s.watched_posts(name, now)
        if run is None and not watched:
            continue
        last = parse_iso(run["last_start"]) if run else None
        nxt = next_poll(watched, last, now, bands)
        err = f"; last error: {run['last_error']}" if run is not None and run["last_error"] else ""
        out.append(
            f"poll {name}: last {local(last) if last else 'never'}, next "
            f"{(local(max(nxt, now)) if nxt else 'none (nothing watched)')}, {len(watched)} post(s) watched{err}"
        )
    return out or ["poll: nothing posted yet"]
