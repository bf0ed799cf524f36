"""The `kiosk` command. It lives in the composition root: every command builds what it needs
through `wiring`, the same way the running kiosk does."""

from __future__ import annotations

import time

T0 = time.perf_counter()  # the process has just started: the smoke test's zero

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from kiosk import paths
from kiosk.config import ConfigError, TerminalConfig, documented_options, load_config

EXIT_OK, EXIT_FAIL, EXIT_CONFIG = 0, 1, 2


def _load(path: str | None, *, demo: bool = False) -> TerminalConfig:
    if path:
        return load_config(path)
    if demo:
        return load_config(paths.DEMO_CONFIG)
    return TerminalConfig()


def _core(args) -> "KioskCore":  # noqa: F821
    """The core over the store and catalog only (no printers, no sync): catalog commands."""
    from kiosk.app import KioskCore
    from wiring import build_services

    services = build_services(_load(args.config, demo=True), printing=False, sync=False)
    core = KioskCore(services)
    core.start()
    if core.out_of_service:
        services.close()
        raise SystemExit(f"kiosk: out of service: {core.out_of_service.detail}")
    return core


def cmd_config_validate(args) -> int:
    try:
        config = load_config(args.file)
    except ConfigError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_CONFIG
    problems = paths.environment_problems(config)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        return EXIT_CONFIG
    print(f"{args.file}: ok")
    return EXIT_OK


def cmd_config_options(args) -> int:
    for key, desc, default in documented_options():
        print(f"{key} = {json.dumps(default, ensure_ascii=False, default=str)}\n    {desc}")
    return EXIT_OK


def cmd_catalog_search(args) -> int:
    core = _core(args)
    hits = core.index.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([h.as_json() for h in hits], ensure_ascii=False, indent=1))
    else:
        for h in hits:
            print(f"{h.id}\t{h.department}\t{h.name}")
    core.close()
    core.services.close()
    return EXIT_OK


def cmd_catalog_stats(args) -> int:
    core = _core(args)
    s = core.catalog.stats()
    out = {"version": s.version, "items": s.items, "departments": s.departments,
           "categories": s.categories, "guides": s.guides,
           "high_frequency": s.high_frequency, "kiosk_enabled": s.kiosk_enabled}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for k, v in out.items():
            print(f"{k}: {v}")
    core.close()
    core.services.close()
    return EXIT_OK


def cmd_catalog_build(args) -> int:
    from kiosk.catalog import generate

    argv = ["--out", args.out]
    if args.seed is not None:
        argv += ["--seed", str(args.seed)]
    return generate.main(argv) or EXIT_OK


def cmd_print_sample(args) -> int:
    from printing.samples import DOCUMENT_KINDS, KINDS, write_sample

    if args.kind not in KINDS:
        print(f"kiosk: no sample {args.kind!r}; one of: {', '.join(KINDS)}", file=sys.stderr)
        return EXIT_CONFIG
    guide = None
    if args.kind not in DOCUMENT_KINDS:
        core = _core(args)
        hit = core.index.search(args.item or "社会保险参保证明打印", limit=1)
        guide = core.catalog.guide(hit[0].id) if hit else None
        core.close()
        core.services.close()
    for path in write_sample(args.kind, Path(args.out), paper_mm=args.paper, guide=guide):
        print(f"wrote {path}")
    return EXIT_OK


def cmd_print_test_page(args) -> int:
    """Print a test page on a configured printer and report its status."""
    from printing.factory import DOCUMENT
    from printing.samples import sample_document, sample_receipt
    from printing.spooler import JobState, PrinterError
    from wiring import build_services

    services = build_services(_load(args.config, demo=True), sync=False)
    try:
        printers, spooler = services.extras.get("printers"), services.extras.get("spooler")
        driver = printers.drivers.get(args.printer) if printers is not None else None
        if driver is None or spooler is None:
            configured = ", ".join(printers.drivers) if printers is not None else ""
            print(f"kiosk: no printer {args.printer!r} configured "
                  f"(configured: {configured or 'none'})", file=sys.stderr)
            return EXIT_FAIL
        try:
            status = driver.status()
        except PrinterError as exc:
            print(f"{args.printer}: offline ({exc})")
            return EXIT_FAIL
        print(f"{args.printer}: status {status.level}"
              f"{' (' + status.reason + ')' if status.reason else ''}")
        if args.printer == DOCUMENT:
            data = sample_document("ss-certificate")
        else:
            data = sample_receipt("queue-ticket")
        view = spooler.wait(spooler.submit(args.printer, "test_page", "test page", data,
                                           personal=False), timeout=60)
        print(f"{args.printer}: test page {view.state}"
              f"{' (' + view.reason + ')' if view.reason else ''}")
        if printers.virtual is not None and printers.virtual.jobs and args.out:
            printers.virtual.render(-1).save(args.out)
            print(f"wrote {args.out}")
        return EXIT_OK if view.state == JobState.DONE else EXIT_FAIL
    finally:
        services.close()


