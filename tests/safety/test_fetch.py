"""Bounded outbound fetches (bot/safety/fetch.py) against real loopback HTTP servers: a redirect to loopback is
refused, a name that resolves to a private address is never connected to, a 300 MB answer (plain or a gzip bomb)
is cut at the cap with peak memory bounded, a slow or silent server times out. The loopback server stands in for
a public site only through the test-only `FetchPolicy(allow_hosts=...)` and an injected resolver."""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from bot.errors import PlatformError, TransientError, UnsafeURLError
from bot.safety.fetch import FetchPolicy, check_public_url, fetch

MB = 1024 * 1024
BOMB = gzip.compress(b"\0" * (300 * MB), compresslevel=9)


class Site(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []
    port = 0

    def do_GET(self) -> None:
        type(self).hits.append(f"{self.headers.get('Host')} {self.path}")
        path = self.path
        if path == "/page":
            self._send(200, b"<html><head><title>Public page</title></head></html>", "text/html")
        elif path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", path.removeprefix("/to/").replace("PORT", str(self.port)))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path.startswith("/loop/"):
            n = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", f"/loop/{n + 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/secret":
            self._send(200, b"internal admin page", "text/html")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(300 * MB))
            self.end_headers()
            block = b"<p>" + b"x" * (MB - 3)
            try:
                for _ in range(300):
                    self.wfile.write(block)
            except OSError:
                pass  # the client stopped reading at its cap
        elif path == "/bomb":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(BOMB)))
            self.end_headers()
            try:
                self.wfile.write(BOMB)
            except OSError:
                pass
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass
        elif path == "/silent":
            time.sleep(8)
        else:
            self._send(404, b"no", "text/plain")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[tuple[type[Site], int]]:
    handler = type("S", (Site,), {"hits": []})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    handler.port = int(srv.server_address[1])
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield handler, handler.port
    srv.shutdown()
    srv.server_close()


NAMES = {
    "public.test": ["127.0.0.1"],  # the stand-in for a public site (allowed by the policy below)
    "intranet.example": ["10.1.2.3"],
    "mixed.example": ["93.184.216.34", "127.0.0.1"],
    "mapped.example": ["::ffff:169.254.169.254"],
}
POLICY = FetchPolicy(allow_hosts=frozenset({"public.test"}), timeout=3.0, max_bytes=2 * MB)


def resolve(host: str, port: int) -> list[str]:
    if host not in NAMES:
        raise OSError(f"no such host {host}")
    return NAMES[host]


def test_a_public_page_is_fetched_by_its_checked_address_with_its_own_host_header(
    site: tuple[type[Site], int],
) -> None:
    handler, port = site
    got = fetch(f"http://public.test:{port}/page", policy=POLICY, resolve=resolve)
    assert got.status == 200 and b"Public page" in got.content and not got.truncated
    assert got.address == "127.0.0.1" and handler.hits == [f"public.test:{port} /page"]


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:PORT/secret",
        "http://localhost:PORT/secret",
        "http://[::ffff:127.0.0.1]:PORT/secret",
        "http://2130706433:PORT/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://intranet.example/secret",
        "http://mixed.example/secret",
        "http://mapped.example/secret",
        "file:///etc/passwd",
        "gopher://127.0.0.1:PORT/_",
    ],
)
def test_a_redirect_to_an_internal_address_is_refused_before_it_is_followed(
    site: tuple[type[Site], int], target: str
) -> None:
    handler, port = site
    with pytest.raises(UnsafeURLError) as e:
        fetch(f"http://public.test:{port}/to/{target}", policy=POLICY, resolve=resolve)
    assert "refusing to fetch" in str(e.value)
    assert [h.split()[1] for h in handler.hits] == [f"/to/{target}"], "only the first hop was requested"


def test_a_name_resolving_to_a_private_address_is_never_connected_to(site: tuple[type[Site], int]) -> None:
    handler, _ = site
    for url in ("http://intranet.example/", "http://mixed.example/", "https://mapped.example/"):
        with pytest.raises(UnsafeURLError):
            fetch(url, policy=POLICY, resolve=resolve)
    with pytest.raises(
        UnsafeURLError
    ):  # without the test-only allowance, the loopback site itself is refused
        fetch(f"http://public.test:{handler.port}/page", resolve=resolve)
    assert handler.hits == []


def test_redirects_stop_after_five(site: tuple[type[Site], int]) -> None:
    handler, port = site
    with pytest.raises(PlatformError, match="more than 5 redirects"):
        fetch(f"http://public.test:{port}/loop/0", policy=POLICY, resolve=resolve)
    assert len(handler.hits) == 6


@pytest.mark.parametrize("path", ["/huge", "/bomb"])
def test_a_300_mb_answer_is_cut_at_the_cap_with_memory_bounded(
    site: tuple[type[Site], int], path: str
) -> None:
    _, port = site
    tracemalloc.start()
    try:
        got = fetch(f"http://public.test:{port}{path}", policy=POLICY, resolve=resolve)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got.truncated and len(got.content) == POLICY.max_bytes
    assert peak < 4 * POLICY.max_bytes, f"peak {peak / MB:.1f} MB for a {POLICY.max_bytes / MB:.0f} MB cap"


@pytest.mark.parametrize("path", ["/trickle", "/silent"])
def test_a_slow_or_silent_server_times_out(site: tuple[type[Site], int], path: str) -> None:
    _, port = site
    began = time.monotonic()
    with pytest.raises(TransientError):
        fetch(f"http://public.test:{port}{path}", policy=POLICY, resolve=resolve)
    assert time.monotonic() - began < 2 * POLICY.timeout + 1  # a trickle never holds it for its 300 s


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1/",
        "http://0x7f.0.0.1/",
        "http://2130706433/",
        "http://0.0.0.0/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://localhost:8080/",
        "http://admin.localhost/",
        "http://db.internal/",
        "http://metadata.google.internal/",
        "http://printer.local/",
        "http://intranet/",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "https://user:pw@example.org/",
    ],
)
def test_check_public_url_refuses_internal_and_non_web_addresses_without_a_network(url: str) -> None:
    assert check_public_url(url) is not None


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a?b=1", "http://93.184.216.34/", "https://[2606:4700::1111]/", "https://x.co"],
)
def test_check_public_url_accepts_public_addresses(url: str) -> None:
    assert check_public_url(url) is None
