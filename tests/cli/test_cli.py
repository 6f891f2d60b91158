"""The `sqbot` command as a user runs it: real subprocesses, a temporary data dir, no real environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(args: list[str], tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    base.update({"SQBOT_DATA_DIR": str(tmp / "data"), "SQBOT_SANDBOX": "1", **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp, env=base, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def queue(tmp_path: Path) -> Path:
    d = tmp_path / "queries"
    d.mkdir()
    (d / "a.yaml").write_text(
        "id: tools-question\ntitle: Which tools?\nplatforms: [bluesky, x]\ntext: Which tools do you use?\n",
        encoding="utf-8",
    )
    return d


def test_validate_prints_file_line_col_for_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad_ID\nplatforms: [mastodon]\ntext: ''\ncolour: red\n", encoding="utf-8")
    r = run(["validate", str(bad)], tmp_path)
    assert r.returncode == 1
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith(str(bad))]
    assert len(lines) >= 3
    assert all(ln.split(":")[1].isdigit() and ln.split(":")[2].isdigit() for ln in lines)
    assert "Traceback" not in r.stderr


def test_validate_a_good_queue_prints_one_summary_line(tmp_path: Path, queue: Path) -> None:
    r = run(["validate", str(queue)], tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "ok: 1 queries, 2 posts, 1 files"


def test_plan_json_lists_each_platform_with_lengths_and_status(tmp_path: Path, queue: Path) -> None:
    r = run(["--now", "2026-12-01T09:00:00+00:00", "plan", "--json", str(queue)], tmp_path)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {(x["query_id"], x["platform"], x["status"]) for x in rows} == {
        ("tools-question", "bluesky", "new"),
        ("tools-question", "x", "new"),
    }
    assert rows[0]["due_at"] == "2026-12-01T09:00:00+00:00"
    assert rows[0]["posts"] == [{"index": 0, "text": "Which tools do you use?", "length": 23}]


def test_post_poll_and_leads_work_on_the_sandbox_and_repost_nothing(tmp_path: Path, queue: Path) -> None:
    env = {"SQBOT_QUEUE": str(queue)}
    first = run(["post"], tmp_path, **env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("posted") == 2
    second = run(["post"], tmp_path, **env)
    assert second.stdout.strip() == "nothing due"
    polled = run(["--now", "+3h", "poll"], tmp_path, **env)
    assert "new interaction(s)" in polled.stdout and polled.returncode == 0
    leads = json.loads(run(["leads", "list", "--json"], tmp_path, **env).stdout)
    names = {p["name"] for p in leads}
    assert {"Maya Okafor", "Ivan Petrov"} <= names
    ivan = next(p for p in leads if p["name"] == "Ivan Petrov")
    assert set(ivan) >= {
        "person_id",
        "name",
        "status",
        "identities",
        "queries",
        "interactions",
        "referred_by",
    }
    assert ivan["queries"] == ["tools-question"]
    assert ivan["referred_by"][0]["name"] == "Maya Okafor"


def test_leads_list_never_prints_terminal_escapes_from_names(tmp_path: Path, queue: Path) -> None:
    env = {"SQBOT_QUEUE": str(queue)}
    run(["post"], tmp_path, **env)
    run(["--now", "+3h", "poll"], tmp_path, **env)
    import sqlite3

    db = sqlite3.connect(tmp_path / "data" / "sqbot.db")
    db.execute("UPDATE people SET name = 'Evil\x1b[2J\x1b]0;owned\x07\u202eeman' WHERE id = 1")
    db.commit()
    db.close()
    out = run(["leads", "list"], tmp_path, **env).stdout
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "Evil\\u001b[2J" in out


def test_a_bad_setting_is_one_clear_line_not_a_traceback(tmp_path: Path, queue: Path) -> None:
    r = run(["post"], tmp_path, SQBOT_QUEUE=str(queue), SQBOT_TIMEZONE="Mars/Olympus")
    assert r.returncode == 1
    assert r.stderr.strip().startswith("sqbot: error: invalid settings: SQBOT_TIMEZONE")
    assert "Traceback" not in r.stderr


def test_post_of_an_unknown_query_id_says_how_to_list_them(tmp_path: Path, queue: Path) -> None:
    r = run(["post", "nope"], tmp_path, SQBOT_QUEUE=str(queue))
    assert r.returncode == 1 and "sqbot plan" in r.stderr


def test_dry_run_posts_nothing_and_writes_no_database(tmp_path: Path, queue: Path) -> None:
    r = run(["post", "--dry-run"], tmp_path, SQBOT_QUEUE=str(queue))
    assert r.returncode == 0 and r.stdout.count("would-post") == 2
    assert not (tmp_path / "data" / "sqbot.db").exists()


def test_help_and_validate_do_not_import_platform_sdks(tmp_path: Path, queue: Path) -> None:
    code = (
        "import sys; from bot.cli.app import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in ('atproto', 'tweepy', 'httpx', 'bot.platforms.bluesky.adapter') if m in sys.modules]\n"
        "print('IMPORTED', bad)"
    )
    for args in (["--help"], ["validate", str(queue)], ["plan", str(queue)]):
        r = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "SQBOT_DATA_DIR": str(tmp_path / "d")},
            timeout=60,
        )
        assert "IMPORTED []" in r.stdout, (args, r.stdout, r.stderr)


def test_demo_runs_the_whole_loop_offline(tmp_path: Path) -> None:
    r = run(["demo", "--out", str(tmp_path / "out"), "--queue", str(REPO / "queries")], tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "digest.html").exists() and (tmp_path / "out" / "digest.eml").exists()
    header = next(i for i, ln in enumerate(r.stdout.splitlines()) if ln.startswith("queries posted"))
    numbers = r.stdout.splitlines()[header + 1].split()
    assert numbers[0] == "3" and int(numbers[1]) > 0 and int(numbers[2]) > 0 and int(numbers[3]) > 0
    html = (tmp_path / "out" / "digest.html").read_text("utf-8")
    # the hostile `<script>` reply is never live: escaped where shown, or (labelled spam/abuse) only counted
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html or "spam or abuse replies from" in html


def test_validate_and_plan_warn_about_a_mention_bluesky_will_show_as_plain_text(tmp_path: Path) -> None:
    q = tmp_path / "q.yaml"
    q.write_text("id: ask\nplatforms: [bluesky]\ntext: 'ask @foo.notarealtld please'\n", encoding="utf-8")
    r = run(["validate", str(q)], tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "q.yaml:3:7: warning: bluesky: post 1: @foo.notarealtld is not a mention" in r.stdout
    assert "ok: 1 queries" in r.stdout
    r = run(["plan", str(q)], tmp_path)
    assert r.returncode == 0 and "@foo.notarealtld is not a mention" in r.stderr


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_ends_with_commands_that_work_as_printed_with_no_sqbot_environment(tmp_path: Path) -> None:
    import shlex
    import time
    import urllib.request

    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    demo = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--out", "out", "--queue", str(REPO / "queries")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    lines = demo.stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Look at what it made"))
    printed = [shlex.split(ln) for ln in lines[start + 1 :] if ln.strip()]
    commands = [p for p in printed if len(p) > 1]
    files = [p[0] for p in printed if len(p) == 1]
    assert [c[c.index("--data-dir") :] for c in commands[:3]] == [
        ["--data-dir", "out/demo-data", "leads", "list"],
        ["--data-dir", "out/demo-data", "leads", "show", "1"],
        ["--data-dir", "out/demo-data", "browse"],
    ]
    # `review` runs at the demo's own time (its replies arrive "later")
    review = commands[3][commands[3].index("--data-dir") :]
    assert review[:3] == ["--data-dir", "out/demo-data", "--now"] and review[4:] == ["review"]
    assert files == ["out/digest.html", "out/digest.eml"]

    def sqbot(cmd: list[str]) -> str:
        r = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, (cmd, r.stdout, r.stderr)
        return r.stdout

    listed = sqbot(commands[0])
    assert "Maya Okafor" in listed and "referral" in listed and "no leads match" not in listed
    shown = sqbot(commands[1])
    assert shown.startswith("#1 ") and "bluesky:" in shown and "referred by" in shown

    # `browse` serves until stopped: run it as printed (on a free port, so parallel runs do not collide),
    # read the people table through Datasette's JSON, then stop it
    port = free_port()
    proc = subprocess.Popen(
        [*commands[2], "--port", str(port)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/sqbot/people.json?_shape=array"
                with urllib.request.urlopen(url, timeout=5) as resp:
                    people = json.loads(resp.read())
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "browse did not serve"
                time.sleep(0.3)
        assert "Maya Okafor" in {p["name"] for p in people}
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    # `review` too: it prints the address with its login token; opening it shows the people to contact
    port = free_port()
    proc = subprocess.Popen(
        [*commands[3], "--port", str(port)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        printed_url = proc.stdout.readline().split("open ", 1)[1].strip()
        assert printed_url.startswith(f"http://127.0.0.1:{port}/?token=")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        deadline = time.monotonic() + 60
        while True:
            try:
                with opener.open(printed_url, timeout=5) as resp:  # 303 to / with the session cookie
                    page = resp.read().decode("utf-8")
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "review did not serve"
                time.sleep(0.3)
        assert "People to contact" in page and "Maya Okafor" in page
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    html = (tmp_path / files[0]).read_text("utf-8")
    assert "<html" in html.lower() and "Maya Okafor" in html
    eml = (tmp_path / files[1]).read_text("utf-8")
    assert "Subject:" in eml


def test_data_dir_option_wins_over_the_environment(tmp_path: Path, queue: Path) -> None:
    mine = ["--data-dir", str(tmp_path / "mine")]
    assert run([*mine, "post"], tmp_path, SQBOT_QUEUE=str(queue)).returncode == 0
    assert run([*mine, "--now", "+3h", "poll"], tmp_path).returncode == 0
    assert (tmp_path / "mine" / "sqbot.db").exists() and not (tmp_path / "data").exists()
    # SQBOT_DATA_DIR (set by `run` to tmp/data) loses to --data-dir, for leads and for full-settings commands
    listed = json.loads(run([*mine, "leads", "list", "--json"], tmp_path).stdout)
    assert listed and all(p["person_id"] for p in listed)
    status = run([*mine, "status"], tmp_path)
    assert "outbox: 2 posted" in status.stdout, status.stdout + status.stderr
    assert json.loads(run(["leads", "list", "--json"], tmp_path).stdout) == []


# what each quick command must not load (start-up time; bench/cli_startup.py measures it, tests only guard it)
NOT_LOADED = {
    "--help": ["atproto", "tweepy", "httpx", "rich", "pydantic", "pydantic_settings", "yaml", "jinja2", "sqlite_utils"],
    "leads list": ["atproto", "tweepy", "httpx", "rich.table", "pydantic", "pydantic_settings", "apscheduler", "yaml", "jinja2"],
    "leads show 1": ["atproto", "tweepy", "httpx", "pydantic", "pydantic_settings", "apscheduler", "yaml", "jinja2"],
    "health": ["atproto", "tweepy", "httpx", "rich", "pydantic", "pydantic_settings", "apscheduler", "jinja2"],
    "status": ["atproto", "tweepy", "httpx", "rich", "pydantic", "pydantic_settings", "jinja2", "yaml"],
    "validate": ["atproto", "tweepy", "httpx", "rich", "pydantic", "pydantic_settings", "pkg_resources", "twitter_text"],
}  # fmt: skip


def test_quick_commands_do_not_import_what_they_do_not_use(tmp_path: Path, queue: Path) -> None:
    assert run(["post"], tmp_path, SQBOT_QUEUE=str(queue)).returncode == 0
    assert run(["--now", "+3h", "poll"], tmp_path).returncode == 0
    code = (
        "import sys; from bot.cli.app import main\n"
        "try:\n    main(sys.argv[2:])\nexcept SystemExit:\n    pass\n"
        "print('IMPORTED', [m for m in sys.argv[1].split(',') if m in sys.modules])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    for command, modules in NOT_LOADED.items():
        args = command.split() + ([str(queue)] if command == "validate" else [])
        r = subprocess.run(
            [sys.executable, "-c", code, ",".join(modules), "--data-dir", str(tmp_path / "data"), *args],
            cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip
        assert "IMPORTED []" in r.stdout, (command, r.stdout, r.stderr[-2000:])
        assert "Traceback" not in r.stderr, r.stderr


def test_status_without_settings_says_what_it_says_with_them(tmp_path: Path, queue: Path) -> None:
    """`status` reads its few settings without pydantic-settings; the result equals the full Settings' one."""
    assert run(["post"], tmp_path, SQBOT_QUEUE=str(queue)).returncode == 0
    env_file = tmp_path / "data" / ".env"  # the data dir's .env is read (the working folder's is not)
    env_file.write_text("sqbot_poll_bands=1h:5m,*:1h\nSQBOT_X_BUDGET_USD=2\n", encoding="utf-8")
    env = {"SQBOT_TIMEZONE": "Europe/Zurich", "SQBOT_X_BUDGET_USD": "7.5", "SQBOT_DIGEST_CRON": "30 9 * * 1"}
    quick = run(["--now", "2026-03-02T10:00:00+00:00", "status"], tmp_path, **env)
    assert quick.returncode == 0, quick.stderr
    code = (
        "from datetime import datetime; from bot.config import load_settings; from bot.ops.daemon import status_lines\n"
        "now = datetime.fromisoformat('2026-03-02T10:00:00+00:00')\n"
        "print('\\n'.join(status_lines(load_settings(), now)))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    full = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path, env={**base, "SQBOT_DATA_DIR": str(tmp_path / "data"), **env},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert full.returncode == 0, full.stderr
    assert "$7.50" in quick.stdout and "(30 9 * * 1)" in quick.stdout and "CET" in quick.stdout
    assert quick.stdout == full.stdout


def test_x_lengths_are_measured_without_setuptools_pkg_resources(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['pkg_resources'] = None  # as in a venv without setuptools\n"
        "from bot.platforms.x.text import x_length\n"
        "print(x_length('Hi 👋 https://example.org/' + 'a' * 80), sys.modules['pkg_resources'])"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["29", "None"]


def test_leads_table_aligns_wide_characters_and_cuts_long_cells_with_an_ellipsis(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from rich.cells import cell_len

    from bot.cli.leads import _print_columns

    table = [("id", "name", "handles"), ("1", "山田太郎", "x:" + "a" * 60), ("12", "Ann", "-")]
    _print_columns(table, right={0}, max_widths={1: 28, 2: 20})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id  name      handles")
    assert lines[1] == " 1  山田太郎  x:" + "a" * 17 + "…"
    assert lines[2] == "12  Ann       -"
    assert cell_len(lines[1]) == 4 + 10 + 20
