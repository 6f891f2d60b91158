"""`sqbot review`: the review web app (bot/review/), served by uvicorn. Starlette and uvicorn are imported only
when the command runs, never for `sqbot --help`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bot.cli.app import Ctx


@click.command("review")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: only you)."
)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME[:PORT]",
    help="Another Host name the app is reached as (a reverse proxy's public name). Repeatable.",
)
@click.pass_obj
def review_cmd(c: Ctx, host: str, port: int, allow_hosts: tuple[str, ...]) -> None:
    """Review people to contact and act on them in a browser: send follow-ups, set status, notes, merges.
    Prints a URL with a login token (SQBOT_REVIEW_TOKEN gives a stable one); open it once."""
    import secrets
    from datetime import UTC, datetime

    import uvicorn

    from bot.review.app import Config, create_app
    from bot.review.guard import Guard, is_loopback, served_hosts

    s = c.settings
    token = s.review_token.get_secret_value() if s.review_token else secrets.token_urlsafe(32)
    guard = Guard(token, served_hosts(host, port, allow_hosts))
    offset = c.now - datetime.now(UTC)  # `--now` moves the app's clock, which keeps running from there
    app = create_app(Config(s, guard, lambda: datetime.now(UTC) + offset))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - a URL to print
    if ":" in shown:
        shown = f"[{shown}]"
    if not is_loopback(host):
        click.echo(
            f"note: listening on {host}, not loopback: put TLS in front of it (README, Review)", err=True
        )
    click.echo(f"sqbot review: open http://{shown}:{port}/?token={token}", err=False)
    click.echo("(the link logs this browser in; stop with Ctrl-C)")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)


def register(cli: click.Group) -> None:
    cli.add_command(review_cmd)
