"""`sqbot browse`: Datasette over the lead database, read-only, on loopback, with table descriptions and canned
queries (follow-ups due, referrals not yet contacted, query yield, people by platform).

Datasette opens a mutable file with `mode=ro` (reads see the daemon's WAL writes live). `--immutable` would be
wrong here: it tells SQLite the file never changes, so a live WAL database reads stale or corrupt. Datasette is an
optional extra: `pip install 'sqbot[browse]'`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from bot.errors import BotError, ConfigError

META = Path(__file__).with_name("metadata.json")
INSTALL_HINT = "Datasette is not installed: pip install 'sqbot[browse]' (or: pip install 'datasette>=0.64')"


def metadata(db_path: Path) -> dict[str, Any]:
    """The metadata for this database file (Datasette names a database after the file's stem)."""
    import json

    meta: dict[str, Any] = json.loads(META.read_text(encoding="utf-8"))
    meta["databases"] = {db_path.stem: meta["databases"]["DB"]}
    return meta


def command(
    db_path: Path,
    metadata_path: Path,
    *,
    host: str,
    port: int,
    open_browser: bool,
    plugins_dir: Path | None = None,
) -> list[str]:
    """The Datasette command line: read-only (`mode=ro`), loopback, no writes or uploads; with `plugins_dir`,
    CSV and JSON answers are neutralised (bot/browse/guard.py)."""
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise ConfigError(f"browse binds to loopback only (127.0.0.1), not {host!r}: the data is private")
    cmd = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db_path),
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(metadata_path),
        "--setting",
        "allow_download",
        "off",
        "--setting",
        "sql_time_limit_ms",
        "3000",
    ]
    if plugins_dir is not None:
        cmd += ["--plugins-dir", str(plugins_dir)]
    if open_browser:
        cmd.append("-o")
    return cmd


def serve(db_path: Path, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False) -> int:
    """Run Datasette until interrupted; returns its exit code."""
    import importlib.util  # here, not at import: `sqbot --help` registers this command without running it
    import json
    import signal
    import subprocess
    import tempfile

    if importlib.util.find_spec("datasette") is None:
        raise ConfigError(INSTALL_HINT)
    if not db_path.exists():
        raise ConfigError(f"no database at {db_path} yet; run `sqbot poll` first (or set SQBOT_DATA_DIR)")
    with tempfile.TemporaryDirectory(prefix="sqbot-browse-") as tmp:
        from bot.browse.guard import plugin_source

        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata(db_path)), encoding="utf-8")
        plugins = Path(tmp) / "plugins"
        plugins.mkdir()
        (plugins / "sqbot_safe_downloads.py").write_text(plugin_source(port), encoding="utf-8")
        proc = subprocess.Popen(
            command(db_path, meta, host=host, port=port, open_browser=open_browser, plugins_dir=plugins)
        )
        # `sqbot browse` stopped (SIGTERM, Ctrl-C) stops Datasette too: never an orphan server holding the port
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: proc.terminate())
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            proc.wait(timeout=10)
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            if proc.poll() is None:
                proc.kill()


@click.command("browse")
@click.option("--port", default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback only.")
@click.option("-o", "--open", "open_browser", is_flag=True, help="Open a browser tab.")
@click.pass_obj
def browse_cmd(c: Any, port: int, host: str, open_browser: bool) -> None:
    """Browse the lead database in Datasette (read-only, on 127.0.0.1), with canned queries."""
    db = Path(c.settings.db_path)
    click.echo(f"sqbot browse: http://{host}:{port}/{db.stem}  (read-only; Ctrl-C stops)")
    code = serve(db, host=host, port=port, open_browser=open_browser)
    if code not in (0, -2, 130):
        raise BotError(f"datasette exited with code {code}")
