"""A stateful fake of Substack's public JSON endpoints on loopback, in the shapes the real site serves.

Two servers share one state: ``base`` plays substack.com *and* a publication's ``*.substack.com`` host;
``custom_base`` plays the publication's custom domain. A post added with ``custom_domain=True`` answers
its publication endpoints on ``base`` with a 301 to ``custom_base`` (as Substack does), and its
``canonical_url`` is on the custom domain.

Served (see bot/platforms/substack/adapter.py for how each is used)::

    GET  /api/v1/posts/{slug}                            post JSON (id, slug, canonical_url, ...)
    GET  /api/v1/post/{id}/comments                      {"comments": [tree nested under `children`]}
    GET  /api/v1/reader/comment/{id}/replies[?cursor=]   {"commentBranches": [...], "nextCursor": ...}
    GET  /api/v1/user/{handle}/public_profile            profile (404 JSON for an unknown handle)
    POST /api/v1/comment/feed[/]                         (cookie) publish a Note
    GET  /api/v1/user/profile/self                       (cookie) the logged-in user
    GET  /api/v1/reader/feed/profile/{user_id}?types=note  (cookie) that user's Notes as feed items

Profiles, the answer to posting a Note and feed items have the keys of real captured answers
(tests/data/substack-samples): a profile's linked X account is a ``userLinks`` entry (``twitterAccount`` is
null), its reach is ``subscriberCount``/``subscriberCountNumber``; a posted Note's answer has no ``handle``.
:meth:`serve_json` answers one path with a given JSON body (the captured samples themselves).

Comments carry ``ancestor_path`` ("" for a top-level comment, "12.34" for a reply to 34 under 12; for
Note replies the path starts with the Note's id). A deleted comment has ``body: null``,
``deleted: true`` and no ``user_id``/``name``/``handle``. Failures are injected with :meth:`fail_next`:
429 with Retry-After, Cloudflare's HTML 403 challenge page, a 401 JSON error, a 500.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CLOUDFLARE_PAGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>
<div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">substack.com</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div id="challenge-error-title">Enable JavaScript and cookies to continue</div></noscript>
</div></div><div class="footer" role="contentinfo"><div class="footer-inner">
<div class="clearfix diagnostic-wrapper">
<div class="ray-id">Ray ID: <code>8a1b2c3d4e5f6a7b</code></div></div>
<div class="text-center" id="footer-text">Performance &amp; security by Cloudflare</div></div></div>
</body></html>"""

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


@dataclass
class FakeUser:
    id: int
    name: str
    handle: str | None
    bio: str = ""
    twitter: str | None = None  # shown as a userLinks entry to https://x.com/{twitter}
    subdomain: str | None = None
    subscribers: int = 0


@dataclass
class FakeComment:
    id: int
    body: str
    user: FakeUser
    parent: int | None  # comment id, or None for top level
    date: datetime
    post_id: int | None = None
    note_id: int | None = None  # the Note this is a reply to (Note replies only)
    deleted: bool = False
    edited_at: datetime | None = None
    body_json: dict[str, Any] | None = None  # Notes: the document as posted (Substack answers with it)
    attachments: list[dict[str, Any]] = field(default_factory=list)  # Notes: images, post cards


@dataclass
class Failure:
    path_prefix: str
    kind: str  # "429" | "cloudflare" | "401" | "500"
    retry_after: str = "30"


@dataclass
class Recorded:
    method: str
    host: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any = None


@dataclass
class _State:
    users: dict[int, FakeUser] = field(default_factory=dict)
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)  # slug -> post JSON
    custom: set[str] = field(default_factory=set)  # slugs served on the custom domain
    comments: dict[int, FakeComment] = field(default_factory=dict)
    notes: dict[int, FakeComment] = field(default_factory=dict)  # our Notes (as comments)
    failures: list[Failure] = field(default_factory=list)
    canned: dict[tuple[str, str], Any] = field(default_factory=dict)  # (method, path) -> JSON body
    requests: list[Recorded] = field(default_factory=list)
    next_id: int = 1000
    clock: datetime = T0


