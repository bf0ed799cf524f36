"""Where the kiosk keeps things on disk."""

from __future__ import annotations

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
