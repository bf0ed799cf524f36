"""The hall console in a real headless Chromium (Debian's, driven by Playwright) against the
backend served by uvicorn on loopback: log in, a help request raised through the terminal API
shows within 2 s, take it (the terminal sees who), remote view only after the terminal's
consent, the frame shown, a second browser's login ending the first. Screenshots:
console-hall.png, console-remote-view.png in the artifacts folder."""

from __future__ import annotations

import io
import shutil
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest.importorskip("playwright.sync_api")
if shutil.which("chromium") is None:  # pragma: no cover - the README installs it
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

from backend.console_shots import launch, log_in, shoot_console  # noqa: E402
from backend.db import open_database  # noqa: E402
from backend.embedded import EmbeddedBackend  # noqa: E402
from backend.seed import seed_database  # noqa: E402
from protocol import staff as ps  # noqa: E402
from protocol.demo import DEMO_HALL, DEMO_STAFF  # noqa: E402

ADMIN = "console-browser-admin"
HELPER, LEAD = DEMO_STAFF[0], DEMO_STAFF[1]  # 1001 张敏 helper, 1002 李强 shift lead
TERMINAL = "HALL-T01"


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    path = tmp_path_factory.mktemp("console") / "backend.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    seed_database(db, citizens=4, catalog_limit=5)
    from sqlalchemy import select

    from backend.models import CatalogItem

    with db.read() as s:  # an item of the catalog the backend serves: the console names it
        item = s.execute(select(CatalogItem.id, CatalogItem.name).limit(1)).one()
    db.close()
    server = EmbeddedBackend(url, admin_token=ADMIN)
    server.start()
    server.item = tuple(item)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def terminal(backend):
    """An enrolled terminal of the demo hall, as an httpx client with its credential."""
    admin = {"Authorization": f"Bearer {ADMIN}"}
    code = httpx.post(f"{backend.url}/v1/admin/enrolment-codes", headers=admin,
                      json={"terminal_id": TERMINAL, "hall": DEMO_HALL}).json()["code"]
    cred = httpx.post(f"{backend.url}/v1/enrol", json={
        "enrolment_code": code, "terminal_id": TERMINAL}).json()["credential"]
    with httpx.Client(base_url=backend.url, timeout=10,
                      headers={"Authorization": f"Bearer {cred}"}) as c:
        c.post("/v1/heartbeat", json={
            "terminal_id": TERMINAL, "version": "1.0", "uptime_s": 60, "backlog": 0,
            "state": "active", "state_reason": "",
            "devices": {"printer": {"status": "warning", "reason": "纸张将尽"},
                        "card_reader": {"status": "ok"}}}).raise_for_status()
        yield c


@pytest.fixture(scope="module")
def browser(backend):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def raise_help(terminal, item_id: str = "") -> str:
    rid = str(uuid.uuid4())
    r = terminal.post(ps.StaffPaths.HELP, json={
        "request_id": rid, "screen": "flow", "item_id": item_id, "step": "consent",
        "waiting_since": datetime.now(timezone.utc).isoformat()})
    assert r.status_code == 201, r.text
    return rid


def status(terminal, rid: str) -> dict:
    return terminal.get(ps.StaffPaths.HELP_ONE.format(request_id=rid)).json()


