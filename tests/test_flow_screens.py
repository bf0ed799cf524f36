"""Each item clicked through in the real window against the real reference backend on loopback,
with the simulated ID-card reader, the virtual receipt printer and the virtual A4 printer.

The backend is seeded once for the module (four demo citizens and the small catalog); each test
gets its own kiosk (data dir, store, outbox) enrolled with it over HTTP.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from backend.seed import DEMO_CITIZENS
from backend_helpers import ADMIN, enrolled, start_backend
from conftest import small_catalog, write_catalog
from kiosk.devices.face import SimMode, SimulatedCamera, SimulatedFaceVerifier
from kiosk.devices.idcard import IdCardData, SimulatedIdCardReader
from kiosk.flows.engine import Status, StepKind
from kiosk.flows.ports import BackendRecords
from kiosk.navigation import Screen
from screens.qt import Qt

pytestmark = pytest.mark.gui

ZHANG, LI, WANG, CHEN = DEMO_CITIZENS


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    folder = tmp_path_factory.mktemp("flow-backend")
    catalog = write_catalog(folder / "catalog.json.gz", small_catalog())
    server = start_backend(folder / "db", catalog, citizens=4)
    yield server
    server.stop()


class Kiosk:
    """A kiosk built by the composition root (`wiring.ui.build_kiosk`), with what the tests
    look at: the virtual receipt printer, the A4 folder, the simulated card reader."""

    def __init__(self, kiosk, receipt, a4_folder: Path, reader: SimulatedIdCardReader,
                 camera: SimulatedCamera | None = None):
        self.kiosk = kiosk
        self.w = kiosk.window
        self.core = kiosk.core
        self.receipt = receipt
        self.a4_folder = a4_folder
        self.reader = reader
        self.camera = camera  # who stands before it: the card's holder unless a test says
        self.spooler = kiosk.spooler
        self.adapters: list = []

    @property
    def flow(self):
        return self.w.screens[Screen.FLOW]

    @property
    def run(self):
        return self.core.flow_run

    def page(self) -> str:
        return self.flow.pages.currentWidget().objectName().removeprefix("flow_page_")

    def pdfs(self) -> list[Path]:
        return sorted(self.a4_folder.glob("*.pdf")) if self.a4_folder.exists() else []


def save_credential(config, credential: str) -> None:
    """What `kiosk sync enrol` leaves behind: the terminal's credential in its store."""
    from kiosk.paths import data_dir
    from kiosk.store.db import DB_FILENAME, open_store
    from kiosk.sync.state import SyncStateStore

    store = open_store(data_dir(config) / DB_FILENAME)
    try:
        SyncStateStore(store).save_credential(config.terminal.id, credential)
    finally:
        store.close()


@pytest.fixture
def make_kiosk(kiosk_window, qtbot, make_config, small_catalog_file, backend, tmp_path):
    """`make_kiosk(a4=True, records=True, orientation=None, **sections)`: a terminal enrolled
    with the module's backend over HTTP (`records=True`), with sync off (`records=None`), or
    with a records port standing in for the backend (any other value)."""
    from wiring import Overrides

    made = []

    def make(*, a4: bool = True, records=True, orientation=None, extra_items=(),
             camera: bool = True, **sections):
        from printing.virtual_printer import VirtualPrinter

        receipt = VirtualPrinter()
        receipt.__enter__()
        n = len(made)
        a4_folder = tmp_path / f"a4-{n}"
        printing = {"receipt": {"driver": "network", "host": "127.0.0.1", "port": receipt.port,
                                "timeout_s": 2},
                    "document": {"driver": "virtual", "folder": str(a4_folder)} if a4 else
                    {"driver": "none"}}
        # events stay in the local outbox where the tests read them (pushing is tested in
        # test_sync_*): long intervals, the backend's records still answer every call
        sync = {"adapter": "http", "base_url": backend.url, "push_interval_s": 3600,
                "heartbeat_interval_s": 3600, "catalog_interval_s": 3600} \
            if records is True else {"adapter": "off"}
        # the face check: a short look (the simulated verifier answers at once)
        devices = {"face_look_s": 0.3, "face_timeout_s": 4.0, **sections.pop("devices", {})}
        sections = {"terminal": {"id": f"T-{n + 1:03d}"}, "printing": printing, "sync": sync,
                    "devices": devices, **sections}
        config = make_config(small_catalog_file, **sections)
        adapters = []
        if records is True:
            adapters.append(enrolled(backend.url, config.terminal.id))
            save_credential(config, adapters[0].credential)
        reader = SimulatedIdCardReader(read_s=0.05, timeout_s=2.0)
        cam = SimulatedCamera(fps=20) if camera else None
        overrides = Overrides(id_reader=reader, extra_items=tuple(extra_items),
                              records=None if records is True or records is None else records,
                              camera=cam, face_verifier=SimulatedFaceVerifier() if camera
                              else None)
        kiosk = kiosk_window(config, orientation=orientation, overrides=overrides)
        if records is True:  # the sync service builds its adapter off the UI thread
            qtbot.waitUntil(lambda: kiosk.services.sync.adapter is not None, timeout=10000)
        k = Kiosk(kiosk, receipt, a4_folder, reader, cam)
        k.adapters = adapters
        made.append(k)
        return k

    yield make
    for k in made:
        k.kiosk.close()
        k.receipt.__exit__(None, None, None)
        for a in k.adapters:
            a.close()


