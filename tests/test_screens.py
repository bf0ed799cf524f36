"""The real window, driven by touch (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image

from kiosk.bus import Topic
from kiosk.navigation import Screen
from kiosk.store.db import DB_FILENAME
from screens.qt import Qt

pytestmark = pytest.mark.gui


@pytest.fixture
def make_window(kiosk_window, make_config, small_catalog_file):
    """The window of a kiosk built by the composition root from a test config; `printer` is a
    running VirtualPrinter reached as the terminal's network receipt printer."""

    def make(catalog=None, orientation=None, printer=None, **sections):
        if printer is not None:
            sections.setdefault("printing", {})["receipt"] = {
                "driver": "network", "host": "127.0.0.1", "port": printer.port, "timeout_s": 2}
        return kiosk_window(make_config(catalog or small_catalog_file, **sections),
                            orientation=orientation).window

    return make


def tap(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def screen(w):
    return w.core.navigator.current.screen


def type_letters(qtbot, w, letters):
    for ch in letters:
        tap(qtbot, w.screens[Screen.SEARCH].keyboard.keys[ch])


def decode_qr(path):
    with Image.open(path) as img:
        results = zxingcpp.read_barcodes(img)
    return [r.text for r in results]


def test_touch_search_to_guide_and_scan_its_qr(qtbot, make_window, artifacts):
    w = make_window()
    assert screen(w) == Screen.ATTRACT
    tap(qtbot, w.screens[Screen.ATTRACT])
    assert screen(w) == Screen.HOME
    tap(qtbot, w.screens[Screen.HOME].search_button)
    assert screen(w) == Screen.SEARCH
    type_letters(qtbot, w, "sbcb")
    search = w.screens[Screen.SEARCH]
    assert search.field.text() == "sbcb"
    assert search.result_buttons[0].isVisible()
    assert "社会保险参保证明打印" in search.result_buttons[0].text()
    tap(qtbot, search.result_buttons[0])
    assert screen(w) == Screen.GUIDE
    guide = w.screens[Screen.GUIDE]
    assert guide.title.text() == "社会保险参保证明打印"
    assert "居民身份证" in guide.sections["materials"][1].text()
    path = artifacts / "guide-qr.png"
    assert w.grab().save(str(path))
    assert decode_qr(path) == ["https://zwfw.example.gov.cn/guide/RS-000001"]


def test_backspace_clear_and_results_update_every_key(qtbot, make_window):
    w = make_window()
    w.core.begin_session()
    w.core.navigator.go(Screen.SEARCH)
    search = w.screens[Screen.SEARCH]
    type_letters(qtbot, w, "y")
    first = search.hits()
    type_letters(qtbot, w, "b")
    assert search.hits() != first or len(first) <= 2
    tap(qtbot, search.keyboard.back_key)
    assert search.field.text() == "y"
    tap(qtbot, search.keyboard.clear_key)
    assert search.field.text() == "" and search.hits() == []
    type_letters(qtbot, w, "qqqqzz")
    assert not search.result_buttons[0].isVisible()
    assert search.count.text()  # says nothing was found, in words


def test_timeout_wipes_the_search_text(qtbot, make_window, artifacts):
    w = make_window()
    core = w.core
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.screens[Screen.HOME].search_button)
    type_letters(qtbot, w, "sbcb")
    tap(qtbot, w.nav.language_buttons["en"])
    core.clock.advance(core.session.effective_idle_s + 1)
    qtbot.waitUntil(w.overlay.isVisible, timeout=2000)
    w.grab().save(str(artifacts / "countdown.png"))
    assert w.overlay.seconds.text().isdigit()
    core.clock.advance(core.session.countdown_s + 1)
    qtbot.waitUntil(lambda: screen(w) == Screen.ATTRACT, timeout=2000)
    search = w.screens[Screen.SEARCH]
    assert search.field.text() == "" and search.hits() == []
    assert not any(b.isVisible() for b in search.result_buttons)
    assert core.session.data.search_text == "" and core.session.data.language == "zh_CN"
    # The next citizen finds an empty search.
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.screens[Screen.HOME].search_button)
    assert search.field.text() == ""
    assert w.screens[Screen.HOME].title.text() == "您要办理什么业务？"


