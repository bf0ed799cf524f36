"""Session, navigation, terminal states and the core's start-up, without Qt."""

from __future__ import annotations

import pytest

import dataclasses

from kiosk.app import KioskCore
from kiosk.clock import OffsetClock
from kiosk.navigation import Navigator, Screen
from kiosk.session import CitizenSession, IdlePhase
from kiosk.store.db import DB_FILENAME
from kiosk.terminal import IllegalTransition, TerminalState, TerminalStateMachine


@pytest.fixture
def make_core():
    """A started core over services built by the composition root (`wiring`)."""
    from wiring import build_services

    made = []

    def make(config, **replace):
        services = build_services(config)
        if replace:
            services = dataclasses.replace(services, **replace)
        core = KioskCore(services)
        core.start()
        made.append(core)
        return core

    yield make
    for core in made:
        close(core)


def close(core: KioskCore) -> None:
    core.close()
    core.services.close()


def test_idle_phases_and_countdown():
    clock = OffsetClock()
    s = CitizenSession(idle_timeout_s=60, countdown_s=15, clock=clock)
    assert s.phase() == IdlePhase.IDLE
    s.start()
    clock.advance(59)
    assert s.phase() == IdlePhase.ACTIVE
    clock.advance(2)
    assert s.phase() == IdlePhase.COUNTDOWN
    assert s.countdown_remaining() in (14, 15)
    s.touch()
    assert s.phase() == IdlePhase.ACTIVE
    clock.advance(76)
    assert s.phase() == IdlePhase.EXPIRED


def test_elder_mode_lengthens_timeout():
    clock = OffsetClock()
    s = CitizenSession(idle_timeout_s=60, countdown_s=15, elder_timeout_factor=2.0, clock=clock)
    s.start()
    s.data.elder_mode = True
    clock.advance(100)
    assert s.phase() == IdlePhase.ACTIVE


def test_end_wipes_everything():
    s = CitizenSession(60, 15, default_language="zh_CN")
    s.start()
    s.data.search_text = "sbcb"
    s.data.language = "en"
    s.data.elder_mode = True
    s.data.visited_items.append("RS-000001")
    s.end()
    assert (s.data.search_text, s.data.language, s.data.elder_mode, s.data.visited_items) == ("", "zh_CN", False, [])
    assert s.phase() == IdlePhase.IDLE


def test_each_session_has_its_own_id_and_the_staff_member_goes_with_it():
    s = CitizenSession(60, 15)
    assert s.id == ""
    s.start()
    first = s.id
    assert len(first) == 32 and int(first, 16) >= 0
    s.data.staff_id = "S-0042"
    s.end()
    assert s.id == "" and s.data.staff_id is None
    s.start()
    assert s.id != first and len(s.id) == 32


def test_flows_run_in_the_citizen_session_and_attended_mode(make_core, make_config,
                                                          small_catalog_file):
    core = make_core(make_config(small_catalog_file))
    run = core.start_flow("ss.certificate")
    assert run.session_id == core.session.id and len(run.session_id) == 32
    assert not run.view().attended and core.attending is None
    core.attend("S-0042")
    assert run.view().attended and run.attending == "S-0042" == core.attending
    with pytest.raises(ValueError):
        core.attend("  ")
    core.end_session()
    assert core.attending is None and core.session.id == ""
    close(core)


def test_clock_never_goes_back():
    with pytest.raises(ValueError):
        OffsetClock().advance(-1)


def test_navigator_stack():
    seen = []
    nav = Navigator()
    nav.subscribe(lambda old, new: seen.append(new.screen))
    nav.go(Screen.HOME)
    nav.go(Screen.DEPARTMENT, code="rs")
    nav.go(Screen.CATEGORY, code="rs.ss")
    nav.go(Screen.GUIDE, item_id="RS-1")
    assert nav.depth == 4
    nav.back()
    assert nav.current.screen == Screen.CATEGORY and nav.current.param("code") == "rs.ss"
    nav.go(Screen.HOME)
    assert nav.depth == 1
    nav.back()
    assert nav.current.screen == Screen.HOME
    nav.reset()
    assert nav.current.screen == Screen.ATTRACT
    assert seen[-1] == Screen.ATTRACT


def test_terminal_transitions():
    t = TerminalStateMachine()
    with pytest.raises(IllegalTransition):
        t.move(TerminalState.ACTIVE)
    t.move(TerminalState.AVAILABLE)
    t.move(TerminalState.ACTIVE)
    with pytest.raises(IllegalTransition):
        t.move(TerminalState.MAINTENANCE)
    t.move(TerminalState.AVAILABLE)


