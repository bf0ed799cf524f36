"""Terminal configuration: one TOML file per terminal, validated against a typed schema.

Every option has a type, bounds where they make sense, a default and a description (the
`description` of each Field is what `config/terminal.example.toml` documents). Unknown keys are
errors, so a typo never silently falls back to a default.

`load_config(path)` returns a `TerminalConfig` or raises `ConfigError`, whose `problems` are
one line each: ``FILE: key 'session.idle_timeout_s': must be >= 15 (got 5)``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import MISSING, dataclass, field, fields
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

if TYPE_CHECKING:  # the annotations are read by pydantic, on a cache miss only (_adapter)
    from pydantic import AfterValidator, Field

from kiosk.language import LANGUAGES as SUPPORTED_LANGUAGES


class ConfigError(Exception):
    """A config file that cannot be used; `problems` holds one human-readable line each."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(problems))


class Orientation(StrEnum):
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


class _Section:
    """A section of the file: a frozen dataclass whose annotations pydantic validates (unknown
    keys are errors)."""

    __pydantic_config__ = {"extra": "forbid"}


@dataclass(frozen=True)
class TerminalSection(_Section):
    id: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$",
            description="Terminal id shown in the status bar and on every printout "
            "(letters, digits, - and _, 2-32 characters).",
        ),
    ] = "DEMO-0001"
    place: Annotated[
        str,
        Field(min_length=1, max_length=60, description="Where the terminal stands, shown to citizens."),
    ] = "政务服务中心 24 小时自助服务区"
    staffed_window: Annotated[
        str,
        Field(
            max_length=60,
            description="Where a citizen can get help in person when the terminal cannot serve.",
        ),
    ] = "政务服务中心一楼综合受理窗口"
    # -- hall staff: the out-of-service screen (docs/decisions/0021) --
    online_service_url: Annotated[
        str,
        Field(
            max_length=300, pattern=r"^(https?://\S+)?$",
            description="The online service's address, shown as a QR code on the "
            "out-of-service screen (empty: no QR code).",
        ),
    ] = "https://zwfw.example.gov.cn/"


@dataclass(frozen=True)
class DisplaySection(_Section):
    orientation: Annotated[
        Orientation, Field(description="portrait (1080x1920) or landscape (1920x1080).")
    ] = Orientation.PORTRAIT
    fullscreen: Annotated[
        bool,
        Field(description="Frameless full-screen window. Turn off only on a developer's desktop."),
    ] = True
    lockdown: Annotated[
        bool,
        Field(description="Swallow desktop and editing shortcuts (Alt+F4, Alt+Tab, Ctrl+W/Q, "
                          "F11, Super, copy/paste), refuse closing the window, no context menus "
                          "or text dragging. Turn off only on a developer's desktop."),
    ] = True
    hide_cursor: Annotated[
        bool,
        Field(description="Hide the mouse cursor (a touch terminal)."),
    ] = False
    diagonal_in: Annotated[
        float,
        Field(ge=10, le=100, description="The screen's diagonal in inches: sizes in millimetres "
                                         "(text height, touch targets; MIIT 2021) follow from it."),
    ] = 32.0
    dpi: Annotated[
        float,
        Field(ge=0, le=600, description="Pixels per inch of the screen; 0 computes it from "
                                        "diagonal_in and the 1080x1920 resolution."),
    ] = 0.0
    viewing_distance_mm: Annotated[
        int,
        Field(ge=300, le=1500, description="Distance from the citizen's eyes to the screen: "
                                           "capital letters are at least 0.01222 times it "
                                           "(MIIT 2021 适老化)."),
    ] = 600


@dataclass(frozen=True)
class SessionSection(_Section):
    idle_timeout_s: Annotated[
        int,
        Field(ge=15, le=600, description="Seconds without a touch before the 'still there?' countdown."),
    ] = 60
    countdown_s: Annotated[
        int,
        Field(ge=5, le=60, description="Seconds the countdown runs before everything is cleared."),
    ] = 15
    elder_timeout_factor: Annotated[
        float,
        Field(ge=1.0, le=4.0, description="Elder mode multiplies the idle timeout by this factor."),
    ] = 2.0