def _store_for(config: TerminalConfig):
    from kiosk.store.db import DB_FILENAME, open_store

    return open_store(paths.data_dir(config) / DB_FILENAME)


def cmd_sync_enrol(args) -> int:
    """A technician enrols this terminal with the backend's one-time code (sync.adapter = http)."""
    from kiosk.sync.adapter import BackendRejected, BackendUnavailable, HttpAdapter
    from kiosk.sync.state import SyncStateStore

    config = _load(args.config)
    sc = config.sync
    if sc.adapter != "http":
        print("kiosk: enrolment is for sync.adapter = \"http\" (the embedded demo backend enrols "
              "itself)", file=sys.stderr)
        return EXIT_FAIL
    problems = paths.environment_problems(config)
    for line in problems:
        print(f"kiosk: {line}", file=sys.stderr)
    if problems:
        return EXIT_CONFIG
    # The store first (migrated, its folder private): once the backend has answered, the old
    # credential is revoked and the new one must reach <data_dir>/credential.
    store = _store_for(config)
    adapter = HttpAdapter(sc.base_url, timeout=sc.timeout_s, connect_timeout=sc.connect_timeout_s,
                          ca_file=sc.ca_file or None, deadline=sc.deadline_s, proxy=sc.proxy or None)
    try:
        reply = adapter.enrol(args.code, config.terminal.id)
        SyncStateStore(store).save_credential(config.terminal.id, reply.credential)
    except BackendRejected as exc:
        print(f"kiosk: enrolment refused: {exc.message}", file=sys.stderr)
        return EXIT_FAIL
    except BackendUnavailable as exc:
        print(f"kiosk: backend unreachable ({exc.reason})", file=sys.stderr)
        return EXIT_FAIL
    except OSError as exc:  # enrolled, but the credential could not be kept: enrol again
        print(f"kiosk: enrolled, but the credential could not be written ({exc}); free the "
              "data folder and enrol again with a code issued for this terminal", file=sys.stderr)
        return EXIT_FAIL
    finally:
        adapter.close()
        store.close()
    print(f"{config.terminal.id}: enrolled with {sc.base_url}")
    return EXIT_OK


def _ask_backend(config: TerminalConfig, credential: str | None, cursor: int) -> dict:
    """What the backend says now: reachable (round trip, clock offset), the credential accepted
    or refused, catalog changes waiting after this terminal's cursor."""
    from datetime import datetime, timezone

    from kiosk.sync.adapter import BackendError, BackendUnavailable, HttpAdapter, NotEnrolled

    sc = config.sync
    out: dict = {"backend_reachable": False}
    adapter = HttpAdapter(sc.base_url, credential, timeout=sc.timeout_s,
                          connect_timeout=sc.connect_timeout_s, ca_file=sc.ca_file or None,
                          deadline=sc.deadline_s, proxy=sc.proxy or None)
    try:
        t0 = time.perf_counter()
        health = adapter.health()
        out.update(backend_reachable=True,
                   round_trip_ms=round((time.perf_counter() - t0) * 1000),
                   clock_offset_s=round((datetime.now(timezone.utc)
                                         - health.server_time).total_seconds(), 1))
        if credential:
            changes = adapter.catalog_changes(cursor, limit=1)
            out.update(credential_accepted=True,
                       catalog_changes_waiting=bool(changes.changes or changes.has_more
                                                    or changes.deleted_item_ids))
    except NotEnrolled as exc:
        out.update(credential_accepted=False, backend_says=f"{exc.code}: {exc.message}")
    except BackendUnavailable as exc:
        out["backend_error"] = exc.reason
    except BackendError as exc:
        out["backend_error"] = str(exc)
    finally:
        adapter.close()
    return out


