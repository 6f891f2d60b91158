"""`leads forget` removes a person everywhere: the database (person_moves, other people's mentions, freed pages
and the WAL), and the stored digest files under the data dir, which it names in its output. Only salted one-way
hashes of their accounts stay, so a replay never files them again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.leads import merges
from bot.models import Mention
from bot.store.db import Store, forgotten_keys
from tests.digest_seed import T0, add_query, ingest, reply

NAME, HANDLE, DID = "Maya Okafor", "maya.test", "did:plc:mayaokafor"
XID = "4477001"
HER_WORDS = "I keep my field notes in a waterproof Rite in the Rain notebook"


def _sqbot(tmp: Path, *args: str, now: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(SQBOT_DATA_DIR=str(tmp / "data"), SQBOT_SANDBOX="1", SQBOT_TIMEZONE="UTC")
    return subprocess.run(
        [sys.executable, "-m", "bot", "--now", now, *args],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _seed(tmp: Path) -> None:
    store = Store.open(tmp / "data" / "sqbot.db")
    try:
        add_query(store)
        maya = reply(1, text=HER_WORDS, name=NAME, handle=HANDLE, user=DID, bio="Ecologist at Tiny Lab")
        maya_x = reply(
            2, platform="x", text="Rite in the Rain, every time", name=NAME, handle="mayaok", user=XID
        )
        sam = replace(
            reply(3, text="Ask @maya.test, she knows fieldwork tools", name="Sam Lee"),
            mentions=(Mention(HANDLE, DID, "bluesky"),),
        )
        ingest(store, [maya, maya_x, sam], T0 + timedelta(hours=1))
        ids = {r["handle"]: int(r["person_id"]) for r in store.q("SELECT handle, person_id FROM identities")}
        merges.merge(store, ids[HANDLE], ids["mayaok"], T0 + timedelta(hours=2))  # her X account is her
    finally:
        store.close()


def _everything(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_forget_removes_the_person_from_digest_files_moves_mentions_and_freed_pages(tmp_path: Path) -> None:
    _seed(tmp_path)
    written = _sqbot(tmp_path, "digest", now=(T0 + timedelta(hours=3)).isoformat())
    assert written.returncode == 0 and "digest written" in written.stdout, written.stderr
    digests = tmp_path / "data" / "digests"
    before = _everything(digests)
    assert (
        b"Okafor" in before or b"Maya" in before
    )  # the stored digest shows her (so there is something to remove)

    r = _sqbot(
        tmp_path,
        "leads",
        "forget",
        HANDLE,
        "--yes",
        "--all-accounts",
        now=(T0 + timedelta(hours=4)).isoformat(),
    )
    assert r.returncode == 0, r.stderr
    assert "stored digest file(s)" in r.stdout and ".eml" in r.stdout

    blob = _everything(tmp_path / "data")
    for trace in (NAME, "Okafor", HANDLE, DID, XID, "mayaok", "Rite in the Rain", "waterproof", "Tiny Lab"):
        assert trace.encode() not in blob, f"{trace!r} survived forget"
    store = Store.open(tmp_path / "data" / "sqbot.db")
    try:
        assert store.q("SELECT key FROM person_moves") == []
        sam = store.q("SELECT mentions, text FROM interactions")
        assert [json.loads(s["mentions"]) for s in sam] == [[]]
        assert sam[0]["text"].startswith("Ask [forgotten], she")  # others keep their words, not her handle
        keys = {r["key"] for r in store.q("SELECT key FROM forgotten")}
        legacy = set(forgotten_keys("bluesky", DID, HANDLE) + forgotten_keys("x", XID, "mayaok"))
        assert keys and not keys & legacy, "only salted hashes are stored"
        # a replay of her reply is not filed again: counted, not stored
        ingest(store, [reply(1, text=HER_WORDS, name=NAME, handle=HANDLE, user=DID)], T0 + timedelta(hours=5))
        assert store.q("SELECT 1 FROM people WHERE name=?", (NAME,)) == []
        assert store.q("SELECT 1 FROM interactions WHERE text=?", (HER_WORDS,)) == []
    finally:
        store.close()
