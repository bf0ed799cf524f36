"""The virtual ESC/POS printer: python-escpos talks to it over loopback TCP."""

from __future__ import annotations

from datetime import datetime

import pytest
import zxingcpp
from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.printer import Network

from printing.escpos_text import PROFILE_58MM, PROFILE_80MM, encode_text
from printing.receipts import GuideSlip, Material, compose, guide_slip
from printing.virtual_printer import (
    PrinterState,
    VirtualPrinter,
    next_token,
    render_job,
    render_receipt,
    status_byte,
    tokens,
)

URL = "https://zwfw.example.gov.cn/guide/RS-000001"
SLIP = GuideSlip(
    "社会保险参保证明打印（𠮷堃犇）", "人力资源和社会保障局",
    [Material("居民身份证", 1, 0, "现场核验"), Material("户口簿", 1, 1)],
    "政务服务中心一楼", "3 号窗口", "即办件", URL, "T-0001", datetime(2026, 11, 23, 14, 5),
)
DLE_EOT_2 = b"\x10\x04\x02"


@pytest.fixture
def vp():
    with VirtualPrinter(profile=PROFILE_80MM) as printer:
        yield printer


@pytest.fixture
def client(vp):
    p = Network("127.0.0.1", vp.port, timeout=3, profile=PROFILE_80MM.escpos_profile())
    yield p
    p.close()


@pytest.fixture
def out_dir(artifacts):
    d = artifacts / "printing"
    d.mkdir(exist_ok=True)
    return d


def test_network_printer_job_recorded_and_rendered(vp, client, out_dir):
    receipt = guide_slip(SLIP, PROFILE_80MM)
    client._raw(receipt)
    client.close()
    [job] = vp.wait_for_jobs(1)
    assert job.data == receipt and job.complete and job.state is PrinterState.OK
    img = vp.render(job)
    img.save(out_dir / "virtual-printer-guide-80mm.png")
    assert img.width == 576
    assert [r.text for r in zxingcpp.read_barcodes(img)] == [URL]


def test_receipt_built_straight_into_network_printer(vp, client):
    """Any python-escpos printer works through its _raw: the writer draws into it directly."""
    compose(PROFILE_80MM, lambda w: (w.line("排队号 A023"), w.qr(URL)), printer=client)
    client.close()
    [job] = vp.wait_for_jobs(1)
    result = render_job(job.data, 576)
    assert result.lines[0].text == "排队号 A023"
    assert result.qr_payloads == [URL.encode()] and result.cuts == 1


def test_raster_qr_58mm_over_network(out_dir):
    with VirtualPrinter(profile=PROFILE_58MM) as vp58:
        p = Network("127.0.0.1", vp58.port, timeout=3)
        try:
            p._raw(guide_slip(SLIP, PROFILE_58MM))
        finally:
            p.close()
        [job] = vp58.wait_for_jobs(1)
        img = vp58.render(job)
    img.save(out_dir / "virtual-printer-guide-58mm.png")
    assert img.width == 384
    assert [r.text for r in zxingcpp.read_barcodes(img)] == [URL]


def test_jobs_split_by_cut(vp, client):
    one = guide_slip(SLIP, PROFILE_80MM)
    client._raw(one + one)
    client.close()
    jobs = vp.wait_for_jobs(2)
    assert [j.data for j in jobs] == [one, one]
    assert all(j.complete for j in jobs) and jobs[0].connection == jobs[1].connection


@pytest.mark.parametrize("state, paper, online", [
    ("ok", 2, True),
    ("paper_near_end", 1, True),
    ("paper_out", 0, False),
    ("cover_open", 2, False),
])
def test_scripted_status_through_python_escpos(vp, client, state, paper, online):
    vp.state = state
    assert client.paper_status() == paper
    assert client.is_online() is online
    cause = client.query_status(DLE_EOT_2)[0]
    assert bool(cause & 0x04) is (state == "cover_open")  # offline cause: cover open
    assert bool(cause & 0x20) is (state == "paper_out")  # printing stopped by paper end


def test_status_bytes_follow_epson_bits():
    assert status_byte(4, "ok") == 0x12
    assert status_byte(4, "paper_near_end") == 0x12 | 0x0C  # bits 2-3
    assert status_byte(4, "paper_out") == 0x12 | 0x0C | 0x60  # bits 5-6 (and near end)
    assert status_byte(1, "cover_open") == 0x12 | 0x08  # offline
    assert status_byte(2, "cover_open") == 0x12 | 0x04
    assert status_byte(1, "ok") == status_byte(2, "ok") == status_byte(3, "ok") == 0x12


def test_status_queries_are_not_part_of_the_job(vp, client):
    client._raw(b"\x1b@")
    assert client.paper_status() == 2
    client._raw(encode_text("你好") + b"\n\x1dV\x00")
    client.close()
    [job] = vp.wait_for_jobs(1)
    assert RT_STATUS_PAPER not in job.data
    assert vp.status_queries == [(4, 0x12)]


