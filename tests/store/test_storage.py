"""Storage faults: a full disk (a real, small tmpfs), a read-only data dir (a read-only remount) and a database
locked past the busy timeout each give one line saying what to do, never a traceback, and leave nothing
half-written. The daemon logs the fault, keeps going and retries on its next tick. File modes are owner-only
whatever the umask. The tests run as root (the container); where `mount` is refused they skip loudly, and fail
under CI=true / SQBOT_REQUIRE_SERVICES=1 (tests/conftest.py)."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.safety import atomic
from bot.store.db import Store
from tests.conftest import service_unavailable
from tests.ops.test_daemon import daemon_at, write_query

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOW_S = NOW.isoformat()


def _mount(point: Path, size: str) -> None:
    point.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point)],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        service_unavailable(
            "tmpfs mount", f"`mount -t tmpfs` was refused: {r.stderr.strip() or r.returncode}"
        )


def _umount(point: Path) -> None:
    subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A small real file system (tmpfs, 4 MiB) that the test can fill or make read-only."""
    point = tmp_path / "disk"
    _mount(point, "4m")
    try:
        yield point
    finally:
        _umount(point)


def _fill(folder: Path) -> None:
    """Use up every free byte of the file system holding `folder`."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError:
        pass
    finally:
        os.close(fd)
    for i in range(64):  # the last partial blocks
        try:
            (folder / f"filler{i}").write_bytes(b"\0" * 512)
        except OSError:
            break


def _remount_ro(point: Path) -> None:
    r = subprocess.run(["mount", "-o", "remount,ro", str(point)], capture_output=True, text=True)
    if r.returncode != 0:
        service_unavailable("read-only remount", r.stderr.strip())


def _env(tmp_path: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(SQBOT_DATA_DIR=str(data), SQBOT_QUEUE=str(tmp_path / "queries"), SQBOT_SANDBOX="1")
    return env


def _sqbot(
    tmp_path: Path, env: dict[str, str], *args: str, now: str = NOW_S
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--now", now, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line(r: subprocess.CompletedProcess[str], *words: str) -> str:
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("sqbot: error:")]
    assert len(lines) == 1, r.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def _posted(tmp_path: Path, data: Path) -> dict[str, str]:
    write_query(tmp_path, "q1")
    env = _env(tmp_path, data)
    r = _sqbot(tmp_path, env, "post")
    assert r.returncode == 0 and "posted" in r.stdout, (r.stdout, r.stderr)
    return env


def test_a_full_disk_gives_one_line_for_poll_post_and_digest_and_leaves_no_file_behind(
    tmp_path: Path, disk: Path
) -> None:
    data = disk / "data"
    env = _posted(tmp_path, data)
    _fill(disk)
    poll = _sqbot(tmp_path, env, "poll", now="2026-11-23T12:00:00+00:00")
    _one_line(poll, "full", "free some space")
    write_query(tmp_path, "q2")
    _one_line(_sqbot(tmp_path, env, "post"), "full")
    # the preview goes to the full disk: one line, and no empty or half-written file is left there
    before = set(disk.iterdir())
    _one_line(_sqbot(tmp_path, env, "digest", "--preview", str(disk / "digest.html")), "full")
    assert set(disk.iterdir()) == before
    assert not list(disk.glob(".digest*"))
    # space again: the same commands work, nothing was lost
    for f in disk.glob("filler*"):
        f.unlink()
    assert _sqbot(tmp_path, env, "poll", now="2026-11-23T12:00:00+00:00").returncode == 0
    ok = _sqbot(
        tmp_path, env, "digest", "--preview", str(disk / "digest.html"), now="2026-11-24T12:00:00+00:00"
    )
    assert ok.returncode == 0 and (disk / "digest.html").stat().st_size > 0, ok.stderr


def test_a_read_only_data_dir_says_so_instead_of_asking_whether_it_is_a_sqbot_database(
    tmp_path: Path, disk: Path
) -> None:
    data = disk / "data"
    env = _posted(tmp_path, data)
    _remount_ro(disk)
    for args in (("poll",), ("post",), ("digest", "--preview", str(disk / "d.html"))):
        line = _one_line(_sqbot(tmp_path, env, *args), "read-only")
        assert "is it a sqbot database" not in line
    assert not (disk / "d.html").exists()


def test_a_database_locked_past_the_busy_timeout_is_one_storage_error(tmp_path: Path) -> None:
    write_query(tmp_path, "q1")
    store = Store.open(tmp_path / "sqbot.db")
    other = sqlite3.connect(tmp_path / "sqbot.db", isolation_level=None)
    try:
        store.conn.execute("PRAGMA busy_timeout=200")
        other.execute("BEGIN IMMEDIATE")  # a stuck writer
        with pytest.raises(StorageError, match="locked longer than the busy timeout"):
            store.set_daemon_state(pid=1)
        other.execute("ROLLBACK")
        store.set_daemon_state(pid=2)  # once the writer is gone, writing works
        assert store.daemon_state()["pid"] == 2  # type: ignore[index]
    finally:
        other.close()
        store.close()


def test_the_daemon_logs_a_full_disk_in_one_line_and_retries_on_the_next_tick(
    tmp_path: Path, disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    d = daemon_at(tmp_path, NOW, data_dir=disk / "data")
    write_query(tmp_path, "q1")
    assert d.guarded("post", d.post)
    write_query(tmp_path, "q2")
    _fill(disk)
    with caplog.at_level(logging.ERROR, logger="sqbot.daemon"):
        assert d.guarded("post", d.post) is False
    faults = [r for r in caplog.records if "post failed" in r.getMessage()]
    assert faults and all(r.exc_info is None for r in faults), "a storage fault is one line, no traceback"
    assert "full" in faults[0].getMessage()
    for f in disk.glob("filler*"):
        f.unlink()
    assert d.guarded("post", d.post) is True  # the next tick works again


def test_an_atomic_write_that_fails_keeps_the_old_file_and_leaves_no_temp_file(
    tmp_path: Path, disk: Path
) -> None:
    target = disk / "report.html"
    atomic.write_text(target, "old")
    _fill(disk)
    with pytest.raises(StorageError, match="full"):
        atomic.write_bytes(target, b"x" * 1_000_000)
    assert target.read_text() == "old"
    assert [p.name for p in disk.iterdir() if p.name.startswith(".")] == []


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_the_data_dir_database_wal_and_digests_are_owner_only_under_a_lax_umask(tmp_path: Path) -> None:
    # the data dir is created by sqbot itself, under the lax umask (an existing one is never chmodded: test_trust)
    data = tmp_path / "data"
    write_query(tmp_path, "q1")
    env = _env(tmp_path, data)
    old = os.umask(0o022)
    try:
        cmd = "import os, sys; os.umask(0o022); from bot.cli.app import main; main(sys.argv[1:])"
        runs = [
            (NOW_S, "post"),
            ("2026-11-23T12:00:00+00:00", "poll"),
            ("2026-11-24T15:00:00+00:00", "poll"),
            ("2026-11-24T15:00:01+00:00", "digest"),
        ]
        for now, command in runs:
            r = subprocess.run(
                [sys.executable, "-c", cmd, "--now", now, command],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert r.returncode == 0, r.stderr
        store = Store.open(data / "sqbot.db")  # holds -wal/-shm open while we look
        try:
            store.set_daemon_state(pid=1)
            files = [p for p in data.rglob("*") if p.is_file()]
            names = {p.name for p in files}
            assert {"sqbot.db", "sqbot.db-wal", "sqbot.db-shm"} <= names
            assert any(p.suffix == ".eml" for p in files), names
            assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
            dirs = [data, *[p for p in data.rglob("*") if p.is_dir()]]
            assert {str(p): _mode(p) for p in dirs} == {str(p): 0o700 for p in dirs}
        finally:
            store.close()
    finally:
        os.umask(old)


def test_a_database_opened_in_process_under_a_lax_umask_is_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = Store.open(tmp_path / "data" / "sqbot.db")
        try:
            store.set_daemon_state(pid=1)
            for name in ("sqbot.db", "sqbot.db-wal", "sqbot.db-shm"):
                assert _mode(tmp_path / "data" / name) == 0o600, name
            assert _mode(tmp_path / "data") == 0o700
        finally:
            store.close()
        atomic.write_text(tmp_path / "data" / "digests" / "x.html", "<p>")
        assert _mode(tmp_path / "data" / "digests" / "x.html") == 0o600
    finally:
        os.umask(old)
