"""呼叫帮办 on screen: the help bar under the status bar while a call for help is open (or its
answer shows), and the remote-view consent the citizen answers (允许 / 拒绝). Both only render
the help desk's `HelpView` (kiosk.help) and send it the citizen's intents."""

from __future__ import annotations

from kiosk.help import HelpPhase, HelpView
from screens.qt import QFrame, QHBoxLayout, QSizePolicy, Qt, QWidget, Signal, translate
from screens.widgets.chrome import button, label, overlay_card, repolish


def help_text(view: HelpView) -> str:
    if view.phase is HelpPhase.CALLING:
        return translate("HelpBar", "Calling staff…")
    if view.phase is HelpPhase.WAITING:
        return translate("HelpBar", "Staff have been called and will come to you. Please wait "
                         "here.")
    if view.phase is HelpPhase.TAKEN:
        return translate("HelpBar", "Staff member {name} is on the way").format(
            name=view.staff_name or translate("HelpBar", "(name not given)"))
    if view.phase is HelpPhase.UNREACHABLE:
        return translate("HelpBar", "Staff cannot be called from this terminal right now. "
                         "Please go to: {place}. Nothing you have done here is lost.").format(
            place=view.window)
    if view.phase is HelpPhase.FINISHED:
        return translate("HelpBar", "Staff have closed your call for help.")
    return ""


class HelpBar(QFrame):
    """The call for help's state, a cancel (or OK) button, and while the screen is shared the
    always-visible 屏幕共享中 · 结束."""

    cancel = Signal()
    dismiss = Signal()
    end_share = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("HelpBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 8, 24, 8)
        row.setSpacing(16)
        self.text = label(role="section", wrap=True)
        self.text.setObjectName("help_text")
        # the words wrap to whatever the buttons leave; the buttons keep their whole text
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.share_button = button(role="toggle", name="help_share_end")
        self.share_button.setProperty("active", "true")
        self.share_button.clicked.connect(self.end_share)
        self.action_button = button(role="nav", name="help_action")
        self.action_button.clicked.connect(self._action)
        row.addWidget(self.text, 1)
        row.addWidget(self.share_button)
        row.addWidget(self.action_button)
        self._view = HelpView()
        self.hide()

    @property
    def view(self) -> HelpView:
        return self._view

    def _action(self) -> None:
        if self._view.open:
            self.cancel.emit()
        else:
            self.dismiss.emit()

    def set_view(self, view: HelpView) -> None:
        self._view = view
        self.retranslate()

    def retranslate(self) -> None:
        view = self._view
        self.setVisible(view.phase is not HelpPhase.IDLE)
        self.text.setText(help_text(view))
        self.share_button.setVisible(view.sharing)
        self.share_button.setText(translate("HelpBar", "Screen shared · End"))
        self.share_button.setAccessibleName(translate("HelpBar", "Staff see this screen. Tap to "
                                                      "end it."))
        self.action_button.setText(translate("HelpBar", "Cancel the call") if view.open
                                   else translate("HelpBar", "OK"))
        for b in (self.share_button, self.action_button):  # never narrower than their words
            b.setMinimumWidth(b.sizeHint().width())
        sharing = "true" if view.sharing else "false"
        if self.property("sharing") != sharing:
            self.setProperty("sharing", sharing)
            repolish(self)


class RemoteViewConsent(QWidget):
    """Staff ask to see the screen: the citizen allows or refuses. Covers the window until
    answered; nothing is sent before 允许."""

    allow = Signal()
    refuse = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        inner = overlay_card(self, "RemoteViewConsent", "RemoteViewCard")
        self.title = label(role="title", wrap=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = label(wrap=True)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.allow_button = button(role="primary", name="remote_view_allow")
        self.allow_button.clicked.connect(self.allow)
        self.refuse_button = button(role="nav", name="remote_view_refuse")
        self.refuse_button.clicked.connect(self.refuse)
        for w in (self.title, self.explain, self.allow_button, self.refuse_button):
            inner.addWidget(w)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("RemoteViewConsent", "Staff ask to see your screen"))
        self.explain.setText(translate(
            "RemoteViewConsent", "To help you from where they are, staff would see what this "
            "screen shows. Your name and ID number are covered. You can end it at any time."))
        self.allow_button.setText(translate("RemoteViewConsent", "Allow"))
        self.refuse_button.setText(translate("RemoteViewConsent", "Refuse"))
