"""Read access to the catalog in the local store, filtered by what this terminal offers.

Plain SQL through `Store.read()` (the standard `sqlite3` module): the home screen's tiles and
departments and the search index are read as the kiosk starts, before SQLAlchemy is loaded.
The tables are `kiosk.store.models`' (written by the importer and the catalog sync).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kiosk.catalog.model import CategoryInfo, DepartmentInfo, GuideDetail, ItemSummary
from kiosk.store.db import Store

DISTRICT_LEVEL = "区级"

_SUMMARY = (
    "SELECT s.id, s.name, s.department_code, d.short_name, s.category_code, s.level, s.url, "
    "s.high_frequency, s.kiosk_enabled "
    "FROM service_items s JOIN departments d ON d.code = s.department_code"
)


@dataclass(frozen=True)
class CatalogFilter:
    """Which items this terminal offers (from the config's [services] section)."""

    departments: frozenset[str] = frozenset()
    exclude_items: frozenset[str] = frozenset()

    def sql(self, alias: str = "s") -> tuple[str, list[str]]:
        """An SQL condition on `service_items` (as `alias`) and its parameters; "1" for all."""
        parts, params = [], []
        if self.departments:
            parts.append(f"{alias}.department_code IN ({','.join('?' * len(self.departments))})")
            params += sorted(self.departments)
        if self.exclude_items:
            parts.append(f"{alias}.id NOT IN ({','.join('?' * len(self.exclude_items))})")
            params += sorted(self.exclude_items)
        return (" AND ".join(parts) or "1"), params

    def where(self, stmt):
        """The same condition on an SQLAlchemy statement over `ServiceItem`."""
        from kiosk.store.models import ServiceItem

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


def _summary(row) -> ItemSummary:
    item_id, name, dept_code, dept, cat, level, url, hf, ke = row
    return ItemSummary(item_id, name, dept_code, dept, cat, level, url, bool(hf), bool(ke))


class SearchRows:
    """The rows the search index is built from, ordered by item id. Iterating gives
    (id, name, department short name, department code, url, level, high_frequency, keys)
    tuples; `chunks()` gives the same as columns, a thousand rows at a time with the keys of
    each chunk parsed as one JSON document (faster, and little memory in flight), which
    `SearchIndex` uses."""

    def __init__(self, store: Store, filter: CatalogFilter):
        self.store = store
        self.filter = filter

    def _batches(self, size: int) -> Iterator[list[tuple]]:
        cond, params = self.filter.sql()
        with self.store.read() as c:
            depts = dict(c.execute("SELECT code, short_name FROM departments"))
            cur = c.execute(
                "SELECT s.id, s.name, s.department_code, s.url, s.level, s.high_frequency, "
                f"s.keys_json FROM service_items s WHERE {cond} ORDER BY s.id", params)
            try:
                while batch := cur.fetchmany(size):
                    # (an item of a department that is not there is left out, as a join would)
                    yield [(i, n, depts[dc], dc, u, lv, hf, k) for i, n, dc, u, lv, hf, k in batch
                           if dc in depts]
            finally:
                cur.close()

    def count(self) -> int:
        cond, params = self.filter.sql()
        with self.store.read() as c:
            return c.execute(
                "SELECT count(*) FROM service_items s JOIN departments d "
                f"ON d.code = s.department_code WHERE {cond}", params).fetchone()[0]

    def chunks(self, size: int = 1024) -> Iterator[tuple[list, ...]]:
        for batch in self._batches(size):
            if batch:
                cols = list(zip(*batch))
                cols[7] = json.loads("[" + ",".join(cols[7]) + "]")
                yield tuple(cols)

    def __iter__(self) -> Iterator[tuple]:
        for batch in self._batches(1024):
            for item_id, name, dept, dept_code, url, level, hf, keys in batch:
                yield item_id, name, dept, dept_code, url, level, bool(hf), json.loads(keys)


class CatalogRepository:
    def __init__(self, store: Store, filter: CatalogFilter | None = None):
        self.store = store
        self.filter = filter or CatalogFilter()

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self.store.read() as c:
            return c.execute(sql, params).fetchall()

    def _scalar(self, sql: str, params: Sequence = ()):
        with self.store.read() as c:
            row = c.execute(sql, params).fetchone()
        return row[0] if row else None

    def version(self) -> str | None:
        return self._scalar("SELECT value FROM catalog_meta WHERE key = 'version'")

    def departments(self) -> list[DepartmentInfo]:
        cond, params = self.filter.sql()
        n = dict(self._rows(
            f"SELECT s.department_code, count(*) FROM service_items s WHERE {cond} "
            "GROUP BY s.department_code", params))
        return [
            DepartmentInfo(code, name, short, name_en, n[code])
            for code, name, short, name_en in self._rows(
                "SELECT code, name, short_name, name_en FROM departments ORDER BY sort_order")
            if n.get(code, 0) > 0
        ]

    def department(self, code: str) -> DepartmentInfo | None:
        return next((d for d in self.departments() if d.code == code), None)

    def categories(self, department_code: str) -> list[CategoryInfo]:
        cond, params = self.filter.sql()
        n = dict(self._rows(
            f"SELECT s.category_code, count(*) FROM service_items s "
            f"WHERE s.department_code = ? AND {cond} GROUP BY s.category_code",
            [department_code, *params]))
        return [
            CategoryInfo(code, dept, name, name_en, n[code])
            for code, dept, name, name_en in self._rows(
                "SELECT code, department_code, name, name_en FROM categories "
                "WHERE department_code = ? ORDER BY sort_order", [department_code])
            if n.get(code, 0) > 0
        ]

    def items_in_category(self, category_code: str, offset: int = 0, limit: int = 20) -> tuple[list[ItemSummary], int]:
        cond, params = self.filter.sql()
        total = self._scalar(
            f"SELECT count(*) FROM service_items s WHERE s.category_code = ? AND {cond}",
            [category_code, *params]) or 0
        rows = self._rows(
            # District-level items first (the same item at each town's service point
            # follows them), popular ones first, then by name.
            f"{_SUMMARY} WHERE s.category_code = ? AND {cond} "
            "ORDER BY s.level != ?, s.high_frequency DESC, s.name, s.id LIMIT ? OFFSET ?",
            [category_code, *params, DISTRICT_LEVEL, limit, offset])
        return [_summary(r) for r in rows], total

    def items(self, ids: Sequence[str]) -> list[ItemSummary]:
        """Items by id, in the order given; unknown or filtered ids are left out."""
        if not ids:
            return []
        cond, params = self.filter.sql()
        wanted = list(dict.fromkeys(ids))
        rows = self._rows(f"{_SUMMARY} WHERE s.id IN ({','.join('?' * len(wanted))}) AND {cond}",
                          [*wanted, *params])
        by_id = {r[0]: _summary(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def items_by_base_code(self, base_codes: Sequence[str]) -> dict[str, str]:
        """{item id: base code} of the items whose implementation code ends in one of
        `base_codes`. An implementation code (实施编码) is the implementing organisation's
        18-character credit code followed by the item's base code (基本编码), which is the same
        at every service point: the district's item and each town's variant share it."""
        codes = list(dict.fromkeys(c for c in base_codes if c))
        if not codes:
            return {}
        cond, params = self.filter.sql()
        base = f"substr(s.code, {ORG_CODE_LENGTH + 1})"
        return dict(self._rows(
            f"SELECT s.id, {base} FROM service_items s JOIN departments d "
            f"ON d.code = s.department_code WHERE {base} IN ({','.join('?' * len(codes))}) "
            f"AND {cond} ORDER BY s.id", [*codes, *params]))

    def items_named(self, names: Sequence[str]) -> list[ItemSummary]:
        """Items called exactly one of `names`, or one of them followed by a full-width
        parenthesis (the same item at a town's service point: 名称（遥观镇）), by id. A plain
        lookup for code that would otherwise search the index by name."""
        names = list(dict.fromkeys(n for n in names if n))
        if not names:
            return []
        cond, params = self.filter.sql()
        base = "CASE WHEN instr(s.name, '（') > 0 THEN substr(s.name, 1, instr(s.name, '（') - 1) " \
               "ELSE s.name END"
        rows = self._rows(f"{_SUMMARY} WHERE {base} IN ({','.join('?' * len(names))}) AND {cond} "
                          "ORDER BY s.id", [*names, *params])
        return [_summary(r) for r in rows]

    def high_frequency(self, limit: int = 12) -> list[ItemSummary]:
        cond, params = self.filter.sql()
        rows = self._rows(
            f"{_SUMMARY} WHERE s.high_frequency = 1 AND s.level = ? AND {cond} "
            "ORDER BY s.kiosk_enabled DESC, s.id LIMIT ?", [DISTRICT_LEVEL, *params, limit])
        return [_summary(r) for r in rows]

    def guide(self, item_id: str) -> GuideDetail | None:
        cond, params = self.filter.sql()
        with self.store.read() as c:
            row = c.execute(f"{_SUMMARY} WHERE s.id = ? AND {cond}", [item_id, *params]).fetchone()
            if row is None:
                return None
            body = c.execute("SELECT body_json FROM guides WHERE item_id = ?", [item_id]).fetchone()
        return GuideDetail.from_json(_summary(row), json.loads(body[0]) if body and body[0] else {})

    def search_rows(self) -> SearchRows:
        """(id, name, department short name, department code, url, level, high_frequency, keys)
        for the search index, by id."""
        return SearchRows(self.store, self.filter)

    def stats(self) -> CatalogStats:
        cond, params = self.filter.sql()

        def count(where: str = "1", join: str = "") -> int:
            return self._scalar(f"SELECT count(*) FROM service_items s {join} "
                                f"WHERE {where} AND {cond}", params) or 0

        items = count()
        guides = count(join="JOIN guides g ON g.item_id = s.id")
        hf = count("s.high_frequency = 1")
        ke = count("s.kiosk_enabled = 1")
        depts = self.departments()
        return CatalogStats(
            version=self.version(), items=items, departments=len(depts),
            categories=sum(len(self.categories(d.code)) for d in depts),
            guides=guides, high_frequency=hf, kiosk_enabled=ke,
        )