@dataclass(frozen=True)
class MaintenanceSection(_Section):
    nightly: Annotated[
        bool,
        Field(description="Nightly maintenance at nightly_hour: full database check and "
                          "compaction, journal pruning, then a clean restart (catalog pulled "
                          "afresh). Never while a citizen is served."),
    ] = True
    nightly_hour: Annotated[
        int,
        Field(ge=0, le=23, description="Local hour the nightly maintenance may start (within "
                                       "four hours, at the first idle moment)."),
    ] = 3
    journal_keep_days: Annotated[
        int,
        Field(ge=1, le=3650, description="Days finished print jobs stay in the journal."),
    ] = 30
    rejected_keep_days: Annotated[
        int,
        Field(ge=1, le=3650, description="Days events the backend refused are kept for "
                                         "technicians (kiosk sync export)."),
    ] = 90
    usb_folder: Annotated[
        str,
        Field(description="Where the technician's USB stick is mounted: the maintenance "
                          "panel exports the logs there (redacted, with a SHA256SUMS "
                          "manifest)."),
    ] = "/media/kiosk-usb"


@dataclass(frozen=True)
class AttractSection(_Section):
    rotate_s: Annotated[
        int, Field(ge=2, le=60, description="Seconds each highlight stays on the attract screen.")
    ] = 6


@dataclass(frozen=True)
class LanguageSection(_Section):
    default: Annotated[
        str, Field(description="Language a new citizen session starts in."),
        AfterValidator(_known_default),
    ] = "zh_CN"
    available: Annotated[
        list[str],
        Field(min_length=1, description="Languages the citizen may switch to, from: "
                                        "zh_CN (简体), zh_TW (繁體), en."),
        AfterValidator(_known_languages),
    ] = field(default_factory=lambda: ["zh_CN", "zh_TW", "en"])

    def __post_init__(self) -> None:
        if self.default not in self.available:
            raise ValueError(f"default language {self.default!r} is not in available")


def _known_default(v: str) -> str:
    if v not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {v!r}; supported: {', '.join(SUPPORTED_LANGUAGES)}")
    return v


def _known_languages(v: list[str]) -> list[str]:
    bad = [x for x in v if x not in SUPPORTED_LANGUAGES]
    if bad:
        raise ValueError(
            f"unsupported language {bad[0]!r}; supported: {', '.join(SUPPORTED_LANGUAGES)}"
        )
    return v


@dataclass(frozen=True)
class ServicesSection(_Section):
    departments: Annotated[
        list[str],
        Field(description="Department codes whose items this terminal offers; empty means all."),
    ] = field(default_factory=list)
    exclude_items: Annotated[
        list[str], Field(description="Item ids hidden on this terminal.")
    ] = field(default_factory=list)
    tiles: Annotated[
        list[str],
        Field(
            max_length=12,
            description="Item ids of the high-frequency tiles on the home screen, in order "
            "(at most 12); empty means the catalog's high-frequency items.",
        ),
    ] = field(default_factory=list)
    queue_business_types: Annotated[
        dict[str, str],
        Field(
            min_length=1, max_length=12,
            description="现场取号: the business types offered, in order, as code = name; the "
            "codes are the backend's.",
        ),
        AfterValidator(_business_codes),
    ] = field(default_factory=lambda: {"ss": "社保业务", "yb": "医保业务", "gjj": "公积金业务",
                                       "bdc": "不动产业务", "general": "综合业务"})


def _business_codes(value: dict[str, str]) -> dict[str, str]:
    for code, name in value.items():
        if not re.fullmatch(r"[a-z][a-z0-9_.-]{0,31}", code):
            raise ValueError(f"{code!r} is not a business type code (a-z, 0-9, _ . -)")
        if not 1 <= len(name.strip()) <= 20:
            raise ValueError(f"the name of {code!r} must be 1 to 20 characters")
    return value


class ReceiptDriver(StrEnum):
    NONE = "none"          # no receipt printer on this terminal
    VIRTUAL = "virtual"    # the built-in virtual printer (demo, tests)
    NETWORK = "network"    # ESC/POS over TCP (port 9100)
    SERIAL = "serial"      # ESC/POS over a serial port
    USB = "usb"            # ESC/POS over USB (vendor/product id)
    CUPS_RAW = "cups-raw"  # ESC/POS bytes through a raw CUPS queue