def test_core_start_and_session(make_core, make_config, small_catalog_file):
    core = make_core(make_config(small_catalog_file))
    assert core.terminal.state == TerminalState.AVAILABLE
    core.begin_session()
    assert core.terminal.state == TerminalState.ACTIVE
    assert core.navigator.current.screen == Screen.HOME
    assert core.search("sbcb").hits
    core.open_guide("RS-000001")
    core.end_session()
    assert core.session.data.search_text == "" and core.session.data.visited_items == []
    assert core.navigator.current.screen == Screen.ATTRACT
    assert [t.id for t in core.tiles()] == ["RS-000001", "YB-000004"]
    close(core)


def test_configured_tiles(make_core, make_config, small_catalog_file):
    core = make_core(make_config(small_catalog_file, services={"tiles": ["YB-000005", "NOPE", "RS-000002"]}))
    assert [t.id for t in core.tiles()] == ["YB-000005", "RS-000002"]
    close(core)


@pytest.mark.allow_error_log
def test_a_damaged_store_is_moved_aside_and_the_terminal_serves(make_core, make_config,
                                                                small_catalog_file, tmp_path):
    """A store that is not a database any more (a power cut on a bad disk): quarantined for a
    technician, a fresh one made and the catalog imported again; the terminal serves."""
    cfg = make_config(small_catalog_file)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / DB_FILENAME).write_bytes(b"garbage" * 1000)
    core = make_core(cfg)
    assert core.out_of_service is None and core.terminal.state == TerminalState.AVAILABLE
    assert core.search("sbcb").hits
    quarantined = list((tmp_path / "data" / "quarantine").glob(f"*/{DB_FILENAME}"))
    assert len(quarantined) == 1 and quarantined[0].read_bytes() == b"garbage" * 1000
    assert core.outbox.pending_count() == 1  # the backend hears of it (telemetry)
    close(core)


@pytest.mark.allow_error_log
def test_missing_catalog_goes_out_of_service(make_core, make_config, tmp_path):
    core = make_core(make_config(tmp_path / "none.json.gz"))
    assert core.out_of_service.reason == "catalog"


@pytest.mark.allow_error_log
def test_broken_catalog_file_keeps_serving_the_stored_catalog(make_core, make_config, small_catalog_file, tmp_path):
    core = make_core(make_config(small_catalog_file))
    close(core)
    small_catalog_file.write_bytes(b"truncated")
    core = make_core(make_config(small_catalog_file))
    assert core.out_of_service is None
    assert core.search("sbcb").hits
    close(core)


def test_maintenance_waits_for_the_citizen(make_core, make_config, small_catalog_file):
    core = make_core(make_config(small_catalog_file))
    core.set_maintenance(True)
    assert core.terminal.state == TerminalState.MAINTENANCE
    assert core.navigator.current.screen == Screen.OUT_OF_SERVICE
    core.begin_session()  # a touch does nothing in maintenance
    assert core.terminal.state == TerminalState.MAINTENANCE
    core.set_maintenance(False)
    assert core.terminal.state == TerminalState.AVAILABLE and core.out_of_service is None
    core.begin_session()
    core.set_maintenance(True)  # a citizen is in the middle of something: not now
    assert core.terminal.state == TerminalState.ACTIVE
    core.end_session()
    assert core.terminal.state == TerminalState.MAINTENANCE
    close(core)


def test_only_items_whose_printer_is_down_are_unavailable(make_core, make_config, small_catalog_file):
    from kiosk.devices.status import DeviceStatus, Level, Reason

    class Port:
        a4 = DeviceStatus(Level.OK)
        receipt = DeviceStatus(Level.OK)

        def document_status(self):
            return self.a4

        def receipt_status(self):
            return self.receipt

        def preview_page(self, document):
            raise AssertionError("not asked in this test")

    core = make_core(make_config(small_catalog_file))
    # No printer at all: the certificate items (a required A4 print) are unavailable,
    # at the district and at the town's service point; queries with an optional print are not.
    down = core.unavailable_items()
    assert set(down) == {"RS-000001", "RS-000006", "YB-000005"}
    assert down["RS-000001"] == "not_configured"
    port = Port()
    core = make_core(make_config(small_catalog_file), printer=port)
    assert core.unavailable_items() == {}
    port.a4 = DeviceStatus(Level.ERROR, Reason.PAPER_OUT)
    assert core.unavailable_items() == {"RS-000001": "paper_out", "RS-000006": "paper_out",
                                        "YB-000005": "paper_out"}
    port.a4, port.receipt = DeviceStatus(Level.OK), DeviceStatus(Level.OFFLINE, Reason.OFFLINE)
    assert core.unavailable_items() == {}  # no item here needs the receipt printer
    close(core)
