"""Hall staff on the terminal (issue 10): the attended-mode banner, the staff login (staff number
+ PIN on a number pad) and the staff tools, over `KioskCore.staff` (kiosk.staff.StaffDesk).

The panel covers the window (like the idle countdown); it renders the desk's state and sends
it intents. The PIN is checked off the UI thread by the core; the answer comes back through the
bus and the desk's listeners (`on_staff_changed`).
"""

from __future__ import annotations

from datetime import timezone

from kiosk.language import QT_TRANSLATE_NOOP
from kiosk.staff import LoginOutcome, LoginResult, Permission
from protocol import LOCAL_TZ
from screens.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from screens.widgets.chrome import button, label, touch_scroll_area

ROLE_NAMES = {
    "helper": QT_TRANSLATE_NOOP("StaffRole", "Helper"),
    "shift_lead": QT_TRANSLATE_NOOP("StaffRole", "Shift lead"),
    "technician": QT_TRANSLATE_NOOP("StaffRole", "Technician"),
    "auditor": QT_TRANSLATE_NOOP("StaffRole", "Auditor"),
}


def role_name(role: str) -> str:
    return translate("StaffRole", ROLE_NAMES.get(str(role), str(role)))


def login_message(result: LoginResult) -> str:
    """What staff read after a refused login."""
    o = result.outcome
    if o is LoginOutcome.WRONG:
        n = result.tries_left
        return translate("StaffLogin", "Staff number or PIN is wrong: %n more try(s).", "", n)
    if o is LoginOutcome.LOCKED:
        n = result.minutes_left
        return translate("StaffLogin", "Too many wrong PINs: locked for %n minute(s).", "", n)
    if o is LoginOutcome.EXPIRED:
        return translate("StaffLogin", "This staff account has expired or is disabled. Please "
                         "ask the hall's administrator.")
    if o is LoginOutcome.UNKNOWN_BADGE:
        return translate("StaffLogin", "This badge is not known on this terminal. Log in with "
                         "your staff number and PIN.")
    if o is LoginOutcome.NO_ROSTER:
        return translate("StaffLogin", "This terminal has no staff list yet. Try again once it "
                         "is online.")
    return ""


def voice_status_text(st) -> str:
    """A kiosk.voice.VoiceStatus in the staff's words."""
    if not st.engine_ok:
        text = translate("StaffTools", "Silent: no speech engine ({detail}).").format(
            detail=st.detail)
    elif not st.audio_ok:
        text = translate("StaffTools", "Silent: no audio output device. The terminal works "
                         "without voice.")
    else:
        text = translate("StaffTools", "Working ({engine}).").format(engine=st.engine)
    n = st.failed
    if n:
        failed = translate("StaffTools", "%n prompt(s) could not be spoken.", "", n)
        text = f"{text} {failed}"
    return text


