"""The person page's correction form: a POST with the anti-forgery token corrects a reply (stored, shown as
corrected, the referral pair gone); without the token, or from a foreign Origin, nothing changes."""

from __future__ import annotations

import html as h
import re
from pathlib import Path

from starlette.testclient import TestClient

from tests.review.conftest import BASE, csrf_of, db, dump, pid_of


def _referral_form(page: str) -> dict[str, str]:
    """The first correction form of a reply that refers someone: its reply key and the target it holds."""
    for form in re.findall(r'<form method="post" action="/person/\d+/correct">(.*?)</form>', page, re.S):
        had = re.search(r'name="had" value="([^"]+)"', form)
        if had:
            field = dict(re.findall(r'name="(platform|id)" value="([^"]+)"', form))
            return {
                "platform": h.unescape(field["platform"]),
                "id": h.unescape(field["id"]),
                "had": h.unescape(had.group(1)),
            }
    raise AssertionError("no reply with a referral on the page")


def test_the_correction_form_corrects_a_reply_and_needs_the_token(demo: Path, client: TestClient) -> None:
    maya = pid_of(demo, "Maya Okafor")
    page = client.get(f"/person/{maya}").text
    f = _referral_form(page)
    form = {"platform": f["platform"], "id": f["id"], "had": f["had"], "intent": "answer", "refers": ""}
    before = dump(demo)
    refused = client.post(f"/person/{maya}/correct", data=form, headers={"origin": BASE})  # no csrf
    assert refused.status_code == 403
    foreign = client.post(
        f"/person/{maya}/correct",
        data={**form, "csrf": csrf_of(page)},
        headers={"origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    assert dump(demo) == before

    r = client.post(
        f"/person/{maya}/correct",
        data={**form, "csrf": csrf_of(page)},
        headers={"origin": BASE},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/person/{maya}?m=corrected"
    with db(demo) as con:
        row = con.execute(
            "SELECT intent, referrals FROM corrections WHERE platform=? AND interaction_id=?",
            (f["platform"], f["id"]),
        ).fetchone()
        assert (row["intent"], row["referrals"]) == ("answer", "[]")
        assert (
            con.execute(
                "SELECT intent FROM interactions WHERE platform=? AND platform_id=?", (f["platform"], f["id"])
            ).fetchone()["intent"]
            == "answer"
        )
        assert not con.execute(
            "SELECT 1 FROM referrals WHERE platform=? AND interaction_id=?", (f["platform"], f["id"])
        ).fetchall()
    after = client.get(f"/person/{maya}?m=corrected").text
    assert "Reply corrected" in after and '<span class="label corrected">corrected</span>' in after