@dataclass(frozen=True)
class ReceiptPrinterSection(_Section):
    driver: Annotated[ReceiptDriver, Field(description="How the receipt printer is reached: "
                      "none, virtual, network, serial, usb or cups-raw.")] = ReceiptDriver.VIRTUAL
    host: Annotated[str, Field(description="network: the printer's address.")] = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535, description="network: TCP port (0 = any free "
                    "port, virtual printer only).")] = 9100
    device: Annotated[str, Field(description="serial: device path, e.g. /dev/ttyUSB0.")] = ""
    baudrate: Annotated[int, Field(ge=1200, le=921600, description="serial: baud rate.")] = 19200
    usb_vendor: Annotated[int, Field(ge=0, le=0xFFFF, description="usb: vendor id.")] = 0
    usb_product: Annotated[int, Field(ge=0, le=0xFFFF, description="usb: product id.")] = 0
    cups_queue: Annotated[str, Field(description="cups-raw: the raw queue's name.")] = ""
    paper_mm: Annotated[int, Field(description="Paper width in mm: 58 or 80."), AfterValidator(_paper)] = 80
    roll_receipts: Annotated[int, Field(ge=0, le=100000, description="Receipts a full roll "
                             "prints (0: unknown); the fleet view forecasts when the paper runs "
                             "out from it and the receipts printed since the paper was "
                             "changed.")] = 0
    timeout_s: Annotated[float, Field(ge=0.5, le=60, description="Connection timeout.")] = 5.0


def _paper(v: int) -> int:
    if v not in (58, 80):
        raise ValueError(f"paper width must be 58 or 80 (got {v})")
    return v


@dataclass(frozen=True)
class DocumentPrinterSection(_Section):
    driver: Annotated[str, Field(description="A4 printer: 'cups' (a CUPS queue), 'virtual' "
                      "(PDFs into a folder: demo and tests) or 'none'."), AfterValidator(_driver)] = "none"
    cups_queue: Annotated[str, Field(description="cups: the queue's name (lpstat -p).")] = ""
    folder: Annotated[str, Field(description="virtual: where the PDFs go; empty means "
                      "<data_dir>/printed.")] = ""
    keep_hours: Annotated[float, Field(ge=0, le=8760, description="virtual: printed PDFs "
                          "(citizens' documents) older than this are deleted; 0 deletes each "
                          "at the next job or start.")] = 24
    tray_sheets: Annotated[int, Field(ge=0, le=100000, description="A4 sheets a full paper "
                           "tray holds (0: unknown); the fleet view forecasts when the paper "
                           "runs out from it and the jobs printed since the paper was "
                           "changed.")] = 0


def _driver(v: str) -> str:
    if v not in ("cups", "virtual", "none"):
        raise ValueError(f"must be 'cups', 'virtual' or 'none' (got {v!r})")
    return v


@dataclass(frozen=True)
class PrintingSection(_Section):
    receipt: ReceiptPrinterSection = field(default_factory=ReceiptPrinterSection)
    document: DocumentPrinterSection = field(default_factory=DocumentPrinterSection)
    max_job_age_s: Annotated[int, Field(ge=30, le=86400, description="A queued job older than "
                             "this is not printed any more (the citizen has gone).")] = 600


class SyncAdapter(StrEnum):
    OFF = "off"            # no backend: the shipped catalog only, events stay in the outbox
    EMBEDDED = "embedded"  # the reference backend as its own process on loopback (demo)
    HTTP = "http"          # a real backend over HTTP(S)


