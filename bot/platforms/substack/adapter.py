"""Substack adapter: polls comments under a hand-published post and replies to Notes; posts Notes.

Substack has no official API. Its public JSON endpoints (the ones its own web app calls) are stable
enough to read; writing a Note needs a browser session cookie and may break (captcha, MFA, Cloudflare
403s from datacenter IPs). This adapter never logs in with a password.

Endpoints used (all ``GET`` unless noted; publication endpoints live on the publication's own host and
follow redirects to a custom domain)::

    {publication}/api/v1/posts/{slug}                                     resolve a post URL once
    {publication}/api/v1/post/{id}/comments?all_comments=true&sort=newest_first   the comment tree
    {api_base}/api/v1/reader/comment/{id}/replies[?cursor=..]             replies to a Note (paged)
    {api_base}/api/v1/user/{handle}/public_profile                        bio, publication, links
    {api_base}/api/v1/comment/feed                            POST (cookie) publish a Note
    {api_base}/api/v1/user/profile/self                  (cookie) our user id/handle, to reconcile only
    {api_base}/api/v1/reader/feed/profile/{user_id}?types=note            (cookie) our recent Notes

Shapes are those of real captured answers (tests/data/substack-samples): a public profile has no follower
count but ``subscriberCountNumber`` (and ``subscriberCount`` as a string), and no ``twitter_screen_name``:
a linked X account is a ``userLinks`` entry (``{id, value, url, type, label}``) or ``twitterAccount``. The
answer to posting a Note carries ``user_id`` but no ``handle``: its permalink is then the handle-free
``https://substack.com/note/c-{id}`` (Substack redirects it to the author's), so posting is one request.

Platform ids (``WatchedPost.platform_id`` / ``PublishedPost.platform_id``), built with the helpers below:

* ``post:{post_id}@{canonical_url}`` — a long query: a post the owner published by hand, e.g.
  ``post:123@https://example.substack.com/p/my-question``. The canonical URL carries the publication's
  base URL (scheme + host: where its API lives) and is the base of comment permalinks.
* ``note:{comment_id}`` — a short query: one of our Notes.

Interactions (comments and Note replies; on Substack both are "comments" in one id space) get the
platform id ``c-{comment_id}``. ``root_id`` is the watched platform id; ``parent_id`` is the watched id
for a top-level comment, else ``c-{id}`` of the comment it answers (last element of ``ancestor_path``).

Cursor: a JSON object mapping each watched platform id to the newest comment id seen under it,
e.g. ``{"post:1@https://x.substack.com/p/q": 1042, "note:77": 0}``. Only comments with a larger id are
returned, so a comment edited or deleted after it was first seen is not reported again.

Profiles: Substack's profile endpoint needs a handle, so ``profiles`` takes ``"{user_id}:{handle}"``;
a bare ``"{user_id}"`` works only for a user this adapter instance has already seen in ``fetch``.

Cookie (``SQBOT_SUBSTACK_COOKIE``): either the whole ``Cookie`` header copied from a logged-in browser
(``substack.sid=...; ...``) or just the value of the ``substack.sid`` cookie. It is sent only to
``api_base`` and only for the endpoints that need a login, never to publication hosts.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from bot.errors import AuthError, PlatformError, PublishError, RateLimited, TransientError, UnsafeURLError
from bot.models import (
    FetchResult,
    IdentityData,
    Intent,
    InteractionData,
    PostSpec,
    PublishedPost,
    Reconciled,
    WatchedPost,
)
from bot.platforms.base import OwnPost
from bot.platforms.http import network_errors
from bot.platforms.substack.notes import _dict, _list, note_links, note_media
from bot.safety.fetch import FetchPolicy, check_public_url, fetch

NAME = "substack"
DEFAULT_API_BASE = "https://substack.com"
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
MAX_ANSWER_BYTES = 32 * 1024 * 1024  # one answer read at most (a comment tree of thousands fits)
MAX_REPLY_PAGES = 50  # a Note with more reply pages than this is cut short (and resumed next poll)
DEFAULT_RETRY_AFTER = timedelta(seconds=60)

_HANDLE_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
_X_HANDLE_RE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.%-]{0,300}$")
_POST_ID_RE = re.compile(r"^post:(\d+)@(https?://.+)$")
_NOTE_ID_RE = re.compile(r"^note:(\d+)$")
_COOKIE_HELP = (
    "set SQBOT_SUBSTACK_COOKIE to your Substack session cookie: log in to substack.com in a browser, "
    "open the developer tools (Application/Storage > Cookies > https://substack.com) and copy the value "
    "of `substack.sid` (or the whole Cookie request header)"
)


# ---------------------------------------------------------------------------------------------- ids
def post_platform_id(post_id: int, canonical_url: str) -> str:
    """The watched id of a hand-published post: ``post:{id}@{canonical_url}``."""
    return f"post:{int(post_id)}@{canonical_url.rstrip('/')}"


def note_platform_id(note_id: int) -> str:
    """The watched id of one of our Notes: ``note:{id}``."""
    return f"note:{int(note_id)}"


def parse_post_platform_id(platform_id: str) -> tuple[int, str] | None:
    """``(post_id, canonical_url)`` of a ``post:`` id, or None."""
    m = _POST_ID_RE.match(platform_id)
    return (int(m.group(1)), m.group(2)) if m else None


def parse_note_platform_id(platform_id: str) -> int | None:
    m = _NOTE_ID_RE.match(platform_id)
    return int(m.group(1)) if m else None


def comment_platform_id(comment_id: int) -> str:
    return f"c-{int(comment_id)}"


def note_permalink(comment_id: int) -> str:
    """The handle-free permalink of a Note, which Substack redirects to ``/@{handle}/note/c-{id}``."""
    return f"https://substack.com/note/c-{int(comment_id)}"


def note_url(handle: str | None, comment_id: int) -> str | None:
    """Permalink of a Note or Note reply; None when the author's handle is unknown or unsafe."""
    if handle is None or not _HANDLE_RE.match(handle):
        return None
    return f"https://substack.com/@{handle}/note/c-{int(comment_id)}"