def test_status_lookalike_inside_raster_data_is_not_answered(vp, client):
    # a 1-byte-wide, 6-row image whose data contains DLE EOT 1 and DLE EOT 4
    image = b"\x1dv0\x00\x01\x00\x06\x00" + RT_STATUS_ONLINE + RT_STATUS_PAPER
    client._raw(b"\x1b@" + image + b"\x1dV\x00")
    client.close()
    [job] = vp.wait_for_jobs(1)
    assert vp.status_queries == []
    assert job.data.endswith(image + b"\x1dV\x00")


def test_drop_after_n_bytes_fails_the_client(vp, client):
    vp.drop_after = 100
    receipt = guide_slip(SLIP, PROFILE_80MM)
    with pytest.raises(ConnectionError):
        client._raw(receipt)
        client.paper_status()  # the driver's check after a job: the reset shows up here
    [job] = vp.wait_for_jobs(1)
    assert job.data == receipt[:100] and not job.complete


def test_drop_state_resets_the_connection(vp):
    vp.state = "drop"
    p = Network("127.0.0.1", vp.port, timeout=3)
    try:
        with pytest.raises(ConnectionError):
            p.paper_status()
    finally:
        p.close()
    vp.state = PrinterState.OK  # the next connection is served again
    p = Network("127.0.0.1", vp.port, timeout=3)
    try:
        assert p.paper_status() == 2
    finally:
        p.close()


# --------------------------------------------------------------------------- parser / renderer


def test_unknown_commands_are_skipped_safely():
    data = (b"\x1b@"
            + b"\x1bp\x00\x19\xfa"  # cash drawer pulse
            + b"\x1b*\x21\x02\x00" + b"\xff" * 6  # ESC * 24-dot column image, 2 columns
            + b"\x1dk\x49\x05ABCDE"  # GS k barcode (m=73, n=5)
            + b"\x1d(L\x02\x0002"  # GS ( L print graphics
            + b"\x1b\x7e"  # an unassigned ESC command: 2 bytes
            + encode_text("之后的文字 OK") + b"\n")
    result = render_job(data, 384)
    assert [line.text for line in result.lines if line.text] == ["之后的文字 OK"]


def test_tokenizer_waits_for_incomplete_commands():
    payload = b"1P0https://x.cn/ab"
    qr = b"\x1d(k" + bytes([len(payload), 0]) + payload
    assert next_token(qr[:-3], 0, final=False) is None
    tok, end = next_token(qr, 0, final=False)
    assert tok.name == "GS ( k" and end == len(qr)
    assert [t.name for t in tokens(b"\x1b@ab\n\x1dV\x00")] == ["ESC @", "text", "x0A", "GS V"]


def test_gb18030_without_chinese_mode_prints_mojibake():
    """What python-escpos's magic encoder does (raw GB bytes, no FS &) shows as garbage."""
    wrong = render_job("你好".encode("gb18030") + b"\n", 576).lines[0].text
    right = render_job(encode_text("你好") + b"\n", 576).lines[0].text
    assert right == "你好" and wrong != "你好"


def test_sizes_alignment_and_width():
    data = (b"\x1b@\x1ba\x01\x1d!\x11" + encode_text("大字") + b"\n"
            + b"\x1d!\x00\x1b!\x30" + encode_text("中文") + b"AB\n")
    result = render_job(data, 384)
    assert [line.width_dots for line in result.lines] == [96, 48 + 48]  # ESC ! leaves Han 1x
    img = render_receipt(data, 384)
    assert img.size[0] == 384 and img.mode == "L"


def test_virtual_a4_removes_partial_jobs_and_keeps_printed_ones_for_a_while(tmp_path):
    """A kill mid-job leaves job-*.tmp (personal data): removed at start. Printed PDFs are kept
    `keep_s` at most."""
    import os
    import time

    from printing.virtual_a4 import FolderDriver

    folder = tmp_path / "printed"
    folder.mkdir()
    partial = folder / "job-1.tmp"
    partial.write_bytes(b"%PDF-1.4 half")
    old, recent = folder / "job-2.pdf", folder / "job-3.pdf"
    old.write_bytes(b"%PDF old")
    recent.write_bytes(b"%PDF recent")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    other = folder / "notes.txt"
    other.write_text("not ours")
    driver = FolderDriver("a4", folder, keep_s=3600)
    assert not partial.exists() and not old.exists()
    assert recent.exists() and other.exists()
    driver.print_job(b"%PDF-1.4 new")
    assert len(list(folder.glob("job-*.pdf"))) == 2
    os.utime(recent, (time.time() - 7200, time.time() - 7200))
    driver.print_job(b"%PDF-1.4 newer")
    assert not recent.exists() and len(list(folder.glob("job-*.pdf"))) == 2
    assert not list(folder.glob("*.tmp"))
