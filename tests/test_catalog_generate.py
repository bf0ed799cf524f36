"""The catalog generator and the shipped catalog file (no Qt).

The full catalog generates in about a second, so the shipped file is compared byte for byte
with a fresh generation rather than with a subset.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

pytest.importorskip("pypinyin")

from kiosk.catalog import generate, sources  # noqa: E402

SHIPPED = Path(__file__).resolve().parents[1] / "assets" / "catalog" / "catalog.json.gz"
TOWN_SUFFIX = re.compile(r"（([^（）]+(?:街道|镇))）$")

# The well-known items the catalog must carry, all marked high-frequency.
FAMOUS = [
    "社会保险参保证明打印", "社会保险个人缴费明细查询", "城乡居民基本养老保险参保登记",
    "失业保险金申领", "医疗保险个人账户余额查询", "基本医疗保险参保凭证打印", "异地就医备案",
    "住房公积金缴存查询", "住房公积金提取（租房）", "不动产登记信息查询", "无房证明开具",
    "居民身份证换领", "户口迁移", "机动车驾驶证换证", "普通护照签发", "个体工商户设立登记",
    "食品经营许可（新办）", "最低生活保障审批", "内地居民结婚登记", "出生医学证明签发",
    "义务教育入学登记",
]


@pytest.fixture(scope="module")
def fresh() -> dict:
    return generate.generate_catalog()


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads(gzip.decompress(SHIPPED.read_bytes()).decode("utf-8"))


@pytest.fixture(scope="module")
def items(shipped) -> list[dict]:
    return shipped["items"]


def test_generation_is_deterministic(tmp_path):
    a = generate.write_catalog(tmp_path / "a.json.gz", generate.generate_catalog(min_items=1))
    b = generate.write_catalog(tmp_path / "b.json.gz", generate.generate_catalog(min_items=1))
    assert a.read_bytes() == b.read_bytes()
    other = generate.catalog_bytes(generate.generate_catalog(seed=7, min_items=1))
    assert other != a.read_bytes()


def test_shipped_file_equals_fresh_generation(fresh):
    assert generate.catalog_bytes(fresh) == SHIPPED.read_bytes(), (
        "assets/catalog/catalog.json.gz is stale: "
        "run python -m kiosk.catalog.generate --out assets/catalog/catalog.json.gz")


def test_small_catalog_is_a_prefix_of_the_full_one(fresh):
    small = generate.generate_catalog(min_items=1)
    assert {it["level"] for it in small["items"]} == {sources.DISTRICT_LEVEL}
    full = {it["id"]: it for it in fresh["items"]}
    assert small["departments"] == fresh["departments"]
    for it in small["items"]:
        assert full[it["id"]] == it


def test_min_items_out_of_reach_raises():
    with pytest.raises(ValueError, match="fewer than"):
        generate.generate_catalog(min_items=1_000_000)


def test_main_writes_the_file(tmp_path, capsys):
    out = tmp_path / "sub" / "catalog.json.gz"
    assert generate.main(["--out", str(out), "--min-items", "1"]) == 0
    data = json.loads(gzip.decompress(out.read_bytes()))
    assert data["format"] == 1 and data["seed"] == generate.DEFAULT_SEED
    assert "items" in capsys.readouterr().out


def test_top_level(shipped):
    assert shipped["format"] == 1
    assert shipped["version"] == generate.VERSION
    assert shipped["seed"] == generate.DEFAULT_SEED


def test_counts_and_references(shipped, items):
    depts = shipped["departments"]
    assert len(items) >= 10_000
    assert len(depts) >= 14
    assert [d["order"] for d in depts] == list(range(1, len(depts) + 1))
    cats = {}
    for d in depts:
        assert d["name"] and d["short_name"] and d["name_en"]
        assert 3 <= len(d["categories"]) <= 8, d["code"]
        for c in d["categories"]:
            assert c["code"].startswith(d["code"] + ".")
            assert c["name"] and c["name_en"]
            cats[c["code"]] = d["code"]
    for it in items:
        assert cats[it["category"]] == it["department"], it["id"]
    ids = [it["id"] for it in items]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert len({it["code"] for it in items}) == len(items)
    assert len({it["name"] for it in items}) == len(items)
    district = [it for it in items if it["level"] == sources.DISTRICT_LEVEL]
    assert len({it["name"] for it in district}) >= 400


def test_ids_and_codes(items):
    for it in items:
        assert re.fullmatch(r"[A-Z]+-\d{6}", it["id"]), it["id"]
        assert it["id"].split("-")[0] == it["department"].upper()
        assert it["url"] == sources.URL_BASE + it["id"] == it["guide"]["online_url"]
        code = it["code"]
        assert len(code) == 28 and code[18:].isdigit(), code
        assert generate.credit_code_valid(code[:18]), code


def test_every_service_point_is_present(items):
    levels = {it["level"] for it in items}
    assert levels == {sources.DISTRICT_LEVEL, *sources.TOWNS}, (
        "the default catalog should need every town to reach 10,000 items; "
        "adjust what moves down (flags T/Z/N, TOWN_CATEGORIES) in kiosk/catalog/sources.py")


def test_place_and_window_match_the_service_point(items):
    for it in items:
        g, level = it["guide"], it["level"]
        m = TOWN_SUFFIX.search(it["name"])
        if level == sources.DISTRICT_LEVEL:
            assert m is None, it["name"]
            assert not any(t in g["place"] for t in sources.TOWNS), it["id"]
        else:
            assert m and m.group(1) == level, it["name"]
            assert g["place"].startswith(f"{level}便民服务中心"), it["id"]
            assert g["hours"] == sources.HOURS_TOWN
        assert re.search(r"\d+(-\d+)? 号", g["window"]), g["window"]


def test_every_guide_is_complete(items):
    for it in items:
        g = it["guide"]
        assert g["format"] == 1
        assert g["service_object"] in ("自然人", "法人", "自然人/法人")
        assert 1 <= len(g["materials"]) <= 6, it["name"]
        for m in g["materials"]:
            assert m["name"] and isinstance(m["note"], str)
            assert isinstance(m["originals"], int) and isinstance(m["copies"], int)
            assert m["originals"] + m["copies"] >= 1
        assert 2 <= len(g["steps"]) <= 6 and all(g["steps"]), it["name"]
        assert 0 <= g["promised_limit_days"] <= g["legal_limit_days"], it["name"]
        assert g["handling_type"] == ("即办件" if g["promised_limit_days"] == 0 else "承诺件")
        assert g["fee"] and g["place"] and g["window"] and g["hours"]
        assert re.fullmatch(r"0519-8\d{7}", g["phone"]), g["phone"]
        assert g["basis"].startswith("《"), it["name"]


def test_search_keys(items):
    for it in items:
        keys = it["keys"]
        assert keys[0]["text"] == it["name"]
        assert len({k["text"] for k in keys}) == len(keys)
        for k in keys:
            assert re.fullmatch(r"[a-z]+", k["pinyin"]), k
            assert re.fullmatch(r"[a-z]+", k["initials"]), k
            assert k["pinyin"][0] == k["initials"][0]
            assert len(k["initials"]) <= len(k["pinyin"])


def test_sbcb_finds_the_social_insurance_certificate(items):
    hits = [it for it in items if "社会保险参保证明" in it["name"]
            and any(k["initials"].startswith("sbcb") for k in it["keys"])]
    assert hits
    district = next(it for it in hits if it["level"] == sources.DISTRICT_LEVEL)
    assert district["name"] == "社会保险参保证明打印"
    assert {"text": "社保参保证明打印", "pinyin": "shebaocanbaozhengmingdayin",
            "initials": "sbcbzmdy"} in district["keys"]


@pytest.mark.parametrize("text, pinyin", [
    ("社会保障卡银行账户变更", "shehuibaozhangkayinhangzhanghubiangeng"),
    ("补领机动车行驶证", "bulingjidongchexingshizheng"),
    ("社会保障卡密码修改与重置", "shehuibaozhangkamimaxiugaiyuchongzhi"),
    ("住房公积金贷款提前还款", "zhufanggongjijindaikuantiqianhuankuan"),
    ("退役军人参战身份认定", "tuiyijunrencanzhanshenfenrending"),
    ("城乡居民基本养老保险参保登记（丁堰街道）", "chengxiangjumin"
     "jibenyanglaobaoxiancanbaodengjidingyanjiedao"),
])
def test_pinyin_readings(text, pinyin):
    assert generate.pinyin_key(text)[0] == pinyin


def test_flag_rates(items):
    n = len(items)
    kiosk = sum(it["kiosk_enabled"] for it in items) / n
    high = sum(it["high_frequency"] for it in items) / n
    assert 0.03 <= kiosk <= 0.08, kiosk
    assert 0.01 <= high <= 0.02, high


def test_famous_items_are_high_frequency(items):
    district = {it["name"]: it for it in items if it["level"] == sources.DISTRICT_LEVEL}
    for name in FAMOUS:
        assert district[name]["high_frequency"], name
    assert district["社会保险参保证明打印"]["kiosk_enabled"]
    assert district["无房证明开具"]["kiosk_enabled"]
