"""Catalog import, browsing and search ranking (small hand-written catalog, no Qt)."""

from __future__ import annotations

import gzip

import pytest
from conftest import small_catalog, write_catalog

from kiosk.catalog.importer import CatalogFileError, import_catalog, stored_version
from kiosk.catalog.repository import CatalogFilter, CatalogRepository
from kiosk.catalog.search import EXACT, PREFIX, SUBSTRING, SearchIndex
from kiosk.catalog.synonyms import aliases_for, expand_query
from kiosk.store.db import open_store


@pytest.fixture
def store(tmp_path, small_catalog_file):
    s = open_store(tmp_path / "k.sqlite3")
    import_catalog(s, small_catalog_file)
    yield s
    s.close()


@pytest.fixture
def index(store):
    return SearchIndex(CatalogRepository(store).search_rows())


def ids(hits):
    return [h.id for h in hits]


def test_import_counts_and_skip_same_version(tmp_path, store, small_catalog_file):
    repo = CatalogRepository(store)
    st = repo.stats()
    assert (st.items, st.departments, st.guides, st.version) == (26, 3, 26, "test.1")
    again = import_catalog(store, small_catalog_file)
    assert not again.imported
    newer = write_catalog(tmp_path / "v2.json.gz", {**small_catalog("test.2"), "items": small_catalog()["items"][:3]})
    assert import_catalog(store, newer).imported
    assert stored_version(store) == "test.2"
    assert repo.stats().items == 3


def test_bad_catalog_files_leave_the_old_one(tmp_path, store):
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(CatalogFileError):
        import_catalog(store, bad)
    with gzip.open(bad, "wb") as fh:
        fh.write(b'{"format": 99}')
    with pytest.raises(CatalogFileError, match="format 99"):
        import_catalog(store, bad)
    broken = small_catalog("test.9")
    del broken["items"][0]["name"]
    with pytest.raises(CatalogFileError, match="required field"):
        import_catalog(store, write_catalog(tmp_path / "b.json.gz", broken))
    with pytest.raises(CatalogFileError, match="not found"):
        import_catalog(store, tmp_path / "missing.json.gz")
    assert stored_version(store) == "test.1"
    assert CatalogRepository(store).stats().items == 26


def test_browse_department_category_paging(store):
    repo = CatalogRepository(store)
    assert [d.code for d in repo.departments()] == ["rs", "yb", "sc"]
    assert [c.code for c in repo.categories("rs")] == ["rs.ss", "rs.job"]
    page1, total = repo.items_in_category("sc.reg", 0, 7)
    page3, _ = repo.items_in_category("sc.reg", 14, 7)
    assert total == 20 and len(page1) == 7 and len(page3) == 6
    assert not {i.id for i in page1} & {i.id for i in page3}
    guide = repo.guide("RS-000001")
    assert guide.materials[0].name == "居民身份证" and guide.online_url.endswith("RS-000001")
    assert repo.guide("NOPE") is None


def test_filter_by_department_and_excluded_items(store):
    repo = CatalogRepository(store, CatalogFilter(frozenset({"rs"}), frozenset({"RS-000003"})))
    assert [d.code for d in repo.departments()] == ["rs"]
    assert [c.code for c in repo.categories("rs")] == ["rs.ss"]
    assert repo.guide("YB-000004") is None
    idx = SearchIndex(repo.search_rows())
    assert ids(idx.search("医保")) == []
    assert ids(idx.search("sybxjsl")) == []


def test_initials_find_short_form(index):
    hits = index.search("sbcb")
    assert hits and hits[0].name == "社会保险参保证明打印"
    # High-frequency district item before the same item at a town's service point.
    assert ids(hits)[:2] == ["RS-000001", "RS-000006"]


def test_full_pinyin_and_prefix(index):
    assert index.search("shehuibaoxian")[0].department_code == "rs"
    assert index.search("yibao")[0].id == "YB-000004"


def test_chinese_substring_and_synonyms(index):
    assert set(ids(index.search("医疗保险"))) == {"YB-000004", "YB-000005"}  # 医保参保凭证 via 医保
    assert "RS-000002" in ids(index.search("缴费明细"))
    assert ids(index.search("失业保险金")) == ["RS-000003"]


def test_ranking_exact_then_prefix_then_substring(index):
    exact = index.search("失业保险金申领")
    assert exact[0].tier == EXACT
    hits = index.search("sb")
    tiers = [h.tier for h in hits]
    assert tiers == sorted(tiers)
    assert PREFIX in tiers
    assert index.search("cbzm")[0].tier == SUBSTRING