def tap(qtbot, widget):
    assert widget.isVisible(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def wait_page(qtbot, k: Kiosk, name: str, timeout: int = 10000) -> None:
    def there():
        assert k.page() == name, (k.page(), k.run)
    qtbot.waitUntil(there, timeout=timeout)


def insert_card(qtbot, k: Kiosk, citizen) -> None:
    """The card on the reader; for a personal item the face check follows, which the
    simulated camera (the card's holder before it) passes by itself after a short look."""
    wait_page(qtbot, k, "identify")
    k.reader.place(IdCardData(citizen.id_number, citizen.name))
    qtbot.waitUntil(lambda: k.run.step.kind is not StepKind.IDENTIFY, timeout=5000)


def agree(qtbot, k: Kiosk) -> None:
    wait_page(qtbot, k, "consent")
    tap(qtbot, k.flow.consent_agree)


def shot(k: Kiosk, artifacts: Path, name: str) -> Path:
    path = artifacts / f"flow-{name}.png"
    k.w.grab().save(str(path))
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_qr(path: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(out)],
                   check=True)
    (png,) = tmp_path.glob("page*.png")
    texts = [r.text for r in zxingcpp.read_barcodes(Image.open(png))]
    png.unlink()
    return texts


def rate(qtbot, k: Kiosk, level_name: str = "very_satisfied") -> None:
    wait_page(qtbot, k, "rate")
    panel = k.flow.rating
    tap(qtbot, panel.level_buttons[next(lv for lv in panel.level_buttons
                                        if lv.name.lower() == level_name)])
    tap(qtbot, panel.submit_button)


def events(k: Kiosk, kind: str) -> list[dict]:
    k.core.services.events.flush()  # the outbox is written off the UI thread
    return [e.payload for e in k.core.outbox.next_batch(500) if e.kind == kind]


def start_item(qtbot, k: Kiosk, item_id: str) -> None:
    """From the attract screen: the item's home tile if it has one, else its guide's button."""
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    home = k.w.screens[Screen.HOME]
    button = next((b for b in home.tile_buttons if b.objectName() == f"tile_{item_id}"), None)
    if button is None:
        k.core.open_guide(item_id)
        button = k.w.screens[Screen.GUIDE].start_button
    tap(qtbot, button)
    assert k.core.navigator.current.screen == Screen.FLOW


# ============================================================================ the items


def test_certificate_by_id_card_end_to_end(qtbot, make_kiosk, artifacts, tmp_path):
    k = make_kiosk()
    start_item(qtbot, k, "RS-000001")
    shot(k, artifacts, "identify")
    insert_card(qtbot, k, ZHANG)
    assert k.flow.who.text().endswith("3204**********1230")
    shot(k, artifacts, "consent")
    agree(qtbot, k)
    wait_page(qtbot, k, "preview")
    # the first page, drawn by the render helper process (not by this one)
    qtbot.waitUntil(lambda: not k.flow.page_preview.page.pixmap().isNull(), timeout=15000)
    renderer = k.core.printer.renderer
    assert renderer.pid not in (None, os.getpid()) and renderer.starts == 1
    assert k.flow.page_preview.isVisible()
    qtbot.wait(200)
    shot(k, artifacts, "certificate-preview")
    tap(qtbot, k.flow.preview_print)
    rate_page = lambda: k.page() == "rate"  # noqa: E731
    qtbot.waitUntil(rate_page, timeout=15000)
    (pdf,) = k.pdfs()
    text = pdf_text(pdf)
    assert "社会保险参保证明" in text and ZHANG.name in text and "3204**********1230" in text
    assert ZHANG.id_number not in text
    (url,) = pdf_qr(pdf, tmp_path)
    assert "/verify/" in url
    rate(qtbot, k)
    wait_page(qtbot, k, "done")
    shot(k, artifacts, "done")
    tap(qtbot, k.flow.done_exit)
    assert k.core.navigator.current.screen == Screen.ATTRACT
    (rating,) = events(k, "rating")
    assert rating["level"] == 5 and rating["flow"] == "ss.certificate"
    (tx,) = events(k, "transaction")
    assert tx["outcome"] == "done" and tx["method"] == "id_card" and tx["rated"] is True


def test_contributions_by_year_and_type_with_paging(qtbot, make_kiosk, artifacts):
    k = make_kiosk()
    start_item(qtbot, k, "RS-000002")
    insert_card(qtbot, k, ZHANG)
    agree(qtbot, k)
    wait_page(qtbot, k, "show")
    view = k.run.view()
    assert view.years and view.year == view.years[0] and view.page.number == 1
    shot(k, artifacts, "contributions")
    records = k.flow._records_view
    if view.page.pages > 1:
        records.chosen.emit({"page": 2})
        assert k.run.view().page.number == 2
    older = view.years[-1]
    records.chosen.emit({"year": older})
    assert k.run.view().year == older and k.run.view().page.number == 1
    records.chosen.emit({"insurance_type": "pension"})
    assert all(r.type.value == "pension" for r in k.run.view().rows)
    tap(qtbot, k.flow.show_next)
    wait_page(qtbot, k, "preview")
    tap(qtbot, k.flow.preview_print)
    wait_page(qtbot, k, "rate", 15000)
    (pdf,) = k.pdfs()
    text = pdf_text(pdf)
    assert "缴费明细" in text and f"{older}-01 至 {older}-12" in text
    tap(qtbot, k.flow.rating.skip_button)
    wait_page(qtbot, k, "done")


def test_medical_account_by_month_without_printing(qtbot, make_kiosk, artifacts):
    k = make_kiosk()
    start_item(qtbot, k, "YB-000004")
    insert_card(qtbot, k, ZHANG)
    agree(qtbot, k)
    wait_page(qtbot, k, "show")
    view = k.run.view()
    month = view.months[1]
    k.flow._records_view.chosen.emit({"month": month})
    assert k.run.view().month == month
    shot(k, artifacts, "medical-account")
    tap(qtbot, k.flow.show_next)
    wait_page(qtbot, k, "preview")
    tap(qtbot, k.flow.preview_skip)  # optional print: the citizen only wanted to look
    wait_page(qtbot, k, "rate")
    assert k.pdfs() == []


