"""Bluesky over plain XRPC (httpx), exactly once.

Why raw XRPC and not the atproto SDK's `Client.send_post`: exactly-once needs client-chosen record keys and
the exact record bytes (with `createdAt`) stored *before* the write, and `send_post` has neither an rkey
parameter nor a fixed `createdAt`. So a thread is one `com.atproto.repo.applyWrites` commit whose TIDs and
reply references (root/parent CIDs) are computed here (`atproto_util`), and every call goes through one
`httpx.Client` (timeouts on every call, one transport seam for tests, `ratelimit-*` headers read).

Session and calls: `xrpc` (created once with the app password, persisted 0600, refreshed before expiry).
Around it, in this package: `spec` (Bluesky's facts), `text` (graphemes, facets), `cards` (link cards),
`records` (reading post records, shared with the stream), `atproto_util` (TIDs, CIDs, record bytes).

Polling: one `listNotifications` call per poll when nothing is new; a thread crawl (`getPostThread`, re-rooted
past depth 10) when a notification shows activity in a query's thread, or on a slow age-banded cadence.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlparse

import httpx

from bot.errors import PlatformError, PublishError, UnsafeURLError
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
from bot.platforms.base import OnPosted, OwnPost
from bot.platforms.bluesky.atproto_util import (
    at_uri,
    created_at,
    micros_of,
    parse_at_uri,
    record_bytes,
    record_cid,
    tid,
)
from bot.platforms.bluesky.cards import parse_opengraph
from bot.platforms.bluesky.records import (
    mentioned_dids,
    parse_time,
    quoted_uri,
    record_links,
    record_media,
    uri_of,
)
from bot.platforms.bluesky.spec import NAME, SPEC
from bot.platforms.bluesky.text import facets as find_facets
from bot.platforms.bluesky.xrpc import Xrpc, XrpcFailure
from bot.queue.files import read_image
from bot.safety.fetch import Fetched, FetchPolicy, Resolver, fetch, resolve_host

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("sqbot.bluesky")

POST = "app.bsky.feed.post"
MAX_IMAGE_BYTES = SPEC.image_bytes or 0  # what `sqbot validate` allows (its spec)
MAX_CARD_PAGE_BYTES = 1_000_000  # a link card reads the page's head; the rest is never needed
CRAWL_DEPTH = 10
MAX_CRAWLS_PER_ROOT = 25
MAX_NOTIFICATION_PAGES = 20
ADOPT_LIMIT = 100  # our newest posts read once before a first send (listRecords' maximum page)


def crawl_due(posted_at: datetime, last_crawl: datetime | None, now: datetime) -> bool:
    """Age-banded cadence for crawling a query's whole reply tree when notifications show nothing."""
    if last_crawl is None:
        return True
    age = now - posted_at
    if age < timedelta(days=1):
        every = timedelta(minutes=15)
    elif age < timedelta(days=3):
        every = timedelta(hours=1)
    elif age < timedelta(days=7):
        every = timedelta(hours=6)
    else:
        every = timedelta(hours=24)
    return now - last_crawl >= every