class FakeSubstack:
    """Start with ``with FakeSubstack() as fake:``; ``fake.base`` is ``http://127.0.0.1:PORT``."""

    def __init__(self, *, cookie: str = "s%3Afake-session", self_user: FakeUser | None = None) -> None:
        self.cookie = cookie
        self.state = _State()
        self.lock = threading.Lock()
        self.page_size = 2  # top-level branches per replies page
        self.me = self_user or FakeUser(id=1, name="Query Owner", handle="owner", subdomain="owner")
        self.state.users[self.me.id] = self.me
        self._servers = [ThreadingHTTPServer(("127.0.0.1", 0), self._handler(i)) for i in range(2)]
        self.base = f"http://127.0.0.1:{self._servers[0].server_address[1]}"
        self.custom_base = f"http://127.0.0.1:{self._servers[1].server_address[1]}"
        self._threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
            for s in self._servers
        ]

    def __enter__(self) -> FakeSubstack:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for s in self._servers:
            s.shutdown()
            s.server_close()

    # ------------------------------------------------------------------------------------------ set-up
    def _next_id(self) -> int:
        self.state.next_id += 1
        return self.state.next_id

    def _tick(self) -> datetime:
        self.state.clock += timedelta(minutes=1)
        return self.state.clock

    def add_user(self, name: str, handle: str | None, **kw: Any) -> FakeUser:
        with self.lock:
            user = FakeUser(id=self._next_id(), name=name, handle=handle, **kw)
            self.state.users[user.id] = user
            return user

    def add_post(
        self, slug: str, *, custom_domain: bool = False, title: str = "A question"
    ) -> dict[str, Any]:
        with self.lock:
            post_id = self._next_id()
            base = self.custom_base if custom_domain else self.base
            post = {
                "id": post_id,
                "publication_id": 42,
                "title": title,
                "subtitle": "",
                "slug": slug,
                "post_date": _iso(self._tick()),
                "audience": "everyone",
                "canonical_url": f"{base}/p/{slug}",
                "type": "newsletter",
                "write_comment_permissions": "everyone",
                "comment_count": 0,
                "reaction_count": 0,
                "publishedBylines": [{"id": self.me.id, "name": self.me.name, "handle": self.me.handle}],
            }
            self.state.posts[slug] = post
            if custom_domain:
                self.state.custom.add(slug)
            return post

    def add_comment(
        self, post_id: int, body: str, user: FakeUser, *, parent: int | None = None, deleted: bool = False
    ) -> int:
        with self.lock:
            c = FakeComment(
                self._next_id(), body, user, parent, self._tick(), post_id=post_id, deleted=deleted
            )
            self.state.comments[c.id] = c
            return c.id

    def edit_comment(self, comment_id: int, body: str) -> None:
        with self.lock:
            c = self.state.comments[comment_id]
            c.body, c.edited_at = body, self._tick()

    def add_note(
        self,
        body: str,
        user: FakeUser | None = None,
        *,
        body_json: dict[str, Any] | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> int:
        """A Note (ours by default, as if posted by hand in Substack's editor), optionally with its document and
        attachments in Substack's shapes (tests/data/substack-samples/feed-profile-types-note.json)."""
        with self.lock:
            c = FakeComment(
                self._next_id(),
                body,
                user or self.me,
                None,
                self._tick(),
                body_json=body_json,
                attachments=list(attachments or []),
            )
            self.state.notes[c.id] = c
            return c.id

    def add_note_reply(self, note_id: int, body: str, user: FakeUser, *, parent: int | None = None) -> int:
        with self.lock:
            c = FakeComment(self._next_id(), body, user, parent, self._tick(), note_id=note_id)
            self.state.comments[c.id] = c
            return c.id

    def fail_next(self, path_prefix: str, kind: str, *, retry_after: str = "30") -> None:
        """The next request whose path starts with `path_prefix` fails with `kind` (once)."""
        with self.lock:
            self.state.failures.append(Failure(path_prefix, kind, retry_after))

    def serve_json(self, method: str, path: str, data: Any) -> None:
        """Answer `method` `path` with `data` (200) from now on, e.g. a captured real answer."""
        with self.lock:
            self.state.canned[(method, path)] = data

    @property
    def requests(self) -> list[Recorded]:
        with self.lock:
            return list(self.state.requests)

    # ------------------------------------------------------------------------------------------ shapes
    def _comment_json(self, c: FakeComment, ancestors: list[int]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": c.id,
            "body": None if c.deleted else c.body,
            "body_json": None,
            "publication_id": 42 if c.post_id else None,
            "post_id": c.post_id,
            "ancestor_path": ".".join(str(a) for a in ancestors),
            "type": "comment" if c.post_id else "feed",
            "date": _iso(c.date),
            "edited_at": _iso(c.edited_at) if c.edited_at else None,
            "deleted": c.deleted,
            "reactions": {"\u2764": 0},
            "reaction_count": 0,
            "restacks": 0,
            "status": "published",
            "user_bestseller_tier": None,
        }
        if not c.deleted:
            out.update(user_id=c.user.id, name=c.user.name, photo_url="https://substackcdn.com/x.png")
            if c.user.handle is not None:
                out["handle"] = c.user.handle
        kids = sorted((k for k in self.state.comments.values() if k.parent == c.id), key=lambda k: -k.id)
        out["children"] = [self._comment_json(k, [*ancestors, c.id]) for k in kids]
        out["children_count"] = len(kids)
        return out

    def _post_comments(self, post_id: int) -> dict[str, Any]:
        roots = [c for c in self.state.comments.values() if c.post_id == post_id and c.parent is None]
        roots.sort(key=lambda c: -c.id)  # sort=newest_first
        return {"comments": [self._comment_json(c, []) for c in roots]}

    def _replies(self, note_id: int, cursor: str | None) -> dict[str, Any]:
        roots = [c for c in self.state.comments.values() if c.note_id == note_id and c.parent is None]
        roots.sort(key=lambda c: c.id)
        start = int(cursor.removeprefix("cur-")) if cursor else 0
        page = roots[start : start + self.page_size]
        branches = []
        for c in page:
            tree = self._comment_json(c, [note_id])
            flat: list[dict[str, Any]] = []
            stack = list(tree.pop("children"))
            while stack:
                d = stack.pop(0)
                stack.extend(d.pop("children"))
                flat.append({"type": "comment", "comment": d})
            branches.append({"comment": tree, "descendantComments": flat})
        more = start + self.page_size < len(roots)
        return {
            "commentBranches": branches,
            "moreBranches": max(0, len(roots) - start - self.page_size),
            "nextCursor": f"cur-{start + self.page_size}" if more else None,
        }

    def _primary_publication(self, user: FakeUser) -> dict[str, Any] | None:
        if not user.subdomain:
            return None
        return {
            "id": 42,
            "subdomain": user.subdomain,
            "custom_domain": None,
            "custom_domain_optional": False,
            "name": f"{user.name}'s newsletter",
            "logo_url": None,
            "author_id": user.id,
            "user_id": user.id,
            "handles_enabled": False,
            "explicit": False,
            "is_personal_mode": False,
            "payments_state": "disabled",
            "pledges_enabled": False,
        }

    def _profile(self, user: FakeUser) -> dict[str, Any]:
        links = []
        if user.twitter:
            links.append(
                {
                    "id": 1,
                    "value": user.twitter,
                    "url": f"https://x.com/{user.twitter}",
                    "type": None,
                    "label": "",
                }
            )
        return {
            "id": user.id,
            "name": user.name,
            "handle": user.handle,
            "previous_name": None,
            "photo_url": "https://substackcdn.com/x.png",
            "bio": user.bio,
            "profile_set_up_at": _iso(T0),
            "reader_installed_at": _iso(T0),
            "tos_accepted_at": None,
            "profile_disabled": False,
            "publicationUsers": [],
            "facebookAccount": None,
            "userLinks": links,
            "twitterAccount": None,
            "subscriptions": [],
            "subscriptionsTruncated": False,
            "hasGuestPost": False,
            "primaryPublication": self._primary_publication(user),
            "subscriberCountString": f"{user.subscribers:,} subscribers",
            "subscriberCount": str(user.subscribers),
            "subscriberCountNumber": user.subscribers,
            "slug": user.handle,
        }

    def _note_json(self, c: FakeComment) -> dict[str, Any]:
        return {
            "user_id": c.user.id,
            "body": c.body,
            "body_json": c.body_json,
            "post_id": None,
            "publication_id": None,
            "ancestor_path": "",
            "type": "feed",
            "status": "published",
            "reply_minimum_role": "everyone",
            "id": c.id,
            "deleted": False,
            "date": _iso(c.date),
            "name": c.user.name,
            "photo_url": None,
            "reactions": {"\u2764": 0},
            "children": [],
            "user_bestseller_tier": None,
            "isFirstFeedCommentByUser": False,
            "reaction_count": 0,
            "restacks": 0,
            "restacked": False,
            "children_count": 0,
            "attachments": c.attachments,
            "user_primary_publication": self._primary_publication(c.user),
        }

    def _feed_item(self, c: FakeComment) -> dict[str, Any]:
        """A Note as a profile feed item: the comment (with the author's handle here) and its context."""
        user = {"id": c.user.id, "name": c.user.name, "handle": c.user.handle, "photo_url": None}
        return {
            "entity_key": f"c-{c.id}",
            "type": "comment",
            "context": {"type": "note", "timestamp": _iso(c.date), "users": [user]},
            "publication": None,
            "post": None,
            "comment": {**self._note_json(c), "handle": c.user.handle},
            "parentComments": [],
            "canReply": True,
            "isMuted": False,
        }

    # ------------------------------------------------------------------------------------------ routing
    def _authed(self, headers: dict[str, str]) -> bool:
        return f"substack.sid={self.cookie}" in headers.get("cookie", "")

    def route(
        self,
        server: int,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: Any,
    ) -> tuple[int, dict[str, str], bytes]:
        st = self.state
        for f in st.failures:
            if path.startswith(f.path_prefix):
                st.failures.remove(f)
                if f.kind == "429":
                    return _json(429, {"error": "Too many requests"}, {"Retry-After": f.retry_after})
                if f.kind == "cloudflare":
                    hdrs = {
                        "Content-Type": "text/html; charset=UTF-8",
                        "Server": "cloudflare",
                        "CF-RAY": "8a1b",
                    }
                    return 403, hdrs, CLOUDFLARE_PAGE.encode()
                if f.kind == "401":
                    return _json(401, {"errors": [{"msg": "Not authorized"}]})
                return _json(500, {"error": "Internal server error"})

        def publication(slug: str) -> tuple[int, dict[str, str], bytes] | None:
            if server == 0 and slug in st.custom:
                qs = "&".join(f"{k}={v}" for k, vs in query.items() for v in vs)
                return 301, {"Location": f"{self.custom_base}{path}{'?' + qs if qs else ''}"}, b""
            return None

        if (method, path) in st.canned:
            return _json(200, st.canned[(method, path)])
        if m := re.fullmatch(r"/api/v1/posts/([^/]+)", path):
            post = st.posts.get(m.group(1))
            if post is None:
                return _json(404, {"error": "Post not found"})
            return publication(post["slug"]) or _json(200, post)
        if m := re.fullmatch(r"/api/v1/post/(\d+)/comments", path):
            post = next((p for p in st.posts.values() if p["id"] == int(m.group(1))), None)
            if post is None:
                return _json(404, {"error": "Post not found"})
            return publication(post["slug"]) or _json(200, self._post_comments(post["id"]))
        if m := re.fullmatch(r"/api/v1/reader/comment/(\d+)/replies", path):
            return _json(200, self._replies(int(m.group(1)), next(iter(query.get("cursor", [])), None)))
        if m := re.fullmatch(r"/api/v1/user/([^/]+)/public_profile", path):
            user = next((u for u in st.users.values() if u.handle == m.group(1)), None)
            return _json(200, self._profile(user)) if user else _json(404, {"error": "User not found"})
        if method == "POST" and path in ("/api/v1/comment/feed", "/api/v1/comment/feed/"):
            if not self._authed(headers):
                return _json(401, {"errors": [{"msg": "Not authorized"}]})
            doc = body.get("bodyJson") if isinstance(body, dict) else None
            if not isinstance(doc, dict) or doc.get("attrs", {}).get("schemaVersion") != "v1":
                return _json(400, {"errors": [{"msg": "Invalid bodyJson"}]})
            text = "\n\n".join(
                "".join(n.get("text", "\n") for n in p.get("content", [])) for p in doc.get("content", [])
            )
            note = FakeComment(self._next_id(), text, self.me, None, self._tick(), body_json=doc)
            st.notes[note.id] = note
            return _json(200, self._note_json(note))
        if path == "/api/v1/user/profile/self":
            if not self._authed(headers):
                return _json(401, {"errors": [{"msg": "Not authorized"}]})
            return _json(200, {"id": self.me.id, "name": self.me.name, "handle": self.me.handle})
        if m := re.fullmatch(r"/api/v1/reader/feed/profile/(\d+)", path):
            uid = int(m.group(1))
            if query.get("types") != ["note"]:  # Substack's filter is `types=note`; the fake knows only Notes
                return _json(400, {"errors": [{"msg": "types=note expected"}]})
            notes = sorted((n for n in st.notes.values() if n.user.id == uid), key=lambda n: -n.id)
            items = [self._feed_item(n) for n in notes]
            return _json(200, {"items": items, "originalCursorTimestamp": _iso(st.clock), "nextCursor": None})
        return _json(404, {"error": "Not found"})

    def _handler(self, server: int) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                headers = {k.lower(): v for k, v in self.headers.items()}
                length = int(headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                with fake.lock:
                    fake.state.requests.append(
                        Recorded(method, headers.get("host", ""), parts.path, query, headers, body)
                    )
                    status, hdrs, payload = fake.route(server, method, parts.path, query, headers, body)
                self.send_response(status)
                for k, v in hdrs.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _json(status: int, data: Any, extra: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    return (
        status,
        {"Content-Type": "application/json; charset=utf-8", **(extra or {})},
        json.dumps(data).encode(),
    )
