"""The one place the kiosk imports Qt from (qutebrowser's habit): Qt details stay here.

Nothing else in `screens` imports PySide6 (an import-linter contract in pyproject.toml). Names
from the heavier or optional Qt modules are imported on first use, through the module's
`__getattr__` (PEP 562), so importing this module costs only QtCore, QtGui and QtWidgets:

- `QTest` (QtTest): the tour's taps;
- `QCamera`, `QMediaCaptureSession`, `QMediaDevices`, `QVideoFrame`, `QVideoSink`
  (QtMultimedia): the camera of the face check, loaded only when a terminal has one;
- `QMediaPlayer`, `QAudioOutput` (QtMultimedia): the voice guidance's playback.
"""

from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401
from PySide6.QtCore import (  # noqa: F401
    QBuffer,
    QByteArray,
    QCoreApplication,
    QDateTime,
    QEvent,
    QIODevice,
    QLocale,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSocketNotifier,
    Qt,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QFontDatabase, QImage, QPainter, QPixmap  # noqa: F401
from PySide6.QtWidgets import (  # noqa: F401
    QAbstractButton,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

translate = QCoreApplication.translate


def _cheap_feature_check() -> None:
    """PySide6's import hook (PYSIDE-2029, `shibokensupport.feature`) asks of every module
    imported after PySide6 whether its source mentions "PySide6" (for `from __feature__ import
    snake_case`, which the kiosk does not use), through `inspect.getsource`: that reads every
    module's source into `linecache` as lines and keeps it there for the life of the process
    (about 26 MiB of str objects in the kiosk) and costs import time. The same question is
    asked here of the file's bytes, which are dropped at once; the source already cached by
    the hook is dropped too (it is only a cache: a traceback reads the file again)."""
    import linecache
    import sys

    feature = sys.modules.get("shibokensupport.feature")
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if upstream is None or getattr(upstream, "kiosk_cheap", False):
        return

    def _mod_uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return upstream(module)  # built-in, extension, zipped: as PySide6 decides
        try:
            with open(path, "rb") as fh:
                return b"PySide6" in fh.read()
        except OSError:
            return False  # as upstream: a module without a source file

    _mod_uses_pyside.kiosk_cheap = True
    feature._mod_uses_pyside = _mod_uses_pyside
    for name, entry in list(linecache.cache.items()):
        if len(entry) == 4 and entry[1] is not None:  # read from a file (not generated code)
            linecache.cache.pop(name, None)


_cheap_feature_check()
_MULTIMEDIA = frozenset({"QCamera", "QMediaCaptureSession", "QMediaDevices", "QVideoFrame",
                         "QVideoSink", "QSoundEffect", "QMediaPlayer", "QAudioOutput"})


def alive(obj) -> bool:
    """Whether the C++ object behind a Qt wrapper still exists (a widget may be deleted by Qt
    while Python still holds its wrapper)."""
    from shiboken6 import isValid

    return obj is not None and isValid(obj)


def __getattr__(name: str):
    """The lazily imported names (see the module's docstring); cached once imported."""
    if name == "QTest":
        from PySide6.QtTest import QTest as value
    elif name == "QSvgRenderer":  # the tiles' icons (screens/icons.py)
        from PySide6.QtSvg import QSvgRenderer as value
    elif name in _MULTIMEDIA:
        from PySide6 import QtMultimedia

        value = getattr(QtMultimedia, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
