"""Shared fixtures. Qt runs offscreen; every test gets its own data directory."""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_IM_MODULE"] = "compose"  # as screens.main sets it

from kiosk.catalog.importer import BUNDLED_CATALOG  # noqa: E402
from kiosk.config import parse_config  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "out" / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    """The project's default run (`make test`, CI) has no `-m "not slow"`: a test marked slow
    is a long form whose bounded form always runs, so it runs only when asked for (`-m slow`,
    or KIOSK_SLOW_TESTS=1)."""
    if os.environ.get("KIOSK_SLOW_TESTS"):
        return
    expr = config.getoption("markexpr") or ""
    if "slow" in expr.replace("not slow", ""):
        return
    skip = pytest.mark.skip(reason="long form: run with -m slow or KIOSK_SLOW_TESTS=1")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


def _key(text: str, pinyin: str, initials: str) -> dict:
    return {"text": text, "pinyin": pinyin, "initials": initials}


def small_catalog(version: str = "test.1") -> dict:
    """A hand-written catalog in the shipped format: small enough to reason about in asserts."""
    guide = {
        "format": 1, "service_object": "自然人", "handling_type": "即办件",
        "materials": [{"name": "居民身份证", "originals": 1, "copies": 0, "note": "现场核验"}],
        "steps": ["申请", "受理", "办结"], "legal_limit_days": 0, "promised_limit_days": 0,
        "fee": "不收费", "place": "政务服务中心一楼", "window": "3 号窗口",
        "hours": "全天", "phone": "0519-80000000", "basis": "《中华人民共和国社会保险法》",
    }

    base_codes = {1: "2001001001", 2: "2001002001", 3: "2001009001", 4: "2002004001",
                  5: "2002003001", 6: "2001001001"}

    def item(i, name, dept, cat, keys, hf=False, level="区级"):
        iid = f"{dept.upper()}-{i:06d}"
        url = f"https://zwfw.example.gov.cn/guide/{iid}"
        # implementation code: the implementing organisation's credit code + the base code
        org = "11320491972281863Y" if level == "区级" else "11320491030760633U"
        code = org + base_codes.get(i, f"9{i:09d}")
        return {"id": iid, "code": code, "name": name, "department": dept, "category": cat,
                "level": level, "kiosk_enabled": hf, "high_frequency": hf, "url": url,
                "keys": keys, "guide": {**guide, "online_url": url}}

    items = [
        item(1, "社会保险参保证明打印", "rs", "rs.ss", [
            _key("社会保险参保证明打印", "shehuibaoxiancanbaozhengmingdayin", "shbxcbzmdy"),
            _key("社保参保证明打印", "shebaocanbaozhengmingdayin", "sbcbzmdy")], hf=True),
        item(2, "社会保险个人缴费明细查询", "rs", "rs.ss", [
            _key("社会保险个人缴费明细查询", "shehuibaoxiangerenjiaofeimingxichaxun", "shbxgrjfmxcx"),
            _key("社保个人缴费明细查询", "shebaogerenjiaofeimingxichaxun", "sbgrjfmxcx")]),
        item(3, "失业保险金申领", "rs", "rs.job", [
            _key("失业保险金申领", "shiyebaoxianjinshenling", "sybxjsl")]),
        item(4, "医疗保险个人账户余额查询", "yb", "yb.acc", [
            _key("医疗保险个人账户余额查询", "yiliaobaoxiangerenzhanghuyuechaxun", "ylbxgrzhyecx"),
            _key("医保个人账户余额查询", "yibaogerenzhanghuyuechaxun", "ybgrzhyecx")], hf=True),
        item(5, "医保参保凭证打印", "yb", "yb.acc", [
            _key("医保参保凭证打印", "yibaocanbaopingzhengdayin", "ybcbpzdy")]),
        item(6, "社会保险参保证明打印", "rs", "rs.ss", [
            _key("社会保险参保证明打印", "shehuibaoxiancanbaozhengmingdayin", "shbxcbzmdy"),
            _key("社保参保证明打印", "shebaocanbaozhengmingdayin", "sbcbzmdy")], level="丁堰街道"),
    ]
    items += [
        item(100 + n, f"个体工商户变更登记（{n}号）", "sc", "sc.reg",
             [_key(f"个体工商户变更登记（{n}号）", "getigongshanghubiangengdengji", "gtgshbgdj")])
        for n in range(1, 21)
    ]
    return {
        "format": 1, "version": version, "seed": 0,
        "departments": [
            {"code": "rs", "name": "人力资源和社会保障局", "short_name": "人社",
             "name_en": "Human Resources and Social Security Bureau", "order": 1,
             "categories": [{"code": "rs.ss", "name": "社会保险", "name_en": "Social insurance", "order": 1},
                            {"code": "rs.job", "name": "就业失业", "name_en": "Employment", "order": 2}]},
            {"code": "yb", "name": "医疗保障局", "short_name": "医保",
             "name_en": "Healthcare Security Bureau", "order": 2,
             "categories": [{"code": "yb.acc", "name": "医保账户", "name_en": "Medical insurance account", "order": 1}]},
            {"code": "sc", "name": "市场监督管理局", "short_name": "市场监管",
             "name_en": "Market Regulation Bureau", "order": 3,
             "categories": [{"code": "sc.reg", "name": "登记注册", "name_en": "Registration", "order": 1}]},
        ],
        "items": items,
    }


