"""Settings pushed by the backend (the heartbeat's `new_config` command).

They are kept apart from the technician's file, in `<data_dir>/backend-config.toml`, and laid
over it at start; the technician's file is never rewritten remotely. A pushed update is
validated against the whole schema (file + earlier updates + this one) before anything is
written, so a bad push changes nothing. `paths` cannot be pushed (it decides where the overlay
itself lives). The kiosk restarts at its next idle moment to apply it (exit code 75; the
supervisor starts it again).

A push's life (`PushedConfig`, docs/decisions/0036): *accepted* once checked and written (the
overlay before it kept as ``backend-config.toml.previous``, a pending record naming the command
and the profile's hash); *applied* when the restarted kiosk is up (READY) and runs it: the
heartbeat's `config_hash` says so. A kiosk that starts again before it was ever up with the
pushed settings (a crash or a kill on the way up), whose settings no longer load, or that crashes
within `PROBATION_S` of coming up with them, rolls the overlay back to the previous one and
reports the command *failed* with why: a crash loop never keeps a bad profile. The outcome is
kept in a file until a heartbeat carried it.
"""

from __future__ import annotations

import json
import logging
import os
import time
import tomllib
from pathlib import Path
from typing import Any

from kiosk import paths
from kiosk.config import ConfigError, TerminalConfig, load_config, parse_config
from kiosk.datadir import private_dir, write_private

log = logging.getLogger("kiosk.config")
OVERLAY_NAME = "backend-config.toml"
PREVIOUS_NAME = OVERLAY_NAME + ".previous"
PENDING_NAME = "backend-config.pending.json"   # the push accepted, not yet proven
RUNNING_NAME = "backend-config.running.json"   # the hash of the push the kiosk runs
OUTCOMES_NAME = "backend-config.outcomes.json"  # results not yet carried by a heartbeat
PROBATION_S = 600.0  # a crash this soon after coming up with a push rolls it back
EXIT_RESTART = 75


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def overlay_path(config: TerminalConfig) -> Path:
    return paths.data_dir(config) / OVERLAY_NAME


def load_terminal_config(path: Path | str, *, cached: bool = False) -> TerminalConfig:
    """The technician's file with the backend's pushed settings laid over it. A broken overlay
    is logged and ignored: the terminal still starts on the technician's settings. `cached`:
    the start's, validated once while neither changes (kiosk.config_cache)."""
    config = load_config(path, cached=cached)
    overlay = overlay_path(config)
    try:
        extra = _read_toml(overlay)
        if not extra:
            return config
        return parse_config(_merge(_read_toml(Path(path)), extra), str(path), cached=cached)
    except (OSError, tomllib.TOMLDecodeError, ConfigError) as exc:
        log.error("ignoring pushed settings in %s: %s", overlay, exc)
        return config


def check_config_update(config: TerminalConfig,
                        payload: dict[str, Any]) -> tuple[TerminalConfig, dict[str, Any]]:
    """What a pushed update would make of this terminal's settings, nothing written: the
    config after restart and the overlay to keep. Raises ConfigError if it would be invalid
    (the sync worker reports that to the fleet view before acknowledging the command)."""
    if not config.source or config.source.startswith("<"):
        raise ConfigError(config.source, ["this terminal was started without a config file"])
    if "paths" in payload:
        raise ConfigError(config.source, ["key 'paths': cannot be changed remotely"])
    merged_overlay = _merge(_read_toml(overlay_path(config)), payload)
    result = parse_config(_merge(_read_toml(Path(config.source)), merged_overlay), config.source)
    return result, merged_overlay


def apply_config_update(config: TerminalConfig, payload: dict[str, Any],
                        command_id: int | None = None) -> TerminalConfig:
    """Validate and keep a pushed update (`PushedConfig.accept`); returns the config the kiosk
    will run after restart. Raises ConfigError (nothing written) if the result would be
    invalid."""
    return PushedConfig(overlay_path(config).parent).accept(config, payload, command_id)


