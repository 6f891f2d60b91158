"""`sqbot leads ...`: the people who answered, as a shell over store/people functions."""

from __future__ import annotations

import json
from typing import Any

import click

from bot.safe import term


def echo(line: str = "") -> None:
    click.echo(line)


@click.group()
def leads() -> None:
    """The people who answered."""


@leads.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=50, show_default=True)
@click.pass_obj
def leads_list(c: Any, as_json: bool, limit: int) -> None:
    """People, most recently active first."""
    store = c.store()
    try:
        rows = store.leads(limit=limit)
    finally:
        store.close()
    if as_json:
        for r in rows:
            r.pop("last_at", None)
            r.pop("next_follow_up", None)
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    echo(f"{'id':>5}  {'name':<28} {'status':<10} {'n':>3}  {'handles':<40} referred by")
    for r in rows:
        handles = " ".join(f"{i['platform']}:{i['handle'] or i['user_id']}" for i in r["identities"])
        refs = ", ".join(term(x["name"], width=20) for x in r["referred_by"])
        echo(
            f"{r['person_id']:>5}  {term(r['name'], width=28):<28} {r['status']:<10} {r['interactions']:>3}  "
            f"{term(handles, width=40):<40} {refs}"
        )


@leads.command("show")
@click.argument("person_id", type=int)
@click.pass_obj
def leads_show(c: Any, person_id: int) -> None:
    """One person: identities, what they said, whom they pointed to."""
    from bot.errors import BotError as _E

    store = c.store()
    try:
        people = store.q("SELECT * FROM people WHERE id=?", (person_id,))
        if not people:
            raise _E(f"no person {person_id}; see `sqbot leads list`")
        p = people[0]
        echo(f"{term(p['name'])}  (#{p['id']}, {p['status']})")
        for i in store.q("SELECT * FROM identities WHERE person_id=? ORDER BY platform", (person_id,)):
            echo(
                f"  {i['platform']}: {term(i['handle'] or i['user_id'])}  {term(i['name'])}  — {term(i['bio'], width=80)}"
            )
        for it in store.q(
            "SELECT * FROM interactions WHERE person_id=? ORDER BY created_at DESC LIMIT 50", (person_id,)
        ):
            tag = f"[{it['intent']}/{it['lead_priority']}]" if it["intent"] else ""
            echo(f"  {it['created_at']} {it['platform']} {it['kind']} {tag} on {term(it['query_id'] or '-')}")
            echo(f"      {term(it['text'], width=300)}")
        for r in store.q("SELECT * FROM referrals WHERE from_person_id=?", (person_id,)):
            echo(f"  → pointed to {term(r['name'] or '')} {term(r['handle'] or '')} ({r['kind']})")
    finally:
        store.close()


def register(cli: click.Group) -> None:
    cli.add_command(leads)
