"""Fixtures for ingest tests: a real HTTP server on 127.0.0.1, and a guard that fails
any test in this folder which tries to open a connection (or a DNS lookup) beyond
loopback. The guard patches the socket module, i.e. below all of our code, so it also
catches connections our own SSRF guard should have prevented but did not."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

Handler = Callable[[BaseHTTPRequestHandler], None]
TLS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "tls"


def _is_loopback(host: object) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def only_loopback_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse (and remember) every connect or name lookup that is not loopback."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            attempts.append(f"connect to {address!r}")
            raise ConnectionRefusedError(f"test guard: connection to {address!r} refused")

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host) and host != "localhost":
            attempts.append(f"DNS lookup of {host!r}")
            raise socket.gaierror(socket.EAI_NONAME, f"test guard: no DNS for {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert not attempts, f"test tried to leave loopback: {attempts}"


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class LoopbackServer:
    """An http.server on 127.0.0.1 with routes that tests set up; it logs every request."""

    routes: dict[str, Handler] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    sni: list[str | None] = field(default_factory=list)  # TLS server names seen (HTTPS only)
    stopping: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve a fixed reply at ``path``."""
        data = body.encode("utf-8") if isinstance(body, str) else body

        def reply(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            if content_type:
                handler.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        self.routes[path] = reply

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.add(path, status=status, content_type=None, headers={"Location": location})

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]


def _handler_class(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class RouteHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection; bodies may end at close

        def do_GET(self) -> None:
            server.hits.append(Hit(self.path, dict(self.headers.items()), time.monotonic()))
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            route(self)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return RouteHandler


@pytest.fixture
def loopback_tls() -> Iterator[LoopbackServer]:
    """The same server speaking HTTPS with a certificate for ``news.test`` only, signed
    by the throw-away CA in tests/fixtures/ingest/tls (see its README)."""
    server = LoopbackServer()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS_DIR / "news.test.bundle.pem")
    context.sni_callback = lambda _socket, name, _context: server.sni.append(name)
    yield from _serve(server, context)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    yield from _serve(LoopbackServer(), None)


def _serve(server: LoopbackServer, tls: ssl.SSLContext | None) -> Iterator[LoopbackServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(server))
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
