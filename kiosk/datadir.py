"""The kiosk's data folder is private to the kiosk's OS user: folders 0700, files 0600.

It holds the local store (outbox, print journal, catalog, sync position), the terminal's
credential, the logs, the PDFs of the virtual A4 printer, caches and the problem-ticket counter:
nothing in it is for other users of the machine. Files the kiosk writes itself are created 0600
(`private_opener`, `write_private`, `touch_private`), folders 0700 (`private_dir`), and at start
`secure_data_dir` tightens a folder an older kiosk left readable. What libraries create on their
own (Qt, python-escpos's cache) is covered by the process umask: ``UMask=0077`` in the systemd
unit, and `kiosk run`/`kiosk demo` set the same.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path

log = logging.getLogger("kiosk.datadir")

DIR_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077


def private_dir(path: Path | str) -> Path:
    """Create the folder (and its parents) if needed; the folder itself ends up 0700. A folder
    the kiosk's user may write but not change (another owner's, shared through its group) is
    used as it is, with a warning: refusing it would take the terminal out of service."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        try:
            os.chmod(path, DIR_MODE)
        except PermissionError:
            log.warning("folder %s is not the kiosk user's: its mode stays %s", path,
                        oct(stat.S_IMODE(path.stat().st_mode)))
    return path


def private_opener(path: str, flags: int) -> int:
    """For `open(..., opener=private_opener)`: a new file is 0600, an existing one made 0600."""
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except OSError:  # not ours to change (a file another user made): leave it
        pass
    return fd


def touch_private(path: Path | str) -> Path:
    """Create an empty file 0600 if missing; make an existing one 0600."""
    path = Path(path)
    os.close(private_opener(str(path), os.O_WRONLY | os.O_CREAT))
    return path


def write_private(path: Path | str, data: bytes | str) -> None:
    """Replace the file atomically with `data`, mode 0600: a crash leaves the old content or the
    new, never a part; the new content is on disk before the call returns."""
    write_atomic(path, data, 0o600)


def write_atomic(path: Path | str, data: bytes | str, mode: int) -> None:
    """`write_private` with another mode (a config file the kiosk's user and root read)."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp made it 0600
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if mode != 0o600:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path | str) -> None:
    """Put a rename or a new entry in `folder` on disk (best effort: not every file system can)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def secure_data_dir(path: Path | str) -> int:
    """Make the data folder 0700 and everything in it private (folders 0700, files without
    group or other bits); symbolic links are neither followed nor changed. Returns how many
    entries were tightened. Never raises: a folder that cannot be created or changed is logged,
    and opening the store reports it as it would have."""
    path = Path(path)
    try:
        private_dir(path)
    except OSError as exc:
        log.warning("data folder %s cannot be made private: %s", path, exc.strerror or exc)
        return 0
    changed = 0
    for root, dirs, files in os.walk(path):
        for name in (*dirs, *files):
            entry = os.path.join(root, name)
            try:
                st = os.lstat(entry)
                if stat.S_ISLNK(st.st_mode):
                    continue
                mode = stat.S_IMODE(st.st_mode)
                wanted = DIR_MODE if stat.S_ISDIR(st.st_mode) else mode & ~UMASK
                if mode != wanted:
                    os.chmod(entry, wanted)
                    changed += 1
            except OSError as exc:
                log.warning("cannot make %s private: %s", entry, exc.strerror or exc)
    if changed:
        log.info("data folder %s: %d entries were readable by others, now private only",
                 path, changed)
    return changed
