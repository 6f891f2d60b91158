"""X (Twitter) through tweepy's v2 `Client`, post by post, metered and budgeted.

* tweepy hard-codes ``https://api.twitter.com`` and sets no HTTP timeout: a requests adapter mounted on the
  client's session gives every call a timeout and, when ``api_base`` differs, sends it to that host instead
  (a proxy or the local fake). ``wait_on_rate_limit`` is never used: a 429 becomes :class:`RateLimited`.
* Threads are chained with ``in_reply_to_tweet_id``; X has no idempotency key, so after a timeout, 5xx or
  403 duplicate the outcome is unknown (:class:`TransientError`) and :meth:`XPlatform.reconcile` reads our
  own timeline and matches normalised text + reply target. It never guesses.
* Polling is the mentions timeline (an owned read) with ``since_id``: one request when nothing is new. A flood
  bigger than one poll reads leaves a backlog in the cursor (``x/backlog.py``), read later, oldest stretch first.
* Every request is metered in :attr:`XPlatform.usage` at X's pay-per-use prices; a call that would exceed
  the budget is refused before it is made, priced by the most it can return, and a poll's pages shrink to fit
  what polling may spend (the limit less the reserve kept for posts); a poll the budget stops returns what it
  read (prices, the budget month and the check: ``x/metering.py``). Each
  usage row names the query it was spent for (publishing, and the share of a poll page whose posts belong to
  a query) or none ("polling (shared)").
* Images go up through X's v2 media endpoints (tweepy has none: ``client.request`` sends them through the same
  session, OAuth and error mapping): one-shot ``POST /2/media/upload`` (GIFs: initialize/append/finalize), alt
  text with ``POST /2/media/metadata``. Uploads happen in :meth:`XPlatform.prepare` (they are not posts, so
  redoing one is harmless) and the media ids travel in the intent; X forgets unused media after ~24 h, so
  :meth:`XPlatform.send` re-uploads expired ones (the text and reply chain stay the intent's).
* OAuth 1.0a keys by default; after ``sqbot login x``, an OAuth 2.0 user token (:class:`OAuth2Tokens`) is the
  client's bearer, refreshed before it expires. X's refresh tokens are single-use: the rotated pair is on disk
  (0600, atomic) before it is used, and a refused refresh is remembered as "run `sqbot login x`" (no retries).

tweepy is imported lazily (``sqbot --help`` must not import SDKs).

Around it, in this package: `spec` (X's facts), `text` (weighted length), `wire` (host, transport, problem
bodies), `oauth` (the OAuth 2.0 token pair), `media` (uploads), `tweets` (reading X's answers).
"""

from __future__ import annotations

import hashlib
import html
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bot.errors import AuthError, PlatformError, PublishError, RateLimited, TransientError
from bot.models import (
    FetchResult,
    IdentityData,
    Intent,
    InteractionData,
    InteractionKind,
    Mention,
    PostSpec,
    PublishedPost,
    Reconciled,
    WatchedPost,
)
from bot.platforms.base import OwnPost
from bot.platforms.textrules import text_with_link
from bot.platforms.x.backlog import Backlog
from bot.platforms.x.media import ALT_MAX, MediaUploads, image_bytes, media_type_of
from bot.platforms.x.meter import Meter, Usage
from bot.platforms.x.metering import (
    MENTION_ITEM,
    MENTIONS_PAGE_MIN,
    PRICE_OWNED_READ,
    PRICE_POST_CREATE,
    PRICE_POST_CREATE_URL,
    PRICE_USER_READ,
    SEARCH_ITEM,
    SEARCH_PAGE_MIN,
    BudgetWindow,
    page_size,
    poll_limit,
)
from bot.platforms.x.oauth import LOGIN_EXPIRED, OAuth2Tokens
from bot.platforms.x.spec import NAME, post_url
from bot.platforms.x.text import LIMIT, x_length
from bot.platforms.x.tweets import (
    URL,
    conversation_queries,
    identity,
    link_targets,
    newer,
    replied_to,
    served_hashes,
    text_hash,
)
from bot.platforms.x.wire import (
    TWEEPY_HOST,
    aware,
    install_transport,
    problem_body,
    problem_text,
    utcnow,
)
from bot.safety.secretfile import write_private