class BlueskyPlatform:
    name = NAME
    resumes_threads = True  # a thread found in part continues after its posts (`continue_after`)

    def __init__(
        self,
        xrpc: Xrpc,
        *,
        fetch_cards: bool = False,
        card_timeout: float = 4.0,
        card_policy: FetchPolicy | None = None,
        card_transport: httpx.BaseTransport | None = None,
        card_resolve: Resolver = resolve_host,
        app_url: str = "https://bsky.app",
    ) -> None:
        """`fetch_cards`: read a linked page for its card (through `bot.safety.fetch`: public addresses only,
        every redirect checked, size-capped). `card_policy`, `card_transport` and `card_resolve` are for tests
        (a loopback page standing in for a public one); the caps and the timeout always apply."""
        self.xrpc = xrpc
        self.fetch_cards = fetch_cards
        self.card_timeout = card_timeout
        self.card_policy = card_policy or FetchPolicy()
        self.card_transport = card_transport
        self.card_resolve = card_resolve
        self.app_url = app_url
        # the next free TID microsecond: two queries prepared at one `now` (one publish tick) whose ids hash
        # to the same 10-bit clock id would otherwise get the same record keys, and the second thread's
        # create would land on the first's records
        self._tid_floor = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> BlueskyPlatform:
        assert settings.bluesky_handle and settings.bluesky_app_password
        http = httpx.Client(follow_redirects=False, headers={"User-Agent": "sqbot/0.1"})
        xrpc = Xrpc(
            http,
            pds_url=settings.bluesky_pds_url,
            handle=settings.bluesky_handle,
            password=settings.bluesky_app_password.get_secret_value(),
            session_path=settings.data_dir / "bluesky.session",
        )
        return cls(xrpc, fetch_cards=True)

    @property
    def requests(self) -> int:
        return self.xrpc.requests

    # ------------------------------------------------------------------------------------------ publish
    def prepare(self, query_id: str, posts: Sequence[PostSpec], now: datetime) -> Intent:
        if not posts:
            raise PublishError(f"{query_id}: nothing to post on Bluesky")
        s = self.xrpc.session()
        did, handle = s["did"], s["handle"]
        now = now.astimezone(UTC)
        clock_id = int(hashlib.sha256(query_id.encode()).hexdigest(), 16) % 1024
        first = max(micros_of(now), self._tid_floor)
        self._tid_floor = first + len(posts)
        writes: list[dict[str, Any]] = []
        root: dict[str, str] | None = None
        parent: dict[str, str] | None = None
        if posts[0].reply_to:  # a follow-up: the first post answers someone else's post, in its thread
            root, parent = self._reply_refs(posts[0].reply_to, query_id)
        for i, spec in enumerate(posts):
            rkey = tid(first + i, clock_id)
            record: dict[str, Any] = {
                "$type": POST,
                "text": spec.text,
                "createdAt": created_at(now + timedelta(milliseconds=i)),
            }
            facets = self._facets(spec.text, query_id, i)
            if facets:
                record["facets"] = facets
            if spec.langs:
                record["langs"] = list(spec.langs)[:3]
            embed = self._embed(spec, query_id, i)
            if embed:
                record["embed"] = embed
            if root is not None and parent is not None:
                record["reply"] = {"root": root, "parent": parent}
            cid = record_cid(record)
            ref = {"uri": at_uri(did, POST, rkey), "cid": cid}
            root = root or ref
            parent = ref
            writes.append(
                {
                    "rkey": rkey,
                    "record": record,
                    "cid": cid,
                    "bytes": base64.b64encode(record_bytes(record)).decode(),
                }
            )
        return Intent(query_id, NAME, {"did": did, "handle": handle, "writes": writes})

    def _reply_refs(self, uri: str, query_id: str) -> tuple[dict[str, str], dict[str, str]]:
        """(root, parent) strong refs for a reply to someone else's post `uri`, read from the AppView."""
        try:
            found = self.xrpc.get("app.bsky.feed.getPosts", uris=[uri]).get("posts") or []
        except XrpcFailure as e:
            raise PublishError(f"{query_id}: cannot read the Bluesky post to answer ({uri}): {e}") from None
        if not found or not found[0].get("cid"):
            raise PublishError(f"{query_id}: the Bluesky post to answer is gone (deleted?): {uri}")
        parent = {"uri": str(found[0]["uri"]), "cid": str(found[0]["cid"])}
        reply = (found[0].get("record") or {}).get("reply") or {}
        r = reply.get("root") or {}
        root = {"uri": str(r["uri"]), "cid": str(r["cid"])} if r.get("uri") and r.get("cid") else parent
        return root, parent

    def _facets(self, text: str, query_id: str, index: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for f in find_facets(text):
            if f.kind == "link":
                feature = {"$type": "app.bsky.richtext.facet#link", "uri": f.value}
            elif f.kind == "tag":
                feature = {"$type": "app.bsky.richtext.facet#tag", "tag": f.value}
            else:
                try:
                    did = self.xrpc.get("com.atproto.identity.resolveHandle", handle=f.value)["did"]
                except XrpcFailure:
                    # As Bluesky's apps do: the text is posted as written, without the mention link.
                    log.warning(
                        "%s: @%s in Bluesky post %d does not resolve to an account; posted as plain text",
                        query_id,
                        f.value,
                        index + 1,
                    )
                    continue
                feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
            out.append({"index": {"byteStart": f.byte_start, "byteEnd": f.byte_end}, "features": [feature]})
        return out

    def _upload(self, data: bytes, mime: str) -> dict[str, Any]:
        res = self.xrpc.call("POST", "com.atproto.repo.uploadBlob", content=data, content_type=mime)
        blob: dict[str, Any] = res["blob"]
        return blob

    def _embed(self, spec: PostSpec, query_id: str, index: int) -> dict[str, Any] | None:
        if spec.images:
            images = []
            for img in spec.images[:4]:
                # read through bot.queue.files at send time: inside the queue folder, a regular file, a real image
                data, info = read_image(img, what=query_id, limit=MAX_IMAGE_BYTES)
                images.append({"alt": img.alt, "image": self._upload(data, info.mime)})
            return {"$type": "app.bsky.embed.images", "images": images}
        if spec.link:
            return {"$type": "app.bsky.embed.external", "external": self._card(spec.link, spec.title)}
        return None

    def _card(self, url: str, title: str | None) -> dict[str, Any]:
        """A link card from the page's OpenGraph tags; from the URL and query title when it cannot be read or
        is not a public page (a redirect to this machine or a private network is never followed)."""
        host = urlparse(url).netloc or url
        card: dict[str, Any] = {"uri": url, "title": title or host, "description": ""}
        if not self.fetch_cards:
            return card
        try:
            page = self._fetch(url, MAX_CARD_PAGE_BYTES)
            if page.status != 200 or "html" not in page.content_type:
                return card
            og = parse_opengraph(page.text())
            card["title"] = (og.get("og:title") or card["title"])[:300]
            card["description"] = (og.get("og:description") or "")[:1000]
            image = og.get("og:image")
            if image:
                img = self._fetch(urljoin(page.url, image), MAX_IMAGE_BYTES)
                mime = img.content_type
                if img.status == 200 and mime.startswith("image/") and img.content and not img.truncated:
                    card["thumb"] = self._upload(img.content, mime)
        except (UnsafeURLError, PlatformError, ValueError) as e:
            log.info("link card for %s: %s; posting the plain card", url[:200], e)
        return card

    def _fetch(self, url: str, max_bytes: int) -> Fetched:
        policy = FetchPolicy(
            max_bytes=max_bytes,
            timeout=self.card_timeout,
            max_redirects=self.card_policy.max_redirects,
            allow_hosts=self.card_policy.allow_hosts,
        )
        return fetch(
            url,
            policy=policy,
            platform=NAME,
            headers={"User-Agent": "sqbot/0.1 (link preview)"},
            transport=self.card_transport,
            resolve=self.card_resolve,
        )

    def _url(self, handle: str, uri: str) -> str:
        try:
            _, _, rkey = parse_at_uri(uri)
        except ValueError:  # not a record URI the spec allows: link the profile, never a crafted path
            return f"{self.app_url}/profile/{handle}"
        return f"{self.app_url}/profile/{handle}/post/{rkey}"

    def continue_after(self, intent: Intent, done: Sequence[PublishedPost]) -> Intent:
        """The intent for the rest of a thread whose first `len(done)` posts already exist (found on the network
        after a lost database): the later records reply to those (root: the first, parent: the previous), so
        their bytes and CIDs are recomputed here, before the intent is stored; `offset` is where they start."""
        writes = intent.payload["writes"]
        k = len(done)
        if not done or k >= len(writes):
            return intent
        if any(not p.cid for p in done):
            raise PublishError(
                f"{intent.query_id}: cannot continue the Bluesky thread: a found post has no CID"
            )
        did = intent.payload["did"]
        ordered = sorted(done, key=lambda p: p.index)
        root = {"uri": ordered[0].platform_id, "cid": str(ordered[0].cid)}
        parent = {"uri": ordered[-1].platform_id, "cid": str(ordered[-1].cid)}
        rest = []
        for w in writes[k:]:
            record = {**w["record"], "reply": {"root": root, "parent": parent}}
            cid = record_cid(record)
            rest.append(
                {**w, "record": record, "cid": cid, "bytes": base64.b64encode(record_bytes(record)).decode()}
            )
            parent = {"uri": at_uri(did, POST, w["rkey"]), "cid": cid}
        return Intent(intent.query_id, intent.platform, {**intent.payload, "writes": rest, "offset": k})

    def send(self, intent: Intent, on_posted: OnPosted) -> tuple[PublishedPost, ...]:
        writes = intent.payload["writes"]
        offset = int(intent.payload.get("offset", 0))  # a thread continued after posts found on the network
        if len(intent.done) >= offset + len(writes):
            return intent.done
        did, handle = intent.payload["did"], intent.payload["handle"]
        body = {
            "repo": did,
            "writes": [
                {
                    "$type": "com.atproto.repo.applyWrites#create",
                    "collection": POST,
                    "rkey": w["rkey"],
                    "value": w["record"],
                }
                for w in writes
            ],
        }
        try:
            res = self.xrpc.post("com.atproto.repo.applyWrites", body)
        except XrpcFailure as e:
            raise PublishError(f"Bluesky refused the thread: {e}") from None
        results = res.get("results") or []
        posts = [p for p in intent.done if p.index < offset]
        for i, w in enumerate(writes):
            r = results[i] if i < len(results) else {}
            uri = r.get("uri") or at_uri(did, POST, w["rkey"])
            post = PublishedPost(offset + i, uri, self._url(handle, uri), r.get("cid") or w["cid"])
            on_posted(post)
            posts.append(post)
        return tuple(posts)

    def reconcile(self, intent: Intent) -> Reconciled:
        did, handle = intent.payload["did"], intent.payload["handle"]
        offset = int(intent.payload.get("offset", 0))
        found: list[PublishedPost] = []
        absent = mismatched = 0
        for i, w in enumerate(intent.payload["writes"]):
            try:
                rec = self.xrpc.get("com.atproto.repo.getRecord", repo=did, collection=POST, rkey=w["rkey"])
            except XrpcFailure as e:
                if e.error == "RecordNotFound" or (e.status == 400 and "not" in str(e).lower()):
                    absent += 1
                    continue
                raise
            if rec.get("cid") == w["cid"]:
                uri = rec.get("uri") or at_uri(did, POST, w["rkey"])
                found.append(PublishedPost(offset + i, uri, self._url(handle, uri), w["cid"]))
            else:
                mismatched += 1
        total = len(intent.payload["writes"])
        if len(found) == total:
            return Reconciled("posted", tuple(found))
        if absent == total:
            return Reconciled("absent")
        return Reconciled(
            "unknown",
            tuple(found),
            f"{len(found)} of {total} posts found as sent, {mismatched} differ, {absent} missing",
        )

    def recent_own_posts(self, newer_than: str | None = None) -> list[OwnPost]:
        """Our repo's newest `app.bsky.feed.post` records, newest first: one `com.atproto.repo.listRecords`
        call (for `bot.publish.outbox` to find a query a lost database forgot)."""
        s = self.xrpc.session()
        did, handle = s["did"], s["handle"]
        res = self.xrpc.get("com.atproto.repo.listRecords", repo=did, collection=POST, limit=ADOPT_LIMIT)
        out = []
        for r in res.get("records") or []:
            value = r.get("value") if isinstance(r, dict) else None
            uri = r.get("uri") if isinstance(r, dict) else None
            if not isinstance(value, dict) or not isinstance(uri, str):
                continue
            reply = value.get("reply")
            reply = reply if isinstance(reply, dict) else {}
            out.append(
                OwnPost(
                    platform_id=uri,
                    text=str(value.get("text") or ""),
                    reply_to=uri_of(reply.get("parent")),
                    url=self._url(handle, uri),
                    cid=r.get("cid"),
                    created_at=parse_time(value.get("createdAt")),
                    links=record_links(value),
                    media=record_media(value),
                )
            )
        return out

    # ------------------------------------------------------------------------------------------ poll
    def fetch(self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime) -> FetchResult:
        before = self.xrpc.requests
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        seen: str | None = state.get("seen")
        crawled: dict[str, str] = state.get("crawled", {})
        me = self.xrpc.did
        roots = {w.platform_id: w for w in watched if w.index == 0}
        items: list[InteractionData] = []
        active: set[str] = set()
        newest = seen
        page: str | None = None
        for _ in range(MAX_NOTIFICATION_PAGES):
            res = self.xrpc.get("app.bsky.notification.listNotifications", limit=50, cursor=page)
            notes = res.get("notifications") or []
            stop = False
            for n in notes:
                indexed = str(n.get("indexedAt") or "")
                if seen and indexed <= seen:
                    stop = True
                    break
                if newest is None or indexed > newest:
                    newest = indexed
                reason = n.get("reason")
                if reason not in ("reply", "mention", "quote"):
                    continue
                it = self._from_view(n, reason)
                if it is not None:
                    items.append(it)
                    if it.root_id in roots:
                        active.add(it.root_id)
            page = res.get("cursor")
            if stop or not notes or not page:
                break
        present: dict[str, tuple[str, ...]] = {}
        counters: dict[str, int] = {}
        for uri, w in roots.items():
            last = crawled.get(uri)
            if uri in active or crawl_due(w.posted_at, datetime.fromisoformat(last) if last else None, now):
                replies, complete = self._crawl(uri, me, counters)
                items.extend(replies)
                if complete:
                    present[uri] = tuple(r.platform_id for r in replies)
                crawled[uri] = now.isoformat()
        new_state = {"seen": newest, "crawled": {k: v for k, v in crawled.items() if k in roots}}
        return FetchResult(
            tuple(items),
            json.dumps(new_state, sort_keys=True),
            requests=self.xrpc.requests - before,
            counters=counters,
            present=present,
        )

    def _author(self, a: dict[str, Any]) -> IdentityData:
        return IdentityData(
            platform=NAME,
            user_id=str(a.get("did")),
            handle=a.get("handle"),
            name=a.get("displayName") or None,
            url=f"{self.app_url}/profile/{a.get('handle') or a.get('did')}",
        )

    def _from_view(self, view: dict[str, Any], reason: str) -> InteractionData | None:
        """A notification or a thread post view → an interaction."""
        record = view.get("record") or {}
        author = view.get("author") or {}
        uri = view.get("uri")
        if not uri or not author.get("did"):
            return None
        reply = record.get("reply") or {}
        parent = (reply.get("parent") or {}).get("uri")
        root = (reply.get("root") or {}).get("uri")
        kind: InteractionKind = "reply" if reason == "reply" else "quote" if reason == "quote" else "mention"
        if kind == "quote":
            quoted = quoted_uri(record)
            root = quoted or root
            parent = quoted or parent
        mentions = tuple(Mention(handle=None, user_id=did, platform=NAME) for did in mentioned_dids(record))
        indexed = parse_time(view.get("indexedAt"))
        created_dt = parse_time(record.get("createdAt")) or indexed or datetime.now(UTC)
        return InteractionData(
            platform=NAME,
            platform_id=uri,
            kind=kind,
            author=self._author(author),
            text=str(record.get("text") or ""),
            created_at=created_dt,
            root_id=root,
            parent_id=parent,
            url=self._url(author.get("handle") or author["did"], uri),
            mentions=mentions,
        )

    def _crawl(self, root_uri: str, me: str, counters: dict[str, int]) -> tuple[list[InteractionData], bool]:
        """Every reply under `root_uri` by someone else; re-roots below the depth cap. (replies, complete)."""
        out: list[InteractionData] = []
        queue = [root_uri]
        complete = True
        calls = 0
        while queue:
            if calls >= MAX_CRAWLS_PER_ROOT:
                complete = False
                break
            start = queue.pop(0)
            calls += 1
            try:
                res = self.xrpc.get(
                    "app.bsky.feed.getPostThread", uri=start, depth=CRAWL_DEPTH, parentHeight=0
                )
            except XrpcFailure:
                complete = False
                continue
            stack: list[tuple[dict[str, Any], int]] = [(res.get("thread") or {}, 0)]
            while stack:
                node, depth = stack.pop()
                post = node.get("post")
                if not post:
                    continue
                if post.get("uri") == root_uri:
                    counters[f"likes:{root_uri}"] = int(post.get("likeCount") or 0)
                    counters[f"reposts:{root_uri}"] = int(post.get("repostCount") or 0)
                if depth > 0 and (post.get("author") or {}).get("did") != me:
                    it = self._from_view(post, "reply")
                    if it is not None:
                        out.append(it)
                replies = node.get("replies")
                if replies is None and int(post.get("replyCount") or 0) > 0 and depth >= CRAWL_DEPTH:
                    queue.append(post["uri"])  # past the depth cap: crawl this branch from here
                    continue
                for child in replies or []:
                    if child.get("$type", "").endswith("#threadViewPost"):
                        stack.append((child, depth + 1))
                    elif child.get("$type", "").endswith(("#blockedPost", "#notFoundPost")):
                        complete = False
        return out, complete

    def profiles(self, user_ids: Sequence[str]) -> list[IdentityData]:
        out: list[IdentityData] = []
        ids = list(user_ids)
        for start in range(0, len(ids), 25):
            res = self.xrpc.call(
                "GET", "app.bsky.actor.getProfiles", params={"actors": ids[start : start + 25]}
            )
            for p in res.get("profiles") or []:
                out.append(
                    IdentityData(
                        platform=NAME,
                        user_id=p["did"],
                        handle=p.get("handle"),
                        name=p.get("displayName") or None,
                        bio=p.get("description") or "",
                        followers=p.get("followersCount"),
                        url=f"{self.app_url}/profile/{p.get('handle') or p['did']}",
                    )
                )
        return out
