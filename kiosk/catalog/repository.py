"""Read access to the catalog in the local store, filtered by what this terminal offers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from kiosk.catalog.model import CategoryInfo, DepartmentInfo, GuideDetail, ItemSummary
from kiosk.store.db import Store
from kiosk.store.models import CatalogMeta, Category, Department, Guide, ServiceItem


DISTRICT_LEVEL = "区级"


@dataclass(frozen=True)
class CatalogFilter:
    """Which items this terminal offers (from the config's [services] section)."""

    departments: frozenset[str] = frozenset()
    exclude_items: frozenset[str] = frozenset()

    def where(self, stmt):
        if self.departments:
            stmt = stmt.where(ServiceItem.department_code.in_(self.departments))
        if self.exclude_items:
            stmt = stmt.where(ServiceItem.id.not_in(self.exclude_items))
        return stmt


@dataclass(frozen=True)
class CatalogStats:
    version: str | None
    items: int
    departments: int
    categories: int
    guides: int
    high_frequency: int
    kiosk_enabled: int


ORG_CODE_LENGTH = 18  # a unified social credit code (统一社会信用代码)


class CatalogRepository:
    def __init__(self, store: Store, filter: CatalogFilter | None = None):
        self.store = store
        self.filter = filter or CatalogFilter()

    def _summary_stmt(self):
        return select(
            ServiceItem.id, ServiceItem.name, ServiceItem.department_code, Department.short_name,
            ServiceItem.category_code, ServiceItem.level, ServiceItem.url,
            ServiceItem.high_frequency, ServiceItem.kiosk_enabled,
        ).join(Department, Department.code == ServiceItem.department_code)

    @staticmethod
    def _summary(row) -> ItemSummary:
        return ItemSummary(*row)

    def version(self) -> str | None:
        with self.store.session() as s:
            return s.scalar(select(CatalogMeta.value).where(CatalogMeta.key == "version"))

    def departments(self) -> list[DepartmentInfo]:
        counts = self.filter.where(
            select(ServiceItem.department_code, func.count()).group_by(ServiceItem.department_code)
        )
        with self.store.session() as s:
            n = dict(s.execute(counts).all())
            rows = s.execute(select(Department).order_by(Department.sort_order)).scalars().all()
            return [
                DepartmentInfo(d.code, d.name, d.short_name, d.name_en, n.get(d.code, 0))
                for d in rows
                if n.get(d.code, 0) > 0
            ]

    def department(self, code: str) -> DepartmentInfo | None:
        return next((d for d in self.departments() if d.code == code), None)

    def categories(self, department_code: str) -> list[CategoryInfo]:
        counts = self.filter.where(
            select(ServiceItem.category_code, func.count())
            .where(ServiceItem.department_code == department_code)
            .group_by(ServiceItem.category_code)
        )
        with self.store.session() as s:
            n = dict(s.execute(counts).all())
            rows = s.execute(
                select(Category)
                .where(Category.department_code == department_code)
                .order_by(Category.sort_order)
            ).scalars().all()
            return [
                CategoryInfo(c.code, c.department_code, c.name, c.name_en, n.get(c.code, 0))
                for c in rows
                if n.get(c.code, 0) > 0
            ]

    def items_in_category(self, category_code: str, offset: int = 0, limit: int = 20) -> tuple[list[ItemSummary], int]:
        base = self.filter.where(
            self._summary_stmt().where(ServiceItem.category_code == category_code)
        )
        with self.store.session() as s:
            total = s.scalar(
                self.filter.where(
                    select(func.count()).select_from(ServiceItem)
                    .where(ServiceItem.category_code == category_code)
                )
            ) or 0
            rows = s.execute(
                # District-level items first (the same item at each town's service point
                # follows them), popular ones first, then by name.
                base.order_by((ServiceItem.level != DISTRICT_LEVEL), ServiceItem.high_frequency.desc(),
                              ServiceItem.name, ServiceItem.id)
                .offset(offset).limit(limit)
            ).all()
        return [self._summary(r) for r in rows], total

    def items(self, ids: Sequence[str]) -> list[ItemSummary]:
        """Items by id, in the order given; unknown or filtered ids are left out."""
        if not ids:
            return []
        with self.store.session() as s:
            rows = s.execute(self.filter.where(self._summary_stmt().where(ServiceItem.id.in_(ids)))).all()
        by_id = {r.id: self._summary(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def items_by_base_code(self, base_codes: Sequence[str]) -> dict[str, str]:
        """{item id: base code} of the items whose implementation code ends in one of
        `base_codes`. An implementation code (实施编码) is the implementing organisation's
        18-character credit code followed by the item's base code (基本编码), which is the same
        at every service point: the district's item and each town's variant share it."""
        if not base_codes:
            return {}
        base = func.substr(ServiceItem.code, ORG_CODE_LENGTH + 1)
        with self.store.session() as s:
            rows = s.execute(self.filter.where(
                select(ServiceItem.id, base.label("base"), ServiceItem.department_code)
                .where(base.in_(list(base_codes))))).all()
        return {r.id: r.base for r in rows}

    def high_frequency(self, limit: int = 12) -> list[ItemSummary]:
        with self.store.session() as s:
            rows = s.execute(
                self.filter.where(
                    self._summary_stmt().where(ServiceItem.high_frequency.is_(True))
                    .where(ServiceItem.level == DISTRICT_LEVEL)
                )
                .order_by(ServiceItem.kiosk_enabled.desc(), ServiceItem.id)
                .limit(limit)
            ).all()
        return [self._summary(r) for r in rows]

    def guide(self, item_id: str) -> GuideDetail | None:
        with self.store.session() as s:
            row = s.execute(
                self.filter.where(self._summary_stmt().where(ServiceItem.id == item_id))
            ).first()
            if row is None:
                return None
            body = s.scalar(select(Guide.body_json).where(Guide.item_id == item_id))
        return GuideDetail.from_json(self._summary(row), json.loads(body) if body else {})

    def search_rows(self):
        """(id, name, department short name, department code, url, level, high_frequency, keys)
        for the search index."""
        stmt = self.filter.where(
            select(ServiceItem.id, ServiceItem.name, Department.short_name,
                   ServiceItem.department_code, ServiceItem.url, ServiceItem.level,
                   ServiceItem.high_frequency, ServiceItem.keys_json)
            .join(Department, Department.code == ServiceItem.department_code)
        ).order_by(ServiceItem.id)
        with self.store.session() as s:
            for r in s.execute(stmt):
                yield (r.id, r.name, r.short_name, r.department_code, r.url, r.level, r.high_frequency,
                       json.loads(r.keys_json))

    def stats(self) -> CatalogStats:
        with self.store.session() as s:
            def count(stmt):
                return s.scalar(stmt) or 0
            items = count(self.filter.where(select(func.count()).select_from(ServiceItem)))
            guides = count(self.filter.where(
                select(func.count()).select_from(Guide).join(ServiceItem, ServiceItem.id == Guide.item_id)))
            hf = count(self.filter.where(
                select(func.count()).select_from(ServiceItem).where(ServiceItem.high_frequency.is_(True))))
            ke = count(self.filter.where(
                select(func.count()).select_from(ServiceItem).where(ServiceItem.kiosk_enabled.is_(True))))
        depts = self.departments()
        return CatalogStats(
            version=self.version(), items=items, departments=len(depts),
            categories=sum(len(self.categories(d.code)) for d in depts),
            guides=guides, high_frequency=hf, kiosk_enabled=ke,
        )
