"""HTTP requests per `sqbot poll` on Bluesky, on the real local network (tests/bsky_net).

Run: .venv/bin/python bench/bluesky_poll.py     (starts the network if needed; SQBOT_BSKY_KEEP=1 leaves it up)
Prints requests for: the first poll after replies, an idle poll, an idle poll when the age-banded thread crawls
are due, with 3 active queries.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from atproto import models  # noqa: E402
from bsky_net.harness import create_account, login_client, process_all, release, start, stop  # noqa: E402


def main() -> None:
    keep = os.environ.get("SQBOT_BSKY_KEEP") == "1"
    net = start(reuse=True)
    try:
        owner, bea = create_account(net, "owner"), create_account(net, "bea")
        home = Path(tempfile.mkdtemp(prefix="sqbot-bench-"))
        (home / "queries").mkdir()
        for i in range(3):
            (home / "queries" / f"q{i}.yaml").write_text(
                f"id: q{i}\nplatforms: [bluesky]\ntext: 'Question number {i}?'\n", encoding="utf-8"
            )
        env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
        env.update(
            SQBOT_DATA_DIR=str(home / "data"),
            SQBOT_QUEUE=str(home / "queries"),
            SQBOT_SANDBOX="0",
            SQBOT_BLUESKY_HANDLE=owner.handle,
            SQBOT_BLUESKY_APP_PASSWORD=owner.password,
            SQBOT_BLUESKY_PDS_URL=net.pds,
        )

        def sqbot(*args: str) -> str:
            r = subprocess.run(
                [sys.executable, "-m", "bot", *args],
                env=env,
                cwd=home,
                capture_output=True,
                text=True,
                timeout=120,
            )
            if r.returncode != 0:
                raise SystemExit(r.stdout + r.stderr)
            return r.stdout

        sqbot("post")
        process_all(net)
        import sqlite3

        con = sqlite3.connect(home / "data" / "sqbot.db")
        roots = con.execute("SELECT platform_id, cid FROM posts WHERE idx=0").fetchall()
        con.close()
        client = login_client(net, bea)
        for uri, cid in roots:
            ref = models.ComAtprotoRepoStrongRef.Main(uri=uri, cid=cid)
            client.send_post("an answer", reply_to=models.AppBskyFeedPost.ReplyRef(root=ref, parent=ref))
        process_all(net)

        def requests(out: str) -> int:
            m = re.search(r"(\d+) request\(s\)", out)
            return int(m.group(1)) if m else -1

        first = sqbot("poll")
        idle = sqbot("poll")
        crawl = sqbot("--now", "+16m", "poll")
        idle_after = sqbot("--now", "+17m", "poll")
        print("3 active queries on the local network (PDS + AppView)")
        print(f"{'poll':<52}{'requests':>9}")
        print(f"{'first poll (3 new replies: notifications + 3 crawls + profiles)':<52}{requests(first):>9}")
        print(f"{'idle poll (nothing new, crawls not due)':<52}{requests(idle):>9}")
        print(f"{'idle poll when the 15-min thread crawls are due':<52}{requests(crawl):>9}")
        print(f"{'idle poll right after':<52}{requests(idle_after):>9}")
    finally:
        if keep:
            release()
        else:
            stop()


if __name__ == "__main__":
    main()