class PushedConfig:
    """The life of pushed profiles in the data folder (module docstring). Qt-free; its methods
    are called from the sync thread (`accept`), at start before the config is loaded
    (`settle`), once the window is up (`started`), from the crash handler (`crashed`) and from
    the heartbeat (`config_hash`, `results`, `sent`). Each file is written atomically; a lock
    keeps the threads apart."""

    def __init__(self, data_dir: Path | str, clock=time.time):
        import threading

        self.dir = Path(data_dir)
        self.clock = clock
        self._lock = threading.RLock()

    # -- files -------------------------------------------------------------------------------
    def _read(self, name: str, default: Any) -> Any:
        try:
            return json.loads((self.dir / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return default
        except (OSError, ValueError):
            log.error("unreadable %s: ignored", name)
            return default

    def _write(self, name: str, value: Any) -> None:
        private_dir(self.dir)
        write_private(self.dir / name, json.dumps(value, ensure_ascii=False, sort_keys=True))

    def _remove(self, name: str) -> None:
        try:
            (self.dir / name).unlink()
        except FileNotFoundError:
            pass

    def _outcome(self, command_id: int | None, ok: bool, stage: str = "",
                 message: str = "") -> None:
        if not command_id:
            return
        outcomes = [o for o in self.results() if o.get("id") != command_id]
        outcomes.append({"id": int(command_id), "ok": ok, "stage": stage,
                         "message": message[:200]})
        self._write(OUTCOMES_NAME, outcomes[-50:])

    # -- the heartbeat's side ------------------------------------------------------------------
    def config_hash(self) -> str:
        """The hash of the pushed profile this kiosk runs ("" none)."""
        with self._lock:
            return str(self._read(RUNNING_NAME, {}).get("hash", ""))

    def pending(self) -> dict | None:
        with self._lock:
            return self._read(PENDING_NAME, None)

    def results(self) -> list[dict]:
        """Outcomes to send: {id, ok, stage, message}."""
        with self._lock:
            outcomes = self._read(OUTCOMES_NAME, [])
            return [o for o in outcomes if isinstance(o, dict)] \
                if isinstance(outcomes, list) else []

    def sent(self, ids) -> None:
        """A heartbeat carried these outcomes: forget them."""
        ids = set(ids)
        with self._lock:
            left = [o for o in self.results() if o.get("id") not in ids]
            if left:
                self._write(OUTCOMES_NAME, left)
            else:
                self._remove(OUTCOMES_NAME)

    # -- a push arrives (the sync thread) -----------------------------------------------------
    def accept(self, config: TerminalConfig, payload: dict[str, Any],
               command_id: int | None = None) -> TerminalConfig:
        """Check and keep a push (raises ConfigError, nothing written, if it would be invalid);
        the overlay it replaces is kept as the previous one unless an earlier push is still
        pending (then the one the kiosk runs stays the previous), and the earlier push is
        reported superseded."""
        from protocol import profile_hash

        with self._lock:
            result, merged_overlay = check_config_update(config, payload)
            overlay = self.dir / OVERLAY_NAME
            pending = self._read(PENDING_NAME, None)
            if pending is not None and pending.get("up_at") is not None:
                pending = None  # it runs (on probation): the one the new push replaces
            if pending is None:
                had_previous = overlay.exists()
                if had_previous:
                    private_dir(self.dir)
                    write_private(self.dir / PREVIOUS_NAME, overlay.read_bytes())
                else:
                    self._remove(PREVIOUS_NAME)
                previous_hash = self.config_hash()
            else:
                had_previous = bool(pending.get("had_previous"))
                previous_hash = str(pending.get("previous_hash", ""))
                if pending.get("command_id") != command_id:
                    self._outcome(pending.get("command_id"), False,
                                  message="superseded by a newer profile before it was applied")
            import tomli_w  # only when the backend pushes settings

            private_dir(self.dir)
            write_private(overlay, tomli_w.dumps(merged_overlay))  # atomic, 0600
            self._write(PENDING_NAME, {
                "command_id": command_id, "hash": profile_hash(payload), "starts": 0,
                "had_previous": had_previous, "previous_hash": previous_hash,
                "accepted_at": self.clock(), "up_at": None})
            log.info("pushed settings accepted (command %s): %s", command_id,
                     ", ".join(sorted(payload)))
            return result

    # -- start, up, crash ------------------------------------------------------------------------
    def settle(self, technician_file: Path | str | None = None) -> str:
        """At start, before the config is loaded. Returns what happened: "" (nothing pending),
        "trying" (this start runs the push for the first time), "rolled_back", "kept" (its
        probation ended without a crash)."""
        with self._lock:
            pending = self._read(PENDING_NAME, None)
            if pending is None:
                return ""
            if pending.get("up_at") is not None:
                if self.clock() - float(pending["up_at"]) >= PROBATION_S:
                    self._remove(PENDING_NAME)
                    self._remove(PREVIOUS_NAME)
                    return "kept"
                # restarted during its probation without a crash recorded (a restart command,
                # nightly, power): it proved itself up once; keep watching until it ends
                return "trying"
            if int(pending.get("starts", 0)) >= 1:
                self.rollback("the terminal did not come up with it (it restarted on the way "
                              "up); previous settings restored")
                return "rolled_back"
            if technician_file is not None:
                try:
                    _merged_config(Path(technician_file), self.dir / OVERLAY_NAME)
                except (OSError, tomllib.TOMLDecodeError, ConfigError) as exc:
                    why = "; ".join(getattr(exc, "problems", None) or [str(exc)])
                    self.rollback(f"settings do not load: {why}")
                    return "rolled_back"
            pending["starts"] = int(pending.get("starts", 0)) + 1
            self._write(PENDING_NAME, pending)
            return "trying"

    def started(self) -> bool:
        """The kiosk is up (window shown, devices probed) with the pending push: it runs it
        now (reported applied); a crash within the probation still rolls it back."""
        with self._lock:
            pending = self._read(PENDING_NAME, None)
            if pending is None or pending.get("up_at") is not None or not pending.get("starts"):
                return False  # nothing new this start (a push accepted in this run waits)
            pending["up_at"] = self.clock()
            self._write(PENDING_NAME, pending)
            self._write(RUNNING_NAME, {"hash": pending.get("hash", ""),
                                       "command_id": pending.get("command_id")})
            self._outcome(pending.get("command_id"), True, "applied")
            log.info("pushed settings applied (command %s)", pending.get("command_id"))
            return True

    def crashed(self) -> bool:
        """A crash: if it came within the probation of a push (or before the kiosk was up
        with one this start), the push is rolled back; True then (restart, do not stay in a
        crash loop)."""
        with self._lock:
            pending = self._read(PENDING_NAME, None)
            if pending is None or not pending.get("starts"):
                return False
            up_at = pending.get("up_at")
            if up_at is None:
                why = "the terminal crashed while starting with it"
            elif self.clock() - float(up_at) < PROBATION_S:
                why = f"the terminal crashed {int(self.clock() - float(up_at))} s after " \
                      "starting with it"
            else:
                return False
            self.rollback(why + "; previous settings restored")
            return True

    def rollback(self, why: str) -> None:
        """The pending push undone: the previous overlay back (or none), the running hash as
        before, the command reported failed with why."""
        with self._lock:
            pending = self._read(PENDING_NAME, None)
            if pending is None:
                return
            overlay, previous = self.dir / OVERLAY_NAME, self.dir / PREVIOUS_NAME
            if pending.get("had_previous") and previous.exists():
                os.replace(previous, overlay)
            else:
                self._remove(OVERLAY_NAME)
            self._write(RUNNING_NAME, {"hash": pending.get("previous_hash", "")})
            self._outcome(pending.get("command_id"), False, message=why)
            self._remove(PENDING_NAME)
            log.error("pushed settings (command %s) rolled back: %s",
                      pending.get("command_id"), why)


def _merged_config(technician_file: Path, overlay: Path) -> TerminalConfig:
    """The technician's file with this overlay over it, as the kiosk will load it (raises)."""
    extra = _read_toml(overlay)
    return parse_config(_merge(_read_toml(technician_file), extra), str(technician_file))