def _plain(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers of a body already read and inflated (no encoding or length left to apply)."""
    return {k: v for k, v in headers.items() if k.lower() not in ("content-encoding", "content-length")}


def _base_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# ---------------------------------------------------------------------------------------------- JSON helpers
def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _handle(value: Any) -> str | None:
    h = _str(value)
    return h if h is not None and _HANDLE_RE.match(h) else None


def _parse_time(value: Any, default: datetime) -> datetime:
    if not isinstance(value, str):
        return default
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return default
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _load_cursor(cursor: str | None) -> dict[str, int]:
    if not cursor:
        return {}
    try:
        raw = json.loads(cursor)
    except ValueError:
        return {}
    out: dict[str, int] = {}
    for key, value in _dict(raw).items():
        n = _int(value)
        if isinstance(key, str) and n is not None:
            out[key] = n
    return out


def note_body_json(post: PostSpec) -> dict[str, Any]:
    """The ProseMirror document of a Note: one paragraph per blank-line separated block, plus the link."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", post.text) if b.strip()]
    content: list[dict[str, Any]] = []
    for block in blocks:
        lines = block.split("\n")
        inline: list[dict[str, Any]] = []
        for i, line in enumerate(lines):
            if i:
                inline.append({"type": "hardBreak"})
            if line:
                inline.append({"type": "text", "text": line})
        content.append({"type": "paragraph", "content": inline})
    if post.link and post.link not in post.text:
        mark = {"type": "link", "attrs": {"href": post.link}}
        content.append(
            {"type": "paragraph", "content": [{"type": "text", "text": post.link, "marks": [mark]}]}
        )
    return {"type": "doc", "attrs": {"schemaVersion": "v1"}, "content": content}


def _doc_text(doc: Mapping[str, Any]) -> str:
    """Plain text of a Note document, paragraphs joined by blank lines (as Substack's `body` shows it)."""
    paragraphs = []
    for para in _list(doc.get("content")):
        parts = []
        for node in _list(_dict(para).get("content")):
            node = _dict(node)
            parts.append("\n" if node.get("type") == "hardBreak" else str(node.get("text", "")))
        paragraphs.append("".join(parts))
    return "\n\n".join(paragraphs)


