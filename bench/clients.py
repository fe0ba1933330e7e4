"""Candidate HTTP clients for the sweep, side by side on the same loopback web.

``python -m bench.clients`` starts the 50-host web (40 pages a host, 50 ms per answer) and
fetches its 2,000 pages with each candidate in a process of its own, 2 at a time per host,
every body read whole, nothing parsed: what each I/O model costs per request, before any of
verify-refs' own work. ``--web wiki-shard``: the wiki workload's web instead, and the URLs
one of its two sweep workers gets (500 hosts × 20 pages, 0.1–1.0 s an answer). Each line:
wall s, CPU ms per URL, peak RSS MB (median of ``--repeat``). The asynchronous candidates
run on the sweep's own event loop (``aio.new_loop``: uvloop where it is installed). The
figures and the choice are in RESULTS.md.

The two floors (``asyncio-h11``, ``asyncio-httptools``) are not clients: one connection per
slot, no TLS, policy, limits, cookies or decompression. They say what any client on this
loop must cost at least. httptools is not one of verify-refs' dependencies; its floor is
skipped where it is not installed.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from .measure import run_measured
from .run import child_env
from .web import Web
from .wiki import WIKI_DELAY, WIKI_HOSTS, WIKI_PAGES

CANDIDATES = (
    "requests-threads",
    "aiohttp",
    "httpx-async",
    "asyncio-h11",
    "asyncio-httptools",
    "pycurl-multi",
    "pycurl-asyncio",
    "verify-refs-sweep",
)


def _by_host(urls: Sequence[str]) -> dict[str, list[str]]:
    hosts: dict[str, list[str]] = {}
    for url in urls:
        hosts.setdefault(urlsplit(url).netloc, []).append(url)
    return hosts


def _requests_threads(urls: Sequence[str]) -> int:
    """What the live check does today: the project's Transport (requests), 128 threads."""
    from concurrent.futures import ThreadPoolExecutor

    from verifier.fetch.transport import NetworkPolicy, Transport, ipaddress

    policy = NetworkPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),))
    transport = Transport(policy=policy, user_agent="bench")
    with ThreadPoolExecutor(128) as pool:
        return sum(pool.map(lambda u: len(transport.request("GET", u).body), urls))


async def _two_per_host(
    urls: Sequence[str], worker: Callable[[list[str], str, int], Awaitable[int]]
) -> int:
    """The floors' schedule: two connections a host, each fetching every other path."""
    jobs = []
    for netloc, host_urls in _by_host(urls).items():
        host, _, port = netloc.partition(":")
        paths = [urlsplit(u).path for u in host_urls]
        jobs += [worker(paths[i::2], host, int(port)) for i in range(2)]
    return sum(await asyncio.gather(*jobs))


async def _aiohttp(urls: Sequence[str]) -> int:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0, limit_per_host=2)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(url: str) -> int:
            async with session.get(url) as resp:
                return len(await resp.read())

        return sum(await asyncio.gather(*(one(u) for u in urls)))


async def _httpx(urls: Sequence[str]) -> int:
    import httpx

    slots = {h: asyncio.Semaphore(2) for h in _by_host(urls)}
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=4000)
    async with httpx.AsyncClient(limits=limits, trust_env=False) as client:

        async def one(url: str) -> int:
            async with slots[urlsplit(url).netloc]:
                resp = await client.get(url)
                return len(resp.content)

        return sum(await asyncio.gather(*(one(u) for u in urls)))


async def _h11(urls: Sequence[str]) -> int:
    import h11

    async def host_worker(paths: list[str], host: str, port: int) -> int:
        reader, writer = await asyncio.open_connection(host, port)
        conn = h11.Connection(h11.CLIENT)
        total = 0
        for path in paths:
            req = h11.Request(method="GET", target=path, headers=[("Host", f"{host}:{port}")])
            writer.write(conn.send(req) + conn.send(h11.EndOfMessage()))
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    conn.receive_data(await reader.read(65536))
                elif isinstance(event, h11.Data):
                    total += len(event.data)
                elif isinstance(event, h11.EndOfMessage):
                    break
            conn.start_next_cycle()
        writer.close()
        return total

    return await _two_per_host(urls, host_worker)


