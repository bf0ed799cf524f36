"""Hall staff in the kiosk window (pytest-qt, the production wiring through `kiosk_window`):
login by PIN (the long press on the terminal's name) and by badge (the QR wedge), the lockout
message, the attended banner on every screen, consent still the citizen's in attended mode,
reprints marked 补打 on receipt and A4, ending a stuck session."""

from __future__ import annotations

import subprocess

import pytest
from argon2 import PasswordHasher

from kiosk.audit import entries
from kiosk.navigation import Screen
from kiosk.staff import RosterStore
from printing.escpos_text import encode_text
from protocol.staff import StaffAccount, StaffRole, StaffRoster, badge_hash
from screens.qt import Qt
from tests.test_flow_screens import (  # noqa: F401 - fixtures
    WANG,
    backend,
    make_kiosk,
    scan,
    tap,
    wait_page,
)

@pytest.fixture(scope="module")
def badges(backend) -> dict[str, str]:
    """The hall's staff set up at the real backend (its admin API), as a hall does: the kiosk
    receives them over HTTP with the roster. Returns each staff member's badge QR text."""
    import httpx

    from tests.backend_helpers import ADMIN_AUTH

    out = {}
    for no, name, role, pin in (("1001", "王帮办", "helper", "246810"),
                                ("1002", "李值班", "shift_lead", "135790")):
        r = httpx.put(f"{backend.url}/v1/admin/staff/{no}", headers=ADMIN_AUTH, timeout=10,
                      json={"name": name, "hall": "", "role": role, "pin": pin})
        r.raise_for_status()
        r = httpx.post(f"{backend.url}/v1/admin/staff/{no}/badge", headers=ADMIN_AUTH, timeout=10)
        r.raise_for_status()
        out[no] = r.json()["qr"]
    return out


def forged(qr: str) -> str:
    head, token = qr.rsplit(":", 1)
    return f"{head}:{token[::-1]}"


@pytest.fixture
def staff_kiosk(make_kiosk, badges, qtbot):
    def make(**kw):
        k = make_kiosk(**kw)
        # the roster comes from the backend with the first heartbeat
        qtbot.waitUntil(lambda: {"1001", "1002"} <= set(RosterStore(k.core.store).accounts()),
                        timeout=15000)
        k.w.STAFF_HOLD_MS = 100
        return k
    return make


def long_press_terminal_name(qtbot, k) -> None:
    target = k.w.status.terminal
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=target.rect().center())
    qtbot.wait(250)
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=target.rect().center())
    qtbot.waitUntil(lambda: k.w.staff_panel.isVisible(), timeout=3000)


def type_login(qtbot, k, staff_no: str, pin: str) -> None:
    panel = k.w.staff_panel
    tap(qtbot, panel.staff_no_button)
    tap(qtbot, panel.keys["clear"])
    for ch in staff_no:
        tap(qtbot, panel.keys[ch])
    tap(qtbot, panel.confirm_button)  # on to the PIN
    for ch in pin:
        tap(qtbot, panel.keys[ch])
    tap(qtbot, panel.confirm_button)


def audit(k) -> list[dict]:
    k.core.services.events.flush()
    return entries(k.core.store)


def shot(k, artifacts, name: str) -> None:
    k.w.grab().save(str(artifacts / f"staff-{name}.png"))


def test_pin_login_attends_the_citizen_and_the_banner_is_on_every_screen(qtbot, staff_kiosk,
                                                                          artifacts):
    k = staff_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])  # a citizen is at the terminal
    long_press_terminal_name(qtbot, k)
    shot(k, artifacts, "login")
    type_login(qtbot, k, "1001", "246810")
    banner = k.w.staff_banner
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=5000)
    assert banner.text.text() == "工作人员 王帮办 正在为您服务"
    assert not k.w.staff_panel.isVisible() and k.core.attending == "1001"
    seen = []
    for go in (lambda: k.core.navigator.go(Screen.HOME),
               lambda: k.core.navigator.go(Screen.SEARCH),
               lambda: k.core.open_guide("RS-000003"),
               lambda: k.core.navigator.go(Screen.PROBLEM),
               lambda: k.core.open_item("RS-000001")):
        go()
        qtbot.wait(20)
        seen.append((k.core.navigator.current.screen, banner.isVisible()))
    assert all(visible for _screen, visible in seen), seen
    wait_page(qtbot, k, "identify")
    shot(k, artifacts, "attended")
    tap(qtbot, k.w.nav.end_button)  # the citizen's session ends: staff are logged out of it
    assert not banner.isVisible() and k.core.staff.session is None
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    assert not banner.isVisible() and k.core.attending is None
    assert [e["action"] for e in audit(k)] == ["staff_login", "attend", "attend", "staff_logout"]


