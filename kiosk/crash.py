"""Crashes: written down without personal data, shown to nobody as a traceback, counted.

`CrashRecorder` keeps one JSON file per crash in ``<data_dir>/crashes`` (0600): when, where
(thread, exception type, the stack's file:line:function) — never the exception's message or a
local variable, which may hold an ID number or a name. `faulthandler` writes a hard crash
(a segfault in Qt, an abort) of the Python stacks into ``fatal.log`` there; the next start turns
it into a crash record. `install` makes every uncaught exception, in a slot or a thread, a
recorded crash followed by the caller's `on_crash` (the app: the out-of-service screen, then
exit non-zero so systemd restarts it). Three crashes within ten minutes are a crash loop: the
app then stays on its out-of-service screen instead of flapping. See docs/decisions/0025.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from kiosk import __version__
from kiosk.datadir import private_dir, private_opener

log = logging.getLogger("kiosk.crash")

LOOP_COUNT, LOOP_WINDOW_S = 3, 600
KEEP_FILES = 50
FATAL_LOG = "fatal.log"


def _frames(tb: TracebackType | None) -> list[dict]:
    return [{"file": Path(f.filename).name, "line": f.lineno or 0, "function": f.name}
            for f in traceback.extract_tb(tb)][-30:]


class CrashRecorder:
    def __init__(self, folder: Path | str, *, clock: Callable[[], float] = time.time):
        self.folder = Path(folder)
        self.clock = clock
        self._fatal = None
        self._lock = threading.Lock()

    # -- writing -------------------------------------------------------------------------------
    def record(self, exc_type: type[BaseException] | None, tb: TracebackType | None = None, *,
               thread: str = "", kind: str = "exception", frames: list[dict] | None = None) -> Path:
        now = self.clock()
        entry = {
            "at": datetime.fromtimestamp(now, timezone.utc).isoformat(),
            "t": now, "kind": kind, "version": __version__, "thread": thread,
            "type": getattr(exc_type, "__name__", str(exc_type or "")),
            "frames": frames if frames is not None else _frames(tb),
            "reported": False,
        }
        with self._lock:
            private_dir(self.folder)
            path = self.folder / f"crash-{int(now * 1000):015d}-{uuid.uuid4().hex[:8]}.json"
            with open(path, "w", encoding="utf-8", opener=private_opener) as fh:
                json.dump(entry, fh, ensure_ascii=False)
            self._prune()
        return path

    def _prune(self) -> None:
        files = sorted(self.folder.glob("crash-*.json"))
        for f in files[:-KEEP_FILES]:
            f.unlink(missing_ok=True)

    def enable_faulthandler(self) -> None:
        """Python stacks of a hard crash (SIGSEGV, SIGABRT, ...) into fatal.log; none of the
        program's data is written, only file names, lines and function names."""
        private_dir(self.folder)
        self._fatal = open(self.folder / FATAL_LOG, "a", encoding="utf-8", opener=private_opener)
        faulthandler.enable(self._fatal, all_threads=True)

    def collect_fatal(self) -> Path | None:
        """A hard crash of the last run (fatal.log not empty) as a crash record; emptied."""
        fatal = self.folder / FATAL_LOG
        try:
            text = fatal.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        if not text.strip():
            return None
        frames = []
        for line in text.splitlines():
            line = line.strip()
            if line.startswith('File "'):  # File "x.py", line 12 in name
                try:
                    name, rest = line[6:].split('", line ', 1)
                    number, _, function = rest.partition(" in ")
                    frames.append({"file": Path(name).name, "line": int(number),
                                   "function": function})
                except ValueError:
                    continue
        signal_line = next((ln for ln in text.splitlines() if "Fatal Python error" in ln), "")
        kind = signal_line.split(":", 1)[1].strip() if ":" in signal_line else "fatal"
        path = self.record(None, kind="fatal", frames=frames[-30:], thread="")
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["type"] = kind[:80]
        with open(path, "w", encoding="utf-8", opener=private_opener) as fh:
            json.dump(entry, fh, ensure_ascii=False)
        with open(fatal, "w", encoding="utf-8", opener=private_opener):
            pass
        return path

    def close(self) -> None:
        if self._fatal is not None:
            faulthandler.disable()
            self._fatal.close()
            self._fatal = None

    # -- reading -------------------------------------------------------------------------------
    def entries(self) -> list[dict]:
        out = []
        for f in sorted(self.folder.glob("crash-*.json")):
            try:
                entry = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            entry["_path"] = str(f)
            out.append(entry)
        return out

    def recent(self, window_s: float = LOOP_WINDOW_S) -> list[dict]:
        cutoff = self.clock() - window_s
        return [e for e in self.entries() if e.get("t", 0) >= cutoff]

    def in_loop(self, count: int = LOOP_COUNT, window_s: float = LOOP_WINDOW_S) -> bool:
        return len(self.recent(window_s)) >= count

    def unreported(self) -> list[dict]:
        return [e for e in self.entries() if not e.get("reported")]

    def mark_reported(self, entries: list[dict]) -> None:
        for e in entries:
            path = Path(e["_path"])
            data = {k: v for k, v in e.items() if k != "_path"}
            data["reported"] = True
            with open(path, "w", encoding="utf-8", opener=private_opener) as fh:
                json.dump(data, fh, ensure_ascii=False)


