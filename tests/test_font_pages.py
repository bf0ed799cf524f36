"""Font file pages given back after a session (docs/decisions/0037)."""

from __future__ import annotations

import mmap
import sys

import pytest

from screens.font_pages import font_mappings, release_font_pages

MAPS = """\
7f0000000000-7f0001000000 r--s 00000000 08:01 123 /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
7f0002000000-7f0002100000 r--p 00000000 08:01 124 /usr/share/fonts/truetype/x/Some Font.TTF
7f0003000000-7f0003100000 rw-p 00000000 08:01 125 /tmp/writable.ttf
7f0004000000-7f0004100000 r-xp 00000000 08:01 126 /usr/lib/libQt6Gui.so.6
7f0005000000-7f0005100000 rw-p 00000000 00:00 0
"""


def test_only_read_only_font_file_mappings_are_found():
    assert font_mappings(MAPS) == [(0x7F0000000000, 0x7F0001000000),
                                   (0x7F0002000000, 0x7F0002100000)]


def _resident_kib(start: int) -> int:
    inside = False
    with open("/proc/self/smaps", encoding="utf-8") as fh:
        for line in fh:
            first = line.split()[0]
            if "-" in first and not first.endswith(":"):
                inside = int(first.split("-")[0], 16) == start
            elif inside and first == "Rss:":
                return int(line.split()[1])
    raise AssertionError("mapping not found")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's madvise")
def test_released_pages_leave_the_resident_set_and_read_back_unchanged(tmp_path):
    data = bytes(range(256)) * (4 * 1024 * 4)  # 4 MiB
    font = tmp_path / "Fake.ttc"
    font.write_bytes(data)
    with open(font, "rb") as fh:
        m = mmap.mmap(fh.fileno(), 0, prot=mmap.PROT_READ)
    try:
        assert sum(m[i + 1] for i in range(0, len(data), 4096)) > 0  # every page touched
        with open("/proc/self/maps", encoding="utf-8") as maps:
            start = next(s for s, e in font_mappings(maps.read()) if e - s == len(data))
        assert _resident_kib(start) >= 4000
        assert release_font_pages() >= len(data)
        assert _resident_kib(start) < 100
        assert m[:] == data  # faulted back in from the page cache, as it was
    finally:
        m.close()