def _norm(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------- adapter
class SubstackPlatform:
    """The Substack adapter over an injected ``httpx.Client`` (see the module docstring)."""

    name = NAME

    def __init__(
        self,
        http: httpx.Client,
        *,
        api_base: str = DEFAULT_API_BASE,
        cookie: str | None = None,
        min_interval: float = 1.0,
        timeout: float = 20.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        utcnow: Callable[[], datetime] = lambda: datetime.now(UTC),
        fetch_policy: FetchPolicy | None = None,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        """Reads (GET) go through `bot.safety.fetch`: public addresses only, every redirect checked, at most
        `max_answer_bytes` read. `api_base` is the owner's setting and trusted as given; publication hosts come
        from the queue's post URL (checked) and their redirects. `fetch_policy` is for tests only."""
        self.http = http
        self.api_base = api_base.rstrip("/")
        policy = fetch_policy or FetchPolicy()
        api_host = (urlsplit(self.api_base).hostname or "").lower()
        self._policy = FetchPolicy(
            max_bytes=max_answer_bytes,
            timeout=timeout,
            max_redirects=policy.max_redirects,
            allow_hosts=policy.allow_hosts | {api_host},
        )
        self._last_url = ""  # where the last read ended (after redirects)
        self._cookie = cookie.strip() if cookie and cookie.strip() else None
        self.min_interval = min_interval
        self.timeout = timeout
        self._clock = clock
        self._sleep = sleep
        self._utcnow = utcnow
        self._last_request: float | None = None
        self.requests = 0  # every HTTP request this adapter made
        self._handles: dict[str, str] = {}  # user id -> handle, learnt while fetching
        self._self: tuple[int, str | None] | None = None  # our (user id, handle), once looked up

    # ------------------------------------------------------------------------------------------ HTTP
    def _cookie_header(self) -> str:
        if self._cookie is None:
            raise AuthError(NAME, f"posting Notes needs a login: {_COOKIE_HELP}")
        return self._cookie if "=" in self._cookie else f"substack.sid={self._cookie}"

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        auth: bool = False,
    ) -> Any:
        """One polite request; returns the decoded JSON or raises from the error tree."""
        if self._last_request is not None:
            wait = self.min_interval - (self._clock() - self._last_request)
            if wait > 0:
                self._sleep(wait)
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if auth:
            headers["Cookie"] = self._cookie_header()
        self.requests += 1
        try:
            if method == "GET":
                resp = self._get(url, params, headers)
            else:
                resp = self._send_capped(method, url, params, body, headers)
        finally:
            self._last_request = self._clock()
        return self._decode(resp, method, url)

    def _get(self, url: str, params: Mapping[str, str] | None, headers: dict[str, str]) -> httpx.Response:
        """A bounded read (`bot.safety.fetch`), as an httpx response for `_decode`."""
        where = f"GET {_safe(url)}"
        full = str(httpx.URL(url, params=params)) if params else url
        try:
            got = fetch(full, policy=self._policy, platform=NAME, headers=headers)
        except UnsafeURLError as e:
            raise PlatformError(NAME, f"{where}: {e}") from None
        except TransientError as e:
            raise TransientError(
                NAME, f"{where}: network error or timeout ({e}); will try again later"
            ) from None
        if got.truncated:
            raise PlatformError(
                NAME,
                f"{where}: the answer is larger than {self._policy.max_bytes // 1024 // 1024} MB; not read",
            )
        self._last_url = got.url
        return httpx.Response(
            got.status, headers=_plain(got.headers), content=got.content, request=httpx.Request("GET", full)
        )

    def _send_capped(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        body: Mapping[str, Any] | None,
        headers: dict[str, str],
    ) -> httpx.Response:
        """A write to `api_base` (the owner's setting): no redirects followed, the answer read up to the cap."""
        cap = self._policy.max_bytes
        with network_errors(NAME, f"{method} {_safe(url)}", self.timeout):
            request = self.http.build_request(
                method, url, params=params, json=body, headers=headers, timeout=self.timeout
            )
            resp = self.http.send(request, stream=True, follow_redirects=False)
            try:
                content = bytearray()
                for chunk in resp.iter_bytes():
                    content += chunk
                    if len(content) > cap:
                        raise PlatformError(
                            NAME, f"{method} {_safe(url)}: the answer is larger than the cap; not read"
                        )
            finally:
                resp.close()
        return httpx.Response(
            resp.status_code, headers=_plain(dict(resp.headers)), content=bytes(content), request=request
        )

    def _decode(self, resp: httpx.Response, method: str, url: str) -> Any:
        where = f"{method} {_safe(url)}"
        status = resp.status_code
        if status == 429:
            retry_at = self._retry_at(resp.headers.get("Retry-After"))
            raise RateLimited(
                NAME, f"rate limited on {where}; pausing until {retry_at.isoformat()}", retry_at
            )
        if status in (401, 403):
            raise AuthError(NAME, _auth_message(resp, where))
        if status >= 500:
            raise TransientError(NAME, f"server error {status} on {where}; will try again later")
        if status == 404:
            raise PlatformError(NAME, f"HTTP 404 on {where}: not found; check the post URL in the queue")
        if status >= 400:
            raise PlatformError(NAME, f"HTTP {status} on {where}: Substack refused the request")
        try:
            return resp.json()
        except ValueError as exc:
            raise TransientError(NAME, f"{where} did not answer JSON (a login or captcha page?)") from exc

    def _retry_at(self, header: str | None) -> datetime:
        now = self._utcnow()
        if header:
            header = header.strip()
            if header.isdigit():
                return now + timedelta(seconds=int(header))
            try:
                when = parsedate_to_datetime(header)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
        return now + DEFAULT_RETRY_AFTER

    # ------------------------------------------------------------------------------------------ long query
    def resolve_post(self, post_url: str) -> tuple[int, str]:
        """``(post_id, canonical_url)`` of a hand-published post, from its public URL (``.../p/{slug}``)."""
        parts = urlsplit(post_url.strip())
        segments = [s for s in parts.path.split("/") if s]
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or len(segments) < 2
            or segments[-2] != "p"
        ):
            raise PlatformError(
                NAME, f"{post_url!r} is not a Substack post URL: expected https://<publication>/p/<slug>"
            )
        slug = segments[-1]
        if not _SLUG_RE.match(slug):
            raise PlatformError(NAME, f"{post_url!r} has an unusual slug; copy the post URL from the browser")
        base = f"{parts.scheme}://{parts.netloc}"
        host = (parts.hostname or "").lower()
        problem = check_public_url(post_url.strip())
        if problem and host not in self._policy.allow_hosts:
            raise PlatformError(NAME, f"{post_url[:200]!r} is not a public web address: {problem}")
        data = _dict(self._request("GET", f"{base}/api/v1/posts/{slug}"))
        post_id = _int(data.get("id"))
        if post_id is None:
            raise PlatformError(NAME, f"{post_url!r} did not resolve to a post; is it published and public?")
        # the host polled from now on is where the (checked) request ended, never one the answer names
        polled = _base_of(self._last_url) if self._last_url else base
        canonical = _str(data.get("canonical_url"))
        if canonical is None or _base_of(canonical).lower() != polled.lower():
            canonical = f"{polled}/p/{slug}"
        return post_id, canonical.rstrip("/")

    def fetch(self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime) -> FetchResult:
        """New comments under watched posts and new replies to watched Notes since `cursor`."""
        start = self.requests
        old = _load_cursor(cursor)
        seen = {w.platform_id: old.get(w.platform_id, 0) for w in watched}  # unwatched ids drop out
        found: list[InteractionData] = []
        for w in watched:
            post = parse_post_platform_id(w.platform_id)
            note = parse_note_platform_id(w.platform_id)
            if post is not None:
                comments = list(self._post_comments(*post))
                found.extend(self._collect(comments, w.platform_id, seen, now, post[1], None))
            elif note is not None:
                comments = list(self._note_replies(note))
                found.extend(self._collect(comments, w.platform_id, seen, now, None, note))
        return FetchResult(
            interactions=tuple(found),
            cursor=json.dumps(seen, sort_keys=True),
            requests=self.requests - start,
        )

    def _post_comments(self, post_id: int, canonical_url: str) -> Iterator[dict[str, Any]]:
        base = _base_of(canonical_url)
        data = self._request(
            "GET",
            f"{base}/api/v1/post/{post_id}/comments",
            params={"all_comments": "true", "sort": "newest_first"},
        )
        roots = _list(data.get("comments")) if isinstance(data, dict) else _list(data)
        yield from _walk(roots)

    def _note_replies(self, note_id: int) -> Iterator[dict[str, Any]]:
        url = f"{self.api_base}/api/v1/reader/comment/{note_id}/replies"
        next_cursor: str | None = None
        for _ in range(MAX_REPLY_PAGES):
            params = {"comment_id": str(note_id)}
            if next_cursor:
                params["cursor"] = next_cursor
            page = _dict(self._request("GET", url, params=params))
            for branch in _list(page.get("commentBranches")):
                branch = _dict(branch)
                yield from _walk([branch.get("comment")])
                yield from _walk(_list(branch.get("descendantComments")))
            next_cursor = _str(page.get("nextCursor"))
            if next_cursor is None:
                return

    def _collect(
        self,
        comments: Sequence[dict[str, Any]],
        root_id: str,
        seen: dict[str, int],
        now: datetime,
        canonical_url: str | None,
        note_id: int | None,
    ) -> list[InteractionData]:
        newest = seen.get(root_id, 0)
        out: list[InteractionData] = []
        done: set[int] = set()
        for c in comments:
            cid = _int(c.get("id"))
            if cid is None or cid <= newest or cid in done or cid == note_id:
                continue
            done.add(cid)
            out.append(self._comment(c, cid, root_id, now, canonical_url, note_id))
            seen[root_id] = max(seen.get(root_id, 0), cid)
        seen.setdefault(root_id, newest)
        out.sort(key=lambda i: int(i.platform_id[2:]))
        return out

    def _comment(
        self,
        c: dict[str, Any],
        cid: int,
        root_id: str,
        now: datetime,
        canonical_url: str | None,
        note_id: int | None,
    ) -> InteractionData:
        user_id = _int(c.get("user_id"))
        handle = _handle(c.get("handle"))
        deleted = bool(c.get("deleted")) or c.get("body") is None
        if user_id is not None and handle is not None:
            self._handles[str(user_id)] = handle
        author = IdentityData(
            platform=NAME,
            user_id=str(user_id) if user_id is not None else f"deleted:{cid}",
            handle=handle,
            name=_str(c.get("name")),
            url=f"https://substack.com/@{handle}" if handle else None,
        )
        ancestors = [int(a) for a in str(c.get("ancestor_path") or "").split(".") if a.isdigit()]
        parent = ancestors[-1] if ancestors else None
        parent_id = root_id if parent is None or parent == note_id else comment_platform_id(parent)
        if canonical_url is not None:
            url: str | None = f"{canonical_url}/comment/{cid}"
        else:
            url = note_url(handle, cid)
        return InteractionData(
            platform=NAME,
            platform_id=comment_platform_id(cid),
            kind="comment",
            author=author,
            text="" if deleted else str(c.get("body") or ""),
            created_at=_parse_time(c.get("date"), now),
            root_id=root_id,
            parent_id=parent_id,
            url=url,
            deleted=deleted,
        )

    # ------------------------------------------------------------------------------------------ profiles
    def profiles(self, user_ids: Sequence[str]) -> list[IdentityData]:
        """Enrich ``"{user_id}:{handle}"`` (or a bare user id seen in `fetch`) from the public profile."""
        out: list[IdentityData] = []
        for raw in user_ids:
            uid, _, handle = raw.partition(":")
            handle = handle or self._handles.get(uid, "")
            if not uid.isdigit() or not _HANDLE_RE.match(handle):
                continue  # nothing to look it up by: the identity keeps what fetch gave it
            try:
                data = _dict(self._request("GET", f"{self.api_base}/api/v1/user/{handle}/public_profile"))
            except PlatformError as exc:
                if type(exc) is PlatformError:  # 404: renamed or gone; rate limits and auth propagate
                    continue
                raise
            out.append(_identity(data, uid, handle))
        return out

    # ------------------------------------------------------------------------------------------ Notes
    def watch_url(self, query_id: str, post_url: str, now: datetime) -> PublishedPost:
        """A long query published by hand: resolve its post id once; from then on its comments are polled."""
        post_id, canonical = self.resolve_post(post_url)
        return PublishedPost(0, post_platform_id(post_id, canonical), canonical)

    def prepare(self, query_id: str, posts: Sequence[PostSpec], now: datetime) -> Intent:
        """A Note for a single-post query. Long queries (a post URL only) are never published by the bot."""
        if not posts:
            raise PublishError(
                f"{query_id}: the Substack post is published by hand; the bot only polls its comments"
            )
        if posts[0].reply_to:
            raise PublishError(
                f"{query_id}: Substack has no API to answer a comment: reply by hand on Substack"
            )
        if len(posts) > 1:
            raise PublishError(
                f"{query_id}: a Substack Note cannot be a thread ({len(posts)} posts); give Substack a "
                "single post with `overrides: {substack: [...]}`"
            )
        post = posts[0]
        if post.images:
            raise PublishError(f"{query_id}: images on Substack Notes are not supported yet; remove them")
        if not post.text.strip():
            raise PublishError(f"{query_id}: the Substack Note is empty")
        doc = note_body_json(post)
        return Intent(
            query_id=query_id,
            platform=NAME,
            payload={
                "bodyJson": doc,
                "replyMinimumRole": "everyone",
                "prepared_at": now.astimezone(UTC).isoformat(),
            },
        )

    def send(self, intent: Intent, on_posted: Callable[[PublishedPost], None]) -> tuple[PublishedPost, ...]:
        if intent.done:
            return intent.done
        body = {"bodyJson": intent.payload["bodyJson"], "replyMinimumRole": "everyone"}
        self._cookie_header()  # no cookie: AuthError before any request
        data = _dict(self._request("POST", f"{self.api_base}/api/v1/comment/feed", body=body, auth=True))
        note_id = _int(data.get("id"))
        if note_id is None:
            raise TransientError(NAME, "posting the Note answered without an id; reconcile before retrying")
        # The answer has `user_id` but no `handle`: use a handle already known, never an extra request.
        user_id = _int(data.get("user_id"))
        handle = _handle(data.get("handle"))
        if handle is None and self._self is not None and self._self[0] == user_id:
            handle = self._self[1]
        if handle is None and user_id is not None:
            handle = self._handles.get(str(user_id))
        url = note_url(handle, note_id) or note_permalink(note_id)
        post = PublishedPost(index=0, platform_id=note_platform_id(note_id), url=url)
        on_posted(post)
        return (post,)

    def _whoami(self) -> tuple[int, str | None]:
        if self._self is None:
            data = _dict(self._request("GET", f"{self.api_base}/api/v1/user/profile/self", auth=True))
            uid = _int(data.get("id"))
            if uid is None:
                raise AuthError(
                    NAME, f"could not read the logged-in user; the cookie may be stale: {_COOKIE_HELP}"
                )
            self._self = (uid, _handle(data.get("handle")))
        return self._self

    def _own_notes(self) -> tuple[str | None, list[dict[str, Any]]]:
        """Our handle and our newest Notes (the comments of our own profile feed, `types=note`): one request
        after the cookie's user is known. Shared by `recent_own_posts` and `reconcile`."""
        uid, handle = self._whoami()
        data = _dict(
            self._request(
                "GET",
                f"{self.api_base}/api/v1/reader/feed/profile/{uid}",
                params={"types": "note"},
                auth=True,
            )
        )
        notes = []
        for item in _list(data.get("items")):
            c = _dict(_dict(item).get("comment"))
            if _int(c.get("id")) is not None and _int(c.get("user_id")) in (None, uid):
                notes.append(c)
        return handle, notes

    def recent_own_posts(self, newer_than: str | None = None) -> list[OwnPost]:
        """Our newest Notes from our own profile feed, for `bot.publish.outbox` to find a query a lost database
        forgot. Needs the cookie, as posting does."""
        self._cookie_header()  # no cookie: AuthError, as a send would give
        handle, notes = self._own_notes()
        return [
            OwnPost(
                platform_id=note_platform_id(cid),
                text=str(c.get("body") or ""),
                reply_to=None if not c.get("ancestor_path") else str(c.get("ancestor_path")),
                url=note_url(handle or _handle(c.get("handle")), cid),
                created_at=_parse_time(c.get("date"), datetime.min.replace(tzinfo=UTC)),
                links=note_links(c),
                media=note_media(c),
            )
            for c in notes
            if (cid := _int(c.get("id"))) is not None
        ]

    def reconcile(self, intent: Intent) -> Reconciled:
        """Look for the Note among our recent Notes. Absent only if the feed shows a newer Note of ours."""
        if intent.done:
            return Reconciled("posted", intent.done)
        if self._cookie is None:
            return Reconciled("unknown", detail=f"cannot read our Notes without a login: {_COOKIE_HELP}")
        want = _norm(_doc_text(_dict(intent.payload.get("bodyJson"))))
        prepared = _parse_time(intent.payload.get("prepared_at"), datetime.min.replace(tzinfo=UTC))
        handle, notes = self._own_notes()
        newer = False
        for c in notes:
            cid = _int(c.get("id"))
            if cid is None:
                continue
            date = _parse_time(c.get("date"), datetime.min.replace(tzinfo=UTC))
            if date >= prepared and _norm(str(c.get("body") or "")) == want:
                post = PublishedPost(
                    0, note_platform_id(cid), note_url(handle or _handle(c.get("handle")), cid)
                )
                return Reconciled("posted", (post,), detail="found among our recent Notes")
            newer = newer or date > prepared
        if newer:
            return Reconciled("absent", detail="a later Note of ours is listed but not this one")
        return Reconciled(
            "unknown", detail="not among our recent Notes yet; check https://substack.com by hand"
        )