def test_still_here_keeps_the_session(qtbot, make_window):
    w = make_window()
    core = w.core
    tap(qtbot, w.screens[Screen.ATTRACT])
    core.clock.advance(core.session.effective_idle_s + 1)
    qtbot.waitUntil(w.overlay.isVisible, timeout=2000)
    tap(qtbot, w.overlay.stay_button)
    assert not w.overlay.isVisible()
    assert screen(w) == Screen.HOME


def test_finish_button_ends_the_session(qtbot, make_window):
    w = make_window()
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.screens[Screen.HOME].search_button)
    type_letters(qtbot, w, "yb")
    tap(qtbot, w.nav.end_button)
    assert screen(w) == Screen.ATTRACT
    assert w.screens[Screen.SEARCH].field.text() == ""


def test_elder_mode_is_larger_and_high_contrast(qtbot, make_window, artifacts):
    w = make_window()
    tap(qtbot, w.screens[Screen.ATTRACT])
    home = w.screens[Screen.HOME]
    normal_title = home.title.fontInfo().pixelSize()
    normal_tile = home.tile_buttons[0].height()
    tap(qtbot, w.nav.elder_button)
    qtbot.wait(50)
    w.grab().save(str(artifacts / "home-elder.png"))
    assert home.title.fontInfo().pixelSize() >= 1.5 * normal_title
    assert home.tile_buttons[0].height() >= 1.4 * normal_tile
    assert w.core.session.effective_idle_s == 2 * w.core.config.session.idle_timeout_s
    bg = w.grab().toImage().pixelColor(5, w.height() // 2)
    assert bg.lightness() < 30  # black background in the high-contrast theme
    tap(qtbot, w.nav.elder_button)
    assert home.title.fontInfo().pixelSize() == normal_title


def test_language_switch(qtbot, make_window):
    w = make_window()
    tap(qtbot, w.screens[Screen.ATTRACT])
    home = w.screens[Screen.HOME]
    assert home.title.text() == "您要办理什么业务？"
    assert w.nav.home_button.text() == "首页"
    tap(qtbot, w.nav.language_buttons["en"])
    assert home.title.text() == "What would you like to do?"
    assert home.dept_buttons["rs"].text() == "Human Resources and Social Security Bureau"
    tap(qtbot, w.nav.language_buttons["zh_CN"])
    assert home.dept_buttons["rs"].text() == "人社"


def test_browse_department_category_and_pages(qtbot, make_window):
    w = make_window()
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.screens[Screen.HOME].dept_buttons["sc"])
    assert screen(w) == Screen.DEPARTMENT
    dept = w.screens[Screen.DEPARTMENT]
    assert dept.category_buttons[0].isVisible() and not dept.category_buttons[1].isVisible()
    tap(qtbot, dept.category_buttons[0])
    cat = w.screens[Screen.CATEGORY]
    assert screen(w) == Screen.CATEGORY and cat.pages == 3
    assert not cat.prev_button.isEnabled()
    tap(qtbot, cat.next_button)
    tap(qtbot, cat.next_button)
    assert cat.page == 2 and not cat.next_button.isEnabled()
    assert sum(b.isVisible() for b in cat.item_buttons) == 6
    tap(qtbot, cat.item_buttons[0])
    assert screen(w) == Screen.GUIDE
    tap(qtbot, w.nav.back_button)
    assert screen(w) == Screen.CATEGORY and cat.page == 2


def test_landscape_window(qtbot, make_window, artifacts):
    w = make_window(orientation="landscape")
    assert (w.width(), w.height()) == (1920, 1080)
    tap(qtbot, w.screens[Screen.ATTRACT])
    w.core.open_guide("YB-000004")
    path = artifacts / "guide-landscape.png"
    w.grab().save(str(path))
    assert decode_qr(path) == ["https://zwfw.example.gov.cn/guide/YB-000004"]