@dataclass(frozen=True)
class SyncSection(_Section):
    adapter: Annotated[SyncAdapter, Field(description="Which backend: off, embedded (the "
                       "reference backend with demo data, started as its own process on "
                       "loopback: the demo) or http.")] = SyncAdapter.OFF
    base_url: Annotated[str, Field(description="http: the backend's address, e.g. "
                        "https://zwfw.example.gov.cn/kiosk."), AfterValidator(_url)] = ""
    ca_file: Annotated[str, Field(description="http: a CA bundle to trust for TLS; empty means "
                       "the system's.")] = ""
    proxy: Annotated[str, Field(description="http: a proxy URL; empty means none (environment "
                     "proxies are ignored)."), AfterValidator(_url)] = ""
    connect_timeout_s: Annotated[float, Field(ge=1, le=60, description="Seconds to connect.")] = 5
    timeout_s: Annotated[float, Field(ge=1, le=120, description="Seconds to wait for each "
                         "read.")] = 20
    deadline_s: Annotated[float, Field(ge=1, le=600, description="Seconds one exchange may take "
                          "in all (at least timeout_s).")] = 60
    push_interval_s: Annotated[float, Field(ge=1, le=3600, description="Seconds between "
                               "outbox pushes.")] = 10
    heartbeat_interval_s: Annotated[float, Field(ge=5, le=3600, description="Seconds between "
                                    "heartbeats.")] = 60
    catalog_interval_s: Annotated[float, Field(ge=60, le=604800, description="Seconds between "
                                  "catalog pulls.")] = 21600
    retry_min_s: Annotated[float, Field(ge=1, le=600, description="First wait after a failure.")] = 5
    retry_max_s: Annotated[float, Field(ge=1, le=3600, description="Longest wait after "
                           "failures.")] = 300
    batch_size: Annotated[int, Field(ge=1, le=500, description="Events per push.")] = 500
    catalog_page_size: Annotated[int, Field(ge=50, le=1000, description="Items per catalog "
                                 "page.")] = 1000
    embedded_dir: Annotated[str, Field(description="embedded: the demo backend's own data "
                            "folder; empty means <data_dir>-demo-backend beside the data "
                            "dir.")] = ""

    def __post_init__(self) -> None:
        if self.adapter == SyncAdapter.HTTP and not self.base_url:
            raise ValueError("adapter 'http' needs base_url")
        if self.deadline_s < self.timeout_s:
            raise ValueError("deadline_s must be at least timeout_s")


def _url(v: str) -> str:
    from urllib.parse import urlsplit

    v = v.strip()
    if not v:
        return v
    try:
        parts = urlsplit(v)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname \
            or any(c.isspace() for c in v):
        raise ValueError(f"{v!r} is not an http:// or https:// address")
    return v


class IdCardReaderKind(StrEnum):
    NONE = "none"  # no reader: citizens use the QR code or the number pad
    SIMULATED = "simulated"  # the simulator (demo, tests): same events and failures as a reader
    SAM = "sam"  # a GA 467 reader on a serial line, SAM protocol (kiosk/devices/sam_reader.py)


SAM_BAUD_RATES = (9600, 19200, 38400, 57600, 115200)  # what a SAM module can be set to


class CameraKind(StrEnum):
    NONE = "none"  # no camera: ID cards cannot verify anyone here (e-credential, attended)
    SIMULATED = "simulated"  # the demo's: what stands before it is set from the F12 panel
    QT = "qt"  # the terminal's camera through QtMultimedia (screens/camera.py)


# "none", "simulated", or a vendor plugin's factory as "package.module:callable"
_FACE_VERIFIER = re.compile(r"^(none|simulated|[A-Za-z_][\w.]*:[A-Za-z_]\w*)$")


