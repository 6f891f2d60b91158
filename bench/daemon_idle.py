"""Idle cost of the daemon: `sqbot run` on the sandbox with the example queue already posted, sampled from /proc.

Run: .venv/bin/python bench/daemon_idle.py [SECONDS]   (default 600 = 10 minutes)
Prints RSS (start of the idle phase, max, end) and CPU (user+sys seconds, and % of one core) over the window.
Default settings (tick 20 s, heartbeat 30 s, poll bands 1h:2m,...): what a container really runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def sample(pid: int) -> tuple[float, float]:
    """(RSS in MB, CPU seconds user+sys) of `pid`."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / TICKS
    rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 1e6
    return rss, cpu


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 600.0
    work = Path(tempfile.mkdtemp(prefix="sqbot-idle-"))
    queue = work / "queries"
    queue.mkdir()
    (queue / "q.yaml").write_text("id: idle\nplatforms: [bluesky, x]\ntext: Anyone idle out there?\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(SQBOT_DATA_DIR=str(work / "data"), SQBOT_QUEUE=str(queue), SQBOT_SANDBOX="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(5)  # start-up, first post and first poll: not idle
        rss0, cpu0 = sample(proc.pid)
        t0 = time.monotonic()
        peak = rss0
        while time.monotonic() - t0 < seconds:
            time.sleep(1)
            rss, cpu = sample(proc.pid)
            peak = max(peak, rss)
        elapsed = time.monotonic() - t0
        used = cpu - cpu0
        print(f"daemon idle over {elapsed:.0f} s (sandbox, default cadence):")
        print(f"  RSS: {rss0:.1f} MB at start of idle, {peak:.1f} MB max, {rss:.1f} MB at end")
        print(f"  CPU: {used:.2f} s user+sys = {100 * used / elapsed:.3f} % of one core")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=15)
        print(f"  stop: exit {code}")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
