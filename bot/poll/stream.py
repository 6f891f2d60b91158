"""Follow Bluesky live: replies, quotes and mentions reach the lead database within seconds, at no API cost.

Two sources (`SQBOT_BLUESKY_STREAM`): the firehose `com.atproto.sync.subscribeRepos` (read with the atproto SDK's
`FirehoseSubscribeReposClient`; default URL the relay, which carries every PDS) or a Jetstream endpoint (JSON,
filtered to posts by the server). Everything that does not reply to, quote or mention our account or posts is
dropped before its record is decoded: only post creations by someone else whose raw bytes contain our DID are
looked at.

What is kept is filed through `Store.ingest` (platform "bluesky", at:// URIs as ids: the poller and the stream
never file twice) with the stream's position (firehose `seq` / Jetstream `time_us`) as cursor "firehose" /
"jetstream", in the same transaction. Positions of dropped events are stored every few seconds, so a restart
re-reads at most those (idempotent). After a restart or a dropped connection the stream resumes from the stored
cursor (reconnecting with backoff); when the source says the cursor is unusable (OutdatedCursor / FutureCursor,
or a Jetstream cursor past its retention) it starts live and runs ONE notifications poll (`bot.poll.fetch`) to close the
gap. Polling stays the safety net at its slow cadence.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.errors import BotError, ConfigError, PlatformError
from bot.models import IdentityData, InteractionData, InteractionKind, Mention
from bot.ops.logs import event
from bot.platforms.bluesky.records import mentioned_dids, parse_time, quoted_uri, uri_of

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.store.db import IngestReport, Store

log = logging.getLogger("sqbot.stream")

NAME = "bluesky"
POST = "app.bsky.feed.post"
MODES = ("firehose", "jetstream", "off")
DEFAULT_URLS = {
    "firehose": "wss://bsky.network/xrpc",  # the relay: every PDS's commits
    "jetstream": "wss://jetstream2.us-east.bsky.network/subscribe",
}
CURSOR_TOO_OLD = ("OutdatedCursor", "FutureCursor")
JETSTREAM_RETENTION = timedelta(hours=24)  # public Jetstreams keep about a day; older cursors leave a gap
FLUSH_SECONDS = 2.0  # store the position of dropped events at most this often ...
FLUSH_EVENTS = 5000  # ... or after this many
MAX_BACKOFF = 60.0

Clock = Callable[[], datetime]
OnFiled = Callable[["IngestReport"], None]


def stream_mode(settings: Settings) -> str:
    mode = (settings.bluesky_stream or "off").strip().lower()
    if mode not in MODES:
        raise ConfigError(f"SQBOT_BLUESKY_STREAM={mode!r} is not one of {', '.join(MODES)}")
    return mode


def stream_url(settings: Settings, mode: str) -> str:
    return (settings.bluesky_stream_url or DEFAULT_URLS[mode]).rstrip("/")


# ---------------------------------------------------------------------------------------------- filtering
def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def classify(record: Mapping[str, Any], me: str) -> tuple[InteractionKind, str | None, str | None] | None:
    """(kind, root_id, parent_id) when a post record replies to, quotes or mentions `me`; else None.

    Same ids as the poller (`BlueskyPlatform._from_view`): a reply hangs from its thread root; a quote's root
    and parent are the quoted post; a mention keeps its own reply refs."""
    if record.get("$type") not in (POST, None):
        return None
    mine = f"at://{me}/"
    reply = _dict(record.get("reply"))
    root, parent = uri_of(reply.get("root")), uri_of(reply.get("parent"))
    if any(u is not None and u.startswith(mine) for u in (root, parent)):
        return "reply", root, parent
    quoted = quoted_uri(record)
    if quoted is not None and quoted.startswith(mine):
        return "quote", quoted, quoted
    if me in mentioned_dids(record):
        return "mention", root, parent
    return None


def to_interaction(
    repo: str,
    rkey: str,
    record: Mapping[str, Any],
    me: str,
    now: datetime,
    *,
    author: IdentityData | None = None,
    app_url: str = "https://bsky.app",
) -> InteractionData | None:
    """A post record created by `repo` → the interaction it is for us, or None when it is not for us."""
    if repo == me:
        return None
    found = classify(record, me)
    if found is None:
        return None
    kind, root, parent = found
    uri = f"at://{repo}/{POST}/{rkey}"
    created = parse_time(record.get("createdAt")) or now
    return InteractionData(
        platform=NAME,
        platform_id=uri,
        kind=kind,
        author=author or IdentityData(platform=NAME, user_id=repo),
        text=str(record.get("text") or ""),
        created_at=created,
        root_id=root,
        parent_id=parent,
        url=f"{app_url}/profile/{repo}/post/{rkey}",
        mentions=tuple(Mention(handle=None, user_id=d, platform=NAME) for d in mentioned_dids(record)),
    )


@dataclass(frozen=True)
class Candidate:
    """A post creation that may be for us: (author DID, rkey, record)."""

    repo: str
    rkey: str
    record: dict[str, Any]


def firehose_candidates(kind: str | None, body: Mapping[str, Any], me: str) -> list[Candidate]:
    """Post creations in one firehose `#commit` whose bytes mention our DID, records decoded; [] for the rest.

    Cheap first: the frame type, the author, the op paths, then a byte search of the commit's blocks; only then
    is the CAR decoded."""
    if kind != "#commit":
        return []
    repo = body.get("repo")
    if not isinstance(repo, str) or repo == me:
        return []
    ops = [
        op
        for op in body.get("ops") or []
        if op.get("action") == "create" and str(op.get("path", "")).startswith(POST + "/") and op.get("cid")
    ]
    blocks = body.get("blocks")
    if not ops or not isinstance(blocks, bytes | bytearray) or me.encode() not in blocks:
        return []
    import libipld

    _, decoded = libipld.decode_car(bytes(blocks))
    out = []
    for op in ops:
        record = decoded.get(bytes(op["cid"]))
        if isinstance(record, dict):
            out.append(Candidate(repo, str(op["path"]).split("/", 1)[1], record))
    return out


def jetstream_candidates(raw: str | bytes, me: str) -> tuple[int | None, list[Candidate]]:
    """(time_us, candidates) of one Jetstream JSON event; the DID check runs on the raw text before any parsing."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if me not in text:
        return _jetstream_time(text), []
    try:
        evt = json.loads(text)
    except ValueError:
        return None, []
    if not isinstance(evt, dict):
        return None, []
    t = evt.get("time_us") if isinstance(evt.get("time_us"), int) else None
    commit = evt.get("commit")
    if (
        not isinstance(commit, dict)
        or evt.get("kind") != "commit"
        or commit.get("operation") != "create"
        or commit.get("collection") != POST
        or evt.get("did") == me
        or not isinstance(commit.get("record"), dict)
    ):
        return t, []
    return t, [Candidate(str(evt["did"]), str(commit.get("rkey")), commit["record"])]