async def _httptools(urls: Sequence[str]) -> int:
    import httptools

    loop = asyncio.get_running_loop()

    class Reader(asyncio.Protocol):
        """One connection: the answer to the request just written, whole."""

        def __init__(self) -> None:
            self.parser = httptools.HttpResponseParser(self)
            self.body: list[bytes] = []
            self.done: asyncio.Future[int] = loop.create_future()

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport

        def data_received(self, data: bytes) -> None:
            self.parser.feed_data(data)

        def on_body(self, body: bytes) -> None:
            self.body.append(body)

        def on_message_complete(self) -> None:
            self.done.set_result(sum(map(len, self.body)))

        def connection_lost(self, exc: Exception | None) -> None:
            if not self.done.done():
                self.done.set_exception(exc or ConnectionError("closed"))

    async def host_worker(paths: list[str], host: str, port: int) -> int:
        transport, reader = await loop.create_connection(Reader, host, port)
        total = 0
        for path in paths:
            reader.done, reader.body = loop.create_future(), []
            transport.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            total += await reader.done
        transport.close()
        return total

    return await _two_per_host(urls, host_worker)


def _curl_next(multi: Any, handle: Any, host: str, queues: dict[str, list[str]]) -> None:
    """Give ``handle`` (a slot of ``host``) the host's next URL, into a fresh buffer."""
    import io

    import pycurl

    handle.buffer = io.BytesIO()
    handle.host = host
    handle.setopt(pycurl.URL, queues[host].pop())
    handle.setopt(pycurl.WRITEDATA, handle.buffer)
    multi.add_handle(handle)


def _pycurl_multi(urls: Sequence[str]) -> int:
    """libcurl's multi interface in one thread: each host's URLs 2 at a time (an easy
    handle per slot, reused, so its connection is kept alive), bodies read whole."""

    import pycurl

    multi = pycurl.CurlMulti()
    queues = {host: list(reversed(host_urls)) for host, host_urls in _by_host(urls).items()}
    total = 0

    def start(handle: pycurl.Curl, host: str) -> None:
        _curl_next(multi, handle, host, queues)

    for host, queue in queues.items():
        for _ in range(min(2, len(queue))):
            handle = pycurl.Curl()
            handle.setopt(pycurl.PROXY, "")
            start(handle, host)
    running = 1
    while running:
        multi.select(1.0)  # until a socket is ready (or curl's own timeout)
        _, running = multi.perform()
        while True:
            left, done, failed = multi.info_read()
            for _handle, _errno, message in failed:
                raise RuntimeError(message)
            for handle in done:
                multi.remove_handle(handle)
                total += len(handle.buffer.getvalue())
                if queues[handle.host]:
                    start(handle, handle.host)
                    running += 1
                else:
                    handle.close()
            if not left:
                break
    return total


async def _pycurl_asyncio(urls: Sequence[str]) -> int:
    """libcurl's multi interface driven by this event loop (curl_multi_socket_action):
    curl says which sockets to watch and when its timer is due; the loop wakes it for
    those only. Each host's URLs 2 at a time, an easy handle per slot, reused."""

    import pycurl

    loop = asyncio.get_running_loop()
    multi = pycurl.CurlMulti()
    queues = {host: list(reversed(host_urls)) for host, host_urls in _by_host(urls).items()}
    finished: asyncio.Future[None] = loop.create_future()
    watched: dict[int, int] = {}
    timer: list[asyncio.TimerHandle] = []
    state = {"total": 0, "open": 0}

    def act(fd: int, events: int) -> None:
        multi.socket_action(fd, events)
        while True:
            left, done, failed = multi.info_read()
            for _handle, _errno, message in failed:
                finished.set_exception(RuntimeError(message))
                return
            for handle in done:
                multi.remove_handle(handle)
                state["total"] += len(handle.buffer.getvalue())
                if queues[handle.host]:
                    start(handle, handle.host)
                else:
                    handle.close()
                    state["open"] -= 1
            if not left:
                break
        if not state["open"] and not finished.done():
            finished.set_result(None)

    def on_socket(what: int, fd: int, _multi: object, _data: object) -> None:
        before = watched.get(fd, 0)
        if what == before:
            return
        reads, writes = (pycurl.POLL_IN, pycurl.POLL_INOUT), (pycurl.POLL_OUT, pycurl.POLL_INOUT)
        if before in reads and what not in reads:
            loop.remove_reader(fd)
        if before in writes and what not in writes:
            loop.remove_writer(fd)
        if what in reads and before not in reads:
            loop.add_reader(fd, act, fd, pycurl.CSELECT_IN)
        if what in writes and before not in writes:
            loop.add_writer(fd, act, fd, pycurl.CSELECT_OUT)
        if what == pycurl.POLL_REMOVE:
            watched.pop(fd, None)
        else:
            watched[fd] = what

    def on_timer(ms: int) -> None:
        if timer:
            timer.pop().cancel()
        if ms >= 0:
            timer.append(loop.call_later(ms / 1000, act, pycurl.SOCKET_TIMEOUT, 0))

    def start(handle: pycurl.Curl, host: str) -> None:
        _curl_next(multi, handle, host, queues)

    multi.setopt(pycurl.M_SOCKETFUNCTION, on_socket)
    multi.setopt(pycurl.M_TIMERFUNCTION, on_timer)
    for host, queue in queues.items():
        for _ in range(min(2, len(queue))):
            handle = pycurl.Curl()
            handle.setopt(pycurl.PROXY, "")
            state["open"] += 1
            start(handle, host)
    await finished
    multi.close()
    return state["total"]


