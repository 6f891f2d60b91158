"""`sqbot understand`: reply understanding over a JSONL file, or re-run over every stored interaction."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.errors import BotError
from bot.safety.text import decode_user_text, json_text, term

if TYPE_CHECKING:
    from bot.cli.app import Ctx


def understand_record(rec: dict[str, Any], owners: tuple[str, ...]) -> dict[str, Any]:
    """One corpus-shaped record → `{id, intent, referrals, offers_contact, lead_priority}`."""
    from bot.understand.pipeline import understand

    u = understand(
        str(rec.get("text") or ""),
        platform=str(rec.get("platform") or ""),
        author_handle=rec.get("author_handle"),
        author_name=rec.get("author_name"),
        author_bio=rec.get("author_bio"),
        owner_handles=owners,
    )
    from dataclasses import asdict

    return {
        "id": rec.get("id"),
        "intent": u.intent,
        "referrals": [asdict(r) for r in u.referrals],
        "offers_contact": u.offers_contact,
        "lead_priority": u.lead_priority,
    }


@click.command("understand")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reprocess", is_flag=True, help="Re-run understanding on every stored interaction.")
@click.option("--owner", "owners", multiple=True, metavar="HANDLE", help="Your handle(s): never a referral.")
@click.option(
    "--export-corrections",
    "export",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.jsonl",
    help="Write your corrections (`sqbot leads correct`) as labelled rows in the corpus format.",
)
@click.pass_obj
def understand_cmd(
    c: Ctx, file: Path | None, reprocess: bool, owners: tuple[str, ...], export: Path | None
) -> None:
    """Label replies: FILE.jsonl (id, platform, author_handle, author_name, author_bio, text) → one JSON line
    each; or --reprocess the database after an improvement (idempotent; your corrections are kept); or
    --export-corrections FILE.jsonl."""
    from bot.platforms.registry import owner_handles

    if (file is not None) + reprocess + (export is not None) != 1:
        raise click.UsageError("give one of FILE.jsonl, --reprocess or --export-corrections FILE.jsonl")
    if export is not None:
        _export(c, export)
        return
    mine = owners or tuple(owner_handles(c.settings))
    if file is not None:
        import json

        try:
            raw = file.read_bytes()
        except OSError as e:
            raise BotError(f"cannot read {file}: {e.strerror}") from None
        lines = decode_user_text(raw, str(file)).splitlines()
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise BotError(f"{file}:{n}: not JSON ({e.msg}); one object per line") from None
            if not isinstance(rec, dict):
                raise BotError(f"{file}:{n}: expected a JSON object")
            click.echo(json_text(understand_record(rec, mine)))
        return
    from bot.leads.corrections import analyser
    from bot.leads.reprocess import reprocess as run

    store = c.store()
    try:
        r = run(store, analyser(store, mine), c.now)
    finally:
        store.close()
    click.echo(
        f"reprocessed {r.interactions} interaction(s): {r.changed} relabelled, "
        f"{r.referrals_added} referral(s) added, {r.referrals_removed} removed"
    )


def _export(c: Ctx, path: Path) -> None:
    import json

    from bot.leads.corrections import export_rows
    from bot.safety.atomic import write_text

    store = c.store()
    try:
        rows = export_rows(store)
    finally:
        store.close()
    write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), newline="")
    click.echo(f"wrote {len(rows)} corrected reply(ies) to {term(str(path))}")


def register(cli: click.Group) -> None:
    cli.add_command(understand_cmd)
