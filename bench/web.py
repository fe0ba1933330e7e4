"""The loopback web: many hosts, every answer delayed, served by one asyncio process.

Run as ``python -m bench.web --hosts 50 --pages 400 --delay 0.05``. It binds one listener
per host address (127.0.2.1 ...) plus the index host, all on the same port, prints one
line ``{"ready": true, "port": N}`` and then reads commands, one per line, on stdin:

- ``stats``  print a JSON line: requests by method and status, connections opened, and
             the most requests that were ever in flight at once to one host;
- ``reset``  zero those counters;
- ``quit`` or end of input: stop.

It also stops by itself after ``--lifetime`` seconds, so a crashed benchmark never leaves
it running. ``Web`` is the parent's handle: a context manager that starts the process,
waits for it to be ready, asks for stats, and always stops it.

Why asyncio protocols and not ``http.server``: a thread per connection costs a few hundred
microseconds of CPU per request on a 2-core machine, and the server must not be what the
benchmark measures. A protocol answers from a timer (``call_later``) so the 50 ms delay
costs no thread and no CPU while it waits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import resource
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from .site import (
    INDEX_HOST,
    NOT_FOUND,
    ROBOTS,
    Delay,
    Layout,
    PageMaker,
    home_page,
    index_page,
    parse_page_path,
)

MAX_HEAD = 64 * 1024  # a request head larger than this is refused: bounded buffers
DEFAULT_LIFETIME = 1800.0


@dataclass
class Stats:
    methods: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    connections: int = 0
    in_flight: Counter = field(default_factory=Counter)  # per host, now
    max_in_flight: Counter = field(default_factory=Counter)  # per host, the most ever
    # Connections the kernel queued but this process could not take (out of descriptors,
    # most often): a run that has any was slowed by the web, not by the tool.
    accept_failures: int = 0
    # This process's CPU clock at the last reset: the web's own CPU during one tool's run
    # (the tools share the machine's cores with it).
    cpu_at_reset: float = field(default_factory=time.process_time)

    def reset(self) -> None:
        """Zero the counters of one run (requests now in flight stay counted in flight)."""
        self.methods.clear()
        self.statuses.clear()
        self.max_in_flight.clear()
        self.connections = 0
        self.accept_failures = 0
        self.cpu_at_reset = time.process_time()

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": sum(self.methods.values()),
            "methods": dict(self.methods),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "connections": self.connections,
            "max_in_flight_per_host": max(self.max_in_flight.values(), default=0),
            "server_cpu_s": round(time.process_time() - self.cpu_at_reset, 3),
            "accept_failures": self.accept_failures,
        }


Answer = tuple[int, str, bytes]  # status, content type, body


ONLINE = b"<!DOCTYPE html><html><head><title>Online</title></head><body></body></html>"


class Site:
    """What each host serves; the answers themselves, without the HTTP."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.pages = PageMaker()
        self._index: dict[int, bytes] = {}

    def answer(self, host: int | None, path: str) -> Answer:
        path = path.split("?", 1)[0]
        if host is None:  # the index host
            if path == "/":
                return 200, "text/html; charset=utf-8", ONLINE
            if path.startswith("/index-") and path.endswith(".html"):
                count = path[len("/index-") : -len(".html")]
                if count.isdigit() and 0 < int(count) <= self.layout.pages:
                    return 200, "text/html; charset=utf-8", self._index_page(int(count))
            return 404, "text/html; charset=utf-8", NOT_FOUND
        if path == "/robots.txt":
            return 200, "text/plain", ROBOTS
        if path == "/":
            return 200, "text/html; charset=utf-8", home_page(host)
        n = parse_page_path(path)
        if n is None or n >= self.layout.pages:
            return 404, "text/html; charset=utf-8", NOT_FOUND
        page = self.pages.page(host, n)
        return 200, f"text/html; charset={page.charset}", page.body

    def _index_page(self, count: int) -> bytes:
        if count not in self._index:
            self._index[count] = index_page(self.layout, count)
        return self._index[count]


_REASONS = {200: b"OK", 404: b"Not Found", 400: b"Bad Request", 501: b"Not Implemented"}