def cmd_sync_status(args) -> int:
    """The local state (enrolment, catalog cursor, outbox), and, for a real backend, what the
    backend says now (unless --local): the credential may have been revoked since."""
    from kiosk.sync.outbox import Outbox
    from kiosk.sync.state import SyncStateStore

    config = _load(args.config, demo=True)
    store = _store_for(config)
    state, outbox = SyncStateStore(store), Outbox(store)
    credential = state.credential()
    out = {"adapter": str(config.sync.adapter), "enrolled": credential is not None,
           "terminal_id": state.terminal_id(), "catalog_synced_at": state.synced_at(),
           "pending_events": outbox.pending_count(), "rejected_events": outbox.rejected_count()}
    cursor = state.position().cursor
    store.close()
    problem = False
    if config.sync.adapter == "http" and not args.local:
        out.update(_ask_backend(config, credential, cursor))
        problem = not out["backend_reachable"] or out.get("credential_accepted") is False
    print(json.dumps(out, ensure_ascii=False) if args.json else
          "\n".join(f"{k}: {v}" for k, v in out.items()))
    return EXIT_FAIL if problem else EXIT_OK


def cmd_sync_export(args) -> int:
    """The manual way out: every event still held, as JSON lines, for staff to carry over."""
    from kiosk.sync.outbox import Outbox

    config = _load(args.config, demo=True)
    store = _store_for(config)
    n = Outbox(store).export(Path(args.out))
    store.close()
    print(f"wrote {n} events to {args.out}")
    return EXIT_OK


# -- hall staff: the audit log (kiosk.audit) ------------------------------------------------------


def cmd_audit_verify(args) -> int:
    """Check the terminal's hash-chained audit log from its first entry: OK and the count, or
    what is wrong and where (non-zero exit)."""
    from kiosk.audit import verify
    from kiosk.store.db import StoreError

    config = _load(args.config, demo=True)
    try:
        store = _store_for(config)
    except StoreError as exc:
        print(f"kiosk: store unusable ({exc.reason}): {exc.detail}", file=sys.stderr)
        return EXIT_FAIL
    try:
        report = verify(store)
    finally:
        store.close()
    if report.ok:
        print(f"OK: {report.count} audit entries, the chain is intact")
        return EXIT_OK
    print(f"BROKEN: {report.problem} ({report.count} entries)", file=sys.stderr)
    return EXIT_FAIL


LANG_ALIASES = {"zh-Hans": "zh_CN", "zh-Hant": "zh_TW", "zh_Hant": "zh_TW", "zh_Hans": "zh_CN"}


