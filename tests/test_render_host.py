"""The render helper process (printing.render_host, docs/decisions/0022): documents, preview
pages and receipts are made in a process of their own, which is started again when it dies,
and whose failures reach the citizen as the same refusal as before."""

from __future__ import annotations

import io
import os
import signal
import sys
import time

import pytest
from PIL import Image

from kiosk.devices.status import Reason
from kiosk.flows.ports import PrintableDocument, PrintRefused
from printing.render_host import RenderFailed, RenderHost
from printing.render_jobs import LocalRenderer

GUIDE = dict(item_name="城乡居民养老保险参保登记", department="人力资源和社会保障局",
             materials=[dict(name="居民身份证", originals=1, copies=1, note="")],
             place="政务服务中心一楼", window="3 号窗口", time_limit="即办件",
             guide_url="https://zwfw.example.gov.cn/guide/RS-000001", terminal_id="T-001",
             printed_at=__import__("datetime").datetime(2026, 12, 4, 9, 30), hours="",
             phone="")


@pytest.fixture
def host():
    h = RenderHost(timeout_s=60)
    yield h
    h.close()


def test_receipts_from_the_helper_are_the_same_bytes_as_in_process(host):
    assert host.run("guide_slip", GUIDE, ("mm", 80)) == \
        LocalRenderer().run("guide_slip", GUIDE, ("mm", 80))
    assert host.starts == 1 and host.pid != os.getpid()


@pytest.mark.allow_error_log
def test_a_dead_helper_is_started_again_and_the_job_done(host, caplog):
    first = host.run("guide_slip", GUIDE, ("mm", 58))
    pid = host.pid
    os.kill(pid, signal.SIGKILL)  # between two jobs
    deadline = time.monotonic() + 10
    while host.pid is not None and time.monotonic() < deadline:  # gone before the next job
        time.sleep(0.01)
    assert host.run("guide_slip", GUIDE, ("mm", 58)) == first
    assert host.starts == 2 and host.pid not in (None, pid)
    assert "render helper died (job guide_slip, attempt 1)" in caplog.text  # for the technician


@pytest.mark.allow_error_log
def test_a_helper_that_never_answers_is_killed_and_the_job_refused():
    # a "helper" that reads the job and never answers: tried twice, then RenderFailed
    never = [sys.executable, "-c", "import sys, time; sys.stdin.buffer.read(4); time.sleep(60)"]
    host = RenderHost(timeout_s=0.5, command=never)
    try:
        with pytest.raises(RenderFailed) as failed:
            host.run("warm")
        assert failed.value.kind == "helper" and host.starts == 2 and host.pid is None
    finally:
        host.close()


def test_an_error_in_a_job_names_its_type_and_code_lines_only(host):
    secret = {"item_name": "张伟 320402199001011230"}  # missing fields: GuideSlip refuses it
    with pytest.raises(RenderFailed) as failed:
        host.run("guide_slip", {**secret, "materials": []}, ("mm", 80))
    assert failed.value.kind == "TypeError"
    assert "render_jobs.py" in failed.value.trace and "320402" not in failed.value.trace
    assert "320402" not in str(failed.value)
    # the helper lives on for the next citizen
    assert host.run("guide_slip", GUIDE, ("mm", 80)) and host.starts == 1


@pytest.mark.allow_error_log
def test_the_print_service_turns_a_lost_helper_into_the_usual_refusal(tmp_path, caplog):
    from kiosk.store.db import open_store
    from printing.escpos_text import PROFILE_80MM
    from printing.service import PrintService
    from printing.spooler import Spooler
    from printing.virtual_a4 import FolderDriver

    store = open_store(tmp_path / "k.sqlite3")
    spooler = Spooler(store, {"document": FolderDriver("document", tmp_path / "a4")})
    broken = RenderHost(timeout_s=0.5, command=[sys.executable, "-c", "pass"])  # dies at once
    svc = PrintService(spooler, PROFILE_80MM, "T-001", renderer=broken)
    try:
        with pytest.raises(PrintRefused) as refused:
            svc.preview_page(PrintableDocument("ss_certificate", "参保证明", None, None))
        assert refused.value.reason == Reason.DEVICE_ERROR
        assert spooler.jobs() == []
        assert "could not render" in caplog.text
    finally:
        broken.close()
        store.close()


def sample_pdf(doc, terminal_id: str, draft: bool) -> bytes:
    """A renderer as the item registry names one (``module:function``), here a sample's."""
    from printing.samples import sample_document

    return sample_document("ss-certificate")


def test_the_preview_page_is_an_image_of_the_draft():
    # the helper, with this test module importable (as an item's renderer module would be)
    here = os.path.dirname(__file__)
    host = RenderHost(command=[sys.executable, "-c", f"import sys; sys.path.insert(0, {here!r}); "
                               "from printing.render_worker import main; sys.exit(main())"])
    try:
        png = host.run("page", f"{__name__}:sample_pdf", None, "T-001")
    finally:
        host.close()
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG" and img.width == 940 and img.height > img.width
        assert img.convert("L").getpixel((5, 5)) == 255  # white paper
