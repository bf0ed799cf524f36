"""The terminal's validated settings kept between starts, so a start reads them without pydantic.

Validating the settings needs pydantic: its import and the schema's validator cost ~130 ms of a
terminal's ~0.5 s start (docs/decisions/0038). The settings rarely change, so `kiosk run` keeps
the result of one validation and reads it back while nothing it came from has changed:

- the key is a SHA-256 over the schema's source files (kiosk/config.py, kiosk/language.py), the
  settings as read (the TOML file with any pushed overlay merged in) and the file's path;
- one file per key in the cache folder, the newest `KEEP` of a config path kept (a terminal with
  pushed settings validates two: its own file, read to settle the overlay, and the file with the
  overlay laid over it): systemd's ``CacheDirectory=`` (the unit sets it: /var/cache/gov-kiosk),
  else ``$XDG_CACHE_HOME/gov-kiosk``, else ~/.cache/gov-kiosk;
- a file that is missing, unreadable, of another key or of another shape is a miss: the settings
  are validated again (with the same messages as `kiosk config validate`) and the file
  rewritten. Nothing here can make invalid settings start: a miss validates.

Trust: the cache folder is the kiosk user's, like its data folder, where the backend's pushed
overlay already lives; the cache adds no way to change the settings that user did not have.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1
KEEP = 2  # results kept per config path
_SCHEMA_FILES = ("config.py", "language.py")
_schema_digest: bytes | None = None


def folder() -> Path:
    systemd = os.environ.get("CACHE_DIRECTORY")  # CacheDirectory=gov-kiosk in the unit
    if systemd:
        return Path(systemd.split(":")[0])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "gov-kiosk"


def _schema() -> bytes:
    global _schema_digest
    if _schema_digest is None:
        h = hashlib.sha256(f"format {FORMAT}".encode())
        here = Path(__file__).parent
        for name in _SCHEMA_FILES:
            h.update((here / name).read_bytes())
        _schema_digest = h.digest()
    return _schema_digest


def key(data: dict[str, Any], source: str) -> str:
    """What one validation depends on: the schema's code, the settings, their file."""
    h = hashlib.sha256(_schema())
    h.update(source.encode("utf-8", "surrogateescape"))
    h.update(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()


def _prefix(source: str) -> str:
    return "config-" + hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _file(source: str, key: str) -> Path:
    return folder() / f"{_prefix(source)}-{key[:32]}.json"


def read(source: str, wanted: str):
    """The validated settings kept for `source` under `wanted`, or None (a miss)."""
    from kiosk.config import TerminalConfig, from_dict

    path = _file(source, wanted)
    try:
        stored = json.loads(path.read_bytes())
        if stored.get("key") != wanted:
            return None
        return from_dict(TerminalConfig, stored["config"], source)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("config cache %s unusable (%s): validating the settings", path, exc)
        return None


def write(source: str, key: str, config) -> None:
    """Keep `config` (just validated) for `source`; a folder that cannot be written is only
    slower starts, never a failure."""
    from kiosk.config import as_dict

    path = _file(source, key)
    body = json.dumps({"key": key, "config": as_dict(config)}, ensure_ascii=False).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        # the path's older results (settings or code since changed) go
        kept = sorted(path.parent.glob(_prefix(source) + "-*.json"),
                      key=lambda f: f.stat().st_mtime_ns, reverse=True)
        for old in kept[KEEP:]:
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("config cache not written (%s): the next start validates again", exc)
