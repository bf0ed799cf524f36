"""The fleet view (设备管理) in a real headless Chromium against the backend on loopback
(docs/decisions/0028): a technician opens it from the hall console; a terminal raising
paper-low appears with its forecast from its own print rate; a remote command round trip (sent
from the page, carried by the heartbeat, its acknowledgement shown); an invalid hall profile
refused with the kiosk schema's message. Screenshot: console-fleet.png."""

from __future__ import annotations

import shutil
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest.importorskip("playwright.sync_api")
if shutil.which("chromium") is None:  # pragma: no cover - the README installs it
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

from backend.console_shots import launch, open_fleet, shoot_fleet  # noqa: E402
from backend.db import open_database  # noqa: E402
from backend.embedded import EmbeddedBackend  # noqa: E402
from backend.seed import seed_database  # noqa: E402
from protocol.demo import DEMO_HALL, DEMO_STAFF  # noqa: E402

ADMIN = "fleet-browser-admin"
TECH = DEMO_STAFF[2]   # 1003 王工, technician
HELPER = DEMO_STAFF[0]
KINDS = ["reload_catalog", "enter_maintenance", "leave_maintenance", "new_config", "restart",
         "lock", "unlock"]


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fleet') / 'backend.sqlite3'}"
    db = open_database(url)
    seed_database(db, citizens=1, catalog_limit=3)
    db.close()
    server = EmbeddedBackend(url, admin_token=ADMIN)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def terminals(backend):
    """Six enrolled terminals of the demo hall, each an httpx client with its credential."""
    admin = {"Authorization": f"Bearer {ADMIN}"}
    made = {}
    for i in range(6):
        tid = f"CITY-T{i:02d}"
        code = httpx.post(f"{backend.url}/v1/admin/enrolment-codes", headers=admin,
                          json={"terminal_id": tid, "hall": DEMO_HALL}).json()["code"]
        cred = httpx.post(f"{backend.url}/v1/enrol", json={
            "enrolment_code": code, "terminal_id": tid}).json()["credential"]
        c = httpx.Client(base_url=backend.url, timeout=10,
                         headers={"Authorization": f"Bearer {cred}"})
        made[tid] = c
        beat(c, tid, paper={"level": "ok", "sheets_left": 900, "printed_total": 10 * i})
    yield made
    for c in made.values():
        c.close()


def beat(client, tid: str, **extra) -> dict:
    r = client.post("/v1/heartbeat", json={
        "terminal_id": tid, "version": "0.1.0", "uptime_s": 60, "backlog": 2,
        "state": "available", "devices": {"receipt_printer": {"status": "ok"}},
        "command_kinds": KINDS, **extra})
    r.raise_for_status()
    return r.json()


@pytest.fixture(scope="module")
def browser(backend):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def test_paper_low_forecast_and_a_command_round_trip(backend, terminals, browser, artifacts):
    tid = "CITY-T03"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    open_fleet(page, backend.url, TECH.staff_no, TECH.pin)
    assert "共 6 台" in page.inner_text("#summary")

    # The terminal's counters an hour ago: 60 sheets printed since; now 90 left and low.
    from sqlalchemy import text

    with backend.app.state.db.write() as s:
        s.execute(text("UPDATE terminals SET paper_at = :t, paper_printed_total = 0 "
                       "WHERE id = :i"), {"t": (datetime.now(timezone.utc) - timedelta(hours=1))
                                          .replace(tzinfo=None), "i": tid})
    beat(terminals[tid], tid, paper={"level": "low", "sheets_left": 90, "printed_total": 60},
         devices={"receipt_printer": {"status": "warning", "reason": "paper_low"}})
    row = page.locator(f'#fleet tr[data-terminal-id="{tid}"]')
    row.locator("td.paper", has_text="约 2 小时后缺纸").wait_for(timeout=7000)  # the 5 s poll
    assert "纸张不足" in row.inner_text() and "余 90 张" in row.inner_text()
    page.select_option("#f-fault", "paper")
    page.wait_for_function("() => document.querySelectorAll('#fleet tbody tr').length === 1")

    # restart from the page; the terminal's next heartbeat carries it, the one after acks it
    row.get_by_role("button", name="指令").click()
    page.locator('#cmd-buttons button[data-kind="restart"]').click()
    page.wait_for_selector('#cmd-list tr[data-status="waiting"]')
    [cmd] = [c for c in beat(terminals[tid], tid)["commands"] if c["kind"] == "restart"]
    beat(terminals[tid], tid, acked_command_ids=[cmd["id"]],
         command_results=[{"id": cmd["id"], "ok": True, "message": "空闲时重启"}])
    page.wait_for_selector(f'#cmd-list tr[data-command-id="{cmd["id"]}"][data-status="done"]',
                           timeout=7000)
    assert "已执行" in page.inner_text("#cmd-list")
    page.wait_for_function(
        f"() => document.querySelector('#fleet tr[data-terminal-id=\"{tid}\"]')"
        ".innerText.includes('已执行')", timeout=7000)
    page.screenshot(path=str(artifacts / "console-fleet.png"), full_page=True)

    # an invalid profile: the schema's own message, nothing pushed
    page.fill("#p-hall", DEMO_HALL)
    page.fill("#p-json", '{"session": {"idle_timeout_s": 5}}')
    page.click("#p-push")
    page.wait_for_selector("#p-result.error")
    assert "must be >= 15" in page.inner_text("#p-result")
    assert not [c for c in beat(terminals[tid], tid)["commands"] if c["kind"] == "new_config"]
    context.close()


