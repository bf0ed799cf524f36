"""Supervision by systemd: the sd_notify protocol's few lines, without a library.

systemd passes ``NOTIFY_SOCKET`` (a datagram socket; ``@name`` is in the abstract namespace) and,
with ``WatchdogSec=``, ``WATCHDOG_USEC`` (and ``WATCHDOG_PID``). The kiosk sends ``READY=1``
once its window is shown and its devices were probed, ``STATUS=`` with the terminal's state, and
``WATCHDOG=1`` from the UI thread at half the watchdog interval: an event loop that blocks stops
the pings and systemd restarts the kiosk. Without ``NOTIFY_SOCKET`` every call does nothing.
See docs/decisions/0024-supervision.md.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger("kiosk.supervision")


class Notifier:
    """Sends sd_notify messages; a no-op without NOTIFY_SOCKET (or when it cannot be used)."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        self.address: str | bytes | None = None
        if address.startswith("@"):
            self.address = "\0" + address[1:]
        elif address.startswith("/"):
            self.address = address
        self._sock: socket.socket | None = None
        if self.address is not None:
            try:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            except OSError as exc:
                log.warning("sd_notify socket unusable: %s", exc)
        usec = env.get("WATCHDOG_USEC", "")
        pid = env.get("WATCHDOG_PID", "")
        self.watchdog_s: float | None = None
        if usec.isdigit() and int(usec) > 0 and (not pid or pid == str(os.getpid())):
            self.watchdog_s = int(usec) / 1e6

    @property
    def enabled(self) -> bool:
        return self._sock is not None

    def send(self, **fields: str | int) -> bool:
        """One datagram of ``KEY=value`` lines (``ready=1`` → ``READY=1``); True if sent."""
        if self._sock is None:
            return False
        text = "\n".join(f"{k.upper()}={str(v).replace(chr(10), ' ')}" for k, v in fields.items())
        try:
            self._sock.sendto(text.encode("utf-8"), self.address)
            return True
        except OSError as exc:  # systemd gone (shutdown) or the socket full: never fatal
            log.debug("sd_notify failed: %s", exc)
            return False

    def ready(self, status: str = "") -> bool:
        return self.send(ready=1, status=status) if status else self.send(ready=1)

    def status(self, status: str) -> bool:
        return self.send(status=status)

    def ping(self) -> bool:
        return self.send(watchdog=1)

    def stopping(self) -> bool:
        return self.send(stopping=1)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    @property
    def ping_interval_s(self) -> float | None:
        """Half the watchdog interval (systemd's advice), or None without a watchdog."""
        return self.watchdog_s / 2 if self.watchdog_s else None
