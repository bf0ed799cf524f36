"""The technician's maintenance panel (issue 13, part 1), Qt-free: who may enter and when, the
configuration editor over the typed schema, the counters with their audited reset, and the log
export to a USB stick. The diagnostics are in `kiosk.maintenance_checks`; the screens in
`screens.maintenance` only render this and send it intents (docs/decisions/0029).

- Entry (`MaintenanceDesk.enter`): after the existing staff login (badge or number + PIN, with
  its lockout), only a role with `Permission.MAINTAIN` enters. With a citizen at the terminal
  the entry is refused and maintenance is *requested*: the terminal goes into maintenance as
  soon as the citizen's session ends (`KioskCore.set_maintenance`).
- Configuration (`ConfigEditor`): every option of `kiosk.config.documented_options` with its
  description, default, current value and the control it needs; a change is validated against
  the whole file with the same messages as `kiosk config validate` (`parse_config` and
  `paths.environment_problems`); the diff is shown before saving; the save is atomic and keeps
  the previous file as ``<file>.previous`` (rollback); options pushed by the backend
  (`kiosk.config_update`'s overlay) are locked. A clean restart (exit 75) applies it.
- Counters (`Counters`): sessions, prints per printer, paper used since the last paper change,
  errors; kept in the store's ``sync_state`` (written off the UI thread).
- Log export (`export_logs`): the log files, the audit chain and the counters, with ID numbers
  and phone numbers masked, each written under a temporary name and renamed when complete,
  the ``SHA256SUMS`` manifest last: a stick pulled mid-export leaves no file claimed complete.

Every action goes to the hash-chained audit log (`AuditAction.MAINTENANCE`, detail.op).
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kiosk.config import (
    ConfigError,
    TerminalConfig,
    as_dict,
    documented_options,
    option_annotation,
    option_default,
    parse_config,
)
from kiosk.datadir import fsync_dir, write_atomic
from protocol.staff import AuditAction

log = logging.getLogger("kiosk.maintenance")

PREVIOUS_SUFFIX = ".previous"
EXIT_RESTART = 75  # kiosk.config_update / kiosk.nightly: the supervisor starts the kiosk again


# --------------------------------------------------------------------------------------------
# Entry


class EntryOutcome(enum.StrEnum):
    OPEN = "open"              # in maintenance now
    DEFERRED = "deferred"      # a citizen is being served: maintenance once they are done
    NOT_ALLOWED = "not_allowed"  # this role may not maintain the terminal
    NO_STAFF = "no_staff"      # nobody logged in


class MaintenanceDesk:
    """The technician's side of the core (`KioskCore.maintenance`). `core` gives the citizen's
    session, the terminal state, `set_maintenance`, and the staff desk (`core.staff`)."""

    def __init__(self, core: Any, audit: Any):
        self.core = core
        self.audit = audit
        self.staff_no = ""  # the technician inside the panel ("" when closed)

    @property
    def open(self) -> bool:
        return bool(self.staff_no)

    def record(self, op: str, **detail: Any) -> None:
        """One audit entry for a technician's action (no personal data: check_detail)."""
        from kiosk.privacy import PersonalDataError

        staff_no = self.staff_no or self._current_staff()
        try:
            self.audit.append(AuditAction.MAINTENANCE, staff_no, {"op": op, **detail})
        except PersonalDataError:  # (a value that looks like an ID number): the op, not it
            self.audit.append(AuditAction.MAINTENANCE, staff_no, {"op": op, "redacted": True})

    def _current_staff(self) -> str:
        desk = self.core.staff
        return desk.session.staff_no if desk is not None and desk.session is not None else ""

    def enter(self) -> EntryOutcome:
        """The logged-in staff member asks for the panel."""
        from kiosk.staff import Permission
        from kiosk.terminal import OutSource, TerminalState

        desk = self.core.staff
        if desk is None or desk.session is None:
            return EntryOutcome.NO_STAFF
        staff_no = desk.session.staff_no
        if not desk.may(Permission.MAINTAIN):
            self.audit.append(AuditAction.MAINTENANCE, staff_no,
                              {"op": "enter", "refused": "role", "role": str(desk.session.account.role)})
            return EntryOutcome.NOT_ALLOWED
        core = self.core
        if core.session.started or core.terminal.state in (TerminalState.ACTIVE,
                                                           TerminalState.ATTENDED):
            # never in the middle of a citizen's session: maintenance once they are done
            core.set_maintenance(True, OutSource.TECHNICIAN, staff_no)
            self.audit.append(AuditAction.MAINTENANCE, staff_no,
                              {"op": "enter", "refused": "citizen_session", "deferred": True})
            return EntryOutcome.DEFERRED
        core.set_maintenance(True, OutSource.TECHNICIAN, staff_no)
        self.staff_no = staff_no
        self.record("enter")
        return EntryOutcome.OPEN

    def enrol(self, code: str) -> tuple[bool, str]:
        """Enrol (or re-enrol) with a one-time code from the fleet console, through the sync
        worker's enrolment (`kiosk sync enrol`'s logic: the credential kept in
        `<data_dir>/credential`). Blocking (HTTP): run it off the UI thread. Returns (ok,
        reason code); the code itself is never logged or audited."""
        from kiosk.sync.adapter import BackendRejected, BackendUnavailable

        code = code.strip()
        sync = self.core.services.sync
        worker = getattr(sync, "worker", None)
        if worker is None:
            return False, "sync_off"
        if not code:
            return False, "empty"
        again = bool(getattr(worker.adapter, "credential", None))
        try:
            worker.enrol(code)
        except BackendRejected as exc:
            reason = str(exc.code)
        except BackendUnavailable:
            reason = "unreachable"
        except OSError:
            reason = "credential_not_written"
        else:
            self.record("enrol", re_enrol=again, ok=True)
            return True, ""
        self.record("enrol", re_enrol=again, ok=False, reason=reason)
        return False, reason

    def leave(self, *, back_in_service: bool = True) -> None:
        from kiosk.terminal import OutSource

        if not self.open:
            return
        self.record("leave", back_in_service=back_in_service)
        staff_no, self.staff_no = self.staff_no, ""
        if back_in_service:
            # lifts the technician's reason only: a console lock or maintenance stays
            self.core.set_maintenance(False, OutSource.TECHNICIAN, staff_no)


