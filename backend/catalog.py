"""The backend's copy of the service catalog, numbered by change for incremental pulls.

Importing a catalog file (gzip JSON, format 1, as shipped in assets/catalog) compares it with
what is stored: only new or changed rows take a new change number, items missing from the file
become tombstones with a number of their own. Importing the same file twice changes nothing, so
terminals pull only what really changed.
"""

from __future__ import annotations

import gzip
import heapq
import json
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from backend.db import Database, current_value, next_values
from backend.models import CatalogItem, Category, Department, Meta
from protocol import (
    CatalogChanges,
    CategoryChange,
    DepartmentChange,
    ItemChange,
)

log = logging.getLogger("backend.catalog")

SUPPORTED_FORMAT = 1
SEQUENCE = "catalog"
BUNDLED_CATALOG = Path(__file__).resolve().parents[1] / "assets" / "catalog" / "catalog.json.gz"


class CatalogFileError(Exception):
    pass


class CursorAhead(Exception):
    def __init__(self, cursor: int, newest: int):
        self.cursor, self.newest = cursor, newest
        super().__init__(f"cursor {cursor} is ahead of the newest change {newest}")


@dataclass(frozen=True)
class ImportStats:
    version: str
    departments: int
    categories: int
    items: int
    changed: int
    deleted: int
    seconds: float


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


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
        raise CatalogFileError(f"{path}: not a catalog file of format {SUPPORTED_FORMAT}")
    for key in ("version", "departments", "items"):
        if key not in data:
            raise CatalogFileError(f"{path}: catalog has no {key!r}")
    return data


def _dept_row(d: dict) -> dict:
    return dict(code=d["code"], name=d["name"], short_name=d.get("short_name", d["name"]),
                name_en=d.get("name_en", ""), sort_order=int(d.get("order", 0)))


def _cat_row(c: dict, dept: str) -> dict:
    return dict(code=c["code"], department_code=dept, name=c["name"],
                name_en=c.get("name_en", ""), sort_order=int(c.get("order", 0)))


def item_row(it: dict) -> dict:
    keys = it.get("keys") or [{"text": it["name"], "pinyin": "", "initials": ""}]
    guide = it.get("guide")
    return dict(id=it["id"], code=it.get("code", ""), name=it["name"],
                department_code=it["department"], category_code=it["category"],
                level=it.get("level", ""), kiosk_enabled=bool(it.get("kiosk_enabled")),
                high_frequency=bool(it.get("high_frequency")), url=it.get("url", ""),
                keys_json=canonical_json(keys),
                guide_json=None if guide is None else canonical_json(guide), deleted=False)


