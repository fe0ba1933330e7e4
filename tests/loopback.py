"""Real HTTP servers on loopback for behaviour tests.

``LoopbackServer`` is a threaded HTTP/1.1 server on 127.0.0.1 (or any 127.x address) with
a route table. A route answers with a ``Reply`` or with a function of the ``Request`` that
returns one, so a test can build a site that misbehaves like a real one: wrong status
codes, HEAD answered differently from GET, redirect chains, a body trickled byte by byte,
a connection closed without an answer, a stall. Every request is logged in ``hits``, and
the requests in flight to each host (by its Host header) are counted as they arrive.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    raw_path: str  # as sent, with the query string
    client_port: int = 0  # the client's side of the connection: same port, same connection


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float | None = None  # seconds to wait between body bytes
    stall: bool = False  # accept, then never answer (until the server stops)
    raw: bytes | None = None  # written verbatim instead of an HTTP answer
    close: bool = False  # close the connection without answering

    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Handler = Reply | Callable[[Request], Reply]


def html_page(title: str, body: str = "", *, charset: str = "utf-8", head: str = "") -> bytes:
    page = (
        f"<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{title}</title>{head}"
        f"</head><body><h1>{title}</h1>{body}</body></html>"
    )
    return page.encode(charset)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # Tests open dozens of connections at once (the pool's concurrency); with the default
    # backlog of 5 the kernel drops the rest and the client retries a second later.
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients in these tests hang up on purpose (deadlines, caps): not worth a traceback.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class LoopbackServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.routes: dict[str, Handler] = {}
        self.hits: list[Request] = []
        self._released = threading.Event()
        # Requests in flight (read, not yet answered) per Host header, and the most seen.
        self.in_flight: dict[str, int] = {}
        self.peak_in_flight: dict[str, int] = {}
        self._flight = threading.Condition()
        self._hold: tuple[int, float] | None = None
        self._httpd = _QuietServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        # A short poll interval: stop() waits up to one interval, once per test.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def route(self, path: str, handler: Handler) -> str:
        """Serve ``handler`` at ``path`` (exact match, query ignored); returns its URL."""
        self.routes[path] = handler
        return self.url(path)

    def hold_for_company(self, limit: int = 2, grace: float = 0.25) -> None:
        """Hold each request (before its handler) for ``grace`` seconds, or until more
        than ``limit`` requests to its host are in flight: meanwhile a client able to send
        one more to that host would, and ``peak_in_flight`` shows it. The grace decides
        only how long a violator has to show itself: a client that keeps its limit is
        never counted over it, whatever the timing."""
        self._hold = (limit, grace)

    def _arrive(self, host: str) -> None:
        with self._flight:
            count = self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.peak_in_flight[host] = max(self.peak_in_flight.get(host, 0), count)
            self._flight.notify_all()
            if self._hold is not None:
                limit, grace = self._hold
                self._flight.wait_for(lambda: self.peak_in_flight[host] > limit, timeout=grace)

    def _leave(self, host: str) -> None:
        with self._flight:
            self.in_flight[host] -= 1

    def hits_for(self, path: str, method: str | None = None) -> list[Request]:
        return [h for h in self.hits if h.path == path and (method is None or h.method == method)]

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers={k: v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                    raw_path=self.path,
                    client_port=self.client_address[1],
                )
                server.hits.append(request)
                host = request.headers.get("Host", "")
                server._arrive(host)
                try:
                    handler = server.routes.get(parts.path)
                    if handler is None:
                        reply = Reply(404, "<html><head><title>404 Not Found</title></head></html>")
                    elif isinstance(handler, Reply):
                        reply = handler
                    else:
                        reply = handler(request)
                finally:
                    # Before the answer is sent: until then the client surely still holds
                    # its slot for this request, so a polite client is never counted over.
                    server._leave(host)
                self._write(reply)

            def _write(self, reply: Reply) -> None:
                if reply.stall:
                    server._released.wait()
                    self.close_connection = True
                    return
                if reply.close:
                    self.close_connection = True
                    return
                if reply.raw is not None:
                    self.wfile.write(reply.raw)
                    self.close_connection = True
                    return
                body = reply.body_bytes()
                self.send_response(reply.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command == "HEAD":
                    return
                if reply.trickle is None:
                    self.wfile.write(body)
                    return
                for i in range(len(body)):
                    if server._released.is_set():
                        return
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(reply.trickle)

            do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = _serve

        return _Handler