@pytest.mark.allow_error_log
def test_out_of_service_screen(qtbot, make_window, tmp_path):
    import sqlite3

    (tmp_path / "data").mkdir()  # a store from a newer kiosk: kept, and out of service
    with sqlite3.connect(tmp_path / "data" / DB_FILENAME) as con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        con.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    w = make_window()
    assert screen(w) == Screen.OUT_OF_SERVICE
    oos = w.screens[Screen.OUT_OF_SERVICE]
    assert "暂停服务" in oos.title.text()
    assert not w.nav.isVisible()
    tap(qtbot, oos)
    assert screen(w) == Screen.OUT_OF_SERVICE


ALLOWED_LATIN = {"sbcb", "DEMO", "English", "ABC"}


def visible_texts(widget):
    from screens.qt import QAbstractButton, QLabel, QLineEdit

    for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if w.isVisibleTo(widget) and w.text():
            yield w.text()
    for w in widget.findChildren(QLineEdit):
        if w.placeholderText():
            yield w.placeholderText()


def test_no_untranslated_string_in_chinese(qtbot, make_window):
    """Walk every screen in Simplified Chinese: no English words may remain on it."""
    import re

    w = make_window()
    tap(qtbot, w.screens[Screen.ATTRACT])
    routes = [(Screen.HOME, {}), (Screen.SEARCH, {}), (Screen.DEPARTMENT, {"code": "sc"}),
              (Screen.CATEGORY, {"code": "sc.reg"}), (Screen.GUIDE, {"item_id": "RS-000001"})]
    for s, params in routes:
        w.core.navigator.go(s, **params)
        qtbot.wait(10)
        for text in visible_texts(w):
            plain = re.sub(r"<[^>]+>|https?://\S+", "", text)
            words = set(re.findall(r"[A-Za-z]{3,}", plain))
            assert words <= ALLOWED_LATIN, f"{s}: untranslated {text!r}"
    w.core.clock.advance(w.core.session.effective_idle_s + 1)
    qtbot.waitUntil(w.overlay.isVisible, timeout=2000)
    for text in visible_texts(w.overlay):
        assert not re.findall(r"[A-Za-z]{3,}", text), text


def test_chinese_characters_through_the_pinyin_keyboard(qtbot, make_window, artifacts):
    """The 中文 key: pinyin typed on the letter keys gathers in the candidate bar, which offers
    the catalog's own characters and words; a tapped candidate goes into the field and the
    letters it stood for leave the bar."""
    w = make_window()
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.screens[Screen.HOME].search_button)
    search = w.screens[Screen.SEARCH]
    tap(qtbot, search.keyboard.chinese_key)
    assert search.pinyin.isVisible() and search.letters_button.isVisible()
    assert not search.keyboard.chinese_key.isVisible()
    type_letters(qtbot, w, "yibao")
    assert search.field.text() == "" and search.pinyin.letters() == "yibao"
    assert "yibao" in search.count.text()  # the letters typed, under the field
    found = search.pinyin.candidates()
    assert found[0] == "医保", found  # the word before its first character
    assert "医" in found and found.index("医") > found.index("医保")
    first = search.pinyin.candidate_buttons[0]
    assert (first.text(), first.accessibleName()) == ("医保", "医保")
    qtbot.wait(100)
    w.grab().save(str(artifacts / "search-pinyin.png"))
    tap(qtbot, first)
    assert search.field.text() == "医保" and search.pinyin.letters() == ""
    assert {h.id for h in search.hits()} >= {"YB-000004"}
    # one character at a time: 社 takes "she" and leaves "bao" for the next choice
    tap(qtbot, search.keyboard.clear_key)
    type_letters(qtbot, w, "shebao")
    she = search.pinyin.candidates().index("社")
    search.pinyin.select_candidate(she)
    assert search.field.text() == "社" and search.pinyin.letters() == "bao"
    assert "保" in search.pinyin.candidates()
    tap(qtbot, search.keyboard.back_key)  # a letter of the bar first, then the field's
    assert (search.pinyin.letters(), search.field.text()) == ("ba", "社")
    tap(qtbot, search.keyboard.back_key)
    tap(qtbot, search.keyboard.back_key)
    tap(qtbot, search.keyboard.back_key)
    assert (search.pinyin.letters(), search.field.text()) == ("", "")
    type_letters(qtbot, w, "sb")  # initials
    assert "社保" in search.pinyin.candidates()
    best = search.pinyin.candidates()[0]
    tap(qtbot, search.keyboard.space_key)  # space takes the best candidate
    assert search.field.text() == best == "社保" and search.pinyin.letters() == ""
    type_letters(qtbot, w, "qxz")  # nothing in the catalog: the bar says so
    assert search.pinyin.candidates() == [] and "qxz" in search.count.text()
    assert search.pinyin.shown() == []
    w.nav.elder_button.click()
    tap(qtbot, search.keyboard.clear_key)
    type_letters(qtbot, w, "canb")
    assert search.pinyin.candidates()[0] == "参保"  # the last syllable cut short
    qtbot.wait(300)  # the elder theme's new sizes laid out
    w.grab().save(str(artifacts / "search-pinyin-elder.png"))
    tap(qtbot, search.letters_button)
    assert search.keyboard.isVisible() and not search.pinyin.isVisible()
    assert search.pinyin.letters() == ""
    type_letters(qtbot, w, "yb")  # letters go to the field again
    assert search.field.text() == "yb"


