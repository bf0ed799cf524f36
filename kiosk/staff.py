"""Hall staff on the terminal (issue 10): the roster the backend sends, login by staff number +
PIN or by badge, lockout, roles, and the staff session's rules. No Qt here.

- `RosterStore`: the roster (protocol.staff.StaffRoster) cached in the store, with its version,
  so staff log in while the link is down. The sync worker saves a newer one (its thread).
- `StaffAuth`: checks a PIN (argon2id, tens of milliseconds: never on the UI thread, see
  `StaffDesk.login_pin`) or a badge (sha256 + `hmac.compare_digest`, microseconds). Unknown
  staff numbers and wrong PINs get the same answer and count the same way; five wrong PINs in
  a row lock the number for `staff.lockout_minutes`, kept in the store across restarts.
- `ROLE_PERMISSIONS`: what each role may do (docs/decisions/0020).
- `StaffDesk`: the staff session as the core keeps it. A staff session belongs to exactly one
  citizen session (attended mode, or the staff tools over a stuck session) or to none (staff
  tools with nobody at the terminal); whenever the citizen session changes, it ends. So a staff
  session never survives into a citizen's session, and never the other way round.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from protocol.staff import AuditAction, StaffRole, badge_hash, parse_badge

if TYPE_CHECKING:  # the messages (pydantic) load with the first roster read, not at start
    from protocol.staff import StaffAccount, StaffRoster
    from kiosk.audit import AuditLog
    from kiosk.store.db import Store

log = logging.getLogger("kiosk.staff")

MAX_PIN_FAILURES = 5
ROSTER_VERSION_KEY = "staff_roster_version"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# --------------------------------------------------------------------------------------------
# Roles


class Permission(StrEnum):
    ATTEND = "attend"            # attended mode: operate items for the citizen beside them
    REPRINT = "reprint"          # reprint from the print journal (补打)
    CLEAR_FAULT = "clear_fault"  # a printer refilled / fixed: probe it again
    END_SESSION = "end_session"  # end a stuck citizen session
    AUDIT = "audit"              # see the audit log's state (entries, chain intact)
    MAINTAIN = "maintain"        # the maintenance panel: configuration, diagnostics, logs


ROLE_PERMISSIONS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.HELPER: frozenset({Permission.ATTEND}),
    StaffRole.SHIFT_LEAD: frozenset({Permission.ATTEND, Permission.REPRINT,
                                     Permission.CLEAR_FAULT, Permission.END_SESSION,
                                     Permission.AUDIT}),
    StaffRole.TECHNICIAN: frozenset({Permission.CLEAR_FAULT, Permission.END_SESSION,
                                     Permission.MAINTAIN}),
    StaffRole.AUDITOR: frozenset({Permission.AUDIT}),
}


def may(account: StaffAccount, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(StaffRole(account.role), frozenset())


# --------------------------------------------------------------------------------------------
# The roster in the store


def _naive_utc(t: datetime | None) -> datetime | None:
    if t is None:
        return None
    return t.astimezone(timezone.utc).replace(tzinfo=None) if t.tzinfo else t


class RosterStore:
    """The cached roster. Reads use the store's plain sqlite3 reader (any thread); `save` writes
    through SQLAlchemy in one transaction (the sync worker's thread)."""

    def __init__(self, store: Store):
        self.store = store

    def version(self) -> int | None:
        with self.store.read() as c:
            row = c.execute("SELECT value FROM sync_state WHERE key = ?",
                            (ROSTER_VERSION_KEY,)).fetchone()
        return int(row[0]) if row else None

    def accounts(self) -> dict[str, StaffAccount]:
        from protocol.staff import StaffAccount

        with self.store.read() as c:
            rows = c.execute("SELECT staff_no, name, hall, role, pin_hash, badge_hash, active, "
                             "expires_at FROM staff_accounts").fetchall()
        out = {}
        for no, name, hall, role, pin, badge, active, expires in rows:
            exp = None
            if expires:
                exp = datetime.fromisoformat(str(expires)).replace(tzinfo=timezone.utc)
            out[no] = StaffAccount(staff_no=no, name=name, hall=hall, role=role, pin_hash=pin,
                                   badge_hash=badge, active=bool(active), expires_at=exp)
        return out

    def save(self, roster: StaffRoster) -> None:
        """Replace the cached roster and its version (both or neither)."""
        from sqlalchemy import delete

        from kiosk.store.models import StaffAccountRow, SyncState

        with self.store.session() as s:
            s.execute(delete(StaffAccountRow))
            for a in roster.accounts:
                s.add(StaffAccountRow(staff_no=a.staff_no, name=a.name, hall=a.hall,
                                      role=str(a.role), pin_hash=a.pin_hash,
                                      badge_hash=a.badge_hash, active=a.active,
                                      expires_at=_naive_utc(a.expires_at)))
            s.merge(SyncState(key=ROSTER_VERSION_KEY, value=str(roster.version)))
        log.info("staff roster version %d: %d account(s)", roster.version, len(roster.accounts))

    # lockouts (kept across restarts)
    def lockouts(self) -> dict[str, tuple[int, datetime | None]]:
        with self.store.read() as c:
            rows = c.execute("SELECT staff_no, failures, locked_until FROM staff_lockouts"
                             ).fetchall()
        return {no: (n, datetime.fromisoformat(str(u)) if u else None) for no, n, u in rows}

    def save_lockout(self, staff_no: str, failures: int, locked_until: datetime | None) -> None:
        from kiosk.store.models import StaffLockout

        with self.store.session() as s:
            s.merge(StaffLockout(staff_no=staff_no, failures=failures, locked_until=locked_until))


# --------------------------------------------------------------------------------------------
# Login


class LoginOutcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"              # unknown staff number or wrong PIN: the same answer
    LOCKED = "locked"            # five wrong PINs: locked for a while
    EXPIRED = "expired"          # the account expired or was deactivated at the backend
    UNKNOWN_BADGE = "unknown_badge"  # not a badge of anyone on this terminal's roster
    NO_ROSTER = "no_roster"      # the terminal has no staff roster yet


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    staff_no: str = ""
    account: StaffAccount | None = None
    tries_left: int = 0       # WRONG: tries before the lockout
    minutes_left: int = 0     # LOCKED: whole minutes, rounded up
    just_locked: bool = False  # this wrong PIN locked the number
    method: str = "pin"       # pin or badge

    @property
    def ok(self) -> bool:
        return self.outcome is LoginOutcome.OK


# A hash to verify against when the staff number is unknown, so an unknown number takes as
# long as a wrong PIN (no timing answer to "is this a staff number?"): made at the first need
# with the parameters of an account of the roster.
_dummy_hashes: dict[str, str] = {}


def _dummy_hash(like: str | None) -> str:
    from argon2 import PasswordHasher, extract_parameters

    try:
        params = extract_parameters(like) if like else None
    except Exception:
        params = None
    key = repr(params)
    if key not in _dummy_hashes:
        ph = PasswordHasher.from_parameters(params) if params else PasswordHasher()
        _dummy_hashes[key] = ph.hash("dummy-pin")
    return _dummy_hashes[key]


class StaffAuth:
    """Login checks. Thread-safe (a PIN is checked off the UI thread). `now()`: UTC wall clock
    (naive), a fake in tests; `persist(work)`: runs a store write somewhere other than the UI
    thread (the outbox writer's thread in the app; inline in tests)."""

    def __init__(self, roster: RosterStore, *, lockout_minutes: int,
                 now: Callable[[], datetime] = utcnow,
                 persist: Callable[[Callable[[], None]], None] | None = None):
        self.roster = roster
        self.lockout = timedelta(minutes=lockout_minutes)
        self.now = now
        self.persist = persist or (lambda work: work())
        self._lock = threading.Lock()
        self._accounts: dict[str, StaffAccount] | None = None
        self._failures: dict[str, tuple[int, datetime | None]] | None = None

    def accounts(self) -> dict[str, StaffAccount]:
        with self._lock:
            if self._accounts is None:
                self._accounts = self.roster.accounts()
            return self._accounts

    def reload(self) -> None:
        """A newer roster was saved: read it at the next use."""
        with self._lock:
            self._accounts = None

    def usable(self, account: StaffAccount) -> bool:
        """Active and not past its expiry."""
        if not account.active:
            return False
        exp = _naive_utc(account.expires_at)
        return exp is None or exp > self.now()

    def current(self, staff_no: str) -> StaffAccount | None:
        """The account as the roster has it now, if it may still be logged in."""
        account = self.accounts().get(staff_no)
        return account if account is not None and self.usable(account) else None

    # lockouts
    def _lockouts(self) -> dict[str, tuple[int, datetime | None]]:
        if self._failures is None:
            self._failures = self.roster.lockouts()
        return self._failures

    def locked_for(self, staff_no: str) -> timedelta | None:
        with self._lock:
            _n, until = self._lockouts().get(staff_no, (0, None))
        now = self.now()
        return until - now if until is not None and until > now else None

    def _set_failures(self, staff_no: str, failures: int, until: datetime | None) -> None:
        self._lockouts()[staff_no] = (failures, until)
        self.persist(lambda: self.roster.save_lockout(staff_no, failures, until))

    @staticmethod
    def _minutes(left: timedelta) -> int:
        return max(1, int(-(-left.total_seconds() // 60)))

    def check_pin(self, staff_no: str, pin: str) -> LoginResult:
        """Slow (argon2): call it off the UI thread."""
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        staff_no = staff_no.strip()
        left = self.locked_for(staff_no)
        if left is not None:
            return LoginResult(LoginOutcome.LOCKED, staff_no, minutes_left=self._minutes(left))
        accounts = self.accounts()
        account = accounts.get(staff_no)
        try:
            # (an unknown number is checked against a dummy hash: it takes as long)
            like = next(iter(accounts.values())).pin_hash if accounts else None
            PasswordHasher().verify(account.pin_hash if account else _dummy_hash(like), pin)
            good = account is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            good = False
        with self._lock:
            n, _until = self._lockouts().get(staff_no, (0, None))
            if good:
                if n:
                    self._set_failures(staff_no, 0, None)
            else:
                n += 1
                if n >= MAX_PIN_FAILURES:
                    until = self.now() + self.lockout
                    self._set_failures(staff_no, 0, until)
                    return LoginResult(LoginOutcome.LOCKED, staff_no, just_locked=True,
                                       minutes_left=self._minutes(self.lockout))
                self._set_failures(staff_no, n, None)
                if not accounts:
                    return LoginResult(LoginOutcome.NO_ROSTER, staff_no)
                return LoginResult(LoginOutcome.WRONG, staff_no,
                                   tries_left=MAX_PIN_FAILURES - n)
        if not self.usable(account):
            return LoginResult(LoginOutcome.EXPIRED, staff_no, account=None)
        return LoginResult(LoginOutcome.OK, staff_no, account=account)

    def check_badge(self, text: str) -> LoginResult | None:
        """A scanned code: None if it is not a staff badge at all (it is for someone else);
        else the result. Fast: fine on the UI thread."""
        parsed = parse_badge(text)
        if parsed is None:
            return None
        staff_no, token = parsed
        account = self.accounts().get(staff_no)
        digest = badge_hash(token)
        if account is None or not account.badge_hash or \
                not hmac.compare_digest(account.badge_hash.lower(), digest):
            return LoginResult(LoginOutcome.UNKNOWN_BADGE, staff_no, method="badge")
        left = self.locked_for(staff_no)
        if left is not None:  # a locked number is locked for its badge too
            return LoginResult(LoginOutcome.LOCKED, staff_no, minutes_left=self._minutes(left),
                               method="badge")
        if not self.usable(account):
            return LoginResult(LoginOutcome.EXPIRED, staff_no, method="badge")
        return LoginResult(LoginOutcome.OK, staff_no, account=account, method="badge")


# --------------------------------------------------------------------------------------------
# The staff session


@dataclass
class StaffSession:
    account: StaffAccount
    citizen_session: str  # the citizen session's id it belongs to; "" for none (staff tools)
    method: str
    last_touch: float

    @property
    def staff_no(self) -> str:
        return self.account.staff_no

    @property
    def attending(self) -> bool:
        return bool(self.citizen_session) and may(self.account, Permission.ATTEND)


class StaffDesk:
    """The staff side of the core (`KioskCore.staff`). Everything here runs on the core's
    thread except the PIN check (`login_pin`), which runs on its own short-lived thread and
    comes back through the bus (Topic.STAFF_LOGIN).

    `core` is the KioskCore (its session, `attend`, `end_session`, printer); `audit` the audit
    log; `monotonic` the core's clock (idle logout)."""

    def __init__(self, core: Any, auth: StaffAuth, audit: AuditLog, *, idle_logout_s: float,
                 reprint_window_min: int, monotonic: Callable[[], float]):
        self.core = core
        self.auth = auth
        self.audit = audit
        self.idle_logout_s = idle_logout_s
        self.reprint_window = timedelta(minutes=reprint_window_min)
        self.monotonic = monotonic
        self.session: StaffSession | None = None
        self.pending = False  # a PIN is being checked
        self.last_result: LoginResult | None = None
        self.attempts = 0  # login attempts answered (the screens tell an answer from a logout)
        self._listeners: list[Callable[[], None]] = []

    # -- listeners (the window: banner, screens) -------------------------------------------------
    def subscribe(self, fn: Callable[[], None]) -> None:
        """`fn()` whenever a staff member logs in or out, or a login attempt is answered."""
        self._listeners.append(fn)

    def _changed(self) -> None:
        for fn in list(self._listeners):
            try:
                fn()
            except Exception:
                log.exception("staff listener failed")

    @property
    def account(self) -> StaffAccount | None:
        return self.session.account if self.session is not None else None

    @property
    def attending_name(self) -> str | None:
        """The name on the banner while a staff member attends the citizen."""
        s = self.session
        return s.account.name if s is not None and s.attending else None

    def may(self, permission: Permission) -> bool:
        return self.session is not None and may(self.session.account, permission)

    # -- login ---------------------------------------------------------------------------------
    def login_pin(self, staff_no: str, pin: str, post: Callable[[LoginResult], None]) -> None:
        """Check the PIN on a thread of its own (argon2 takes ~0.1 s: not on the UI thread);
        `post(result)` must hand the result to the core's thread (the bus), which then calls
        `finish_login(result)`."""
        if self.pending:
            return
        self.pending = True

        def work() -> None:
            try:
                result = self.auth.check_pin(staff_no, pin)
            except Exception:  # a bug: logged, answered as a wrong PIN
                log.exception("PIN check failed")
                result = LoginResult(LoginOutcome.WRONG, staff_no.strip())
            post(result)

        threading.Thread(target=work, name="staff-pin", daemon=True).start()

    def login_badge(self, text: str) -> LoginResult | None:
        """A scanned code on the attract or home screen: None if it is not a staff badge."""
        result = self.auth.check_badge(text)
        if result is not None:
            self.finish_login(result)
        return result

    def finish_login(self, result: LoginResult) -> None:
        """On the core's thread: audit the attempt, open the staff session on success."""
        self.pending = False
        self.last_result = result
        self.attempts += 1
        detail = {"method": result.method}
        if result.outcome is LoginOutcome.OK and result.account is not None:
            if self.session is not None:
                self.logout("new_login")
            self._open(result.account, result.method)
        elif result.outcome is LoginOutcome.LOCKED and result.just_locked:
            self.audit.append(AuditAction.PIN_FAILED, result.staff_no, detail)
            self.audit.append(AuditAction.STAFF_LOCKED, result.staff_no,
                              {"minutes": result.minutes_left})
        elif result.outcome in (LoginOutcome.WRONG, LoginOutcome.NO_ROSTER):
            self.audit.append(AuditAction.PIN_FAILED, result.staff_no,
                              {**detail, "tries_left": result.tries_left})
        else:  # locked (still), expired, unknown badge: refused, on the record
            self.audit.append(AuditAction.STAFF_LOGIN, result.staff_no,
                              {**detail, "refused": str(result.outcome)})
        self._changed()

    def _open(self, account: StaffAccount, method: str) -> None:
        core = self.core
        citizen = core.session.id if core.session.started else ""
        self.session = StaffSession(account, citizen, method, self.monotonic())
        self.audit.append(AuditAction.STAFF_LOGIN, account.staff_no,
                          {"method": method, "role": str(account.role),
                           "with_citizen": bool(citizen)})
        log.info("staff %s logged in (%s)", account.staff_no, method)
        if self.session.attending:
            core.attend(account.staff_no)

    def logout(self, reason: str = "logout") -> None:
        s, self.session = self.session, None
        if s is None:
            return
        if s.attending and self.core.attending == s.staff_no:
            self.core.attend(None)
        self.audit.append(AuditAction.STAFF_LOGOUT, s.staff_no, {"reason": reason})
        log.info("staff %s logged out (%s)", s.staff_no, reason)
        self._changed()

    def touch(self) -> None:
        if self.session is not None:
            self.session.last_touch = self.monotonic()

    # -- the boundary with citizen sessions ------------------------------------------------------
    def citizen_session_changed(self, ending: bool = False) -> None:
        """Called by the core when a citizen session has begun, or is `ending`: a staff
        session belongs to the citizen session it was opened in (or to none), never to
        another."""
        s = self.session
        if s is None:
            return
        core = self.core
        now = core.session.id if core.session.started and not ending else ""
        if ending or now != s.citizen_session:
            self.logout("citizen_session_ended" if s.citizen_session else "citizen_session_began")

    def serve_citizen(self) -> None:
        """From the staff tools with nobody at the terminal: start a citizen's session and
        attend it. The tools' staff session ends (nothing of it carries over) and a new one,
        bound to the new citizen session, begins for the same staff member."""
        s = self.session
        if s is None or s.citizen_session or not may(s.account, Permission.ATTEND):
            return
        account = s.account
        self.logout("serve_citizen")
        self.core.begin_session()
        self._open(account, "handover")
        self._changed()

    # -- roster changes and idle -----------------------------------------------------------------
    def roster_updated(self) -> None:
        """A newer roster arrived: a staff member missing from it, inactive or expired is
        logged out at once."""
        self.auth.reload()
        self.check_account()

    def check_account(self) -> None:
        s = self.session
        if s is not None and self.auth.current(s.staff_no) is None:
            self.logout("account_withdrawn")

    def tick(self) -> None:
        """The window's timer: idle logout of the staff tools (with a citizen, the citizen's
        session decides), and an account expiring meanwhile."""
        s = self.session
        if s is None:
            return
        if not s.citizen_session and self.monotonic() - s.last_touch >= self.idle_logout_s:
            self.logout("idle")
            return
        self.check_account()

    # -- on-behalf items -------------------------------------------------------------------------
    def watch_run(self, run: Any) -> None:
        """Audit an item operated for the citizen while staff attend: once per run, when the
        citizen has identified (masked ID only)."""
        done: list[bool] = []

        def changed(_change) -> None:
            s = self.session
            if done or s is None or not s.attending or not run.masked_id:
                return
            done.append(True)
            self.audit.append(AuditAction.ATTEND_ITEM, s.staff_no, {
                "flow": run.flow.id, "item": run.catalog_item_id or "",
                "masked_id": run.masked_id})

        run.subscribe(changed)

    # -- staff tools -----------------------------------------------------------------------------
    def end_citizen_session(self) -> bool:
        """End a stuck citizen session (audited). The staff session ends with it."""
        s = self.session
        if s is None or not may(s.account, Permission.END_SESSION) or \
                not self.core.session.started:
            return False
        self.audit.append(AuditAction.SESSION_ENDED, s.staff_no, {})
        self.core.end_session()
        return True

    def clear_fault(self, printer: str) -> bool:
        """A printer was refilled or fixed: probe it again now (audited)."""
        s = self.session
        if s is None or not may(s.account, Permission.CLEAR_FAULT) or self.core.printer is None:
            return False
        try:
            self.core.printer.probe(printer)  # on the printer's thread; the status comes back
        except KeyError:                     # through the bus
            return False
        self.audit.append(AuditAction.FAULT_CLEARED, s.staff_no, {"printer": printer})
        return True

    def reprintable(self) -> list:
        """The jobs this staff member may reprint now (kiosk.ports / printing.service
        `ReprintCandidate`s): receipts within the window; a personal A4 document only while
        attending the citizen whose session printed it (its content is still in memory)."""
        s = self.session
        printer = self.core.printer
        if s is None or not may(s.account, Permission.REPRINT) or printer is None:
            return []
        since = utcnow() - self.reprint_window
        return printer.reprintable(since=since, personal=s.attending)

    def reprint(self, job_id: str) -> str | None:
        """Reprint one of `reprintable()` marked 补打 (audited); the new job's id."""
        s = self.session
        allowed = {c.id: c for c in self.reprintable()}
        if s is None or job_id not in allowed:
            return None
        new_id = self.core.printer.reprint(job_id)
        c = allowed[job_id]
        self.audit.append(AuditAction.REPRINT, s.staff_no, {
            "job": job_id, "new_job": new_id, "kind": c.kind, "personal": c.personal})
        return new_id
