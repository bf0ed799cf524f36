"""Command line of the reference backend.

    python -m backend seed    --db URL [--seed N] [--citizens N] [--catalog FILE]
                              [--as-of YYYY-MM-DD]
    python -m backend serve   --db URL [--host 127.0.0.1] [--port 8765] [--public-url URL]
                              [--admin-token TOKEN] [--seed-if-empty]
                              [--allow-unverified] [--max-citizens-per-hour N]
                              [--console-lockout-minutes M] [--console-idle-minutes M]
                              [--offline-after-s S] [--workers N] [--access-log]
    python -m backend migrate --db URL
    python -m backend staff add --no NO --name NAME --role ROLE [--hall CODE] [--pin PIN]
                                [--expires YYYY-MM-DD] [--db URL]
    python -m backend staff list|disable NO|badge NO [--db URL]
    python -m backend audit verify --terminal ID [--db URL]

URL is an SQLAlchemy URL (sqlite:///path, postgresql+psycopg://...) or a plain file path taken
as SQLite. The default is $KIOSK_BACKEND_DB or sqlite:///backend.sqlite3. The admin token may
also come from $KIOSK_BACKEND_ADMIN_TOKEN; without one the admin endpoints answer 403.
`staff add` creates or updates an account (the PIN is asked for when --pin is left out; 6
digits, not a trivial one); `staff badge` prints a new badge's QR text once. `audit verify`
checks a terminal's stored audit chain (exit 1 if it does not link).
Personal calls need a proof of the citizen's verified identity (docs/decisions/0018);
--allow-unverified serves them without one, for terminals that send none yet.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    from backend.verification import DEFAULT_MAX_CITIZENS_PER_HOUR

    ap = argparse.ArgumentParser(prog="python -m backend", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    default_db = os.environ.get("KIOSK_BACKEND_DB", "sqlite:///backend.sqlite3")

    def db_arg(p):
        p.add_argument("--db", default=default_db, help=f"database URL (default {default_db})")

    seed = sub.add_parser("seed", help="fill the database with demo data (idempotent)")
    db_arg(seed)
    _seed_args(seed)

    serve = sub.add_parser("serve", help="serve the HTTP protocol")
    db_arg(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--public-url", default=None,
                       help="base of links printed on documents and tickets (default: request URL)")
    serve.add_argument("--admin-token", default=os.environ.get("KIOSK_BACKEND_ADMIN_TOKEN"))
    serve.add_argument("--seed-if-empty", action="store_true",
                       help="seed demo data first when the database has no citizens")
    serve.add_argument("--allow-unverified", action="store_true",
                       help="serve records and documents without a proof of verified identity "
                            "(for terminals that send none yet; off by default)")
    serve.add_argument("--max-citizens-per-hour", type=int, default=DEFAULT_MAX_CITIZENS_PER_HOUR,
                       help="distinct citizens one terminal may look up in an hour "
                            f"(default {DEFAULT_MAX_CITIZENS_PER_HOUR})")
    serve.add_argument("--console-lockout-minutes", type=float, default=15,
                       help="hall console: minutes an account stays locked after 5 wrong PINs")
    serve.add_argument("--console-idle-minutes", type=float, default=30,
                       help="hall console: minutes without an action before a session ends")
    serve.add_argument("--offline-after-s", type=float, default=180,
                       help="hall console: a terminal without a heartbeat this long is offline")
    _seed_args(serve)
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes sharing the listening socket; they keep nothing "
                            "in memory another needs (use PostgreSQL for more than one)")
    serve.add_argument("--access-log", action="store_true",
                       help="log every request (off: at a city's heartbeat rate the log line "
                            "costs more than the heartbeat, docs/decisions/0028)")
    serve.add_argument("--parent-pid", type=int, default=None,
                       help="exit when this process is gone (the demo kiosk that started it)")
    serve.add_argument("--ready-file", default=None,
                       help="write the served URL into this file once listening (with --port 0 "
                            "the system picks the port)")

    migrate = sub.add_parser("migrate", help="apply the database migrations only")
    db_arg(migrate)

    staff = sub.add_parser("staff", help="hall staff accounts (roster of the terminals)")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="create or update an account")
    db_arg(add)
    add.add_argument("--no", required=True, dest="staff_no", help="staff number")
    add.add_argument("--name", default=None)
    add.add_argument("--role", default=None,
                     choices=["helper", "shift_lead", "technician", "auditor"])
    add.add_argument("--hall", default=None, help="hall code; empty: every hall of the city")
    add.add_argument("--pin", default=None, help="6 digits (asked for when left out)")
    add.add_argument("--expires", type=date.fromisoformat, default=None,
                     help="the account stops working on this day (UTC midnight)")
    for name, text in (("list", "list the accounts"), ("disable", "deactivate an account"),
                       ("badge", "issue a new badge and print its QR text (once)")):
        sp = staff_sub.add_parser(name, help=text)
        db_arg(sp)
        if name != "list":
            sp.add_argument("staff_no", metavar="NO")

    audit = sub.add_parser("audit", help="the terminals' hash-chained audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="check a terminal's stored chain")
    db_arg(verify)
    verify.add_argument("--terminal", required=True)
    return ap


def _seed_args(p) -> None:
    from backend.seed import DEFAULT_CITIZENS, DEFAULT_SEED

    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed of the demo data")
    p.add_argument("--citizens", type=int, default=DEFAULT_CITIZENS)
    p.add_argument("--catalog", default=None, help="catalog file (default: the shipped one)")
    p.add_argument("--as-of", type=date.fromisoformat, default=None,
                   help="histories end the month before this date (default: today)")


def _seed(db, args) -> None:
    from backend.catalog import BUNDLED_CATALOG
    from backend.seed import seed_database, summary

    stats = seed_database(db, seed=args.seed, citizens=args.citizens,
                          catalog=args.catalog or BUNDLED_CATALOG, as_of=args.as_of)
    print(summary(stats))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    from backend.catalog import CatalogFileError
    from backend.db import normalize_url, open_database

    url = normalize_url(args.db)
    try:
        db = open_database(url)
    except Exception as exc:  # noqa: BLE001 - a clear line, not a traceback, for operators
        print(f"cannot open the database {url}: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "migrate":
            print("database is at the newest revision")
            return 0
        if args.command == "staff":
            return _staff(db, args)
        if args.command == "audit":
            return _audit(db, args)
        if args.command == "seed" or (args.command == "serve" and args.seed_if_empty
                                      and _is_empty(db)):
            _seed(db, args)
        elif args.command == "serve" and args.seed_if_empty:
            # a demo database of an older version: what later versions seed (the hall's staff,
            # its terminal) is added where missing; the citizens are left as they are
            from backend.seed import seed_fixed

            seed_fixed(db)
        if args.command == "seed":
            return 0
    except CatalogFileError as exc:
        print(f"catalog: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.command != "serve":
            db.close()

    import uvicorn

    from datetime import timedelta

    from backend.app import ConsoleOptions, create_app

    console = ConsoleOptions(lockout=timedelta(minutes=args.console_lockout_minutes),
                             idle=timedelta(minutes=args.console_idle_minutes),
                             offline_after=timedelta(seconds=args.offline_after_s))
    def make_app(database):
        return create_app(url, public_url=args.public_url, admin_token=args.admin_token,
                          db=database, require_proof=not args.allow_unverified,
                          max_citizens_per_hour=args.max_citizens_per_hour, console=console)

    if args.parent_pid:
        _exit_with_parent(args.parent_pid)
    import socket

    # Listen first, then say where: a client that connects before uvicorn accepts waits in the
    # backlog. IPPROTO_TCP spelled out so asyncio sets TCP_NODELAY (see backend.embedded).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(1024)
    host, port = sock.getsockname()[:2]

    def serve_on(app) -> None:
        server = uvicorn.Server(uvicorn.Config(app, log_level=args.log_level,
                                               access_log=args.access_log,
                                               timeout_graceful_shutdown=5))
        server.run(sockets=[sock])

    if args.workers <= 1:
        app = make_app(db)
        _announce(args, host, port)
        serve_on(app)
        return 0
    # Several workers: the parent migrated the database (open_database above); each child
    # opens its own connections after the fork and serves the shared socket.
    db.close()
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                _exit_with_parent(os.getppid())
                serve_on(make_app(open_database(url, run_migrations=False)))
            finally:
                os._exit(0)
        children.append(pid)
    _announce(args, host, port)
    import signal

    def stop(signum, _frame) -> None:
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        while True:
            try:
                os.waitpid(child, 0)
                break
            except ChildProcessError:
                break
            except InterruptedError:
                continue
    return 0


def _announce(args, host: str, port: int) -> None:
    if args.ready_file is None:
        print(f"serving on http://{host}:{port}", flush=True)
        return
    ready = Path(args.ready_file)
    tmp = ready.with_suffix(".tmp")
    tmp.write_text(f"http://{host}:{port}\n", encoding="utf-8")
    tmp.replace(ready)


def _staff(db, args) -> int:
    from datetime import datetime

    from sqlalchemy import select

    from backend import staff as st
    from backend.console import end_sessions
    from backend.models import StaffAccount

    if args.staff_command == "list":
        with db.read() as s:
            rows = s.scalars(select(StaffAccount).order_by(StaffAccount.staff_no)).all()
        for r in rows:
            flags = [] if r.active else ["inactive"]
            if r.expires_at:
                flags.append(f"expires {r.expires_at:%Y-%m-%d}")
            if r.badge_hash:
                flags.append("badge")
            if r.locked_until:
                flags.append(f"locked until {r.locked_until:%H:%M} UTC")
            print(f"{r.staff_no}\t{r.name}\t{r.role}\t{r.hall or '(all halls)'}\t"
                  + ", ".join(flags))
        return 0
    if args.staff_command == "add":
        pin = args.pin
        if pin is None:
            import getpass

            pin = getpass.getpass("PIN (6 digits, empty: keep): ") or None
        change = st.StaffChange(
            name=args.name, hall=args.hall, role=args.role, pin=pin,
            expires_at=datetime(args.expires.year, args.expires.month, args.expires.day)
            if args.expires else None)
        try:
            with db.write() as s:
                _row, created = st.upsert_staff(s, args.staff_no, change)
        except st.StaffError as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 2
        print(f"staff {args.staff_no} {'created' if created else 'updated'}")
        return 0
    with db.write() as s:
        if args.staff_command == "disable":
            row = st.disable_staff(s, args.staff_no)
            if row is not None:
                end_sessions(s, args.staff_no, "disabled")
            out = f"staff {args.staff_no} disabled" if row else None
        else:
            out = st.issue_badge(s, args.staff_no)
    if out is None:
        print(f"no staff account {args.staff_no}", file=sys.stderr)
        return 2
    print(out)
    return 0


def _audit(db, args) -> int:
    from backend.staff import verify_chain

    with db.read() as s:
        count, problem = verify_chain(s, args.terminal)
    if problem:
        print(f"terminal {args.terminal}: {count} entries; the chain does not verify: {problem}")
        return 1
    print(f"terminal {args.terminal}: {count} entries, the chain verifies")
    return 0


def _exit_with_parent(pid: int) -> None:
    """A demo backend must not outlive its kiosk, even one killed with SIGKILL."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _is_empty(db) -> bool:
    from sqlalchemy import func, select

    from backend.models import Citizen

    with db.read() as s:
        return not s.scalar(select(func.count()).select_from(Citizen))


if __name__ == "__main__":
    sys.exit(main())
