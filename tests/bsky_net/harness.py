"""Drive the project's local Bluesky network (``start.sh`` / ``stop.sh`` next to this file) from Python.

The network is the Bluesky team's own ``@atproto/dev-env``: a real PLC directory, PDS and AppView on
127.0.0.1. Writes reach the AppView asynchronously (0.1-0.5 s): call :func:`process_all` or poll with
:func:`wait_until` before reading what was just written. Never sleep a fixed time.

Every setting is an environment variable (see ``config.sh``): ``SQBOT_BSKY_NET_DIR`` (state, default
``/tmp/sqbot-bsky-net``) and ``SQBOT_BSKY_{PLC,PDS,APPVIEW,OZONE,CONTROL,PG}_PORT``.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
from atproto import Client
from atproto.exceptions import AtProtocolError

HERE = Path(__file__).resolve().parent
T = TypeVar("T")

_PREFIX = re.compile(r"[a-z][a-z0-9-]{0,9}")  # + 8 random hex chars: the PDS allows 18 before ".test"


class HarnessError(RuntimeError):
    """The local network could not be started, stopped or used; the message carries the log tail."""


@dataclass(frozen=True)
class NetworkInfo:
    """Where the running network answers. URLs have no trailing slash."""

    pds: str  # the atproto SDK's base_url: Client(base_url=info.pds)
    appview: str
    plc: str
    ozone: str
    control: str  # POST /process-all (see process_all)
    pid: int  # the node process serving all of the above
    handle_domain: str  # ".test": every handle must end with it
    state_dir: Path
    start_seconds: float  # how long start() took (0.1 s when reused, ~8 s warm, ~100 s cold)
    reused: bool  # True when an already-running network was reused

    @property
    def firehose(self) -> str:
        """Base URI for ``FirehoseSubscribeReposClient`` (the PDS serves subscribeRepos)."""
        return self.pds.replace("http://", "ws://", 1) + "/xrpc"


@dataclass(frozen=True)
class Account:
    handle: str
    did: str
    password: str

    def __repr__(self) -> str:  # keep the password out of assertion messages and logs
        return f"Account(handle={self.handle!r}, did={self.did!r})"


def state_dir() -> Path:
    return Path(os.environ.get("SQBOT_BSKY_NET_DIR", "/tmp/sqbot-bsky-net"))


def log_tail(lines: int = 40) -> str:
    """The last lines of the start log and of the network's own log, for error messages."""
    parts = []
    for name in ("start.log", "run/network.log"):
        path = state_dir() / name
        if path.exists():
            text = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- last {len(text)} lines of {path}:\n" + "\n".join(text))
    return "\n".join(parts) or f"(no logs in {state_dir()})"


