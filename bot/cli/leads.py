"""`sqbot leads ...`: the people who answered, as a thin shell over `bot.leads.people`.

Every string from the database goes through `bot.safety.text.term` and is printed as plain text (never parsed as
markup), so a name like `[red]x` or one with ESC/bidi characters prints as inert text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.models import STATUSES
from bot.platforms.specs import PLATFORMS, REPLYABLE
from bot.safety.text import json_text, term

if TYPE_CHECKING:
    from bot.cli.app import Ctx


def echo(line: str = "") -> None:
    click.echo(line)


@click.group()
def leads() -> None:
    """The people who answered, and the people they pointed to."""


_STATUS = click.Choice(STATUSES)
_PRIORITY = click.Choice(["high", "medium", "low", "none"])
_INTENTS = ["referral", "offer", "resource", "answer", "question", "social", "critique", "spam", "abuse"]


@leads.command("list")
@click.option(
    "--query", "query_id", metavar="QUERY_ID", help="Only people who answered (or were referred in) it."
)
@click.option("--platform", type=click.Choice(PLATFORMS))
@click.option("--status", type=_STATUS)
@click.option("--priority", type=_PRIORITY)
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable, all fields.")
@click.pass_obj
def leads_list(
    c: Ctx,
    query_id: str | None,
    platform: str | None,
    status: str | None,
    priority: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """People by priority: those who referred someone or offered to talk first."""
    from bot.leads.people import list_leads

    store = c.store()
    try:
        rows = list_leads(
            store, query=query_id, platform=platform, status=status, priority=priority, limit=limit
        )
    finally:
        store.close()
    if as_json:
        click.echo(json_text(rows, indent=2))
        return
    if not rows:
        echo("no leads match")
        return
    table: list[tuple[str, ...]] = [
        ("id", "name", "status", "prio", "why", "n", "follow-up", "handles", "referred by")
    ]
    for r in rows:
        handles = " ".join(f"{i['platform']}:{i['handle'] or i['user_id']}" for i in r["identities"])
        table.append(
            (
                term(str(r["person_id"])),
                term(r["name"]),
                term(r["status"]),
                term(r["priority"] or "-"),
                term(r["why"] or "-"),
                term(str(r["interactions"])),
                term((r["next_follow_up"] or "-")[:10]),
                term(handles),
                term(", ".join(x["name"] or "?" for x in r["referred_by"])),
            )
        )
    _print_columns(table, right={0, 5}, max_widths={1: 28, 7: 44, 8: 24})


def _print_columns(table: list[tuple[str, ...]], *, right: set[int], max_widths: dict[int, int]) -> None:
    """A plain table, as `rich.table` drew it here at a fraction of the start-up: columns two spaces apart, cut
    with '…' at their maximum width and, on a narrow terminal, the widest cut column first; widths in terminal
    cells (`rich.cells`: CJK and emoji take two). Cells are already inert (`term`)."""
    from rich.cells import cell_len, set_cell_size

    widths = [max(cell_len(row[i]) for row in table) for i in range(len(table[0]))]
    for i, most in max_widths.items():
        widths[i] = min(widths[i], most)
    import shutil  # here: `sqbot --help` does not need it (it pulls in bz2, lzma, zlib)

    room = max(shutil.get_terminal_size((160, 24)).columns, 100)
    while sum(widths) + 2 * (len(widths) - 1) > room:
        widest = max(max_widths, key=lambda k: widths[k])
        if widths[widest] <= 8:
            break
        widths[widest] -= 1
    for row in table:
        cells = []
        for i, (text, width) in enumerate(zip(row, widths, strict=True)):
            if cell_len(text) > width:
                text = set_cell_size(text, width - 1) + "…"
            pad = " " * (width - cell_len(text))
            cells.append(pad + text if i in right else text + pad)
        echo("  ".join(cells).rstrip())


@leads.command("show")
@click.argument("person")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def leads_show(c: Ctx, person: str, as_json: bool) -> None:
    """One person (number or handle): identities, everything they said, who referred them, whom they named."""
    from bot.leads.people import resolve, show
    from bot.leads.send import sent

    store = c.store()
    try:
        d = show(store, resolve(store, person))
        followups = sent(store, int(d["person_id"]))
    finally:
        store.close()
    if as_json:
        d["followups"] = [
            {"platform": f.platform, "text": f.text, "posted_at": f.posted_at.isoformat(), "url": f.url}
            for f in followups
        ]
        click.echo(json_text(d, indent=2))
        return
    echo(
        f"#{d['person_id']} {term(d['name'])}  status {d['status']}  priority {d['priority'] or '-'}"
        f"  follow-up {d['next_follow_up'] or '-'}"
    )
    for i in d["identities"]:
        uid = "(not yet seen)" if i["user_id"].startswith("handle:") else term(i["user_id"])
        echo(f"  {i['platform']}: {term(i['handle'] or '-')}  {uid}  {term(i['name'])}")
        if i["bio"]:
            echo(f"      bio: {term(i['bio'], width=200)}")
    for r in d["referred_by"]:
        echo(f"  referred by #{r['person_id']} {term(r['name'])} on {term(r['query_id'] or '-')}")
    if d["notes"]:
        echo("  notes:")
        for line in str(d["notes"]).splitlines():
            echo(f"    {term(line)}")
    for it in d["interactions_list"]:
        tag = f"[{it['intent']}/{it['lead_priority']}]" if it["intent"] else ""
        tag += " (corrected)" if it.get("corrected") else ""
        gone = " (deleted)" if it["deleted"] else ""
        echo(
            f"  {it['created_at']} {it['platform']} {it['kind']} {tag} on {term(it['query_id'] or '-')}{gone}"
        )
        echo(f"      {term(it['text'], width=400)}")
        if it["url"]:
            echo(f"      {term(it['url'])}")
    for r in d["referred"]:
        who = f"{r['target_platform']}:{r['handle']}" if r["handle"] else (r["name"] or "?")
        lead = f" → lead #{r['to_person_id']}" if r["to_person_id"] else ""
        echo(f"  pointed to {term(who)} {term(r['name'] if r['handle'] else '')} ({r['kind']}){lead}")
    for f in followups:
        echo(f"  follow-up sent on {f.platform} {f.posted_at.isoformat()}: {term(f.url or '-')}")
        echo(f"      {term(f.text, width=400)}")
    for m in d["merges"]:
        undone = f", undone {m['undone_at']}" if m["undone_at"] else ""
        echo(
            f"  merge #{m['id']}: #{m['dropped']} into #{m['kept']} ({term(m['evidence'])}, {m['at']}{undone})"
        )


@leads.command("correct")
@click.argument("reply_url")
@click.option("--intent", type=click.Choice(_INTENTS), help="What the reply is (default: kept, or referral).")
@click.option(
    "--refers", multiple=True, metavar="TARGET", help="It refers to TARGET (@handle, x:handle, name)."
)
@click.option(
    "--not-refers", "not_refers", multiple=True, metavar="TARGET", help="It does not refer to TARGET."
)
@click.pass_obj
def leads_correct(
    c: Ctx, reply_url: str, intent: str | None, refers: tuple[str, ...], not_refers: tuple[str, ...]
) -> None:
    """Correct a reply's labels (REPLY_URL as `sqbot leads show` prints it). Kept over `understand --reprocess`;
    the person's why, priority, referral pairs and the digest follow at once."""
    from bot.leads.corrections import correct, find_reply
    from bot.platforms.registry import owner_handles

    if intent is None and not refers and not not_refers:
        raise click.UsageError("say what to correct: --intent, --refers or --not-refers")
    store = c.store()
    try:
        row = find_reply(store, reply_url)
        done = correct(
            store,
            row,
            intent=intent,
            refers=refers,
            not_refers=not_refers,
            owners=owner_handles(c.settings),
            now=c.now,
        )
    finally:
        store.close()
    whom = ", ".join(
        term(f"{r.platform}:{r.handle}" if r.handle else r.name or "?") for r in done.correction.referrals
    )
    echo(
        f"#{done.person_id}: reply corrected: {done.before or '-'} → {done.correction.intent}"
        + (f" (refers to {whom})" if whom else "")
    )


