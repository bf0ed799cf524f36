"""The kiosk's side of its render helper process (docs/decisions/0022).

A4 documents, their preview pages and the receipts' ESC/POS bytes are made in a long-lived
helper (`python -m printing.render_worker`), so that ReportLab, the parsed CJK font, Pillow,
python-escpos and QtPdf never enter the kiosk's own process: it stays small however many
citizens it serves. This module imports only the standard library.

- Started lazily by the first job, or ahead of it by `start()` (the kiosk calls it a few
  seconds after its home screen is painted), which also loads the libraries there.
- One job at a time (a lock); each waits at most `timeout_s`.
- If the helper has died (or dies during a job, or does not answer in time) it is killed and
  started again, and the job is tried once more; then `RenderFailed` - which the print service
  turns into the same refusal the citizen saw when rendering failed in-process.
- An error inside a job comes back as `RenderFailed(type name, traceback code lines)`, with no
  message: the helper never sends what might quote the citizen's records.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from typing import Any

from printing.render_worker import HEADER, MAX_FRAME

log = logging.getLogger("kiosk.printing")


class RenderFailed(Exception):
    """A job failed in the helper (`kind`: the exception's type name, or "helper" when the
    process died or did not answer); `trace` holds the code lines only."""

    def __init__(self, kind: str, trace: str = ""):
        super().__init__(kind)
        self.kind = kind
        self.trace = trace


class RenderHost:
    def __init__(self, *, timeout_s: float = 60.0, warm_after_s: float = 3.0,
                 command: list[str] | None = None):
        self.timeout_s = timeout_s
        self.warm_after_s = warm_after_s
        self.command = command or [sys.executable, "-m", "printing.render_worker"]
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.starts = 0  # how many helpers were started (tests, the benchmark)

    # -- what the print service uses ---------------------------------------------------------
    def run(self, job: str, *args: Any) -> Any:
        """The job's result. Raises `RenderFailed`."""
        payload = pickle.dumps((job, args), protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            for attempt in (1, 2):
                try:
                    return self._exchange(payload)
                except _HelperLost as exc:
                    self._kill(force=True)
                    if self._closed.is_set():
                        raise RenderFailed("helper") from None
                    log.error("render helper %s (job %s, attempt %d)", exc, job, attempt)
            raise RenderFailed("helper")

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the helper and load its libraries on a thread of its own, `warm_after_s`
        from now (after the first paint, the kiosk has other things to do first)."""
        def warm() -> None:
            if self._closed.wait(self.warm_after_s):
                return
            try:
                self.run("warm")
            except RenderFailed as exc:
                log.error("render helper did not start: %s", exc.kind)

        threading.Thread(target=warm, name="render-warm", daemon=True).start()

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            self._kill()

    # -- inside --------------------------------------------------------------------------------
    def _spawn(self) -> subprocess.Popen:
        if self._proc is None or self._proc.poll() is not None:
            if self._closed.is_set():
                raise _HelperLost("closed")
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
            self._proc = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, env=env, close_fds=True)
            self.starts += 1
            log.info("render helper started (pid %d)", self._proc.pid)
        return self._proc

    def _exchange(self, payload: bytes) -> Any:
        if self._proc is not None and self._proc.poll() is not None:
            # died since the last job: reported (and its pipes closed) as a death during one
            raise _HelperLost("died")
        proc = self._spawn()
        try:
            proc.stdin.write(HEADER.pack(len(payload)) + payload)
            proc.stdin.flush()
        except OSError:
            raise _HelperLost("gone") from None
        deadline = time.monotonic() + self.timeout_s
        (n,) = HEADER.unpack(self._read(proc, HEADER.size, deadline))
        if n > MAX_FRAME:
            raise _HelperLost("garbled")
        reply = pickle.loads(self._read(proc, n, deadline))
        if reply[0] == "ok":
            return reply[1]
        raise RenderFailed(reply[1], reply[2])

    @staticmethod
    def _read(proc: subprocess.Popen, n: int, deadline: float) -> bytes:
        fd = proc.stdout.fileno()
        out = bytearray()
        while len(out) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise _HelperLost("did not answer in time")
            chunk = os.read(fd, min(n - len(out), 1 << 20))
            if not chunk:
                raise _HelperLost("died")
            out += chunk
        return bytes(out)

    def _kill(self, force: bool = False) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if force:
            proc.kill()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=2)  # end of stdin ends it
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _HelperLost(Exception):
    pass
