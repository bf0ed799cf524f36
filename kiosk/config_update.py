"""Settings pushed by the backend (the heartbeat's `new_config` command).

They are kept apart from the technician's file, in `<data_dir>/backend-config.toml`, and laid
over it at start; the technician's file is never rewritten remotely. A pushed update is
validated against the whole schema (file + earlier updates + this one) before anything is
written, so a bad push changes nothing. `paths` cannot be pushed (it decides where the overlay
itself lives). The kiosk restarts at its next idle moment to apply it (exit code 75; the
supervisor starts it again).
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

from kiosk import paths
from kiosk.config import ConfigError, TerminalConfig, load_config, parse_config
from kiosk.datadir import private_dir, write_private

log = logging.getLogger("kiosk.config")
OVERLAY_NAME = "backend-config.toml"
EXIT_RESTART = 75


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def overlay_path(config: TerminalConfig) -> Path:
    return paths.data_dir(config) / OVERLAY_NAME


def load_terminal_config(path: Path | str) -> TerminalConfig:
    """The technician's file with the backend's pushed settings laid over it. A broken overlay
    is logged and ignored: the terminal still starts on the technician's settings."""
    config = load_config(path)
    overlay = overlay_path(config)
    try:
        extra = _read_toml(overlay)
        if not extra:
            return config
        return parse_config(_merge(_read_toml(Path(path)), extra), str(path))
    except (OSError, tomllib.TOMLDecodeError, ConfigError) as exc:
        log.error("ignoring pushed settings in %s: %s", overlay, exc)
        return config


def check_config_update(config: TerminalConfig,
                        payload: dict[str, Any]) -> tuple[TerminalConfig, dict[str, Any]]:
    """What a pushed update would make of this terminal's settings, nothing written: the
    config after restart and the overlay to keep. Raises ConfigError if it would be invalid
    (the sync worker reports that to the fleet view before acknowledging the command)."""
    if not config.source or config.source.startswith("<"):
        raise ConfigError(config.source, ["this terminal was started without a config file"])
    if "paths" in payload:
        raise ConfigError(config.source, ["key 'paths': cannot be changed remotely"])
    merged_overlay = _merge(_read_toml(overlay_path(config)), payload)
    result = parse_config(_merge(_read_toml(Path(config.source)), merged_overlay), config.source)
    return result, merged_overlay


def apply_config_update(config: TerminalConfig, payload: dict[str, Any]) -> TerminalConfig:
    """Validate and keep a pushed update; returns the config the kiosk will run after restart.
    Raises ConfigError (nothing written) if the result would be invalid."""
    result, merged_overlay = check_config_update(config, payload)
    overlay = overlay_path(config)
    private_dir(overlay.parent)
    import tomli_w  # only when the backend pushes settings

    write_private(overlay, tomli_w.dumps(merged_overlay))  # atomic, 0600
    log.info("pushed settings saved to %s: %s", overlay, ", ".join(sorted(payload)))
    return result