_TIME_US = re.compile(r'"time_us"\s*:\s*(\d+)')


def _jetstream_time(text: str) -> int | None:
    """`time_us` without parsing the whole event (a top-level integer field)."""
    m = _TIME_US.search(text)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------- filing
class Sink:
    """Files kept events with the stream position; stores positions of dropped events every few seconds.

    Used from one thread only (it owns its Store connection)."""

    def __init__(
        self,
        store: Store,
        cursor_name: str,
        me: str,
        *,
        analyse: Callable[[InteractionData], Any] | None,
        lookup: Callable[[list[str]], list[IdentityData]] | None = None,
        on_filed: OnFiled | None = None,
        clock: Clock = lambda: datetime.now(UTC),
        app_url: str = "https://bsky.app",
    ) -> None:
        self.store = store
        self.cursor_name = cursor_name
        self.me = me
        self.analyse = analyse
        self.lookup = lookup
        self.on_filed = on_filed
        self.clock = clock
        self.app_url = app_url
        self.durable: str | None = store.get_cursor(NAME, cursor_name)
        self.pending: str | None = None
        self.unflushed = 0
        self.flushed_at = time.monotonic()
        self.events = 0
        self.kept = 0
        self.filed = 0

    def take(self, candidates: list[Candidate], cursor: str | None) -> int:
        """One event: file what is for us (cursor in the same transaction) or just note its position."""
        self.events += 1
        now = self.clock()
        items = []
        for c in candidates:
            it = to_interaction(c.repo, c.rkey, c.record, self.me, now, app_url=self.app_url)
            if it is not None:
                items.append(it)
        if not items:
            if cursor is not None:
                self.pending = cursor
                self.unflushed += 1
                if self.unflushed >= FLUSH_EVENTS or time.monotonic() - self.flushed_at >= FLUSH_SECONDS:
                    self.flush()
            return 0
        self.kept += len(items)
        items, enriched = self._with_profiles(items)
        rep = self.store.ingest(NAME, items, cursor, now, cursor_name=self.cursor_name, analyse=self.analyse)
        if enriched:
            self.store.mark_profiles_fetched(NAME, enriched, now)
        if cursor is not None:
            self.durable, self.pending, self.unflushed = cursor, None, 0
            self.flushed_at = time.monotonic()
        self.filed += rep.new_interactions
        if rep.forgotten:
            event(log, logging.INFO, f"forgotten accounts wrote {rep.forgotten} time(s) (not stored)")
        if rep.new_interactions:
            event(
                log,
                logging.INFO,
                f"stream filed {rep.new_interactions} interaction(s)",
                cursor=cursor,
                new_people=rep.new_people,
            )
        if self.on_filed is not None:
            self.on_filed(rep)
        return rep.new_interactions

    def _with_profiles(self, items: list[InteractionData]) -> tuple[list[InteractionData], list[str]]:
        """Authors seen for the first time get their profile (handle, name, bio) before filing: one batched
        request for all of an event's new people, the same one the poller's profiles step would make. On failure
        they are filed by DID and the poller enriches them later."""
        if self.lookup is None:
            return items, []
        new = [
            did
            for did in dict.fromkeys(it.author.user_id for it in items)
            if not self.store.has_identity(NAME, did)
        ]
        profiles = {p.user_id: p for p in self.lookup(new)} if new else {}
        out = [
            replace(it, author=profiles[it.author.user_id]) if it.author.user_id in profiles else it
            for it in items
        ]
        return out, list(profiles)

    def flush(self) -> None:
        """Store the position of dropped events (nothing else moves)."""
        if self.pending is not None and self.pending != self.durable:
            self.store.ingest(NAME, (), self.pending, self.clock(), cursor_name=self.cursor_name)
            self.durable = self.pending
        self.pending, self.unflushed, self.flushed_at = None, 0, time.monotonic()

    @property
    def position(self) -> str | None:
        """Where the stream is (stored or not): the cursor to reconnect with while this process lives."""
        return self.pending if self.pending is not None else self.durable


