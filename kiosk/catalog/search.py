"""Catalog search: Chinese substrings, full pinyin and pinyin initials, with synonyms.

The index is built once from the store (pinyin keys were computed when the catalog was built, so
no pinyin dictionary is loaded here). Item names repeat across service points (the same item at
the district centre and at each town's centre), so matching runs over the distinct key texts and
fans out to their items, which keeps a keystroke over 10,000 items to a few milliseconds.

Ranking, best first: exact match, then prefix, then substring; inside each tier high-frequency
items first, then the earlier the match and the shorter the name.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from kiosk.catalog.synonyms import expand_query

EXACT, PREFIX, SUBSTRING = 0, 1, 2
_LATIN = re.compile(r"^[a-z]+$")
_SPACES = re.compile(r"[\s'’·]+")


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    name: str
    department: str
    department_code: str
    url: str
    level: str
    high_frequency: bool
    tier: int

    def as_json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "department": self.department,
            "department_code": self.department_code, "url": self.url, "level": self.level,
            "high_frequency": self.high_frequency,
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[SearchHit]
    total: int


@dataclass(slots=True)
class _Key:
    text: str
    pinyin: str
    initials: str
    items: list[int]


class SearchIndex:
    def __init__(self, rows):
        """rows: (id, name, department, department_code, url, level, high_frequency, keys)."""
        self._items: list[tuple] = []
        keys: dict[str, _Key] = {}
        for idx, (item_id, name, dept, dept_code, url, level, hf, item_keys) in enumerate(rows):
            self._items.append((item_id, name, dept, dept_code, url, level, bool(hf)))
            for k in item_keys:
                text = k["text"]
                entry = keys.get(text)
                if entry is None:
                    entry = keys[text] = _Key(text, k.get("pinyin", ""), k.get("initials", ""), [])
                entry.items.append(idx)
        self._keys = list(keys.values())

    def __len__(self) -> int:
        return len(self._items)

    @staticmethod
    def normalize(query: str) -> str:
        return _SPACES.sub("", query.strip().lower())

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        return self.query(query, limit).hits

    def query(self, query: str, limit: int = 50) -> "SearchResult":
        """The best `limit` hits and how many items matched in all."""
        q = self.normalize(query)
        if not q:
            return SearchResult([], 0)
        best: dict[int, tuple[int, int]] = {}  # item index -> (tier, position)

        def note(idxs: list[int], tier: int, pos: int) -> None:
            for i in idxs:
                cur = best.get(i)
                if cur is None or (tier, pos) < cur:
                    best[i] = (tier, pos)

        if _LATIN.match(q):
            for k in self._keys:
                pos = k.initials.find(q)
                if pos >= 0:
                    note(k.items, EXACT if k.initials == q else PREFIX if pos == 0 else SUBSTRING, pos)
                    continue
                pos = k.pinyin.find(q)
                if pos >= 0:
                    note(k.items, EXACT if k.pinyin == q else PREFIX if pos == 0 else SUBSTRING, pos)
        else:
            for variant in expand_query(q):
                for k in self._keys:
                    pos = k.text.find(variant)
                    if pos >= 0:
                        note(k.items, EXACT if k.text == variant else PREFIX if pos == 0 else SUBSTRING, pos)

        items = self._items
        ranked = heapq.nsmallest(
            limit,
            best.items(),
            key=lambda kv: (kv[1][0], not items[kv[0]][6], kv[1][1], len(items[kv[0]][1]), items[kv[0]][0]),
        )
        hits = [SearchHit(*items[i][:6], high_frequency=items[i][6], tier=t) for i, (t, _pos) in ranked]
        return SearchResult(hits, len(best))

