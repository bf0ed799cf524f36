"""呼叫帮办 and remote view end to end: the real kiosk window (production wiring, its help desk's
thread, real HTTP) against the reference backend on loopback, enrolled into the demo hall, and
a member of the demo staff acting through the hall console's API (as its page does)."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from backend_helpers import ADMIN_AUTH, start_backend
from conftest import small_catalog, write_catalog
from kiosk.help import HelpPhase
from kiosk.navigation import Screen
from protocol.demo import DEMO_HALL, DEMO_STAFF
from protocol.staff import MAX_FRAME_BYTES
from screens.qt import Qt
from test_backend_staff import Console

pytestmark = pytest.mark.gui

HELPER = DEMO_STAFF[0]  # 1001 张敏, helper of the demo hall


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    folder = tmp_path_factory.mktemp("help-backend")
    server = start_backend(folder / "db", write_catalog(folder / "c.json.gz", small_catalog()))
    yield server
    server.stop()


def tap(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


@pytest.fixture
def kiosk(kiosk_window, make_config, small_catalog_file, backend):
    """A terminal of the demo hall, enrolled with the backend over HTTP."""
    from kiosk.paths import data_dir
    from kiosk.store.db import DB_FILENAME, open_store
    from kiosk.sync.adapter import HttpAdapter
    from kiosk.sync.state import SyncStateStore

    terminal_id = "T-HELP-E2E"
    r = httpx.post(f"{backend.url}/v1/admin/enrolment-codes", headers=ADMIN_AUTH, timeout=10,
                   json={"terminal_id": terminal_id, "label": "tests", "hall": DEMO_HALL})
    r.raise_for_status()
    with HttpAdapter(backend.url) as adapter:
        adapter.enrol(r.json()["code"], terminal_id)
        credential = adapter.credential
    config = make_config(small_catalog_file, terminal={"id": terminal_id},
                         sync={"adapter": "http", "base_url": backend.url,
                               "push_interval_s": 3600, "heartbeat_interval_s": 3600})
    store = open_store(data_dir(config) / DB_FILENAME)
    SyncStateStore(store).save_credential(terminal_id, credential)
    store.close()
    k = kiosk_window(config)
    return k


@pytest.fixture
def staff(backend):
    c = Console(backend.url)
    assert c.login(HELPER.staff_no, HELPER.pin).status_code == 200
    yield c
    c.close()


def backend_state(core, rid: str) -> str:
    """The request's state as the backend answers the terminal (GET /v1/help/{id})."""
    return core.services.sync.adapter.help_status(rid).state.value


def test_call_take_consent_masked_frames_end_and_cancel(qtbot, kiosk, staff, artifacts):
    w, core = kiosk.window, kiosk.core
    qtbot.waitUntil(lambda: core.services.sync.adapter is not None, timeout=20000)
    tap(qtbot, w.screens[Screen.ATTRACT])
    core.open_guide("RS-000002")
    tap(qtbot, w.nav.help_button)
    qtbot.waitUntil(lambda: core.help.view.phase is HelpPhase.WAITING, timeout=10000)
    rid = str(core.help.request_id)
    seen = staff.help(rid)  # the console lists it, with where the citizen is
    assert seen["state"] == "open"

    # staff take it: the terminal says who is coming
    assert staff.act(rid, "take", seen["version"]).status_code == 200
    core.help.poll_now()
    qtbot.waitUntil(lambda: core.help.view.phase is HelpPhase.TAKEN, timeout=10000)
    assert w.help_bar.text.text() == f"工作人员 {HELPER.name} 正在赶来"

    # staff ask to see the screen: nothing to see before the citizen's 允许
    assert staff.act(rid, "view", staff.help(rid)["version"]).status_code == 200
    core.help.poll_now()
    qtbot.waitUntil(w.remote_consent.isVisible, timeout=10000)
    assert staff.http.get(f"/console/api/help/{rid}/frame").status_code == 409
    tap(qtbot, w.remote_consent.allow_button)

    def frame() -> bytes:
        r = staff.http.get(f"/console/api/help/{rid}/frame")
        return r.content if r.status_code == 200 else b""

    qtbot.waitUntil(lambda: bool(frame()), timeout=10000)
    jpeg = frame()
    assert len(jpeg) <= MAX_FRAME_BYTES
    with Image.open(io.BytesIO(jpeg)) as img:
        assert img.format == "JPEG" and img.width <= 720
        img.save(artifacts / "help-e2e-console-frame.png")
    assert w.help_bar.share_button.isVisible()

    # the citizen ends it (屏幕共享中 · 结束), then cancels the call
    tap(qtbot, w.help_bar.share_button)
    qtbot.waitUntil(lambda: staff.help(rid)["remote_view"] == "ended", timeout=10000)
    assert staff.http.get(f"/console/api/help/{rid}/frame").status_code == 409
    tap(qtbot, w.help_bar.action_button)  # 取消呼叫
    qtbot.waitUntil(lambda: backend_state(core, rid) == "cancelled", timeout=10000)
    assert not w.help_bar.isVisible()
    assert all(h["request_id"] != rid for h in staff.http.get("/console/api/hall").json()["help"])


def test_walking_away_cancels_the_call_at_the_backend(qtbot, kiosk, staff):
    w, core = kiosk.window, kiosk.core
    qtbot.waitUntil(lambda: core.services.sync.adapter is not None, timeout=20000)
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.nav.help_button)
    qtbot.waitUntil(lambda: core.help.view.phase is HelpPhase.WAITING, timeout=10000)
    rid = str(core.help.request_id)
    core.clock.advance(core.session.effective_idle_s + core.session.countdown_s + 2)
    qtbot.waitUntil(lambda: core.navigator.current.screen == Screen.ATTRACT, timeout=3000)
    qtbot.waitUntil(lambda: backend_state(core, rid) == "cancelled", timeout=10000)