# ---------------------------------------------------------------------------------------------- followers
def _error_name(e: BaseException) -> str:
    """The XRPC error name carried by an SDK subscription error (FutureCursor, ConsumerTooSlow, ...)."""
    for arg in getattr(e, "args", ()):
        name = getattr(arg, "error", None)
        if isinstance(name, str):
            return name
    return type(e).__name__


class Follower:
    """One live connection at a time, resumed from the sink's position; reconnects with backoff.

    `gap` is set when events may have been missed (no cursor yet, or the source rejected ours); `connected` is
    set once a connection is up, so the gap poll runs after the stream is already listening."""

    def __init__(self, mode: str, url: str, make_sink: Callable[[], Sink], stop: threading.Event) -> None:
        self.mode = mode
        self.url = url
        self.make_sink = make_sink
        self.stop_event = stop
        self.gap = threading.Event()
        self.connected = threading.Event()
        self.reconnects = 0
        self.error: BaseException | None = None
        self._client: Any = None
        self._sink: Sink | None = None
        self._ws: Any = None
        self._failed: BaseException | None = None
        self._lock = threading.Lock()

    # -- lifecycle
    def run(self) -> None:
        sink = self.make_sink()
        self._sink = sink
        if sink.durable is None:
            self.gap.set()  # never streamed before: whatever happened since the last poll is not covered
        backoff = 1.0
        try:
            while not self.stop_event.is_set():
                self._failed = None
                self.connected.clear()
                started = time.monotonic()
                try:
                    if self.mode == "firehose":
                        self._run_firehose(sink)
                    else:
                        self._run_jetstream(sink)
                except Exception as e:
                    name = _error_name(e)
                    if name in CURSOR_TOO_OLD:
                        event(
                            log, logging.WARNING, f"stream cursor rejected ({name}); going live", error=name
                        )
                        sink.durable = sink.pending = None
                        self.gap.set()
                        continue
                    self._failed = self._failed or e
                if self.stop_event.is_set():
                    break
                if self._failed is not None:
                    event(
                        log,
                        logging.WARNING,
                        f"stream connection lost ({self._failed}); reconnecting in {backoff:.0f} s",
                        error=str(self._failed),
                    )
                if time.monotonic() - started > 60:
                    backoff = 1.0
                self.reconnects += 1
                if self.stop_event.wait(backoff):
                    break
                backoff = min(backoff * 2, MAX_BACKOFF)
        finally:
            try:
                sink.flush()
            finally:
                sink.store.close()

    def close(self) -> None:
        """Ask the current connection to end (from any thread)."""
        with self._lock:
            client, ws = self._client, self._ws
        if client is not None:
            client.stop()
        if ws is not None:
            try:
                ws.close()
            except Exception:  # noqa: S110 - closing a socket that may already be gone
                pass

    # -- firehose (the SDK's client; it reconnects by itself on network errors, with our cursor)
    def _run_firehose(self, sink: Sink) -> None:
        client = _firehose_client(self.url, sink.position, self.connected.set)
        with self._lock:
            self._client = client

        def on_message(frame: Any) -> None:
            if self.stop_event.is_set():
                client.stop()
                return
            body = frame.body if isinstance(frame.body, dict) else {}
            kind = frame.header.t
            if kind == "#info":
                if body.get("name") == "OutdatedCursor":
                    event(log, logging.WARNING, "stream cursor outdated; closing the gap with a poll")
                    self.gap.set()
                return
            seq = body.get("seq")
            cursor = str(seq) if isinstance(seq, int) else None
            try:
                sink.take(firehose_candidates(kind, body, sink.me), cursor)
            except BaseException as e:
                self._failed = e  # nothing past this event is stored: reconnect from the stored cursor
                sink.pending = None
                client.stop()
                raise
            if cursor is not None:
                client.update_params({"cursor": int(cursor)})

        def on_error(e: BaseException) -> None:
            event(log, logging.ERROR, f"stream could not file an event: {e}", error=str(e))

        try:
            if self.stop_event.is_set():
                return
            client.start(on_message, on_error)
        finally:
            with self._lock:
                self._client = None

    # -- jetstream (plain JSON over a websocket; the cheap DID check runs on the raw text)
    def _run_jetstream(self, sink: Sink) -> None:
        from websockets.sync.client import connect

        params = f"?wantedCollections={POST}"
        cursor = sink.position
        if cursor is not None:
            age = datetime.now(UTC) - datetime.fromtimestamp(int(cursor) / 1e6, UTC)
            if age > JETSTREAM_RETENTION:
                self.gap.set()
            params += f"&cursor={int(cursor)}"
        with connect(self.url + params, max_size=2**23, close_timeout=0.5) as ws:
            with self._lock:
                self._ws = ws
            self.connected.set()
            try:
                for raw in ws:
                    if self.stop_event.is_set():
                        return
                    t, cands = jetstream_candidates(raw, sink.me)
                    try:
                        sink.take(cands, str(t) if t is not None else None)
                    except BaseException as e:
                        self._failed = e
                        sink.pending = None
                        raise
            finally:
                with self._lock:
                    self._ws = None
        if not self.stop_event.is_set():
            self._failed = BotError("the Jetstream server closed the connection")


