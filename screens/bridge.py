"""The one Qt bridge: `QtPost` is the `kiosk.bus.Post` of the app. Any thread hands it a
function; a queued signal runs it on the UI thread. Everything that crosses threads (sync news,
print jobs and printer status, the flow driver's results) goes through it."""

from __future__ import annotations

from screens.qt import QObject, Qt, Signal


class QtPost(QObject):
    _call = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def __call__(self, fn) -> None:
        self._call.emit(fn)

    @staticmethod
    def _run(fn) -> None:
        fn()
