"""How fast the CLI answers, as a subprocess, on the 1M-interaction database of bench/scale.py: `sqbot --help`,
`validate`, `leads list`, `leads show`, `status` and `health`, next to `python -c pass` and `import atproto`.

Run: .venv/bin/python bench/cli_startup.py [--runs N] [--db PATH]
Targets: every command < 200 ms, `--help` < 100 ms (wall, median). The database defaults to
out/bench/leads-1M.db and is built there once if missing (bench/scale.py's `build_big`: 1,000,000 interactions
from 100,000 people, ~240 MB; it took 221 s of CPU, 18 minutes of wall time on a busy 2-core machine);
`bench/scale.py` reuses the same file. Each command runs N times (default 15) in a fresh interpreter, interleaved so that machine load
spreads evenly; the median and best wall time and the median CPU time (user+sys) are printed. CPU time is the
steadier figure on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO / "out" / "bench" / "leads-1M.db"


def sqbot_cmd() -> list[str]:
    script = Path(sys.executable).with_name("sqbot")  # the console script a user runs
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def ensure_db(db: Path) -> None:
    if db.exists():
        return
    sys.path.insert(0, str(REPO / "bench"))
    from scale import build_big

    db.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {db} (1,000,000 interactions, once)...", flush=True)
    began = time.perf_counter()
    build_big(db, 1_000_000, 100_000)
    print(f"built in {time.perf_counter() - began:.0f} s", flush=True)


def fresh_heartbeat(db: Path) -> None:
    """A daemon heartbeat from just now, so `sqbot health` measures its healthy path (read, write, answer)."""
    con = sqlite3.connect(db)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with con:
        con.execute(
            "INSERT INTO daemon_state (id, pid, heartbeat_at, heartbeat_seconds, started_at) VALUES (1, ?, ?, 3600, ?)"
            " ON CONFLICT(id) DO UPDATE SET heartbeat_at=excluded.heartbeat_at, heartbeat_seconds=3600,"
            " stopped_at=NULL, busy_job=NULL, busy_since=NULL",
            (os.getpid(), now, now),
        )
    con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument(
        "--compare",
        type=Path,
        metavar="CHECKOUT",
        help="also time the same commands from another checkout (e.g. `git worktree`/clone of an older commit), "
        "interleaved in the same run: on a busy machine the before/after ratio is steadier than either figure",
    )
    args = ap.parse_args()
    db = args.db.resolve()
    ensure_db(db)
    fresh_heartbeat(db)
    con = sqlite3.connect(db)
    n = con.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
    pid = con.execute("SELECT person_id FROM interactions ORDER BY created_at DESC LIMIT 1").fetchone()[0]
    con.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(SQBOT_DB=str(db), SQBOT_DATA_DIR=str(db.parent), SQBOT_SANDBOX="1")
    sq = sqbot_cmd()
    py = sys.executable
    rows: list[tuple[str, list[str], int | None]] = [
        ("python -c pass", [py, "-c", "pass"], None),
        ('python -c "import atproto"', [py, "-c", "import atproto"], None),
        ("sqbot --help", [*sq, "--help"], 100),
        ("sqbot validate queries/", [*sq, "validate", "queries/"], 200),
        ("sqbot leads list", [*sq, "leads", "list"], 200),
        (f"sqbot leads show {pid}", [*sq, "leads", "show", str(pid)], 200),
        ("sqbot status", [*sq, "status"], 200),
        ("sqbot health", [*sq, "health"], 200),
    ]
    if args.compare:
        other = [sys.executable, "-m", "bot"]
        rows += [
            (f"{label} [{args.compare.name}]", [*other, *cmd[len(sq) :]], None)
            for label, cmd, target in rows
            if label.startswith("sqbot") and target
        ]
    walls: dict[str, list[float]] = {label: [] for label, _, _ in rows}
    cpus: dict[str, list[float]] = {label: [] for label, _, _ in rows}
    for _ in range(args.runs):
        for label, cmd, _target in rows:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            here = (
                args.compare.resolve() if args.compare and label.endswith("]") else REPO
            )  # `-m bot` from there
            r = subprocess.run(cmd, cwd=here, env=env, capture_output=True)
            walls[label].append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[label].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if r.returncode != 0:
                raise SystemExit(
                    f"{' '.join(cmd)} failed: {r.stdout.decode()[-300:]}{r.stderr.decode()[-500:]}"
                )
    load = os.getloadavg()[0]
    print(
        f"CLI start-up on {n:,} interactions ({db}); {args.runs} runs each, python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}"
    )
    print(f"{'command':<44}{'median ms':>10}{'best ms':>9}{'cpu ms':>8}   target")
    for label, _, target in rows:
        med, best = statistics.median(walls[label]) * 1000, min(walls[label]) * 1000
        cpu = statistics.median(cpus[label]) * 1000
        goal = f"< {target} ms: {'ok' if med < target else 'MISSED'}" if target else ""
        print(f"{label:<44}{med:>10.0f}{best:>9.0f}{cpu:>8.0f}   {goal}")


if __name__ == "__main__":
    main()