@pytest.mark.parametrize("item_id, citizen, title", [
    ("YB-000005", ZHANG, "医疗保险参保凭证"),
])
def test_medical_enrolment_certificate(qtbot, make_kiosk, item_id, citizen, title):
    k = make_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    k.core.start_flow("yb.enrolment", item_id=item_id)
    insert_card(qtbot, k, citizen)
    agree(qtbot, k)
    wait_page(qtbot, k, "preview")
    tap(qtbot, k.flow.preview_print)
    wait_page(qtbot, k, "rate", 15000)
    (pdf,) = k.pdfs()
    assert title in pdf_text(pdf)


def test_provident_fund_deposits(qtbot, make_kiosk, artifacts):
    k = make_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    k.core.start_flow("gjj.deposits")
    insert_card(qtbot, k, ZHANG)
    agree(qtbot, k)
    wait_page(qtbot, k, "show")
    shot(k, artifacts, "provident-fund")
    tap(qtbot, k.flow.show_next)
    wait_page(qtbot, k, "preview")
    tap(qtbot, k.flow.preview_print)
    wait_page(qtbot, k, "rate", 15000)
    (pdf,) = k.pdfs()
    assert "住房公积金" in pdf_text(pdf)


def test_a_new_item_through_the_registry_alone(qtbot, make_kiosk, artifacts):
    """An item added by one registry entry (existing records call, view and renderer), bound
    to a catalog item by its base code: its guide offers it, and it runs end to end."""
    from kiosk.flows.engine import (
        Consent, Done, Flow, Identify, Paper, Preview, Print, Query, Rate, Show)
    from kiosk.flows.items import DocumentSpec, ItemSpec, ProvidentFund

    def make_flow(settings):
        return Flow("test.fund", (
            Identify(), Consent(), Query("provident_fund"), Show("test.fund"),
            Preview(optional=True), Print(("provident_fund",), Paper.A4), Rate(), Done()),
            ProvidentFund(), "测试：公积金", "gjj")

    spec = ItemSpec("test.fund", "My provident fund (throwaway item)", make_flow,
                    catalog_codes=("2001009001",),  # RS-000003 in the small catalog
                    view="screens.flow_views:ProvidentFundRecordsView",
                    documents={"provident_fund": DocumentSpec(
                        "Provident fund certificate", "printing.flow_documents:provident_fund")},
                    assurance="verified")  # it shows personal data
    k = make_kiosk(extra_items=[spec])
    assert k.core.flow_for_item("RS-000003") == "test.fund"
    start_item(qtbot, k, "RS-000003")
    assert k.run.flow.id == "test.fund"
    assert k.flow.title.text() == "My provident fund (throwaway item)"
    insert_card(qtbot, k, ZHANG)
    wait_page(qtbot, k, "consent")
    assert "Provident fund certificate" in k.flow.consent_prints.text()
    agree(qtbot, k)
    wait_page(qtbot, k, "show")
    assert type(k.flow._records_view).__name__ == "ProvidentFundRecordsView"
    shot(k, artifacts, "throwaway-item")
    tap(qtbot, k.flow.show_next)
    wait_page(qtbot, k, "preview")
    tap(qtbot, k.flow.preview_print)
    wait_page(qtbot, k, "rate", 15000)
    (pdf,) = k.pdfs()
    assert "住房公积金" in pdf_text(pdf)
    tx = None
    rate(qtbot, k)
    wait_page(qtbot, k, "done")
    tap(qtbot, k.flow.done_exit)
    (tx,) = [e for e in events(k, "transaction") if e["flow"] == "test.fund"]
    assert tx["outcome"] == "done" and tx["item_id"] == "RS-000003"


def test_real_estate_owner_and_no_property(qtbot, make_kiosk, artifacts):
    k = make_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    k.core.start_flow("bdc.registrations")
    insert_card(qtbot, k, LI)  # 李娜 owns nothing: the 无房证明 is what prints
    agree(qtbot, k)
    wait_page(qtbot, k, "show")
    assert k.run.view().has_property is False
    shot(k, artifacts, "real-estate-none")
    tap(qtbot, k.flow.show_next)
    wait_page(qtbot, k, "preview")
    tap(qtbot, k.flow.preview_print)
    wait_page(qtbot, k, "rate", 15000)
    (pdf,) = k.pdfs()
    assert "无房" in pdf_text(pdf) or "未查询到" in pdf_text(pdf)
    # an owner asking for the 无房证明 is told plainly, and offered the records instead
    k.core.start_flow("bdc.no_property")
    insert_card(qtbot, k, ZHANG)
    agree(qtbot, k)
    wait_page(qtbot, k, "error")
    assert k.run.error.code == "records.not_applicable"
    assert not k.flow.error_retry.isVisible()
    shot(k, artifacts, "no-property-refused")


