"""`kiosk demo --tour DIR --lang zh-Hant` / `--lang en`: the whole tour in that language
(issue 12 part 4). About 35 s each: marked slow."""

from __future__ import annotations

import pytest
from PIL import Image

from tests.test_tour import run_kiosk

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_tour_in_a_language(tmp_path, artifacts, lang):
    out = artifacts / f"tour-{lang}"
    r = run_kiosk("demo", "--tour", str(out), "--lang", lang, tmp_path=tmp_path)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "tour passed" in r.stdout
    shots = sorted(out.glob("*.png"))
    assert len(shots) >= 20
    with Image.open(shots[0]) as img:
        assert img.size == (1080, 1920)
