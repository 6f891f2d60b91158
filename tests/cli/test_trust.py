"""What sqbot trusts on the machine it runs on: the data dir it is given must be its own (never a shared folder
like /tmp, never chmodded when sqbot did not create it), and settings come from the environment and one `.env`:
`--env-file PATH` or the data dir's, never the working folder's (usually the queue repository, which takes pull
requests: a `.env` there could send the X keys to another API base). The CLI runs as a subprocess; X is the X fake;
an "attacker" API base is a loopback server that records every request it gets."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fakes.x_api import XFake

NOW = "2026-03-02T10:00:00+00:00"


def _sqbot(cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update({"SQBOT_SANDBOX": "1", **settings})
    return subprocess.run(
        [sys.executable, "-m", "bot", "--now", NOW, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# ---------------------------------------------------------------------------------------------- the data dir
@pytest.mark.parametrize(
    ("mode", "why"),
    [(0o1777, "sticky bit"), (0o777, "writable by every user"), (0o703, "writable by every user")],
)
@pytest.mark.parametrize("command", [["status"], ["leads", "list"], ["post"]])
def test_a_shared_data_dir_is_refused_with_one_line_and_never_chmodded(
    tmp_path: Path, mode: int, why: str, command: list[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, mode)
    (tmp_path / "queries").mkdir()
    r = _sqbot(tmp_path, "--data-dir", str(shared), *command, SQBOT_QUEUE=str(tmp_path / "queries"))
    assert r.returncode == 1, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert why in lines[0] and "private subfolder" in lines[0] and str(shared / "sqbot") in lines[0], lines[0]
    assert _mode(shared) == mode, "the shared folder was chmodded"
    assert list(shared.iterdir()) == [], "sqbot wrote into the shared folder"


def test_a_data_dir_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "theirs"
    other.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(other, 65534, 65534)
    else:
        other = Path("/")  # owned by root
    r = _sqbot(tmp_path, "--data-dir", str(other), "status")
    assert r.returncode == 1 and "owned by another user" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_sqbot_creates_its_data_dir_0700_and_leaves_an_existing_private_one_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "q.yaml").write_text(
        "id: q\nplatforms: [bluesky]\ntext: Who?\n", encoding="utf-8"
    )
    made = tmp_path / "made" / "data"
    r = _sqbot(tmp_path, "--data-dir", str(made), "post", SQBOT_QUEUE=str(tmp_path / "queries"))
    assert r.returncode == 0, r.stderr
    assert _mode(made) == 0o700
    mine = tmp_path / "mine"
    mine.mkdir()
    os.chmod(mine, 0o750)  # noqa: S103 (the operator's choice, a group that backs it up: not ours to change)
    r = _sqbot(tmp_path, "--data-dir", str(mine), "post", SQBOT_QUEUE=str(tmp_path / "queries"))
    assert r.returncode == 0, r.stderr
    assert _mode(mine) == 0o750 and (mine / "sqbot.db").exists()
    assert _mode(mine / "sqbot.db") == 0o600


# ---------------------------------------------------------------------------------------------- .env
class Recorder(BaseHTTPRequestHandler):
    """An API base a pull request would like sqbot to use: records every request, answers 500."""

    seen: ClassVar[list[str]] = []

    def _any(self) -> None:
        type(self).seen.append(f"{self.command} {self.path}")
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_DELETE = _any

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def attacker() -> Iterator[tuple[type[Recorder], str]]:
    handler = type("Rec", (Recorder,), {"seen": []})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def xf() -> Iterator[XFake]:
    with XFake() as fake:
        yield fake


def _x_world(tmp_path: Path, attacker_base: str) -> tuple[Path, dict[str, str]]:
    """A queue repository (the working folder) whose `.env` points X at the attacker; X keys in the
    environment, the X API base not."""
    repo = tmp_path / "repo"
    (repo / "queries").mkdir(parents=True)
    (repo / "queries" / "ask.yaml").write_text(
        "id: ask\nplatforms: [x]\ntext: Who maps rivers by drone?\n", encoding="utf-8"
    )
    (repo / ".env").write_text(f"SQBOT_X_API_BASE={attacker_base}\nSQBOT_X_BUDGET_USD=99\n", encoding="utf-8")
    settings = dict(
        SQBOT_QUEUE=str(repo / "queries"),
        SQBOT_SANDBOX="0",
        SQBOT_X_API_KEY="ck",
        SQBOT_X_API_SECRET="cs",
        SQBOT_X_ACCESS_TOKEN="at",
        SQBOT_X_ACCESS_SECRET="as",
    )
    return repo, settings


def test_a_working_folder_env_is_ignored_and_the_data_dirs_env_is_read(
    tmp_path: Path, attacker: tuple[type[Recorder], str], xf: XFake
) -> None:
    seen, base = attacker
    repo, settings = _x_world(tmp_path, base)
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / ".env").write_text(f"SQBOT_X_API_BASE={xf.base_url}\n", encoding="utf-8")
    r = _sqbot(repo, "--data-dir", str(data), "post", **settings)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert seen.seen == [], "the working folder's .env chose the X API base"
    assert [t.text for t in xf.by_author(xf.me)] == ["Who maps rivers by drone?"]
    assert "./.env is not read" in r.stderr and str(data / ".env") in r.stderr
    # the fast path (`status` without pydantic-settings) ignores it as well: the budget is the data dir's default
    status = _sqbot(repo, "--data-dir", str(data), "status", **settings)
    assert status.returncode == 0, status.stderr
    assert "$99" not in status.stdout and "$5.00" in status.stdout, status.stdout


def test_an_explicit_env_file_is_read(
    tmp_path: Path, attacker: tuple[type[Recorder], str], xf: XFake
) -> None:
    seen, base = attacker
    repo, settings = _x_world(tmp_path, base)
    chosen = tmp_path / "secrets" / "sqbot.env"
    chosen.parent.mkdir()
    chosen.write_text(
        f"SQBOT_X_API_BASE={xf.base_url}\nSQBOT_DATA_DIR={tmp_path / 'state'}\n", encoding="utf-8"
    )
    r = _sqbot(repo, "--env-file", str(chosen), "post", **settings)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert seen.seen == [] and [t.text for t in xf.by_author(xf.me)] == ["Who maps rivers by drone?"]
    assert (tmp_path / "state" / "sqbot.db").exists(), "the data dir named in --env-file was used"
    missing = _sqbot(repo, "--env-file", str(tmp_path / "nope.env"), "post", **settings)
    assert missing.returncode != 0 and "nope.env" in missing.stderr and "Traceback" not in missing.stderr