def test_attract_rotates_popular_services(qtbot, make_window):
    w = make_window()
    attract = w.screens[Screen.ATTRACT]
    first = attract.highlight.text()
    assert first in {t.name for t in w.core.tiles()}
    attract.rotate()
    assert attract.highlight.text() != first
    assert attract._timer.isActive()
    tap(qtbot, attract)
    assert not attract._timer.isActive()  # no timer left running behind other screens


def test_page_preview_shows_the_first_page(qtbot, artifacts):
    import zxingcpp

    from printing.render_jobs import first_page_png
    from printing.samples import sample_document
    from screens.widgets.page_preview import PagePreview

    w = PagePreview()
    qtbot.addWidget(w)
    assert w.show_image(first_page_png(sample_document("ss-statement"), 940), width=800)
    assert w.page.pixmap().width() == 800
    w.resize(820, 1200)
    w.show()
    path = artifacts / "page-preview.png"
    w.grab().save(str(path))
    with Image.open(path) as img:
        codes = [c.text for c in zxingcpp.read_barcodes(img)]
    assert codes and codes[0].startswith("https://zwfw.example.gov.cn/verify/")
    assert not w.show_image(b"\x89PNG truncated")
    assert w.page.pixmap().isNull()
    with pytest.raises(ValueError):
        first_page_png(b"%PDF-1.4 truncated", 940)
    w.clear()


@pytest.fixture
def virtual_printer():
    from printing.virtual_printer import VirtualPrinter

    with VirtualPrinter() as vp:
        yield vp


def _flow_page(w) -> str:
    return w.screens[Screen.FLOW].pages.currentWidget().objectName().removeprefix("flow_page_")


def test_print_the_guide_on_the_receipt_printer(qtbot, make_window, virtual_printer, artifacts):
    """打印办事指南 is an item like the others: a preview of the slip, the print, 好差评."""
    w = make_window(printer=virtual_printer)
    tap(qtbot, w.screens[Screen.ATTRACT])
    w.core.open_guide("RS-000001")
    guide = w.screens[Screen.GUIDE]
    assert guide.print_button.isVisible() and guide.print_button.isEnabled()
    tap(qtbot, guide.print_button)
    assert screen(w) == Screen.FLOW
    qtbot.waitUntil(lambda: _flow_page(w) == "preview", timeout=5000)
    flow = w.screens[Screen.FLOW]
    tap(qtbot, flow.preview_print)
    qtbot.waitUntil(lambda: _flow_page(w) == "rate", timeout=5000)
    (job,) = virtual_printer.jobs
    img = virtual_printer.render(job)
    img.save(artifacts / "guide-slip-from-window.png")
    assert [c.text for c in zxingcpp.read_barcodes(img)] == ["https://zwfw.example.gov.cn/guide/RS-000001"]
    assert w.status.devices.text() == "● 打印机：正常"
    tap(qtbot, flow.rating.skip_button)
    assert _flow_page(w) == "done"


