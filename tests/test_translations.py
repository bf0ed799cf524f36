"""Every visible string goes through Qt's translation system; Simplified Chinese is complete."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from kiosk.paths import ASSETS_DIR, PROJECT_ROOT

TS = ASSETS_DIR / "translations" / "kiosk_zh_CN.ts"


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {
        (ctx.findtext("name"), msg.findtext("source")): msg
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_simplified_chinese_is_complete():
    msgs = messages(TS)
    assert len(msgs) >= 60
    for (ctx, src), msg in msgs.items():
        tr = msg.find("translation")
        assert tr.get("type") is None, f"{ctx}: {src!r} is {tr.get('type')}"
        text = "".join(tr.itertext()).strip()
        assert text, f"{ctx}: {src!r} has no translation"
        for placeholder in ("{", "%n"):
            if placeholder in src:
                assert placeholder in text, f"{ctx}: {src!r} lost {placeholder} in translation"


def test_translation_source_matches_the_code(tmp_path):
    """lupdate over the code finds no string that the .ts file does not have."""
    lupdate = PROJECT_ROOT / ".venv" / "bin" / "pyside6-lupdate"
    # the screens, the items' words in the registry and the operation guides' captions (the
    # same files as `make lupdate`)
    sources = sorted(str(p) for p in (PROJECT_ROOT / "screens").rglob("*.py"))
    sources.append(str(PROJECT_ROOT / "kiosk" / "flows" / "items.py"))
    sources.append(str(PROJECT_ROOT / "kiosk" / "guides.py"))
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    in_code = set(messages(fresh))
    in_ts = set(messages(TS))
    assert in_code - in_ts == set(), "run `make lupdate` and translate the new strings"
    assert in_ts - in_code == set(), "the .ts file has strings the code no longer uses"


def test_compiled_translation_exists():
    qm = TS.with_suffix(".qm")
    assert qm.exists() and qm.stat().st_size > 1000, "run make to build the .qm files"