def _firehose_client(url: str, cursor: str | None, on_connect: Callable[[], None]) -> Any:
    from atproto import FirehoseSubscribeReposClient

    class _Client(FirehoseSubscribeReposClient):  # type: ignore[misc]
        def _get_client(self) -> Any:  # the SDK dials here; the handshake is done when it returns
            conn = super()._get_client()
            on_connect()
            return conn

    params = {"cursor": int(cursor)} if cursor is not None else None
    # no receive timeout: an idle stream is normal; websocket pings detect a dead connection
    return _Client(params=params, base_uri=url, recv_timeout=None)


# ---------------------------------------------------------------------------------------------- entry point
def close_gap(settings: Settings, now: datetime) -> str:
    """One notifications poll of Bluesky (the existing poll path), for events the stream may have missed."""
    from bot.leads.corrections import analyser
    from bot.platforms.registry import build_platforms, owner_handles
    from bot.poll.fetch import poll_platform
    from bot.store.db import Store

    plats = build_platforms(settings, [NAME])
    if NAME not in plats:
        return "bluesky is not configured: no gap poll"
    store = Store.open(settings.db_path)
    store.keep_forgotten = settings.keep_forgotten_replies
    try:
        rep = poll_platform(store, NAME, plats[NAME], now, analyse=analyser(store, owner_handles(settings)))
    finally:
        store.close()
    forgotten = f", forgotten accounts wrote {rep.forgotten} time(s) (not stored)" if rep.forgotten else ""
    return f"gap poll: {rep.new_interactions} new interaction(s){forgotten}" + (
        f" ! {rep.error}" if rep.error else ""
    )


