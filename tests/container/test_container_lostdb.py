"""The container run twice WITHOUT a /data volume (each run starts from an empty database) never reposts: the image
runs `sqbot post` against the spec-validated X fake on host loopback (`--network=host`), twice, and X ends with
every post exactly once and the thread still chained. Reuses the podman set-up of test_container.py."""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.x_api import XFake
from test_container import BASE, REPO, Podman, podman  # noqa: F401  (the module's podman fixture)

IMAGE = (
    "localhost/sqbot:lostdb-test"  # its own tag: other sessions build localhost/sqbot:test from other trees
)
THREAD = ["Who keeps bots running in containers? 🧵", "Volumes & backups: how do you do them?", "Thanks!"]
SINGLE = "Which base images do you trust for Python services?"

pytestmark = pytest.mark.timeout(1200)


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def ours(fake: XFake) -> list[tuple[str, str | None, str]]:
    return [(t.id, t.replied_to, t.text) for t in sorted(fake.by_author(fake.me), key=lambda t: int(t.id))]


def test_the_container_run_twice_without_a_volume_posts_everything_once_on_x(
    podman: Podman,  # noqa: F811
    fake: XFake,
    tmp_path: Path,
) -> None:
    began = time.monotonic()
    podman(
        "build", "--format", "docker", "--network=host", "--build-arg", f"BASE={BASE}", "-t", IMAGE, str(REPO),
        timeout=900,
    )  # fmt: skip
    build_s = time.monotonic() - began
    queue = tmp_path / "queue"
    queue.mkdir()
    items = [
        {"id": "ctr-thread", "platforms": ["x"], "thread": THREAD},
        {"id": "ctr-single", "platforms": ["x"], "text": SINGLE},
    ]
    (queue / "q.yaml").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    os.chmod(queue, 0o755)  # noqa: S103 (the container's user 10001 reads the queue through a bind mount)
    os.chmod(queue / "q.yaml", 0o644)
    run = [
        "run",
        "--rm",
        "--network=host",
        "-v",
        f"{queue}:/queue:ro",
        "-e",
        "SQBOT_QUEUE=/queue",
        "-e",
        "SQBOT_SANDBOX=0",
        "-e",
        f"SQBOT_X_API_BASE={fake.base_url}",
        "-e",
        "SQBOT_X_API_KEY=ck",
        "-e",
        "SQBOT_X_API_SECRET=cs",
        "-e",
        "SQBOT_X_ACCESS_TOKEN=at",
        "-e",
        "SQBOT_X_ACCESS_SECRET=as",
        IMAGE,
        "post",
    ]  # fmt: skip  (no -v for /data: each run gets a new, empty anonymous volume, removed with --rm)

    first = podman(*run, timeout=180)
    posted = ours(fake)
    assert sorted(t for _, _, t in posted) == sorted([*THREAD, SINGLE]), first.stdout + first.stderr

    second = podman(*run, timeout=180)
    assert second.stdout.count("adopted") == 2, second.stdout + second.stderr
    assert ours(fake) == posted  # 0 duplicates: nothing new on X
    chain = [p for p in posted if p[2] in THREAD]
    assert [p[2] for p in chain] == THREAD and chain[0][1] is None
    for (prev, _, _), (_, parent, _) in itertools.pairwise(chain):
        assert parent == prev
    assert fake.requests_to("POST /2/tweets") == 4 and fake.requests_to("GET /2/users/:id/tweets") == 2
    print(
        f"\ncontainer without a volume: build {build_s:.0f} s; run twice: 4 posts on X, 0 duplicates, chain kept"
    )