# --------------------------------------------------------------------------------------------
# Configuration


class Control(enum.StrEnum):
    SWITCH = "switch"     # bool
    NUMBER = "number"     # int / float: the number pad
    CHOICE = "choice"     # an enum: a list of choices
    TEXT = "text"         # a string: the keyboard
    TOML = "toml"         # a list or a table: typed as a TOML value on the keyboard


@dataclass(frozen=True)
class Option:
    key: str            # dotted, "session.idle_timeout_s"
    description: str
    default: Any
    value: Any          # the value in force (file + pushed settings)
    control: Control
    choices: tuple[str, ...] = ()
    integer: bool = False
    locked: bool = False  # set centrally (a profile pushed by the backend)

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]




def _control(annotation: Any) -> tuple[Control, tuple[str, ...], bool]:
    import typing

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _control(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return Control.CHOICE, tuple(str(a) for a in typing.get_args(annotation)), False
    if annotation is bool:
        return Control.SWITCH, (), False
    if annotation is int:
        return Control.NUMBER, (), True
    if annotation is float:
        return Control.NUMBER, (), False
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Control.CHOICE, tuple(str(m.value) for m in annotation), False
    if annotation is str:
        return Control.TEXT, (), False
    return Control.TOML, (), False


def _get(data: dict[str, Any], key: str, default: Any = None) -> Any:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _unset(data: dict[str, Any], key: str) -> None:
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        node = node.get(part)
        if not isinstance(node, dict):
            return
    node.pop(parts[-1], None)


def _plain(value: Any) -> Any:
    """A config value as TOML would hold it (enums as their value)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def show_value(value: Any) -> str:
    """A value as the panel and the diff show it (TOML literal form)."""
    value = _plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, dict)):
        import tomli_w

        return tomli_w.dumps({"v": value}).strip().removeprefix("v = ")
    return str(value)


@dataclass(frozen=True)
class Change:
    key: str
    old: Any
    new: Any


class ConfigEditor:
    """Edits the technician's file (`config.source`). Pushed settings live apart, in the
    overlay (`kiosk.config_update`), and are shown locked: the panel never rewrites them."""

    def __init__(self, config: TerminalConfig, *, environment: Callable[[TerminalConfig], list[str]]
                 | None = None):
        from kiosk import paths
        from kiosk.config_update import overlay_path

        if not config.source or config.source.startswith("<"):
            raise ConfigError(config.source or "<config>",
                              ["this terminal was started without a config file"])
        self.path = Path(config.source)
        self.overlay = overlay_path(config)
        self.environment = environment or paths.environment_problems
        self.pending: dict[str, Any] = {}
        self.reload()

    def reload(self) -> None:
        self.file_data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        try:
            self.overlay_data = tomllib.loads(self.overlay.read_text(encoding="utf-8")) \
                if self.overlay.exists() else {}
        except (OSError, tomllib.TOMLDecodeError):
            self.overlay_data = {}  # (load_terminal_config ignores a broken overlay too)
        self.pending = {}

    # -- what is there -------------------------------------------------------------------------
    def locked(self, key: str) -> bool:
        return _get(self.overlay_data, key, _MISSING) is not _MISSING or key.startswith("paths.")

    def options(self) -> list[Option]:
        from kiosk.config_update import _merge

        current = parse_config(_merge(self.file_data, self.overlay_data), str(self.path))
        dumped = as_dict(current)
        out = []
        for key, description, default in documented_options():
            control, choices, integer = _control(option_annotation(key))
            value = self.pending.get(key, _get(dumped, key))
            out.append(Option(key, description, _plain(default), value, control, choices,
                              integer, self.locked(key)))
        return out

    def option(self, key: str) -> Option:
        for o in self.options():
            if o.key == key:
                return o
        raise KeyError(key)

    # -- editing -------------------------------------------------------------------------------
    @staticmethod
    def parse(option: Option, text: str) -> Any:
        """What the technician typed, as the option's type; ValueError with a message."""
        text = text.strip()
        if option.control is Control.SWITCH:
            if text.lower() in ("true", "1", "on", "yes"):
                return True
            if text.lower() in ("false", "0", "off", "no"):
                return False
            raise ValueError(f"key '{option.key}': expected true or false")
        if option.control is Control.NUMBER:
            try:
                return int(text) if option.integer else float(text)
            except ValueError:
                kind = "int" if option.integer else "float"
                raise ValueError(f"key '{option.key}': wrong type, expected {kind} "
                                 f"(got str {text!r})") from None
        if option.control is Control.TOML:
            try:
                return tomllib.loads(f"v = {text}")["v"]
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"key '{option.key}': not a TOML value: {exc}") from None
        return text

    def problems(self, key: str, value: Any) -> list[str]:
        """The messages `kiosk config validate` would print for the file with this change (and
        the changes already pending); [] if it is valid."""
        if self.locked(key):
            return [f"{self.path}: key '{key}': set centrally, cannot be changed here"]
        data = self._with({**self.pending, key: value})
        return self._validate(data)

    def _validate(self, data: dict[str, Any]) -> list[str]:
        from kiosk.config_update import _merge

        try:
            config = parse_config(_merge(data, self.overlay_data), str(self.path))
        except ConfigError as exc:
            return list(exc.problems)
        return list(self.environment(config))

    def set(self, key: str, value: Any) -> list[str]:
        """Stage a change if it is valid; returns the problems (nothing staged then)."""
        problems = self.problems(key, value)
        if problems:
            return problems
        default = _plain(option_default(key))
        current = _get(self.file_data, key, _MISSING)
        if (current is _MISSING and value == default) or current == value:
            self.pending.pop(key, None)
        else:
            self.pending[key] = value
        return []

    def _with(self, changes: dict[str, Any]) -> dict[str, Any]:
        data = tomllib.loads(_toml(self.file_data))  # a deep copy with TOML's types
        for key, value in changes.items():
            _set(data, key, value)
        return data

    def diff(self) -> list[Change]:
        out = []
        for key, new in sorted(self.pending.items()):
            old = _get(self.file_data, key, _MISSING)
            if old is _MISSING:
                old = _plain(option_default(key))
            out.append(Change(key, old, new))
        return out

    # -- saving --------------------------------------------------------------------------------
    def save(self) -> list[Change]:
        """Write the file with the pending changes atomically, the previous file kept as
        ``<file>.previous``; returns what changed. Raises ConfigError if the result would be
        invalid (nothing written)."""
        changes = self.diff()
        if not changes:
            return []
        data = self._with(self.pending)
        problems = self._validate(data)
        if problems:
            raise ConfigError(self.path, problems)
        old = self.path.read_bytes()
        _atomic_write(self.previous_path, old)
        _atomic_write(self.path, _toml(data).encode("utf-8"))
        log.info("config %s saved: %s", self.path, ", ".join(c.key for c in changes))
        self.reload()
        return changes

    @property
    def previous_path(self) -> Path:
        return self.path.with_name(self.path.name + PREVIOUS_SUFFIX)

    def can_roll_back(self) -> bool:
        return self.previous_path.exists()

    def rollback(self) -> None:
        """Put the previous file back (atomically); the current one becomes the previous, so a
        rollback can itself be undone."""
        prev = self.previous_path.read_bytes()
        cur = self.path.read_bytes()
        _atomic_write(self.path, prev)
        _atomic_write(self.previous_path, cur)
        log.info("config %s rolled back", self.path)
        self.reload()


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _toml(data: dict[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps(data)


def _atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` atomically keeping its mode (a config file is readable by the kiosk's
    user and root; kiosk.datadir.write_private would make it 0600)."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o600
    write_atomic(path, data, mode)


# --------------------------------------------------------------------------------------------
# Counters

COUNTERS_KEY = "maintenance.counters"
COUNTER_NAMES = ("sessions", "prints_receipt", "prints_document", "paper_receipt",
                 "paper_document", "errors")


class Counters:
    """Sessions, prints, paper used since the last paper change, errors. In memory, read from
    the store's ``sync_state`` at start; each change persisted through `persist(work)` (the
    outbox writer's thread in the app, inline in tests)."""

    def __init__(self, store: Any, *, persist: Callable[[Callable[[], None]], None] | None = None,
                 now: Callable[[], datetime] | None = None):
        self.store = store
        self.persist = persist or (lambda work: work())
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.values: dict[str, Any] = {name: 0 for name in COUNTER_NAMES}
        self.values["paper_changed_at"] = {}
        with store.read() as c:
            row = c.execute("SELECT value FROM sync_state WHERE key = ?",
                            (COUNTERS_KEY,)).fetchone()
        if row:
            try:
                self.values.update(json.loads(row[0]))
            except ValueError:
                log.warning("counters unreadable: starting from zero")

    def snapshot(self) -> dict[str, Any]:
        return json.loads(json.dumps(self.values))

    def _save(self) -> None:
        self._dirty = False
        text = json.dumps(self.values, sort_keys=True)
        store = self.store

        def save_counters() -> None:
            from kiosk.store.models import SyncState

            with store.session() as s:
                s.merge(SyncState(key=COUNTERS_KEY, value=text))

        self.persist(save_counters)

    def add(self, name: str, n: int = 1, *, save: bool = True) -> None:
        """`save=False`: kept in memory until the next `save()` (a session's start: the ORM is
        not loaded on the way to the home screen, tests/test_startup.py)."""
        if name not in COUNTER_NAMES:
            raise KeyError(name)
        self.values[name] = int(self.values.get(name, 0)) + n
        self._dirty = True
        if save:
            self._save()

    def save(self) -> None:
        """Persist what `add(save=False)` left in memory."""
        if getattr(self, "_dirty", False):
            self._save()

    def job_done(self, job_id: str) -> None:
        """A print job finished: counted by its printer (read from the journal)."""
        with self.store.read() as c:
            row = c.execute("SELECT printer FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            return
        which = "document" if row[0] == "document" else "receipt"
        self.values[f"prints_{which}"] = int(self.values.get(f"prints_{which}", 0)) + 1
        self.values[f"paper_{which}"] = int(self.values.get(f"paper_{which}", 0)) + 1
        self._save()

    def paper_changed(self, printer: str) -> int:
        """Paper refilled: that printer's paper counter to zero. Returns the count it had (for
        the audit entry, written by the caller)."""
        key = f"paper_{'document' if printer == 'document' else 'receipt'}"
        before = int(self.values.get(key, 0))
        self.values[key] = 0
        self.values.setdefault("paper_changed_at", {})[printer] = self.now().isoformat()
        self._save()
        return before


# --------------------------------------------------------------------------------------------
# Log export

MANIFEST = "SHA256SUMS"
PARTIAL = ".partial"
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def redact(text: str) -> str:
    """ID numbers masked as on screen (3201**********1234), mobile numbers as 138****5678."""
    from kiosk.privacy import ID_NUMBER
    from protocol import mask_id_number

    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group(1)), text)
    return _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


_NAME_KEYS = ("name", "holder", "citizen_name")


def _redact_json_line(line: str) -> str:
    """A JSON log line: name fields masked too (the log never should hold them; belt and
    braces), then the text rules."""
    try:
        record = json.loads(line)
    except ValueError:
        return redact(line)
    if isinstance(record, dict):
        from protocol import mask_name

        for key in _NAME_KEYS:
            if isinstance(record.get(key), str):
                record[key] = mask_name(record[key])
        line = json.dumps(record, ensure_ascii=False)
    return redact(line)


@dataclass
class ExportResult:
    folder: Path
    files: list[str] = field(default_factory=list)
    bytes: int = 0
    complete: bool = False
    error: str = ""


def export_logs(dest: Path, *, terminal_id: str, sources: Iterable[tuple[str, Path]],
                extras: Iterable[tuple[str, str]] = (), now: datetime | None = None,
                open_file: Callable[[Path], Any] | None = None) -> ExportResult:
    """Export into a new folder on the stick (`dest`, a mounted folder): each source file
    (name in the export, path) and each extra (name, text) redacted line by line, written as
    ``name.partial`` then renamed once fsynced; ``SHA256SUMS`` last, the same way. A failure
    (the stick pulled: OSError) stops the export: files already complete stay, the manifest is
    not written, so nothing partial is claimed complete. `open_file(path)` is the binary
    writer (tests put a failing one in)."""
    now = now or datetime.now(timezone.utc)
    safe_id = re.sub(r"[^0-9A-Za-z_-]", "_", terminal_id)[:40] or "terminal"
    folder = Path(dest) / f"kiosk-logs-{safe_id}-{now:%Y%m%dT%H%M%SZ}"
    n = 1
    while folder.exists() and n < 100:  # a second export within the same second
        n += 1
        folder = Path(dest) / f"kiosk-logs-{safe_id}-{now:%Y%m%dT%H%M%SZ}-{n}"
    result = ExportResult(folder)
    opener = open_file or (lambda path: open(path, "xb"))
    sums: list[tuple[str, str]] = []

    def write(name: str, lines: Iterable[str]) -> None:
        final = folder / name
        tmp = folder / (name + PARTIAL)
        digest = hashlib.sha256()
        size = 0
        with opener(tmp) as fh:
            for line in lines:
                raw = line.encode("utf-8")
                digest.update(raw)
                size += len(raw)
                fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        sums.append((digest.hexdigest(), name))
        result.files.append(name)
        result.bytes += size

    try:
        folder.mkdir(parents=True, exist_ok=False)
        for name, path in sources:
            try:
                src = path.open(encoding="utf-8", errors="replace")
            except OSError as exc:
                log.warning("log export: %s unreadable: %s", path, exc)
                continue
            with src:
                write(name, (_redact_json_line(line.rstrip("\n")) + "\n" for line in src))
        for name, text in extras:
            write(name, (redact(line) + "\n" for line in text.splitlines()))
        manifest = "".join(f"{digest}  {name}\n" for digest, name in sums)
        write(MANIFEST, [manifest])
        fsync_dir(folder)
        result.complete = True
    except OSError as exc:
        result.error = exc.strerror or str(exc)
        log.error("log export to %s failed: %s", folder, result.error)
    return result


def verify_export(folder: Path) -> list[str]:
    """Problems with an export ([] if it is complete and every file matches the manifest)."""
    manifest = folder / MANIFEST
    if not manifest.exists():
        return ["no manifest: the export is not complete"]
    problems = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        path = folder / name
        if not path.exists():
            problems.append(f"{name}: missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{name}: checksum differs")
    return problems


def log_sources(log_dir: Path | None) -> list[tuple[str, Path]]:
    """The kiosk's log files (kiosk.log and its rotations), oldest first."""
    if log_dir is None or not Path(log_dir).is_dir():
        return []
    files = sorted(Path(log_dir).glob("kiosk.log*"), key=lambda p: p.name, reverse=True)
    return [(p.name, p) for p in files if p.is_file()]


def paper_report(store: Any, receipt_status: Callable[[], Any], roll_receipts: int = 0, *,
                 printer: str = "receipt"):
    """What the heartbeat says of a printer's paper (protocol.PaperReport, fleet view): the
    level from the printer's own sensor, the receipts (or A4 jobs, `printer="document"`)
    printed since the paper was changed (the counters as last saved), what is left if the
    roll's (tray's) capacity is configured. Read on the sync thread; None if nothing is
    known."""
    from protocol import PaperLevel

    key = "paper_document" if printer == "document" else "paper_receipt"

    def report():
        from protocol import PaperReport  # pydantic: on the sync thread, not at start

        with store.read() as c:
            row = c.execute("SELECT value FROM sync_state WHERE key = ?",
                            (COUNTERS_KEY,)).fetchone()
        try:
            used = int(json.loads(row[0]).get(key, 0)) if row else 0
        except (ValueError, TypeError, AttributeError):
            used = 0
        status = receipt_status()
        reason = str(getattr(status, "reason", "") or "")
        level = PaperLevel.OUT if reason == "paper_out" else \
            PaperLevel.LOW if reason == "paper_near_end" else PaperLevel.OK
        if status is None and not used:
            return None
        left = max(0, roll_receipts - used) if roll_receipts else None
        if level is PaperLevel.OUT:
            left = 0
        return PaperReport(level=level, sheets_left=left, printed_total=used)

    return report
