"""A real browser (Debian's Chromium, driven by selenium through Debian's chromium-driver; nothing downloaded)
against `sqbot review` on the REAL local Bluesky network: log in with the printed URL, edit the draft, double
click Send, and try again from a second tab. The reply is on the PDS once, with our query's post as root and
Bea's reply as parent, and Bea is `contacted`. The app works without JavaScript (the CSP forbids scripts)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bsky_net.harness import NetworkInfo, create_account

from tests.platforms.test_bluesky_followup import World, _answered, _replies_by_us
from tests.review.conftest import serve

pytestmark = pytest.mark.bsky
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def browser(width: int = 1280, height: int = 900) -> Any:
    """Chromium under selenium, or a loud skip (a failure on CI) when it is not installed."""
    from tests.conftest import service_unavailable

    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        service_unavailable(
            "Chromium + chromedriver", "apt-get install chromium chromium-driver (make test-deps)"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        service_unavailable("selenium", "pip install selenium (the dev extra)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for f in FLAGS:
        opts.add_argument(f)
    profile = tempfile.mkdtemp(prefix="sqbot-chromium-")
    opts.add_argument(f"--user-data-dir={profile}")
    opts.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(options=opts, service=Service(DRIVER))
    driver._sqbot_profile = profile
    return driver


def close(driver: Any) -> None:
    driver.quit()
    shutil.rmtree(driver._sqbot_profile, ignore_errors=True)


@pytest.fixture
def world(bsky_net: NetworkInfo, tmp_path: Path) -> World:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "q.yaml").write_text(
        "id: tools-question\ntitle: Which tools for open-ended research?\nplatforms: [bluesky]\n"
        'text: "Which tools do you use for open-ended research?"\n',
        encoding="utf-8",
    )
    w = World(
        bsky_net,
        create_account(bsky_net, "owner"),
        create_account(bsky_net, "bea"),
        create_account(bsky_net, "dan"),
        tmp_path,
    )
    assert w.sqbot("post").returncode == 0
    return w


def env_of(w: World) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(
        SQBOT_DATA_DIR=str(w.home / "data"),
        SQBOT_QUEUE=str(w.home / "queries"),
        SQBOT_SANDBOX="0",
        SQBOT_BLUESKY_HANDLE=w.owner.handle,
        SQBOT_BLUESKY_APP_PASSWORD=w.owner.password,
        SQBOT_BLUESKY_PDS_URL=w.net.pds,
    )
    return env


@pytest.fixture
def chromium() -> Iterator[Any]:
    d = browser()
    yield d
    close(d)


def test_log_in_edit_the_draft_double_click_send_and_a_second_tab_post_once_on_bluesky(
    world: World, chromium: Any
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    root, offer, _referral = _answered(world)
    with world.db() as con:
        bea = con.execute("SELECT person_id FROM identities WHERE user_id=?", (world.bea.did,)).fetchone()[0]
    app = serve(world.home, env_of(world))
    try:
        d = chromium
        d.get(app.url)
        assert d.current_url == f"{app.base}/"  # the token is exchanged for the cookie and leaves the URL
        assert "People to contact" in d.page_source
        d.find_element(By.CSS_SELECTOR, f'a[href="/person/{bea}"]').click()
        first_tab = d.current_window_handle
        d.switch_to.new_window("tab")  # the same page in a second tab, opened before anything is sent
        d.get(f"{app.base}/person/{bea}")
        second_tab = d.current_window_handle
        d.switch_to.window(first_tab)

        box = d.find_element(By.ID, "text")
        assert box.get_attribute("value").startswith("Thank you")  # the drafted follow-up, editable
        box.clear()
        box.send_keys("Thank you, Bea! Could we talk about your tools this week?")
        send = d.find_element(By.XPATH, "//button[starts-with(normalize-space(.), 'Send')]")
        ActionChains(d).double_click(send).perform()
        WebDriverWait(d, 60).until(
            lambda x: "Follow-up posted" in x.page_source or "problem" in x.page_source
        )
        assert "Follow-up posted" in d.page_source, d.page_source[-3000:]

        d.switch_to.window(second_tab)  # the stale tab: its Send must not post a second reply
        d.find_element(By.XPATH, "//button[starts-with(normalize-space(.), 'Send')]").click()
        WebDriverWait(d, 60).until(
            lambda x: "already contacted" in x.page_source or "Follow-up posted" in x.page_source
        )
        assert "already contacted" in d.page_source
    finally:
        app.proc.terminate()
        app.proc.wait(timeout=20)

    ours = _replies_by_us(world)
    assert len(ours) == 1  # exactly once across the double click and the second tab
    record = ours[0]["value"]
    assert record["text"] == "Thank you, Bea! Could we talk about your tools this week?"
    assert record["reply"]["root"] == {"uri": root.uri, "cid": root.cid}
    assert record["reply"]["parent"] == {"uri": offer.uri, "cid": offer.cid}
    with world.db() as con:
        status = con.execute("SELECT status FROM people WHERE id=?", (bea,)).fetchone()[0]
        f = con.execute("SELECT * FROM followups WHERE person_id=?", (bea,)).fetchall()
    assert status == "contacted" and len(f) == 1 and f[0]["post_id"] == ours[0]["uri"]
