"""X (Twitter) through tweepy's v2 `Client`, post by post, metered and budgeted.

* tweepy hard-codes ``https://api.twitter.com`` and sets no HTTP timeout: a requests adapter mounted on the
  client's session gives every call a timeout and, when ``api_base`` differs, sends it to that host instead
  (a proxy or the local fake). ``wait_on_rate_limit`` is never used: a 429 becomes :class:`RateLimited`.
* Threads are chained with ``in_reply_to_tweet_id``; X has no idempotency key, so after a timeout, 5xx or
  403 duplicate the outcome is unknown (:class:`TransientError`) and :meth:`XPlatform.reconcile` reads our
  own timeline and matches normalised text + reply target. It never guesses.
* Polling is the mentions timeline (an owned read) with ``since_id``: one request when nothing is new.
* Every request is metered in :attr:`XPlatform.usage` at X's pay-per-use prices; a call that would exceed
  the budget is refused before it is made. Each usage row names the query it was spent for (publishing, and
  the share of a poll page whose posts belong to a query) or none ("polling (shared)").
* Images go up through X's v2 media endpoints (tweepy has none: ``client.request`` sends them through the same
  session, OAuth and error mapping): one-shot ``POST /2/media/upload`` (GIFs: initialize/append/finalize), alt
  text with ``POST /2/media/metadata``. Uploads happen in :meth:`XPlatform.prepare` (they are not posts, so
  redoing one is harmless) and the media ids travel in the intent; X forgets unused media after ~24 h, so
  :meth:`XPlatform.send` re-uploads expired ones (the text and reply chain stay the intent's).

tweepy is imported lazily (``sqbot --help`` must not import SDKs).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from bot.errors import AuthError, PlatformError, PublishError, RateLimited, TransientError
from bot.models import (
    FetchResult,
    IdentityData,
    Image,
    Intent,
    InteractionData,
    InteractionKind,
    Mention,
    PostSpec,
    PublishedPost,
    Reconciled,
    WatchedPost,
)
from bot.textrules import LIMITS, text_with_link, x_length

if TYPE_CHECKING:
    import tweepy

NAME = "x"
TWEEPY_HOST = "https://api.twitter.com"
MAX_POST = LIMITS["x"]
PROFILE_BATCH = 100

# Pay-per-use prices, USD per resource (X docs, 2026).
PRICE_POST_READ = 0.005
PRICE_USER_READ = 0.010
PRICE_OWNED_READ = 0.001
PRICE_POST_CREATE = 0.015
PRICE_POST_CREATE_URL = 0.20

TWEET_FIELDS = [
    "created_at",
    "conversation_id",
    "referenced_tweets",
    "entities",
    "in_reply_to_user_id",
    "author_id",
]
USER_FIELDS = ["description", "public_metrics", "created_at", "username", "name"]
RECONCILE_PAGES = 5  # our own timeline, 100 posts a page, since just before the intent was prepared
MENTION_PAGES = 8  # the mentions timeline covers the 800 most recent
RECONCILE_SKEW = timedelta(minutes=5)
SEARCH_WINDOW = timedelta(days=7)  # recent search only covers the last 7 days
SEARCH_QUERY_MAX = 512
MEDIA_EXPIRY = timedelta(hours=24)  # X's default when the upload answer gives no expires_after_secs
MEDIA_EXPIRY_MARGIN = timedelta(minutes=30)  # re-upload a little before X forgets the media
ALT_MAX = 1000
MEDIA_CHUNK = 1_000_000
MEDIA_TYPES = {  # magic bytes -> (media_type, media_category); X's one-shot upload takes images but not GIFs
    b"\x89PNG": ("image/png", "tweet_image"),
    b"\xff\xd8\xff": ("image/jpeg", "tweet_image"),
    b"GIF8": ("image/gif", "tweet_gif"),
    b"BM": ("image/bmp", "tweet_image"),
    b"II*\x00": ("image/tiff", "tweet_image"),
    b"MM\x00*": ("image/tiff", "tweet_image"),
}
MEDIA_POLLS = 10  # status checks while X processes a GIF

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_MEDIA_LINK = re.compile(r"\s*https://t\.co/\S+\s*$")


@dataclass(frozen=True)
class Usage:
    """One metered API request: what it read or wrote and what X bills for it."""

    endpoint: str
    resources: int
    usd: float
    at: datetime
    query_id: str | None = None  # the query this was spent for; None = shared (a poll page of nobody's posts)


def normalise_text(text: str) -> str:
    """The form in which a post's text is compared with what X returns: X HTML-escapes `&<>`, rewrites every
    URL to a t.co link and may fold CRLF, so those are neutralised; whitespace is collapsed."""
    text = html.unescape(text).replace("\r\n", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _URL.sub("<url>", text)
    return _SPACE.sub(" ", text).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def post_url(tweet_id: str) -> str:
    return f"https://x.com/i/web/status/{tweet_id}"


def _aware(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class XPlatform:
    """The `Platform` adapter for X. `client` is a `tweepy.Client` (OAuth 1.0a user context, or an OAuth 2.0
    user token as bearer); its session is given timeouts (and the `api_base` redirect) here and its
    `return_type` is set to `dict`."""

    name = NAME

    def __init__(
        self,
        client: tweepy.Client,
        *,
        api_base: str = TWEEPY_HOST,
        timeout: float = 10.0,
        user_id: str | None = None,
        now: Callable[[], datetime] = _utcnow,
        budget_usd: float | None = None,
        spent_usd: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout
        self.user_id = user_id
        self.now = now
        self.budget_usd = budget_usd
        self.spent_usd = spent_usd
        self.usage: list[Usage] = []
        self.requests = 0
        self.current_query: str | None = None  # usage is attributed to it (set by prepare/send/reconcile)
        self.sleep = sleep
        self._fresh_media: dict[tuple[str, int], list[str]] = {}  # re-uploaded ids, per (query, post index)
        self._user_auth = bool(getattr(client, "consumer_key", None))
        self._users: dict[str, IdentityData] = {}
        self._billed: set[tuple[str, str, str]] = set()  # (kind, id, UTC day): X bills a resource once a day
        self._refused_duplicates: set[str] = set()  # text hashes X answered "duplicate content" for
        client.return_type = dict
        client.wait_on_rate_limit = False
        _install_transport(client.session, self.api_base, timeout)

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
        now: Callable[[], datetime] = _utcnow,
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
                _media_type(image.path, _image_bytes(query_id, image))  # fail before any upload
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
            "has_url": [bool(_URL.search(t)) for t in texts],
            "prepared_at": now.astimezone(UTC).isoformat(),
        }
        if any(media):
            payload["media"] = media
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
        parent = done[-1].platform_id if done else None
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

    # ------------------------------------------------------------------------------------------ media
    def _media_ids(self, intent: Intent, index: int, *, force: bool = False) -> list[str]:
        """The media ids for post `index`: the intent's, unless X has forgotten them (expired), in which case
        the same files go up again (the text, hash and reply target are untouched)."""
        items: list[dict[str, Any]] = list((intent.payload.get("media") or [[]] * (index + 1))[index] or [])
        if not items:
            return []
        key = (intent.query_id, index)
        if not force and key in self._fresh_media:
            return self._fresh_media[key]
        soon = self.now().astimezone(UTC) + MEDIA_EXPIRY_MARGIN
        if not force and all((_aware(str(m.get("expires_at") or "")) or soon) > soon for m in items):
            return [str(m["id"]) for m in items]
        ids = [
            self._upload(intent.query_id, Image(str(m["path"]), str(m["alt"]), str(m["path"])))["id"]
            for m in items
        ]
        self._fresh_media[key] = [str(i) for i in ids]
        return self._fresh_media[key]

    def _upload(self, query_id: str, image: Image) -> dict[str, Any]:
        """Upload one image and set its alt text; returns the intent's record of it."""
        data = _image_bytes(query_id, image)
        media_type, category = _media_type(image.path, data)
        if category == "tweet_gif":
            answer = self._upload_chunked(data, media_type, category)
        else:
            body = {
                "media": base64.b64encode(data).decode("ascii"),
                "media_category": category,
                "media_type": media_type,
            }
            answer = self._media_call("POST", "/2/media/upload", body)
        info = answer.get("data") or {}
        media_id = str(info.get("id") or "")
        if not media_id:
            raise TransientError(NAME, f"X accepted {image.path} but gave no media id; try again later")
        state = (info.get("processing_info") or {}).get("state")
        polls = 0
        while state in ("pending", "in_progress") and polls < MEDIA_POLLS:
            self.sleep(float((info.get("processing_info") or {}).get("check_after_secs") or 1))
            polls += 1
            status = self._media_call(
                "GET", "/2/media/upload", None, {"media_id": media_id, "command": "STATUS"}
            )
            info = status.get("data") or {}
            state = (info.get("processing_info") or {}).get("state")
        if state == "failed":
            raise PublishError(f"x: X could not process {image.path}: convert it to PNG or JPEG and requeue")
        if state in ("pending", "in_progress"):
            raise TransientError(NAME, f"X is still processing {image.path}; try again later")
        if image.alt:
            meta = {"id": media_id, "metadata": {"alt_text": {"text": image.alt}}}
            self._media_call("POST", "/2/media/metadata", meta)
        expires = info.get("expires_after_secs")
        life = timedelta(seconds=int(expires)) if isinstance(expires, int) and expires > 0 else MEDIA_EXPIRY
        return {
            "id": media_id,
            "path": image.resolved or image.path,
            "alt": image.alt,
            "expires_at": (self.now().astimezone(UTC) + life).isoformat(),
        }

    def _upload_chunked(self, data: bytes, media_type: str, category: str) -> dict[str, Any]:
        init = {"media_type": media_type, "media_category": category, "total_bytes": len(data)}
        answer = self._media_call("POST", "/2/media/upload/initialize", init)
        media_id = str((answer.get("data") or {}).get("id") or "")
        if not media_id:
            raise TransientError(NAME, "X started a media upload but gave no media id; try again later")
        for segment, start in enumerate(range(0, len(data), MEDIA_CHUNK)):
            chunk = base64.b64encode(data[start : start + MEDIA_CHUNK]).decode("ascii")
            self._media_call(
                "POST", f"/2/media/upload/{media_id}/append", {"media": chunk, "segment_index": segment}
            )
        return self._media_call("POST", f"/2/media/upload/{media_id}/finalize", None)

    def _media_call(
        self, method: str, route: str, body: dict[str, Any] | None, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """One media request through tweepy's session (same auth, timeout, host and error mapping)."""
        endpoint = f"{method} " + re.sub(r"/upload/\d+/", "/upload/:id/", route)
        with self._errors(endpoint):
            response = self.client.request(method, route, params=params, json=body, user_auth=self._user_auth)
        self._meter(endpoint, 1, 0.0)  # media uploads are not billed per resource
        answer = response.json() if response.content else {}
        return cast(dict[str, Any], answer) if isinstance(answer, dict) else {}

    def reconcile(self, intent: Intent) -> Reconciled:
        self.current_query = intent.query_id
        hashes: list[str] = list(intent.payload["hashes"])
        with_media = [bool(m) for m in intent.payload.get("media") or [[]] * len(hashes)]
        since = _aware(intent.payload.get("prepared_at"))
        start_time = since - RECONCILE_SKEW if since else None
        timeline = self._own_posts(start_time)
        proved = sorted(intent.done, key=lambda p: p.index)
        parent = proved[-1].platform_id if proved else None
        for index in range(len(proved), len(hashes)):
            candidates = [
                t
                for t in timeline
                if hashes[index] in _served_hashes(t["text"], with_media[index]) and _replied_to(t) == parent
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
            self._check_budget("GET /2/users/:id/tweets", PRICE_OWNED_READ)
            params: dict[str, Any] = {
                "max_results": 100,
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

    # ------------------------------------------------------------------------------------------ polling
    def me(self) -> str:
        """Our X user id (looked up once with GET /2/users/me unless given to the constructor)."""
        if self.user_id is None:
            self._check_budget("GET /2/users/me", PRICE_USER_READ)
            with self._errors("GET /2/users/me"):
                answer = self.client.get_me(user_auth=self._user_auth)
            self._meter_reads("GET /2/users/me", [], [answer["data"]], owned=False)
            self.user_id = str(answer["data"]["id"])
            self._users[self.user_id] = _identity(answer["data"])
        return self.user_id

    def fetch(self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime) -> FetchResult:
        self.current_query = None
        user_id = self.me()
        ours = {w.platform_id for w in watched}
        queries = {w.platform_id: w.query_id for w in watched}
        before = self.requests
        found: list[InteractionData] = []
        newest = cursor
        token: str | None = None
        for _ in range(MENTION_PAGES):
            self._check_budget("GET /2/users/:id/mentions", PRICE_OWNED_READ)
            params: dict[str, Any] = {
                "max_results": 100,
                "expansions": ["author_id"],
                "tweet_fields": TWEET_FIELDS,
                "user_fields": USER_FIELDS,
                "user_auth": self._user_auth,
            }
            if cursor:
                params["since_id"] = cursor
            if token:
                params["pagination_token"] = token
            with self._errors("GET /2/users/:id/mentions"):
                answer = self.client.get_users_mentions(user_id, **params)
            tweets = list(answer.get("data") or [])
            users = list((answer.get("includes") or {}).get("users") or [])
            self._meter_reads("GET /2/users/:id/mentions", tweets, users, owned=True, queries=queries)
            for user in users:
                self._users[str(user["id"])] = _identity(user)
            for tweet in tweets:
                if str(tweet.get("author_id")) == user_id:
                    continue  # our own posts that mention us (a thread mentioning ourselves)
                found.append(self._interaction(tweet, ours))
            meta = answer.get("meta") or {}
            page_newest = meta.get("newest_id")
            if page_newest and (newest is None or int(page_newest) > int(newest)):
                newest = str(page_newest)
            token = meta.get("next_token")
            if not token:
                break
        return FetchResult(interactions=tuple(found), cursor=newest, requests=self.requests - before)

    def fetch_conversations(
        self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime
    ) -> FetchResult:
        """Replies in our threads that do not mention us (the mentions timeline misses those): recent search
        `conversation_id:` for threads still inside X's 7-day search window, several OR-ed into one query
        (<= 512 chars). Post reads cost $0.005 each (5x an owned read): call it on a slow cadence, with its
        own cursor (the newest id it returned)."""
        self.current_query = None
        roots = sorted({w.platform_id for w in watched if w.index == 0 and now - w.posted_at < SEARCH_WINDOW})
        ours = {w.platform_id for w in watched}
        queries = {w.platform_id: w.query_id for w in watched}
        user_id = self.me()
        before = self.requests
        found: list[InteractionData] = []
        newest = cursor
        for query in conversation_queries(roots):
            token: str | None = None
            for _ in range(MENTION_PAGES):
                self._check_budget("GET /2/tweets/search/recent", PRICE_POST_READ)
                params: dict[str, Any] = {
                    "max_results": 100,
                    "expansions": ["author_id"],
                    "tweet_fields": TWEET_FIELDS,
                    "user_fields": USER_FIELDS,
                    "user_auth": self._user_auth,
                }
                if cursor:
                    params["since_id"] = cursor
                if token:
                    params["next_token"] = token
                with self._errors("GET /2/tweets/search/recent"):
                    answer = self.client.search_recent_tweets(query, **params)
                tweets = list(answer.get("data") or [])
                users = list((answer.get("includes") or {}).get("users") or [])
                self._meter_reads("GET /2/tweets/search/recent", tweets, users, owned=False, queries=queries)
                for user in users:
                    self._users[str(user["id"])] = _identity(user)
                found.extend(self._interaction(t, ours) for t in tweets if str(t.get("author_id")) != user_id)
                meta = answer.get("meta") or {}
                page_newest = meta.get("newest_id")
                if page_newest and (newest is None or int(page_newest) > int(newest)):
                    newest = str(page_newest)
                token = meta.get("next_token")
                if not token:
                    break
        return FetchResult(interactions=tuple(found), cursor=newest, requests=self.requests - before)

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
        created = _aware(tweet.get("created_at")) or self.now()
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
            self._check_budget("GET /2/users", PRICE_USER_READ * len(batch))
            with self._errors("GET /2/users"):
                answer = self.client.get_users(ids=batch, user_fields=USER_FIELDS, user_auth=self._user_auth)
            users = list(answer.get("data") or [])
            self._meter_reads("GET /2/users", [], users, owned=False)
            for user in users:
                self._users[str(user["id"])] = _identity(user)
        return [self._users[u] for u in wanted if u in self._users]

    # ------------------------------------------------------------------------------------------ metering
    @property
    def spent(self) -> float:
        return self.spent_usd

    def _check_budget(self, endpoint: str, usd: float) -> None:
        if self.budget_usd is None or self.spent_usd + usd <= self.budget_usd + 1e-9:
            return
        now = self.now().astimezone(UTC)
        next_month = (
            now.replace(day=1, hour=0, minute=0, second=0, microsecond=0) + timedelta(days=32)
        ).replace(day=1)
        raise RateLimited(
            NAME,
            f"monthly X budget reached: ${self.spent_usd:.3f} of ${self.budget_usd:.2f} spent and {endpoint} "
            f"would cost ${usd:.3f}; X calls stop until {next_month:%Y-%m-%d} or until SQBOT_X_BUDGET_USD is "
            "raised",
            retry_at=next_month,
        )

    def _meter(self, endpoint: str, resources: int, usd: float, query_id: str | None = None) -> None:
        self.spent_usd += usd
        at = self.now().astimezone(UTC)
        self.usage.append(Usage(endpoint, resources, round(usd, 6), at, query_id or self.current_query))

    def _meter_reads(
        self,
        endpoint: str,
        tweets: Sequence[dict[str, Any]],
        users: Sequence[dict[str, Any]],
        *,
        owned: bool,
        queries: dict[str, str] | None = None,
    ) -> None:
        """Bill what a read returned (each resource once a UTC day). With `queries` (our post id -> query id,
        for polls) the bill is split: a post goes to the query its conversation hangs from, a user to the
        query of one of their posts on the page, the rest is shared (query None). Otherwise everything goes to
        `current_query`."""
        day = self.now().astimezone(UTC).date().isoformat()
        shares: dict[str | None, list[float]] = {}
        author_query: dict[str, str | None] = {}

        def bill(kind: str, item: dict[str, Any], price: float, query: str | None) -> None:
            share = shares.setdefault(query, [0.0, 0.0])
            key = (kind, str(item.get("id")), day)
            if key not in self._billed:
                self._billed.add(key)
                share[0] += price
            share[1] += 1

        for tweet in tweets:
            query = _query_of(tweet, queries) if queries is not None else self.current_query
            if author_query.get(str(tweet.get("author_id"))) is None:
                author_query[str(tweet.get("author_id"))] = query
            bill("post", tweet, PRICE_OWNED_READ if owned else PRICE_POST_READ, query)
        for user in users:
            query = author_query.get(str(user.get("id"))) if queries is not None else self.current_query
            bill("user", user, PRICE_USER_READ, query)
        if not shares:
            shares[None if queries is not None else self.current_query] = [0.0, 0.0]
        for query, (usd, count) in shares.items():
            self.spent_usd += usd
            at = self.now().astimezone(UTC)
            self.usage.append(Usage(endpoint, int(count), round(usd, 6), at, query))

    # ------------------------------------------------------------------------------------------ errors
    @contextmanager
    def _errors(self, endpoint: str, *, write: bool = False) -> Iterator[None]:
        """Translate tweepy / requests errors for one call into sqbot's error tree."""
        import requests
        import tweepy

        self.requests += 1
        unknown = "the outcome is unknown: reconcile before retrying" if write else "try again later"
        try:
            yield
        except requests.Timeout as err:
            raise TransientError(NAME, f"{endpoint} timed out after {self.timeout:g}s; {unknown}") from err
        except requests.ConnectionError as err:
            raise TransientError(NAME, f"{endpoint}: cannot reach {self.api_base}; {unknown}") from err
        except tweepy.TooManyRequests as err:
            body = _problem(err.response)
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
            raise AuthError(
                NAME,
                "X rejected the credentials (401): check SQBOT_X_API_KEY, SQBOT_X_API_SECRET, "
                "SQBOT_X_ACCESS_TOKEN and SQBOT_X_ACCESS_SECRET (or run `sqbot login x`)",
            ) from err
        except tweepy.Forbidden as err:
            detail = _detail(err.response)
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
            raise PlatformError(NAME, f"{endpoint} failed ({status}): {_detail(err.response)}") from err


def conversation_queries(root_ids: Sequence[str], limit: int = SEARCH_QUERY_MAX) -> list[str]:
    """Recent-search queries covering these conversations, as few as fit X's query length limit."""
    queries: list[str] = []
    current = ""
    for root in root_ids:
        term = f"conversation_id:{root}"
        candidate = f"{current} OR {term}" if current else term
        if len(candidate) > limit and current:
            queries.append(current)
            candidate = term
        current = candidate
    if current:
        queries.append(current)
    return queries


def _problem(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return cast(dict[str, Any], body) if isinstance(body, dict) else {}


def _detail(response: Any) -> str:
    body = _problem(response)
    text = str(body.get("detail") or body.get("title") or f"HTTP {getattr(response, 'status_code', '?')}")
    text = _SPACE.sub(" ", text)
    return text[:200]


def _query_of(tweet: dict[str, Any], queries: dict[str, str]) -> str | None:
    """The query a polled post belongs to: its conversation's root, else what it replies to or quotes."""
    conversation = str(tweet.get("conversation_id") or "")
    if conversation in queries:
        return queries[conversation]
    for ref in tweet.get("referenced_tweets") or []:
        if str(ref.get("id")) in queries:
            return queries[str(ref["id"])]
    return None


def _served_hashes(text: str, with_media: bool) -> tuple[str, ...]:
    """Hashes a served post may match: X appends a t.co link to the media of a post with images."""
    if not with_media:
        return (text_hash(text),)
    return (text_hash(text), text_hash(_MEDIA_LINK.sub("", text)))


def _image_bytes(query_id: str, image: Image) -> bytes:
    path = image.resolved or image.path
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as err:
        raise PublishError(
            f"x: query {query_id!r}: cannot read image {image.path} ({err.strerror}); restore the file or "
            "remove it from the query"
        ) from None


def _media_type(name: str, data: bytes) -> tuple[str, str]:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "tweet_image"
    for magic, kind in MEDIA_TYPES.items():
        if data.startswith(magic):
            return kind
    raise PublishError(f"x: image {name} is not PNG, JPEG, GIF, WebP, BMP or TIFF: convert it and requeue")


def _replied_to(tweet: dict[str, Any]) -> str | None:
    for ref in tweet.get("referenced_tweets") or []:
        if ref.get("type") == "replied_to":
            return str(ref["id"])
    return None


def _identity(user: dict[str, Any]) -> IdentityData:
    metrics = user.get("public_metrics") or {}
    handle = str(user["username"]) if user.get("username") else None
    followers = metrics.get("followers_count")
    return IdentityData(
        platform=NAME,
        user_id=str(user["id"]),
        handle=handle,
        name=str(user["name"]) if user.get("name") is not None else None,
        bio=str(user["description"]) if user.get("description") is not None else None,
        followers=int(followers) if isinstance(followers, int) else None,
        url=f"https://x.com/{handle}" if handle else None,
    )


def _install_transport(session: Any, api_base: str, timeout: float) -> None:
    """Mount a requests adapter on tweepy's session that gives every call `timeout` and sends requests
    meant for tweepy's hard-coded host to `api_base` (OAuth 1.0a signatures stay computed over the original
    URL, which is what X checks behind a transparent proxy)."""
    from requests.adapters import HTTPAdapter

    class _XAdapter(HTTPAdapter):
        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            if api_base != TWEEPY_HOST and request.url.startswith(TWEEPY_HOST):
                request.url = api_base + request.url[len(TWEEPY_HOST) :]
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = timeout
            return super().send(request, *args, **kwargs)

    session.mount(TWEEPY_HOST, _XAdapter())