def test_printer_out_of_paper_gives_a_next_step(qtbot, make_window, virtual_printer, artifacts):
    virtual_printer.state = "paper_out"
    w = make_window(printer=virtual_printer)
    tap(qtbot, w.screens[Screen.ATTRACT])
    w.core.open_guide("RS-000001")
    guide = w.screens[Screen.GUIDE]
    tap(qtbot, guide.print_button)
    flow = w.screens[Screen.FLOW]
    # refused at once if the spooler already saw the paper out, else when the job fails
    qtbot.waitUntil(lambda: _flow_page(w) in ("preview", "error"), timeout=5000)
    if _flow_page(w) == "preview":
        tap(qtbot, flow.preview_print)
    qtbot.waitUntil(lambda: _flow_page(w) == "error", timeout=5000)
    assert "缺纸" in flow.error_title.text()
    assert "扫码" in flow.error_qr_caption.text() and flow.error_qr.isVisible()
    assert "3 号窗口" in flow.error_where.text()  # the item's own window, from its guide
    path = artifacts / "guide-paper-out.png"
    w.grab().save(str(path))
    assert [c.text for c in zxingcpp.read_barcodes(Image.open(path))] == [
        "https://zwfw.example.gov.cn/guide/RS-000001"]
    assert virtual_printer.jobs == []
    w.status.set_printer_status(w.core.printer.receipt_status())
    assert w.status.devices.text() == "● 打印机：缺纸"
    assert not w.core.can_print_receipts()
    # 结束办理 forgets it all; the next citizen does not see the message
    tap(qtbot, w.nav.end_button)
    assert w.core.flow_run is None and flow.error_title.text() == "" or not flow.isVisible()
    w.core.begin_session()
    w.core.open_guide("RS-000001")
    assert screen(w) == Screen.GUIDE


def test_status_bar_shows_the_sync_state(qtbot, make_window):
    from datetime import datetime

    from kiosk.sync.worker import LinkState, SyncStatus

    w = make_window()
    assert w.status.network.text() == "● 事项目录：本机"
    w.status.set_sync_status(SyncStatus(LinkState.CONNECTING))
    assert w.status.network.text() == "● 正在连接…"
    w.status.set_sync_status(SyncStatus(LinkState.OFFLINE, pending=3))
    assert w.status.network.text() == "● 网络中断 · 3 条待上传"
    w.status.set_sync_status(SyncStatus(LinkState.CONNECTED, last_sync_at=datetime(2026, 11, 23, 6, 30)))
    # last_sync_at is UTC; the bar shows local time (protocol.LOCAL_TZ), whatever the system's
    assert w.status.network.text().startswith("● 已联网 · ") and "14:30" in w.status.network.text()
    w.status.set_sync_status(SyncStatus(LinkState.NOT_ENROLLED))
    assert w.status.network.text() == "● 终端未注册"


def test_window_follows_a_real_embedded_backend(qtbot, make_window, tmp_path):
    """The demo's wiring: the embedded reference backend on loopback, the sync service, the
    status bar; a rating-like event in the outbox is delivered and the count drops to zero."""
    w = make_window(sync={"adapter": "embedded", "push_interval_s": 1, "embedded_dir": str(tmp_path / "be")})
    service = w.core.services.sync
    qtbot.waitUntil(lambda: w.status.network.text().startswith("● 已联网"), timeout=30000)
    w.core.services.events.add("telemetry", {"screen": "home", "n": 1})
    w.core.services.events.flush()
    service.wake()
    qtbot.waitUntil(lambda: w.core.outbox.pending_count() == 0, timeout=15000)
    qtbot.waitUntil(lambda: "待上传" not in w.status.network.text(), timeout=5000)


