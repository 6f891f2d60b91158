"""How fast the CLI starts: `sqbot --help` and `sqbot validate queries/` next to `python -c "import atproto"`.

Run: .venv/bin/python bench/cli_startup.py [RUNS]   (target: `sqbot --help` under 0.25 s)
Each command runs RUNS times (default 15) in a fresh interpreter; the median and best wall times are printed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SQBOT = [sys.executable, "-m", "bot"]


def measure(cmd: list[str], runs: int) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env["SQBOT_DATA_DIR"] = str(REPO / "out" / "bench-data")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True)
        times.append(time.perf_counter() - t0)
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode()[-500:]}")
    return statistics.median(times), min(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    rows = [
        ("python -c pass (interpreter alone)", [sys.executable, "-c", "pass"]),
        ("sqbot --help", [*SQBOT, "--help"]),
        ("sqbot validate queries/", [*SQBOT, "validate", "queries/"]),
        ('python -c "import atproto"', [sys.executable, "-c", "import atproto"]),
    ]
    print(f"{'command':<40}{'median s':>10}{'best s':>10}   ({runs} runs each)")
    for label, cmd in rows:
        med, best = measure(cmd, runs)
        print(f"{label:<40}{med:>10.3f}{best:>10.3f}")


if __name__ == "__main__":
    main()
