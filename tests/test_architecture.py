"""The dependency rule (docs/decisions/0015-boundaries.md) as import-linter contracts: they live
in pyproject.toml under [tool.importlinter]; this test runs them and fails with import-linter's
report, which names every forbidden chain with its line numbers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    """`lint-imports` on this checkout (its folder first on the path, no cache)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache", "--no-logo", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_are_kept():
    r = lint_imports(str(PYPROJECT))
    assert r.returncode == 0, f"import contracts broken:\n{r.stdout}\n{r.stderr}"
    assert "0 broken" in r.stdout


def test_every_root_package_has_its_contract():
    """A contract deleted or renamed by mistake would make the check above pass silently."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert set(config["root_packages"]) == {"kiosk", "screens", "printing", "backend", "protocol",
                                            "wiring"}
    assert config["include_external_packages"] is True  # else PySide6 etc. cannot be named
    contracts = {c["id"]: c for c in config["contracts"]}
    assert set(contracts) == {"protocol", "backend", "kiosk", "printing", "screens", "qt-facade",
                              "no-httpx"}
    assert {"kiosk", "screens", "wiring"} <= set(contracts["no-httpx"]["source_modules"])
    # the composition root imports everything; nothing imports it (but `python -m kiosk`)
    for layer in ("protocol", "backend", "kiosk", "printing", "screens"):
        assert "wiring" in contracts[layer]["forbidden_modules"], layer


def test_a_broken_contract_is_reported(tmp_path):
    """The check sees this checkout's imports, internal and external: a contract that the code
    breaks on purpose fails, naming the import."""
    config = tmp_path / "broken.toml"
    config.write_text("""
[tool.importlinter]
root_packages = ["kiosk", "screens"]
include_external_packages = true

[[tool.importlinter.contracts]]
name = "screens imports no kiosk"
type = "forbidden"
source_modules = ["screens.home"]
forbidden_modules = ["kiosk"]

[[tool.importlinter.contracts]]
name = "the facade imports no Qt"
type = "forbidden"
source_modules = ["screens.qt"]
forbidden_modules = ["PySide6"]
""", encoding="utf-8")
    r = lint_imports(str(config))
    assert r.returncode != 0
    assert "2 broken" in r.stdout
    assert "screens.home -> kiosk." in r.stdout and "screens.qt -> PySide6" in r.stdout


# --- one helper each ------------------------------------------------------------------------------

PACKAGES = ("kiosk", "screens", "printing", "backend", "protocol")


def _lines(folders: tuple[str, ...], *, skip: tuple[str, ...] = ()):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in skip:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                yield f"{rel}:{n}", line


def test_id_numbers_are_masked_by_the_one_helper():
    """`protocol.mask_id_number` (4+4: 3204**********1230) is the only code that writes stars
    into an ID number, so the screen, the number pad and the paper cannot drift apart."""
    by_hand = re.compile(r"""["']\*["']\s*\*|\*\s*["']\*["']|mask_middle\([^)]*id_?num""")
    found = [where for where, line in _lines(PACKAGES, skip=("protocol/base.py",))
             if by_hand.search(line)]
    assert found == [], "mask ID numbers with protocol.mask_id_number"


def test_local_time_is_defined_once():
    """`protocol.LOCAL_TZ` is the one local time zone, tests and benches included."""
    own_zone = re.compile(r"timezone\(\s*timedelta\(|timedelta\(hours=\+?8\)\s*\)")
    found = [where for where, line in _lines(PACKAGES + ("tests", "bench", "scripts"),
                                             skip=("protocol/base.py",))
             if own_zone.search(line)]
    assert found == [], "use protocol.LOCAL_TZ"