def _running_pid() -> int | None:
    try:
        pid = int((state_dir() / "run" / "network.pid").read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return pid


def _read_info(start_seconds: float, reused: bool) -> NetworkInfo:
    raw = json.loads((state_dir() / "run" / "network.json").read_text())
    domains = [str(d) for d in raw["handleDomains"]]
    return NetworkInfo(
        pds=str(raw["pds"]).rstrip("/"),
        appview=str(raw["appview"]).rstrip("/"),
        plc=str(raw["plc"]).rstrip("/"),
        ozone=str(raw["ozone"]).rstrip("/"),
        control=str(raw["control"]).rstrip("/"),
        pid=int(raw["pid"]),
        handle_domain=".test" if ".test" in domains else domains[0],
        state_dir=state_dir(),
        start_seconds=round(start_seconds, 1),
        reused=reused,
    )


def _check_health(info: NetworkInfo) -> None:
    try:
        httpx.get(f"{info.pds}/xrpc/_health", timeout=10).raise_for_status()
        httpx.get(f"{info.appview}/xrpc/_health", timeout=10).raise_for_status()
        httpx.get(f"{info.control}/", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        raise HarnessError(f"the network started but does not answer ({exc})\n{log_tail()}") from exc


@contextmanager
def _sessions_lock() -> Iterator[Path]:
    """Serialise start/stop between concurrent test sessions; yields the folder of session leases."""
    leases = state_dir() / "leases"
    leases.mkdir(parents=True, exist_ok=True)
    with open(state_dir() / ".sessions.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield leases


def _other_live_sessions(leases: Path) -> list[int]:
    """Pids of other live processes using the network; leases of dead processes are removed."""
    alive = []
    for lease in leases.iterdir():
        pid = int(lease.name) if lease.name.isdigit() else 0
        if pid == os.getpid():
            continue
        try:
            if pid <= 0:
                raise ProcessLookupError(lease.name)
            os.kill(pid, 0)
            alive.append(pid)
        except OSError:
            lease.unlink(missing_ok=True)
    return alive


def start(timeout: float = 600.0, *, reuse: bool = False) -> NetworkInfo:
    """Start the network (installing Node 22, dev-env and PostgreSQL on first use) and return its URLs.

    ``reuse=True`` keeps an already-running, healthy network (fast dev loops); otherwise anything left
    running is stopped first and a fresh network (empty database) starts - unless another live test
    session is using it, which is then shared (accounts are unique per call, so tests stay isolated).
    The calling process holds a lease until :func:`stop` or :func:`release`.
    Cold: ~100-130 s (+~10 s when apt-get must install PostgreSQL); warm: ~8 s; reused: ~0.2 s.
    Raises HarnessError with the log tail on failure.
    """
    with _sessions_lock() as leases:
        if not reuse and not _other_live_sessions(leases):
            _stop_network()
        info = _run_start_sh(timeout)
        (leases / str(os.getpid())).touch()
    return info


def _run_start_sh(timeout: float) -> NetworkInfo:
    directory = state_dir()
    before = _running_pid()
    began = time.monotonic()
    with open(directory / "start.log", "w") as log:
        proc = subprocess.Popen(
            ["bash", str(HERE / "start.sh")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # so a timeout can end start.sh and everything it spawned
        )
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            _stop_network()
            raise HarnessError(f"start.sh did not finish within {timeout:.0f} s\n{log_tail()}") from None
    if code != 0:
        raise HarnessError(f"start.sh failed with exit code {code}\n{log_tail()}")
    info = _read_info(time.monotonic() - began, reused=before is not None and before == _running_pid())
    _check_health(info)
    return info


def release() -> None:
    """Give up this process's lease without stopping the network (SQBOT_BSKY_KEEP=1)."""
    with _sessions_lock() as leases:
        (leases / str(os.getpid())).unlink(missing_ok=True)


def stop(*, force: bool = False) -> bool:
    """Release this process's lease and stop the network and its PostgreSQL (via their pid files).

    While another live session holds a lease the network keeps running (returns False) unless
    ``force``. Returns True when nothing is left running.
    """
    with _sessions_lock() as leases:
        (leases / str(os.getpid())).unlink(missing_ok=True)
        if _other_live_sessions(leases) and not force:
            return False
        _stop_network()
        return True


def _stop_network() -> None:
    directory = state_dir()
    with open(directory / "stop.log", "w") as log:
        code = subprocess.run(
            ["bash", str(HERE / "stop.sh")], stdin=subprocess.DEVNULL, stdout=log, stderr=log, timeout=120
        ).returncode
    if code != 0:
        raise HarnessError(f"stop.sh failed with exit code {code}; see {directory / 'stop.log'}")


def process_all(info: NetworkInfo, timeout: float = 60.0) -> float:
    """Block until the AppView has indexed everything the PDS has emitted; returns the wait in ms."""
    response = httpx.post(f"{info.control}/process-all", timeout=timeout)
    if response.status_code != 200:
        raise HarnessError(f"POST /process-all answered {response.status_code}: {response.text[:500]}")
    return float(response.json()["ms"])


def create_account(info: NetworkInfo, handle_prefix: str) -> Account:
    """Create a fresh account ``<prefix><8 hex>.test`` via com.atproto.server.createAccount.

    ``handle_prefix``: 1-10 chars of ``[a-z0-9-]``, starting with a letter (handles stay unique across
    runs that reuse a network).
    """
    if not _PREFIX.fullmatch(handle_prefix):
        raise ValueError(
            f"handle_prefix {handle_prefix!r} must be 1-10 chars of a-z, 0-9 or '-', starting with a letter"
        )
    handle = f"{handle_prefix}{secrets.token_hex(4)}{info.handle_domain}"
    password = secrets.token_urlsafe(18)
    response = httpx.post(
        f"{info.pds}/xrpc/com.atproto.server.createAccount",
        json={"handle": handle, "email": f"{handle}@example.com", "password": password},
        timeout=30,
    )
    if response.status_code != 200:
        raise HarnessError(f"createAccount({handle}) answered {response.status_code}: {response.text[:500]}")
    return Account(handle=handle, did=str(response.json()["did"]), password=password)


def wait_until(
    predicate: Callable[[], T | None],
    timeout: float = 15.0,
    *,
    interval: float = 0.05,
    what: str = "the condition",
    retry_on: tuple[type[BaseException], ...] = (),
) -> T:
    """Poll ``predicate`` until it returns a truthy value, and return that value.

    Exceptions of the ``retry_on`` types count as "not yet" (e.g. AtProtocolError while the AppView
    has not indexed a post). Raises TimeoutError naming ``what`` after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except retry_on as exc:
            last_error = exc
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error})" if last_error is not None else ""
            raise TimeoutError(f"{what} did not happen within {timeout} s{detail}")
        time.sleep(interval)


def login_client(info: NetworkInfo, account: Account, *, timeout: float = 30.0) -> Client:
    """An atproto ``Client`` logged in as ``account`` against the local PDS, with ``client.me`` set.

    ``Client.login()`` also fetches the profile from the AppView, which fails ("Profile not found")
    until the AppView has indexed a new account; so log in without it and poll for the profile.
    """
    client = Client(base_url=info.pds)
    client.login(account.handle, account.password, fetch_bsky_profile=False)

    def profile() -> object:
        client.me = client.get_profile(account.did)
        return client.me

    wait_until(profile, timeout, what=f"the AppView indexing {account.handle}", retry_on=(AtProtocolError,))
    return client
