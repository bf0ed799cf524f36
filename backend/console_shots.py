"""Screenshots of the hall console in headless Chromium (Debian's ``chromium``, driven by
Playwright), for the kiosk's tour and the README: ``console-hall.png`` (the hall with an open
help request) and ``console-remote-view.png`` (a taken request whose terminal shows its screen).

    paths = shoot_console(backend_url, "1001", "246810", out_dir, consent=allow_on_terminal)

The steps: log in; wait for an open help request (`request_id`, or the first one) and shoot the
hall; take it; ask to see the screen (请求查看屏幕); call ``consent(request_id)``, which makes the
terminal allow and send a frame (the tour taps 允许 on the kiosk); wait for the picture; shoot.
Without `consent`, or without an open request within `timeout`, only the hall is shot.

Playwright's sync API must not run inside an asyncio loop: from a Qt program, call this from a
worker thread (and let `consent` hand its work to the UI thread and wait for it).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

HALL_PNG = "console-hall.png"
REMOTE_PNG = "console-remote-view.png"


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("Chromium is not installed (Debian: apt-get install chromium)")
    return path


def launch(playwright, executable: str | None = None):
    return playwright.chromium.launch(executable_path=executable or chromium_path(),
                                      args=["--no-sandbox", "--disable-gpu"])


def log_in(page, base_url: str, staff_no: str, pin: str, timeout_s: float = 15) -> None:
    page.goto(f"{base_url.rstrip('/')}/console/")
    page.fill("#staff-no", staff_no)
    page.fill("#pin", pin)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#main:not([hidden])", timeout=timeout_s * 1000)


def help_item(page, request_id: str | None):
    if request_id:
        return page.locator(f'li.help[data-request-id="{request_id}"]')
    return page.locator('li.help[data-state="open"]').first


def shoot_console(base_url: str, staff_no: str, pin: str, out_dir: Path, *,
                  request_id: str | None = None,
                  consent: Callable[[str], None] | None = None,
                  timeout: float = 15.0, browser=None,
                  viewport: tuple[int, int] = (1280, 800)) -> list[Path]:
    """Write console-hall.png and (with `consent`) console-remote-view.png into `out_dir`;
    the paths written. `browser`: a Playwright Browser to use (else Chromium is launched)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if browser is not None:
        return _shoot(browser, base_url, staff_no, pin, out_dir, request_id, consent, timeout,
                      viewport)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        own = launch(p)
        try:
            return _shoot(own, base_url, staff_no, pin, out_dir, request_id, consent, timeout,
                          viewport)
        finally:
            own.close()


def _shoot(browser, base_url, staff_no, pin, out_dir, request_id, consent, timeout,
           viewport) -> list[Path]:
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  locale="zh-CN", device_scale_factor=1)
    written: list[Path] = []
    try:
        page = context.new_page()
        log_in(page, base_url, staff_no, pin, timeout)
        page.wait_for_function("() => document.getElementById('terminal-count').textContent",
                               timeout=timeout * 1000)
        item = help_item(page, request_id)
        try:
            item.wait_for(timeout=timeout * 1000)
        except Exception:  # noqa: BLE001 - no request came: the hall alone
            item = None
        page.screenshot(path=str(out_dir / HALL_PNG), full_page=True)
        written.append(out_dir / HALL_PNG)
        if item is None or consent is None:
            return written
        rid = item.get_attribute("data-request-id")
        item = help_item(page, rid)
        item.get_by_role("button", name="接单").click()
        item.get_by_role("button", name="请求查看屏幕").click()
        page.wait_for_selector("#remote:not([hidden])", timeout=timeout * 1000)
        consent(rid)
        page.wait_for_function(
            "() => { const i = document.getElementById('remote-frame');"
            " return i && !i.hidden && i.complete && i.naturalWidth > 0; }",
            timeout=timeout * 1000)
        time.sleep(0.2)  # the picture painted
        page.screenshot(path=str(out_dir / REMOTE_PNG), full_page=True)
        written.append(out_dir / REMOTE_PNG)
        return written
    finally:
        context.close()


FLEET_PNG = "console-fleet.png"


def open_fleet(page, base_url: str, staff_no: str, pin: str, timeout_s: float = 15) -> None:
    """Log in at the hall console and open the fleet view (设备管理) from its link."""
    log_in(page, base_url, staff_no, pin, timeout_s)
    page.click("#fleet-link")
    page.wait_for_selector("#fleet tbody tr", timeout=timeout_s * 1000)


def shoot_fleet(base_url: str, staff_no: str, pin: str, out_dir: Path, *,
                terminal_id: str | None = None, timeout: float = 15.0, browser=None,
                viewport: tuple[int, int] = (1280, 900)) -> Path:
    """Write console-fleet.png into `out_dir`: the fleet view as a technician or shift lead
    (`staff_no`) sees it, with the command panel of `terminal_id` open if given; its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    def shoot(b) -> Path:
        context = b.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                locale="zh-CN", device_scale_factor=1)
        try:
            page = context.new_page()
            open_fleet(page, base_url, staff_no, pin, timeout)
            if terminal_id:
                page.locator(f'#fleet tr[data-terminal-id="{terminal_id}"] button').click()
                page.wait_for_selector("#cmd-list tbody tr, #command-section:not([hidden])",
                                       timeout=timeout * 1000)
            time.sleep(0.2)
            page.screenshot(path=str(out_dir / FLEET_PNG), full_page=True)
            return out_dir / FLEET_PNG
        finally:
            context.close()

    if browser is not None:
        return shoot(browser)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        own = launch(p)
        try:
            return shoot(own)
        finally:
            own.close()