@leads.command("set-status")
@click.argument("person")
@click.argument("status", type=_STATUS)
@click.option("--force", is_flag=True, help="Allow leaving do-not-contact.")
@click.pass_obj
def leads_set_status(c: Ctx, person: str, status: str, force: bool) -> None:
    """new/referred → contacted → talking → done; do-not-contact hides them from digests for good."""
    from bot.leads.people import resolve
    from bot.leads.workflow import set_status

    store = c.store()
    try:
        pid = resolve(store, person)
        old = set_status(store, pid, status, c.now, force=force)
    finally:
        store.close()
    echo(f"#{pid}: {old} → {status}")


@leads.command("note")
@click.argument("person")
@click.argument("text", nargs=-1, required=True)
@click.pass_obj
def leads_note(c: Ctx, person: str, text: tuple[str, ...]) -> None:
    """Add a dated note to a person."""
    from bot.leads.people import resolve
    from bot.leads.workflow import add_note

    store = c.store()
    try:
        pid = resolve(store, person)
        add_note(store, pid, " ".join(text), c.now)
    finally:
        store.close()
    echo(f"#{pid}: note added")


@leads.command("remind")
@click.argument("person")
@click.argument("when", metavar="DATE")
@click.pass_obj
def leads_remind(c: Ctx, person: str, when: str) -> None:
    """Follow up on DATE (2026-12-05, +3d, +2w, or `clear`); due follow-ups show in the digest."""
    from bot.leads.people import resolve
    from bot.leads.workflow import parse_due, remind

    due = parse_due(when, c.now, c.settings.tz)
    store = c.store()
    try:
        pid = resolve(store, person)
        remind(store, pid, due, c.now)
    finally:
        store.close()
    echo(
        f"#{pid}: follow up {due.astimezone(c.settings.tz).strftime('%a %Y-%m-%d %H:%M %Z') if due else 'cleared'}"
    )


