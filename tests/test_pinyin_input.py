"""Chinese characters from pinyin letters, from the catalog's own search keys
(kiosk.catalog.pinyin_input; docs/decisions/0035). Direct tests of the core, no Qt."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from kiosk.catalog.importer import BUNDLED_CATALOG
from kiosk.catalog.pinyin_input import CandidateIndex, segment, split_letters
from kiosk.catalog.search import SearchIndex


def texts(found) -> list[str]:
    return [c.text for c in found]


@pytest.mark.parametrize("pinyin, initials, syllables", [
    ("shebaocanbao", "sbcb", ("she", "bao", "can", "bao")),
    ("xian", "xa", ("xi", "an")),  # 西安: the initials say where the second syllable starts
    ("xian", "x", ("xian",)),  # 县
    ("yinhang", "yh", ("yin", "hang")),
    ("nvxing", "nx", ("nv", "xing")),  # ü written v
    ("erxian", "ex", ("er", "xian")),
])
def test_segment_cuts_one_syllable_per_initial(pinyin, initials, syllables):
    assert segment(pinyin, initials) == syllables


@pytest.mark.parametrize("pinyin, initials", [
    ("shebao", "sbc"),  # one initial too many
    ("shebao", "sx"),  # initials of another word
    ("qxz", "qxz"),  # no syllables
    ("", ""),
])
def test_segment_refuses_what_does_not_fit(pinyin, initials):
    assert segment(pinyin, initials) is None


def test_split_letters_reads_syllables_initials_and_a_last_syllable_cut_short():
    assert split_letters("shebao")[0] == ["she", "bao"]
    assert ["xi", "an"] in split_letters("xian") and ["xian"] in split_letters("xian")
    assert split_letters("sheb") == [["she", "b"]]
    assert split_letters("sb") == [["s", "b"]]
    assert split_letters("shbx") == [["sh", "b", "x"]]


KEYS = [  # (text, pinyin, initials) as the catalog's search keys hold them
    ("社会保险参保证明打印", "shehuibaoxiancanbaozhengmingdayin", "shbxcbzmdy"),
    ("社保参保证明打印", "shebaocanbaozhengmingdayin", "sbcbzmdy"),
    ("社保个人缴费明细查询", "shebaogerenjiaofeimingxichaxun", "sbgrjfmxcx"),
    ("医保个人账户余额查询", "yibaogerenzhanghuyuechaxun", "ybgrzhyecx"),
    ("医保参保凭证打印", "yibaocanbaopingzhengdayin", "ybcbpzdy"),
    ("社保卡申领", "shebaokashenling", "sbksl"),
    ("申报纳税", "shenbaonashui", "sbns"),
    ("申报个税", "shenbaogeshui", "sbgs"),
    ("银行卡（一类）挂失", "yinhangkayileiguashi", "yhkylgs"),  # non-Han inside: two runs
    ("存折（一类）挂失", "cunzheyileiguashi", "czylgs"),
    ("银行代发", "yinhangdaifa", "yhdf"),
    ("broken key", "brokenkey", "bk"),  # no Han characters: left out
    ("错位", "cuo", "cw"),  # pinyin that does not fit its initials: left out
]


@pytest.fixture(scope="module")
def small() -> CandidateIndex:
    return CandidateIndex.from_keys(KEYS)


def test_words_of_the_catalog_most_frequent_first(small):
    found = small.candidates("shebao")
    assert texts(found)[0] == "社保"  # in three keys, spelled out in full
    assert found[0].letters == 6 and found[0].count == 3
    # then a first part of the letters: the single characters for "she"
    assert "社" in texts(found) and found[texts(found).index("社")].letters == 3
    assert "申报" not in texts(found)  # shen'bao is not she'bao
    assert texts(small.candidates("yibao"))[0] == "医保"


def test_initials_and_a_cut_short_syllable_find_the_same_words(small):
    assert texts(small.candidates("sb"))[:2] == ["社保", "申报"]  # 3 keys hold 社保, 2 申报
    assert texts(small.candidates("sheb"))[0] == "社保"
    assert texts(small.candidates("shenb"))[0] == "申报"
    assert texts(small.candidates("canb"))[0] == "参保"


def test_a_word_is_read_as_in_its_key_and_runs_do_not_join_across_other_characters(small):
    assert texts(small.candidates("yinhang"))[0] == "银行"
    assert "行" in texts(small.candidates("hang")) and "行" not in texts(small.candidates("xing"))
    assert "类挂" not in texts(small.candidates("leigua"))  # "）" lies between them
    assert small.candidates("wei") == []  # 位 is only in the key whose pinyin does not fit
    assert all("\u4e00" <= ch <= "\u9fff" for c in small.candidates("bk") for ch in c.text)


def test_nothing_typed_or_nothing_known(small):
    assert small.candidates("") == [] and small.candidates("  ") == []
    assert small.candidates("qxz") == []
    assert small.candidates("SheBao") == small.candidates("shebao")


def test_the_shipped_catalog_gives_candidates_quickly():
    data = json.loads(gzip.open(BUNDLED_CATALOG).read())
    rows = [(it["id"], it["name"], it["department"], "", it["url"], it.get("level", ""),
             it.get("high_frequency", False), it["keys"]) for it in data["items"]]
    index = SearchIndex(rows)
    t0 = time.perf_counter()
    candidates = CandidateIndex.from_keys(index.key_spellings())
    built = time.perf_counter() - t0
    assert candidates.size > 5_000
    for letters, first in (("shebao", "社保"), ("gongjijin", "公积金"), ("hukou", "户口"),
                           ("yb", "医保"), ("bdc", "不动产")):
        assert texts(candidates.candidates(letters))[0] == first, letters
    assert built < 5  # about 0.2 s here; a bound, not a benchmark
