"""Hall staff on the terminal, without Qt (kiosk.staff): the roster in the store and its refresh by
the sync worker, login by PIN and by badge, lockout across restarts on a fake clock, expiry,
removal from the roster, roles, and the boundary between staff and citizen sessions."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher

from kiosk.app import KioskCore
from kiosk.audit import entries
from kiosk.staff import (
    MAX_PIN_FAILURES,
    ROLE_PERMISSIONS,
    LoginOutcome,
    Permission,
    RosterStore,
    StaffAuth,
)
from protocol.staff import StaffAccount, StaffRole, StaffRoster

import protocol as p

# low-cost argon2id for speed: verification reads the parameters from the PHC string
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
BADGE_TOKEN = "k3J9xQv2Lm8pR4tY7wZ1aB"  # 22 urlsafe characters (>= 128 bits)


def account(staff_no="1001", name="王帮办", role=StaffRole.HELPER, pin="246810", *,
            badge: str | None = None, active=True, expires_at=None) -> StaffAccount:
    from protocol.staff import badge_hash

    return StaffAccount(staff_no=staff_no, name=name, hall="H1", role=role,
                        pin_hash=FAST.hash(pin), badge_hash=badge_hash(badge) if badge else "",
                        active=active, expires_at=expires_at)


def roster(*accounts: StaffAccount, version=1) -> StaffRoster:
    return StaffRoster(version=version, hall="H1", accounts=list(accounts))


class FakeNow:
    def __init__(self):
        self.t = datetime(2026, 12, 4, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw) -> None:
        self.t += timedelta(**kw)


@pytest.fixture
def core(make_config):
    from wiring import build_services

    config = make_config(sync={"adapter": "off"})
    services = build_services(config)
    c = KioskCore(services)
    c.start()
    yield c
    c.close()
    services.close()


def flush(core) -> None:
    core.services.events.flush()


def login(core, staff_no, pin):
    """A PIN login as the screens make it, synchronously (the thread is tested elsewhere)."""
    result = core.staff.auth.check_pin(staff_no, pin)
    core.staff.finish_login(result)
    return result


def actions(core) -> list[tuple[str, str]]:
    flush(core)
    return [(e["action"], e["staff_no"]) for e in entries(core.store)]


# -- roles -----------------------------------------------------------------------------------------


def test_roles_table():
    assert set(ROLE_PERMISSIONS) == set(StaffRole)
    assert ROLE_PERMISSIONS[StaffRole.HELPER] == {Permission.ATTEND}
    assert ROLE_PERMISSIONS[StaffRole.SHIFT_LEAD] >= {Permission.ATTEND, Permission.REPRINT,
                                                      Permission.CLEAR_FAULT,
                                                      Permission.END_SESSION}
    assert Permission.ATTEND not in ROLE_PERMISSIONS[StaffRole.TECHNICIAN]
    assert ROLE_PERMISSIONS[StaffRole.AUDITOR] == {Permission.AUDIT}  # operates nothing


# -- PIN, lockout, badge -----------------------------------------------------------------------------


def test_pin_login_and_unknown_number_gets_the_same_answer_as_a_wrong_pin(core):
    RosterStore(core.store).save(roster(account()))
    auth = StaffAuth(RosterStore(core.store), lockout_minutes=15)
    ok = auth.check_pin("1001", "246810")
    assert ok.ok and ok.account.name == "王帮办"
    wrong, unknown = auth.check_pin("1001", "000000"), auth.check_pin("9999", "246810")
    assert wrong.outcome is unknown.outcome is LoginOutcome.WRONG
    assert wrong.tries_left == unknown.tries_left == MAX_PIN_FAILURES - 1


def test_five_wrong_pins_lock_the_number_across_a_restart_until_the_time_is_up(core):
    store = RosterStore(core.store)
    store.save(roster(account()))
    now = FakeNow()
    auth = StaffAuth(store, lockout_minutes=15, now=now)
    tries = [auth.check_pin("1001", "111111") for _ in range(MAX_PIN_FAILURES)]
    assert [t.tries_left for t in tries[:-1]] == [4, 3, 2, 1]
    assert tries[-1].outcome is LoginOutcome.LOCKED and tries[-1].just_locked
    assert tries[-1].minutes_left == 15
    # the right PIN does not open a locked number, also after a restart (the store keeps it)
    restarted = StaffAuth(RosterStore(core.store), lockout_minutes=15, now=now)
    locked = restarted.check_pin("1001", "246810")
    assert locked.outcome is LoginOutcome.LOCKED and locked.minutes_left == 15
    now.advance(minutes=14, seconds=1)
    assert restarted.check_pin("1001", "246810").minutes_left == 1
    assert restarted.check_badge  # (the badge is locked too: below)
    now.advance(minutes=1)
    assert restarted.check_pin("1001", "246810").ok
    # a good PIN resets the count: four more wrong ones do not lock
    for _ in range(MAX_PIN_FAILURES - 1):
        assert restarted.check_pin("1001", "111111").outcome is LoginOutcome.WRONG


def test_badge_login_unknown_badge_and_codes_that_are_no_badge(core):
    store = RosterStore(core.store)
    store.save(roster(account(badge=BADGE_TOKEN), account("1002", "李值班", badge=None)))
    now = FakeNow()
    auth = StaffAuth(store, lockout_minutes=15, now=now)
    assert auth.check_badge("GOVKIOSK-ECRED:1:abc") is None  # someone else's code
    good = auth.check_badge(f"GOVKIOSK-STAFF:1:1001:{BADGE_TOKEN}")
    assert good.ok and good.method == "badge"
    forged = auth.check_badge(f"GOVKIOSK-STAFF:1:1001:{BADGE_TOKEN[::-1]}")
    no_badge = auth.check_badge(f"GOVKIOSK-STAFF:1:1002:{BADGE_TOKEN}")
    stranger = auth.check_badge(f"GOVKIOSK-STAFF:1:7777:{BADGE_TOKEN}")
    assert forged.outcome is no_badge.outcome is stranger.outcome is LoginOutcome.UNKNOWN_BADGE
    for _ in range(MAX_PIN_FAILURES):
        auth.check_pin("1001", "111111")
    assert auth.check_badge(f"GOVKIOSK-STAFF:1:1001:{BADGE_TOKEN}").outcome \
        is LoginOutcome.LOCKED


def test_expired_and_inactive_accounts_are_refused(core):
    now = FakeNow()
    past = datetime(2026, 12, 1, tzinfo=timezone.utc)
    future = datetime(2027, 1, 1, tzinfo=timezone.utc)
    RosterStore(core.store).save(roster(
        account("1001", expires_at=past, badge=BADGE_TOKEN), account("1002", active=False),
        account("1003", expires_at=future)))
    auth = StaffAuth(RosterStore(core.store), lockout_minutes=15, now=now)
    assert auth.check_pin("1001", "246810").outcome is LoginOutcome.EXPIRED
    assert auth.check_badge(f"GOVKIOSK-STAFF:1:1001:{BADGE_TOKEN}").outcome \
        is LoginOutcome.EXPIRED
    assert auth.check_pin("1002", "246810").outcome is LoginOutcome.EXPIRED
    assert auth.check_pin("1003", "246810").ok
    # a wrong PIN of an expired account is still only "wrong": nothing said about the account
    assert auth.check_pin("1001", "000000").outcome is LoginOutcome.WRONG


def test_the_pin_is_checked_off_the_calling_thread(core):
    import threading

    RosterStore(core.store).save(roster(account()))
    got = []
    done = threading.Event()

    def post(result):
        got.append((result, threading.current_thread().name))
        done.set()

    core.staff.login_pin("1001", "246810", post)
    assert done.wait(5)
    (result, thread), = got
    assert result.ok and thread == "staff-pin"


# -- sessions ---------------------------------------------------------------------------------------


def test_login_while_a_citizen_is_served_attends_that_citizen_and_ends_with_them(core):
    RosterStore(core.store).save(roster(account()))
    core.begin_session()
    citizen = core.session.id
    assert login(core, "1001", "246810").ok
    assert core.attending == "1001" and core.staff.attending_name == "王帮办"
    assert core.staff.session.citizen_session == citizen
    core.end_session()
    assert core.staff.session is None and core.attending is None
    core.begin_session()  # the next citizen: nobody attends them
    assert core.attending is None and core.staff.session is None
    assert actions(core) == [("staff_login", "1001"), ("attend", "1001"),
                             ("attend", "1001"), ("staff_logout", "1001")]
    flush(core)
    last = entries(core.store)[-1]
    assert last["detail"] == {"reason": "citizen_session_ended"}


def test_staff_tools_session_never_runs_into_a_citizen_session(core):
    RosterStore(core.store).save(roster(account(role=StaffRole.SHIFT_LEAD)))
    assert login(core, "1001", "246810").ok
    s = core.staff.session
    assert s.citizen_session == "" and not s.attending  # nobody to attend: the tools
    core.begin_session()  # a citizen starts: the tools' session is over
    assert core.staff.session is None and core.attending is None
    # "serve a citizen" from the tools: a new staff session bound to a new citizen session
    core.end_session()
    login(core, "1001", "246810")
    core.staff.serve_citizen()
    assert core.session.started and core.attending == "1001"
    assert core.staff.session.citizen_session == core.session.id


def test_technicians_and_auditors_never_attend(core):
    RosterStore(core.store).save(roster(account("2001", role=StaffRole.TECHNICIAN),
                                        account("3001", role=StaffRole.AUDITOR)))
    core.begin_session()
    assert login(core, "2001", "246810").ok
    assert core.attending is None and core.staff.attending_name is None
    assert core.staff.may(Permission.END_SESSION)
    assert core.staff.end_citizen_session()
    assert not core.session.started and core.staff.session is None
    core.begin_session()
    login(core, "3001", "246810")
    assert core.attending is None and not core.staff.end_citizen_session()
    assert ("session_ended", "2001") in actions(core)


def test_idle_staff_tools_log_out(core):
    RosterStore(core.store).save(roster(account()))
    login(core, "1001", "246810")
    core.clock.advance(core.config.staff.idle_logout_s - 1)
    core.staff.tick()
    assert core.staff.session is not None
    core.clock.advance(2)
    core.staff.tick()
    assert core.staff.session is None
    flush(core)
    assert entries(core.store)[-1]["detail"] == {"reason": "idle"}


def test_a_staff_member_removed_from_a_newer_roster_is_logged_out_at_once(core):
    store = RosterStore(core.store)
    store.save(roster(account(), account("1002", "李值班")))
    core.begin_session()
    login(core, "1001", "246810")
    store.save(roster(account("1002", "李值班"), version=2))
    core.bus.publish(p_topic(), 2)  # as the sync service does
    assert core.staff.session is None and core.attending is None
    flush(core)
    assert entries(core.store)[-1]["detail"] == {"reason": "account_withdrawn"}
    # inactive in a newer roster: the same
    login(core, "1002", "246810")
    store.save(roster(account("1002", "李值班", active=False), version=3))
    core.bus.publish(p_topic(), 3)
    assert core.staff.session is None


def p_topic():
    from kiosk.bus import Topic

    return Topic.STAFF_ROSTER


def test_failed_logins_are_audited_without_the_pin(core):
    RosterStore(core.store).save(roster(account()))
    for _ in range(MAX_PIN_FAILURES):
        login(core, "1001", "135790")
    flush(core)
    got = entries(core.store)
    assert [e["action"] for e in got] == ["pin_failed"] * 5 + ["staff_locked"]
    assert got[-1]["detail"] == {"minutes": 15}
    assert "135790" not in repr(got)


# -- the worker's roster refresh ------------------------------------------------------------------


class RosterBackend:
    """A BackendAdapter: heartbeats name a roster version; the roster is served on request."""

    def __init__(self, version: int):
        self.credential = "token"
        self.version = version
        self.roster_calls = 0
        self.rosters = {1: roster(account(), version=1),
                        2: roster(account("1002", "李值班"), version=2)}

    def heartbeat(self, hb):
        return p.HeartbeatReply(commands=[], server_time=datetime.now(timezone.utc),
                                roster_version=self.version)

    def staff_roster(self):
        self.roster_calls += 1
        return self.rosters[self.version]

    def push_events(self, events):
        return p.EventResults(results=[])

    def close(self):
        pass

    # the rest of the interface: not used by these tests
    def _unused(self, *_a, **_kw):  # pragma: no cover
        raise AssertionError("not used in this test")

    enrol = health = catalog_changes = fetch = issue_document = _unused
    exchange_credential = access_log = verify = queue_ticket = ticket_status = _unused
    help_request = help_status = help_cancel = help_consent = help_frame = _unused


def test_the_sync_worker_fetches_the_roster_at_first_and_when_its_version_changes(core):
    from kiosk.sync.adapter import BackendAdapter
    from kiosk.sync.outbox import Outbox
    from kiosk.sync.worker import SyncWorker

    backend = RosterBackend(version=1)
    assert isinstance(backend, BackendAdapter)
    store = RosterStore(core.store)
    updates = []
    worker = SyncWorker(core.store, backend, Outbox(core.store), terminal_id="T-STAFF",
                        roster=store, on_roster_updated=updates.append,
                        heartbeat_interval_s=0, rng=random.Random(1))
    worker._catalog_due, worker._next_catalog_at = False, float("inf")
    report = worker.run_once()
    assert report.roster == 1 and store.version() == 1 and list(store.accounts()) == ["1001"]
    worker.run_once()  # the same version: not fetched again
    assert backend.roster_calls == 1 and updates == [1]
    backend.version = 2
    worker.run_once()
    assert store.version() == 2 and list(store.accounts()) == ["1002"] and updates == [1, 2]


def test_a_backend_without_the_roster_endpoint_does_not_break_the_cycle(core):
    from kiosk.sync.adapter import BackendRejected
    from kiosk.sync.outbox import Outbox
    from kiosk.sync.worker import SyncWorker

    class Old(RosterBackend):
        def staff_roster(self):
            self.roster_calls += 1
            raise BackendRejected(404, "not_found", "no such path")

    backend = Old(version=0)
    worker = SyncWorker(core.store, backend, Outbox(core.store), terminal_id="T-STAFF",
                        roster=RosterStore(core.store), heartbeat_interval_s=0)
    worker._catalog_due, worker._next_catalog_at = False, float("inf")
    assert not worker.run_once().error
    worker.run_once()
    assert backend.roster_calls == 1 and RosterStore(core.store).version() is None
