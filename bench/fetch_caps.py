"""Peak memory of one bounded fetch (bot/safety/fetch.py) of a 300 MB answer from a loopback server, plain and
as a gzip bomb, measured with tracemalloc (Python allocations) next to the cap. With `--compare`, the same answer
read whole by a plain `httpx.get` (what the link card fetch did before), for scale.

Run: .venv/bin/python bench/fetch_caps.py [--mb 300] [--cap-mb 5] [--compare]
"""

from __future__ import annotations

import argparse
import gzip
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.safety.fetch import MAX_BYTES, FetchPolicy, fetch

MB = 1024 * 1024


def serve(size_mb: int) -> tuple[ThreadingHTTPServer, int]:
    bomb = gzip.compress(b"\0" * (size_mb * MB), compresslevel=9)

    class Big(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            gz = self.path == "/bomb"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if gz:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(bomb) if gz else size_mb * MB))
            self.end_headers()
            try:
                if gz:
                    self.wfile.write(bomb)
                else:
                    block = b"x" * MB
                    for _ in range(size_mb):
                        self.wfile.write(block)
            except OSError:
                pass  # the client stopped at its cap

        def log_message(self, format: str, *args: Any) -> None:
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Big)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, int(srv.server_address[1])


def measure(label: str, run: Any) -> None:
    tracemalloc.start()
    began = time.perf_counter()
    try:
        size = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(
        f"{label:<34} body kept {size / MB:7.1f} MB  peak {peak / MB:7.1f} MB  {time.perf_counter() - began:5.2f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=300)
    ap.add_argument("--cap-mb", type=float, default=MAX_BYTES / MB)
    ap.add_argument(
        "--compare", action="store_true", help="also read it whole with httpx.get (needs the RAM)"
    )
    args = ap.parse_args()
    srv, port = serve(args.mb)
    policy = FetchPolicy(max_bytes=int(args.cap_mb * MB), timeout=60, allow_hosts=frozenset({"127.0.0.1"}))
    print(f"{args.mb} MB answers from 127.0.0.1:{port}, cap {args.cap_mb:g} MB")
    for path in ("/plain", "/bomb"):
        url = f"http://127.0.0.1:{port}{path}"
        measure(f"bot.safety.fetch {path}", lambda url=url: len(fetch(url, policy=policy).content))
    if args.compare:
        import httpx

        measure("httpx.get (whole) /plain", lambda: len(httpx.get(f"http://127.0.0.1:{port}/plain").content))
    srv.shutdown()


if __name__ == "__main__":
    main()
