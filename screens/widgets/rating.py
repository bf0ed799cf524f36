"""好差评: the five national levels, reasons to choose for the two lowest, skippable.
A view over kiosk.flows.rating: `rated` carries a validated Rating; `skipped` when declined."""

from __future__ import annotations

from kiosk.flows.rating import (
    LEVELS,
    LOW_LEVELS,
    RatingInvalid,
    RatingReason,
    Satisfaction,
    validate,
)
from screens.qt import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget, Signal, translate
from screens.widgets.chrome import button, label, repolish


def level_name(level: Satisfaction) -> str:
    return {
        Satisfaction.VERY_SATISFIED: translate("RatingPanel", "Very satisfied"),
        Satisfaction.SATISFIED: translate("RatingPanel", "Satisfied"),
        Satisfaction.BASIC: translate("RatingPanel", "Basically satisfied"),
        Satisfaction.DISSATISFIED: translate("RatingPanel", "Dissatisfied"),
        Satisfaction.VERY_DISSATISFIED: translate("RatingPanel", "Very dissatisfied"),
    }[level]


def reason_name(reason: RatingReason) -> str:
    return {
        RatingReason.SLOW: translate("RatingPanel", "Took too long"),
        RatingReason.HARD_TO_USE: translate("RatingPanel", "Hard to use"),
        RatingReason.UNCLEAR: translate("RatingPanel", "Instructions unclear"),
        RatingReason.WRONG_DATA: translate("RatingPanel", "Results not right"),
        RatingReason.NOT_DONE: translate("RatingPanel", "Could not get it done"),
        RatingReason.PRINT_PROBLEM: translate("RatingPanel", "Printing problem"),
        RatingReason.DEVICE_FAULT: translate("RatingPanel", "Terminal fault"),
        RatingReason.STAFF: translate("RatingPanel", "Staff service"),
        RatingReason.OTHER: translate("RatingPanel", "Other"),
    }[reason]


class RatingPanel(QWidget):
    rated = Signal(object)  # kiosk.flows.rating.Rating
    skipped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("RatingPanel")
        col = QVBoxLayout(self)
        col.setSpacing(14)
        self.title = label(role="title", wrap=True)
        col.addWidget(self.title)
        self.level_buttons: dict[Satisfaction, object] = {}
        for level in LEVELS:
            b = button(role="toggle", name=f"rating_{level.name.lower()}")
            b.setProperty("active", "false")
            b.clicked.connect(lambda _=False, lv=level: self.choose(lv))
            col.addWidget(b)
            self.level_buttons[level] = b
        self.reasons_title = label(role="section", wrap=True)
        col.addWidget(self.reasons_title)
        grid = QGridLayout()
        self.reason_buttons: dict[RatingReason, object] = {}
        for i, reason in enumerate(RatingReason):
            b = button(role="toggle", name=f"reason_{reason.value}")
            b.setProperty("active", "false")
            b.clicked.connect(lambda _=False, r=reason: self.toggle_reason(r))
            grid.addWidget(b, i // 3, i % 3)
            self.reason_buttons[reason] = b
        col.addLayout(grid)
        self.message = label(role="small", wrap=True)
        col.addWidget(self.message)
        col.addStretch(1)
        row = QHBoxLayout()
        self.skip_button = button(role="nav", name="rating_skip")
        self.skip_button.clicked.connect(self._skip)
        self.submit_button = button(role="primary", name="rating_submit")
        self.submit_button.clicked.connect(self._submit)
        row.addWidget(self.skip_button)
        row.addWidget(self.submit_button, 1)
        col.addLayout(row)
        self.reset()

    def reset(self) -> None:
        self.level: Satisfaction | None = None
        self.reasons: list[RatingReason] = []
        self._refresh()

    def choose(self, level: Satisfaction) -> None:
        self.level = level
        if level not in LOW_LEVELS:
            self.reasons = []
        self._refresh()

    def toggle_reason(self, reason: RatingReason) -> None:
        if reason in self.reasons:
            self.reasons.remove(reason)
        else:
            self.reasons.append(reason)
        self._refresh()

    def _submit(self) -> None:
        if self.level is None:
            return
        try:
            rating = validate(self.level, [r.value for r in self.reasons])
        except RatingInvalid:
            self.message.setText(translate("RatingPanel", "Please choose at least one reason."))
            return
        self.reset()
        self.rated.emit(rating)

    def _skip(self) -> None:
        self.reset()
        self.skipped.emit()

    def _refresh(self) -> None:
        low = self.level in LOW_LEVELS
        for level, b in self.level_buttons.items():
            _set_active(b, level == self.level)
        self.reasons_title.setVisible(low)
        for reason, b in self.reason_buttons.items():
            b.setVisible(low)
            _set_active(b, reason in self.reasons)
        self.submit_button.setEnabled(self.level is not None and (not low or bool(self.reasons)))
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("RatingPanel", "How was the service today?"))
        for level, b in self.level_buttons.items():
            b.setText(level_name(level))
        self.reasons_title.setText(translate("RatingPanel", "What went wrong? Choose one or more."))
        for reason, b in self.reason_buttons.items():
            b.setText(reason_name(reason))
        self.skip_button.setText(translate("RatingPanel", "Skip"))
        self.submit_button.setText(translate("RatingPanel", "Submit rating"))
        self.message.setText("")


def _set_active(b, on: bool) -> None:
    value = "true" if on else "false"
    if b.property("active") != value:
        b.setProperty("active", value)
        repolish(b)
