"""Give back the font file pages the kiosk no longer reads (docs/decisions/0037).

FreeType maps each font file (Noto Sans CJK Regular and Bold: ~20 MB each) read-only into the
process. Opening the faces and rasterising the first glyphs touches pages all over the file,
and the kernel maps up to 16 neighbouring pages with each one it faults in ("fault-around"), so
~16 MiB of the two files end up counted in the kiosk's resident set although, once Qt has the
glyphs it draws in its own glyph caches, a whole session reads only ~1-2 MiB of them.

`release_font_pages()` drops the process's page-table entries for those mappings
(`madvise(MADV_DONTNEED)`). The mappings are read-only views of unchanged files: nothing is lost,
the pages stay in the kernel's page cache, and a later read of one faults it back in from there
(a minor fault, no disk read). Linux only; anywhere else, or if the call fails, it does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger("kiosk.ui")

FONT_SUFFIXES = (".ttc", ".otf", ".ttf", ".otc")
_MADV_DONTNEED = 4
_libc = None


def font_mappings(maps: str) -> list[tuple[int, int]]:
    """(start, end) of each read-only, non-executable mapping of a font file in a
    /proc/PID/maps text."""
    out = []
    for line in maps.splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) < 6 or not parts[5].strip().lower().endswith(FONT_SUFFIXES):
            continue
        perms = parts[1]
        if "w" in perms or "x" in perms:
            continue
        start, end = (int(x, 16) for x in parts[0].split("-"))
        out.append((start, end))
    return out


def release_font_pages() -> int:
    """Drop the resident pages of the font files' mappings; returns how many bytes of mappings
    were released (0 where this does not apply)."""
    global _libc
    if not sys.platform.startswith("linux"):
        return 0
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
            ranges = font_mappings(fh.read())
        if not ranges:
            return 0
        if _libc is None:
            _libc = ctypes.CDLL(None, use_errno=True)
            _libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
            _libc.madvise.restype = ctypes.c_int
        released = 0
        for start, end in ranges:
            if _libc.madvise(start, end - start, _MADV_DONTNEED) == 0:
                released += end - start
        return released
    except (OSError, AttributeError, ValueError) as exc:
        log.debug("font pages not released: %s", exc)
        return 0
