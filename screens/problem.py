"""办不成事: reachable from every screen. The citizen picks what went wrong and gets a number and
where to go; the report goes to the backend through the outbox."""

from __future__ import annotations

from kiosk.flows.problem_report import ProblemCategory
from kiosk.navigation import Screen
from screens.base import BaseScreen
from screens.qt import QFrame, QGridLayout, QLayout, Qt, QVBoxLayout, QWidget, translate
from screens.widgets.chrome import button, label, touch_scroll_area


def category_name(category: ProblemCategory) -> str:
    return {
        ProblemCategory.CANNOT_IDENTIFY: translate("ProblemScreen", "My ID card or number is not accepted"),
        ProblemCategory.NO_RECORDS: translate("ProblemScreen", "My records cannot be found"),
        ProblemCategory.WRONG_RECORDS: translate("ProblemScreen", "My records are wrong"),
        ProblemCategory.CANNOT_PRINT: translate("ProblemScreen", "It does not print"),
        ProblemCategory.DEVICE_FAULT: translate("ProblemScreen", "The terminal is broken"),
        ProblemCategory.SYSTEM_DOWN: translate("ProblemScreen", "The system cannot be reached"),
        ProblemCategory.NOT_ON_KIOSK: translate("ProblemScreen", "What I need cannot be done here"),
        ProblemCategory.TOO_HARD: translate("ProblemScreen", "I do not know how to use it"),
        ProblemCategory.OTHER: translate("ProblemScreen", "Something else"),
    }[category]


class ProblemScreen(BaseScreen):
    lazy = True

    def build(self) -> None:
        core = self.core
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        outer.addWidget(touch_scroll_area(content))  # elder mode's larger tiles may not fit
        col = QVBoxLayout(content)
        col.setContentsMargins(40, 24, 40, 16)
        col.setSpacing(16)
        self.title = label(role="title", wrap=True)
        self.subtitle = label(role="subtitle", wrap=True)
        col.addWidget(self.title)
        col.addWidget(self.subtitle)
        grid = QGridLayout()
        grid.setSpacing(14)
        self.category_buttons = {}
        for i, cat in enumerate(ProblemCategory):
            b = button(role="tile", name=f"problem_{cat.value}", wrap=True)
            b.clicked.connect(lambda _=False, c=cat: self.report(c))
            grid.addWidget(b, i // 2, i % 2)
            self.category_buttons[cat] = b
        col.addLayout(grid)
        self.result = QFrame()
        self.result.setProperty("role", "card")
        box = QVBoxLayout(self.result)
        box.setContentsMargins(32, 32, 32, 32)
        box.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # wrapped text never clipped
        self.number_caption = label(role="subtitle")
        self.number = label(role="hero")
        self.number.setObjectName("problem_number")
        self.where = label(role="title", wrap=True)
        self.done_button = button(role="primary", name="problem_done")
        self.done_button.clicked.connect(lambda: core.navigator.go(Screen.HOME))
        for w in (self.number_caption, self.number, self.where, self.done_button):
            if w is not self.done_button:
                w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(w)
        col.addWidget(self.result)
        col.addStretch(1)
        self.ticket = None
        self._item_id = ""
        self.retranslate()

    def enter(self, route) -> None:
        """`category` in the route: the report is made at once (the face check's "call a
        member of staff")."""
        self.ensure_built()
        self._item_id = route.param("item_id", "")
        self.ticket = None
        category = route.param("category", "")
        if category:
            self.report(ProblemCategory(category))
            return
        self.retranslate()

    def cleanup(self) -> None:
        if not self.built:
            return
        self.ticket = None
        self._item_id = ""

    def report(self, category: ProblemCategory) -> None:
        self.ensure_built()
        self.ticket = self.core.report_problem(category.value, self._item_id)
        self.retranslate()

    def spoken_prompt(self) -> str:
        return translate("ProblemScreen", "Choose what went wrong.")

    def retranslate(self) -> None:
        if not self.built:
            return
        self.title.setText(translate("ProblemScreen", "Could not get it done? Tell us"))
        for cat, b in self.category_buttons.items():
            b.setText(category_name(cat))
            b.setVisible(self.ticket is None)
        self.result.setVisible(self.ticket is not None)
        self.done_button.setText(translate("ProblemScreen", "Back to the start"))
        if self.ticket is None:
            self.subtitle.setText(translate("ProblemScreen", "Choose what went wrong. You will get a "
                                            "number and where to go; staff will help you there."))
            return
        self.subtitle.setText(translate("ProblemScreen", "Thank you. Your report has been recorded."))
        self.number_caption.setText(translate("ProblemScreen", "Your number"))
        self.number.setText(self.ticket.number)
        where = " ".join(x for x in (self.ticket.where.place, self.ticket.where.window) if x)
        self.where.setText(translate("ProblemScreen", "Please go to: {place}").format(place=where))
