"""A DNS server that answers late, for measuring what name lookups cost a sweep.

The benchmark's webs are reached by IP address, so no tool there ever asks DNS. Real
references name their hosts. This server answers ``h-A-B-C-D.<anything>`` with the
address A.B.C.D (so the names of ``bench.web``'s hosts are ``h-127-0-1-2.wiki.test``),
every other name with NXDOMAIN, each answer ``--delay`` seconds after its query, all
queries in parallel (as a recursive resolver working on uncached names would).

``make bench`` runs it (``running``) where it is root, and each tool in a mount namespace
of its own whose ``/etc/resolv.conf`` names this server (``bench.wiki``); the machine's own
file is never touched. By hand: ``python -m bench.slow_dns --delay 0.03 &``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import struct
import subprocess
import sys
from collections.abc import Iterator

TYPE_A = 1
NXDOMAIN = 3
# A standard response: QR, recursion desired and available.
RESPONSE_FLAGS = 0x8180


NAME_SUFFIX = ".wiki.test"


def name_for(address: str) -> str:
    """The name this server answers with ``address`` (``127.0.1.2``: ``h-127-0-1-2.wiki.test``)."""
    return f"h-{address.replace('.', '-')}{NAME_SUFFIX}"


def host_address(label: str) -> bytes | None:
    """The IPv4 address a name's first label spells (``h-127-0-1-2``), or None."""
    if not label.startswith("h-"):
        return None
    parts = label[2:].split("-")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        return None
    return bytes(int(p) for p in parts)


def answer(query: bytes) -> bytes | None:
    """The response to one DNS query (one question), or None if it is not one."""
    try:
        labels, at = [], 12
        while query[at]:
            length = query[at]
            labels.append(query[at + 1 : at + 1 + length].decode("ascii"))
            at += 1 + length
        (qtype,) = struct.unpack(">H", query[at + 1 : at + 3])
    except (IndexError, UnicodeDecodeError, struct.error):
        return None
    question = query[12 : at + 5]
    address = host_address(labels[0]) if labels else None
    record = b""
    if address is not None and qtype == TYPE_A:
        # The name as a pointer to the question's, class IN, TTL 60 s.
        record = b"\xc0\x0c" + struct.pack(">HHIH", TYPE_A, 1, 60, 4) + address
    flags = RESPONSE_FLAGS | (0 if address is not None else NXDOMAIN)
    header = query[:2] + struct.pack(">HHHHH", flags, 1, 1 if record else 0, 0, 0)
    return header + question + record


class _Server(asyncio.DatagramProtocol):
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.queries = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.queries += 1
        asyncio.get_running_loop().call_later(self.delay, self._reply, data, addr)

    def _reply(self, data: bytes, addr: tuple[str, int]) -> None:
        response = answer(data)
        if response is not None:
            self.transport.sendto(response, addr)  # type: ignore[attr-defined]


async def serve(address: str, port: int, delay: float) -> None:
    loop = asyncio.get_running_loop()
    _, server = await loop.create_datagram_endpoint(
        lambda: _Server(delay), local_addr=(address, port)
    )
    print(f"answering on {address}:{port}, {delay:g} s late", flush=True)
    while True:
        await asyncio.sleep(5)
        print(f"queries so far: {server.queries}", flush=True)


@contextlib.contextmanager
def running(delay: float, address: str = "127.0.0.1", port: int = 53) -> Iterator[None]:
    """This server in a process of its own for the ``with`` block (port 53 needs root)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.slow_dns", "--address", address, "--port", str(port),
         "--delay", str(delay)],
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        if not proc.stdout.readline().startswith("answering"):
            raise RuntimeError(f"the slow DNS server did not start: {proc.stderr.read()[-300:]}")
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=53)
    parser.add_argument("--delay", type=float, default=0.03, help="seconds before each answer")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.address, args.port, args.delay))


if __name__ == "__main__":
    main()
