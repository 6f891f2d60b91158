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
* OAuth 1.0a keys by default; after ``sqbot login x``, an OAuth 2.0 user token (:class:`OAuth2Tokens`) is the
  client's bearer, refreshed before it expires. X's refresh tokens are single-use: the rotated pair is on disk
  (0600, atomic) before it is used, and a refused refresh is remembered as "run `sqbot login x`" (no retries).

tweepy is imported lazily (``sqbot --help`` must not import SDKs).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
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
from bot.platforms.base import OwnPost
from bot.platforms.textrules import text_with_link
from bot.platforms.x.spec import IMAGE_BYTES
from bot.platforms.x.text import LIMIT, x_length
from bot.queue.files import read_image
from bot.safety.secretfile import write_private

if TYPE_CHECKING:
    import tweepy

NAME = "x"
TWEEPY_HOST = "https://api.twitter.com"
MAX_POST = LIMIT
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
ADOPT_PAGE = 100  # our newest posts read once before a first send, to find one a lost database forgot
RECONCILE_PAGES = 5  # our own timeline, 100 posts a page, since just before the intent was prepared
MENTION_PAGES = 8  # the mentions timeline covers the 800 most recent
RECONCILE_SKEW = timedelta(minutes=5)
SEARCH_WINDOW = timedelta(days=7)  # recent search only covers the last 7 days
SEARCH_QUERY_MAX = 512
MEDIA_EXPIRY = timedelta(hours=24)  # X's default when the upload answer gives no expires_after_secs
MEDIA_EXPIRY_MARGIN = timedelta(minutes=30)  # re-upload a little before X forgets the media
ALT_MAX = 1000
MEDIA_CHUNK = 1_000_000
MAX_IMAGE_BYTES = IMAGE_BYTES  # what `sqbot validate` allows on X (its spec)
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