def test_maintenance_command_from_the_sync_thread(qtbot, make_window):
    import threading

    w = make_window()
    t = threading.Thread(target=w.core.bus.publish, args=(Topic.MAINTENANCE, True))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: screen(w) == Screen.OUT_OF_SERVICE, timeout=3000)
    assert "maintenance" in w.screens[Screen.OUT_OF_SERVICE].detail.text()
    w.core.bus.publish(Topic.MAINTENANCE, False)
    qtbot.waitUntil(lambda: screen(w) == Screen.ATTRACT, timeout=3000)
    assert w.nav.isVisible()


def test_fleet_lock_with_words_for_citizens_and_restart_when_idle(qtbot, make_window,
                                                                  monkeypatch, artifacts):
    """锁定 from the fleet console (through the sync thread): a citizen finishes first, then the
    out-of-service screen shows the console's words; 解除锁定 brings the terminal back. 重启
    waits for the citizen too, then exits 75 (the supervisor starts the kiosk again)."""
    import threading

    from kiosk.config_update import EXIT_RESTART
    from screens.qt import QApplication

    w = make_window()
    exits = []
    monkeypatch.setattr(QApplication.instance(), "exit", lambda code=0: exits.append(code))
    assert w.core.bus.has_subscribers(Topic.LOCK) and w.core.bus.has_subscribers(Topic.RESTART)
    tap(qtbot, w.screens[Screen.ATTRACT])  # a citizen is using the terminal
    t = threading.Thread(target=w.core.bus.publish, args=(Topic.LOCK, "设备升级中，请到 3 号窗口"))
    t.start()
    t.join()
    w.core.bus.publish(Topic.RESTART, None)
    qtbot.waitUntil(lambda: w.core.lock_message is not None and w.restart_pending, timeout=3000)
    assert screen(w) == Screen.HOME and exits == []  # not in the middle of a citizen's session
    tap(qtbot, w.nav.end_button)
    qtbot.waitUntil(lambda: screen(w) == Screen.OUT_OF_SERVICE, timeout=3000)
    assert "设备升级中，请到 3 号窗口" in w.screens[Screen.OUT_OF_SERVICE].detail.text()
    w.grab().save(str(artifacts / "out-of-service-locked.png"))
    qtbot.waitUntil(lambda: exits == [EXIT_RESTART], timeout=3000)
    w.core.bus.publish(Topic.LOCK, None)  # unlocked
    qtbot.waitUntil(lambda: screen(w) == Screen.ATTRACT, timeout=3000)
    assert w.core.lock_message is None


def test_pushed_settings_restart_the_kiosk_when_idle(qtbot, make_window, tmp_path, monkeypatch):
    """The sync service accepted (checked and wrote) a pushed profile: the window restarts
    (exit 75) once no citizen is served. (A profile the terminal refuses never reaches the
    window: tests/test_sync_fleet.py.)"""
    from kiosk.config_update import EXIT_RESTART, PushedConfig, load_terminal_config
    from screens.qt import QApplication

    cfg_file = tmp_path / "t.toml"
    cfg_file.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n[display]\nfullscreen = false\n',
                        encoding="utf-8")
    w = make_window()
    w.core.config = load_terminal_config(cfg_file)
    exits = []
    monkeypatch.setattr(QApplication.instance(), "exit", lambda code=0: exits.append(code))
    tap(qtbot, w.screens[Screen.ATTRACT])  # a citizen is using the terminal: not now
    payload = {"session": {"idle_timeout_s": 120}}
    PushedConfig(tmp_path / "data").accept(w.core.config, payload, 1)
    w.core.bus.publish(Topic.NEW_CONFIG, payload)
    qtbot.waitUntil(lambda: w.restart_pending, timeout=3000)
    assert exits == []
    tap(qtbot, w.nav.end_button)
    qtbot.waitUntil(lambda: exits == [EXIT_RESTART], timeout=3000)
    assert load_terminal_config(cfg_file).session.idle_timeout_s == 120