def cmd_run(args, *, demo: bool) -> int:
    import os

    from kiosk.datadir import UMASK
    from kiosk.log import setup_logging

    # As the systemd unit's UMask=0077: what the kiosk and its libraries (Qt, python-escpos,
    # SQLite) create is for the kiosk's user only; kiosk.datadir sets the modes it knows anyway.
    os.umask(UMASK)

    setup_logging(json_lines=args.log_json)
    try:
        from kiosk.config_update import PushedConfig, load_terminal_config, overlay_path

        source = args.config or paths.DEMO_CONFIG
        # a pushed profile this kiosk did not come up with last time is rolled back before
        # the settings are read (decision 0036)
        try:
            PushedConfig(overlay_path(load_config(source, cached=True)).parent).settle(source)
        except OSError as exc:  # a data folder it cannot write: start on what is there
            print(f"kiosk: pushed settings not settled: {exc}", file=sys.stderr)
        config = load_terminal_config(source, cached=True)
    except ConfigError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        print("kiosk: refusing to start with an invalid config", file=sys.stderr)
        return EXIT_CONFIG
    if getattr(args, "lang", None):  # the demo in another language from its first screen
        lang = LANG_ALIASES.get(args.lang, args.lang)
        available = list(config.language.available)
        if lang not in available:
            available.append(lang)
        from dataclasses import replace

        config = replace(config, language=replace(config.language, default=lang,
                                                  available=available))
    from screens.main import exit_process
    from wiring.ui import run

    code = run(
        config,
        tour_dir=Path(args.tour) if getattr(args, "tour", None) else None,
        speech=bool(getattr(args, "speech", False)),
        quit_when_ready=args.quit_when_ready,
        orientation=args.orientation,
        started_at=T0,
    )
    exit_process(code)
    return code


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk", description="24-hour government self-service kiosk")
    sub = p.add_subparsers(dest="cmd", required=True)

    cfg = sub.add_parser("config", help="terminal configuration").add_subparsers(dest="sub", required=True)
    v = cfg.add_parser("validate", help="check a terminal config file")
    v.add_argument("file")
    v.set_defaults(fn=cmd_config_validate)
    o = cfg.add_parser("options", help="list every option with its default and description")
    o.set_defaults(fn=cmd_config_options)

    cat = sub.add_parser("catalog", help="the service catalog").add_subparsers(dest="sub", required=True)
    s = cat.add_parser("search", help="search the catalog")
    s.add_argument("query")
    s.add_argument("--json", action="store_true")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--config")
    s.set_defaults(fn=cmd_catalog_search)
    st = cat.add_parser("stats", help="counts of items, departments and guides")
    st.add_argument("--json", action="store_true")
    st.add_argument("--config")
    st.set_defaults(fn=cmd_catalog_stats)
    b = cat.add_parser("build", help="generate the catalog data file (needs pypinyin)")
    b.add_argument("--out", default=str(paths.ASSETS_DIR / "catalog" / "catalog.json.gz"))
    b.add_argument("--seed", type=int)
    b.set_defaults(fn=cmd_catalog_build)

    be = sub.add_parser("backend", help="the reference backend: serve, seed, migrate "
                        "(arguments go to python -m backend)", add_help=False)
    be.add_argument("rest", nargs=argparse.REMAINDER)

    sy = sub.add_parser("sync", help="the terminal's link to the backend").add_subparsers(
        dest="sub", required=True)
    se = sy.add_parser("enrol", help="enrol this terminal with a one-time code (http adapter); "
                       "again: a code issued for this terminal id")
    se.add_argument("code")
    se.add_argument("--config", required=True)
    se.set_defaults(fn=cmd_sync_enrol)
    ss = sy.add_parser("status", help="enrolment, catalog sync and outbox backlog, and what the "
                       "backend says now (reachable, credential accepted, catalog lag)")
    ss.add_argument("--json", action="store_true")
    ss.add_argument("--local", action="store_true", help="do not ask the backend")
    ss.add_argument("--config")
    ss.set_defaults(fn=cmd_sync_status)
    sx = sy.add_parser("export", help="write every event still in the outbox as JSON lines")
    sx.add_argument("--out", required=True)
    sx.add_argument("--config")
    sx.set_defaults(fn=cmd_sync_export)

    au = sub.add_parser("audit", help="the staff audit log").add_subparsers(dest="sub",
                                                                          required=True)
    av = au.add_parser("verify", help="check the hash chain of the local audit log")
    av.add_argument("--config")
    av.set_defaults(fn=cmd_audit_verify)

    pr = sub.add_parser("print", help="printouts").add_subparsers(dest="sub", required=True)
    ps = pr.add_parser("sample", help="write a sample document (PDF) or receipt (PNG + .bin)")
    # checked in cmd_print_sample: importing the printing code here would slow every command
    ps.add_argument("kind", help="ss-certificate, ss-statement, medical-statement, "
                    "provident-fund, real-estate, no-property, guide-slip or queue-ticket")
    ps.add_argument("--out", required=True)
    ps.add_argument("--paper", type=int, choices=(58, 80), default=80)
    ps.add_argument("--item", help="guide-slip: the catalog item (a search query)")
    ps.add_argument("--config")
    ps.set_defaults(fn=cmd_print_sample)
    pt = pr.add_parser("test-page", help="print a test page and report the printer's status")
    pt.add_argument("--printer", required=True, help="receipt or document")
    pt.add_argument("--out", help="virtual receipt printer: save what it printed as PNG")
    pt.add_argument("--config")
    pt.set_defaults(fn=cmd_print_test_page)

    for name, demo in (("demo", True), ("run", False)):
        r = sub.add_parser(name, help="start the kiosk" + (" on demo data" if demo else ""))
        r.add_argument("--config", required=not demo)
        r.add_argument("--quit-when-ready", action="store_true",
                       help="exit 0 as soon as the home screen is interactive")
        r.add_argument("--orientation", choices=("portrait", "landscape"),
                       help="override the config's screen orientation")
        r.add_argument("--log-json", action="store_true", help="log JSON lines to stderr")
        if demo:
            r.add_argument("--tour", metavar="DIR",
                           help="walk through the screens, save a PNG per step into DIR")
            r.add_argument("--speech", action="store_true",
                           help="with --tour: also write each step's spoken prompt as "
                                "DIR/speech/<step>.wav")
            r.add_argument("--lang", choices=sorted({*LANG_ALIASES, "zh_CN", "zh_TW", "en"}),
                           help="the language every session starts in (zh-Hant: Traditional)")
        r.set_defaults(fn=lambda a, demo=demo: cmd_run(a, demo=demo))
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["backend"]:  # its own parser, options included
        try:
            import fastapi  # noqa: F401
            import uvicorn  # noqa: F401
        except ModuleNotFoundError:
            print("kiosk: the reference backend is not installed on this machine "
                  "(pip install 'gov-kiosk[backend]')", file=sys.stderr)
            return EXIT_FAIL
        from backend.__main__ import main as backend_main

        return backend_main(argv[1:] or ["--help"])
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args)
    except ConfigError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_CONFIG


if __name__ == "__main__":
    sys.exit(main())