# ---------------------------------------------------------------------------------------------- helpers
def _walk(nodes: Sequence[Any]) -> Iterator[dict[str, Any]]:
    """Every comment in a tree nested under `children` (or wrapped as ``{"comment": {...}}``)."""
    stack = list(reversed(nodes))
    while stack:
        node = _dict(stack.pop())
        c = _dict(node.get("comment")) if isinstance(node.get("comment"), dict) else node
        if not c:
            continue
        yield c
        stack.extend(reversed(_list(c.get("children"))))


def _identity(data: Mapping[str, Any], uid: str, handle: str) -> IdentityData:
    links: list[tuple[str, str]] = []
    for name in _x_accounts(data):
        if _X_HANDLE_RE.match(name) and ("x", name) not in links:
            links.append(("x", name))
    pub = _dict(data.get("primaryPublication"))
    pub_url: str | None = None
    custom = _str(pub.get("custom_domain"))
    sub = _handle(pub.get("subdomain"))
    if custom and not pub.get("custom_domain_optional") and _HANDLE_RE.match(custom):
        pub_url = f"https://{custom}"
    elif sub:
        pub_url = f"https://{sub}.substack.com"
    if pub_url:
        links.append(("substack_publication", pub_url))
    real_handle = _handle(data.get("handle")) or handle
    followers = _int(data.get("subscriberCountNumber"))
    if followers is None:
        followers = _int(data.get("subscriberCount"))  # the same count as a string: "88"
    return IdentityData(
        platform=NAME,
        user_id=uid,
        handle=real_handle,
        name=_str(data.get("name")),
        bio=_str(data.get("bio")),
        followers=followers,
        url=f"https://substack.com/@{real_handle}",
        links=tuple(links),
    )