def test_home_greys_out_only_the_items_whose_printer_is_down(qtbot, make_window, virtual_printer, artifacts):
    # A receipt printer but no A4 printer: 参保证明 needs A4, the account query does not.
    w = make_window(printer=virtual_printer)
    tap(qtbot, w.screens[Screen.ATTRACT])
    home = w.screens[Screen.HOME]
    by_name = {b.objectName(): b for b in home.tile_buttons}
    cert, account = by_name["tile_RS-000001"], by_name["tile_YB-000004"]
    assert cert.property("degraded") == "true" and "打印暂停" in cert.text()
    assert account.property("degraded") == "false" and account.text() == "医疗保险个人账户余额查询"
    w.grab().save(str(artifacts / "home-a4-printer-down.png"))
    tap(qtbot, cert)  # the guide, with its QR code, is still there
    assert screen(w) == Screen.GUIDE


def test_report_a_problem_from_a_guide(qtbot, make_window, artifacts):
    w = make_window()
    tap(qtbot, w.nav.problem_button)  # reachable from the attract screen too
    assert screen(w) == Screen.PROBLEM
    tap(qtbot, w.nav.home_button)
    w.core.open_guide("RS-000001")
    tap(qtbot, w.nav.problem_button)
    problem = w.screens[Screen.PROBLEM]
    assert screen(w) == Screen.PROBLEM and problem._item_id == "RS-000001"
    tap(qtbot, problem.category_buttons[next(iter(problem.category_buttons))])  # cannot identify
    assert problem.result.isVisible()
    assert problem.number.text().startswith("BC-")
    assert w.core.config.terminal.staffed_window in problem.where.text()
    w.grab().save(str(artifacts / "problem-ticket.png"))
    w.core.services.events.flush()  # the outbox is written off the UI thread
    (event,) = w.core.outbox.next_batch()
    assert event.kind == "problem_report" and event.payload["item_id"] == "RS-000001"
    tap(qtbot, problem.done_button)
    assert screen(w) == Screen.HOME
    # The next ticket gets the next number, even after a restart (the counter is on disk).
    first = event.payload["ticket"]
    ticket = w.core.report_problem("other")
    assert ticket.number != first and ticket.seq == event.payload["seq"] + 1


def test_session_end_drops_personal_print_bytes(qtbot, make_window, virtual_printer):
    virtual_printer.state = "paper_out"
    w = make_window(printer=virtual_printer)
    tap(qtbot, w.screens[Screen.ATTRACT])
    spooler = w.core.printer.spooler
    job = spooler.submit("receipt", "certificate", "参保证明", b"personal bytes", personal=True)
    assert spooler.wait(job).state == "failed"
    assert spooler._payload(job) == b"personal bytes"  # kept for a reprint within the session
    tap(qtbot, w.nav.end_button)
    assert spooler._payload(job) is None  # gone before the next citizen


def test_home_tiles_follow_a_synced_catalog(qtbot, make_window):
    """A catalog sync that makes another item high-frequency (and drops one) changes the home
    screen's tiles as soon as the new catalog is swapped in, without a restart."""
    from sqlalchemy import update

    from kiosk.store.models import ServiceItem

    w = make_window()
    tap(qtbot, w.screens[Screen.ATTRACT])
    home = w.screens[Screen.HOME]
    names = lambda: [b.objectName() for b in home.tile_buttons]  # noqa: E731
    assert names() == ["tile_queue", "tile_records.access_log", "tile_RS-000001",
                       "tile_YB-000004"]
    with w.core.store.session() as s:  # what the sync worker's catalog pull writes
        s.execute(update(ServiceItem).where(ServiceItem.id == "RS-000002")
                  .values(high_frequency=True, kiosk_enabled=True))
        s.execute(update(ServiceItem).where(ServiceItem.id == "YB-000004")
                  .values(high_frequency=False))
    w.core.bus.publish(Topic.CATALOG_UPDATED, None)  # from the sync thread, in the app
    qtbot.waitUntil(lambda: names() == ["tile_queue", "tile_records.access_log",
                                        "tile_RS-000001", "tile_RS-000002"], timeout=3000)
    new = next(b for b in home.tile_buttons if b.objectName() == "tile_RS-000002")
    qtbot.waitUntil(new.isVisible, timeout=3000)
    assert new.text() == "社会保险个人缴费明细查询"
    tap(qtbot, new)  # the new tile starts its item like any other
    assert screen(w) == Screen.FLOW and w.core.flow_run.flow.id == "ss.contributions"


