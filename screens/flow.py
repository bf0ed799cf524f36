"""A citizen doing an item: one screen, one page per step kind of the run (kiosk.flows).

The screen only renders: on every change the flow driver (`core.flow`, kiosk.flows.driver)
reports, it shows the run's step (`step`, `status`, `view()`, `error`, `allowed`) and the
driver's preview, and it sends intents to the driver. The driver runs the background work,
forwards print jobs and renders the preview; the item's words and records view come from the
item registry (kiosk.flows.items).
"""

from __future__ import annotations

import logging

from kiosk.flows.driver import PreviewState
from kiosk.flows.engine import (
    ConsentView,
    FlowError,
    FlowRun,
    Intent,
    Paper,
    Status,
    StepKind,
)
from kiosk.flows.items import FETCH_WORDS, WORDS
from screens.base import BaseScreen
from screens.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    translate,
)
from screens.widgets.chrome import button, label, mark_personal, touch_scroll_area
from screens.widgets.qr import QrView

log = logging.getLogger("kiosk.ui")


# ================================================================================== words


def _words(text: str) -> str:
    return translate(WORDS, text)


def flow_name(items, flow_id: str) -> str:
    spec = items.get(flow_id)
    return _words(spec.title) if spec is not None else flow_id


def fetch_name(code: str) -> str:
    call = code.removeprefix("fetch.")
    return _words(FETCH_WORDS[call]) if call in FETCH_WORDS else code


def document_name(items, code: str, item_id: str = "") -> str:
    return _words(items.document_words(code, item_id))


def view_class(items, flow_id: str):
    """The records widget the registry names for an item (``module:Class``)."""
    import importlib

    spec = items.get(flow_id)
    module, _, name = (spec.view if spec is not None else "").partition(":")
    return getattr(importlib.import_module(module), name)


def step_name(kind: StepKind) -> str:
    return {
        StepKind.IDENTIFY: translate("FlowScreen", "Identify yourself"),
        StepKind.CONSENT: translate("FlowScreen", "Agree"),
        StepKind.CHOOSE: translate("FlowScreen", "Choose"),
        StepKind.QUERY: translate("FlowScreen", "Look up"),
        StepKind.SHOW: translate("FlowScreen", "Your records"),
        StepKind.PREVIEW: translate("FlowScreen", "Check before printing"),
        StepKind.PRINT: translate("FlowScreen", "Print"),
        StepKind.RATE: translate("FlowScreen", "Rate the service"),
        StepKind.DONE: translate("FlowScreen", "Done"),
    }[kind]


def _printer_reason(reason: str) -> str:
    return {
        "paper_out": translate("FlowScreen", "The printer has run out of paper."),
        "paper_low": translate("FlowScreen", "The printer is almost out of paper."),
        "cover_open": translate("FlowScreen", "The printer's cover is open."),
        "offline": translate("FlowScreen", "The printer is not responding."),
        "not_configured": translate("FlowScreen", "This terminal has no printer for this document."),
        "paper_jam": translate("FlowScreen", "The paper is jammed in the printer."),
    }.get(reason, translate("FlowScreen", "The printer is not working right now."))


