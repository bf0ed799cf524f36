"""The reference backend with demo data on loopback, for the demo, the tests and the benchmarks.

The demo runs it as its own process with its own data folder, as a hall's backend would be:
the kiosk talks to it over HTTP through the same `HttpAdapter` as any terminal, and never
imports it. Tests and benchmarks that need many short-lived backends may run it in a thread of
their own process instead (`process=False`): the same app, the same HTTP.

    with DemoBackend(folder, citizens=4) as backend:
        adapter = backend.enrolled("T-001")
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the adapter is imported when one is made, not with this module
    from kiosk.sync.adapter import HttpAdapter
from protocol import Paths

log = logging.getLogger("kiosk.sync")


def _admin_http(url: str, body: dict | None = None, *, token: str | None = None,
                headers: dict | None = None, opener=None, timeout: float = 10):
    """(status, decoded JSON) of one request to the demo backend's admin or console API, with
    the standard library (the kiosk process carries no other HTTP client, decision 0035).
    A 4xx/5xx raises `urllib.error.HTTPError` unless `opener` is given (the console's session,
    whose callers read the status)."""
    import json
    import urllib.error
    import urllib.request

    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"}
                                                 if token else {}), **(headers or {})})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as exc:
        if opener is None:
            raise
        return exc.code, None

DB_FILENAME = "backend.sqlite3"


class DemoBackend:
    def __init__(self, folder: str | Path, *, catalog: str | Path | None = None,
                 catalog_limit: int | None = None, citizens: int | None = None,
                 admin_token: str | None = None, process: bool = True):
        self.folder = Path(folder)
        self.catalog = catalog
        self.catalog_limit = catalog_limit
        self.citizens = citizens
        # the demo's own admin token (issues the enrolment code bound to its terminal id)
        self.admin_token = admin_token or secrets.token_urlsafe(24)
        self.process = process
        self.url = ""
        self._proc: subprocess.Popen | None = None
        self._thread_server = None

    @property
    def db_path(self) -> Path:
        return self.folder / DB_FILENAME

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    # -- life ----------------------------------------------------------------------------------
    def start(self, timeout: float = 60.0) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.process and self.catalog_limit is not None:
            raise ValueError("catalog_limit is for a backend in this process (process=False)")
        if self.process:
            self.url = self._start_process(timeout)
        else:
            self.url = self._start_thread()
        log.info("demo backend at %s (%s)", self.url, "process" if self.process else "thread")
        return self.url

    def _seed_args(self) -> list[str]:
        args = []
        if self.citizens is not None:
            args += ["--citizens", str(self.citizens)]
        if self.catalog is not None:
            args += ["--catalog", str(self.catalog)]
        return args

    def _start_process(self, timeout: float) -> str:
        ready = self.folder / "backend.url"
        ready.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "backend", "serve", "--db", self.database_url,
               "--host", "127.0.0.1", "--port", "0", "--seed-if-empty", "--log-level",
               "warning", "--ready-file", str(ready), "--parent-pid", str(os.getpid()),
               *self._seed_args()]
        env = dict(os.environ)
        if self.admin_token:
            env["KIOSK_BACKEND_ADMIN_TOKEN"] = self.admin_token
        log_file = open(self.folder / "backend.log", "ab")  # noqa: SIM115 - the child keeps it
        try:
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                env=env, cwd=str(self.folder))
        finally:
            log_file.close()
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if self._proc.poll() is not None:
                raise RuntimeError(f"the demo backend exited with {self._proc.returncode} "
                                   f"(see {self.folder / 'backend.log'})")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the demo backend did not start in time")
            time.sleep(0.02)
        return ready.read_text(encoding="utf-8").strip()

    def _start_thread(self) -> str:
        from backend.db import open_database
        from backend.embedded import EmbeddedBackend
        from backend.seed import DEFAULT_CITIZENS, seed_database

        db = open_database(self.database_url)
        try:
            kwargs: dict = {"citizens": DEFAULT_CITIZENS if self.citizens is None
                            else self.citizens, "catalog_limit": self.catalog_limit}
            if self.catalog is not None:
                kwargs["catalog"] = self.catalog
            if not self.db_path.exists() or self._is_empty(db):
                seed_database(db, **kwargs)
        finally:
            db.close()
        self._thread_server = EmbeddedBackend(self.database_url, admin_token=self.admin_token)
        return self._thread_server.start()

    @staticmethod
    def _is_empty(db) -> bool:
        from sqlalchemy import func, select

        from backend.models import Citizen

        with db.read() as s:
            return not s.scalar(select(func.count()).select_from(Citizen))

    def stop(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.terminate()
                try:
                    self._proc.wait(10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait(5)
            self._proc = None
        if self._thread_server is not None:
            self._thread_server.stop()
            self._thread_server = None

    def __enter__(self) -> DemoBackend:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- a terminal's adapter ------------------------------------------------------------------
    def bound_code(self, terminal_id: str) -> str:
        """A single-use enrolment code issued for `terminal_id` through the admin API: what
        enrolling an already enrolled terminal again takes. It places the terminal in the
        demo hall (`protocol.demo.DEMO_HALL`: its staff roster, its hall console)."""
        from protocol.demo import DEMO_HALL

        _, answer = _admin_http(f"{self.url}/v1/admin/enrolment-codes", {
            "terminal_id": terminal_id, "label": "demo backend", "hall": DEMO_HALL},
            token=self.admin_token)
        return answer["code"]

    def enrolled(self, terminal_id: str, code: str | None = None, **kw) -> HttpAdapter:
        """An `HttpAdapter` enrolled as `terminal_id`: with `code`, else with a code issued for
        that id (so it works whether or not the id was enrolled before)."""
        from kiosk.sync.adapter import HttpAdapter

        adapter = HttpAdapter(self.url, **kw)
        try:
            adapter.enrol(code or self.bound_code(terminal_id), terminal_id)
        except BaseException:
            adapter.close()
            raise
        return adapter


class DemoPhone:
    """The demo's citizen phone: a fresh e-credential QR code for a demo citizen, from the demo
    backend's admin endpoint (``POST /v1/admin/e-credentials``, with its admin token), as a
    government services app would show one. The request runs on a thread of its own; the QR
    text comes back through `post` (the hand-off to the UI thread), or "" if none came."""

    def __init__(self, backend: DemoBackend, post):
        self.backend = backend
        self.post = post

    def e_credential(self, id_number: str) -> str:
        """The QR text, now (blocking)."""
        if not self.backend.url:
            raise RuntimeError("the demo backend is not running yet")
        _, answer = _admin_http(f"{self.backend.url}{Paths.ADMIN_E_CREDENTIALS}",
                                {"id_number": id_number}, token=self.backend.admin_token)
        return answer["qr"]

    def show(self, id_number: str, then) -> None:
        """`then(qr)` on the UI thread, with "" when the backend gave none."""
        import threading

        def run() -> None:
            try:
                qr = self.e_credential(id_number)
            except Exception as exc:  # the demo goes on: the panel says no code came
                log.warning("demo phone: no e-credential (%s)", type(exc).__name__)
                qr = ""
            self.post(lambda: then(qr))

        threading.Thread(target=run, name="demo-phone", daemon=True).start()


class DemoHallStaff:
    """The demo hall's helper at the console (`protocol.demo.DEMO_STAFF`, a helper): takes a
    terminal's help request through the hall console's API, as its page does (login, then
    "take" with the version the hall shows). For the tour's ``help-taken``; the HTTP runs on a
    thread of its own, never on the UI thread."""

    def __init__(self, backend: DemoBackend):
        self.backend = backend

    def take_now(self, request_id: str, timeout: float = 10.0) -> bool:
        """Blocking: True once the request is taken."""
        import urllib.request
        from http.cookiejar import CookieJar

        from protocol.demo import DEMO_STAFF

        helper = next(s for s in DEMO_STAFF if s.role == "helper")
        base = self.backend.url
        session = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        status, login = _admin_http(f"{base}/console/api/login", {
            "staff_no": helper.staff_no, "pin": helper.pin}, opener=session, timeout=timeout)
        if status != 200:
            raise RuntimeError(f"console login refused ({status})")
        csrf = login["csrf"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # the request reaches the hall within a poll
            _, hall = _admin_http(f"{base}/console/api/hall", opener=session, timeout=timeout)
            item = next((h for h in (hall or {}).get("help", ())
                         if h["request_id"] == str(request_id)), None)
            if item is not None:
                status, _ = _admin_http(f"{base}/console/api/help/{request_id}/take",
                                        {"version": item["version"]}, opener=session,
                                        headers={"X-CSRF-Token": csrf}, timeout=timeout)
                return status == 200
            time.sleep(0.3)
        return False

    def take(self, request_id) -> None:
        """Take it on a thread; the terminal sees it at its next poll."""
        import threading

        def run() -> None:
            try:
                if not self.take_now(str(request_id)):
                    log.warning("demo staff: the help request was not taken")
            except Exception as exc:  # the tour's step then fails and says so
                log.warning("demo staff: %s", type(exc).__name__)

        threading.Thread(target=run, name="demo-staff", daemon=True).start()


class DemoConsole:
    """The demo hall's console in headless Chromium (backend.console_shots), for the tour:
    ``console-hall.png`` with the terminal's open help request, then the helper takes it, asks
    to see the screen, the terminal's citizen taps 允许 (`allow()`, asked on the UI thread
    through `post` until it says it did), and ``console-remote-view.png`` shows the masked
    frame. Runs on a thread of its own; `done(paths)` comes back through `post`. Needs
    Chromium and Playwright (`available()`)."""

    def __init__(self, backend: DemoBackend, post, terminal_id: str | None = None):
        self.backend = backend
        self.post = post
        self.terminal_id = terminal_id

    @staticmethod
    def available() -> bool:
        import importlib.util
        import shutil

        return bool(shutil.which("chromium") or shutil.which("chromium-browser")) and \
            importlib.util.find_spec("playwright") is not None

    def shoot(self, request_id, out_dir: Path, allow, done) -> None:
        import threading

        from protocol.demo import DEMO_STAFF

        helper = next(s for s in DEMO_STAFF if s.role == "helper")

        def consent(_rid: str) -> None:
            tapped = threading.Event()
            deadline = time.monotonic() + 20
            while not tapped.is_set() and time.monotonic() < deadline:
                self.post(lambda: tapped.set() if allow() else None)
                tapped.wait(0.5)

        def run() -> None:
            from backend.console_shots import shoot_console

            try:
                paths = shoot_console(self.backend.url, helper.staff_no, helper.pin, out_dir,
                                      request_id=str(request_id), consent=consent)
            except Exception as exc:  # the tour's step then fails and says so
                log.warning("demo console: %s: %s", type(exc).__name__, exc)
                paths = []
            self.post(lambda: done(paths))

        threading.Thread(target=run, name="demo-console", daemon=True).start()

    def shoot_fleet(self, out_dir: Path, done) -> None:
        """``console-fleet.png``: the fleet view (设备管理) as the demo technician sees it, with
        this terminal's command panel open; `done(path or None)` through `post`."""
        import threading

        from protocol.demo import DEMO_STAFF

        technician = next(s for s in DEMO_STAFF if s.role == "technician")

        def run() -> None:
            from backend.console_shots import shoot_fleet

            try:
                path = shoot_fleet(self.backend.url, technician.staff_no, technician.pin,
                                   out_dir, terminal_id=self.terminal_id)
            except Exception as exc:  # the tour's step then fails and says so
                log.warning("demo fleet view: %s: %s", type(exc).__name__, exc)
                path = None
            self.post(lambda: done(path))

        threading.Thread(target=run, name="demo-fleet", daemon=True).start()
