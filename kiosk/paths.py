"""Where the kiosk keeps things on disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kiosk.config import TerminalConfig

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ASSETS_DIR = PROJECT_ROOT / "assets"
CONFIG_DIR = PROJECT_ROOT / "config"
DEMO_CONFIG = CONFIG_DIR / "demo.toml"


def _resolve(value: str, config: TerminalConfig) -> Path:
    p = Path(value).expanduser()
    if not p.is_absolute() and config.source and not config.source.startswith("<"):
        p = Path(config.source).resolve().parent / p
    return p


def data_dir(config: TerminalConfig) -> Path:
    if config.paths.data_dir:
        return _resolve(config.paths.data_dir, config)
    from platformdirs import user_data_dir  # only for a terminal that names no data dir

    return Path(user_data_dir("gov-kiosk", appauthor=False)) / config.terminal.id


def catalog_file(config: TerminalConfig) -> Path:
    if config.paths.catalog_file:
        return _resolve(config.paths.catalog_file, config)
    return ASSETS_DIR / "catalog" / "catalog.json.gz"


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def environment_problems(config: TerminalConfig) -> list[str]:
    """What the schema cannot see: the CA file can be read as one, the data folder can be
    written. One line each, in `kiosk config validate`'s form; nothing is left behind."""
    import ssl

    src = config.source or "<config>"
    problems = []
    sc = config.sync
    if sc.adapter == "http" and sc.ca_file:
        try:
            ssl.create_default_context(cafile=sc.ca_file)
        except (OSError, ssl.SSLError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            problems.append(f"{src}: key 'sync.ca_file': {sc.ca_file} cannot be used as a CA "
                            f"bundle ({why})")
    folder = data_dir(config)
    probe = _nearest_existing(folder)
    try:
        if not probe.is_dir():
            raise NotADirectoryError(f"{probe} is not a folder")
        with tempfile.TemporaryDirectory(dir=probe, prefix=".kiosk-probe-"):
            pass
    except OSError as exc:
        why = exc.strerror or str(exc)
        problems.append(f"{src}: key 'paths.data_dir': {folder} cannot be written ({why})")
    return problems
