"""The Qt binding itself: a kiosk runs for months, so a reference leak per call is a crash.

PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call of a method that
returns nothing; after some tens of thousands of calls (a few hundred citizen sessions) the
interpreter aborted with "none_dealloc" (docs/decisions/0012-pyside-below-6-12.md).

- Where None is mortal (Python 3.11, the terminals' Python), 12,000 such calls must leave its
  reference count where it was, and the installed PySide6 must be below 6.12.
- Where None is immortal (Python 3.12+), its count never moves: the leak can neither be seen
  nor crash the kiosk, and those two tests are skipped saying so.
- On every Python, pyproject.toml keeps the cap below 6.12 as long as it supports Python 3.11.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from screens.qt import QLabel, QPushButton

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def none_is_immortal() -> bool:
    """True where taking references to None does not change its count (PEP 683, 3.12+)."""
    before = sys.getrefcount(None)
    held = [None] * 1000
    moved = sys.getrefcount(None) - before
    del held
    return moved == 0


IMMORTAL = pytest.mark.skipif(
    none_is_immortal(), reason="None is immortal on this Python: its reference count never "
    "moves, so a binding that drops references to it can neither be seen nor crash the kiosk")


@pytest.mark.gui
@IMMORTAL
def test_void_methods_keep_none_alive(qapp):
    label, button = QLabel(), QPushButton()
    calls = (lambda: label.setText("a"), label.clear, lambda: label.setVisible(True),
             lambda: button.setText("b"), lambda: button.property("unset"),
             lambda: button.setProperty("degraded", "true"))
    before = sys.getrefcount(None)
    for _ in range(2000):
        for call in calls:
            call()
    # 12,000 calls: a leak of one reference per call would show as -12,000
    assert abs(sys.getrefcount(None) - before) < 500


@IMMORTAL
def test_the_installed_binding_is_below_6_12():
    """Lifting the cap (0012) means changing this test with it, after the leak test and
    `make bench-flows` pass on the new release."""
    import PySide6

    assert Version(PySide6.__version__) < Version("6.12"), PySide6.__version__


def test_the_cap_stays_while_python_3_11_is_supported():
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    if not SpecifierSet(project["requires-python"]).contains("3.11"):
        pytest.skip("Python 3.11 is no longer supported: the 6.12.0 leak cannot happen")
    pyside = [Requirement(r) for r in project["dependencies"] if r.lower().startswith("pyside6")]
    assert {r.name for r in pyside} == {"PySide6-Essentials", "PySide6-Addons"}
    for r in pyside:
        assert not r.specifier.contains("6.12.0"), f"{r} lets in PySide6 6.12.0"
        assert r.specifier.contains("6.11.3"), f"{r} excludes the binding known to be good"


def test_pyside_import_hook_keeps_no_source(tmp_path, monkeypatch):
    """PySide6's import hook asks of every later import whether it uses PySide6; upstream it
    reads the source through `inspect.getsource`, which leaves every module's source in
    `linecache` for the life of the process (~26 MiB in the kiosk). The facade asks the same
    question of the file's bytes: same answers, nothing kept."""
    import linecache

    feature = sys.modules["shibokensupport.feature"]
    (tmp_path / "kiosk_probe_plain.py").write_text("VALUE = 1\n", encoding="utf-8")
    (tmp_path / "kiosk_probe_qt.py").write_text("import PySide6.QtCore  # uses PySide6\n",
                                                encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        import kiosk_probe_plain as plain  # an import statement, as the hook sees them
        import kiosk_probe_qt as qt
        assert plain.__file__ not in linecache.cache
        assert qt.__file__ not in linecache.cache
        assert feature.pyside_feature_dict["kiosk_probe_plain"] == -1  # ignored by the hook
        assert feature.pyside_feature_dict["kiosk_probe_qt"] == 0  # switchable, as upstream
    finally:
        for name in ("kiosk_probe_plain", "kiosk_probe_qt"):
            sys.modules.pop(name, None)
            feature.pyside_feature_dict.pop(name, None)
