"""The sandbox: an embedded, offline stand-in network that behaves like a platform.

Its whole state is one JSON file under the data dir (written atomically). Posting stores our posts under
client-chosen ids (so a repeated send is a no-op and reconciliation is a lookup). Replies come from a fixed cast
of simulated people on a script relative to each root post's time: answers, a referral, a reply to a reply
(the person referred to answers), a mention in a separate post, a quote, spam, German and Japanese replies and a
hostile `<script>` reply. `fetch` returns what has "happened" by `now`, so a poll at a later `now` sees more.
It runs as any platform name (`bluesky`, `x`, `substack`) so the whole loop can be tried without accounts.

The cast tells one story across the posts published together (the root posts of one `post` run, on every
platform: `batch`): each scripted line goes to one of them (its `to`, modulo how many there are), so in the demo
Sam on X points to Maya, Maya answers on Bluesky and points to Ivan, Ivan offers to talk there, and Lena and Hiro
comment on Substack. A root post published alone hears the whole script. Each person's profile links their
accounts on the other platforms (as a Substack profile links an X account), so the referral that names Maya's X
handle reaches the Maya who answered on Bluesky (`merge_by_links`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.errors import PublishError
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
from bot.platforms.specs import order


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    bio: str
    followers: int


CAST: dict[str, Persona] = {
    p.key: p
    for p in (
        Persona(
            "maya", "Maya Okafor", "Cultural evolution researcher. Open-endedness, agent societies.", 4210
        ),
        Persona(
            "ivan", "Ivan Petrov", "Runs the collective-intelligence lab. Evolutionary computation.", 1875
        ),
        Persona("lena", "Lena Vogel", "Computational social science @ a university in Zurich.", 930),
        Persona("growthguru", "Growth Guru 🚀", "10x your followers!!! DM for promo", 12),
        Persona("hiro", "Hiro Tanaka", "人工生命の研究者 / ALife researcher", 640),
        Persona("mallory", "<b>Mallory</b>", "<img src=x onerror=alert(1)>", 3),
        Persona("sam", "Sam Rivera", "Writes about AI research culture.", 2100),
    )
}

# (minutes after the root, persona, kind, text, reply-to, to); reply-to: "root", the index of an earlier scripted
# reply (a reply to a reply, under the same root as that reply), or None (not a reply); to: which root post of the
# batch it goes to (`batch`), modulo the batch's size. In the demo's batch of five (0 Bluesky novelty-search,
# 1 Bluesky open-ended-ai-people, 2 X novelty-search, 3 X open-ended-ai-people, 4 the Substack reading list):
# Maya and Ivan on Bluesky (6); Sam's mention, the spam and Mallory on X (8, 3); Lena and Sam's quote on X (7);
# Hiro and Lena's follow-up on Substack (4). A root published alone hears every line; with one query on Bluesky
# and X (two roots), the referral chain stays on Bluesky and the spam, Mallory and Lena go to X.
SCRIPT: tuple[tuple[int, str, InteractionKind, str, str | int | None, int], ...] = (
    (
        5,
        "maya",
        "reply",
        "Great question. Our group models norm evolution in LLM agent populations; "
        "the open-endedness angle is exactly what we are missing.",
        "root",
        6,
    ),
    (
        12,
        "maya",
        "reply",
        "You should really talk to @{ivan}, he ran the biggest study on this last year.",
        "root",
        6,
    ),
    (15, "growthguru", "reply", "🔥🔥 Want 10k followers overnight? DM me for promo!!! 🔥🔥", "root", 3),
    (20, "mallory", "reply", "<script>alert('pwned')</script> lol nice \"query\" & stuff", "root", 3),
    (40, "ivan", "reply", "Thanks for the tag! Happy to chat about it, DM me any time.", 1, 6),
    (
        50,
        "lena",
        "reply",
        "Spannende Frage! Schau dir die Arbeit von Maya Okafor an, sie ist die Richtige.",
        "root",
        7,
    ),
    (90, "sam", "mention", "@{owner} is asking who works on this; I'd point them to @{maya}.", None, 8),
    (95, "maya", "reply", "Thanks for the pointer! Glad to help; my notes are on Bluesky.", 6, 8),
    (110, "sam", "quote", "Worth answering if you work on open-ended AI.", None, 7),
    (120, "hiro", "reply", "興味深い質問ですね。人工生命の分野でも似た議論があります。", "root", 4),
    (
        26 * 60,
        "lena",
        "reply",
        "Follow-up: our preprint on this is out next week, happy to send it.",
        "root",
        4,
    ),
)

HANDLE_STYLE = {"bluesky": "{key}.sandbox.test", "x": "{key}_sbx", "substack": "{key}"}


def batch(posts: dict[str, Any], pid: str) -> list[str]:
    """The root posts published together with root `pid` (the same time), on every platform of this sandbox
    network: by platform (`bot.platforms.specs.order`), then query id. Follow-ups in a thread are no roots."""
    created = posts.get(pid, {}).get("created_at")
    ids = [
        k
        for k, p in posts.items()
        if p.get("created_at") == created and not p.get("index") and not p.get("parent")
    ]
    return sorted(ids, key=lambda k: (order(k.split("-")[1]), str(posts[k].get("query_id")), k))


def _place(posts: dict[str, Any], pid: str) -> tuple[int, int]:
    """(where root `pid` comes in its batch, the batch's size); a root the network does not know is alone."""
    ids = batch(posts, pid)
    return (ids.index(pid), len(ids)) if pid in ids else (0, 1)


def handle_for(platform: str, key: str) -> str:
    return HANDLE_STYLE.get(platform, "{key}").format(key=key)


_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def _carries(post: Mapping[str, Any]) -> dict[str, Any]:
    """What else a sandbox post carries, as `OwnPost` says it (its text's links and its link; its images), for
    adoption to compare; nothing for a post an older sqbot wrote (unknown, not compared)."""
    if not isinstance(post.get("images"), int):
        return {}
    links = set(_URL.findall(str(post.get("text") or "")))
    if post.get("link"):
        links.add(str(post["link"]))
    return {"links": tuple(sorted(links)), "media": post["images"]}


class SandboxPlatform:
    """A platform named `name` whose network is the JSON file at `path`."""

    resumes_threads = True  # `send` continues a thread after the posts in `intent.done`

    def __init__(self, name: str, path: str | Path, *, owner: str = "you") -> None:
        self.name = name
        self.path = Path(path)
        self.owner = owner
        self.requests = 0

    # ------------------------------------------------------------------------------------------ state
    def _load(self) -> dict[str, Any]:
        self.requests += 1
        try:
            data: dict[str, Any] = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            data = {}
        data.setdefault("posts", {})
        return data

    def _save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".sandbox-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    # ------------------------------------------------------------------------------------------ publish
    def prepare(self, query_id: str, posts: Sequence[PostSpec], now: datetime) -> Intent:
        if not posts:
            raise PublishError(f"{query_id}: nothing to post on {self.name}")
        seed = hashlib.sha256(f"{self.name}|{query_id}|{now.isoformat()}".encode()).hexdigest()[:10]
        items = [
            {
                "id": f"sb-{self.name}-{seed}-{i}",
                "text": p.text,
                "created_at": now.isoformat(),
                "link": p.link,
                "images": len(p.images),
            }
            for i, p in enumerate(posts)
        ]
        if posts[0].reply_to:  # a follow-up in someone else's thread
            items[0]["reply_to"] = posts[0].reply_to
        return Intent(query_id, self.name, {"posts": items})

    def send(self, intent: Intent, on_posted: OnPosted) -> tuple[PublishedPost, ...]:
        data = self._load()
        items = intent.payload["posts"]
        done = {p.index for p in intent.done}
        out: list[PublishedPost] = list(intent.done)
        # a thread resumed after posts adopted from the network hangs from those (their ids, not the intent's)
        ids = [item["id"] for item in items]
        for p in intent.done:
            if p.index < len(ids):
                ids[p.index] = p.platform_id
        for i, item in enumerate(items):
            if i in done:
                continue
            data["posts"].setdefault(
                item["id"],
                {
                    "query_id": intent.query_id,
                    "index": i,
                    "text": item["text"],
                    "created_at": item["created_at"],
                    # what else it carries, for adoption to compare (posts written by an older sqbot: unknown)
                    "link": item.get("link"),
                    "images": item.get("images"),
                    "root": ids[0],
                    "parent": item.get("reply_to") or (ids[i - 1] if i else None),
                },
            )
        self._save(data)
        for i, item in enumerate(items):
            if i not in done:
                post = PublishedPost(i, item["id"], self._url(item["id"]))
                on_posted(post)
                out.append(post)
        return tuple(out)

    def reconcile(self, intent: Intent) -> Reconciled:
        data = self._load()
        items = intent.payload["posts"]
        found = [
            PublishedPost(i, it["id"], self._url(it["id"]))
            for i, it in enumerate(items)
            if it["id"] in data["posts"]
        ]
        if len(found) == len(items):
            return Reconciled("posted", tuple(found))
        if not found:
            return Reconciled("absent")
        return Reconciled("unknown", tuple(found), f"{len(found)} of {len(items)} posts exist")

    def recent_own_posts(self, newer_than: str | None = None) -> list[OwnPost]:
        """Our posts on this sandbox network, newest first (one read of the network file)."""
        data = self._load()
        prefix = f"sb-{self.name}-"
        by_slot = {(p.get("root"), p.get("index")): pid for pid, p in data["posts"].items()}
        out = []
        for pid, p in data["posts"].items():
            if not pid.startswith(prefix):
                continue
            index = int(p.get("index") or 0)
            parent = p.get("parent", by_slot.get((p.get("root"), index - 1)) if index else None)
            out.append(
                OwnPost(
                    platform_id=pid,
                    text=str(p.get("text") or ""),
                    reply_to=parent,
                    url=self._url(pid),
                    created_at=datetime.fromisoformat(p["created_at"]) if p.get("created_at") else None,
                    **_carries(p),
                )
            )
        out.sort(
            key=lambda o: (o.created_at.isoformat() if o.created_at else "", o.platform_id), reverse=True
        )
        return out

    def _url(self, pid: str) -> str:
        return f"https://sandbox.invalid/{self.name}/post/{pid}"

    # ------------------------------------------------------------------------------------------ poll
    def fetch(self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime) -> FetchResult:
        data = self._load()
        roots = [w for w in watched if w.index == 0]
        seen_upto = datetime.fromisoformat(cursor) if cursor else None
        items: list[InteractionData] = []
        for w in roots:
            root_time = datetime.fromisoformat(
                data["posts"].get(w.platform_id, {}).get("created_at", "") or w.posted_at.isoformat()
            )
            place, size = _place(data["posts"], w.platform_id)
            for n, (minutes, key, kind, text, reply_to, to) in enumerate(SCRIPT):
                at = root_time + timedelta(minutes=minutes)
                pid = f"{w.platform_id}-r{n}"
                if at > now:
                    break
                if to % size != place:
                    continue  # this line of the story goes to another post of the batch
                parent = (
                    w.platform_id
                    if reply_to == "root"
                    else f"{w.platform_id}-r{reply_to}"
                    if reply_to is not None
                    else None
                )
                if seen_upto is not None and at <= seen_upto:
                    continue
                items.append(self._interaction(pid, key, kind, text, at, w.platform_id, parent))
        new_cursor = max((i.created_at for i in items), default=seen_upto)
        return FetchResult(tuple(items), new_cursor.isoformat() if new_cursor else cursor, requests=1)

    def _interaction(
        self,
        pid: str,
        key: str,
        kind: InteractionKind,
        text: str,
        at: datetime,
        root: str,
        parent: str | None,
    ) -> InteractionData:
        names = {k: handle_for(self.name, k) for k in CAST}
        body = text.format(owner=self.owner, **names)
        mentions = tuple(
            Mention(handle=names[k], user_id=f"sandbox:{self.name}:{k}", platform=self.name)
            for k in CAST
            if "@" + names[k] in body
        )
        return InteractionData(
            platform=self.name,
            platform_id=pid,
            kind=kind,
            author=self._identity(key),
            text=body,
            created_at=at,
            root_id=root,
            parent_id=parent if kind == "reply" else (root if kind == "quote" else None),
            url=self._url(pid),
            mentions=mentions,
        )

    def _identity(self, key: str, *, full: bool = False) -> IdentityData:
        p = CAST[key]
        return IdentityData(
            platform=self.name,
            user_id=f"sandbox:{self.name}:{key}",
            handle=handle_for(self.name, key),
            name=p.name,
            bio=p.bio if full else None,
            followers=p.followers if full else None,
            url=f"https://sandbox.invalid/{self.name}/profile/{key}",
            # like a Substack profile's linked X account: the same person on the other platforms, whose
            # profiles link back (a link only one side asserts is never merged)
            links=tuple((o, handle_for(o, key)) for o in HANDLE_STYLE if o != self.name) if full else (),
        )

    def profiles(self, user_ids: Sequence[str]) -> list[IdentityData]:
        self.requests += 1
        out = []
        for uid in user_ids:
            key = uid.rsplit(":", 1)[-1]
            if key in CAST:
                out.append(self._identity(key, full=True))
        return out

    def watch_url(self, query_id: str, post_url: str, now: datetime) -> PublishedPost:
        """A long query published by hand: the sandbox 'finds' it at its URL (only polled, never posted)."""
        pid = "sb-substack-" + hashlib.sha256(post_url.encode()).hexdigest()[:10]
        data = self._load()
        data["posts"].setdefault(
            pid,
            {"query_id": query_id, "index": 0, "text": post_url, "created_at": now.isoformat(), "root": pid},
        )
        self._save(data)
        return PublishedPost(0, pid, post_url)
