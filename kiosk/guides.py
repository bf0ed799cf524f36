"""操作指引: a step-by-step operation guide per item, derived from the item's own flow (no Qt).

The terminals in the source documents play a video of an item's steps. Here every item has an
illustrated slide sequence that is *derived from its flow definition* (kiosk/flows/items.py), so
a guide cannot drift from what the terminal actually asks: identify (the ID card on the reader,
the face check, the e-credential QR code on the phone), consent, choose, show, preview, print
(the A4 sheet, the slip, the queue ticket), rate. Query and done steps need nothing of the
citizen and get no slide. Where the generic words are not enough, the item's data overrides a
slide (`ItemSpec.guide`: step kind → (illustration, caption)) or adds one after its printout
(`ItemSpec.guide_extra`, e.g. "scan the slip's QR code at home").

A slide is an illustration (an SVG under assets/guides/, `illustration_path`) and a caption
(English source text in the translation context `CONTEXT`, translated by the screen). A
`[guides] videos` entry may name a video for an item; `GuideLibrary` hands it to the screen,
which plays it and falls back to the slides when it cannot (a missing or corrupt file, no
multimedia backend): `video_failed` logs that once per file and keeps it for the technician's
diagnostics (`video_check`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.flows.engine import Flow, Identify, Paper, Preview, Print, StepKind
from kiosk.identity import IdMethod
from kiosk.language import QT_TRANSLATE_NOOP
from kiosk.paths import ASSETS_DIR

log = logging.getLogger("kiosk.guides")

CONTEXT = "StepGuide"  # the translation context of the captions
ILLUSTRATIONS_DIR = ASSETS_DIR / "guides"



class Illustration(StrEnum):
    """One drawing per kind of thing the citizen does (assets/guides/<value>.svg)."""

    ID_CARD = "id-card"  # put the ID card on the reader
    FACE = "face"  # look at the camera
    PHONE_CODE = "phone-code"  # show the e-credential on the phone QR code to the scanner
    TOUCH = "touch"  # choose on the screen
    CONFIRM = "confirm"  # read, then confirm with the button
    TAKE_RECEIPT = "take-receipt"  # take the slip from the slip outlet
    TAKE_A4 = "take-a4"  # take the A4 sheets from the printer outlet
    TAKE_TICKET = "take-ticket"  # take the queue ticket
    SCAN_QR = "scan-qr"  # scan the printed QR code with a phone
    RATE = "rate"  # 好差评


# The generic captions, by what the slide shows.
CAPTIONS: Mapping[str, str] = {
    "id_card": QT_TRANSLATE_NOOP(
        "StepGuide", "Place your ID card flat on the card reader and leave it there until it is "
        "read."),
    "face": QT_TRANSLATE_NOOP(
        "StepGuide", "Look straight at the camera above the screen until the face check is done."),
    "phone_code": QT_TRANSLATE_NOOP(
        "StepGuide", "Or open the e-credential QR code in your government services app and hold "
        "it under the scanner."),
    "keypad": QT_TRANSLATE_NOOP(
        "StepGuide", "Or type your ID number on the number pad on the screen."),
    "consent": QT_TRANSLATE_NOOP(
        "StepGuide", "Read what the terminal will look up and print, then tap “I agree, "
        "continue”."),
    "choose": QT_TRANSLATE_NOOP("StepGuide", "Tap your choice on the screen."),
    "show": QT_TRANSLATE_NOOP(
        "StepGuide", "Your records appear on the screen. Tap a year or the next page to see more."),
    "preview": QT_TRANSLATE_NOOP(
        "StepGuide", "Check the preview of what will be printed, then tap “Print”."),
    "preview_optional": QT_TRANSLATE_NOOP(
        "StepGuide", "Check the preview, then tap “Print”, or “Do not print” if you only wanted "
        "to look."),
    "print_a4": QT_TRANSLATE_NOOP(
        "StepGuide", "Wait a moment, then take your papers from the A4 printer outlet."),
    "print_receipt": QT_TRANSLATE_NOOP(
        "StepGuide", "Take your slip from the slip outlet under the screen."),
    "rate": QT_TRANSLATE_NOOP(
        "StepGuide", "Rate the service (好差评), then tap “Finish and leave” so that the screen is "
        "cleared."),
}


@dataclass(frozen=True)
class Slide:
    illustration: Illustration
    caption: str  # English source text (context CONTEXT); the screen translates it
    step: StepKind | None = None  # the flow step it explains (None: an added slide)


@dataclass(frozen=True)
class StepGuide:
    item_id: str  # the flow id (kiosk.flows.items)
    title: str  # the title of the item (English source, context kiosk.flows.items.WORDS)
    slides: tuple[Slide, ...]
    video: Path | None = None  # a configured video; the slides are its fallback


def dwell_s(caption: str, slide_s: float, rate_wpm: int = 150) -> float:
    """How long a slide stays while the guide plays by itself: `slide_s`, or longer when its
    caption takes longer to say (and to read) — espeak-ng says `rate_wpm` words a minute, a
    Chinese syllable counting as a word — with a second to look at the drawing after."""
    han = sum(1 for ch in caption if "\u4e00" <= ch <= "\u9fff")
    words = han + len([w for w in caption.split() if any(c.isalpha() and c.isascii() for c in w)])
    return max(float(slide_s), words * 60.0 / max(1, rate_wpm) + 1.0)


def illustration_path(illustration: Illustration | str) -> Path:
    return ILLUSTRATIONS_DIR / f"{Illustration(illustration).value}.svg"


def _override(spec: Any, kind: StepKind) -> Slide | None:
    entry = (getattr(spec, "guide", None) or {}).get(kind.value)
    if entry is None:
        return None
    illustration, caption = entry
    return Slide(Illustration(illustration), caption, kind)


def derive_slides(flow: Flow, spec: Any = None, *, card_verifies: bool = True) -> tuple[Slide, ...]:
    """The slides of `flow`, one or more per step the citizen acts on, with the item's own
    overrides (`spec.guide`, `spec.guide_extra`). `card_verifies`: this terminal can verify an
    ID card's holder (camera + face verifier); without it a verified item is opened with the
    e-credential QR code only, and the guide says so."""
    slides: list[Slide] = []
    for step in flow.steps:
        kind = step.kind
        if kind in (StepKind.QUERY, StepKind.DONE):
            continue
        own = _override(spec, kind)
        if own is not None:
            slides.append(own)
        elif isinstance(step, Identify):
            verified = flow.verified
            methods = step.methods
            card = IdMethod.ID_CARD in methods and (card_verifies or not verified)
            if card:
                slides.append(Slide(Illustration.ID_CARD, CAPTIONS["id_card"], kind))
                if verified:
                    slides.append(Slide(Illustration.FACE, CAPTIONS["face"], kind))
            if IdMethod.QR in methods:
                caption = CAPTIONS["phone_code"]
                if not card:  # the only way: not "or ..."
                    caption = QT_TRANSLATE_NOOP(
                        "StepGuide", "Open the e-credential QR code in your government services "
                        "app and hold it under the scanner.")
                slides.append(Slide(Illustration.PHONE_CODE, caption, kind))
            if IdMethod.MANUAL in methods and not verified:
                slides.append(Slide(Illustration.TOUCH, CAPTIONS["keypad"], kind))
        elif kind is StepKind.CONSENT:
            slides.append(Slide(Illustration.CONFIRM, CAPTIONS["consent"], kind))
        elif kind is StepKind.CHOOSE:
            slides.append(Slide(Illustration.TOUCH, CAPTIONS["choose"], kind))
        elif kind is StepKind.SHOW:
            slides.append(Slide(Illustration.TOUCH, CAPTIONS["show"], kind))
        elif isinstance(step, Preview):
            slides.append(Slide(Illustration.CONFIRM, CAPTIONS[
                "preview_optional" if step.optional else "preview"], kind))
        elif isinstance(step, Print):
            if step.to is Paper.A4:
                slides.append(Slide(Illustration.TAKE_A4, CAPTIONS["print_a4"], kind))
            else:
                slides.append(Slide(Illustration.TAKE_RECEIPT, CAPTIONS["print_receipt"], kind))
        elif kind is StepKind.RATE:
            slides.append(Slide(Illustration.RATE, CAPTIONS["rate"], kind))
        if kind is StepKind.PRINT:
            for illustration, caption in getattr(spec, "guide_extra", None) or ():
                slides.append(Slide(Illustration(illustration), caption, None))
    return tuple(slides)


class GuideLibrary:
    """Every item's guide on this terminal (built once, on first use), its configured video,
    and what became of the videos (for the technician)."""

    def __init__(self, items: Any, flows: Mapping[str, Flow], *,
                 videos: Mapping[str, str] | None = None, base_dir: Path | None = None,
                 card_verifies: bool = True):
        self._items = items
        self._flows = flows
        self._card_verifies = card_verifies
        base = base_dir or Path.cwd()
        self.videos: dict[str, Path] = {}
        for item_id, file in (videos or {}).items():
            path = Path(file).expanduser()
            self.videos[item_id] = path if path.is_absolute() else base / path
        self._guides: dict[str, StepGuide] = {}
        self.failed: dict[Path, str] = {}  # a video that did not play → why (logged once)

    @classmethod
    def from_config(cls, config: Any, items: Any, flows: Mapping[str, Flow], *,
                    card_verifies: bool = True) -> "GuideLibrary":
        source = str(getattr(config, "source", "") or "")
        base = Path(source).resolve().parent if source and not source.startswith("<") else None
        return cls(items, flows, videos=dict(config.guides.videos), base_dir=base,
                   card_verifies=card_verifies)

    def item_ids(self) -> list[str]:
        return [item_id for item_id in self._flows]

    def guide(self, item_id: str) -> StepGuide | None:
        guide = self._guides.get(item_id)
        if guide is None:
            flow = self._flows.get(item_id)
            if flow is None:
                return None
            spec = self._items.get(item_id) if self._items is not None else None
            title = spec.title if spec is not None else flow.title
            slides = derive_slides(flow, spec, card_verifies=self._card_verifies)
            guide = StepGuide(item_id, title, slides, self.videos.get(item_id))
            self._guides[item_id] = guide
        return guide

    def playable_video(self, item_id: str) -> Path | None:
        """The item's video if one is configured, is a readable file, and has not failed."""
        path = self.videos.get(item_id)
        if path is None or path in self.failed:
            return None
        try:
            if not path.is_file() or path.stat().st_size == 0:
                self.video_failed(path, "missing")
                return None
        except OSError:
            self.video_failed(path, "unreadable")
            return None
        return path

    def video_failed(self, path: Path, reason: str) -> None:
        """A video that cannot play: the slides are shown instead; logged once per file."""
        if path in self.failed:
            return
        self.failed[path] = reason
        log.warning("guide video %s cannot be played (%s): showing the slides instead",
                    path.name, reason)

    def video_played(self, path: Path) -> None:
        self.failed.pop(path, None)

    def problems(self) -> dict[str, str]:
        """{item id: reason} for the configured videos known not to play."""
        out = {}
        for item_id, path in self.videos.items():
            if item_id not in self._flows:
                out[item_id] = "unknown item"
            elif path in self.failed:
                out[item_id] = self.failed[path]
            elif not path.is_file():
                out[item_id] = "missing"
        return out


def all_guides(library: GuideLibrary, item_ids: Iterable[str] | None = None) -> list[StepGuide]:
    return [g for g in (library.guide(i) for i in (item_ids or library.item_ids())) if g]