@leads.command("merge")
@click.argument("keep")
@click.argument("drop")
@click.pass_obj
def leads_merge(c: Ctx, keep: str, drop: str) -> None:
    """Make DROP part of KEEP (one person, several platform identities). Undo with `leads unmerge`."""
    from bot.leads.merges import merge
    from bot.leads.people import resolve

    store = c.store()
    try:
        a, b = resolve(store, keep), resolve(store, drop)
        mid = merge(store, a, b, c.now)
    finally:
        store.close()
    echo(f"merge #{mid}: #{b} is now part of #{a}; undo with `sqbot leads unmerge {mid}`")


@leads.command("unmerge")
@click.argument("merge_id", type=int)
@click.pass_obj
def leads_unmerge(c: Ctx, merge_id: int) -> None:
    """Undo merge MERGE_ID (see `leads show`): the dropped person comes back with what was theirs."""
    from bot.leads.merges import unmerge

    store = c.store()
    try:
        r = unmerge(store, merge_id, c.now)
    finally:
        store.close()
    echo(
        f"merge #{merge_id} undone: #{r['person_id']} restored with {r['identities']} identities, "
        f"{r['interactions']} interactions, {r['referrals']} referrals"
    )


@leads.command("suggest-merges")
@click.pass_obj
def leads_suggest_merges(c: Ctx) -> None:
    """People who may be one person (weaker evidence). Nothing is merged: use `leads merge A B`."""
    from bot.leads.merges import suggest_merges
    from bot.leads.people import names as people_names

    store = c.store()
    try:
        sug = suggest_merges(store)
        names = people_names(store)
    finally:
        store.close()
    for s in sug:
        echo(
            f"#{s.a} {term(names.get(s.a), width=30)} + #{s.b} {term(names.get(s.b), width=30)}: {term(s.reason)}"
        )
        echo(f"    sqbot leads merge {s.a} {s.b}")
    if not sug:
        echo("no suggestions")


@leads.command("forget")
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--all-accounts",
    is_flag=True,
    help="Forget every account of a person merged across accounts (never implied).",
)
@click.pass_obj
def leads_forget(c: Ctx, person: str, yes: bool, all_accounts: bool) -> None:
    """Delete everything about a person (platform terms require deletion on request)."""
    from bot.leads.forget import forget, person_traces, scrub_digest_files
    from bot.leads.people import person_row, resolve

    store = c.store()
    try:
        pid = resolve(store, person)
        name = person_row(store, pid)["name"]
        if not yes:
            click.confirm(f"Delete everything about #{pid} {term(name)}?", abort=True)
        traces = person_traces(store, pid)
        n = forget(store, pid, c.now, all_accounts=all_accounts)
    finally:
        store.close()
    scrubbed = scrub_digest_files(c.settings.data_dir / "digests", traces)
    echo(
        f"forgot #{pid}: deleted {n['people']} person record(s), {n['identities']} identities, "
        f"{n['interactions']} interactions, {n['referrals']} referrals, {n['merges']} merge records, "
        f"{n['orphan_leads']} lead(s) known only from their referrals"
    )
    if scrubbed:
        echo(
            f"deleted {len(scrubbed)} stored digest file(s) that showed them: "
            + ", ".join(term(p.name) for p in scrubbed)
        )
    echo(
        f"masked their names and handles in {n['masked']} repl(ies) by others; kept: salted one-way hashes of "
        "their accounts, so replays never file them again and what they write later is counted, not stored"
    )
    from bot.store.backup import known_backups

    copies = known_backups(c.settings.data_dir)
    if copies:
        echo(
            "these backups made before still hold them (delete or re-make them): "
            + ", ".join(term(str(p)) for p in copies)
        )
    else:
        echo(
            "backups or copies of the data dir made before today still hold them (sqbot backup recorded none)"
        )