def write_catalog(path: Path, data: dict) -> Path:
    with gzip.open(path, "wb") as fh:
        fh.write(json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return path


@pytest.fixture
def small_catalog_file(tmp_path) -> Path:
    return write_catalog(tmp_path / "catalog.json.gz", small_catalog())


@pytest.fixture
def make_config(tmp_path):
    """A config whose data dir is the test's own; pass sections to override."""

    def make(catalog: Path | None = None, **sections):
        data = {"paths": {"data_dir": str(tmp_path / "data"),
                          "catalog_file": str(catalog or BUNDLED_CATALOG)},
                "display": {"fullscreen": False},
                # no printer unless a test names one (the schema's default is the virtual one)
                "printing": {"receipt": {"driver": "none"}}}
        for k, v in sections.items():
            if k == "printing":
                for sub, values in v.items():
                    data["printing"].setdefault(sub, {}).update(values)
            else:
                data.setdefault(k, {}).update(v)
        return parse_config(data, "<test>")

    return make


@pytest.fixture
def kiosk_window(qtbot, qapp):
    """The whole kiosk as a terminal runs it, through the composition root (`wiring.ui`):
    `kiosk_window(config, orientation=None, overrides=None)` returns a shown `wiring.ui.Kiosk`;
    everything is closed after the test."""
    from screens.main import configure_application
    from wiring.ui import build_kiosk

    configure_application(qapp)
    made = []

    def make(config, *, orientation=None, overrides=None, sync=True):
        kiosk = build_kiosk(config, orientation=orientation, overrides=overrides, sync=sync)
        qtbot.addWidget(kiosk.window)
        kiosk.window.show_kiosk()
        qtbot.waitExposed(kiosk.window)
        kiosk.start()  # as the app does once the window is shown
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def fail_on_error_logs(request, caplog):
    """A test fails on any ERROR log line it did not declare with @pytest.mark.allow_error_log
    (qutebrowser's logfail): a fault that is only logged is still a fault."""
    import logging

    yield
    if request.node.get_closest_marker("allow_error_log"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    if errors:
        pytest.fail("unexpected error log: " + "; ".join(f"{r.name}: {r.getMessage()}" for r in errors))


# Qt's virtual keyboard, once real key events reached a focused field, aborts the process during
# interpreter teardown ("QPixmap: Must construct a QGuiApplication before a QPixmap", every
# PySide6 from 6.9 to 6.12). The kiosk leaves through os._exit after its own orderly shutdown
# (screens.main.exit_process); the test run does the same once pytest has written everything.
_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    if _EXIT_STATUS and os.environ.get("PYTEST_XDIST_WORKER") is None:
        import logging

        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