def test_screens_other_than_attract_and_home_are_made_on_their_first_visit(qtbot, make_window):
    w = make_window()
    lazy = (Screen.SEARCH, Screen.GUIDE, Screen.PROBLEM, Screen.DEPARTMENT, Screen.CATEGORY)
    assert not any(w.screens[s].built for s in lazy)
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.nav.language_buttons["en"])  # a language change before any visit
    tap(qtbot, w.screens[Screen.HOME].search_button)
    search = w.screens[Screen.SEARCH]
    assert search.built and search.title.text() == "Search services"
    assert not w.screens[Screen.GUIDE].built
    assert w.screens[Screen.PROBLEM].category_buttons  # asked for: made then
    assert w.screens[Screen.PROBLEM].built
    tap(qtbot, w.nav.end_button)  # the end of a session resets a search that was made
    assert search.field.text() == ""


def test_chinese_input_loads_no_virtual_keyboard_and_no_desktop_input_method(qtbot, make_window):
    """Chinese input is plain widgets: the Qt Virtual Keyboard plugin (which loads Qt Quick and
    QML, ~13 MiB) and a desktop input method stay out of the process, and focusing the field
    adds no top-level window (docs/decisions/0035)."""
    from pathlib import Path

    from screens.qt import QApplication

    w = make_window()
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.screens[Screen.HOME].search_button)
    search = w.screens[Screen.SEARCH]
    before = set(QApplication.topLevelWindows())
    w.activateWindow()
    search.field.setFocus()
    qtbot.waitUntil(search.field.hasFocus, timeout=3000)
    tap(qtbot, search.keyboard.chinese_key)
    type_letters(qtbot, w, "yb")
    tap(qtbot, search.pinyin.candidate_buttons[0])
    qtbot.wait(100)
    assert search.field.text() == "医保"
    assert [type(x).__name__ for x in set(QApplication.topLevelWindows()) - before] == []
    # (Qt Quick itself cannot be checked here: QtMultimedia's ffmpeg backend links it, and
    # other tests in this process play voice prompts; tests/test_startup.py checks a kiosk's
    # own process at ready)
    maps = Path("/proc/self/maps").read_text()
    for library in ("qtvirtualkeyboard", "libQt6VirtualKeyboard", "libibusplatforminputcontext",
                    "libfcitx"):
        assert library not in maps, f"{library} was loaded"


def test_the_status_bar_shrinks_back_when_elder_mode_is_switched_off(kiosk_window, make_config,
                                                                     qtbot):
    """A long place wraps onto more lines in elder mode's type; switched off, the bar goes back
    to its own height (it kept elder mode's three lines, an empty band above the indicators)."""
    kiosk = kiosk_window(make_config())
    w = kiosk.window
    kiosk.core.begin_session()
    bar = w.status
    bar._place = "经开区政务服务中心 24 小时自助服务区"
    bar.retranslate()
    qtbot.wait(100)
    normal = bar.height()
    w.toggle_elder()
    qtbot.waitUntil(lambda: bar.height() > normal * 1.5)
    w.toggle_elder()
    qtbot.waitUntil(lambda: bar.height() == normal)
    assert bar.terminal.minimumHeight() <= bar.terminal.fontMetrics().lineSpacing() + 4