def test_helpers_get_no_fleet_view(backend, terminals, browser):
    from backend.console_shots import log_in

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, backend.url, HELPER.staff_no, HELPER.pin)
    assert page.locator("#fleet-link").is_hidden()
    page.goto(f"{backend.url}/console/fleet")
    page.wait_for_selector("#notice:not([hidden])")
    assert "只有技术员和值班长" in page.inner_text("#notice")
    assert page.locator("#fleet-main").is_hidden()
    context.close()


def test_shoot_fleet(backend, terminals, browser, tmp_path):
    path = shoot_fleet(backend.url, TECH.staff_no, TECH.pin, tmp_path, terminal_id="CITY-T01",
                       browser=browser)
    assert path.name == "console-fleet.png" and path.stat().st_size > 10_000


def test_a_pushed_profile_accepted_then_applied_and_the_crash_column(backend, terminals, browser,
                                                                     artifacts):
    """decision 0036: a profile pushed from the page goes 已接受 when the terminal checked and
    wrote it, 已生效 when its restarted heartbeat reports the profile's hash; the heartbeat's
    last crash shows in its column (and the "crashed" filter finds it); the A4 printer's
    forecast beside the receipt's."""
    import protocol as p

    tid = "CITY-T04"
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    open_fleet(page, backend.url, TECH.staff_no, TECH.pin)
    profile = {"session": {"idle_timeout_s": 150}}
    page.fill("#p-hall", DEMO_HALL)
    page.fill("#p-json", '{"session": {"idle_timeout_s": 150}}')
    page.click("#p-push")
    page.wait_for_selector("#p-result.ok-text")
    [cmd] = [c for c in beat(terminals[tid], tid)["commands"] if c["kind"] == "new_config"]
    assert cmd["payload"] == profile
    beat(terminals[tid], tid, acked_command_ids=[cmd["id"]], command_results=[
        {"id": cmd["id"], "ok": True, "stage": "accepted", "message": "空闲时重启生效"}])
    row = page.locator(f'#fleet tr[data-terminal-id="{tid}"]')
    page.evaluate("loadList()")  # (rather than wait for the 5 s poll)
    row.locator("td", has_text="已接受").wait_for(timeout=7000)
    # the restarted terminal runs it; it crashed twice in the ten minutes before; A4 paper
    crash_at = (datetime.now(timezone.utc) - timedelta(minutes=3)).isoformat()
    from sqlalchemy import text

    with backend.app.state.db.write() as s:
        s.execute(text("UPDATE terminals SET doc_paper_at = :t, doc_paper_printed_total = 0 "
                       "WHERE id = :i"), {"t": (datetime.now(timezone.utc) - timedelta(hours=1))
                                          .replace(tzinfo=None), "i": tid})
    beat(terminals[tid], tid, config_hash=p.profile_hash(profile),
         last_crash={"at": crash_at, "kind": "exception", "recent": 2},
         paper={"level": "ok", "sheets_left": 500, "printed_total": 40},
         document_paper={"level": "ok", "sheets_left": 120, "printed_total": 30})
    page.evaluate("loadList()")
    row.locator("td", has_text="已生效").wait_for(timeout=7000)
    assert "程序异常 · 3 分钟前" in row.inner_text() and "10 分钟内 2 次" in row.inner_text()
    a4 = row.locator('.paper-printer[data-printer="doc"]')
    assert "A4：正常" in a4.inner_text() and "约 4 小时后缺纸" in a4.inner_text()
    page.screenshot(path=str(artifacts / "console-fleet-applied.png"), full_page=True)
    page.select_option("#f-fault", "crashed")
    page.wait_for_function("() => document.querySelectorAll('#fleet tbody tr').length === 1")
    assert page.locator(f'#fleet tr[data-terminal-id="{tid}"]').count() == 1
    row.get_by_role("button", name="指令").click()
    page.wait_for_selector(f'#cmd-list tr[data-command-id="{cmd["id"]}"][data-status="applied"]')
    context.close()
