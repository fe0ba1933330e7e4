"""Candidate HTTP clients for the sweep, side by side on the same loopback web.

``python -m bench.clients`` starts the 50-host web (40 pages a host, 50 ms per answer) and
fetches its 2,000 pages with each candidate in a process of its own, 2 at a time per host,
every body read whole, nothing parsed: what each I/O model costs per request, before any of
verify-refs' own work. Each line: wall s, CPU ms per URL, peak RSS MB (median of
``--repeat``). The figures and the choice are in RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from .measure import run_measured
from .run import child_env
from .web import Web

CANDIDATES = ("requests-threads", "aiohttp", "httpx-async", "asyncio-h11", "verify-refs-sweep")


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

    jobs = []
    for netloc, host_urls in _by_host(urls).items():
        host, _, port = netloc.partition(":")
        paths = [urlsplit(u).path for u in host_urls]
        jobs += [host_worker(paths[i::2], host, int(port)) for i in range(2)]
    return sum(await asyncio.gather(*jobs))


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


RUNNERS: dict[str, Callable[[Sequence[str]], object]] = {
    "requests-threads": _requests_threads,
    "aiohttp": _aiohttp,
    "httpx-async": _httpx,
    "asyncio-h11": _h11,
    "verify-refs-sweep": _sweep_transport,
}


def _one(name: str, urls: Sequence[str]) -> None:
    start = time.perf_counter()
    runner = RUNNERS[name]
    result = runner(urls)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    print(json.dumps({"bytes": result, "wall": time.perf_counter() - start}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="*", default=list(CANDIDATES))
    args = parser.parse_args(argv)
    if args.one:
        _one(args.one, sys.stdin.read().split())
        return
    with Web(hosts=50, pages=40, delay=0.05) as web:
        urls = list(web.layout.urls())
        for name in args.only:
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
