"""Nightly maintenance (kiosk/nightly.py, KioskCore.nightly_check): at the idle hour, never
during a citizen's session, once a night; the store checked, pruned and compacted; then the
app restarts with exit code 75."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, insert, select

from kiosk.bus import Topic
from kiosk.nightly import LAST_RUN_KEY, NightlyMaintenance
from kiosk.store.db import open_store
from kiosk.store.models import OutboxEvent, PrintJob
from kiosk.terminal import TerminalState
from protocol import LOCAL_TZ


class Now:
    def __init__(self, *args):
        self.at = datetime(*args, tzinfo=LOCAL_TZ)

    def __call__(self) -> datetime:
        return self.at


def fill(store, n_old: int, n_new: int) -> None:
    utc = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = []
    for i in range(n_old + n_new):
        at = utc - timedelta(days=40 if i < n_old else 1)
        rows.append(dict(id=str(uuid.uuid4()), printer="receipt", kind="ticket", title="t",
                         state="done", reason="", personal=False, payload=b"x" * 2000,
                         created_at=at, updated_at=at))
    with store.session() as s:
        s.execute(insert(PrintJob), rows)
        s.execute(insert(PrintJob), [dict(rows[0], id=str(uuid.uuid4()), state="queued")])
        s.execute(insert(OutboxEvent), [dict(
            idempotency_key=str(uuid.uuid4()), kind="rating", payload_json="{}",
            occurred_at=utc - timedelta(days=days), state=state, attempts=1,
            next_attempt_at=utc, last_error="422") for days, state in
            ((100, "rejected"), (10, "rejected"), (100, "pending"))])


def test_a_kiosk_up_for_less_than_an_hour_waits_for_tomorrow(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    n = NightlyMaintenance(store, hour=3, journal_keep_days=30, rejected_keep_days=90,
                           now=Now(2026, 12, 4, 3, 30))
    assert not n.due()
    n.min_uptime_s = 0
    assert n.due()
    store.close()


def test_due_once_a_night_within_its_window(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    now = Now(2026, 12, 4, 2, 59)
    n = NightlyMaintenance(store, hour=3, journal_keep_days=30, rejected_keep_days=90, now=now,
                           min_uptime_s=0)
    assert not n.due()
    now.at = now.at.replace(hour=3, minute=0)
    assert n.due()
    now.at = now.at.replace(hour=6, minute=59)
    assert n.due()
    now.at = now.at.replace(hour=7, minute=0)  # a busy night is not made up in the morning
    assert not n.due()
    now.at = now.at.replace(hour=4)
    n.run()
    assert not n.due()  # once a night
    now.at += timedelta(days=1)
    assert n.due()
    store.close()


def test_a_window_across_midnight(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    now = Now(2026, 12, 5, 1, 0)
    n = NightlyMaintenance(store, hour=23, journal_keep_days=30, rejected_keep_days=90, now=now,
                           min_uptime_s=0)
    assert n.due()  # 23:00 yesterday + 4 h
    n.run()
    with store.session() as s:
        from kiosk.sync import state

        assert state.get(s, LAST_RUN_KEY) == "2026-12-04"
    assert not n.due()
    store.close()


def test_the_run_checks_prunes_and_compacts(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    fill(store, n_old=400, n_new=50)
    n = NightlyMaintenance(store, hour=3, journal_keep_days=30, rejected_keep_days=90,
                           now=Now(2026, 12, 4, 3, 30), min_uptime_s=0)
    report = n.run()
    assert report.integrity == "ok" and not report.errors
    assert report.pruned_jobs == 400 and report.pruned_events == 1
    assert report.bytes_after < report.bytes_before
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(PrintJob)) == 51  # the queued one kept
        states = sorted(s.scalars(select(OutboxEvent.state)))
    assert states == ["pending", "rejected"]  # undelivered events are never pruned
    store.close()


def test_never_during_a_citizen_session_and_done_after_it(make_config, small_catalog_file):
    from kiosk.app import KioskCore
    from kiosk.bus import ManualPost
    from wiring import build_services

    post = ManualPost()
    services = build_services(make_config(small_catalog_file), post=post)
    core = KioskCore(services)
    core.start()
    try:
        now = Now(2026, 12, 4, 3, 10)
        core.nightly.now = now
        core.nightly.min_uptime_s = 0
        reports = []
        core.bus.subscribe(Topic.NIGHTLY, reports.append)
        core.begin_session()
        assert core.nightly_check() is False  # a citizen is served
        assert core.terminal.state == TerminalState.ACTIVE
        core.end_session()
        assert core.nightly_check() is True
        assert core.terminal.state == TerminalState.MAINTENANCE
        assert core.out_of_service.reason == "nightly"
        core.begin_session()  # a touch during maintenance does nothing
        assert core.terminal.state == TerminalState.MAINTENANCE
        deadline = time.monotonic() + 10
        while not reports and time.monotonic() < deadline:
            post.drain()
            time.sleep(0.02)
        assert reports and reports[0].integrity == "ok"
        assert core.nightly_check() is False  # not twice
    finally:
        core.close()
        services.close()


@pytest.mark.gui
def test_the_app_restarts_after_the_nightly_run(kiosk_window, make_config, qtbot, monkeypatch):
    from kiosk.config_update import EXIT_RESTART
    from screens.qt import QApplication

    exits = []
    monkeypatch.setattr(QApplication.instance(), "exit", exits.append)
    kiosk = kiosk_window(make_config())
    kiosk.core.nightly.now = Now(2026, 12, 4, 3, 5)
    kiosk.core.nightly.min_uptime_s = 0
    assert kiosk.core.nightly_check()
    qtbot.waitUntil(lambda: exits == [EXIT_RESTART], timeout=10000)
    kiosk.services.events.flush()
    with kiosk.services.store.read() as conn:
        payloads = [r[0] for r in conn.execute("SELECT payload_json FROM outbox")]
    assert any('"nightly"' in p for p in payloads)