class _HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive; requests on one connection are answered in order."""

    def __init__(self, site: Site, host: int | None, stats: Stats, delay: Delay) -> None:
        self.site = site
        self.host = host
        self.stats = stats
        self.delay = delay
        self.buffer = b""
        self.busy = False
        self.closed = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.stats.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._next()

    def _next(self) -> None:
        while not self.busy and not self.closed:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self._close()
                return
            head = self.buffer[:end].decode("latin-1")
            lines = head.split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip().lower()
            length = int(headers.get("content-length", "0") or 0)
            if len(self.buffer) < end + 4 + length:
                return  # wait for the request body (none is expected, but be correct)
            self.buffer = self.buffer[end + 4 + length :]
            parts = lines[0].split(" ")
            if len(parts) != 3:
                self._reply("BAD", 400, "text/plain", b"bad request", keep_alive=False)
                return
            method, target, version = parts
            connection = headers.get("connection", "")
            keep_alive = (
                "keep-alive" in connection if version == "HTTP/1.0" else "close" not in connection
            )
            self.busy = True
            self.stats.methods[method] += 1
            key = -1 if self.host is None else self.host
            self.stats.in_flight[key] += 1
            if self.stats.in_flight[key] > self.stats.max_in_flight[key]:
                self.stats.max_in_flight[key] = self.stats.in_flight[key]
            loop = asyncio.get_running_loop()
            wait = self.delay.of(self.host, target.split("?", 1)[0])
            loop.call_later(wait, self._answer, method, target, keep_alive)

    def _answer(self, method: str, target: str, keep_alive: bool) -> None:
        key = -1 if self.host is None else self.host
        self.stats.in_flight[key] -= 1
        if self.closed:
            return
        if method in ("GET", "HEAD"):
            status, ctype, body = self.site.answer(self.host, target)
        else:
            status, ctype, body = 501, "text/plain", b"not implemented"
        self._reply(method, status, ctype, body, keep_alive)
        self.busy = False
        self._next()

    def _reply(self, method: str, status: int, ctype: str, body: bytes, keep_alive: bool) -> None:
        assert self.transport is not None
        self.stats.statuses[status] += 1
        head = (
            b"HTTP/1.1 %d %s\r\nServer: bench-web\r\nContent-Type: %s\r\n"
            b"Content-Length: %d\r\nConnection: %s\r\n\r\n"
            % (
                status,
                _REASONS.get(status, b"Unknown"),
                ctype.encode(),
                len(body),
                b"keep-alive" if keep_alive else b"close",
            )
        )
        self.transport.write(head if method == "HEAD" else head + body)
        if not keep_alive:
            self._close()

    def _close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


async def serve(
    layout: Layout,
    delay: Delay,
    lifetime: float,
    commands: IO[str],
    shard: tuple[int, int] = (0, 1),
    tls: str | None = None,
) -> None:
    """Serve the hosts of ``shard`` (``i, n``: the hosts ``h`` with ``h % n == i``; shard 0
    also serves the index host) until told to stop; ``tls``: to serve https instead of
    http, a PEM file of certificate and key, or a folder of one ``ADDRESS.pem`` per host
    and the index host (as real sites have: a certificate naming one host, not a thousand)."""
    loop = asyncio.get_running_loop()
    site = Site(layout)
    stats = Stats()
    raise_open_files_limit()
    loop.set_exception_handler(_counting_accept_failures(stats))
    stop = asyncio.Event()
    port = layout.port or _free_port(layout.host(0))
    servers = []
    index, count = shard

    def context_for(address: str) -> ssl.SSLContext | None:
        if tls is None:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(
            os.path.join(tls, f"{address}.pem") if os.path.isdir(tls) else tls
        )
        return context
    hosts: list[tuple[str, int | None]] = [
        (layout.host(h), h) for h in range(layout.hosts) if h % count == index
    ]
    if index == 0:
        hosts.append((INDEX_HOST, None))
    for address, host in hosts:

        def factory(host: int | None = host) -> _HttpProtocol:
            return _HttpProtocol(site, host, stats, delay)

        servers.append(
            await loop.create_server(
                factory, address, port, backlog=1024, ssl=context_for(address)
            )
        )
    print(json.dumps({"ready": True, "port": port}), flush=True)

    def on_command(line: str) -> None:
        word = line.strip()
        if word == "stats":
            print(json.dumps(stats.to_dict()), flush=True)
        elif word == "reset":
            stats.reset()
        elif word in ("quit", ""):
            stop.set()

    def read_commands() -> None:
        # A thread, because stdin may be a pipe or a terminal; end of input means stop.
        for line in commands:
            loop.call_soon_threadsafe(on_command, line)
            if line.strip() == "quit":
                return
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=read_commands, daemon=True).start()
    loop.call_later(lifetime, stop.set)
    await stop.wait()
    for server in servers:
        server.close()


def raise_open_files_limit() -> int:
    """Lift this process's soft limit on open files to the hard one; the new soft limit.

    Every connection a tool opens is a descriptor here; a tool that opens 20,000 (linkinator
    on the wiki workload does) would otherwise exhaust a common soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


def _counting_accept_failures(stats: Stats) -> Callable[[asyncio.AbstractEventLoop, dict], None]:
    """An exception handler that counts failed accepts and says so once on stderr.

    asyncio reports each failed ``accept()`` with a full traceback and retries a second
    later, per listener; with a thousand listeners that is hundreds of thousands of
    tracebacks, and printing them takes the CPU the benchmark is measuring."""

    def handler(loop: asyncio.AbstractEventLoop, context: dict) -> None:
        if "accept" not in str(context.get("message", "")):
            loop.default_exception_handler(context)
            return
        stats.accept_failures += 1
        if stats.accept_failures == 1:
            print(
                f"bench.web: cannot accept connections ({context.get('exception')}); "
                "the run that sees this is not a valid measurement",
                file=sys.stderr,
                flush=True,
            )

    return handler