class LastCrash:
    """The heartbeat's `last_crash` (protocol.CrashReport, decision 0036): the newest crash
    record's time and kind, and how many crashes the ten minutes before it held. Nothing else
    (no type, stack or message). Read on the sync thread; the folder is listed again only when
    it changed."""

    def __init__(self, folder: Path | str):
        self.recorder = CrashRecorder(folder)
        self._seen: tuple | None = None
        self._value = None

    def __call__(self):
        from protocol import CrashReport

        folder = self.recorder.folder
        try:
            st = folder.stat()
        except OSError:
            return None
        key = (st.st_mtime_ns, st.st_size)
        if key != self._seen:
            entries = [e for e in self.recorder.entries() if isinstance(e.get("t"), (int, float))]
            value = None
            if entries:
                last = max(entries, key=lambda e: e["t"])
                recent = sum(1 for e in entries if last["t"] - LOOP_WINDOW_S <= e["t"] <= last["t"])
                kind = "".join(c for c in str(last.get("kind", "")).lower()
                               if c.isalpha() or c in "_-")[:20] or "exception"
                value = CrashReport(at=datetime.fromtimestamp(last["t"], timezone.utc),
                                    kind=kind, recent=recent)
            self._seen, self._value = key, value
        return self._value


def summary(entry: dict) -> dict:
    """What the backend hears of a crash: no paths beyond file names, no messages."""
    top = entry.get("frames", [])[-1:] or [{}]
    return {"at": entry.get("at", ""), "kind": entry.get("kind", ""),
            "type": entry.get("type", ""), "thread": entry.get("thread", ""),
            "where": f"{top[0].get('file', '')}:{top[0].get('line', '')}"
                     f" {top[0].get('function', '')}".strip(),
            "version": entry.get("version", "")}


def install(recorder: CrashRecorder, on_crash: Callable[[], None]) -> Callable[[], None]:
    """Uncaught exceptions (the main thread, Qt slots, worker threads) are recorded, logged
    without their message, and `on_crash()` is called (from the failing thread: it must be
    thread-safe). Returns a function that restores the previous hooks."""
    previous_sys, previous_thread = sys.excepthook, threading.excepthook
    crashed = threading.Event()

    def handle(exc_type, tb, thread: str) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            return
        try:
            path = recorder.record(exc_type, tb, thread=thread)
            where = _frames(tb)[-1:] or [{}]
            log.critical("crash: %s in thread %s at %s:%s (%s)", exc_type.__name__, thread,
                         where[0].get("file"), where[0].get("line"), path.name)
        except Exception:  # the crash handler must never raise
            log.critical("crash: %s (crash file not written)", getattr(exc_type, "__name__", "?"))
        if not crashed.is_set():
            crashed.set()
            on_crash()

    def sys_hook(exc_type, exc, tb) -> None:
        handle(exc_type, tb, threading.current_thread().name)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        handle(args.exc_type, args.exc_traceback,
               args.thread.name if args.thread is not None else "?")

    sys.excepthook = sys_hook
    threading.excepthook = thread_hook

    def restore() -> None:
        sys.excepthook, threading.excepthook = previous_sys, previous_thread

    return restore
