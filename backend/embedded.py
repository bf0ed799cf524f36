"""The reference backend served on loopback from a background thread.

For tests and for the kiosk's ``embedded`` adapter (the demo): real HTTP on 127.0.0.1, a port
the operating system picks, and a clean stop (the listening socket, the server and the database
engine are all closed).

    with EmbeddedBackend("sqlite:///tmp/b.sqlite3", admin_token="t") as backend:
        httpx.get(backend.url + "/v1/health")
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from backend.app import create_app


class EmbeddedBackend:
    def __init__(self, database_url: str, *, host: str = "127.0.0.1", port: int = 0,
                 admin_token: str | None = None, public_url: str | None = None,
                 log_level: str = "warning", ssl_certfile: str | None = None,
                 ssl_keyfile: str | None = None, **app_options):
        """`ssl_certfile` (PEM: the certificate chain, and the key unless `ssl_keyfile` has it)
        serves HTTPS instead of HTTP (the TLS tests)."""
        self.database_url = database_url
        self.host, self.port = host, port
        self.ssl_certfile, self.ssl_keyfile = ssl_certfile, ssl_keyfile
        self.admin_token = admin_token
        self.public_url = public_url
        self.log_level = log_level
        self.app_options = app_options
        self.app = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.ssl_certfile else 'http'}://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> str:
        self.app = create_app(self.database_url, admin_token=self.admin_token,
                              public_url=self.public_url, **self.app_options)
        # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY on accepted connections only when the
        # listening socket's proto is TCP, and socket.socket() leaves it 0. Without it every
        # answer written in two parts waits ~40 ms for a delayed ACK (Nagle).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(128)
        self._sock = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_config=None, log_level=self.log_level,
                                access_log=False, lifespan="on", timeout_graceful_shutdown=5,
                                ssl_certfile=self.ssl_certfile, ssl_keyfile=self.ssl_keyfile)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="embedded-backend", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the embedded backend did not start")
            time.sleep(0.01)
        return self.url

    def stop(self, timeout: float = 15.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self.app is not None and self._server is not None and not self._server.started:
            self.app.state.db.close()  # never served: the lifespan did not close it
        self._server = None

    def __enter__(self) -> "EmbeddedBackend":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
