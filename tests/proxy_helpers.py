"""A tiny explicit HTTP proxy on 127.0.0.1 for the link tests: ``CONNECT host:port`` tunnels
(how a client sends HTTPS through a proxy) and absolute-form plain HTTP requests
(``GET http://host:port/path``). It records what it was asked for, and forwards to loopback
addresses only.

    with ConnectProxy() as proxy:
        HttpAdapter(url, proxy=proxy.url).health()
        assert proxy.seen == [("CONNECT", "127.0.0.1:PORT")]
"""

from __future__ import annotations

import ipaddress
import select
import socket
import threading
from urllib.parse import urlsplit

HEAD_LIMIT = 64 * 1024


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _read_head(conn: socket.socket) -> tuple[bytes, bytes]:
    """(the request head up to the blank line, any bytes read after it)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk or len(data) > HEAD_LIMIT:
            raise ConnectionError("no complete request head")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _pipe(a: socket.socket, b: socket.socket) -> None:
    """Copy both ways until either side closes."""
    socks = [a, b]
    while True:
        readable, _, broken = select.select(socks, [], socks, 30)
        if broken or not readable:
            return
        for s in readable:
            try:
                data = s.recv(65536)
            except OSError:
                return
            if not data:
                return
            (b if s is a else a).sendall(data)


class ConnectProxy:
    def __init__(self, *, refuse: bool = False):
        """`refuse`: answer every request 403, as a proxy whose policy forbids the backend."""
        self.refuse = refuse
        self.seen: list[tuple[str, str]] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self._closing = False
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, name="connect-proxy", daemon=True)
        self._accepter.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._closing:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        upstream = None
        try:
            head, rest = _read_head(conn)
            method, target, _version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            self.seen.append((method, target))
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
            else:
                parts = urlsplit(target)
                host, port = parts.hostname or "", str(parts.port or 80)
            if self.refuse or not _loopback(host):
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                return
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
            if method == "CONNECT":
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:  # absolute form to origin form, the rest of the head as it came
                parts = urlsplit(target)
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                lines = head.split(b"\r\n")
                lines[0] = f"{method} {path} {_version}".encode("latin-1")
                upstream.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
            if rest:
                upstream.sendall(rest)
            _pipe(conn, upstream)
        except (OSError, ValueError, ConnectionError):
            pass
        finally:
            for s in (conn, upstream):
                if s is not None:
                    s.close()

    def close(self) -> None:
        self._closing = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() on Linux
        except OSError:
            pass
        self._sock.close()
        self._accepter.join(5)
        for t in self._threads:
            t.join(5)

    def __enter__(self) -> "ConnectProxy":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
