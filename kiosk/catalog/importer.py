"""Importing a catalog data file (gzip JSON, format 1) into the local store.

The import replaces the whole catalog in one transaction, so a crash half-way leaves the previous
catalog in place. The file's SHA-256 is kept in the store and the very same file is skipped
without parsing, which keeps start-up cheap: the 10,000-item import happens once per catalog
file, not per start.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kiosk.store.db import Store

log = logging.getLogger("kiosk.catalog")

SUPPORTED_FORMAT = 1
BUNDLED_CATALOG = Path(__file__).resolve().parents[2] / "assets" / "catalog" / "catalog.json.gz"


class CatalogFileError(Exception):
    """The catalog file is missing, unreadable or not in the expected shape."""


@dataclass(frozen=True)
class ImportResult:
    version: str
    imported: bool
    items: int
    departments: int


def read_catalog_file(path: Path | str) -> dict[str, Any]:
    path = Path(path)
    try:
        with gzip.open(path, "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
    except FileNotFoundError:
        raise CatalogFileError(f"{path}: catalog file not found") from None
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogFileError(f"{path}: not a readable catalog file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != SUPPORTED_FORMAT:
        got = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise CatalogFileError(f"{path}: catalog format {got!r}, expected {SUPPORTED_FORMAT}")
    for key in ("version", "departments", "items"):
        if key not in data:
            raise CatalogFileError(f"{path}: catalog has no {key!r}")
    return data


def stored_version(store: Store) -> str | None:
    return _meta(store, "version")


def _fingerprint(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _meta(store: Store, key: str) -> str | None:
    # plain sqlite3: an unchanged file is skipped without loading SQLAlchemy
    with store.read() as c:
        row = c.execute("SELECT value FROM catalog_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def import_catalog(store: Store, path: Path | str, *, force: bool = False) -> ImportResult:
    path = Path(path)
    fingerprint = _fingerprint(path)
    if not force and fingerprint is not None and _meta(store, "file_sha256") == fingerprint:
        # The very file imported last time: skip parsing 10,000 items at every start.
        log.info("catalog file unchanged since its import")
        return ImportResult(_meta(store, "version") or "", False, 0, 0)
    data = read_catalog_file(path)
    version = str(data["version"])
    depts = data["departments"]
    items = data["items"]

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    dept_rows, cat_rows = [], []
    for d in depts:
        dept_rows.append(
            dict(code=d["code"], name=d["name"], short_name=d.get("short_name", d["name"]),
                 name_en=d.get("name_en", ""), sort_order=int(d.get("order", 0)))
        )
        for c in d.get("categories", []):
            cat_rows.append(
                dict(code=c["code"], department_code=d["code"], name=c["name"],
                     name_en=c.get("name_en", ""), sort_order=int(c.get("order", 0)))
            )
    item_rows, guide_rows = [], []
    try:
        for it in items:
            keys = it.get("keys") or [{"text": it["name"], "pinyin": "", "initials": ""}]
            item_rows.append(
                dict(id=it["id"], code=it.get("code", ""), name=it["name"],
                     department_code=it["department"], category_code=it["category"],
                     level=it.get("level", ""), kiosk_enabled=bool(it.get("kiosk_enabled")),
                     high_frequency=bool(it.get("high_frequency")), url=it.get("url", ""),
                     keys_json=json.dumps(keys, ensure_ascii=False))
            )
            if it.get("guide") is not None:
                guide_rows.append(
                    dict(item_id=it["id"], body_json=json.dumps(it["guide"], ensure_ascii=False),
                         updated_at=now)
                )
    except (KeyError, TypeError) as exc:
        raise CatalogFileError(f"{path}: item without required field {exc}") from None

    from sqlalchemy import delete, insert

    from kiosk.store.models import CatalogMeta, Category, Department, Guide, ServiceItem

    with store.session() as s:
        for model in (Guide, ServiceItem, Category, Department):
            s.execute(delete(model))
        if dept_rows:
            s.execute(insert(Department), dept_rows)
        if cat_rows:
            s.execute(insert(Category), cat_rows)
        if item_rows:
            s.execute(insert(ServiceItem), item_rows)
        if guide_rows:
            s.execute(insert(Guide), guide_rows)
        for key, value in (("version", version), ("format", str(SUPPORTED_FORMAT)),
                           ("imported_at", now.isoformat(timespec="seconds")),
                           ("file_sha256", fingerprint or "")):
            s.merge(CatalogMeta(key=key, value=value))
    log.info("imported catalog %s: %d items, %d departments", version, len(items), len(depts))
    return ImportResult(version, True, len(items), len(depts))
