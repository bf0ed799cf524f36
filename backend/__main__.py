"""Command line of the reference backend.

    python -m backend seed    --db URL [--seed N] [--citizens N] [--catalog FILE]
                              [--as-of YYYY-MM-DD]
    python -m backend serve   --db URL [--host 127.0.0.1] [--port 8765] [--public-url URL]
                              [--admin-token TOKEN] [--seed-if-empty]
    python -m backend migrate --db URL

URL is an SQLAlchemy URL (sqlite:///path, postgresql+psycopg://...) or a plain file path taken
as SQLite. The default is $KIOSK_BACKEND_DB or sqlite:///backend.sqlite3. The admin token may
also come from $KIOSK_BACKEND_ADMIN_TOKEN; without one the admin endpoints answer 403.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date


def _parser() -> argparse.ArgumentParser:
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
    _seed_args(serve)
    serve.add_argument("--log-level", default="info")

    migrate = sub.add_parser("migrate", help="apply the database migrations only")
    db_arg(migrate)
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
        if args.command == "seed" or (args.command == "serve" and args.seed_if_empty
                                      and _is_empty(db)):
            _seed(db, args)
        if args.command == "seed":
            return 0
    except CatalogFileError as exc:
        print(f"catalog: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.command != "serve":
            db.close()

    import uvicorn

    from backend.app import create_app

    app = create_app(url, public_url=args.public_url, admin_token=args.admin_token, db=db)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _is_empty(db) -> bool:
    from sqlalchemy import func, select

    from backend.models import Citizen

    with db.read() as s:
        return not s.scalar(select(func.count()).select_from(Citizen))


if __name__ == "__main__":
    sys.exit(main())