def error_text(error: FlowError) -> tuple[str, str]:
    """(headline, what to do) for a failure, in plain words."""
    code, reason = error.code, error.reason
    if code == "backend.unreachable":
        if reason == "not_configured" or reason == "not_enrolled":
            return (translate("FlowScreen", "This service is not available on this terminal now"),
                    translate("FlowScreen", "You can do it online with your phone, or at the "
                              "staffed window."))
        return (translate("FlowScreen", "The service system cannot be reached right now"),
                translate("FlowScreen", "Nothing you have done is lost. Try again in a moment, "
                          "do it online with your phone, or go to the staffed window."))
    if code == "backend.rejected":
        return (translate("FlowScreen", "The service system could not handle this request"),
                translate("FlowScreen", "Please go to the staffed window; staff will help you."))
    if code == "identity.refused":
        return (translate("FlowScreen", "The service system could not confirm who you are"),
                translate("FlowScreen", "Please go back and identify yourself again with your "
                          "ID card or the e-credential QR code, or go to the staffed window."))
    if code == "backend.lookup_limit":
        return (translate("FlowScreen", "This terminal cannot look up more records right now"),
                translate("FlowScreen", "Please do it at the staffed window, or online with your "
                          "phone. Sorry for the trouble."))
    if code == "records.citizen_not_found":
        return (translate("FlowScreen", "No records were found for this ID number"),
                translate("FlowScreen", "Check the number, or ask at the staffed window."))
    if code == "records.no_account":
        return (translate("FlowScreen", "You have no account for this service"),
                translate("FlowScreen", "If you think this is wrong, ask at the staffed window."))
    if code == "records.not_applicable":
        return (translate("FlowScreen", "This certificate cannot be issued for you"),
                translate("FlowScreen", "Real estate is registered in your name, so a certificate "
                          "of no property cannot be issued. You can print your registration "
                          "records instead."))
    if code == "print.unavailable":
        return (_printer_reason(reason),
                translate("FlowScreen", "Printing is paused on this terminal. You can do it "
                          "online with your phone, or at the staffed window."))
    if code == "print.failed":
        return (_printer_reason(reason),
                translate("FlowScreen", "Your document did not print. Try again, or go to the "
                          "staffed window; nothing you have done is lost."))
    if code == "guide.not_found":
        return (translate("FlowScreen", "This service guide is no longer available"),
                translate("FlowScreen", "Please ask at the staffed window."))
    return (translate("FlowScreen", "Something went wrong on this terminal"),
            translate("FlowScreen", "Please go to the staffed window; staff will help you."))


# ================================================================================== pages


def _card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    box = QVBoxLayout(frame)
    box.setContentsMargins(32, 28, 32, 28)
    box.setSpacing(16)
    box.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    return frame, box


def _message_page(name: str) -> tuple[QWidget, QVBoxLayout, object, object]:
    """A page of one large centred message and a hint under it (waiting, printing)."""
    w = QWidget()
    col = QVBoxLayout(w)
    col.addStretch(1)
    text = label(role="hero", wrap=True)
    text.setObjectName(name)
    hint = label(role="subtitle", wrap=True)
    for x in (text, hint):
        x.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(x)
    col.addStretch(1)
    return w, col, text, hint


