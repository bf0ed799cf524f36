"""The terminal's credential (the backend's bearer secret for this terminal) in its own file,
``<data_dir>/credential``: mode 0600, replaced atomically, never logged, never exported, never
in the store (a copy of the database, a support bundle or `kiosk sync export` carries no
secret). Enrolling again replaces it; the backend revokes the old one at the same time.

Kiosks before store revision 0005 kept it in the store's `sync_state`: the migration hands the
value to `adopt` (file first, on disk) before it deletes the row.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.datadir import write_private

log = logging.getLogger("kiosk.credential")

FILENAME = "credential"


def credential_file(data_dir: Path | str) -> Path:
    return Path(data_dir) / FILENAME


def read(path: Path) -> str | None:
    """The credential, or None without one (never enrolled, forgotten, unreadable)."""
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("credential file %s unreadable (%s): not enrolled", path, type(exc).__name__)
        return None
    return value or None


def write(path: Path, credential: str) -> None:
    if not credential or credential != credential.strip() or "\n" in credential:
        raise ValueError("a credential is one line of text")
    write_private(path, credential + "\n")


def forget(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def adopt(path: Path, stored: str) -> None:
    """A credential found in an older store: into the file, unless the file has one already
    (written after that copy: the store is migrated before anything writes the file). On disk
    when this returns, so the caller may delete the stored copy."""
    if read(path) is not None:
        log.info("terminal credential: %s kept, the older copy in the store dropped", path)
        return
    write(path, stored.strip())
    log.info("terminal credential moved from the store to %s", path)