def test_queue_ticket_on_the_receipt_printer(qtbot, make_kiosk, artifacts):
    k = make_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    tap(qtbot, k.w.screens[Screen.HOME].queue_button)
    wait_page(qtbot, k, "choose")
    shot(k, artifacts, "queue-choose")
    tap(qtbot, k.flow.choose_buttons[0])
    wait_page(qtbot, k, "rate", 15000)
    deadline = time.monotonic() + 5
    while not k.receipt.jobs and time.monotonic() < deadline:
        qtbot.wait(50)
    (job,) = k.receipt.jobs
    img = k.receipt.render(job)
    img.save(artifacts / "flow-queue-ticket-receipt.png")
    (url,) = [c.text for c in zxingcpp.read_barcodes(img)]
    assert url.startswith("http")
    tap(qtbot, k.flow.rating.skip_button)
    wait_page(qtbot, k, "done")
    ticket = k.run.view().summary
    assert ticket.number and k.flow._done_view is not None and k.flow._done_view.isVisible()
    shot(k, artifacts, "queue-done")


def test_guide_slip_through_its_flow(qtbot, make_kiosk, artifacts):
    k = make_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    k.core.open_guide("RS-000003")
    tap(qtbot, k.w.screens[Screen.GUIDE].print_button)
    wait_page(qtbot, k, "preview")
    shot(k, artifacts, "guide-preview")
    tap(qtbot, k.flow.preview_print)
    wait_page(qtbot, k, "rate", 15000)
    (job,) = k.receipt.jobs
    img = k.receipt.render(job)
    assert [c.text for c in zxingcpp.read_barcodes(img)] == [
        "https://zwfw.example.gov.cn/guide/RS-000003"]


# ============================================================================ face check


def face_code(k: Kiosk) -> str:
    return k.flow.identify_panel.face_code


def test_face_check_three_failed_tries_then_staff(qtbot, make_kiosk, artifacts):
    """Someone else's card: the face does not match, twice, then the check is locked for the
    session and the citizen can call staff (a numbered report routed to the help desk)."""
    k = make_kiosk(devices={"face_look_s": 1.0})
    k.camera.mode = SimMode.MISMATCH
    start_item(qtbot, k, "RS-000001")
    wait_page(qtbot, k, "identify")
    k.reader.place(IdCardData(ZHANG.id_number, ZHANG.name))
    panel = k.flow.identify_panel
    page = panel.face_page
    qtbot.waitUntil(lambda: face_code(k) == "face.looking" and page.camera.has_picture,
                    timeout=5000)
    assert page.headline.text() == "请正视摄像头" and page.who.text().endswith("1230")
    assert page.attempt.text() == "第 1 次，共 3 次" and page.progress.isVisible()
    shot(k, artifacts, "face-check")
    for n in (1, 2):
        qtbot.waitUntil(lambda: face_code(k) == "face.mismatch", timeout=5000)
        assert page.retry_button.isVisible() and not page.staff_button.isVisible()
        if n == 1:
            shot(k, artifacts, "face-mismatch")
        tap(qtbot, page.retry_button)
    qtbot.waitUntil(lambda: face_code(k) == "face.locked", timeout=5000)
    assert "人脸核验未通过" in page.headline.text()
    assert "政务服务中心一楼 3 号窗口" in page.hint.text()  # the item's window, from its guide
    assert not page.retry_button.isVisible() and page.staff_button.isVisible()
    shot(k, artifacts, "face-locked")
    assert k.run.step.kind is StepKind.IDENTIFY and k.run.masked_id == ""
    # a card again in the same session: locked at once
    tap(qtbot, page.other_button)
    assert not panel.face_active
    k.reader.remove()
    k.reader.place(IdCardData(ZHANG.id_number, ZHANG.name))
    qtbot.waitUntil(lambda: face_code(k) == "face.locked", timeout=5000)
    tap(qtbot, page.staff_button)
    assert k.core.navigator.current.screen == Screen.PROBLEM
    problem = k.w.screens[Screen.PROBLEM]
    assert problem.ticket is not None and problem.number.text().startswith("BC-")
    (report,) = events(k, "problem_report")
    assert report["category"] == "cannot_identify" and report["step"] == "identify"
    assert ZHANG.id_number not in str(report)
    shot(k, artifacts, "face-call-staff")


def test_a_photo_held_up_and_nobody_in_front(qtbot, make_kiosk):
    k = make_kiosk()
    k.camera.mode = SimMode.SPOOF
    start_item(qtbot, k, "RS-000001")
    insert = lambda: k.reader.place(IdCardData(LI.id_number, LI.name))  # noqa: E731
    wait_page(qtbot, k, "identify")
    insert()
    qtbot.waitUntil(lambda: face_code(k) == "face.spoof", timeout=5000)
    assert "照片" in k.flow.identify_panel.face_page.headline.text()
    # the holder steps in front and tries again: verified
    k.camera.mode = SimMode.MATCH
    tap(qtbot, k.flow.identify_panel.face_page.retry_button)
    wait_page(qtbot, k, "consent")
    assert k.run.ctx.identity.verification.method.value == "card_face"


def test_camera_unplugged_during_the_check(qtbot, make_kiosk):
    k = make_kiosk(devices={"face_look_s": 2.0})
    k.camera.mode = SimMode.NO_FACE
    start_item(qtbot, k, "RS-000001")
    wait_page(qtbot, k, "identify")
    k.reader.place(IdCardData(LI.id_number, LI.name))
    qtbot.waitUntil(lambda: face_code(k) == "face.looking", timeout=5000)
    k.camera.mode = SimMode.CAMERA_OFFLINE
    qtbot.waitUntil(lambda: face_code(k) == "face.camera_offline", timeout=5000)
    page = k.flow.identify_panel.face_page
    assert page.staff_button.isVisible() and "电子身份凭证" in page.hint.text()
    # back to the other ways: the card is no longer offered while the camera is down
    tap(qtbot, page.other_button)
    assert k.flow.identify_panel.card_code == "id.card.no_face_check"