if TYPE_CHECKING:
    import tweepy

MAX_POST = LIMIT
PROFILE_BATCH = 100


TWEET_FIELDS = [
    "created_at",
    "conversation_id",
    "referenced_tweets",
    "entities",
    "in_reply_to_user_id",
    "author_id",
]
USER_FIELDS = ["description", "public_metrics", "created_at", "username", "name"]
ADOPT_PAGE = 100  # our newest posts read once before a first send, to find one a lost database forgot
RECONCILE_PAGES = 5  # our own timeline, 100 posts a page, since just before the intent was prepared
MENTION_PAGES = 8  # requests per poll of the mentions timeline (the rest waits in the backlog)
RECONCILE_SKEW = timedelta(minutes=5)
SEARCH_WINDOW = timedelta(days=7)  # recent search only covers the last 7 days


class XPlatform(MediaUploads, Meter):
    """The `Platform` adapter for X. `client` is a `tweepy.Client` (OAuth 1.0a user context, or an OAuth 2.0
    user token as bearer); its session is given timeouts (and the `api_base` redirect) here and its
    `return_type` is set to `dict`."""

    name = NAME
    resumes_threads = True  # `send` continues a thread after the posts in `intent.done`

    def __init__(
        self,
        client: tweepy.Client,
        *,
        api_base: str = TWEEPY_HOST,
        timeout: float = 10.0,
        user_id: str | None = None,
        now: Callable[[], datetime] = utcnow,
        budget_usd: float | None = None,
        spent_usd: float = 0.0,
        budget_window: BudgetWindow | None = None,
        poll_reserve_usd: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        oauth2: OAuth2Tokens | None = None,
        user_cache: Path | None = None,
    ) -> None:
        self.client = client
        self.user_cache = user_cache  # our user id, remembered per access token (saves GET /2/users/me)
        self.oauth2 = oauth2  # OAuth 2.0 user context: its access token is the client's bearer, per request
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout
        self.user_id = user_id
        self.now = now
        self.budget_usd = budget_usd
        self.spent_usd = spent_usd
        self.budget_window = (
            budget_window  # the month `spent_usd` was summed over; None: the month of `now()`
        )
        self.poll_budget = poll_limit(budget_usd, poll_reserve_usd)  # what polls may spend of the budget
        self.poll_stopped = False  # the last poll stopped for the budget (what it read is returned)
        self.usage: list[Usage] = []
        self.requests = 0
        self.current_query: str | None = None  # usage is attributed to it (set by prepare/send/reconcile)
        self.sleep = sleep
        self._fresh_media: dict[tuple[str, int], list[str]] = {}  # re-uploaded ids, per (query, post index)
        self._user_auth = oauth2 is None and bool(getattr(client, "consumer_key", None))
        self._users: dict[str, IdentityData] = {}
        self._billed: set[tuple[str, str, str]] = set()  # (kind, id, UTC day): X bills a resource once a day
        self._refused_duplicates: set[str] = set()  # text hashes X answered "duplicate content" for
        client.return_type = dict
        client.wait_on_rate_limit = False
        install_transport(client.session, self.api_base, timeout)

    @classmethod
    def from_settings(
        cls,
        *,
        api_key: str,
        api_secret: str,
        access_token: str,
        access_secret: str,
        api_base: str = TWEEPY_HOST,
        timeout: float = 10.0,
        user_id: str | None = None,
        budget_usd: float | None = None,
        spent_usd: float = 0.0,
        budget_window: BudgetWindow | None = None,
        poll_reserve_usd: float | None = None,
        now: Callable[[], datetime] = utcnow,
        user_cache: Path | None = None,
    ) -> XPlatform:
        """An adapter over a new OAuth 1.0a user-context client (plain values: the caller unwraps secrets)."""
        import tweepy

        client = tweepy.Client(
            consumer_key=api_key,
            consumer_secret=api_secret,
            access_token=access_token,
            access_token_secret=access_secret,
            wait_on_rate_limit=False,
        )
        return cls(
            client,
            api_base=api_base,
            timeout=timeout,
            user_id=user_id,
            now=now,
            budget_usd=budget_usd,
            spent_usd=spent_usd,
            budget_window=budget_window,
            poll_reserve_usd=poll_reserve_usd,
            user_cache=user_cache,
        )

    @classmethod
    def from_oauth2(
        cls,
        tokens: OAuth2Tokens,
        *,
        api_base: str = TWEEPY_HOST,
        timeout: float = 10.0,
        user_id: str | None = None,
        budget_usd: float | None = None,
        spent_usd: float = 0.0,
        budget_window: BudgetWindow | None = None,
        poll_reserve_usd: float | None = None,
        now: Callable[[], datetime] = utcnow,
    ) -> XPlatform:
        """An adapter over an OAuth 2.0 user-context client (`sqbot login x`): every request carries the
        current access token as its bearer (``user_auth=False``), refreshed by `tokens` before it expires."""
        import tweepy

        client = tweepy.Client(bearer_token=None, wait_on_rate_limit=False)
        return cls(
            client,
            api_base=api_base,
            timeout=timeout,
            user_id=user_id,
            now=now,
            budget_usd=budget_usd,
            spent_usd=spent_usd,
            budget_window=budget_window,
            poll_reserve_usd=poll_reserve_usd,
            oauth2=tokens,
        )

    # ------------------------------------------------------------------------------------------ posting
    def prepare(self, query_id: str, posts: Sequence[PostSpec], now: datetime) -> Intent:
        """Check every post, then upload its images (with alt text): the intent carries the media ids."""
        self.current_query = query_id
        if not posts:
            raise PublishError(f"x: query {query_id!r} has no posts to publish")
        texts: list[str] = []
        for i, spec in enumerate(posts, start=1):
            text = text_with_link(spec.text, spec.link).replace("\r\n", "\n")
            length = x_length(text)
            if length > MAX_POST:
                raise PublishError(
                    f"x: query {query_id!r} post {i} is {length} characters as X counts them "
                    f"(limit {MAX_POST}): shorten it or split it into another post of the thread"
                )
            if not text.strip() and not spec.images:
                raise PublishError(f"x: query {query_id!r} post {i} is empty: give it some text")
            if len(spec.images) > 4:
                raise PublishError(f"x: query {query_id!r} post {i} has {len(spec.images)} images; X takes 4")
            for image in spec.images:
                if len(image.alt) > ALT_MAX:
                    raise PublishError(
                        f"x: query {query_id!r} post {i}: the alt text of {image.path} is {len(image.alt)} "
                        f"characters (X takes {ALT_MAX}): shorten it"
                    )
                media_type_of(image.path, image_bytes(query_id, image))  # fail before any upload
            texts.append(text)
        try:
            media = [[self._upload(query_id, image) for image in spec.images] for spec in posts]
        except TransientError as err:
            # nothing was posted; an unfinished upload is simply redone, a little later
            retry_at = self.now().astimezone(UTC) + timedelta(minutes=5)
            raise RateLimited(
                NAME,
                f"{str(err).removeprefix('x: ')} (image upload; retried after {retry_at:%H:%M} UTC)",
                retry_at,
            ) from err
        payload: dict[str, Any] = {
            "texts": texts,
            "hashes": [text_hash(t) for t in texts],
            "has_url": [bool(URL.search(t)) for t in texts],
            "prepared_at": now.astimezone(UTC).isoformat(),
        }
        if any(media):
            payload["media"] = media
        if posts[0].reply_to:  # a follow-up: the first post answers someone else's tweet
            payload["reply_to"] = str(posts[0].reply_to)
        return Intent(query_id=query_id, platform=NAME, payload=payload)

    def send(self, intent: Intent, on_posted: Callable[[PublishedPost], None]) -> tuple[PublishedPost, ...]:
        texts: list[str] = list(intent.payload["texts"])
        has_url: list[bool] = list(intent.payload.get("has_url", [False] * len(texts)))
        done = sorted(intent.done, key=lambda p: p.index)
        if [p.index for p in done] != list(range(len(done))):
            raise PublishError(
                f"x: query {intent.query_id!r}: the proved posts {[p.index for p in done]} are not a thread "
                "prefix; mark it for review instead of continuing the chain"
            )
        self.current_query = intent.query_id
        published = list(done)
        parent = done[-1].platform_id if done else intent.payload.get("reply_to")
        for index in range(len(done), len(texts)):
            price = PRICE_POST_CREATE_URL if has_url[index] else PRICE_POST_CREATE
            self._check_budget("POST /2/tweets", price)
            media_ids = self._media_ids(intent, index)
            try:
                answer = self._create(texts[index], parent, media_ids)
            except TransientError as err:
                if "duplicate content" in str(err):
                    self._refused_duplicates.add(text_hash(texts[index]))
                raise
            except PlatformError as err:
                if not media_ids or "media" not in str(err).lower():
                    raise
                # X refused the media ids (expired early, or purged): nothing was posted, so upload again once
                media_ids = self._media_ids(intent, index, force=True)
                answer = self._create(texts[index], parent, media_ids)
            self._meter("POST /2/tweets", 1, price)
            tweet_id = str(answer["data"]["id"])
            post = PublishedPost(index=index, platform_id=tweet_id, url=post_url(tweet_id))
            on_posted(post)
            published.append(post)
            parent = tweet_id
        return tuple(published)

    def _create(self, text: str, parent: str | None, media_ids: list[str]) -> dict[str, Any]:
        with self._errors("POST /2/tweets", write=True):
            answer = self.client.create_tweet(
                text=text if text or not media_ids else None,
                in_reply_to_tweet_id=parent,
                media_ids=media_ids or None,
                user_auth=self._user_auth,
            )
        return cast(dict[str, Any], answer)

    def reconcile(self, intent: Intent) -> Reconciled:
        self.current_query = intent.query_id
        hashes: list[str] = list(intent.payload["hashes"])
        with_media = [bool(m) for m in intent.payload.get("media") or [[]] * len(hashes)]
        since = aware(intent.payload.get("prepared_at"))
        start_time = since - RECONCILE_SKEW if since else None
        timeline = self._own_posts(start_time)
        proved = sorted(intent.done, key=lambda p: p.index)
        parent = proved[-1].platform_id if proved else intent.payload.get("reply_to")
        for index in range(len(proved), len(hashes)):
            candidates = [
                t
                for t in timeline
                if hashes[index] in served_hashes(t["text"], with_media[index]) and replied_to(t) == parent
            ]
            if len(candidates) > 1:
                ids = ", ".join(sorted(str(t["id"]) for t in candidates))
                return Reconciled(
                    "unknown",
                    tuple(proved),
                    f"post {index + 1} appears {len(candidates)} times on X ({ids}): check by hand which "
                    "one the thread should continue from",
                )
            if not candidates and hashes[index] in self._refused_duplicates:
                return Reconciled(
                    "unknown",
                    tuple(proved),
                    f"X refused post {index + 1} as duplicate content, but no copy of it is in this thread "
                    "(an older post has the same text): reword it in the queue, then requeue",
                )
            if not candidates:
                if index == 0:
                    return Reconciled("absent", (), "no post of this thread is on our X timeline")
                return Reconciled(
                    "absent",
                    tuple(proved),
                    f"posts 1-{index} are on X, post {index + 1} is not: resume the thread there",
                )
            tweet_id = str(candidates[0]["id"])
            proved.append(PublishedPost(index=index, platform_id=tweet_id, url=post_url(tweet_id)))
            parent = tweet_id
        return Reconciled("posted", tuple(proved), "every post of the thread is on X")

    def _own_posts(self, start_time: datetime | None) -> list[dict[str, Any]]:
        user_id = self.me()
        tweets: list[dict[str, Any]] = []
        token: str | None = None
        for _ in range(RECONCILE_PAGES):
            params: dict[str, Any] = {
                "max_results": self._fitted_page("GET /2/users/:id/tweets", PRICE_OWNED_READ, 100),
                "tweet_fields": ["created_at", "referenced_tweets", "conversation_id"],
                "user_auth": self._user_auth,
            }
            if start_time is not None:
                params["start_time"] = start_time
            if token:
                params["pagination_token"] = token
            with self._errors("GET /2/users/:id/tweets"):
                answer = self.client.get_users_tweets(user_id, **params)
            page = list(answer.get("data") or [])
            self._meter_reads("GET /2/users/:id/tweets", page, [], owned=True)
            tweets.extend(page)
            token = (answer.get("meta") or {}).get("next_token")
            if not token:
                return tweets
        raise TransientError(
            NAME,
            f"our X timeline since {start_time} has more than {RECONCILE_PAGES * 100} posts; "
            "reconcile this thread by hand",
        )

    def recent_own_posts(self, newer_than: str | None = None) -> list[OwnPost]:
        """One page (the newest `ADOPT_PAGE`) of our own timeline, replies included, for `bot.publish.outbox` to find
        a query a lost database forgot; only posts after `newer_than` (`since_id`: the newest post the database
        knows), so a healthy database pays for a few reads, not a page. Metered (owned reads) and checked against
        the budget like every read; billed as shared spend, not to a query."""
        self.current_query = None
        user_id = self.me()
        size = self._fitted_page("GET /2/users/:id/tweets", PRICE_OWNED_READ, ADOPT_PAGE)
        since = {"since_id": newer_than} if newer_than and newer_than.isdigit() else {}
        with self._errors("GET /2/users/:id/tweets"):
            answer = self.client.get_users_tweets(
                user_id,
                max_results=size,
                tweet_fields=[
                    "created_at",
                    "referenced_tweets",
                    "conversation_id",
                    "entities",
                    "attachments",
                ],
                user_auth=self._user_auth,
                **since,
            )
        page = list(answer.get("data") or [])
        self._meter_reads("GET /2/users/:id/tweets", page, [], owned=True)
        return [
            OwnPost(
                platform_id=str(t["id"]),
                text=html.unescape(str(t.get("text") or "")),
                reply_to=replied_to(t),
                url=post_url(str(t["id"])),
                created_at=aware(t.get("created_at")),
                links=link_targets(t),
                media=len((t.get("attachments") or {}).get("media_keys") or []),
            )
            for t in page
        ]

    # ------------------------------------------------------------------------------------------ polling
    def me(self) -> str:
        """Our X user id (looked up once with GET /2/users/me unless given to the constructor)."""
        key = self._user_cache_key()
        if self.user_id is None and key is not None and self.user_cache is not None:
            try:
                cached = json.loads(self.user_cache.read_text("utf-8"))
            except (OSError, ValueError):
                cached = {}
            if isinstance(cached, dict) and cached.get("key") == key and str(cached.get("id", "")).isdigit():
                self.user_id = str(cached["id"])
                # X bills a resource once a UTC day: our user, read that day, costs nothing more today
                self._billed.add(("user", self.user_id, str(cached.get("read_on"))))
        if self.user_id is None:
            self._check_budget("GET /2/users/me", PRICE_USER_READ)
            with self._errors("GET /2/users/me"):
                answer = self.client.get_me(user_auth=self._user_auth)
            self._meter_reads("GET /2/users/me", [], [answer["data"]], owned=False)
            self.user_id = str(answer["data"]["id"])
            self._users[self.user_id] = identity(answer["data"])
            if key is not None and self.user_cache is not None:
                try:
                    read_on = self.now().astimezone(UTC).date().isoformat()
                    write_private(self.user_cache, {"key": key, "id": self.user_id, "read_on": read_on})
                except OSError:
                    pass  # only a saving: the next run looks the id up again
        return self.user_id

    def _user_cache_key(self) -> str | None:
        """Which login a remembered user id belongs to: a hash of the API host and the OAuth 1.0a access token
        (never the token itself). None for OAuth 2.0, whose tokens rotate: the id is looked up per run."""
        token = getattr(self.client, "access_token", None) if self.oauth2 is None else None
        if not token:
            return None
        return hashlib.sha256(f"{self.api_base}|{token}".encode()).hexdigest()

    def fetch(self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime) -> FetchResult:
        """New mentions, and the backlog first (oldest stretch first, `x/backlog.py`). Each page is priced by
        the most it can return and shrunk to what polling may still spend; when not even X's smallest page
        fits, the poll stops and returns what it read, with the cursor over exactly that."""
        self.current_query = None
        self.poll_stopped = False
        user_id = self.me()
        ours = {w.platform_id for w in watched}
        queries = {w.platform_id: w.query_id for w in watched}
        before = self.requests
        found: list[InteractionData] = []
        backlog = Backlog.parse(cursor)
        head_read = False  # new mentions past the head were read in this poll
        for _ in range(MENTION_PAGES):
            head = not backlog.waiting
            since, until = backlog.window()
            size = self._poll_page(MENTION_ITEM, MENTIONS_PAGE_MIN)
            if not size:
                break
            window_params: dict[str, Any] = {"since_id": str(since)} if since else {}
            if until:
                window_params["until_id"] = str(until)
            tweets, meta = self._page(
                "GET /2/users/:id/mentions",
                lambda **params: self.client.get_users_mentions(user_id, **params),
                size,
                window_params,
                owned=True,
                queries=queries,
            )
            more = bool(meta.get("next_token"))
            # skip our own posts that mention us (a thread mentioning ourselves)
            found.extend(self._interaction(t, ours) for t in tweets if str(t.get("author_id")) != user_id)
            oldest = min(tweets, key=lambda t: int(t["id"])) if tweets else None
            backlog = backlog.after_page(
                [int(t["id"]) for t in tweets], more, aware(oldest.get("created_at")) if oldest else None
            )
            head_read = head_read or head
            if (more and not tweets) or (head_read and not backlog.waiting):
                break
        return FetchResult(
            interactions=tuple(found), cursor=backlog.text() or cursor, requests=self.requests - before
        )

    def _page(
        self,
        endpoint: str,
        call: Callable[..., Any],
        size: int,
        extra: dict[str, Any],
        *,
        owned: bool,
        queries: dict[str, str],
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """One page of a timeline (`size` posts at most, their authors expanded), metered, the authors cached;
        and the page's `meta` (`next_token` when X has more in that window)."""
        params: dict[str, Any] = {
            "max_results": size,
            "expansions": ["author_id"],
            "tweet_fields": TWEET_FIELDS,
            "user_fields": USER_FIELDS,
            "user_auth": self._user_auth,
            **extra,
        }
        with self._errors(endpoint):
            answer = call(**params)
        tweets = list(answer.get("data") or [])
        users = list((answer.get("includes") or {}).get("users") or [])
        self._meter_reads(endpoint, tweets, users, owned=owned, queries=queries)
        for user in users:
            self._users[str(user["id"])] = identity(user)
        return tweets, dict(answer.get("meta") or {})

    def fetch_conversations(
        self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime
    ) -> FetchResult:
        """Replies in our threads that do not mention us (the mentions timeline misses those): recent search
        `conversation_id:` for threads still inside X's 7-day search window, several OR-ed into one query
        (<= 512 chars). Post reads cost $0.005 each (5x an owned read): call it on a slow cadence, with its
        own cursor (the newest id it returned)."""
        self.current_query = None
        self.poll_stopped = False
        roots = sorted({w.platform_id for w in watched if w.index == 0 and now - w.posted_at < SEARCH_WINDOW})
        ours = {w.platform_id for w in watched}
        queries = {w.platform_id: w.query_id for w in watched}
        user_id = self.me()
        before = self.requests
        found: list[InteractionData] = []
        newest = cursor
        for query in conversation_queries(roots):
            pages = self._pages(
                "GET /2/tweets/search/recent",
                lambda q=query, **params: self.client.search_recent_tweets(q, **params),
                cursor=cursor,
                queries=queries,
            )
            for tweets, page_newest in pages:
                found.extend(self._interaction(t, ours) for t in tweets if str(t.get("author_id")) != user_id)
                newest = newer(newest, page_newest)
        # stopped by the budget before the end: the cursor stays (what was read is filed; the rest is read again)
        return FetchResult(
            interactions=tuple(found),
            cursor=cursor if self.poll_stopped else newest,
            requests=self.requests - before,
        )

    def _pages(
        self, endpoint: str, call: Callable[..., Any], *, cursor: str | None, queries: dict[str, str]
    ) -> Iterator[tuple[list[dict[str, Any]], str | None]]:
        """Search results page by page (at most MENTION_PAGES) since `cursor`, each page shrunk to what polling
        may still pay for: each page's posts and the page's newest id."""
        token: str | None = None
        for _ in range(MENTION_PAGES):
            size = self._poll_page(SEARCH_ITEM, SEARCH_PAGE_MIN)
            if not size:
                return
            extra: dict[str, Any] = {"since_id": cursor} if cursor else {}
            if token:
                extra["next_token"] = token
            tweets, meta = self._page(endpoint, call, size, extra, owned=False, queries=queries)
            yield tweets, meta.get("newest_id")
            token = meta.get("next_token")
            if not token:
                break

    def _interaction(self, tweet: dict[str, Any], ours: set[str]) -> InteractionData:
        refs = {str(r["type"]): str(r["id"]) for r in tweet.get("referenced_tweets") or []}
        conversation = str(tweet.get("conversation_id") or "")
        kind: InteractionKind = "mention"
        root: str | None = None
        parent = refs.get("replied_to")
        if parent is not None and (conversation in ours or parent in ours):
            kind, root = "reply", conversation if conversation in ours else parent
        elif "quoted" in refs:
            kind, parent = "quote", refs["quoted"]
            root = parent if parent in ours else None
        author_id = str(tweet.get("author_id") or "")
        author = self._users.get(author_id) or IdentityData(platform=NAME, user_id=author_id)
        mentions = tuple(
            Mention(
                handle=str(m.get("username")), user_id=str(m["id"]) if m.get("id") else None, platform=NAME
            )
            for m in (tweet.get("entities") or {}).get("mentions") or []
        )
        created = aware(tweet.get("created_at")) or self.now()
        return InteractionData(
            platform=NAME,
            platform_id=str(tweet["id"]),
            kind=kind,
            author=author,
            text=html.unescape(str(tweet.get("text") or "")),
            created_at=created,
            root_id=root,
            parent_id=parent,
            url=post_url(str(tweet["id"])),
            mentions=mentions,
        )

    def profiles(self, user_ids: Sequence[str]) -> list[IdentityData]:
        """Profiles for these ids; accounts already seen (e.g. expanded in the mentions timeline) are not
        read again."""
        self.current_query = None
        wanted = list(dict.fromkeys(str(u) for u in user_ids))
        missing = [u for u in wanted if u not in self._users]
        for start in range(0, len(missing), PROFILE_BATCH):
            batch = missing[start : start + PROFILE_BATCH]
            # polling's share only; what does not fit is read by a later poll (the profile stays missing)
            batch = batch[
                : page_size(
                    PRICE_USER_READ,
                    spent=self.spent_usd,
                    limit=self.poll_budget,
                    largest=len(batch),
                    smallest=1,
                )
            ]
            if not batch:
                self.poll_stopped = True
                break
            with self._errors("GET /2/users"):
                answer = self.client.get_users(ids=batch, user_fields=USER_FIELDS, user_auth=self._user_auth)
            users = list(answer.get("data") or [])
            self._meter_reads("GET /2/users", [], users, owned=False)
            for user in users:
                self._users[str(user["id"])] = identity(user)
        return [self._users[u] for u in wanted if u in self._users]

    # ------------------------------------------------------------------------------------------ errors
    @contextmanager
    def _errors(self, endpoint: str, *, write: bool = False) -> Iterator[None]:
        """Translate tweepy / requests errors for one call into sqbot's error tree."""
        import requests
        import tweepy

        if self.oauth2 is not None:
            self.client.bearer_token = self.oauth2.access_token()  # may refresh (persisted first) or raise
        self.requests += 1
        unknown = "the outcome is unknown: reconcile before retrying" if write else "try again later"
        try:
            yield
        except requests.Timeout as err:
            raise TransientError(NAME, f"{endpoint} timed out after {self.timeout:g}s; {unknown}") from err
        except requests.ConnectionError as err:
            raise TransientError(NAME, f"{endpoint}: cannot reach {self.api_base}; {unknown}") from err
        except tweepy.TooManyRequests as err:
            body = problem_body(err.response)
            if body.get("title") == "UsageCapExceeded" or "usage-capped" in str(body.get("type", "")):
                raise RateLimited(
                    NAME,
                    f"X usage cap exceeded ({body.get('period', '?')} cap, {body.get('scope', '?')} "
                    "scope): X calls stop until the cap resets or the plan is raised; waiting for the rate "
                    "window will not help",
                    retry_at=None,
                ) from err
            reset = err.response.headers.get("x-rate-limit-reset")
            retry_at = (
                datetime.fromtimestamp(int(reset), UTC)
                if reset and reset.isdigit()
                else self.now().astimezone(UTC) + timedelta(minutes=15)
            )
            raise RateLimited(
                NAME, f"rate limited on {endpoint}: X answers again after {retry_at:%H:%M:%S} UTC", retry_at
            ) from err
        except tweepy.Unauthorized as err:
            if self.oauth2 is not None:
                raise AuthError(
                    NAME, f"X rejected the OAuth 2.0 access token (401): {LOGIN_EXPIRED}"
                ) from err
            raise AuthError(
                NAME,
                "X rejected the credentials (401): check SQBOT_X_API_KEY, SQBOT_X_API_SECRET, "
                "SQBOT_X_ACCESS_TOKEN and SQBOT_X_ACCESS_SECRET (or run `sqbot login x`)",
            ) from err
        except tweepy.Forbidden as err:
            detail = problem_text(err.response)
            if "duplicate" in detail.lower():
                raise TransientError(
                    NAME,
                    f"{endpoint}: X refused duplicate content ({detail}); an earlier attempt may have "
                    "posted it: reconcile, never alter the text",
                ) from err
            raise PlatformError(NAME, f"{endpoint} forbidden (403): {detail}") from err
        except tweepy.TwitterServerError as err:
            status = err.response.status_code
            raise TransientError(NAME, f"{endpoint}: X server error {status}; {unknown}") from err
        except tweepy.HTTPException as err:
            status = err.response.status_code
            raise PlatformError(NAME, f"{endpoint} failed ({status}): {problem_text(err.response)}") from err