async def _sweep_transport(urls: Sequence[str]) -> int:
    """The sweep's own client (verifier.fetch.aio), with every guarantee on."""
    import ipaddress

    from verifier.fetch.aio import AsyncTransport
    from verifier.fetch.transport import NetworkPolicy

    policy = NetworkPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),))
    transport = AsyncTransport(policy=policy, user_agent="bench")
    try:
        sizes = await asyncio.gather(*(transport.request("GET", u) for u in urls))
        return sum(len(r.body) for r in sizes)
    finally:
        await transport.close()


# Candidates whose library verify-refs does not depend on.
OPTIONAL = {"asyncio-httptools": "httptools", "pycurl-multi": "pycurl",
            "pycurl-asyncio": "pycurl", "httpx-async": "httpx",
            "asyncio-h11": "h11"}

RUNNERS: dict[str, Callable[[Sequence[str]], object]] = {
    "requests-threads": _requests_threads,
    "aiohttp": _aiohttp,
    "httpx-async": _httpx,
    "asyncio-h11": _h11,
    "asyncio-httptools": _httptools,
    "pycurl-multi": _pycurl_multi,
    "pycurl-asyncio": _pycurl_asyncio,
    "verify-refs-sweep": _sweep_transport,
}


def _one(name: str, urls: Sequence[str]) -> None:
    start = time.perf_counter()
    runner = RUNNERS[name]
    result = runner(urls)
    if asyncio.iscoroutine(result):
        from verifier.fetch.aio import new_loop

        with asyncio.Runner(loop_factory=new_loop) as runner:
            result = runner.run(result)
    print(json.dumps({"bytes": result, "wall": time.perf_counter() - start}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="*", default=list(CANDIDATES), choices=CANDIDATES)
    parser.add_argument("--web", choices=("50-hosts", "wiki-shard"), default="50-hosts")
    args = parser.parse_args(argv)
    if args.one:
        _one(args.one, sys.stdin.read().split())
        return
    if args.web == "wiki-shard":
        web = Web(hosts=WIKI_HOSTS, pages=WIKI_PAGES, delay=WIKI_DELAY)
        shard = range(WIKI_HOSTS // 2)  # what one of the 2 workers checks
    else:
        web, shard = Web(hosts=50, pages=40, delay=0.05), range(50)
    with web:
        # Interleaved across hosts, as links in a real article are.
        urls = [web.layout.page_url(h, n) for n in range(web.layout.pages) for h in shard]
        for name in args.only:
            needs = OPTIONAL.get(name)
            if needs and importlib.util.find_spec(needs) is None:
                print(f"| {name} | skipped: {needs} is not installed |", flush=True)
                continue
            runs = []
            for _ in range(args.repeat):
                m = run_measured(
                    name,
                    [sys.executable, "-m", "bench.clients", "--one", name],
                    urls=len(urls),
                    env=child_env(),
                    stdin="\n".join(urls),
                )
                if m.returncode != 0:
                    print(f"{name}: failed: {m.stderr.strip()[-400:]}")
                    break
                runs.append(m)
            if runs:
                print(
                    f"| {name} | {statistics.median(m.wall for m in runs):.2f} | "
                    f"{statistics.median(m.cpu_ms_per_url for m in runs):.2f} | "
                    f"{statistics.median(m.max_rss_mb for m in runs):.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