def run_stream(
    settings: Settings,
    stop: threading.Event,
    *,
    on_filed: OnFiled | None = None,
    clock: Clock = lambda: datetime.now(UTC),
) -> None:
    """Follow Bluesky until `stop` is set (the daemon runs this in a thread; `sqbot stream` in the foreground).

    Returns at once when SQBOT_BLUESKY_STREAM=off. Raises ConfigError / AuthError when it cannot start (bad
    mode, no Bluesky account, login refused); after that, connection trouble is retried with backoff."""
    mode = stream_mode(settings)
    if mode == "off":
        return
    if not settings.has_bluesky:
        raise ConfigError(
            "SQBOT_BLUESKY_STREAM is on but Bluesky is not configured; set SQBOT_BLUESKY_HANDLE and "
            "SQBOT_BLUESKY_APP_PASSWORD (or SQBOT_BLUESKY_STREAM=off)"
        )
    from bot.platforms.bluesky.adapter import BlueskyPlatform
    from bot.platforms.registry import owner_handles
    from bot.poll.fetch import make_analyser
    from bot.store.db import Store

    plat = BlueskyPlatform.from_settings(settings)
    me = plat.xrpc.did  # logs in once (the session file is shared with the poller)
    analyse = make_analyser(owner_handles(settings))

    def lookup(dids: list[str]) -> list[IdentityData]:
        try:
            return plat.profiles(dids)  # getProfiles takes 25 at a time
        except PlatformError:
            return []

    def make_sink() -> Sink:
        store = Store.open(settings.db_path)
        store.keep_forgotten = settings.keep_forgotten_replies  # a forgotten account: counted, or filed
        return Sink(
            store,
            mode,
            me,
            analyse=analyse,
            lookup=lookup,
            on_filed=on_filed,
            clock=clock,
            app_url=plat.app_url,
        )

    halt = threading.Event()  # ours: ending the stream never sets the caller's `stop`
    follower = Follower(mode, stream_url(settings, mode), make_sink, halt)
    worker = threading.Thread(target=follower.run, name="sqbot-stream-follower", daemon=True)
    worker.start()
    event(log, logging.INFO, f"stream following {mode} at {follower.url}", mode=mode)
    try:
        while not stop.wait(0.1):
            if not worker.is_alive():
                break
            if follower.gap.is_set() and follower.connected.is_set():
                follower.gap.clear()
                try:
                    event(log, logging.INFO, close_gap(settings, clock()))
                except BotError as e:
                    event(log, logging.ERROR, f"gap poll failed: {e}", error=str(e))
    finally:
        halt.set()
        follower.close()
        worker.join(timeout=10)


def follow_in_background(
    settings: Settings, stop: threading.Event, *, on_filed: OnFiled | None = None
) -> threading.Thread | None:
    """For the daemon: `run_stream` in a daemon thread until `stop` is set; None when the stream is off.

    A stream that cannot start (bad setting, login refused) is logged, never raised: polling carries on."""
    if stream_mode(settings) == "off":
        return None

    def target() -> None:
        try:
            run_stream(settings, stop, on_filed=on_filed)
        except BotError as e:
            event(log, logging.ERROR, f"the Bluesky stream stopped: {e}; polling continues", error=str(e))
        except Exception:
            log.exception("the Bluesky stream crashed; polling continues")

    thread = threading.Thread(target=target, name="sqbot-stream", daemon=True)
    thread.start()
    return thread