class FlowScreen(BaseScreen):
    """Header (the item, the step, who is identified), one page per step kind, action buttons."""

    PAGES = ("identify", "consent", "choose", "busy", "show", "preview", "printing", "error",
             "rate", "done")

    lazy = True  # its pages are made when the first citizen starts an item, not at start-up

    def __init__(self, core, parent=None, *, id_reader=None):
        super().__init__(core, parent)
        self.driver = core.flow
        self._id_reader = id_reader
        self._records_view = None
        self._preview_view = None
        self._done_view = None
        self._error_view = None
        self._view_cache: dict = {}
        self._identify_shape = None
        self._spoken_page: str | None = None  # the page whose prompt was said (voice)
        self.driver.subscribe(lambda _change: self.render())

    def build(self) -> None:
        core, id_reader = self.core, self._id_reader
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 20, 40, 16)
        outer.setSpacing(14)
        self.title = label(role="title", wrap=True)
        self.title.setObjectName("flow_title")
        self.progress = label(role="subtitle", wrap=True)
        self.progress.setObjectName("flow_progress")
        self.who = label(role="subtitle")
        self.who.setObjectName("flow_who")
        mark_personal(self.who)  # the (masked) ID number, on every page from consent on
        head = QHBoxLayout()
        head.addWidget(self.progress, 1)
        head.addWidget(self.who, 0, Qt.AlignmentFlag.AlignRight)
        # 操作指引: where the item starts (before identifying), its steps as slides
        self.howto = button(role="nav", name="flow_howto")
        self.howto.clicked.connect(self._open_howto)
        self.howto.hide()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.howto, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)
        outer.addLayout(head)

        self.pages = QStackedWidget()
        self.page: dict[str, QWidget] = {}
        outer.addWidget(self.pages, 1)

        # identify
        from screens.widgets.identify import IdentifyPanel

        self.identify_panel = IdentifyPanel(id_reader, watch=core.card_watch,
                                            face_watch=core.face_watch)
        # the number pad's echo: how many characters are left or what is wrong, never a digit
        self.identify_panel.pad.said.connect(
            lambda text, kind: self.speak(text, kind, personal=True))
        self.identify_panel.identified.connect(self._identified)
        self.identify_panel.staff_requested.connect(self._call_staff)
        self.identify_panel.credential_scanned.connect(self.driver.exchange_credential)
        self._add("identify", self.identify_panel)
        # the QR scanner types like a keyboard: listened to only while identifying
        self.wedge = None
        if core.config.devices.qr_scanner:
            from screens.widgets.wedge import WedgeFilter

            self.wedge = WedgeFilter(parent=self)
            self.wedge.scanned.connect(self.identify_panel.scan)

        # consent
        w = QWidget()
        col = QVBoxLayout(w)
        col.setContentsMargins(0, 0, 0, 0)
        card, box = _card()
        self.consent_intro = label(role="section", wrap=True)
        self.consent_fetches = label(wrap=True)
        self.consent_prints_intro = label(role="section", wrap=True)
        self.consent_prints = label(wrap=True)
        self.consent_note = label(role="small", wrap=True)
        for x in (self.consent_intro, self.consent_fetches, self.consent_prints_intro,
                  self.consent_prints, self.consent_note):
            box.addWidget(x)
        col.addWidget(card)
        col.addStretch(1)
        self.consent_agree = button(role="primary", name="flow_agree")
        self.consent_agree.clicked.connect(lambda: self._do(Intent.NEXT))
        self.consent_decline = button(role="nav", name="flow_decline")
        self.consent_decline.clicked.connect(self._back)
        col.addWidget(self.consent_agree)
        col.addWidget(self.consent_decline)
        self._add("consent", w)

        # choose
        w = QWidget()
        col = QVBoxLayout(w)
        col.setContentsMargins(0, 0, 0, 0)
        self.choose_prompt = label(role="section", wrap=True)
        col.addWidget(self.choose_prompt)
        # the choices scroll: five business types in elder mode's one column are taller than
        # a portrait page (they were squeezed until they touched, 0 mm apart)
        holder = QWidget()
        self.choose_grid = QGridLayout(holder)
        self.choose_grid.setContentsMargins(0, 0, 0, 0)
        self.choose_grid.setSpacing(16)
        self.choose_grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.choose_scroll = touch_scroll_area(holder)
        col.addWidget(self.choose_scroll, 1)
        self.choose_buttons: list = []
        self._add("choose", w)

        # busy (a query, or handing a job to the printer)
        w, col, self.busy_text, self.busy_hint = _message_page("flow_busy")
        self.busy_back = button(role="nav", name="flow_busy_back")
        self.busy_back.clicked.connect(self._back)
        col.addWidget(self.busy_back)
        self._add("busy", w)

        # show (records with filters and paging)
        w = QWidget()
        self.show_col = QVBoxLayout(w)
        self.show_col.setContentsMargins(0, 0, 0, 0)
        self.show_host = QVBoxLayout()
        self.show_col.addLayout(self.show_host, 1)
        self.show_next = button(role="primary", name="flow_show_next")
        self.show_next.clicked.connect(lambda: self._do(Intent.NEXT))
        self.show_col.addWidget(self.show_next)
        self._add("show", w)

        # preview
        w = QWidget()
        col = QVBoxLayout(w)
        col.setContentsMargins(0, 0, 0, 0)
        self.preview_caption = label(role="section", wrap=True)
        col.addWidget(self.preview_caption)
        from screens.widgets.page_preview import PagePreview

        self.page_preview = PagePreview()
        self.page_preview.setObjectName("flow_page_preview")
        mark_personal(self.page_preview)  # the document, with the name and ID number
        inner = QWidget()
        inner_col = QVBoxLayout(inner)
        inner_col.setContentsMargins(0, 0, 0, 0)
        inner_col.addWidget(self.page_preview, 0, Qt.AlignmentFlag.AlignHCenter)
        self.preview_host = QVBoxLayout()
        inner_col.addLayout(self.preview_host)
        inner_col.addStretch(1)
        self.preview_scroll = touch_scroll_area(inner)
        col.addWidget(self.preview_scroll, 1)
        row = QHBoxLayout()
        self.preview_skip = button(role="nav", name="flow_preview_skip")
        self.preview_skip.clicked.connect(lambda: self._do(Intent.SKIP))
        self.preview_print = button(role="primary", name="flow_preview_print")
        self.preview_print.clicked.connect(lambda: self._do(Intent.NEXT))
        row.addWidget(self.preview_skip, 1)
        row.addWidget(self.preview_print, 2)
        col.addLayout(row)
        self._add("preview", w)

        # printing
        w, _col, self.printing_text, self.printing_hint = _message_page("flow_printing")
        self._add("printing", w)

        # error: plain words, what the citizen already has, the QR code and the window
        w = QWidget()
        col = QVBoxLayout(w)
        col.setContentsMargins(0, 0, 0, 0)
        card, box = _card()
        self.error_title = label(role="title", wrap=True)
        self.error_title.setObjectName("flow_error_title")
        self.error_detail = label(role="subtitle", wrap=True)
        self.error_detail.setObjectName("flow_error_detail")
        box.addWidget(self.error_title)
        box.addWidget(self.error_detail)
        self.error_summary_host = QVBoxLayout()
        box.addLayout(self.error_summary_host)
        fb = QHBoxLayout()
        self.error_qr = QrView(300)
        self.error_qr.setObjectName("flow_error_qr")
        qr_col = QVBoxLayout()
        qr_col.addWidget(self.error_qr, 0, Qt.AlignmentFlag.AlignHCenter)
        self.error_qr_caption = label(role="small", wrap=True)
        self.error_qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_qr_caption.setMaximumWidth(320)
        qr_col.addWidget(self.error_qr_caption)
        fb.addLayout(qr_col)
        self.error_where = label(role="section", wrap=True)
        self.error_where.setObjectName("flow_error_where")
        fb.addWidget(self.error_where, 1)
        box.addLayout(fb)
        # the card scrolls and the buttons stay below it, two by two: elder mode's type in
        # landscape leaves less height than the card and four full-width buttons need
        holder = QWidget()
        hold = QVBoxLayout(holder)
        hold.setContentsMargins(0, 0, 0, 0)
        hold.addWidget(card)
        hold.addStretch(1)
        col.addWidget(touch_scroll_area(holder), 1)
        # one row of buttons whose words wrap when narrow (elder mode, portrait)
        self.error_retry = button(role="primary", name="flow_retry", wrap=True)
        self.error_retry.clicked.connect(lambda: self._do(Intent.RETRY))
        self.error_skip = button(role="nav", name="flow_error_skip", wrap=True)
        self.error_skip.clicked.connect(lambda: self._do(Intent.SKIP))
        self.error_back = button(role="nav", name="flow_error_back", wrap=True)
        self.error_back.clicked.connect(self._back)
        self.error_leave = button(role="nav", name="flow_error_leave", wrap=True)
        self.error_leave.clicked.connect(self._leave)
        row = QHBoxLayout()
        row.setSpacing(12)
        for b in (self.error_retry, self.error_skip, self.error_back, self.error_leave):
            row.addWidget(b, 1)
        col.addLayout(row)
        self._add("error", w)

        # rate
        from screens.widgets.rating import RatingPanel

        self.rating = RatingPanel()
        self.rating.rated.connect(self._rated)
        self.rating.skipped.connect(lambda: self._do(Intent.SKIP))
        w = QWidget()
        col = QVBoxLayout(w)
        col.setContentsMargins(0, 0, 0, 0)
        # what the citizen got stays in sight while rating (the queue number)
        self.rate_summary = label(role="section", wrap=True)
        self.rate_summary.setObjectName("flow_rate_summary")
        col.addWidget(self.rate_summary)
        col.addWidget(touch_scroll_area(self.rating), 1)
        self._add("rate", w)

        # done
        w = QWidget()
        col = QVBoxLayout(w)
        col.setContentsMargins(0, 0, 0, 0)
        self.done_text = label(role="hero", wrap=True)
        self.done_text.setObjectName("flow_done")
        self.done_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_hint = label(role="subtitle", wrap=True)
        self.done_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.done_text)
        col.addWidget(self.done_hint)
        self.done_host = QVBoxLayout()
        col.addLayout(self.done_host, 1)
        self.done_more = button(role="primary", name="flow_done_more")
        self.done_more.clicked.connect(self._done_more)
        self.done_exit = button(role="nav", name="flow_done_exit")
        self.done_exit.clicked.connect(self._done_exit)
        col.addWidget(self.done_more)
        col.addWidget(self.done_exit)
        self._add("done", w)
        self.retranslate()

    def _add(self, name: str, widget: QWidget) -> None:
        widget.setObjectName(f"flow_page_{name}")
        self.page[name] = widget
        self.pages.addWidget(widget)

    # ------------------------------------------------------------------ lifecycle
    @property
    def run(self) -> FlowRun | None:
        return self.driver.run

    def enter(self, route) -> None:
        self.ensure_built()
        self.render()

    def cleanup(self) -> None:
        """The screen is left (办不成事, or the end): drop everything shown; the run keeps its
        state, and coming back renders it again."""
        if not self.built:
            return
        self.identify_panel.stop()
        if self.wedge is not None:
            self.wedge.uninstall()
        self.page_preview.clear()
        for v in self._view_cache.values():
            v.clear()
        self.error_qr.set_data("")
        self.rating.reset()
        self.who.clear()
        self.rate_summary.clear()
        self._spoken_page = None  # coming back says the page's prompt again

    def announce(self) -> None:
        """Each page says its own prompt when it appears (`_show_page`)."""

    def _speak_page(self, name: str) -> None:
        """Voice guidance for the page just shown: its step, an error, a result."""
        def said(*labels) -> str:
            return "。".join(w.text().rstrip("。.") for w in labels if w.text() and not w.isHidden())

        if name == "error":
            self.speak(said(self.error_title, self.error_detail, self.error_where), "error")
        elif name == "done":
            self.speak(said(self.done_text, self.done_hint), "result")
        elif name == "rate" and self.rate_summary.text():
            self.speak(said(self.rate_summary), "result", personal=True)
        elif name == "printing":
            self.speak(said(self.printing_text, self.printing_hint))
        elif name == "preview":
            self.speak(said(self.progress, self.preview_caption))
        elif name == "show":
            view = self._records_view
            balance = getattr(view, "balance", None)
            caption = getattr(view, "balance_caption", None)
            if balance is not None and balance.text():
                # an amount of the citizen's account: said in words, never cached on disk
                self.speak(said(self.progress, caption, balance), "result", personal=True)
            else:
                self.speak(said(self.progress))
        else:
            self.speak(said(self.progress))

    # ------------------------------------------------------------------ intents
    def _do(self, intent: Intent) -> None:
        self.driver.do(intent)

    def _identified(self, identity) -> None:
        if not self.driver.identify(identity):  # refused (and wiped): offer the ways again
            self.render()

    def _rated(self, rating) -> None:
        self.driver.rate(int(rating.level), tuple(r.value for r in rating.reasons),
                         rating.comment)

    def _choose(self, values: dict) -> None:
        self.driver.choose(**values)

    def _pick(self, field: str, code: str) -> None:
        if self.driver.choose(**{field: code}):
            self.driver.do(Intent.NEXT)

    def _back(self) -> None:
        self.core.back()

    def _open_howto(self) -> None:
        run = self.run
        if run is not None:
            self.core.open_step_guide(run.flow.id)

    def _call_staff(self) -> None:
        """The face check cannot verify the citizen: a numbered report for the hall's staff
        (办不成事, routed to the help desk), with where to go; the run stays where it is."""
        from kiosk.flows.problem_report import ProblemCategory
        from kiosk.navigation import Screen

        run = self.run
        self.core.navigator.go(Screen.PROBLEM, item_id=run.catalog_item_id if run else "",
                               category=ProblemCategory.CANNOT_IDENTIFY.value)

    def _leave(self) -> None:
        """Give up on this item: the run ends (cancelled), the citizen goes back home."""
        self.core.leave_flow()

    def _done_more(self) -> None:
        self.driver.do(Intent.NEXT)
        self.core.leave_flow()

    def _done_exit(self) -> None:
        self.driver.do(Intent.NEXT)
        self.core.end_session()

    # ------------------------------------------------------------------ rendering
    def render(self) -> None:
        if not self.built:  # made on the first visit, which renders then
            return
        run = self.run
        if run is None or run.finished:
            self._show_page(None)
            for w in (self.title, self.progress, self.who):
                w.clear()
            return
        self.title.setText(flow_name(self.core.items, run.flow.id))
        steps = [s for s in run.flow.steps if s.kind not in (StepKind.QUERY, StepKind.PRINT)]
        kind = run.step.kind
        shown_kind = kind
        if kind is StepKind.QUERY:
            shown_kind = next((s.kind for s in run.flow.steps[run.index:]
                               if s.kind not in (StepKind.QUERY, StepKind.PRINT)), kind)
        elif kind is StepKind.PRINT:
            shown_kind = StepKind.PREVIEW if any(
                s.kind is StepKind.PREVIEW for s in run.flow.steps) else StepKind.RATE
        number = next((i for i, s in enumerate(steps, 1) if s.kind is shown_kind), 1)
        total = len(steps)
        self.progress.setText(translate("FlowScreen", "Step {n} of {total}: {step}").format(
            n=number, total=total, step=step_name(kind if kind in (StepKind.QUERY, StepKind.PRINT)
                                                  else shown_kind)))
        self.who.setText(translate("FlowScreen", "ID: {masked}").format(masked=run.masked_id)
                         if run.masked_id else "")
        st = run.status
        first = next((i for i, s in enumerate(run.flow.steps)
                      if s.kind not in (StepKind.QUERY, StepKind.PRINT)), 0)
        self.howto.setVisible(st is Status.READY and run.index == first and
                              self.core.step_guides is not None)
        if st is Status.BUSY:
            self._render_busy(run)
        elif st is Status.PRINTING:
            self._render_printing(run)
        elif st is Status.FAILED:
            self._render_error(run)
        elif st is Status.READY:
            getattr(self, f"_render_{kind.value}")(run)

    def _show_page(self, name: str | None) -> None:
        if name != "identify":
            self.identify_panel.stop()
        if self.wedge is not None:
            if name == "identify":
                self.wedge.install()
            else:
                self.wedge.uninstall()
        if name is None:
            self._spoken_page = None
            return
        self.pages.setCurrentWidget(self.page[name])
        if name != self._spoken_page:
            self._spoken_page = name
            self._speak_page(name)

    def _render_identify(self, run: FlowRun) -> None:
        view = run.view()
        self._show_page("identify")
        panel = self.identify_panel
        panel.staffed_window = self._where(run.fallback)
        shape = (tuple(view.methods), view.verified, view.attended)
        if not panel.active or shape != self._identify_shape:
            # (a staff member who begins to attend changes what is offered)
            self._identify_shape = shape
            panel.start(tuple(view.methods), verified=view.verified, attended=view.attended)
        exchange = self.driver.exchange
        panel.show_exchange(exchange.pending, exchange.code)

    def _render_consent(self, run: FlowRun) -> None:
        view: ConsentView = run.view()
        items = view.items
        self.consent_intro.setText(translate(
            "FlowScreen", "To do this, the terminal will look up, with your ID number:"))
        self.consent_fetches.setText("\n".join(f"• {fetch_name(f)}" for f in items.fetches))
        self.consent_prints_intro.setVisible(bool(items.prints))
        self.consent_prints.setVisible(bool(items.prints))
        self.consent_prints_intro.setText(
            translate("FlowScreen", "If you choose to print, it will print:")
            if items.print_optional else translate("FlowScreen", "It will then print:"))
        self.consent_prints.setText("\n".join(
            f"• {document_name(self.core.items, d, run.flow.id)}" for d in items.prints))
        self.consent_note.setText(translate(
            "FlowScreen", "Your data is used only for this and is not kept on this terminal. "
            "When you finish or leave, the screen is cleared."))
        self._show_page("consent")

    def _render_choose(self, run: FlowRun) -> None:
        view = run.view()
        self.choose_prompt.setText(translate("FlowScreen", "Choose the business you came for:"))
        cols = 1 if self.elder else 2
        shape = (tuple((o.code, o.label) for o in view.options), view.field, cols)
        if shape != getattr(self, "_choose_shape", None):  # the same buttons for every citizen
            self._choose_shape = shape
            for b in self.choose_buttons:
                self.choose_grid.removeWidget(b)
                b.deleteLater()
            self.choose_buttons = []
            for i, option in enumerate(view.options):
                b = button(option.label or option.code, role="tile",
                           name=f"choose_{option.code}", wrap=True)
                b.clicked.connect(lambda _=False, c=option.code, f=view.field: self._pick(f, c))
                self.choose_grid.addWidget(b, i // cols, i % cols)
                self.choose_buttons.append(b)
        self._show_page("choose")

    def _render_query(self, run: FlowRun) -> None:  # READY at a query never lasts: see busy
        self._render_busy(run)

    def _render_busy(self, run: FlowRun) -> None:
        if run.step.kind is StepKind.PRINT:
            self.busy_text.setText(translate("FlowScreen", "Preparing your document…"))
            self.busy_hint.setText(translate("FlowScreen", "This takes a few seconds."))
        else:
            self.busy_text.setText(translate("FlowScreen", "Looking up your records…"))
            self.busy_hint.setText(translate("FlowScreen", "This usually takes a few seconds. "
                                             "Please wait."))
        self.busy_back.setText(translate("FlowScreen", "Stop and go back"))
        self.busy_back.setVisible(run.can(Intent.BACK))
        self._show_page("busy")

    def _render_show(self, run: FlowRun) -> None:
        view = run.view()
        self._records_view = self._swap(self.show_host, self._records_view, view, self._choose)
        self._records_view.set_view(view)
        title = getattr(self._records_view, "title", None)
        if title is not None:  # the screen's header already names the item
            title.hide()
        optional = run.index + 1 < len(run.flow.steps) and \
            run.flow.steps[run.index + 1].kind is StepKind.PREVIEW
        self.show_next.setText(translate("FlowScreen", "Print or finish") if optional
                               else translate("FlowScreen", "Next"))
        self._show_page("show")

    def _render_preview(self, run: FlowRun) -> None:
        view = run.view()
        doc = run.preview_document()
        if view.document is None:
            self.preview_caption.setText(translate(
                "FlowScreen", "There is nothing to print for your selection."))
        elif view.paper is Paper.A4:
            self.preview_caption.setText(translate(
                "FlowScreen", "This is what will be printed: {document}. The verification code "
                "is added when it prints.").format(document=document_name(self.core.items, view.document, run.flow.id)))
        else:
            self.preview_caption.setText(translate(
                "FlowScreen", "This will be printed on a slip: {document}.").format(
                document=document_name(self.core.items, view.document, run.flow.id)))
        preview = self.driver.preview
        shown = getattr(self, "_preview_shown", None)
        if preview is not shown:
            self._preview_shown = preview
            self.page_preview.clear()
            if preview.state is PreviewState.READY:
                try:
                    self.page_preview.show_image(preview.image,
                                                 width=860 if not self.elder else 940)
                except Exception as exc:  # a preview must not stop the citizen from printing
                    log.warning("preview failed: %s", type(exc).__name__)
        self.page_preview.setVisible(doc is not None and preview.state in (
            PreviewState.READY, PreviewState.RENDERING))
        if doc is None and view.content is not None:
            self._preview_view = self._swap(self.preview_host, self._preview_view, view.content,
                                            None)
            self._preview_view.set_view(view.content)
            self._preview_view.show()
        elif self._preview_view is not None:
            self._preview_view.clear()
            self._preview_view.hide()
        self.preview_print.setText(translate("FlowScreen", "Print") if view.document
                                   else translate("FlowScreen", "Continue"))
        self.preview_skip.setText(translate("FlowScreen", "Do not print"))
        self.preview_skip.setVisible(run.can(Intent.SKIP))
        self.preview_scroll.verticalScrollBar().setValue(0)
        self._show_page("preview")

    def _render_printing(self, run: FlowRun) -> None:
        view = run.view()
        if view.paper is Paper.A4:
            self.printing_text.setText(translate("FlowScreen", "Printing your document…"))
            self.printing_hint.setText(translate(
                "FlowScreen", "Please wait by the A4 printer outlet and take your papers."))
        else:
            self.printing_text.setText(translate("FlowScreen", "Printing your slip…"))
            self.printing_hint.setText(translate("FlowScreen", "Please take it from the slip outlet."))
        self._show_page("printing")

    def _render_error(self, run: FlowRun) -> None:
        error = run.error
        head, detail = error_text(error)
        self.error_title.setText(head)
        self.error_detail.setText(detail)
        fb = error.fallback
        url = fb.online_url if fb else ""
        self.error_qr.set_data(url)
        self.error_qr.setVisible(bool(url))
        self.error_qr_caption.setVisible(bool(url))
        self.error_qr_caption.setText(translate("FlowScreen", "Scan to do it online"))
        self.error_where.setText(translate("FlowScreen", "Or go to: {place}").format(
            place=self._where(fb)))
        # what the citizen already got stays in view (a queue number), even after a failure
        self._error_view = self._summary(self.error_summary_host, self._error_view, run.summary)
        self.error_retry.setText(translate("FlowScreen", "Try again"))
        self.error_retry.setVisible(run.can(Intent.RETRY))
        self.error_skip.setText(translate("FlowScreen", "Continue without printing"))
        self.error_skip.setVisible(run.can(Intent.SKIP))
        self.error_back.setText(translate("FlowScreen", "Back"))
        self.error_back.setVisible(run.can(Intent.BACK))
        self.error_leave.setText(translate("FlowScreen", "Back to the start"))
        self._show_page("error")

    def _where(self, fb) -> str:
        """The item's staffed window (from its guide), else the terminal's."""
        return self.localized(" ".join(x for x in ((fb.place, fb.window) if fb else ()) if x) or
                              self.core.config.terminal.staffed_window)

    def _render_rate(self, run: FlowRun) -> None:
        if self.pages.currentWidget() is not self.page["rate"]:
            self.rating.reset()
        ticket = run.summary
        number = getattr(ticket, "number", "")
        self.rate_summary.setVisible(bool(number))
        self.rate_summary.setText(translate(
            "FlowScreen", "Your number: {number} ({business}), {ahead} waiting before you").format(
            number=number, business=getattr(ticket, "business_name", ""),
            ahead=getattr(ticket, "people_ahead", 0)) if number else "")
        self._show_page("rate")

    def _render_done(self, run: FlowRun) -> None:
        view = run.view()
        self.done_text.setText(translate("FlowScreen", "Done"))
        if view.printed:
            self.done_hint.setText(translate(
                "FlowScreen", "Please take your papers. Thank you for using the self-service "
                "terminal."))
        else:
            self.done_hint.setText(translate("FlowScreen", "Thank you for using the self-service "
                                             "terminal."))
        self._done_view = self._summary(self.done_host, self._done_view, view.summary)
        self.done_more.setText(translate("FlowScreen", "Do something else"))
        self.done_exit.setText(translate("FlowScreen", "Finish and leave"))
        self._show_page("done")

    def _summary(self, host: QVBoxLayout, current, summary):
        if summary is None:
            if current is not None:
                current.clear()
                current.hide()
            return current
        current = self._swap(host, current, summary, None)
        current.set_view(summary)
        current.show()
        return current

    def _swap(self, host: QVBoxLayout, current, view, on_chosen):
        """The item's records widget (from the registry) in this place: made once, then reused
        (hidden while another shows), so a long-running kiosk does not create widgets per
        citizen."""
        cls = view_class(self.core.items, self.run.flow.id)
        key = (id(host), cls)
        widget = self._view_cache.get(key)
        if widget is None:
            widget = cls()
            widget.set_view(view)
            if on_chosen is not None:
                widget.chosen.connect(on_chosen)
            host.addWidget(widget)
            self._view_cache[key] = widget
        if current is not None and current is not widget:
            current.clear()
            current.hide()
        widget.show()
        return widget

    # ------------------------------------------------------------------ words
    def retranslate(self) -> None:
        if not self.built:
            return
        self.howto.setText(translate("FlowScreen", "How to do this"))
        self.howto.setAccessibleName(self.howto.text())
        self.consent_agree.setText(translate("FlowScreen", "I agree, continue"))
        self.consent_decline.setText(translate("FlowScreen", "I do not agree"))
        self.identify_panel.retranslate()
        self.rating.retranslate()
        for v in self._view_cache.values():
            v.retranslate()
        self.render()