def test_wrong_pins_then_the_lockout_message(qtbot, staff_kiosk, artifacts):
    k = staff_kiosk()
    long_press_terminal_name(qtbot, k)
    panel = k.w.staff_panel
    type_login(qtbot, k, "1001", "111111")
    qtbot.waitUntil(lambda: "还可尝试 4 次" in panel.login_message.text(), timeout=5000)
    assert "1001" in panel.staff_no_button.text() and panel._field == "pin"  # kept
    type_login(qtbot, k, "9999", "246810")  # an unknown number: the same words
    qtbot.waitUntil(lambda: "还可尝试 4 次" in panel.login_message.text()
                    and k.core.staff.attempts == 2, timeout=5000)
    for n in (3, 2, 1):
        type_login(qtbot, k, "1001", "111111")
        qtbot.waitUntil(lambda n=n: f"还可尝试 {n} 次" in panel.login_message.text(),
                        timeout=5000)
    type_login(qtbot, k, "1001", "111111")
    qtbot.waitUntil(lambda: "已锁定" in panel.login_message.text(), timeout=5000)
    assert "15 分钟" in panel.login_message.text()
    shot(k, artifacts, "locked")
    type_login(qtbot, k, "1001", "246810")  # the right PIN: still locked
    qtbot.waitUntil(lambda: k.core.staff.attempts == 7, timeout=5000)
    assert "已锁定" in panel.login_message.text() and k.core.staff.session is None
    actions = [e["action"] for e in audit(k)]
    assert actions.count("pin_failed") == 6 and actions.count("staff_locked") == 1


def test_badges_on_the_attract_and_home_screens(badges, qtbot, staff_kiosk):
    k = staff_kiosk()
    scan(qtbot, k, forged(badges["1002"]))  # forged: refused, said so
    panel = k.w.staff_panel
    qtbot.waitUntil(lambda: panel.isVisible(), timeout=3000)
    assert "无法识别该工作证" in panel.login_message.text()
    tap(qtbot, panel.cancel_button)
    scan(qtbot, k, badges["1002"])  # nobody at the terminal: the staff tools
    qtbot.waitUntil(lambda: panel.isVisible() and panel.pages.currentIndex() == 1,
                    timeout=3000)
    assert "李值班" in panel.tools_who.text() and "值班长" in panel.tools_who.text()
    assert not k.w.staff_banner.isVisible() and not k.core.session.started
    tap(qtbot, panel.logout_button)
    assert not panel.isVisible() and k.core.staff.session is None
    tap(qtbot, k.w.screens[Screen.ATTRACT])  # a citizen: the helper's badge attends them
    scan(qtbot, k, badges["1001"])
    qtbot.waitUntil(lambda: k.w.staff_banner.isVisible(), timeout=3000)
    assert k.core.attending == "1001" and not panel.isVisible()