def test_query_normalisation_and_total(index):
    assert ids(index.search(" S B C B ")) == ids(index.search("sbcb"))
    assert index.search("") == [] and index.search("   ") == []
    r = index.query("gtgs", limit=5)
    assert len(r.hits) == 5 and r.total == 20
    assert index.search("zzzzqqq") == []


def test_synonym_helpers():
    assert "社保参保证明打印" in aliases_for("社会保险参保证明打印")
    assert aliases_for("婚姻登记") == []
    assert "医疗保险账户" in expand_query("医保账户")
    assert "医保账户" in expand_query("医疗保险账户")


def test_category_lists_district_items_before_service_points(store):
    items, _ = CatalogRepository(store).items_in_category("rs.ss", 0, 10)
    assert [i.level for i in items] == ["区级", "区级", "丁堰街道"]


# --------------------------------------------------------------------------- compact index


def _reference(rows, query, limit):
    """The ranking as the module documents it, the plain way: every key of every item."""
    q = SearchIndex.normalize(query)
    if not q:
        return [], 0
    best = {}
    for item_id, name, _d, _c, _u, _l, hf, keys in rows:
        for k in keys:
            if q.isascii() and q.isalpha():
                for spelling in (k["initials"], k["pinyin"]):
                    pos = spelling.find(q)
                    if pos >= 0:
                        tier = EXACT if spelling == q else PREFIX if pos == 0 else SUBSTRING
                        rank = (tier, not hf, pos, len(name), item_id)
                        best[item_id] = min(best.get(item_id, rank), rank)
                        break
            else:
                for variant in expand_query(q):
                    pos = k["text"].find(variant)
                    if pos >= 0:
                        tier = EXACT if k["text"] == variant else PREFIX if pos == 0 else SUBSTRING
                        rank = (tier, not hf, pos, len(name), item_id)
                        best[item_id] = min(best.get(item_id, rank), rank)
    ranked = sorted(best.values())[:limit]
    return [(r[4], r[0]) for r in ranked], len(best)


def test_index_ranks_like_the_plain_reference(store):
    rows = list(CatalogRepository(store).search_rows())
    index = SearchIndex(CatalogRepository(store).search_rows())
    queries = ["sbcb", "shebao", "ybgrzh", "gtgs", "sybxjsl", "医保", "社会保险", "缴费明细",
               "个体工商户", "（3号）", "zzz", "bx"] + list("abcdefghijklmnopqrstuvwxyz")
    for q in queries:
        for n in range(1, len(q) + 1):
            for limit in (1, 3, 8, 50):
                got = index.query(q[:n], limit)
                assert ([(h.id, h.tier) for h in got.hits], got.total) == \
                    _reference(rows, q[:n], limit), (q[:n], limit)


def test_index_from_plain_rows_in_any_order(store):
    rows = list(CatalogRepository(store).search_rows())
    a = SearchIndex(reversed(rows))
    b = SearchIndex(CatalogRepository(store).search_rows())
    for q in ("sb", "s", "医保", "gtgshbgdj"):
        assert a.query(q, 50) == b.query(q, 50)


def test_lazy_index_reads_the_store_at_the_first_search(store):
    repo = CatalogRepository(store)
    index = SearchIndex(repo.search_rows(), lazy=True)
    assert not index.built
    assert len(index) == 26  # counted in the store, nothing read yet
    assert not index.built
    assert ids(index.search("sbcb"))[:2] == ["RS-000001", "RS-000006"]
    assert index.built and len(index) == 26
    assert SearchIndex(repo.search_rows(), lazy=True).build().built


def test_items_named_finds_the_item_and_its_service_points(store):
    repo = CatalogRepository(store)
    assert [i.id for i in repo.items_named(["社会保险参保证明打印"])] == ["RS-000001", "RS-000006"]
    assert [i.id for i in repo.items_named(["个体工商户变更登记"])] == \
        [f"SC-{n:06d}" for n in range(101, 121)]  # 个体工商户变更登记（n号）
    assert repo.items_named(["社会保险参保证明"]) == []  # a prefix alone is not the name
    assert repo.items_named([]) == []
    only_yb = CatalogRepository(store, CatalogFilter(frozenset({"yb"})))
    assert only_yb.items_named(["社会保险参保证明打印", "医保参保凭证打印"])[0].id == "YB-000005"
