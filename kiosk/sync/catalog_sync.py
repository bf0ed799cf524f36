"""Pulling the service catalog from the backend into the local store, page by page.

Each page is applied in one transaction together with the new (epoch, cursor) position, so a
crash or a dropped connection resumes from the last committed page and never half-applies one.
Rows are written in the shapes `kiosk.catalog.importer` writes (departments, categories,
service_items with their search keys, guides), so `CatalogRepository` and `SearchIndex` read a
synced catalog exactly like an imported one.

A sync from cursor 0 is a full one (the first sync, a catalog rebuilt on the backend: another
`epoch`, or a cursor the backend never issued): the rows received are noted in
`catalog_sync_seen`, and when the last page is in, local rows not received are dropped. Until
then the previous catalog stays usable, only refreshed row by row.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kiosk.store.db import Store
from kiosk.store.models import (
    CatalogMeta,
    CatalogSyncSeen,
    Category,
    Department,
    Guide,
    ServiceItem,
)
import protocol as p
from kiosk.sync import state
from kiosk.sync.adapter import BackendAdapter, BackendRejected, BackendUnavailable
from kiosk.sync.state import CatalogPosition

log = logging.getLogger("kiosk.sync.catalog")

# How many times one run may start again from 0 (epoch changed, cursor ahead) before giving up:
# a backend rebuilt twice in one sync is odd; more is a loop.
MAX_RESTARTS = 3


@dataclass(frozen=True)
class CatalogSyncResult:
    pages: int
    upserts: int
    deletions: int
    full: bool  # a full sync (from cursor 0) was completed in this run
    complete: bool  # the last page was reached (False: stopped on request, resumes later)
    cursor: int
    epoch: str
    version: str
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.upserts or self.deletions or self.full)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _upsert(s: Session, model, rows: list[dict], key: str) -> None:
    if not rows:
        return
    stmt = sqlite_insert(model)
    cols = {c: stmt.excluded[c] for c in rows[0] if c != key}
    s.execute(stmt.on_conflict_do_update(index_elements=[key], set_=cols), rows)


def _mark_seen(s: Session, kind: str, codes: list[str]) -> None:
    if codes:
        s.execute(sqlite_insert(CatalogSyncSeen).on_conflict_do_nothing(),
                  [{"kind": kind, "code": c} for c in codes])


class CatalogSync:
    """`run()` pulls until the backend says there is no more (or `should_stop()`)."""

    def __init__(self, store: Store, adapter: BackendAdapter, *,
                 page_size: int = p.CATALOG_PAGE_MAX,
                 on_page: Callable[[p.CatalogChanges], None] | None = None):
        self.store = store
        self.adapter = adapter
        self.page_size = page_size
        self.on_page = on_page

    def position(self) -> CatalogPosition:
        with self.store.session() as s:
            return state.read_position(s)

    def run(self, should_stop: Callable[[], bool] = lambda: False) -> CatalogSyncResult:
        """Raises what the adapter raises (`BackendUnavailable`, `NotEnrolled`,
        `BackendRejected`); every page applied before that stays applied."""
        t0 = time.perf_counter()
        pos = self.position()
        if pos.cursor == 0:
            pos = self._restart(pos.epoch)
        pages = upserts = deletions = restarts = 0
        full_done = False
        version = ""
        while True:
            try:
                page = self.adapter.catalog_changes(pos.cursor, self.page_size)
            except BackendRejected as exc:
                if exc.code != p.ErrorCode.CURSOR_AHEAD or restarts >= MAX_RESTARTS:
                    raise
                log.warning("catalog cursor %d unknown to the backend: full sync", pos.cursor)
                restarts += 1
                pos = self._restart("")
                continue
            if pos.epoch and page.epoch != pos.epoch:
                if restarts >= MAX_RESTARTS:
                    raise BackendUnavailable("catalog epoch keeps changing", "protocol")
                log.warning("catalog epoch changed (%s -> %s): full sync", pos.epoch, page.epoch)
                restarts += 1
                pos = self._restart(page.epoch)
                continue
            if page.has_more and page.next_cursor <= pos.cursor:
                raise BackendUnavailable("catalog page did not advance the cursor", "protocol")
            pos, full_done = self._apply(page, pos)
            pages += 1
            upserts += len(page.changes)
            deletions += len(page.deleted_item_ids)
            version = page.catalog_version
            if self.on_page is not None:
                self.on_page(page)
            if not page.has_more or should_stop():
                break
        result = CatalogSyncResult(pages, upserts, deletions, full_done, not page.has_more,
                                   pos.cursor, pos.epoch, version, time.perf_counter() - t0)
        log.info("catalog sync: %d pages, %d changes, %d deletions%s in %.2f s (cursor %d)",
                 pages, upserts, deletions, ", full" if full_done else "", result.seconds,
                 pos.cursor)
        return result

    def _restart(self, epoch: str) -> CatalogPosition:
        pos = CatalogPosition(0, epoch, True)
        with self.store.session() as s:
            s.execute(delete(CatalogSyncSeen))
            state.write_position(s, pos)
        return pos

    def _apply(self, page: p.CatalogChanges,
               pos: CatalogPosition) -> tuple[CatalogPosition, bool]:
        now = utcnow()
        depts, cats, items, guides, no_guide = [], [], [], [], []
        for c in page.changes:
            if isinstance(c, p.DepartmentChange):
                depts.append(dict(code=c.code, name=c.name, short_name=c.short_name or c.name,
                                  name_en=c.name_en, sort_order=c.order))
            elif isinstance(c, p.CategoryChange):
                cats.append(dict(code=c.code, department_code=c.department, name=c.name,
                                 name_en=c.name_en, sort_order=c.order))
            else:
                keys = [k.model_dump() for k in c.keys] or [
                    {"text": c.name, "pinyin": "", "initials": ""}]
                items.append(dict(
                    id=c.id, code=c.code, name=c.name, department_code=c.department,
                    category_code=c.category, level=c.level, kiosk_enabled=c.kiosk_enabled,
                    high_frequency=c.high_frequency, url=c.url,
                    keys_json=json.dumps(keys, ensure_ascii=False)))
                if c.guide is not None:
                    guides.append(dict(item_id=c.id, updated_at=now,
                                       body_json=json.dumps(c.guide, ensure_ascii=False)))
                else:
                    no_guide.append(c.id)
        new = CatalogPosition(page.next_cursor, page.epoch, pos.full)
        full_done = False
        with self.store.session() as s:
            # A department before its categories, a category before its items (the backend's
            # order guarantees the parents arrived in this page or an earlier one).
            _upsert(s, Department, depts, "code")
            _upsert(s, Category, cats, "code")
            _upsert(s, ServiceItem, items, "id")
            _upsert(s, Guide, guides, "item_id")
            if no_guide:
                s.execute(delete(Guide).where(Guide.item_id.in_(no_guide)))
            if page.deleted_item_ids:
                s.execute(delete(ServiceItem).where(ServiceItem.id.in_(page.deleted_item_ids)))
            if pos.full:
                _mark_seen(s, "department", [d["code"] for d in depts])
                _mark_seen(s, "category", [c["code"] for c in cats])
                _mark_seen(s, "item", [i["id"] for i in items])
                if not page.has_more:
                    self._drop_unseen(s)
                    new = CatalogPosition(page.next_cursor, page.epoch, False)
                    full_done = True
            state.write_position(s, new)
            if page.catalog_version:
                s.merge(CatalogMeta(key="version", value=page.catalog_version))
            if not page.has_more:
                stamp = now.isoformat(timespec="seconds")
                s.merge(CatalogMeta(key="synced_at", value=stamp))
                state.put(s, state.CATALOG_SYNCED_AT, stamp)
        return new, full_done

    @staticmethod
    def _drop_unseen(s: Session) -> None:
        seen_items = select(CatalogSyncSeen.code).where(CatalogSyncSeen.kind == "item")
        received = s.scalar(select(func.count()).select_from(seen_items.subquery())) or 0
        if not received:
            # A backend with an empty catalog is a misconfiguration, not a reason to leave
            # citizens with nothing to browse: keep what the terminal has.
            log.warning("full catalog sync received no items: the local catalog is kept")
        else:
            n = s.execute(delete(ServiceItem).where(ServiceItem.id.not_in(seen_items))).rowcount
            seen_cats = select(CatalogSyncSeen.code).where(CatalogSyncSeen.kind == "category")
            seen_depts = select(CatalogSyncSeen.code).where(CatalogSyncSeen.kind == "department")
            n += s.execute(delete(Category).where(Category.code.not_in(seen_cats))).rowcount
            n += s.execute(delete(Department).where(Department.code.not_in(seen_depts))).rowcount
            if n:
                log.info("full catalog sync dropped %d local rows the backend does not have", n)
        s.execute(delete(CatalogSyncSeen))
