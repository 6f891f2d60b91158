"""The container run twice WITHOUT a /data volume (each run starts from an empty database) never reposts: the image
runs `sqbot post` against the spec-validated X fake on host loopback (`--network=host`), twice, and X ends with
every post exactly once and the thread still chained; the same for the daemon (`sqbot run`) restarted in a new
container. Reuses the podman set-up of test_container.py (its helpers, not its fixture's teardown)."""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fakes.x_api import XFake
from test_container import BASE, REPO, WORK, Podman, _base_image, _conf, _ensure_podman

from tests.conftest import service_unavailable

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


@pytest.fixture(scope="module")
def podman(tmp_path_factory: pytest.TempPathFactory) -> Podman:
    """test_container.py's set-up (settings, base image), without its teardown of that test's containers and
    volume (another session may be running it)."""
    _ensure_podman()
    WORK.mkdir(parents=True, exist_ok=True)
    p = Podman(_conf(tmp_path_factory.mktemp("podman-conf")))
    info = p("info", "--format", "{{.Host.OCIRuntime.Name}}", check=False)
    if info.returncode != 0:
        service_unavailable("podman", info.stderr[-500:])
    _base_image(p)
    return p


@pytest.fixture(scope="module")
def image(podman: Podman) -> float:
    """Builds the image from this tree once for the module; returns the build time in seconds."""
    began = time.monotonic()
    podman(
        "build", "--format", "docker", "--network=host", "--build-arg", f"BASE={BASE}", "-t", IMAGE, str(REPO),
        timeout=900,
    )  # fmt: skip
    return time.monotonic() - began


def _queue(tmp_path: Path) -> Path:
    queue = tmp_path / "queue"
    queue.mkdir()
    items = [
        {"id": "ctr-thread", "platforms": ["x"], "thread": THREAD},
        {"id": "ctr-single", "platforms": ["x"], "text": SINGLE},
    ]
    (queue / "q.yaml").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    os.chmod(queue, 0o755)  # noqa: S103 (the container's user 10001 reads the queue through a bind mount)
    os.chmod(queue / "q.yaml", 0o644)
    return queue


def _options(queue: Path, fake: XFake) -> list[str]:
    """No -v for /data: each container gets a new, empty anonymous volume."""
    return [
        "--network=host", "-v", f"{queue}:/queue:ro", "-e", "SQBOT_QUEUE=/queue",
        "-e", "SQBOT_SANDBOX=0", "-e", f"SQBOT_X_API_BASE={fake.base_url}",
        "-e", "SQBOT_X_API_KEY=ck", "-e", "SQBOT_X_API_SECRET=cs",
        "-e", "SQBOT_X_ACCESS_TOKEN=at", "-e", "SQBOT_X_ACCESS_SECRET=as",
    ]  # fmt: skip


def _assert_once_and_chained(fake: XFake) -> list[tuple[str, str | None, str]]:
    posted = ours(fake)
    assert sorted(t for _, _, t in posted) == sorted([*THREAD, SINGLE])  # every post exactly once
    chain = [p for p in posted if p[2] in THREAD]
    assert [p[2] for p in chain] == THREAD and chain[0][1] is None
    for (prev, _, _), (_, parent, _) in itertools.pairwise(chain):
        assert parent == prev
    return posted


def test_the_container_run_twice_without_a_volume_posts_everything_once_on_x(
    podman: Podman,
    image: float,
    fake: XFake,
    tmp_path: Path,
) -> None:
    run = ["run", "--rm", *_options(_queue(tmp_path), fake), IMAGE, "post"]
    first = podman(*run, timeout=180)
    posted = ours(fake)
    assert len(posted) == 4, first.stdout + first.stderr
    second = podman(*run, timeout=180)
    assert second.stdout.count("adopted") == 2, second.stdout + second.stderr
    assert _assert_once_and_chained(fake) == posted  # 0 duplicates: nothing new on X
    assert fake.requests_to("POST /2/tweets") == 4 and fake.requests_to("GET /2/users/:id/tweets") == 2
    print(f"\ncontainer without a volume: build {image:.0f} s; `post` twice: 4 posts on X, 0 duplicates")


def test_the_daemon_container_restarted_without_a_volume_reposts_nothing(
    podman: Podman,
    image: float,
    fake: XFake,
    tmp_path: Path,
) -> None:
    opts = [
        *_options(_queue(tmp_path), fake),
        "-e",
        "SQBOT_TICK_SECONDS=1",
        "-e",
        "SQBOT_HEARTBEAT_SECONDS=2",
    ]
    names = ["sqbot-lostdb-1", "sqbot-lostdb-2"]
    podman("rm", "-f", "-v", *names, check=False)  # -v: their anonymous /data volumes too
    try:
        podman("run", "-d", "--name", names[0], *opts, IMAGE, "run")
        _wait(lambda: len(ours(fake)) == 4, 90, lambda: _logs(podman, names[0]))
        podman("stop", "-t", "10", names[0], timeout=30)
        posted = ours(fake)
        podman("run", "-d", "--name", names[1], *opts, IMAGE, "run")  # a new container: an empty /data
        _wait(lambda: _logs(podman, names[1]).count("adopted") >= 2, 90, lambda: _logs(podman, names[1]))
        podman("stop", "-t", "10", names[1], timeout=30)
        assert _assert_once_and_chained(fake) == posted
        assert fake.requests_to("POST /2/tweets") == 4
    finally:
        podman("rm", "-f", "-v", *names, check=False)  # -v: their anonymous /data volumes too


def _logs(podman: Podman, name: str) -> str:
    out = podman("logs", name, check=False)
    return out.stdout + out.stderr


def _wait(done: Callable[[], bool], seconds: float, why: Callable[[], str]) -> None:
    began = time.monotonic()
    while not done():
        assert time.monotonic() - began < seconds, why()[-3000:]
        time.sleep(0.5)