def test_consent_is_still_the_citizens_in_attended_mode(badges, qtbot, staff_kiosk):
    k = staff_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    scan(qtbot, k, badges["1001"])
    qtbot.waitUntil(lambda: k.core.attending == "1001", timeout=3000)
    k.core.open_item("RS-000001")
    wait_page(qtbot, k, "identify")
    panel = k.flow.identify_panel
    if not panel.pad_visible:  # the citizen still identifies: here by number, staff confirm
        tap(qtbot, panel.manual_button)
    for ch in WANG.id_number:
        tap(qtbot, panel.pad.keys[ch])
    tap(qtbot, panel.pad.confirm_button)
    wait_page(qtbot, k, "consent")
    qtbot.wait(500)
    # nothing is looked up or shown before the consent screen is tapped
    assert k.page() == "consent" and not k.run.ctx.consented and k.run.ctx.records is None
    assert k.flow.consent_agree.isVisible()
    tap(qtbot, k.flow.consent_agree)
    wait_page(qtbot, k, "preview", 15000)
    qtbot.waitUntil(lambda: not k.core.flow.busy, timeout=10000)
    (item,) = [e for e in audit(k) if e["action"] == "attend_item"]
    assert item["detail"]["masked_id"] == WANG.id_number[:4] + "*" * 10 + WANG.id_number[-4:]
    assert WANG.id_number not in str(audit(k)) and WANG.name not in str(audit(k))


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_reprints_are_marked_on_the_paper_and_audited(badges, qtbot, staff_kiosk, artifacts):
    k = staff_kiosk()
    # a citizen took a queue ticket and left
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    tap(qtbot, k.w.screens[Screen.HOME].queue_button)
    wait_page(qtbot, k, "choose")
    tap(qtbot, k.flow.choose_buttons[0])
    wait_page(qtbot, k, "rate", 15000)
    qtbot.waitUntil(lambda: len(k.receipt.jobs) == 1, timeout=5000)
    tap(qtbot, k.w.nav.end_button)
    # the shift lead reprints it from the staff tools: 补打 on the paper
    scan(qtbot, k, badges["1002"])
    panel = k.w.staff_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.pages.currentIndex() == 1,
                    timeout=3000)
    (name,) = [n for n in panel.tool_buttons if n.startswith("staff_reprint_")]
    shot(k, artifacts, "tools")
    tap(qtbot, panel.tool_buttons[name])
    qtbot.waitUntil(lambda: len(k.receipt.jobs) == 2, timeout=5000)
    first, again = k.receipt.jobs
    assert encode_text("【补打】") in again.data and encode_text("补打") not in first.data
    assert again.data.endswith(first.data)  # the same ticket under the mark
    k.receipt.render(again).save(str(artifacts / "staff-reprint-receipt.png"))
    assert "补打" in panel.tools_message.text()
    tap(qtbot, panel.logout_button)
    # a certificate printed while the shift lead attends: reprinted in the same session only
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    scan(qtbot, k, badges["1002"])
    qtbot.waitUntil(lambda: k.core.attending == "1002", timeout=3000)
    k.core.open_item("RS-000001")
    wait_page(qtbot, k, "identify")
    ip = k.flow.identify_panel
    if not ip.pad_visible:
        tap(qtbot, ip.manual_button)
    for ch in WANG.id_number:
        tap(qtbot, ip.pad.keys[ch])
    tap(qtbot, ip.pad.confirm_button)
    wait_page(qtbot, k, "consent")
    tap(qtbot, k.flow.consent_agree)
    wait_page(qtbot, k, "preview", 15000)
    tap(qtbot, k.flow.preview_print)
    wait_page(qtbot, k, "rate", 15000)
    qtbot.waitUntil(lambda: len(k.pdfs()) == 1, timeout=15000)
    tap(qtbot, k.w.staff_banner.tools_button)
    qtbot.waitUntil(lambda: panel.isVisible(), timeout=3000)
    names = [n for n in panel.tool_buttons if n.startswith("staff_reprint_")]
    assert len(names) == 2  # the ticket and, while this citizen is here, the certificate
    (cert,) = [n for n in names if "参保证明" in panel.tool_buttons[n].text()]
    qtbot.wait(150)  # (the new rows laid out)
    shot(k, artifacts, "reprint")
    tap(qtbot, panel.tool_buttons[cert])
    qtbot.waitUntil(lambda: len(k.pdfs()) == 2, timeout=15000)
    original, reprint = k.pdfs()
    texts = sorted((pdf_text(p) for p in k.pdfs()), key=lambda t: "补打" in t)
    assert "补打" not in texts[0] and "补打" in texts[1]
    reprints = [e for e in audit(k) if e["action"] == "reprint"]
    assert [r["detail"]["personal"] for r in reprints] == [False, True]
    # the citizen leaves: their certificate can no longer be reprinted by anyone
    tap(qtbot, panel.close_button)
    tap(qtbot, k.w.nav.end_button)
    scan(qtbot, k, badges["1002"])
    qtbot.waitUntil(lambda: panel.isVisible() and panel.pages.currentIndex() == 1,
                    timeout=3000)
    assert all("参保证明" not in b.text() for b in panel.tool_buttons.values())