@leads.command("export")
@click.option("--csv", "fmt", flag_value="csv", help="CSV (safe to open in a spreadsheet).")
@click.option("--json", "fmt", flag_value="json", help="JSON.")
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here (default stdout)."
)
@click.pass_obj
def leads_export(c: Ctx, fmt: str | None, out: Path | None) -> None:
    """Every lead in priority order."""
    from bot.leads.people import export

    if fmt is None:
        raise click.UsageError("choose --csv or --json")
    store = c.store()
    try:
        text = export(store, fmt)
    finally:
        store.close()
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        from bot.safety.atomic import write_text

        write_text(out, text, newline="")
        echo(f"wrote {out}")


@leads.command("draft")
@click.argument("person")
@click.option("--platform", type=click.Choice(PLATFORMS), help="Draft for this platform.")
@click.pass_obj
def leads_draft(c: Ctx, person: str, platform: str | None) -> None:
    """A short follow-up for PERSON (takes up an offer; names who referred them). Sends nothing."""
    from bot.leads import followup
    from bot.leads import send as followupdb
    from bot.leads.people import resolve

    store = c.store()
    try:
        pid = resolve(store, person)
        d = followup.draft(followupdb.person(store, pid), platform=platform)
    finally:
        store.close()
    where = "a reply to their post" if d.reply_to and not d.mention else "a reply in the referrer's thread"
    if d.reply_to is None:
        where = "a new post mentioning them"
    echo(f"#{pid} on {d.platform} ({where}; query {term(d.query_id or '-')}):")
    echo(term(d.text))
    if d.warning:
        echo(f"warning: {term(d.warning)}")
    confirm = " --confirm-mention" if d.mention else ""
    echo(f"send it: sqbot leads reply {pid} --draft{confirm}   (or --text '...')")


@leads.command("reply")
@click.argument("person")
@click.option("--text", "text", help="Send these words instead of the draft.")
@click.option("--draft", "use_draft", is_flag=True, help="Send the draft (`sqbot leads draft PERSON`).")
@click.option("--again", is_flag=True, help="Send another follow-up to someone already contacted.")
@click.option("--platform", type=click.Choice(REPLYABLE), help="Answer on this platform.")
@click.option(
    "--confirm-mention",
    is_flag=True,
    help="Send a follow-up that tags someone who never wrote to us (only someone else named them).",
)
@click.pass_obj
def leads_reply(
    c: Ctx,
    person: str,
    text: str | None,
    use_draft: bool,
    again: bool,
    platform: str | None,
    confirm_mention: bool,
) -> None:
    """Post a follow-up to PERSON: in their thread where they spoke, or mentioning them where they were
    referred. Exactly once, even across crashes; the person becomes `contacted`."""
    from bot.leads import send as followupdb
    from bot.leads.people import resolve
    from bot.ops.service import metered_platforms, record_usage
    from bot.publish.outbox import publisher_lock

    if (text is None) == (not use_draft):
        raise click.UsageError("give either --text TEXT or --draft")
    store = c.store()
    try:
        pid = resolve(store, person)
        with publisher_lock(store):  # one `leads reply` at a time: a second one waits for the first's row
            row, resumed = followupdb.prepare_reply(
                store, pid, c.now, text=text, again=again, platform=platform, confirm_mention=confirm_mention
            )
        if resumed:
            echo(f"#{pid}: finishing the follow-up started before ({row['id']}), not writing a new one")
        plats = metered_platforms(c.settings, store, [str(row["platform"])], c.now)
        try:
            res = followupdb.send_reply(store, plats, row, c.now)
        finally:
            record_usage(store, plats)
    finally:
        store.close()
    if res.ok:
        echo(f"#{pid}: follow-up posted on {res.platform}: {term(res.url or '')}; status contacted")
        return
    raise click.ClickException(
        f"#{pid}: follow-up not posted on {res.platform} ({res.status}): {term(res.detail or '-')}"
        + ("; run the same command again later" if res.status in ("deferred", "ready", "sending") else "")
    )


def register(cli: click.Group) -> None:
    from bot.browse.app import browse_cmd

    cli.add_command(leads)
    cli.add_command(browse_cmd)