def test_without_a_camera_the_card_does_not_open_personal_records(qtbot, make_kiosk,
                                                                  artifacts):
    """This machine has no camera: the terminal's real (Qt) camera reports it offline, so the
    card is not offered for a personal item (it would prove nothing alone); the e-credential
    QR code and the staffed window are."""
    k = make_kiosk(camera=False, devices={"camera": "qt", "face_verifier": "simulated"})
    assert type(k.core.face_watch.camera).__name__ == "QtCamera"
    start_item(qtbot, k, "RS-000001")
    wait_page(qtbot, k, "identify")
    panel = k.flow.identify_panel
    assert panel.card_code == "id.card.no_face_check" and not panel.illustration.isVisible()
    assert "电子身份凭证" in panel.card_hint.text() and not panel.pad.isVisible()
    k.reader.place(IdCardData(ZHANG.id_number, ZHANG.name))
    qtbot.wait(300)
    assert k.run.step.kind is StepKind.IDENTIFY and not panel.face_active
    shot(k, artifacts, "identify-no-camera")
    # the queue needs no identity at all
    tap(qtbot, k.w.nav.home_button)
    tap(qtbot, k.w.screens[Screen.HOME].queue_button)
    wait_page(qtbot, k, "choose")


def test_attended_mode_offers_the_pad_for_a_personal_item(qtbot, make_kiosk):
    """A member of staff attends (the hall-staff mode sets it; here directly): the number pad
    is offered, and the typed number is verified "attended" with their id."""
    k = make_kiosk()
    start_item(qtbot, k, "RS-000001")
    wait_page(qtbot, k, "identify")
    panel = k.flow.identify_panel
    assert not panel.pad_visible and not panel.manual_button.isVisible()
    k.core.attend("S-0042")
    if not panel.pad_visible:
        tap(qtbot, panel.manual_button)
    for ch in WANG.id_number:
        tap(qtbot, panel.pad.keys[ch])
    tap(qtbot, panel.pad.confirm_button)
    wait_page(qtbot, k, "consent")
    v = k.run.ctx.identity.verification
    assert (v.method.value, v.staff_id) == ("attended", "S-0042")
    tap(qtbot, k.w.nav.end_button)
    (tx,) = events(k, "transaction")
    assert tx["verified"] == "attended" and "S-0042" not in str(tx)
    assert k.core.attending is None  # it ended with the session


# ============================================================================ e-credential


def e_credential(backend, citizen) -> str:
    """What the citizen's government services app shows: a fresh e-credential QR code (the
    demo's phone asks the backend's admin endpoint, as here)."""
    from types import SimpleNamespace

    from wiring.demo_backend import DemoPhone

    return DemoPhone(SimpleNamespace(url=backend.url, admin_token=ADMIN), None) \
        .e_credential(citizen.id_number)


def scan(qtbot, k: Kiosk, text: str) -> None:
    from screens.widgets.wedge import type_as_scanner

    typing = type_as_scanner(text, target=k.w)
    qtbot.waitUntil(lambda: typing.done, timeout=5000)


def test_e_credential_qr_end_to_end_and_its_refusals(qtbot, make_kiosk, backend, artifacts):
    """The QR code from the citizen's app, through the scanner: exchanged at the backend (off
    the UI thread) for the citizen and a ticket; the item runs with proofs of method
    e_credential. Shown again: used; forged: not valid; each in plain words."""
    k = make_kiosk()
    start_item(qtbot, k, "RS-000001")
    wait_page(qtbot, k, "identify")
    qr = e_credential(backend, LI)
    scan(qtbot, k, qr)
    wait_page(qtbot, k, "consent")
    ident = k.run.ctx.identity
    assert ident.verification.method.value == "e_credential" and ident.verification.ticket
    assert k.flow.who.text().endswith("2469")
    agree(qtbot, k)
    wait_page(qtbot, k, "preview", 15000)  # the records came: the proof was accepted
    tap(qtbot, k.w.nav.end_button)
    # the same code again (a photo of the phone, or a replay): refused
    start_item(qtbot, k, "RS-000001")
    wait_page(qtbot, k, "identify")
    panel = k.flow.identify_panel
    scan(qtbot, k, qr)
    qtbot.waitUntil(lambda: panel.qr_code == "id.credential.used", timeout=5000)
    assert panel.qr_message.isVisible() and "已使用" in panel.qr_message.text()
    shot(k, artifacts, "e-credential-used")
    scan(qtbot, k, "GOVKIOSK-ECRED:1:1.2.3.forged")
    qtbot.waitUntil(lambda: panel.qr_code == "id.credential.invalid", timeout=5000)
    assert k.run.step.kind is StepKind.IDENTIFY and k.run.ctx.identity is None
    # a fresh code still works
    scan(qtbot, k, e_credential(backend, LI))
    wait_page(qtbot, k, "consent")
    tap(qtbot, k.w.nav.end_button)
    (tx, _tx2) = events(k, "transaction")
    assert tx["method"] == "qr" and tx["verified"] == "e_credential"


def test_e_credential_with_the_backend_down(qtbot, make_kiosk, backend):
    port = Switchable(None)
    port.down = True
    k = make_kiosk(records=port)
    start_item(qtbot, k, "RS-000001")
    wait_page(qtbot, k, "identify")
    scan(qtbot, k, e_credential(backend, WANG))
    panel = k.flow.identify_panel
    qtbot.waitUntil(lambda: panel.qr_code == "id.credential.unreachable", timeout=5000)
    assert "暂时无法核验" in panel.qr_message.text()


