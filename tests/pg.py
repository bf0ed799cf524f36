"""A throwaway PostgreSQL server on loopback for the backend's tests (and `bench.backend`).

`TempPostgres` runs `initdb` and `pg_ctl` from the Debian packages (/usr/lib/postgresql/N/bin,
the newest N; or $PG_BINDIR) in a fresh directory under /tmp, listening on 127.0.0.1 on a free
port only (its Unix socket in that directory), durability off (a test cluster loses nothing of
value when the machine stops). PostgreSQL refuses to run as root, so as root the cluster belongs
to the `postgres` OS user the package creates, and its commands run through `runuser`.

    with TempPostgres() as pg:
        url = pg.create_database("kiosk")   # postgresql+psycopg://postgres@127.0.0.1:PORT/kiosk

The pytest fixtures `pg_server` (session) and `pg_url` (a new database per module that asks)
skip when the server binaries or the driver are missing, and fail instead when CI=true: there
`make test` installs them (scripts/install-system-deps.sh, pyproject's test extra).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

SUPERUSER = "postgres"
# Speed over durability, and a small footprint: this cluster lives for one test session.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "'128MB'",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",  # tests provoke unique violations on purpose
}


class PostgresUnavailable(RuntimeError):
    """The server binaries, the OS user or the Python driver are missing."""


def find_bindir() -> Path:
    """The directory of `initdb`/`pg_ctl`: $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin."""
    env = os.environ.get("PG_BINDIR")
    candidates = [Path(env)] if env else sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda d: int(re.sub(r"\D", "", d.parent.name) or 0), reverse=True)
    for d in candidates:
        if (d / "initdb").is_file() and (d / "pg_ctl").is_file():
            return d
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb"
        + (f", nor in PG_BINDIR={env}" if env else "")
        + "): install the Debian package `postgresql` (scripts/install-system-deps.sh does)")


def check_driver() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise PostgresUnavailable(
            "the PostgreSQL driver is missing: pip install 'psycopg[binary]' "
            "(the project's test extra has it)") from None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempPostgres:
    def __init__(self, bindir: Path | None = None):
        self.bindir = bindir or find_bindir()
        self.dir: Path | None = None
        self.port: int | None = None
        self.os_user: str | None = None  # run as this user (root only), else as ourselves
        self.start_seconds = 0.0

    # --- commands ----------------------------------------------------------------------------

    def _cmd(self, *args: str | Path) -> list[str]:
        cmd = [str(a) for a in args]
        return ["runuser", "-u", self.os_user, "--", *cmd] if self.os_user else cmd

    def _run(self, *args: str | Path, timeout: float = 60) -> str:
        proc = subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            log = self.log_tail()
            raise RuntimeError(f"{' '.join(map(str, args))} failed ({proc.returncode}):\n"
                               f"{proc.stdout}{proc.stderr}{log}")
        return proc.stdout

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = (self.dir / "server.log").read_text(errors="replace")
        except (OSError, TypeError):
            return ""
        return "\n--- server.log ---\n" + "\n".join(text.splitlines()[-lines:])

    # --- life cycle --------------------------------------------------------------------------

    def start(self, attempts: int = 3) -> "TempPostgres":
        check_driver()
        t0 = time.perf_counter()
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root and there is no `postgres` OS user to run the server "
                    "(the Debian package creates it)") from None
            self.os_user = "postgres"
        # Not under pytest's tmp dirs: those are private to root, the server's user must enter.
        self.dir = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir="/tmp" if self.os_user else None))
        try:
            if self.os_user:
                shutil.chown(self.dir, self.os_user)
            data = self.dir / "data"
            self._run(self.bindir / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust",
                      "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions")
            settings = {**SETTINGS, "unix_socket_directories": f"'{self.dir}'"}
            for attempt in range(attempts):
                self.port = free_port()
                conf = "\n".join(f"{k} = {v}" for k, v in {**settings, "port": self.port}.items())
                with open(data / "postgresql.auto.conf", "w") as fh:
                    fh.write(conf + "\n")
                try:
                    self._run(self.bindir / "pg_ctl", "-D", data, "-l", self.dir / "server.log",
                              "-w", "-t", "60", "start")
                    break
                except RuntimeError:
                    if attempt == attempts - 1:  # the port was taken meanwhile: try another
                        raise
        except BaseException:
            self._remove()
            raise
        self.start_seconds = time.perf_counter() - t0
        return self

    def stop(self) -> None:
        if self.dir is None:
            return
        if (self.dir / "data" / "postmaster.pid").exists():
            subprocess.run(self._cmd(self.bindir / "pg_ctl", "-D", self.dir / "data", "-m",
                                     "immediate", "-w", "-t", "30", "stop"),
                           capture_output=True, timeout=60)
        self._remove()

    def _remove(self) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> "TempPostgres":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- databases ---------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                               dbname=database, autocommit=True, connect_timeout=10)

    def create_database(self, name: str) -> str:
        """A new empty database (dropped first if it exists); returns its SQLAlchemy URL."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"not a plain database name: {name!r}")
        with self.connect() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
        return self.url(name)


def unavailable(reason: str):
    """Fail in CI (PostgreSQL is part of what CI must test), skip on a developer's machine."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway cluster for the whole session, stopped and deleted at the end."""
    try:
        server = TempPostgres().start()
    except PostgresUnavailable as exc:
        unavailable(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def pg_url(pg_server, request) -> str:
    """The SQLAlchemy URL of a new, empty database for the requesting module."""
    name = re.sub(r"[^a-z0-9_]", "_", request.module.__name__.rsplit(".", 1)[-1].lower())[:50]
    return pg_server.create_database(name)