def wait_for(check, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def masked_screen_jpeg() -> bytes:
    """What a terminal sends: its screen with the ID and name fields masked."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (640, 400), "#f4f6f9")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 26)
    small = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 20)
    d.rectangle((0, 0, 640, 56), fill="#b4232a")
    d.text((20, 10), "社保参保证明 · 确认授权", font=font, fill="white")
    d.text((40, 90), "姓名：张*", font=font, fill="#1d2733")
    d.text((40, 140), "身份证号：3204**********1230", font=font, fill="#1d2733")
    d.rectangle((40, 220, 280, 280), fill="#1f7a3a")
    d.text((110, 234), "同意并继续", font=small, fill="white")
    d.text((40, 330), "远程帮办中：工作人员正在查看本屏幕", font=small, fill="#a15c00")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def test_help_request_live_take_and_remote_view(backend, terminal, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    log_in(page, backend.url, HELPER.staff_no, HELPER.pin)
    page.wait_for_selector(f'#terminals tr[data-terminal-id="{TERMINAL}"]')
    assert "群众使用中" in page.inner_text("#terminals") and "纸张将尽" in page.inner_text("#terminals")

    item_id, item_name = backend.item
    rid = raise_help(terminal, item_id)
    t0 = time.monotonic()
    item = page.locator(f'li.help[data-request-id="{rid}"]')
    item.wait_for(timeout=2000)  # live: within 2 s, without reloading
    assert time.monotonic() - t0 < 2.0
    assert TERMINAL in item.inner_text() and "等待接单" in item.inner_text()
    # the item by its name in the catalog, the step in words (the terminal sent ids)
    assert item_name in item.inner_text() and "授权确认" in item.inner_text()
    page.screenshot(path=str(artifacts / "console-hall.png"), full_page=True)

    item.get_by_role("button", name="接单").click()
    taken = wait_for(lambda: status(terminal, rid)["state"] == "taken")
    assert taken and status(terminal, rid)["staff_name"] == HELPER.name
    page.wait_for_selector(f'li.help[data-request-id="{rid}"][data-state="taken"]')

    item.get_by_role("button", name="请求查看屏幕").click()
    assert wait_for(lambda: status(terminal, rid)["remote_view"] == "requested")
    page.wait_for_selector("#remote:not([hidden])")
    assert "等待群众" in page.inner_text("#remote-status")
    assert page.locator("#remote-frame").is_hidden()  # nothing before the citizen's tap
    frame_url = ps.StaffPaths.HELP_FRAME.format(request_id=rid)
    jpeg = masked_screen_jpeg()
    assert terminal.put(frame_url, content=jpeg,
                        headers={"Content-Type": "image/jpeg"}).status_code == 409

    consent = terminal.post(ps.StaffPaths.HELP_CONSENT.format(request_id=rid),
                            json={"allow": True})
    assert consent.json()["remote_view"] == "allowed"
    assert terminal.put(frame_url, content=jpeg,
                        headers={"Content-Type": "image/jpeg"}).status_code == 204
    page.wait_for_function("() => { const i = document.getElementById('remote-frame');"
                           " return !i.hidden && i.complete && i.naturalWidth === 640; }",
                           timeout=3000)
    assert "群众已同意" in page.inner_text("#remote-status")
    page.screenshot(path=str(artifacts / "console-remote-view.png"), full_page=True)

    page.click("#remote-end")
    assert wait_for(lambda: status(terminal, rid)["remote_view"] == "ended")
    assert terminal.put(frame_url, content=jpeg,
                        headers={"Content-Type": "image/jpeg"}).status_code == 409
    page.wait_for_selector("#remote-frame", state="hidden")
    item.locator("select").select_option("已解决")
    item.get_by_role("button", name="完成").click()
    assert wait_for(lambda: status(terminal, rid)["state"] == "finished")
    page.wait_for_selector(f'li.help[data-request-id="{rid}"]', state="detached")
    context.close()


def test_a_second_browser_login_ends_the_first(backend, terminal, browser):
    first = browser.new_context(locale="zh-CN")
    second = browser.new_context(locale="zh-CN")
    page1, page2 = first.new_page(), second.new_page()
    log_in(page1, backend.url, LEAD.staff_no, LEAD.pin)
    log_in(page2, backend.url, LEAD.staff_no, LEAD.pin)
    page1.wait_for_selector("#notice:not([hidden])", timeout=3000)
    assert "您的账号已在其他地方登录" in page1.inner_text("#notice")
    assert page1.is_visible("#login") and page2.is_visible("#main")
    # A stale page: a request taken in one browser, the other's take is refused clearly.
    rid = raise_help(terminal)
    helper = browser.new_context(locale="zh-CN").new_page()
    log_in(helper, backend.url, HELPER.staff_no, HELPER.pin)
    for page in (helper, page2):
        page.locator(f'li.help[data-request-id="{rid}"]').wait_for(timeout=2000)
    # The lead's page as it was before the helper took it (a stale page), clicked after.
    seen = page2.evaluate("(rid) => snapshot.help.find((h) => h.request_id === rid)", rid)
    helper.locator(f'li.help[data-request-id="{rid}"]').get_by_role("button", name="接单").click()
    assert wait_for(lambda: status(terminal, rid)["staff_name"] == HELPER.name)
    page2.evaluate("(h) => act(h, 'take')", seen)
    page2.wait_for_selector("#notice:not([hidden])", timeout=3000)
    assert "已有同事处理" in page2.inner_text("#notice")
    page2.locator(f'li.help[data-request-id="{rid}"][data-state="taken"]').wait_for(timeout=3000)
    assert status(terminal, rid)["staff_name"] == HELPER.name  # not taken over
    helper.context.close()
    first.close()
    second.close()


def test_the_auditor_reads_without_acting(backend, terminal, browser):
    rid = raise_help(terminal)
    auditor = DEMO_STAFF[3]  # 1004 赵审
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, backend.url, auditor.staff_no, auditor.pin)
    item = page.locator(f'li.help[data-request-id="{rid}"]')
    item.wait_for(timeout=2000)
    assert item.get_by_role("button").count() == 0  # read-only
    page.wait_for_selector("#audit-log tbody tr", timeout=3000)
    assert "登录" in page.inner_text("#audit-log")
    assert f"终端 {TERMINAL}" in page.inner_text("#audit-chains")
    context.close()


def test_shoot_console_writes_both_pictures(backend, terminal, browser, tmp_path):
    rid = raise_help(terminal)
    jpeg = masked_screen_jpeg()

    def consent(request_id: str) -> None:
        assert request_id == rid
        terminal.post(ps.StaffPaths.HELP_CONSENT.format(request_id=rid), json={"allow": True})
        terminal.put(ps.StaffPaths.HELP_FRAME.format(request_id=rid), content=jpeg,
                     headers={"Content-Type": "image/jpeg"}).raise_for_status()

    paths = shoot_console(backend.url, HELPER.staff_no, HELPER.pin, tmp_path, request_id=rid,
                          consent=consent, browser=browser)
    assert [p.name for p in paths] == ["console-hall.png", "console-remote-view.png"]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in paths)
    assert status(terminal, rid)["state"] == "taken"
