"""`sqbot login x`: a shell over `bot.platforms.x.login` (imported only when the command runs, keeping the CLI's start-up
light)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bot.cli.app import Ctx


def register(cli: click.Group) -> None:
    @cli.group()
    def login() -> None:
        """Log in to a platform interactively (X: OAuth 2.0 with PKCE)."""

    @login.command("x")
    @click.option(
        "--code", "code", metavar="URL_OR_CODE", help="The URL X redirected to (or its code), pasted."
    )
    @click.option("--timeout", default=300.0, show_default=True, help="Seconds to wait for the redirect.")
    @click.pass_obj
    def login_x_cmd(ctx: Ctx, code: str | None, timeout: float) -> None:
        """Authorize sqbot on X and store the OAuth 2.0 token pair (used instead of the OAuth 1.0a keys)."""
        from bot.platforms.x.login import login_x

        path = login_x(ctx.settings, code=code, timeout=timeout, now=ctx.now)
        click.echo(f"X login stored in {path}; sqbot now posts and polls X with it.")