def test_demo_phone_shows_an_e_credential_to_the_scanner(qtbot, make_kiosk, backend):
    """F12's phone: a fresh code from the backend's admin endpoint, typed as the scanner
    would, off the UI thread."""
    from types import SimpleNamespace

    from screens.widgets.simulator import DemoSimulatorPanel
    from screens.widgets.wedge import type_as_scanner
    from wiring.demo_backend import DemoPhone

    k = make_kiosk()
    phone = DemoPhone(SimpleNamespace(url=backend.url, admin_token=ADMIN), k.kiosk.post)
    sim = DemoSimulatorPanel(k.reader, type_as_scanner, None, camera=k.camera, phone=phone.show)
    qtbot.addWidget(sim)
    sim.toggle()
    start_item(qtbot, k, "RS-000001")
    wait_page(qtbot, k, "identify")
    tap(qtbot, sim.buttons["phone_2"])  # 王建国's phone
    wait_page(qtbot, k, "consent")
    assert k.run.masked_id.endswith("317X")
    assert k.run.ctx.identity.verification.method.value == "e_credential"
    assert WANG.name in sim.status.text()


# ============================================================================ 近期查询记录


def test_who_looked_at_my_records_from_the_home_screen(qtbot, make_kiosk, backend, artifacts):
    """The item added through the registry alone (entry, records view, no document): a home
    tile, the card and face check, and the backend's access log: this terminal's lookups of
    this citizen, when, where, what and how they were verified."""
    k = make_kiosk()
    # a lookup first: 陈静's social insurance by card and face
    start_item(qtbot, k, "RS-000001")
    insert_card(qtbot, k, CHEN)
    agree(qtbot, k)
    wait_page(qtbot, k, "preview", 15000)
    tap(qtbot, k.flow.preview_print)  # the certificate issued: "开具：社会保险参保证明"
    wait_page(qtbot, k, "rate", 15000)
    tap(qtbot, k.w.nav.end_button)
    # then her 近期查询记录, by e-credential, from its own tile on the home screen
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    home = k.w.screens[Screen.HOME]
    tile = next(b for b in home.tile_buttons if b.objectName() == "tile_records.access_log")
    assert tile.text() == "近期查询记录"
    tap(qtbot, tile)
    wait_page(qtbot, k, "identify")
    assert k.flow.title.text() == "近期查询记录"
    scan(qtbot, k, e_credential(backend, CHEN))
    wait_page(qtbot, k, "consent")
    assert "近期谁查询过您的信息" in k.flow.consent_fetches.text()
    assert not k.flow.consent_prints.isVisible()  # nothing is printed
    agree(qtbot, k)
    wait_page(qtbot, k, "show", 15000)
    view = k.run.view()
    calls = [(e.call, e.method.value if e.method else None, e.terminal_id) for e in view.rows]
    assert calls[:2] == [("document:ss_certificate", "card_face", "T-001"),  # newest first
                         ("social_insurance", "card_face", "T-001")]
    assert "开具：社会保险参保证明" in k.flow._records_view.table.text()
    assert [e.at for e in view.rows] == sorted((e.at for e in view.rows), reverse=True)
    table = k.flow._records_view.table.text()
    assert "身份证＋人脸核验" in table and "社保记录" in table
    assert "document:" not in table  # a document is named by its title
    assert CHEN.id_number not in table and CHEN.name not in table
    qtbot.wait(300)
    shot(k, artifacts, "access-log")
    printed = k.pdfs()
    tap(qtbot, k.flow.show_next)
    wait_page(qtbot, k, "rate")
    assert k.pdfs() == printed  # the access log prints nothing


# ============================================================================ faults


class Switchable:
    """A records port whose backend can be cut and restored (the network, from the kiosk's side)."""

    def __init__(self, real):
        self.real = real
        self.down = False

    def __getattr__(self, name):
        if self.down:
            from kiosk.flows.ports import Unreachable

            def fail(*_a, **_kw):
                raise Unreachable("network")
            return fail
        return getattr(self.real, name)


def test_backend_down_says_so_and_loses_nothing(qtbot, make_kiosk, backend, artifacts, tmp_path):
    port = Switchable(None)
    port.down = True
    k = make_kiosk(records=port)
    k.adapters.append(enrolled(backend.url, k.core.config.terminal.id))
    port.real = BackendRecords(k.adapters[-1], terminal_id=k.core.config.terminal.id)
    start_item(qtbot, k, "RS-000001")
    insert_card(qtbot, k, WANG)
    agree(qtbot, k)
    wait_page(qtbot, k, "error")
    assert k.run.error.code == "backend.unreachable"
    assert k.flow.error_qr.isVisible() and k.flow.error_retry.isVisible()
    path = shot(k, artifacts, "backend-down")
    assert "rs" in k.flow.error_where.text().lower() or k.flow.error_where.text()
    qr = [c.text for c in zxingcpp.read_barcodes(Image.open(path))]
    assert "https://zwfw.example.gov.cn/guide/RS-000001" in qr
    # the network comes back: the citizen taps 重试 and goes on; identity and consent kept
    port.down = False
    tap(qtbot, k.flow.error_retry)
    wait_page(qtbot, k, "preview")
    assert k.run.masked_id.endswith("317X")


def test_printer_out_of_paper_mid_item(qtbot, make_kiosk, artifacts):
    k = make_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    k.receipt.state = "paper_out"
    k.core.start_flow("queue.ticket")
    tap(qtbot, k.flow.choose_buttons[0])
    wait_page(qtbot, k, "error", 15000)
    assert k.run.error.code in ("print.failed", "print.unavailable")
    # the number is on screen even though the slip did not print; the citizen may go on
    assert k.flow._error_view is not None and k.flow._error_view.isVisible()
    assert k.flow.error_skip.isVisible()
    shot(k, artifacts, "queue-paper-out")
    tap(qtbot, k.flow.error_skip)
    wait_page(qtbot, k, "rate")