def _diff(s: Session, model, key: str, rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(new rows, changed rows) compared with what is stored."""
    cols = [getattr(model, c) for c in rows[0]] if rows else []
    stored = {r[0]: tuple(r) for r in s.execute(select(*cols))} if rows else {}
    new, changed = [], []
    for row in rows:
        old = stored.get(row[key])
        if old is None:
            new.append(row)
        elif old != tuple(row.values()):
            changed.append(row)
    return new, changed


def import_catalog(db: Database, path: Path | str = BUNDLED_CATALOG, *,
                   limit: int | None = None) -> ImportStats:
    """Bring the stored catalog in line with a catalog file, in one transaction. `limit` keeps
    only the first N items (tests and small demos)."""
    t0 = time.perf_counter()
    data = read_catalog_file(path)
    try:
        depts = [_dept_row(d) for d in data["departments"]]
        cats = [_cat_row(c, d["code"]) for d in data["departments"]
                for c in d.get("categories", [])]
        items_in = data["items"] if limit is None else data["items"][:limit]
        items = [item_row(it) for it in items_in]
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogFileError(f"{path}: a row without a required field ({exc})") from None
    version = str(data["version"])
    now = utcnow()
    with db.write() as s:
        d_new, d_changed = _diff(s, Department, "code", depts)
        c_new, c_changed = _diff(s, Category, "code", cats)
        i_new, i_changed = _diff(s, CatalogItem, "id", items)
        wanted = {r["id"] for r in items}
        gone = [i for i in s.scalars(select(CatalogItem.id).where(CatalogItem.deleted.is_(False)))
                if i not in wanted]
        groups = [(Department, d_new, d_changed), (Category, c_new, c_changed),
                  (CatalogItem, i_new, i_changed)]
        count = sum(len(a) + len(b) for _, a, b in groups) + len(gone)
        seq = next_values(s, SEQUENCE, count) if count else 0
        for model, new, changed in groups:
            for row in new + changed:
                row.update(seq=seq, updated_at=now)
                seq += 1
            if new:
                s.execute(insert(model), new)
            if changed:
                s.execute(update(model), changed)
        if gone:
            s.execute(update(CatalogItem), [
                dict(id=i, deleted=True, seq=seq + n, updated_at=now) for n, i in enumerate(gone)
            ])
        _set_meta(s, "catalog_version", version)
        if s.get(Meta, "catalog_epoch") is None:
            _set_meta(s, "catalog_epoch", secrets.token_hex(8))
    stats = ImportStats(version, len(depts), len(cats), len(items),
                        count - len(gone), len(gone), time.perf_counter() - t0)
    log.info("catalog %s imported: %d items, %d changed rows, %d deleted in %.2f s",
             version, len(items), stats.changed, stats.deleted, stats.seconds)
    return stats


def _set_meta(s: Session, key: str, value: str) -> None:
    row = s.get(Meta, key)
    if row is None:
        s.add(Meta(key=key, value=value))
    else:
        row.value = value


def upsert_item(s: Session, item: dict) -> int:
    """Add or change one item (admin); returns its change number."""
    row = item_row(item)
    if s.get(Category, row["category_code"]) is None:
        raise KeyError(f"unknown category {row['category_code']!r}")
    if s.get(Department, row["department_code"]) is None:
        raise KeyError(f"unknown department {row['department_code']!r}")
    row.update(seq=next_values(s, SEQUENCE), updated_at=utcnow())
    existing = s.get(CatalogItem, row["id"])
    if existing is None:
        s.add(CatalogItem(**row))
    else:
        for k, v in row.items():
            setattr(existing, k, v)
    return row["seq"]


def delete_item(s: Session, item_id: str) -> int | None:
    """Tombstone one item (admin); returns its change number, or None if there is none alive."""
    existing = s.get(CatalogItem, item_id)
    if existing is None or existing.deleted:
        return None
    existing.deleted = True
    existing.seq = next_values(s, SEQUENCE)
    existing.updated_at = utcnow()
    return existing.seq


def _meta(s: Session, key: str) -> str:
    return s.scalar(select(Meta.value).where(Meta.key == key)) or ""


def changes_page(s: Session, cursor: int, limit: int) -> CatalogChanges:
    """The next `limit` changes after `cursor`, merged over the three tables by change number."""
    newest = current_value(s, SEQUENCE)
    if cursor > newest:
        raise CursorAhead(cursor, newest)

    def fetch(model):
        return s.scalars(select(model).where(model.seq > cursor).order_by(model.seq)
                         .limit(limit + 1))

    merged = list(heapq.merge(fetch(Department).all(), fetch(Category).all(),
                              fetch(CatalogItem).all(), key=lambda r: r.seq))
    page, has_more = merged[:limit], len(merged) > limit
    changes: list = []
    deleted: list[str] = []
    for r in page:
        if isinstance(r, Department):
            changes.append(DepartmentChange(seq=r.seq, code=r.code, name=r.name,
                                            short_name=r.short_name, name_en=r.name_en,
                                            order=r.sort_order))
        elif isinstance(r, Category):
            changes.append(CategoryChange(seq=r.seq, code=r.code, department=r.department_code,
                                          name=r.name, name_en=r.name_en, order=r.sort_order))
        elif r.deleted:
            deleted.append(r.id)
        else:
            changes.append(ItemChange(
                seq=r.seq, id=r.id, code=r.code, name=r.name, department=r.department_code,
                category=r.category_code, level=r.level, kiosk_enabled=r.kiosk_enabled,
                high_frequency=r.high_frequency, url=r.url, keys=json.loads(r.keys_json),
                guide=None if r.guide_json is None else json.loads(r.guide_json),
            ))
    return CatalogChanges(
        changes=changes, deleted_item_ids=deleted,
        next_cursor=page[-1].seq if page else cursor, has_more=has_more,
        catalog_version=_meta(s, "catalog_version"), epoch=_meta(s, "catalog_epoch"),
    )