@dataclass(frozen=True)
class DevicesSection(_Section):
    id_card_reader: Annotated[IdCardReaderKind, Field(
        description="ID-card reader: 'none', 'simulated' (the demo's, driven from its "
                    "simulator panel, F12) or 'sam' (a second-generation reader, GA 467, "
                    "on a serial port speaking the SAM protocol: set id_card_port).")
    ] = IdCardReaderKind.NONE
    id_card_port: Annotated[str, Field(
        max_length=200,
        description="sam: the reader's serial port, e.g. /dev/ttyUSB0; better a stable "
                    "/dev/serial/by-id/... link. Any pyserial URL works too.")] = ""
    id_card_baud: Annotated[int, Field(
        description="sam: the serial line's speed: 9600, 19200, 38400, 57600 or 115200 (the "
                    "SAM's default)."), AfterValidator(_baud)] = 115200
    qr_scanner: Annotated[bool, Field(
        description="A QR scanner as a keyboard wedge (it must send Enter after each code).")] = True
    camera: Annotated[CameraKind, Field(
        description="Camera for the face check that verifies an ID card's holder: 'none', "
                    "'simulated' (the demo's, set from its simulator panel, F12) or 'qt' (the "
                    "terminal's camera through QtMultimedia). Without a camera and a "
                    "face_verifier, an ID card cannot open personal records on this terminal "
                    "(docs/decisions/0018).")] = CameraKind.NONE
    camera_device: Annotated[str, Field(
        max_length=200,
        description="qt: the camera's id or description as QtMultimedia lists it; empty "
                    "means the system's default camera.")] = ""
    face_verifier: Annotated[str, Field(
        max_length=200,
        description="Compares the card's chip photo with the camera, liveness included: "
                    "'none', 'simulated' (the demo's; never accepts a real camera) or a vendor "
                    "plugin's factory 'package.module:callable', called with the terminal's "
                    "config and returning a kiosk.devices.face.FaceVerifier."), AfterValidator(_verifier)] = "none"
    face_look_s: Annotated[float, Field(
        ge=0.2, le=10.0,
        description="Seconds of camera frames gathered before the verifier is asked.")] = 1.5
    face_timeout_s: Annotated[float, Field(
        ge=3.0, le=60.0,
        description="Seconds a try waits for a face before it fails ('no face seen'); "
                    "three failed tries send the citizen to the staffed window.")] = 10.0
    # -- terminal states (docs/decisions/0021) --
    required: Annotated[list[str], Field(
        max_length=4,
        description="The parts without which the terminal is out of service (once the "
                    "citizen at it is served), from: receipt_printer, document_printer, "
                    "id_card_reader, backend. A part the terminal does not have is not "
                    "required. A part not listed only greys out the items that need it."),
        AfterValidator(_parts),
    ] = field(default_factory=lambda: ["id_card_reader"])
    backend_grace_min: Annotated[float, Field(
        ge=1, le=1440,
        description="backend in required: minutes the backend may be unreachable before the "
                    "terminal goes out of service.")] = 10

    def __post_init__(self) -> None:
        if self.id_card_reader == IdCardReaderKind.SAM and not self.id_card_port.strip():
            raise ValueError("id_card_reader 'sam' needs id_card_port")
        if self.face_look_s >= self.face_timeout_s:
            raise ValueError("face_look_s must be shorter than face_timeout_s")


def _parts(v: list[str]) -> list[str]:
    known = ("receipt_printer", "document_printer", "id_card_reader", "backend")
    bad = [x for x in v if x not in known]
    if bad:
        raise ValueError(f"unknown part {bad[0]!r}; known: {', '.join(known)}")
    return v


def _verifier(v: str) -> str:
    v = v.strip()
    if not _FACE_VERIFIER.match(v):
        raise ValueError("must be 'none', 'simulated' or 'package.module:callable'")
    return v


def _baud(v: int) -> int:
    if v not in SAM_BAUD_RATES:
        raise ValueError(f"must be one of {', '.join(map(str, SAM_BAUD_RATES))} (got {v})")
    return v


# -- hall staff (issue 10: staff accounts, attended mode, staff tools) ------------------------


@dataclass(frozen=True)
class StaffSection(_Section):
    lockout_minutes: Annotated[int, Field(
        ge=1, le=1440, description="Minutes a staff number stays locked after five wrong PINs "
        "in a row (kept across restarts).")] = 15
    idle_logout_s: Annotated[int, Field(
        ge=15, le=3600, description="Seconds without a touch before a staff member logged in "
        "without a citizen (staff tools) is logged out.")] = 120
    reprint_window_min: Annotated[int, Field(
        ge=1, le=1440, description="Minutes after printing during which staff may reprint a "
        "receipt (queue ticket, guide slip) from the print journal.")] = 30


# -- voice guidance (issue 12, docs/decisions/0031) --------------------------------------------

_VOICE_ENGINE = re.compile(r"^(none|espeak-ng|[A-Za-z_][\w.]*:[A-Za-z_]\w*)$")


