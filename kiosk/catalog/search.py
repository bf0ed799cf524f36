"""Catalog search: Chinese substrings, full pinyin and pinyin initials, with synonyms.

The index is built once from the store (pinyin keys were computed when the catalog was built, so
no pinyin dictionary is loaded here). It is compact, because the kiosk builds it as it starts
and keeps it for months: each of the three key spellings (Chinese text, full pinyin, initials)
of every search key is one line of one long string, so a keystroke is a few `str.find` calls
over three strings (in C) instead of a Python loop over 10,000 key objects, and the index holds
about 3 MiB instead of about 15. An item's own fields are kept as one string and only taken
apart for the hits shown.

Ranking, best first: exact match, then prefix, then substring; inside each tier high-frequency
items first, then the earlier the match and the shorter the name, then the item id.
"""

from __future__ import annotations

import heapq
import re
import threading
from array import array
from bisect import bisect_right
from dataclasses import dataclass

from kiosk.catalog.synonyms import expand_query

EXACT, PREFIX, SUBSTRING = 0, 1, 2
_LATIN = re.compile(r"^[a-z]+$")
_SPACES = re.compile(r"[\s'’·]+")
_SEP = "\n"  # between keys in a column: never in a normalized query (whitespace is removed)
_FIELD = "\x1f"  # between an item's fields
_RECORD = "\x1e"  # between items in the records string


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


class _Column:
    """One spelling of every key, as lines of one string, with where each line starts."""

    __slots__ = ("text", "starts")

    def __init__(self, values: list[str], sep: str = _SEP):
        self.text = sep.join(values) + sep
        starts = array("i", [0])
        pos = 0
        for v in values:
            pos += len(v) + 1
            starts.append(pos)
        self.starts = starts  # len(values) + 1 entries: line k is text[starts[k]:starts[k+1]-1]


def _str(value) -> str:
    return "" if value is None else str(value)