def _x_accounts(data: Mapping[str, Any]) -> Iterator[str]:
    """X handles a profile links: `userLinks` entries pointing at x.com / twitter.com, and `twitterAccount`
    (null in every captured profile; read as a handle string or an object naming one)."""
    for link in _list(data.get("userLinks")):
        parts = urlsplit(str(_dict(link).get("url") or ""))
        host = parts.netloc.lower().removeprefix("www.").removeprefix("mobile.")
        if host in ("twitter.com", "x.com") and parts.path:
            yield parts.path.strip("/").split("/")[0].lstrip("@")
    account = data.get("twitterAccount")
    if isinstance(account, dict):
        account = next(
            (account[k] for k in ("screen_name", "handle", "username") if _str(account.get(k))), None
        )
    if _str(account):
        yield str(account).lstrip("@")


def _safe(url: str) -> str:
    """A URL for messages: scheme, host and path only (no query)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _auth_message(resp: httpx.Response, where: str) -> str:
    ctype = resp.headers.get("content-type", "")
    text = resp.text[:4000].lower() if "html" in ctype else ""
    if resp.status_code == 403 and ("cloudflare" in text or "just a moment" in text or "cf-" in text):
        return (
            f"Cloudflare blocked {where} (403 challenge page, common from datacenter IPs): Substack writes "
            "are paused; public reads are retried later. Run the bot from a home connection, or post Notes "
            "by hand"
        )
    return (
        f"{resp.status_code} on {where}: the Substack session cookie is missing or expired; Substack "
        f"writes are paused until you {_COOKIE_HELP}"
    )