@dataclass(frozen=True)
class VoiceSection(_Section):
    enabled: Annotated[bool, Field(
        description="语音 (spoken prompts) on when a citizen session starts. Elder mode always "
                    "starts with it on; the citizen can switch it on the home screen.")] = False
    engine: Annotated[str, Field(
        max_length=200,
        description="Speech engine: 'espeak-ng' (offline; Chinese as tone-numbered pinyin "
                    "through its cmn-latn-pinyin voice), 'none' (never speaks), or a better "
                    "engine's factory 'package.module:callable', called with the terminal's "
                    "config and returning a kiosk.voice.engine.SpeechEngine."), AfterValidator(_engine)] = "espeak-ng"
    volume: Annotated[int, Field(
        ge=1, le=4,
        description="Volume step every session starts at: 1 (softest) to 4 (loudest, 18 dB "
                    "above the softest, 6 dB per step).")] = 3
    rate: Annotated[int, Field(
        ge=80, le=300, description="Speaking rate in words per minute (espeak-ng's -s).")] = 150


def _engine(v: str) -> str:
    v = v.strip()
    if not _VOICE_ENGINE.match(v):
        raise ValueError("must be 'none', 'espeak-ng' or 'package.module:callable'")
    return v


# -- the keypad path (issue 12 part 3, docs/decisions/0033) ----------------------------------------


@dataclass(frozen=True)
class KeypadSection(_Section):
    enabled: Annotated[bool, Field(
        description="Take a 12-key keypad's keys (digits, Enter, Clear, Cancel, arrows): arrows "
                    "move a visible, spoken focus frame, Enter presses, digits type into the "
                    "number pad, Cancel goes back. Touch keeps working as before.")] = True
    keys: Annotated[dict[str, list[str]], Field(
        description="Key codes per keypad key, for a vendor keypad that sends other codes: "
                    "keys 0-9, enter, clear, cancel, up, down, left, right, repeat; codes named "
                    "as Qt names them without 'Key_' ('5', 'Return', 'F13'). Keys not named "
                    "keep the defaults (the PC keyboard's digits, Return/Enter, "
                    "Backspace/Delete = clear, Escape = cancel, the arrows; repeat none)."), AfterValidator(_keys)] = field(default_factory=dict)
    double_clear_s: Annotated[float, Field(
        ge=0.2, le=5.0, description="Seconds within which a second Clear clears the whole "
                                    "number (a held Clear does too).")] = 1.0


def _keys(v: dict[str, list[str]]) -> dict[str, list[str]]:
    from kiosk.keypad import validate_keys

    validate_keys(v)
    return v


# -- operation guides (操作指引, issue 12 part 5, docs/decisions/0034) --------------------------

_ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_VIDEO_SUFFIXES = (".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".ogv")


@dataclass(frozen=True)
class GuidesSection(_Section):
    enabled: Annotated[bool, Field(
        description="Offer 操作指引 (How to do this): an item's steps as illustrated, spoken "
                    "slides, from the button where the item starts.")] = True
    slide_s: Annotated[int, Field(
        ge=3, le=60, description="Seconds each slide shows at least before the next one when "
                                 "the guide plays by itself (longer when its caption takes "
                                 "longer to say; the citizen can pause it).")] = 8
    attract: Annotated[bool, Field(
        description="The attract screen shows one item's guide, a slide at a time, between its "
                    "popular services.")] = True
    videos: Annotated[dict[str, str], Field(
        description="A video of an item's steps, by item id (e.g. \"ss.certificate\" = "
                    "\"/opt/kiosk/videos/ss-certificate.mp4\"; a relative path is taken from "
                    "the config file's folder). Played through QtMultimedia instead of the "
                    "slides; a missing or unplayable file shows the slides (logged once, shown in "
                    "the technician's diagnostics). Qt's bundled FFmpeg decodes MPEG-4 Part 2, "
                    "MPEG-1/2 and Motion JPEG, not H.264 (see the README)."), AfterValidator(_videos)] = field(default_factory=dict)


def _videos(v: dict[str, str]) -> dict[str, str]:
    # (the item ids are checked against the registry when the guides are built: this
    # module imports only pydantic and the standard library, docs/decisions/0028)
    for item_id, file in v.items():
        if not _ITEM_ID.match(item_id):
            raise ValueError(f"{item_id!r} is not an item id (like 'ss.certificate')")
        if not str(file).strip():
            raise ValueError(f"{item_id!r}: empty file name")
        if not str(file).lower().endswith(_VIDEO_SUFFIXES):
            raise ValueError(f"{item_id!r}: {file!r} is not a video file "
                             f"({', '.join(_VIDEO_SUFFIXES)})")
    return {k: str(f).strip() for k, f in v.items()}


@dataclass(frozen=True)
class PathsSection(_Section):
    data_dir: Annotated[
        str,
        Field(description="Folder for the local database and logs; empty means the user's data dir."),
    ] = ""
    catalog_file: Annotated[
        str,
        Field(description="Catalog data file to import; empty means the one shipped with the kiosk."),
    ] = ""


@dataclass(frozen=True)
class TerminalConfig(_Section):
    terminal: TerminalSection = field(default_factory=TerminalSection)
    display: DisplaySection = field(default_factory=DisplaySection)
    session: SessionSection = field(default_factory=SessionSection)
    maintenance: MaintenanceSection = field(default_factory=MaintenanceSection)
    attract: AttractSection = field(default_factory=AttractSection)
    language: LanguageSection = field(default_factory=LanguageSection)
    services: ServicesSection = field(default_factory=ServicesSection)
    printing: PrintingSection = field(default_factory=PrintingSection)
    sync: SyncSection = field(default_factory=SyncSection)
    devices: DevicesSection = field(default_factory=DevicesSection)
    staff: StaffSection = field(default_factory=StaffSection)
    voice: VoiceSection = field(default_factory=VoiceSection)
    keypad: KeypadSection = field(default_factory=KeypadSection)
    guides: GuidesSection = field(default_factory=GuidesSection)
    paths: PathsSection = field(default_factory=PathsSection)
    source: Annotated[str, Field(exclude=True, description="File this config came from.")] = ""


def _describe(err: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in err["loc"])
    typ = err["type"]
    given = err.get("input")
    if typ in ("extra_forbidden", "unexpected_keyword_argument"):
        return f"key '{key}': unknown key"
    if typ == "missing":
        return f"key '{key}': required"
    ctx = err.get("ctx") or {}
    if typ in ("greater_than_equal", "greater_than"):
        return f"key '{key}': must be >= {ctx.get('ge', ctx.get('gt'))} (got {given!r})"
    if typ in ("less_than_equal", "less_than"):
        return f"key '{key}': must be <= {ctx.get('le', ctx.get('lt'))} (got {given!r})"
    if typ.endswith("_type") or typ.endswith("_parsing"):
        expected = typ.split("_")[0]
        return f"key '{key}': wrong type, expected {expected} (got {type(given).__name__} {given!r})"
    if typ == "enum":
        return f"key '{key}': must be one of {ctx.get('expected')} (got {given!r})"
    if typ == "string_pattern_mismatch":
        return f"key '{key}': {given!r} does not match {ctx.get('pattern')}"
    if typ in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return f"key '{key}': {err['msg'].lower()}"
    msg = err["msg"].removeprefix("Value error, ")
    return f"key '{key or '(top level)'}': {msg}"


def _adapter():
    """pydantic's validator for the schema above, made on first use. The annotations name
    pydantic's `Field` and `AfterValidator`; they are bound here, so importing this module does
    not import pydantic (~130 ms of a terminal's start, docs/decisions/0038)."""
    global _ADAPTER
    if _ADAPTER is None:
        import pydantic

        globals().update(Field=pydantic.Field, AfterValidator=pydantic.AfterValidator)
        _ADAPTER = pydantic.TypeAdapter(TerminalConfig)
    return _ADAPTER


_ADAPTER = None


def _validate(data: dict[str, Any], source: str) -> TerminalConfig:
    import pydantic

    try:
        return _adapter().validate_python({**data, "source": source})
    except pydantic.ValidationError as exc:
        problems = [f"{source}: {_describe(e)}" for e in exc.errors()]
        raise ConfigError(source, problems) from None


def parse_config(data: dict[str, Any], source: str = "<config>", *,
                 cached: bool = False) -> TerminalConfig:
    """`data` (a parsed TOML file) validated, or ConfigError. `cached`: the terminal's start
    (kiosk run): the result of validating these very settings with this very schema is kept
    in the cache folder and read back without pydantic while neither changes (kiosk.config_cache).
    """
    if not cached:
        return _validate(data, source)
    from kiosk import config_cache

    key = config_cache.key(data, source)
    config = config_cache.read(source, key)
    if config is None:
        config = _validate(data, source)
        config_cache.write(source, key, config)
    return config


def load_config(path: Path | str, *, cached: bool = False) -> TerminalConfig:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, [f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [f"{path}: not UTF-8 text (byte {exc.start})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"{path}: not valid TOML: {exc}"]) from None
    if "source" in data:
        raise ConfigError(path, [f"{path}: key 'source': unknown key"])
    return parse_config(data, str(path), cached=cached)


def default_config() -> TerminalConfig:
    return TerminalConfig()


def as_dict(config: Any) -> dict[str, Any]:
    """A config (or a section) as plain data: sections as dicts, choices as their strings; the
    `source` left out. What the technician's panel shows and the config cache keeps."""
    out = {}
    for f in fields(config):
        if f.name == "source":
            continue
        value = getattr(config, f.name)
        if isinstance(value, _Section):
            value = as_dict(value)
        elif isinstance(value, Enum):
            value = value.value
        elif isinstance(value, list):
            value = list(value)
        elif isinstance(value, dict):
            value = {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
        out[f.name] = value
    return out


def from_dict(cls: type, data: dict[str, Any], source: str = "") -> Any:
    """The inverse of `as_dict` for data `as_dict` made from a validated config: no validation
    beyond the sections' own cross-checks (`__post_init__`); unknown or missing keys raise."""
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name == "source":
            kwargs["source"] = source
            continue
        value = data[f.name]
        factory = f.default_factory
        if isinstance(factory, type) and issubclass(factory, _Section):
            value = from_dict(factory, value)
        elif isinstance(f.default, Enum):
            value = type(f.default)(value)
        kwargs[f.name] = value
    if len(data) != len(kwargs) - ("source" in kwargs):
        raise KeyError(sorted(set(data) - set(kwargs)))
    return cls(**kwargs)


def _hints(cls: type) -> dict[str, Any]:
    import typing

    _adapter()  # binds the annotations' names
    return typing.get_type_hints(cls, include_extras=True)


def option_annotation(key: str) -> Any:
    """The type of a dotted option (e.g. ``session.idle_timeout_s``) as the schema declares it,
    `Annotated` with its constraints."""
    cls: Any = TerminalConfig
    parts = key.split(".")
    for part in parts[:-1]:
        cls = _hints(cls)[part]
        if not (isinstance(cls, type) and issubclass(cls, _Section)):
            raise KeyError(key)
    return _hints(cls)[parts[-1]]


def option_default(key: str) -> Any:
    """The default of a dotted option (e.g. ``session.idle_timeout_s``)."""
    node: Any = TerminalConfig()
    for part in key.split("."):
        node = getattr(node, part)
    return node


def _description(annotation: Any) -> str:
    for meta in getattr(annotation, "__metadata__", ()):
        description = getattr(meta, "description", None)
        if description:
            return description
    return ""


def documented_options() -> list[tuple[str, str, Any]]:
    """(dotted key, description, default) for every option, for docs and the example file."""
    out = []
    for f in fields(TerminalConfig):
        if f.name != "source":
            out.extend(_options(f.name, f.default_factory))
    return out


def _options(prefix: str, section_cls) -> list[tuple[str, str, Any]]:
    out = []
    hints = _hints(section_cls)
    for f in fields(section_cls):
        factory = f.default_factory
        if isinstance(factory, type) and issubclass(factory, _Section):
            out.extend(_options(f"{prefix}.{f.name}", factory))
        else:
            default = f.default if f.default_factory is MISSING else factory()
            out.append((f"{prefix}.{f.name}", _description(hints[f.name]), default))
    return out
