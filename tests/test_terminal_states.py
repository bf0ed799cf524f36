"""Terminal states (common-use kiosk states), Qt-free: every transition, required parts taking
the terminal out of service only once the citizen is served, recovery, optional parts greying
items, the backend's grace period, and the state in the heartbeat."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from test_core import make_core  # noqa: F401 - the fixture: a core over the production wiring

from kiosk.bus import Topic
from kiosk.devices.idcard import SimulatedIdCardReader
from kiosk.devices.status import DeviceStatus, Level, Reason
from kiosk.navigation import Screen
from kiosk.sync.worker import LinkState, SyncStatus
from kiosk.terminal import (
    LEGAL_TRANSITIONS,
    IllegalTransition,
    StateBoard,
    TerminalHealth,
    TerminalState,
    TerminalStateMachine,
)

S = TerminalState
LEGAL = {
    (S.INITIALISING, S.AVAILABLE), (S.INITIALISING, S.UNAVAILABLE),
    (S.AVAILABLE, S.ACTIVE), (S.AVAILABLE, S.UNAVAILABLE), (S.AVAILABLE, S.MAINTENANCE),
    (S.AVAILABLE, S.ATTENDED),
    (S.ACTIVE, S.AVAILABLE), (S.ACTIVE, S.ATTENDED),
    (S.ATTENDED, S.AVAILABLE), (S.ATTENDED, S.ACTIVE),
    (S.UNAVAILABLE, S.AVAILABLE), (S.UNAVAILABLE, S.MAINTENANCE),
    (S.MAINTENANCE, S.AVAILABLE), (S.MAINTENANCE, S.UNAVAILABLE),
}


def machine_in(state: TerminalState) -> TerminalStateMachine:
    m = TerminalStateMachine()
    m.state = state
    return m


@pytest.mark.parametrize("source,target", [
    (a, b) for a, b in itertools.product(TerminalState, TerminalState) if a != b])
def test_every_transition_is_legal_or_refused(source, target):
    m = machine_in(source)
    seen = []
    m.subscribe(lambda old, new, why: seen.append((old, new, why)))
    if (source, target) in LEGAL:
        m.move(target, "why")
        assert m.state == target and m.reason == "why" and seen == [(source, target, "why")]
    else:
        with pytest.raises(IllegalTransition):
            m.move(target)
        assert m.state == source and seen == []


def test_the_table_is_exactly_the_legal_set_and_never_out_of_service_mid_session():
    table = {(a, b) for a, targets in LEGAL_TRANSITIONS.items() for b in targets}
    assert table == LEGAL
    assert S.UNAVAILABLE not in LEGAL_TRANSITIONS[S.ACTIVE]
    assert S.UNAVAILABLE not in LEGAL_TRANSITIONS[S.ATTENDED]
    m = machine_in(S.AVAILABLE)
    m.move(S.AVAILABLE)  # staying is not a transition
    assert m.state == S.AVAILABLE


def test_health_backend_grace_and_part_order():
    now = [0.0]
    h = TerminalHealth({"backend", "receipt_printer"}, backend_grace_s=600, clock=lambda: now[0])
    assert h.problem() == ""
    assert h.set_backend(False) and not h.set_backend(False)
    assert h.backend_down() and h.problem() == ""  # within the grace period
    now[0] = 599
    assert h.problem() == ""
    now[0] = 600
    assert h.problem() == "backend.unreachable"
    h.set_device("receipt_printer", False, "paper_out")
    assert h.problem() == "receipt_printer.paper_out"  # a device first
    h.set_device("receipt_printer", None)  # no such device: it cannot be down
    assert h.set_backend(True) and h.problem() == "" and h.down() == {}
    h.set_device("id_card_reader", False, "offline")  # not required
    assert h.problem() == "" and h.down() == {"id_card_reader": "offline"}


class Port:
    """A print port whose statuses the test sets (what the spooler would report)."""

    def __init__(self):
        self.a4 = DeviceStatus.ok()
        self.receipt = DeviceStatus.ok()

    def document_status(self):
        return self.a4

    def receipt_status(self):
        return self.receipt

    def preview_document(self, document):  # pragma: no cover - not asked here
        raise AssertionError

    def preview_page(self, document):  # pragma: no cover - not asked here
        raise AssertionError

    def forget_personal(self):
        pass


def push_printer(core, name, status):
    core.bus.publish(Topic.PRINTER_STATUS, (name, status))  # inline bus: delivered now


def test_a_required_printer_failing_waits_for_the_citizen_then_recovers(make_core, make_config,
                                                                        small_catalog_file):
    port = Port()
    core = make_core(make_config(small_catalog_file,
                                 devices={"required": ["document_printer"]}), printer=port)
    assert core.terminal.state == S.AVAILABLE
    core.begin_session()
    core.navigator.go(Screen.SEARCH)
    port.a4 = DeviceStatus(Level.ERROR, Reason.PAPER_OUT)
    push_printer(core, "document", port.a4)
    # the citizen is not thrown out: the session goes on
    assert core.terminal.state == S.ACTIVE
    assert core.navigator.current.screen == Screen.SEARCH
    assert core.services.terminal_state.get() == ("active", "")
    core.end_session()
    assert core.terminal.state == S.UNAVAILABLE
    assert core.terminal.reason == "document_printer.paper_out"
    assert core.out_of_service.reason == "document_printer.paper_out"
    assert core.navigator.current.screen == Screen.OUT_OF_SERVICE
    assert core.services.terminal_state.get() == ("unavailable", "document_printer.paper_out")
    core.begin_session()  # a touch does nothing out of service
    assert core.terminal.state == S.UNAVAILABLE
    port.a4 = DeviceStatus.ok()
    push_printer(core, "document", port.a4)
    assert core.terminal.state == S.AVAILABLE and core.out_of_service is None
    assert core.navigator.current.screen == Screen.ATTRACT
    assert core.services.terminal_state.get() == ("available", "")


def test_a_required_part_down_at_start_is_out_of_service_at_once(make_core, make_config,
                                                                small_catalog_file):
    port = Port()
    port.receipt = DeviceStatus(Level.OFFLINE, Reason.OFFLINE)
    core = make_core(make_config(small_catalog_file, devices={"required": ["receipt_printer"]}),
                     printer=port)
    assert core.terminal.state == S.UNAVAILABLE
    assert core.out_of_service.reason == "receipt_printer.offline"


def test_the_card_reader_unplugged_and_plugged_back(make_core, make_config, small_catalog_file):
    core = make_core(make_config(small_catalog_file, devices={"id_card_reader": "simulated"}))
    reader = core.id_reader
    assert isinstance(reader, SimulatedIdCardReader)
    assert "id_card_reader" in core.health.required  # the default
    core.begin_session()
    reader.unplug()
    core.check_availability()  # what the window does every few seconds
    assert core.terminal.state == S.ACTIVE
    core.end_session(timed_out=True)
    assert core.terminal.state == S.UNAVAILABLE and core.terminal.reason == "id_card_reader.offline"
    reader.plug()
    core.check_availability()
    assert core.terminal.state == S.AVAILABLE


def test_a_required_part_the_terminal_does_not_have_is_not_required(make_core, make_config,
                                                                   small_catalog_file):
    # the test config has no card reader, no printer and no backend
    core = make_core(make_config(small_catalog_file, devices={
        "required": ["id_card_reader", "receipt_printer", "document_printer", "backend"]}))
    assert core.health.required == frozenset()
    assert core.terminal.state == S.AVAILABLE


def test_an_optional_device_only_greys_the_items_that_need_it(make_core, make_config,
                                                              small_catalog_file):
    port = Port()
    core = make_core(make_config(small_catalog_file, devices={"required": []}), printer=port)
    port.a4 = DeviceStatus(Level.ERROR, Reason.COVER_OPEN)
    push_printer(core, "document", port.a4)
    assert core.terminal.state == S.AVAILABLE
    assert core.unavailable_items() == {"RS-000001": "cover_open", "RS-000006": "cover_open",
                                        "YB-000005": "cover_open"}
    core.open_item("RS-000001")  # a greyed item shows its guide (QR code, where to go)
    assert core.navigator.current.screen == Screen.GUIDE


def sync_status(core, state):
    core.bus.publish(Topic.SYNC_STATUS, SyncStatus(state))


def with_backend(core):
    """The core as if the terminal had a backend (the health's required parts are fixed at
    construction: rebuild them with a sync service present)."""
    core.services = dataclasses.replace(core.services, sync=object())
    core._init_terminal_health()
    return core


def test_backend_not_required_greys_the_items_that_need_it(make_core, make_config,
                                                          small_catalog_file):
    port = Port()
    core = with_backend(make_core(make_config(small_catalog_file), printer=port))
    sync_status(core, LinkState.CONNECTING)
    assert core.unavailable_items() == {}
    sync_status(core, LinkState.OFFLINE)
    down = core.unavailable_items()
    assert core.terminal.state == S.AVAILABLE
    assert down and set(down.values()) == {"backend_unreachable"}
    # the records items and certificates need it; a guide-only catalog item does not
    assert {"RS-000001", "RS-000002", "YB-000004"} <= set(down)
    assert "RS-000003" not in down
    sync_status(core, LinkState.CONNECTED)
    assert core.unavailable_items() == {}


def test_backend_required_goes_out_of_service_after_the_grace_period(make_core, make_config,
                                                                     small_catalog_file):
    core = with_backend(make_core(make_config(small_catalog_file, devices={
        "required": ["backend"], "backend_grace_min": 5})))
    sync_status(core, LinkState.OFFLINE)
    core.clock.advance(4 * 60)
    core.check_availability()
    assert core.terminal.state == S.AVAILABLE
    core.begin_session()
    core.clock.advance(2 * 60)
    core.check_availability()
    assert core.terminal.state == S.ACTIVE  # not mid-session
    core.end_session()
    assert core.terminal.state == S.UNAVAILABLE and core.terminal.reason == "backend.unreachable"
    sync_status(core, LinkState.CONNECTED)
    assert core.terminal.state == S.AVAILABLE


def test_maintenance_while_out_of_service_and_back(make_core, make_config, small_catalog_file):
    port = Port()
    port.a4 = DeviceStatus(Level.ERROR, Reason.PAPER_OUT)
    core = make_core(make_config(small_catalog_file, devices={"required": ["document_printer"]}),
                     printer=port)
    assert core.terminal.state == S.UNAVAILABLE
    core.set_maintenance(True)
    assert core.terminal.state == S.MAINTENANCE
    port.a4 = DeviceStatus.ok()
    push_printer(core, "document", port.a4)
    assert core.terminal.state == S.MAINTENANCE  # the technician decides
    core.set_maintenance(False)
    assert core.terminal.state == S.AVAILABLE


def test_the_state_board_is_read_safely_and_announces_what_staff_need_at_once():
    board = StateBoard()
    calls = []
    board.on_change(lambda: calls.append(board.get()))
    board.set("available")
    board.set("active")
    board.set("available")
    assert calls == []  # citizens come and go: the next regular heartbeat says so
    board.set("unavailable", "x" * 500)
    assert board.get() == ("unavailable", "x" * 200) and calls == [board.get()]
    board.set("unavailable", "x" * 500)
    assert len(calls) == 1  # no change
    board.set("available")
    assert calls[-1] == ("available", "")


def test_the_heartbeat_carries_the_state_and_its_reason(tmp_path, make_core, make_config,
                                                        small_catalog_file):
    """Over real HTTP to the reference backend: the worker reads the core's state on its own
    thread through the board and sends it; a change asks for a heartbeat at once."""
    import random

    from kiosk.store.db import open_store
    from kiosk.sync.outbox import Outbox
    from kiosk.sync.worker import SyncWorker
    from tests.backend_helpers import enrolled, start_backend

    port = Port()
    core = make_core(make_config(small_catalog_file, devices={"required": ["document_printer"]}),
                     printer=port)
    board = core.services.terminal_state
    port.a4 = DeviceStatus(Level.ERROR, Reason.PAPER_OUT)
    push_printer(core, "document", port.a4)
    assert board.get() == ("unavailable", "document_printer.paper_out")

    sent = []

    class Recording:
        def __init__(self, adapter):
            self.adapter, self.credential = adapter, adapter.credential

        def heartbeat(self, hb):
            sent.append(hb)
            return self.adapter.heartbeat(hb)

        def __getattr__(self, name):
            return getattr(self.adapter, name)

    server = start_backend(tmp_path / "backend")
    store = open_store(tmp_path / "worker.sqlite3")
    try:
        with enrolled(server.url, "T-STATE") as adapter:
            worker = SyncWorker(store, Recording(adapter), Outbox(store), terminal_id="T-STATE",
                                rng=random.Random(1), terminal_state=board.get,
                                heartbeat_interval_s=3600)
            board.on_change(worker.heartbeat_soon)
            report = worker.run_once()
            assert report.error == "" and report.heartbeat
            assert (sent[-1].state, sent[-1].state_reason) == \
                ("unavailable", "document_printer.paper_out")
            port.a4 = DeviceStatus.ok()
            push_printer(core, "document", port.a4)
            assert worker._next_heartbeat_at == 0.0  # due at once
            worker.run_once()
            assert (sent[-1].state, sent[-1].state_reason) == ("available", "")
    finally:
        store.close()
        server.stop()


def test_the_wired_heartbeat_reports_every_part(tmp_path, make_config, small_catalog_file):
    """The production wiring against the reference backend over HTTP: the heartbeat names the
    card reader and both printers, so the hall console can show each fault."""
    import time

    import httpx

    from kiosk.paths import data_dir
    from kiosk.store.db import DB_FILENAME, open_store
    from kiosk.sync.state import SyncStateStore
    from tests.backend_helpers import ADMIN_AUTH, enrolled, start_backend
    from wiring import build_services

    server = start_backend(tmp_path / "backend")
    try:
        config = make_config(small_catalog_file, terminal={"id": "T-PARTS"},
                             sync={"adapter": "http", "base_url": server.url},
                             devices={"id_card_reader": "simulated"},
                             printing={"document": {"driver": "virtual",
                                                    "folder": str(tmp_path / "a4")}})
        with enrolled(server.url, "T-PARTS") as adapter:
            store = open_store(data_dir(config) / DB_FILENAME)
            SyncStateStore(store).save_credential("T-PARTS", adapter.credential)
            store.close()
        services = build_services(config)
        services.id_reader.unplug()
        try:
            deadline = time.monotonic() + 30
            devices = {}
            while time.monotonic() < deadline:
                terminals = httpx.get(f"{server.url}/v1/admin/terminals", headers=ADMIN_AUTH,
                                      timeout=5).json()
                devices = {t["id"]: t for t in terminals}.get("T-PARTS", {}).get("devices") or {}
                if devices:
                    break
                time.sleep(0.2)
            assert devices["id_card_reader"] == {"status": "offline", "reason": "offline"}
            assert devices["document_printer"]["status"] == "ok"
            assert "receipt_printer" not in devices  # this terminal has none
        finally:
            services.close()
    finally:
        server.stop()


def test_the_config_names_the_parts_and_refuses_others():
    from kiosk.config import ConfigError, parse_config

    assert parse_config({}).devices.required == ["id_card_reader"]
    assert parse_config({"devices": {"required": ["backend", "document_printer"],
                                     "backend_grace_min": 2}}).devices.backend_grace_min == 2
    with pytest.raises(ConfigError) as e:
        parse_config({"devices": {"required": ["printer"]}}, "t.toml")
    assert e.value.problems == ["t.toml: key 'devices.required': unknown part 'printer'; "
                                "known: receipt_printer, document_printer, id_card_reader, backend"]
    with pytest.raises(ConfigError):
        parse_config({"terminal": {"online_service_url": "javascript:alert(1)"}})