def test_back_and_cancel_inside_an_item(qtbot, make_kiosk):
    k = make_kiosk()
    start_item(qtbot, k, "RS-000001")
    insert_card(qtbot, k, CHEN)
    wait_page(qtbot, k, "consent")
    tap(qtbot, k.w.nav.back_button)  # back to identify: the identity is forgotten
    wait_page(qtbot, k, "identify")
    assert k.run.masked_id == ""
    tap(qtbot, k.w.nav.back_button)  # back from the first step leaves the item
    assert k.core.navigator.current.screen == Screen.HOME
    assert k.core.flow_run is None or k.core.flow_run.finished
    (tx,) = events(k, "transaction")
    assert tx["outcome"] == "cancelled"


def test_problem_report_inside_an_item_keeps_the_run(qtbot, make_kiosk):
    k = make_kiosk()
    start_item(qtbot, k, "RS-000001")
    insert_card(qtbot, k, CHEN)
    wait_page(qtbot, k, "consent")
    tap(qtbot, k.w.nav.problem_button)
    problem = k.w.screens[Screen.PROBLEM]
    tap(qtbot, next(iter(problem.category_buttons.values())))
    assert problem.number.text().startswith("BC-")
    (report,) = events(k, "problem_report")
    assert report["item_id"] == "RS-000001" and report["step"] == "consent"
    tap(qtbot, k.w.nav.back_button)
    assert k.core.navigator.current.screen == Screen.FLOW
    wait_page(qtbot, k, "consent")
    assert k.run.status is Status.READY


def test_timeout_mid_item_leaves_nothing_on_screen(qtbot, make_kiosk, artifacts):
    k = make_kiosk()
    start_item(qtbot, k, "RS-000002")
    insert_card(qtbot, k, ZHANG)
    agree(qtbot, k)
    wait_page(qtbot, k, "show")
    k.core.clock.advance(10_000)  # far past the idle timeout and its countdown
    qtbot.waitUntil(lambda: k.core.navigator.current.screen == Screen.ATTRACT, timeout=5000)
    (tx,) = events(k, "transaction")
    assert tx["outcome"] == "timed_out"
    texts = [(w.objectName(), w.text()) for w in k.w.findChildren(type(k.flow.title))
             if w.text()]
    for value in (ZHANG.name, "**1230", ZHANG.id_number):
        assert not [t for t in texts if value in t[1]], value
    shot(k, artifacts, "after-timeout")


# ============================================================================ privacy


def _files_with(folder: Path, needles: dict[str, list[bytes]], since: float,
                skip: tuple[Path, ...] = ()) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if not path.is_file() or any(path.is_relative_to(s) for s in skip):
            continue
        try:
            if path.stat().st_mtime < since:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        for what, forms in needles.items():
            if any(f in data for f in forms):
                found.append(f"{path}: {what}")
    return found


def test_nothing_of_the_citizens_stays_on_disk_or_on_screen(qtbot, make_kiosk, artifacts,
                                                            tmp_path, monkeypatch, backend):
    """Four citizens, four endings (completion, cancel, timeout, an error then 结束办理), with
    the card and its face check, an e-credential QR code through the wedge and the number pad
    (a member of staff attending: a number alone opens nothing otherwise); then the data
    directory, the log files and the temp folder are searched for their ID numbers and
    names."""
    import logging

    from kiosk.log import add_file_log
    from screens.widgets.wedge import type_as_scanner

    since = time.time() - 1
    # the kiosk's temp folder (Python's and Qt's) is one of its own, so other processes' temp
    # files on this machine cannot be mistaken for the kiosk's
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    k = make_kiosk()
    add_file_log(k.core.data_dir / "logs")
    root = logging.getLogger()
    handler = next(h for h in root.handlers if getattr(h, "_kiosk", False))
    root.setLevel(min(root.level, logging.INFO))
    try:
        # 1. 张伟: card, certificate printed, rated, done
        start_item(qtbot, k, "RS-000001")
        insert_card(qtbot, k, ZHANG)
        agree(qtbot, k)
        wait_page(qtbot, k, "preview")
        tap(qtbot, k.flow.preview_print)
        wait_page(qtbot, k, "rate", 15000)
        tap(qtbot, k.flow.rating.skip_button)
        wait_page(qtbot, k, "done")
        tap(qtbot, k.flow.done_exit)
        # 2. 李娜: her e-credential QR code through the scanner wedge (exchanged at the
        # backend), records shown, then cancelled (结束办理)
        start_item(qtbot, k, "RS-000001")
        wait_page(qtbot, k, "identify")
        typing = type_as_scanner(e_credential(backend, LI), target=k.w)
        qtbot.waitUntil(lambda: typing.done, timeout=5000)
        qtbot.waitUntil(lambda: k.run.step.kind is not StepKind.IDENTIFY, timeout=5000)
        agree(qtbot, k)
        wait_page(qtbot, k, "preview")
        tap(qtbot, k.w.nav.end_button)
        assert k.core.navigator.current.screen == Screen.ATTRACT
        # 3. 王建国, helped by staff: number pad, contributions on screen, then the idle timeout
        tap(qtbot, k.w.screens[Screen.ATTRACT])
        k.core.start_flow("ss.contributions")
        k.core.attend("S-0042")
        wait_page(qtbot, k, "identify")
        panel = k.flow.identify_panel
        if not panel.pad_visible:
            tap(qtbot, panel.manual_button)
        for ch in WANG.id_number:
            tap(qtbot, panel.pad.keys[ch])
        tap(qtbot, panel.pad.confirm_button)
        agree(qtbot, k)
        wait_page(qtbot, k, "show")
        k.core.clock.advance(10_000)
        qtbot.waitUntil(lambda: k.core.navigator.current.screen == Screen.ATTRACT, timeout=5000)
        path = shot(k, artifacts, "privacy-after-timeout")
        # 4. 陈静 has no provident fund account: the error, then she leaves
        tap(qtbot, k.w.screens[Screen.ATTRACT])
        k.core.start_flow("gjj.deposits")
        insert_card(qtbot, k, CHEN)
        agree(qtbot, k)
        wait_page(qtbot, k, "error")
        assert k.run.error.code == "records.no_account"
        tap(qtbot, k.w.nav.end_button)
        k.spooler.stop()  # every journal write done
        handler.flush()
    finally:
        root.removeHandler(handler)
        handler.close()

    outcomes = [e["outcome"] for e in events(k, "transaction")]
    assert outcomes == ["done", "cancelled", "timed_out", "cancelled"]
    needles = {}
    for c in (ZHANG, LI, WANG, CHEN):
        needles[c.id_number] = [c.id_number.encode()]
        needles[c.name] = [c.name.encode("utf-8"), c.name.encode("gb18030"),
                           c.name.encode("utf-16-le")]
    data_dir = k.core.data_dir
    assert (data_dir / "logs" / "kiosk.log").stat().st_size > 0
    assert (data_dir / "kiosk.sqlite3").exists() or any(data_dir.glob("*.sqlite3"))
    leaks = _files_with(data_dir, needles, since)
    leaks += _files_with(temp, needles, since)
    assert leaks == []
    # the search would have found one (a control, so this test can fail)
    (temp / "probe.txt").write_text(f"{LI.name} {LI.id_number}", encoding="utf-8")
    assert len(_files_with(temp, needles, since)) == 2
    # the screen after the timeout: nothing of 王建国
    texts = [w.text() for w in k.w.findChildren(type(k.flow.title)) if w.text()]
    assert not [t for t in texts if WANG.name in t or "**317X" in t or WANG.id_number in t]
    assert path.exists()


