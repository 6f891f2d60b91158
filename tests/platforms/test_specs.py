"""The one platform contract: a complete spec per registered platform, an unknown platform refused where a name
comes in, and optional capabilities detected by type (never by probing an attribute name)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import ConfigError
from bot.leads.followup import FollowUpError, fits, safe_handle
from bot.models import FetchResult, IdentityData, Intent, PostSpec, PublishedPost, Reconciled, WatchedPost
from bot.platforms.base import (
    ContinuesThreads,
    FetchesConversations,
    Metered,
    OwnPost,
    Platform,
    PlatformSpec,
    ResumesThreads,
    WatchesUrls,
    resumes,
)
from bot.platforms.registry import build_platforms
from bot.platforms.sandbox.adapter import SandboxPlatform
from bot.platforms.specs import HOSTS, LABELS, PLATFORMS, REPLYABLE, SPECS, order, spec_for
from bot.queue.parse import validate

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------------------------------ complete specs
@pytest.mark.parametrize("name", PLATFORMS)
def test_every_registered_platform_has_a_complete_spec(name: str) -> None:
    spec = SPECS[name]
    assert isinstance(spec, PlatformSpec) and spec.name == name and spec_for(name) is spec
    assert (spec.label and spec.label != name.lower()) or name == "x"
    assert spec.limit > 0 and spec.length("hello") == 5 and spec.length("") == 0
    assert spec.post_length("a" * spec.limit) == spec.limit and spec.fits("a" * spec.limit)
    assert not spec.fits("a" * (spec.limit + 1))
    assert spec.hosts and all("." in h and "/" not in h for h in spec.hosts)
    assert (spec.image_bytes is None) == (spec.max_images is None)
    assert spec.handle_of("@alice_1") in ("alice_1", None)  # '@' dropped, shape checked
    assert spec.handle_of("<script>") is None and spec.handle_of(None) is None
    assert spec.permalink('not an id " <') is None
    assert spec.profile_link('evil"><script>', "also bad <", None) is None
    # every link the spec builds points at one of its own hosts
    for link in (spec.profile_link("alice.example.com" if name == "bluesky" else "alice", "123", None),):
        assert link is None or any(f"://{h}/" in link for h in spec.hosts), link
    assert LABELS[name] == spec.label and set(spec.hosts) <= set(HOSTS)
    assert order(name) == PLATFORMS.index(name)


def test_the_spec_facts_are_the_ones_the_platforms_use() -> None:
    bsky, x, substack = SPECS["bluesky"], SPECS["x"], SPECS["substack"]
    assert (bsky.limit, bsky.max_bytes, bsky.image_bytes, bsky.max_images) == (300, 3000, 1_000_000, 4)
    assert (x.limit, x.image_bytes, x.max_images, x.link_in_text) == (280, 5_000_000, 4, True)
    assert (substack.limit, substack.image_bytes) == (10_000, None)
    assert x.post_length("hi", "https://example.org/a") == 2 + 1 + 23  # the link is in the text, a URL is 23
    assert bsky.post_length("hi", "https://example.org/a") == 2  # a card
    assert bsky.over_limit("é" * 1501) == ("bytes", 3002, 3000)
    assert x.over_limit("a" * 281) == ("long", 281, 280)
    assert REPLYABLE == ("bluesky", "x")
    post = "at://did:plc:abc/app.bsky.feed.post/3k2a"
    assert bsky.permalink(post) == "https://bsky.app/profile/did:plc:abc/post/3k2a"
    assert x.permalink("123") == "https://x.com/i/web/status/123"
    assert substack.permalink("note:1") is None  # its stored URL is the link
    assert substack.profile_link("ann", "1", "https://ann.substack.com/") == "https://ann.substack.com/"


def test_adapters_answer_to_their_spec_name() -> None:
    from bot.platforms.bluesky.adapter import BlueskyPlatform
    from bot.platforms.substack.adapter import SubstackPlatform
    from bot.platforms.x.adapter import XPlatform

    assert [BlueskyPlatform.name, XPlatform.name, SubstackPlatform.name] == list(PLATFORMS)


def test_specs_import_no_sdk_and_no_network_library() -> None:
    code = (
        "import sys, bot.platforms.specs as s\n"
        "[spec.length('hi \U0001f44b') for spec in s.SPECS.values() if spec.name != 'x']\n"
        "print([m for m in ('atproto', 'atproto_client', 'tweepy', 'httpx', 'requests', 'twitter_text', 'regex',"
        " 'pydantic') if m in sys.modules])"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[0] == "['regex']"  # Bluesky's graphemes, loaded only once a text is measured


# ------------------------------------------------------------------------------------------ unknown names
def test_an_unknown_platform_name_is_an_error_not_a_default() -> None:
    with pytest.raises(ConfigError, match=r"unknown platform 'mastodon'; use one of bluesky, x, substack"):
        spec_for("mastodon")
    with pytest.raises(ConfigError):
        spec_for("sandbox")  # the simulator stands in for platforms; it is not one
    assert safe_handle("mastodon", "alice") is None
    with pytest.raises(FollowUpError, match="mastodon"):
        fits("hello", "mastodon")  # never Bluesky's limit by default


def test_validate_refuses_an_unknown_platform_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: a\nplatforms: [bluesky, x]\ntext: hi\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "id: b\nplatforms:\n  - bluesky\n  - mastodon\ntext: hi\n", encoding="utf-8"
    )
    queries, problems = validate([str(tmp_path)])
    assert [q.id for q in queries] == ["a"]
    assert [(Path(p.file).name, p.line, p.col) for p in problems] == [("b.yaml", 4, 5)]
    assert "unknown platform 'mastodon'; use bluesky, x, substack" in problems[0].message


@pytest.mark.parametrize("sandbox", [True, False])
def test_build_platforms_refuses_an_unknown_platform(tmp_path: Path, sandbox: bool) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", sandbox=sandbox)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="unknown platform 'mastodon'"):
        build_platforms(settings, ["bluesky", "mastodon"])
    if sandbox:
        assert sorted(build_platforms(settings, ["x", "bluesky"])) == ["bluesky", "x"]


# ------------------------------------------------------------------------------------------ capabilities
class Bare:
    """Only the `Platform` protocol: no optional capability."""

    name = "bluesky"

    def prepare(self, query_id: str, posts: Sequence[PostSpec], now: datetime) -> Intent:
        return Intent(query_id, self.name, {})

    def send(self, intent: Intent, on_posted: Callable[[PublishedPost], None]) -> tuple[PublishedPost, ...]:
        return ()

    def reconcile(self, intent: Intent) -> Reconciled:
        return Reconciled("unknown")

    def recent_own_posts(self, newer_than: str | None = None) -> Sequence[OwnPost]:
        return ()

    def fetch(self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime) -> FetchResult:
        return FetchResult((), cursor)

    def profiles(self, user_ids: Sequence[str]) -> list[IdentityData]:
        return []


class SaysNo(Bare):
    resumes_threads = False


CAPABILITIES = (FetchesConversations, WatchesUrls, ContinuesThreads, ResumesThreads, Metered)


def test_a_platform_without_a_capability_is_never_treated_as_having_it() -> None:
    bare = Bare()
    assert isinstance(bare, Platform)
    assert [c.__name__ for c in CAPABILITIES if isinstance(bare, c)] == []
    assert not resumes(bare)
    assert isinstance(SaysNo(), ResumesThreads) and not resumes(SaysNo())  # declared, and declared False


def test_the_real_adapters_declare_their_capabilities(tmp_path: Path) -> None:
    import tweepy

    from bot.platforms.x.adapter import XPlatform

    x = XPlatform(tweepy.Client(bearer_token="t"), user_id="me")
    sandbox = SandboxPlatform("substack", tmp_path / "net.json")
    assert isinstance(x, Platform) and isinstance(sandbox, Platform)
    assert [c.__name__ for c in CAPABILITIES if isinstance(x, c)] == [
        "FetchesConversations",
        "ResumesThreads",
        "Metered",
    ]
    assert [c.__name__ for c in CAPABILITIES if isinstance(sandbox, c)] == ["WatchesUrls", "ResumesThreads"]
    assert resumes(x) and resumes(sandbox)


def test_poll_skips_the_conversation_fetch_of_a_platform_that_has_none(tmp_path: Path) -> None:
    from bot.poll.fetch import _conversations
    from bot.store.db import Store

    store = Store.open(tmp_path / "sqbot.db")
    watched = [WatchedPost("q1", "p1", 0, NOW)]
    try:
        assert _conversations(store, "bluesky", Bare(), watched, NOW, None) is None
    finally:
        store.close()


def test_every_platform_package_builds_its_own_adapter_from_settings() -> None:
    """Adding a platform is its package (spec, adapter, build) plus one registry line: the registry holds no
    per-platform branch, it calls the package's `build(settings, meter)` named by the spec."""
    import importlib
    import inspect

    from bot.platforms import registry
    from bot.platforms.specs import SPECS

    for name, spec in SPECS.items():
        assert spec.factory == f"bot.platforms.{name}.build", name
        module = importlib.import_module(spec.factory)
        assert list(inspect.signature(module.build).parameters) == ["settings", "meter"], name
    source = inspect.getsource(registry)
    assert not any(f'"{name}"' in source for name in SPECS), "the registry names no platform itself"


def test_without_credentials_a_real_platform_is_not_built_and_substack_reads_without_them(
    tmp_path: Path,
) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", sandbox=False)  # type: ignore[call-arg]
    built = build_platforms(settings, ["bluesky", "x", "substack"])
    assert sorted(built) == ["substack"]  # reading Substack comments needs no login; the others need one


def test_nothing_probes_a_platform_with_getattr() -> None:
    """Capabilities are protocols checked with `isinstance`: no `getattr`/`hasattr` with a string names a member
    of the platform contract anywhere in bot/."""
    import ast

    from bot.platforms import base

    members = {
        name
        for proto in (base.Platform, base.FetchesConversations, base.WatchesUrls, base.ContinuesThreads)
        for name in vars(proto)
        if not name.startswith("_")
    } | {"resumes_threads", "usage", "poll_stopped"}
    root = Path(base.__file__).resolve().parents[1]
    probes = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "hasattr")
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in members
            ):
                probes.append(f"{path.relative_to(root)}:{node.lineno} {node.args[1].value}")
    assert members >= {"fetch", "send", "watch_url", "continue_after"}
    assert probes == []