def test_a_stuck_session_ended_from_the_staff_tools(qtbot, staff_kiosk):
    k = staff_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    k.core.open_item("RS-000001")
    wait_page(qtbot, k, "identify")
    k.w.staff_wedge.install()  # (the home screen reads badges; here staff use the PIN)
    long_press_terminal_name(qtbot, k)
    type_login(qtbot, k, "1002", "135790")
    qtbot.waitUntil(lambda: k.core.attending == "1002", timeout=5000)
    tap(qtbot, k.w.staff_banner.tools_button)
    panel = k.w.staff_panel
    tap(qtbot, panel.tool_buttons["staff_end_session"])
    qtbot.waitUntil(lambda: k.core.navigator.current.screen == Screen.ATTRACT, timeout=3000)
    assert not k.core.session.started and k.core.staff.session is None
    assert not panel.isVisible() and not k.w.staff_banner.isVisible()
    assert "session_ended" in [e["action"] for e in audit(k)]


def test_the_tours_staff_steps(qtbot, staff_kiosk, monkeypatch, tmp_path):
    """The tour's staff steps (screens.tour) against the roster the kiosk has; the demo's staff
    (protocol.demo.DEMO_STAFF, the backend's seed) stood in for by this test's shift lead."""
    from dataclasses import dataclass

    import protocol.demo as demo
    from screens.tour import Tour

    @dataclass(frozen=True)
    class Staff:
        staff_no: str
        name: str
        role: str
        pin: str

    monkeypatch.setattr(demo, "DEMO_STAFF", (Staff("1002", "李值班", "shift_lead", "135790"),),
                        raising=False)
    k = staff_kiosk()
    tour = Tour(k.w, tmp_path / "tour", exit_app=False, virtual_printer=k.receipt,
                a4_folder=k.a4_folder)
    tour.steps = tour._staff_steps()
    assert [s.name for s in tour.steps] == [
        "staff-roster", "staff-login", "staff-tools", "attended", "attended-consent",
        "attended-preview", "attended-printed", "reprint", "staff-session-ended"]
    tour.run()
    qtbot.waitUntil(lambda: len(tour.results) == len(tour.steps)
                    or any(not ok for _n, ok, _w in tour.results), timeout=60000)
    assert all(ok for _n, ok, _w in tour.results), tour.results
    assert (tmp_path / "tour" / "03-staff-tools.png").exists()


def test_a_printer_fault_cleared_after_refilling(badges, qtbot, staff_kiosk):
    """Paper out; the shift lead refills it and taps the button: the printer is asked again at
    once (not at the next idle poll), the screens learn it is usable; audited."""
    k = staff_kiosk()
    scan(qtbot, k, badges["1002"])
    panel = k.w.staff_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.pages.currentIndex() == 1,
                    timeout=3000)
    k.receipt.state = "paper_out"
    tap(qtbot, panel.tool_buttons["staff_fault_receipt"])  # (a probe: it sees the paper out)
    qtbot.waitUntil(lambda: str(k.core.printer.receipt_status().reason) == "paper_out",
                    timeout=5000)
    k.receipt.state = "ok"  # refilled
    qtbot.waitUntil(lambda: panel.tool_buttons["staff_fault_receipt"].isVisible())  # redrawn
    tap(qtbot, panel.tool_buttons["staff_fault_receipt"])
    qtbot.waitUntil(lambda: k.core.printer.receipt_status().usable, timeout=5000)
    assert "重新检测" in panel.tools_message.text()
    cleared = [e for e in audit(k) if e["action"] == "fault_cleared"]
    assert [e["detail"] for e in cleared] == [{"printer": "receipt"}] * 2


def test_a_login_page_left_alone_closes_and_forgets_what_was_typed(qtbot, staff_kiosk):
    k = staff_kiosk()
    long_press_terminal_name(qtbot, k)
    panel = k.w.staff_panel
    for ch in "1002":
        tap(qtbot, panel.keys[ch])
    k.core.clock.advance(k.core.config.staff.idle_logout_s + 1)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=3000)
    assert panel._staff_no == "" and k.core.staff.session is None



def test_the_technician_sees_why_the_terminal_is_silent(badges, qtbot, staff_kiosk):
    """No audio output on this machine: the staff tools say voice guidance is silent and why
    (docs/decisions/0031), in the staff's language."""
    from screens.qt import QLabel

    k = staff_kiosk()
    scan(qtbot, k, badges["1002"])
    panel = k.w.staff_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.pages.currentIndex() == 1,
                    timeout=3000)
    status = panel.findChild(QLabel, "staff_voice_status")
    assert status is not None
    st = k.core.services.voice.status()
    if st.audio_ok and st.engine_ok:
        assert status.text().startswith("正常")
    else:
        assert status.text().startswith("无声")