def test_queue_business_types_come_from_the_config(qtbot, make_kiosk):
    k = make_kiosk(services={"queue_business_types": {"yb": "医保窗口", "general": "综合咨询"}})
    tap(qtbot, k.w.screens[Screen.ATTRACT])
    tap(qtbot, k.w.screens[Screen.HOME].queue_button)
    wait_page(qtbot, k, "choose")
    assert [b.text() for b in k.flow.choose_buttons] == ["医保窗口", "综合咨询"]
    tap(qtbot, k.flow.choose_buttons[0])
    wait_page(qtbot, k, "rate", 15000)
    assert k.run.summary.business_type == "yb"
    assert "您的排队号" in k.flow.rate_summary.text() and k.run.summary.number in \
        k.flow.rate_summary.text()


def test_demo_simulator_panel_opens_with_f12_and_inserts_a_card(qtbot, make_kiosk):
    from wiring.ui import demo_panels

    k = make_kiosk()
    demo_panels(k.kiosk, None)
    panel = k.w.simulator
    qtbot.addWidget(panel)
    assert panel is not None and not panel.isVisible()
    qtbot.keyClick(k.w, Qt.Key.Key_F12)
    assert panel.isVisible()
    start_item(qtbot, k, "RS-000001")
    wait_page(qtbot, k, "identify")
    tap(qtbot, panel.buttons["card_0"])  # 张伟's card on the simulated reader
    qtbot.waitUntil(lambda: k.run.step.kind is not StepKind.IDENTIFY, timeout=5000)
    assert k.flow.who.text().endswith("1230")
    qtbot.keyClick(k.w, Qt.Key.Key_F12)
    assert not panel.isVisible()


def test_no_database_write_on_the_ui_thread_during_an_item(qtbot, make_kiosk):
    """Every tap of an item end to end (card, consent, preview, print, rating, cancel of a
    second item): the UI thread never writes to SQLite; the outbox writer, the flow driver's
    worker and the spooler do."""
    import threading

    from sqlalchemy import event

    k = make_kiosk()
    ui = threading.current_thread()
    writes: list[str] = []

    def watch(conn, cursor, statement, *args):
        if threading.current_thread() is ui and statement.lstrip().split(" ", 1)[0].upper() in (
                "INSERT", "UPDATE", "DELETE", "REPLACE"):
            writes.append(statement.split("(", 1)[0][:60])

    engine = k.core.store.engine
    event.listen(engine, "before_cursor_execute", watch)
    try:
        start_item(qtbot, k, "RS-000001")
        insert_card(qtbot, k, ZHANG)
        agree(qtbot, k)
        wait_page(qtbot, k, "preview")
        tap(qtbot, k.flow.preview_print)
        wait_page(qtbot, k, "rate", 15000)
        rate(qtbot, k)
        wait_page(qtbot, k, "done")
        tap(qtbot, k.flow.done_more)
        k.core.start_flow("ss.certificate")
        insert_card(qtbot, k, LI)
        agree(qtbot, k)
        wait_page(qtbot, k, "preview")
        tap(qtbot, k.w.nav.end_button)  # leaves mid-item: the run is cancelled
        assert k.core.navigator.current.screen == Screen.ATTRACT
        k.core.services.events.flush()
        assert writes == []
        k.core.outbox.add("telemetry", {"control": 1})  # the watch does see a UI-thread write
        assert writes and writes[0].upper().startswith("INSERT")
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert {e["outcome"] for e in events(k, "transaction")} == {"done", "cancelled"}