class StaffBanner(QFrame):
    """工作人员 XXX 正在为您服务: above every screen while staff attend the citizen."""

    tools = Signal()
    logout = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("StaffBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 10, 24, 10)
        self.text = label(wrap=True)
        self.text.setObjectName("staff_banner_text")
        self.tools_button = button(role="nav", name="staff_banner_tools")
        self.tools_button.clicked.connect(self.tools)
        self.logout_button = button(role="nav", name="staff_banner_logout")
        self.logout_button.clicked.connect(self.logout)
        row.addWidget(self.text, 1)
        row.addWidget(self.tools_button)
        row.addWidget(self.logout_button)
        self._name: str | None = None
        self.hide()
        self.retranslate()

    def set_staff(self, name: str | None) -> None:
        self._name = name
        self.setVisible(name is not None)
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setText(translate("StaffBanner", "Staff member {name} is serving you")
                          .format(name=self._name or ""))
        self.tools_button.setText(translate("StaffBanner", "Staff tools"))
        self.logout_button.setText(translate("StaffBanner", "Staff log out"))


class StaffPanel(QWidget):
    """The staff login (page 0) and the staff tools (page 1), over the whole window."""

    def __init__(self, core, parent: QWidget, *, landscape: bool = False):
        super().__init__(parent)
        self.landscape = landscape
        self.core = core
        self.desk = core.staff
        self.setObjectName("StaffPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(*((160, 32, 160, 32) if landscape else (40, 80, 40, 80)))
        card = QFrame()
        card.setObjectName("StaffCard")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 24, 32, 24)
        self.pages = QStackedWidget()
        inner.addWidget(self.pages)
        outer.addWidget(card)
        self._build_login()
        self._build_tools()
        self._staff_no = ""
        self._pin = ""
        self._field = "staff_no"
        self._touched = 0.0  # core clock: the login page's last key
        self.hide()
        self.retranslate()

    # -- login page ------------------------------------------------------------------------------
    def _build_login(self) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setSpacing(14)
        self.login_title = label(role="title")
        self.staff_no_button = button(role="list", name="staff_login_number")
        self.staff_no_button.clicked.connect(lambda: self._focus("staff_no"))
        self.pin_button = button(role="list", name="staff_login_pin")
        self.pin_button.clicked.connect(lambda: self._focus("pin"))
        self.login_message = label(role="subtitle", wrap=True)
        self.login_message.setObjectName("staff_login_message")
        col.addWidget(self.login_title)
        fields = QVBoxLayout()
        fields.addWidget(self.staff_no_button)
        fields.addWidget(self.pin_button)
        fields.addWidget(self.login_message)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.keys = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0",
                                 "back"]):
            text = {"back": "⌫", "clear": "C"}.get(key, key)
            b = button(text, role="key", name=f"staff_key_{key}")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(b, i // 3, i % 3)
            self.keys[key] = b
        if self.landscape:  # the fields beside the pad
            fields.addStretch(1)
            side = QHBoxLayout()
            side.setSpacing(24)
            side.addLayout(fields, 1)
            side.addLayout(grid, 1)
            col.addLayout(side)
        else:
            col.addLayout(fields)
            col.addLayout(grid)
        row = QHBoxLayout()
        self.cancel_button = button(role="nav", name="staff_login_cancel")
        self.cancel_button.clicked.connect(self.close_panel)
        self.confirm_button = button(role="primary", name="staff_login_confirm")
        self.confirm_button.clicked.connect(self.confirm)
        row.addWidget(self.cancel_button, 1)
        row.addWidget(self.confirm_button, 2)
        col.addLayout(row)
        col.addStretch(1)
        self.pages.addWidget(page)

    def open_login(self, message: str = "", staff_no: str = "") -> None:
        """Empty, or after a refused PIN with the staff number kept and the PIN to type."""
        self._staff_no, self._pin = staff_no, ""
        self._field = "pin" if staff_no else "staff_no"
        self._touched = self.core.clock()
        self.pages.setCurrentIndex(0)
        self.login_message.setText(message)
        self._show_fields()
        self._show()

    def _focus(self, field: str) -> None:
        self._field = field
        self._show_fields()

    def press(self, key: str) -> None:
        self._touched = self.core.clock()
        value = self._staff_no if self._field == "staff_no" else self._pin
        limit = 16 if self._field == "staff_no" else 6
        if key == "back":
            value = value[:-1]
        elif key == "clear":
            value = ""
        elif len(value) < limit:
            value += key
        if self._field == "staff_no":
            self._staff_no = value
        else:
            self._pin = value
        self._show_fields()

    def _show_fields(self) -> None:
        mark = "▶ "
        self.staff_no_button.setText(
            (mark if self._field == "staff_no" else "") +
            translate("StaffLogin", "Staff number: {number}").format(number=self._staff_no or "—"))
        self.pin_button.setText(
            (mark if self._field == "pin" else "") +
            translate("StaffLogin", "PIN: {dots}").format(dots="●" * len(self._pin) or "—"))
        self.confirm_button.setEnabled(bool(self._staff_no) and not self.desk.pending)

    def confirm(self) -> None:
        """With the staff number typed, the PIN next; with both, log in."""
        if not self._staff_no or self.desk.pending:
            return
        if len(self._pin) != 6:
            self._focus("pin")
            return
        self.login_message.setText(translate("StaffLogin", "Checking…"))
        self.core.staff_login_pin(self._staff_no, self._pin)
        self._pin = ""
        self._show_fields()

    # -- tools page --------------------------------------------------------------------------------
    def _build_tools(self) -> None:
        page = QWidget()
        self.tools_col = QVBoxLayout(page)
        self.tools_col.setSpacing(12)
        self.tools_title = label(role="title")
        self.tools_who = label(role="subtitle", wrap=True)
        self.tools_who.setObjectName("staff_tools_who")
        self.tools_message = label(role="subtitle", wrap=True)
        self.tools_message.setObjectName("staff_tools_message")
        self.tools_col.addWidget(self.tools_title)
        self.tools_col.addWidget(self.tools_who)
        body = QWidget()
        self.tools_body = QVBoxLayout(body)
        self.tools_body.setContentsMargins(0, 0, 0, 0)
        self.tools_body.setSpacing(12)
        holder = QWidget()
        holder_col = QVBoxLayout(holder)
        holder_col.setContentsMargins(0, 0, 0, 0)
        holder_col.addWidget(body)
        holder_col.addStretch(1)
        self.tools_col.addWidget(touch_scroll_area(holder), 1)  # many jobs: it scrolls
        self.tools_col.addWidget(self.tools_message)
        row = QHBoxLayout()
        self.close_button = button(role="nav", name="staff_tools_close")
        self.close_button.clicked.connect(self.close_panel)
        self.logout_button = button(role="nav", name="staff_tools_logout")
        self.logout_button.clicked.connect(lambda: self.desk.logout("logout"))
        row.addWidget(self.close_button)
        row.addWidget(self.logout_button)
        self.tools_col.addLayout(row)
        self.pages.addWidget(page)
        self.tool_buttons: dict[str, object] = {}

    def open_tools(self, message: str = "") -> None:
        self.pages.setCurrentIndex(1)
        self.tools_message.setText(message)
        self.render_tools()
        self._show()

    def render_tools(self) -> None:
        """Built fresh from the desk each time: nothing of an earlier visit (or citizen) stays."""
        while self.tools_body.count():
            item = self.tools_body.takeAt(0)
            w = item.widget()
            if w is not None:  # gone now, not at the next event loop turn
                w.hide()
                w.setParent(None)
                w.deleteLater()
        self.tool_buttons = {}
        s = self.desk.session
        if s is None:
            return
        a = s.account
        self.tools_who.setText(translate("StaffTools", "{name} ({number}), {role}").format(
            name=a.name, number=a.staff_no, role=role_name(a.role)))
        desk, core = self.desk, self.core

        def add(name: str, text: str, fn) -> None:
            b = button(text, role="list", name=name)
            b.clicked.connect(fn)
            b.ensurePolished()  # its style's size before the layout asks (no overlaps)
            self.tools_body.addWidget(b)
            self.tool_buttons[name] = b

        def section(text: str) -> None:
            w = label(text, role="section")
            w.ensurePolished()
            self.tools_body.addWidget(w)

        if desk.may(Permission.ATTEND) and not s.citizen_session:
            add("staff_serve", translate("StaffTools", "Serve a citizen"), self._serve)
        if desk.may(Permission.REPRINT):
            section(translate("StaffTools", "Reprint (补打)"))
            jobs = desk.reprintable()
            if not jobs:
                self.tools_body.addWidget(label(translate(
                    "StaffTools", "Nothing to reprint from the last {minutes} minutes.").format(
                    minutes=int(desk.reprint_window.total_seconds() // 60)), wrap=True))
            for job in jobs[:6]:
                at = job.created_at.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ)
                add(f"staff_reprint_{job.id}", translate("StaffTools", "Reprint {title} ({time})")
                    .format(title=job.title, time=f"{at:%H:%M}"),
                    lambda _=False, j=job.id: self._reprint(j))
        if desk.may(Permission.CLEAR_FAULT) and core.printer is not None:
            section(translate("StaffTools", "Printers"))
            if core.printer.receipt_status() is not None:
                add("staff_fault_receipt", translate("StaffTools",
                    "Receipt printer refilled / fixed: check it again"),
                    lambda: self._clear("receipt"))
            if core.printer.document_status() is not None:
                add("staff_fault_document", translate("StaffTools",
                    "A4 printer refilled / fixed: check it again"),
                    lambda: self._clear("document"))
        voice = core.services.voice
        if desk.may(Permission.CLEAR_FAULT) and voice is not None:
            # the technician's view of voice guidance (docs/decisions/0031)
            section(translate("StaffTools", "Voice guidance (语音)"))
            status = label(voice_status_text(voice.status()), wrap=True)
            status.setObjectName("staff_voice_status")
            self.tools_body.addWidget(status)
        if desk.may(Permission.END_SESSION) and core.session.started:
            add("staff_end_session", translate("StaffTools", "End the citizen's session"),
                self._end_session)
        if desk.may(Permission.AUDIT):
            from kiosk.audit import verify

            report = verify(core.store)
            n = report.count
            self.tools_body.addWidget(label(
                translate("StaffTools", "Audit log: %n entries, chain intact.", "", n)
                if report.ok else translate("StaffTools", "Audit log: BROKEN ({problem})")
                .format(problem=report.problem), wrap=True))
        self.close_button.setVisible(s.attending)

    def _serve(self) -> None:
        self.desk.serve_citizen()
        self.close_panel()

    def _reprint(self, job_id: str) -> None:
        new = self.desk.reprint(job_id)
        self.open_tools(translate("StaffTools", "Reprint sent, marked 补打.") if new else
                        translate("StaffTools", "This job can no longer be reprinted."))

    def _clear(self, printer: str) -> None:
        self.desk.clear_fault(printer)
        self.open_tools(translate("StaffTools", "The printer is being checked again."))

    def _end_session(self) -> None:
        self.desk.end_citizen_session()  # the staff session ends with it: the panel closes

    # -- showing -------------------------------------------------------------------------------
    def _show(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def close_panel(self) -> None:
        """Cancel on the login page; back to the citizen on the tools page. Staff not attending
        (nobody at the terminal, or a role that does not attend) log out as the tools close."""
        s = self.desk.session
        if self.pages.currentIndex() == 1 and s is not None and not s.attending:
            self.desk.logout("logout")  # (no banner would show a session left open)
        self.hide()

    def tick(self) -> None:
        """The window's timer: a login page left alone closes (with what was typed) after the
        staff idle time; the tools close when the desk logs staff out."""
        if self.isVisible() and self.pages.currentIndex() == 0 and not self.desk.pending and \
                self.core.clock() - self._touched >= self.desk.idle_logout_s:
            self._staff_no = self._pin = ""
            self.hide()

    def on_staff_changed(self, attempt: bool) -> None:
        """The desk changed: a login was answered (`attempt`), or staff logged out."""
        s = self.desk.session
        result = self.desk.last_result
        if s is None:
            if attempt and result is not None and not result.ok:
                keep = self._staff_no if result.method == "pin" and self.isVisible() else ""
                self.open_login(login_message(result), staff_no=keep)
            elif self.isVisible() and self.pages.currentIndex() == 1:
                self.hide()
            else:
                self._show_fields()
            return
        if attempt:
            if s.attending:
                self.hide()  # straight back to the citizen, the banner says who serves them
            else:
                self.open_tools()
        elif self.isVisible() and self.pages.currentIndex() == 1:
            self.render_tools()

    def retranslate(self) -> None:
        self.login_title.setText(translate("StaffLogin", "Staff login"))
        self.cancel_button.setText(translate("StaffLogin", "Cancel"))
        self.confirm_button.setText(translate("StaffLogin", "Log in"))
        self.tools_title.setText(translate("StaffTools", "Staff tools"))
        self.close_button.setText(translate("StaffTools", "Back to the citizen"))
        self.logout_button.setText(translate("StaffTools", "Log out"))
        if hasattr(self, "_pin"):
            self._show_fields()