class SearchIndex:
    def __init__(self, rows, *, lazy: bool = False):
        """rows: (id, name, department, department_code, url, level, high_frequency, keys),
        keys a list of {"text", "pinyin", "initials"}; or the catalog repository's
        `SearchRows`, read in chunks of columns ordered by id (faster, less memory).

        lazy (with `SearchRows` only): read the rows at the first search (or `build()`), not
        now; `len()` counts them in the store meanwhile. For a kiosk that shows its home screen
        first and builds the index right after."""
        self._lock = threading.Lock()
        self._rows = rows if lazy and hasattr(rows, "count") else None
        if self._rows is None:
            self._build(rows)

    @property
    def built(self) -> bool:
        return self._rows is None

    def build(self) -> SearchIndex:
        """Read the rows now if that has not happened yet (a lazy index); returns self."""
        if self._rows is not None:
            with self._lock:
                if self._rows is not None:
                    self._build(self._rows)
                    self._rows = None
        return self

    def _build(self, rows) -> None:
        chunks = getattr(rows, "chunks", None)
        if chunks is not None:
            parts = chunks()
        else:
            rows = sorted(rows, key=lambda r: r[0])  # item order is id order (the tie-break)
            parts = [tuple(list(c) for c in zip(*rows))] if rows else []
        records: list[str] = []
        hf = bytearray()
        name_len = array("l")
        key_of: dict[str, int] = {}
        texts: list[str] = []
        pinyins: list[str] = []
        initials: list[str] = []
        first = array("i")  # the first item of each key
        more: dict[int, list[int]] = {}  # the other items of a key several items share
        last_id = None
        for ids, names, depts, codes, urls, levels, hfs, keys in parts:
            base = len(records)
            if last_id is not None and ids[0] <= last_id:
                raise ValueError("search rows must come ordered by id")
            last_id = ids[-1]
            records += [
                _FIELD.join((_str(i), _str(n), _str(d), _str(c), _str(u), _str(lv)))
                for i, n, d, c, u, lv in zip(ids, names, depts, codes, urls, levels)]
            hf += bytes(1 if h else 0 for h in hfs)
            name_len.extend(len(_str(n)) for n in names)
            for idx, item_keys in enumerate(keys, base):
                for k in item_keys:
                    text = k["text"]
                    n = key_of.get(text)
                    if n is None:
                        key_of[text] = len(texts)
                        texts.append(_clean(text))
                        pinyins.append(_clean(k.get("pinyin", "")))
                        initials.append(_clean(k.get("initials", "")))
                        first.append(idx)
                    elif first[n] != idx and idx not in more.get(n, ()):
                        more.setdefault(n, []).append(idx)
        self._hf = bytes(hf)
        if len(records) > _IDX_MASK:
            raise ValueError(f"too many items for the search index ({len(records)})")
        # Flat arrays and one string rather than lists of Python ints and strings: ~1.6 MiB
        # less for 10,323 items (docs/decisions/0037); a hit takes its record apart.
        self._count = len(records)
        self._records = _Column(records, _RECORD)
        del records
        self._static = array("q", (((0 if h else 1) << _HF_SHIFT)
                                   | (min(length, (1 << _LEN_BITS) - 1) << _LEN_SHIFT) | i
                                   for i, (h, length) in enumerate(zip(self._hf, name_len))))
        self._text = _Column(texts)
        self._pinyin = _Column(pinyins)
        self._initials = _Column(initials)
        self._first = array("i", first)
        self._more = more
        self._letters: dict[str, int] = {}  # letter -> how many items it matches

    def key_spellings(self):
        """(text, full pinyin, initials) of every distinct search key (the catalog's names and
        synonyms): what the pinyin candidates are made from (`kiosk.catalog.pinyin_input`)."""
        self.build()
        columns = (self._text.text, self._pinyin.text, self._initials.text)
        return zip(*(c[:-len(_SEP)].split(_SEP) if c != _SEP else [] for c in columns))

    def __len__(self) -> int:
        rows = self._rows
        if rows is not None:
            return rows.count()
        return self._count

    @staticmethod
    def normalize(query: str) -> str:
        return _SPACES.sub("", query.strip().lower())

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        return self.query(query, limit).hits

    def query(self, query: str, limit: int = 50) -> SearchResult:
        """The best `limit` hits and how many items matched in all."""
        q = self.normalize(query)
        if not q:
            return SearchResult([], 0)
        self.build()
        # item index -> its rank as one integer (smaller is better): the tier and position of
        # its best match, with the item's own part (see _static) added. A single key that
        # one letter matches in 7,000 items costs a few additions, not tuples and a key function.
        best: dict[int, int] = {}
        latin = _LATIN.match(q)
        if latin and len(q) == 1:
            found = self._one_letter(q, limit)
            if found is not None:
                return found
        if latin:
            # initials first: a key whose initials match is not looked at in full pinyin
            seen = self._scan(self._initials, q, best, None)
            self._scan(self._pinyin, q, best, seen)
        else:
            for variant in expand_query(q):
                if variant and _SEP not in variant:
                    self._scan(self._text, variant, best, None)
        return SearchResult(self._hits(heapq.nsmallest(limit, best.values())), len(best))

    def _hits(self, ranked: list[int]) -> list[SearchHit]:
        hits = []
        text, starts = self._records.text, self._records.starts
        for score in ranked:
            i = score & _IDX_MASK
            record = text[starts[i]:starts[i + 1] - 1]
            item_id, name, dept, code, url, level = record.split(_FIELD)
            hits.append(SearchHit(item_id, name, dept, code, url, level, bool(self._hf[i]),
                                  score >> _TIER_SHIFT))
        return hits

    def _one_letter(self, c: str, limit: int) -> SearchResult | None:
        """The first keystroke of pinyin matches most of the catalog: rank only the keys whose
        initials (or, where the initials lack the letter, pinyin) start with it, since every
        other match is a substring one and ranks after them, and count the items the letter
        matches once. None when those keys hold fewer than `limit` items (then every match is
        ranked)."""
        total = self._letters.get(c)
        if total is None:  # counted on the letter's first use (26 at most)
            first, more = self._first, self._more
            keys = set()
            for column in (self._initials, self._pinyin):
                keys.update(k for k, line in enumerate(column.text.split(_SEP)) if c in line)
            keys.discard(len(self._first))  # the empty line after the last key
            matched = {first[k] for k in keys}
            for k in keys & more.keys():
                matched.update(more[k])
            total = self._letters[c] = len(matched)
        best: dict[int, int] = {}
        self._starting(self._initials, c, best, None)
        self._starting(self._pinyin, c, best, self._initials)
        if len(best) < limit:
            return None
        return SearchResult(self._hits(heapq.nsmallest(limit, best.values())), total)

    def _starting(self, column: _Column, c: str, best: dict[int, int],
                  unless_in: _Column | None) -> None:
        """Note the keys of `column` that start with the letter c (exact or prefix), those
        whose line in `unless_in` contains c aside."""
        text, starts, find = column.text, column.starts, column.text.find
        first, more, static = self._first, self._more, self._static
        pos = 0 if text.startswith(c) else find(_SEP + c)
        if pos > 0:
            pos += 1
        while pos >= 0:
            k = bisect_right(starts, pos) - 1
            end = starts[k + 1]
            if unless_in is None or c not in unless_in.text[unless_in.starts[k]:
                                                             unless_in.starts[k + 1] - 1]:
                dyn = (EXACT if end - pos - 1 == 1 else PREFIX) << _TIER_SHIFT
                for i in (first[k], *more.get(k, ())):
                    score = dyn + static[i]
                    old = best.get(i)
                    if old is None or score < old:
                        best[i] = score
            pos = find(_SEP + c, end - 1)
            if pos >= 0:
                pos += 1

    def _scan(self, column: _Column, q: str, best: dict[int, int], skip: set | None) -> set:
        """Note the first occurrence of q in each key of `column` (keys in `skip` aside);
        returns the keys matched."""
        starts, find = column.starts, column.text.find
        first, more, static = self._first, self._more, self._static
        n = len(q)
        matched = set()
        pos = find(q)
        while pos >= 0:
            k = bisect_right(starts, pos) - 1
            start, end = starts[k], starts[k + 1]
            pos_in_key = pos - start
            pos = find(q, end)
            if skip is not None and k in skip:
                continue
            matched.add(k)
            if pos_in_key:
                dyn = (SUBSTRING << _TIER_SHIFT) | (min(pos_in_key, _POS_MAX) << _POS_SHIFT)
            else:
                dyn = (EXACT if end - start - 1 == n else PREFIX) << _TIER_SHIFT
            i = first[k]
            score = dyn + static[i]
            old = best.get(i)
            if old is None or score < old:
                best[i] = score
            if k in more:
                for i in more[k]:
                    score = dyn + static[i]
                    old = best.get(i)
                    if old is None or score < old:
                        best[i] = score
        return matched


# A rank packed in one integer: tier, then not high-frequency, then the position of the match,
# then the length of the name, then the item's index (= id order).
_IDX_BITS, _LEN_BITS, _POS_BITS = 24, 16, 16
_IDX_MASK = (1 << _IDX_BITS) - 1
_POS_MAX = (1 << _POS_BITS) - 1
_LEN_SHIFT = _IDX_BITS
_POS_SHIFT = _LEN_SHIFT + _LEN_BITS
_HF_SHIFT = _POS_SHIFT + _POS_BITS
_TIER_SHIFT = _HF_SHIFT + 1


def _clean(value: str) -> str:
    """A key spelling as one line (a line break would split it in two)."""
    value = "" if value is None else str(value)
    return value.replace(_SEP, " ") if _SEP in value else value
