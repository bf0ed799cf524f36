"""Logging: named loggers per subsystem (kiosk.store, kiosk.catalog, kiosk.ui ...), to stderr
and, once the data directory is known, to a rotating file there. `--log-json` writes one JSON
object per line, which the end-to-end tests read."""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from pathlib import Path

from kiosk.datadir import private_dir, private_opener


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "t": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


_TEXT = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")


def _quiet_escpos(record: logging.LogRecord) -> bool:
    """python-escpos logs every connect and close at INFO on the root logger: drop those."""
    return record.levelno >= logging.WARNING or "/escpos/" not in record.pathname


def setup_logging(level: str = "INFO", json_lines: bool = False) -> None:
    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else _TEXT)
    handler._kiosk = True  # type: ignore[attr-defined]
    handler.addFilter(_quiet_escpos)
    root.addHandler(handler)
    logging.getLogger("alembic").setLevel(logging.WARNING)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files 0600, the current one and each new one after a rotation (logs name terminals,
    items and faults: for the kiosk's user and technicians, not other users of the machine)."""

    def _open(self):
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
                    opener=private_opener)


def add_file_log(log_dir: Path) -> None:
    try:
        private_dir(log_dir)
        handler = PrivateRotatingFileHandler(
            log_dir / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError as exc:
        logging.getLogger("kiosk").warning("no log file in %s: %s", log_dir, exc)
        return
    handler.setFormatter(JsonFormatter())
    handler._kiosk = True  # type: ignore[attr-defined]
    logging.getLogger().addHandler(handler)