def shards_for(hosts: int, pages: int, open_files: int) -> int:
    """How many processes the web needs so that none runs out of descriptors when a
    client opens a connection per URL at once (the worst a tool does): each process holds
    its share of the listeners and of the connections, with room to spare."""
    usable = max(open_files - 256, 1)
    return max(1, math.ceil((hosts + 1 + hosts * pages) / usable))


def _free_port(address: str) -> int:
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def web_layout(hosts: int, pages: int, port: int, tls: str | None, names: bool) -> Layout:
    """The layout a web of these options serves: https with ``tls``, hosts by name with
    ``names`` (the web processes and their parent agree on it)."""
    return Layout(
        hosts=hosts, pages=pages, port=port, scheme="https" if tls else "http", names=names
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--delay", default="0.05", help="seconds, or LOW-HIGH@SEED per answer")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--lifetime", type=float, default=DEFAULT_LIFETIME)
    parser.add_argument("--shard", default="0/1", help="I/N: serve hosts h with h %% N == I")
    parser.add_argument(
        "--tls", help="serve https: a PEM file of certificate and key, or a folder of ADDRESS.pem"
    )
    parser.add_argument("--names", action="store_true", help="link pages by host name")
    args = parser.parse_args(argv)
    index, _, count = args.shard.partition("/")
    layout = web_layout(args.hosts, args.pages, args.port, args.tls, args.names)
    shard = (int(index), int(count))
    asyncio.run(serve(layout, Delay.parse(args.delay), args.lifetime, sys.stdin, shard, args.tls))


class Web:
    """The parent's handle on the ``bench.web`` processes (``workers`` shards of the hosts,
    all on one port, at least as many as ``shards_for`` asks); always stopped on exit.

    Starting it lifts this process's open-files limit too, so the tools it measures
    (children of this process) inherit the room they need."""

    def __init__(
        self,
        hosts: int = 50,
        pages: int = 40,
        delay: float | Delay = 0.05,
        lifetime: float = DEFAULT_LIFETIME,
        workers: int = 1,
        tls: str | None = None,
        names: bool = False,
    ) -> None:
        self.hosts, self.pages, self.delay, self.workers = hosts, pages, delay, workers
        self.tls, self.names = tls, names
        self.lifetime = lifetime
        self.procs: list[subprocess.Popen[str]] = []
        self.layout = Layout(hosts=hosts, pages=pages)

    def start(self) -> Web:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        port = _free_port(self.layout.host(0))
        open_files = raise_open_files_limit()
        self.workers = max(self.workers, shards_for(self.hosts, self.pages, open_files))
        try:
            for index in range(self.workers):
                args = [
                    "--hosts",
                    str(self.hosts),
                    "--pages",
                    str(self.pages),
                    "--delay",
                    str(self.delay if isinstance(self.delay, Delay) else Delay(self.delay)),
                    "--lifetime",
                    str(self.lifetime),
                    "--port",
                    str(port),
                    "--shard",
                    f"{index}/{self.workers}",
                    *(["--tls", self.tls] if self.tls else []),
                    *(["--names"] if self.names else []),
                ]
                proc = subprocess.Popen(
                    [sys.executable, "-m", "bench.web", *args],
                    cwd=root,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                self.procs.append(proc)
                assert proc.stdout is not None
                if not proc.stdout.readline():
                    raise RuntimeError("the loopback web did not start")
        except BaseException:
            self.stop()
            raise
        self.layout = web_layout(self.hosts, self.pages, port, self.tls, self.names)
        return self

    def _ask(self, word: str) -> list[dict[str, Any]]:
        for proc in self.procs:
            assert proc.stdin is not None
            proc.stdin.write(word + "\n")
            proc.stdin.flush()
        answers = []
        for proc in self.procs:
            assert proc.stdout is not None
            answers.append(json.loads(proc.stdout.readline()))
        return answers

    def stats(self) -> dict[str, Any]:
        """The counters of every shard, added up (the most in flight: the largest)."""
        total: dict[str, Any] = {
            "requests": 0,
            "methods": Counter(),
            "statuses": Counter(),
            "connections": 0,
            "max_in_flight_per_host": 0,
            "server_cpu_s": 0.0,
            "accept_failures": 0,
        }
        for part in self._ask("stats"):
            total["requests"] += part["requests"]
            total["methods"].update(part["methods"])
            total["statuses"].update(part["statuses"])
            total["connections"] += part["connections"]
            total["max_in_flight_per_host"] = max(
                total["max_in_flight_per_host"], part["max_in_flight_per_host"]
            )
            total["server_cpu_s"] += part["server_cpu_s"]
            total["accept_failures"] += part["accept_failures"]
        total["methods"] = dict(total["methods"])
        total["statuses"] = dict(total["statuses"])
        return total

    def reset(self) -> None:
        for proc in self.procs:
            assert proc.stdin is not None
            proc.stdin.write("reset\n")
            proc.stdin.flush()
        self._ask("stats")  # a round trip, so the reset has happened when this returns

    def stop(self) -> None:
        for proc in self.procs:
            with contextlib.suppress(OSError, ValueError):
                assert proc.stdin is not None
                proc.stdin.write("quit\n")
                proc.stdin.close()
        for proc in self.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        self.procs = []

    def __enter__(self) -> Web:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    main()