def _newer(current: str | None, candidate: str | None) -> str | None:
    """The larger of two X ids (ids grow with time); either may be missing."""
    if candidate and (current is None or int(candidate) > int(current)):
        return str(candidate)
    return current


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
    resumes_threads = True  # `send` continues a thread after the posts in `intent.done`

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
        now: Callable[[], datetime] = _utcnow,
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
            self._upload(
                intent.query_id,
                Image(str(m["path"]), str(m["alt"]), str(m["path"]), str(m.get("root") or "")),
            )["id"]
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
            "root": image.root,
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
        parent = proved[-1].platform_id if proved else intent.payload.get("reply_to")
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

    def recent_own_posts(self, newer_than: str | None = None) -> list[OwnPost]:
        """One page (the newest `ADOPT_PAGE`) of our own timeline, replies included, for `bot.publish.outbox` to find
        a query a lost database forgot; only posts after `newer_than` (`since_id`: the newest post the database
        knows), so a healthy database pays for a few reads, not a page. Metered (owned reads) and checked against
        the budget like every read; billed as shared spend, not to a query."""
        self.current_query = None
        user_id = self.me()
        self._check_budget("GET /2/users/:id/tweets", PRICE_OWNED_READ)
        since = {"since_id": newer_than} if newer_than and newer_than.isdigit() else {}
        with self._errors("GET /2/users/:id/tweets"):
            answer = self.client.get_users_tweets(
                user_id,
                max_results=ADOPT_PAGE,
                tweet_fields=["created_at", "referenced_tweets", "conversation_id"],
                user_auth=self._user_auth,
                **since,
            )
        page = list(answer.get("data") or [])
        self._meter_reads("GET /2/users/:id/tweets", page, [], owned=True)
        return [
            OwnPost(
                platform_id=str(t["id"]),
                text=html.unescape(str(t.get("text") or "")),
                reply_to=_replied_to(t),
                url=post_url(str(t["id"])),
                created_at=_aware(t.get("created_at")),
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
            self._users[self.user_id] = _identity(answer["data"])
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
        self.current_query = None
        user_id = self.me()
        ours = {w.platform_id for w in watched}
        queries = {w.platform_id: w.query_id for w in watched}
        before = self.requests
        found: list[InteractionData] = []
        newest = cursor
        pages = self._pages(
            "GET /2/users/:id/mentions",
            PRICE_OWNED_READ,
            lambda **params: self.client.get_users_mentions(user_id, **params),
            page_param="pagination_token",
            owned=True,
            cursor=cursor,
            queries=queries,
        )
        for tweets, page_newest in pages:
            # skip our own posts that mention us (a thread mentioning ourselves)
            found.extend(self._interaction(t, ours) for t in tweets if str(t.get("author_id")) != user_id)
            newest = _newer(newest, page_newest)
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
            pages = self._pages(
                "GET /2/tweets/search/recent",
                PRICE_POST_READ,
                lambda q=query, **params: self.client.search_recent_tweets(q, **params),
                page_param="next_token",
                owned=False,
                cursor=cursor,
                queries=queries,
            )
            for tweets, page_newest in pages:
                found.extend(self._interaction(t, ours) for t in tweets if str(t.get("author_id")) != user_id)
                newest = _newer(newest, page_newest)
        return FetchResult(interactions=tuple(found), cursor=newest, requests=self.requests - before)

    def _pages(
        self,
        endpoint: str,
        price: float,
        call: Callable[..., Any],
        *,
        page_param: str,
        owned: bool,
        cursor: str | None,
        queries: dict[str, str],
    ) -> Iterator[tuple[list[dict[str, Any]], str | None]]:
        """Read a timeline page by page (at most MENTION_PAGES) since `cursor`: each page's posts, metered and
        with their authors cached, and the page's newest id."""
        token: str | None = None
        for _ in range(MENTION_PAGES):
            self._check_budget(endpoint, price)
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
                params[page_param] = token
            with self._errors(endpoint):
                answer = call(**params)
            tweets = list(answer.get("data") or [])
            users = list((answer.get("includes") or {}).get("users") or [])
            self._meter_reads(endpoint, tweets, users, owned=owned, queries=queries)
            for user in users:
                self._users[str(user["id"])] = _identity(user)
            meta = answer.get("meta") or {}
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


# ---------------------------------------------------------------------------------------------- OAuth 2.0
OAUTH2_FILE = "x-oauth2.json"  # in SQBOT_DATA_DIR, written by `sqbot login x`
USER_FILE = "x-user.json"  # in SQBOT_DATA_DIR: our X user id, keyed by a hash of the OAuth 1.0a access token
OAUTH2_AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
OAUTH2_TOKEN_ROUTE = "/2/oauth2/token"  # noqa: S105 (a URL path, not a secret)
OAUTH2_SCOPES = ("tweet.read", "tweet.write", "users.read", "offline.access", "media.write")
OAUTH2_REFRESH_MARGIN = timedelta(minutes=5)  # refresh this long before the access token expires
LOGIN_EXPIRED = "X login expired: run `sqbot login x`"


class OAuth2Tokens:
    """The OAuth 2.0 user token pair kept in `path` (0600 JSON: access_token, refresh_token, expires_at).

    X's refresh tokens are single-use: a refresh answer is written to disk (atomically) *before* the new access
    token is used, so a crash after it cannot lose the only valid refresh token. Refreshes are serialised across
    processes with a lock file, and whoever takes the lock re-reads the file first (another process may already
    have rotated the pair). A refresh X refuses (reused, revoked, expired) marks the file dead: later runs raise
    the same :class:`AuthError` at once instead of sending the dead token again."""

    def __init__(
        self,
        path: Path,
        *,
        client_id: str,
        client_secret: str | None = None,
        api_base: str = TWEEPY_HOST,
        timeout: float = 10.0,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.path = path
        self.client_id = client_id
        self.client_secret = client_secret or None
        self.token_url = api_base.rstrip("/") + OAUTH2_TOKEN_ROUTE
        self.timeout = timeout
        self.now = now
        self.token_requests = 0  # requests to X's token endpoint (login and refreshes)
        self._data: dict[str, Any] | None = None

    # -------------------------------------------------------------------------------------- public
    def login(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        """Exchange an authorization code (PKCE) for a token pair and store it; returns what was stored."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": self.client_id,
        }
        status, body = self._token_request(form)
        if status != 200:
            raise AuthError(
                NAME,
                f"X refused the login code ({_oauth_error(status, body)}): run `sqbot login x` again and "
                "approve within a few minutes; check SQBOT_X_CLIENT_ID / SQBOT_X_REDIRECT_URI match the app",
            )
        return self._store(body)

    def access_token(self) -> str:
        """A valid access token, refreshed (and persisted) first when it is about to expire."""
        data = self._data if self._data is not None else self._load()
        if self._fresh(data):
            self._data = data
            return str(data["access_token"])
        with self._locked():
            data = self._load()  # another process may have rotated the pair (or found it dead) meanwhile
            if not self._fresh(data):
                data = self._refresh(data)
            self._data = data
            return str(data["access_token"])

    # -------------------------------------------------------------------------------------- internals
    def _fresh(self, data: dict[str, Any]) -> bool:
        expires = _aware(str(data.get("expires_at") or ""))
        return expires is not None and expires - OAUTH2_REFRESH_MARGIN > self.now().astimezone(UTC)

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            raise AuthError(NAME, f"no X login yet ({self.path} is missing): run `sqbot login x`") from None
        except ValueError:
            raise AuthError(NAME, f"{self.path} is not valid JSON: run `sqbot login x`") from None
        if not isinstance(data, dict):
            raise AuthError(NAME, f"{self.path} is not an X login: run `sqbot login x`")
        if data.get("dead"):
            raise AuthError(NAME, f"{LOGIN_EXPIRED} (X refused the refresh token at {data.get('dead_at')})")
        if not data.get("access_token") or not data.get("refresh_token"):
            raise AuthError(NAME, f"{self.path} holds no token pair: run `sqbot login x`")
        return cast(dict[str, Any], data)

    def _refresh(self, data: dict[str, Any]) -> dict[str, Any]:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": str(data["refresh_token"]),
            "client_id": self.client_id,
        }
        status, body = self._token_request(form)
        if status in (400, 401):
            # the refresh token is spent, revoked or expired: remember it, so no run sends it again
            write_private(
                self.path,
                {
                    "dead": True,
                    "dead_at": self.now().astimezone(UTC).isoformat(),
                    "client_id": self.client_id,
                },
            )
            self._data = None
            raise AuthError(
                NAME, f"{LOGIN_EXPIRED} (X refused the refresh token: {_oauth_error(status, body)})"
            )
        if status == 429:
            retry_at = self.now().astimezone(UTC) + timedelta(minutes=15)
            raise RateLimited(NAME, "X rate-limited the token refresh; try again after 15 minutes", retry_at)
        if status != 200:
            raise TransientError(NAME, f"X token refresh failed ({status}); try again later")
        return self._store(body)

    def _store(self, body: dict[str, Any]) -> dict[str, Any]:
        """Persist a token answer (before anything uses it) and return the stored pair."""
        access, refresh, expires_in = (
            body.get("access_token"),
            body.get("refresh_token"),
            body.get("expires_in"),
        )
        if not isinstance(access, str) or not isinstance(refresh, str) or not isinstance(expires_in, int):
            raise AuthError(
                NAME,
                "X's token answer has no refresh token (was `offline.access` granted?): run `sqbot login x` "
                "and approve every scope",
            )
        data = {
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": (self.now().astimezone(UTC) + timedelta(seconds=expires_in)).isoformat(),
            "scope": str(body.get("scope") or ""),
            "client_id": self.client_id,
        }
        write_private(self.path, data)  # single-use refresh token: on disk before it is used
        self._data = data
        return data

    def _token_request(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        import httpx

        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.client_secret:
            pair = f"{self.client_id}:{self.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        self.token_requests += 1
        from bot.platforms.http import network_errors

        with network_errors(NAME, f"the X token request to {self.token_url}", self.timeout):
            response = httpx.post(self.token_url, data=form, headers=headers, timeout=self.timeout)
        try:
            body = response.json()
        except ValueError:
            body = {}
        return response.status_code, body if isinstance(body, dict) else {}

    @contextmanager
    def _locked(self) -> Iterator[None]:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _oauth_error(status: int, body: dict[str, Any]) -> str:
    """X's OAuth error (`error` + `error_description`), shortened; never echoes tokens (X does not send them)."""
    code = str(body.get("error") or status)
    text = _SPACE.sub(" ", str(body.get("error_description") or "")).strip()[:160]
    return f"{code}: {text}" if text else code


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
    """Read through bot.queue.files at send time: inside the queue folder, a regular file, a real image."""
    return read_image(image, what=f"x: query {query_id!r}", limit=MAX_IMAGE_BYTES)[0]


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
