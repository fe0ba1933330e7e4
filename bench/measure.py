"""Measuring a child process, and an ideal client that measures the web itself.

``run_measured`` starts a command in its own process group and reaps it with
``os.wait4``, whose resource usage covers the child and every descendant it waited for:
user + system CPU of the whole tree and the largest resident set among them. A timer kills
the group if it overruns, so a hung peer cannot hang the benchmark.

``drive`` is the reference client: raw asyncio streams, keep-alive, ``per_host``
connections per host, each taking the host's next page (in the order given) as soon as it
is free. It does nothing but request and read, so the time it takes is what the web
allows a polite client that sends the pages in that order: it shows the server is not the
bottleneck, and gives the measured counterpart of the arithmetic limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Measurement:
    name: str
    urls: int
    wall: float  # seconds
    user: float  # CPU seconds, the whole process tree
    sys: float
    max_rss_kb: int  # the largest resident set of any process in the tree (_own_peak_kb)
    returncode: int
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""
    total_rss_kb: int = 0  # the largest sum of resident sets over the tree, sampled

    @property
    def cpu(self) -> float:
        return self.user + self.sys

    @property
    def urls_per_second(self) -> float:
        return self.urls / self.wall if self.wall else 0.0

    @property
    def cpu_ms_per_url(self) -> float:
        return 1000 * self.cpu / self.urls if self.urls else 0.0

    @property
    def max_rss_mb(self) -> float:
        return self.max_rss_kb / 1024

    @property
    def total_rss_mb(self) -> float:
        # wait4's figure counts what the forking parent had resident: the sample, if any.
        return (self.total_rss_kb or self.max_rss_kb) / 1024


SAMPLE_EVERY = 0.05


def group_rss_kb(pgid: int) -> tuple[int, int]:
    """Of every process in process group ``pgid`` (Linux): (their resident sets added up,
    the largest peak resident set of any of them since it started its program)."""
    total = largest = 0
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != pgid:  # after the name: state, ppid, pgrp
                continue
            with open(f"/proc/{name}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page_kb
            with open(f"/proc/{name}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"VmHWM:"):
                        largest = max(largest, int(line.split()[1]))
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return total, largest


def _sample_group(pgid: int, done: threading.Event, peak: list[int]) -> None:
    while not done.wait(SAMPLE_EVERY):
        total, largest = group_rss_kb(pgid)
        peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)


def _own_peak_kb(waited_kb: int, parent_kb: int, sampled_kb: int) -> int:
    """The tool's largest process, from wait4's figure where it is the tool's own.

    Why: a child's ``ru_maxrss`` also counts the memory it shared with this process
    between fork and exec (Linux keeps the larger), so a tool smaller than the benchmark
    itself is reported at the benchmark's size. When wait4's figure is no more than this
    process's own peak at the start, it may be that copy, and the sampled peaks (each
    process's own since exec, read every ``SAMPLE_EVERY``) are taken instead."""
    if waited_kb > parent_kb or not sampled_kb:
        return waited_kb
    return sampled_kb


def run_measured(
    name: str,
    command: Sequence[str],
    *,
    urls: int,
    cwd: str | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 600.0,
    out_path: str | None = None,
) -> Measurement:
    """Run ``command`` to completion and measure it; its output is kept (or written to
    ``out_path``, for outputs too large to hold)."""
    stdout_target = open(out_path, "w+b") if out_path else subprocess.PIPE  # noqa: SIM115
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=stdout_target,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own group: a timeout kills every descendant
    )
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    # wait4 gives the largest single process; a tool of several processes is sampled.
    sampled, peak = threading.Event(), [0, 0]
    parent_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sampler = threading.Thread(target=_sample_group, args=(proc.pid, sampled, peak), daemon=True)
    if os.path.isdir("/proc"):
        sampler.start()
    # Pipes are drained by threads while the main thread blocks in wait4: communicate()
    # would reap the child itself and lose its resource usage.
    chunks: dict[str, bytes] = {}

    def drain(key: str, stream: object) -> None:
        chunks[key] = stream.read()  # type: ignore[attr-defined]

    readers = []
    for key, stream in (("out", proc.stdout), ("err", proc.stderr)):
        if stream is not None:
            reader = threading.Thread(target=drain, args=(key, stream), daemon=True)
            reader.start()
            readers.append(reader)
    if stdin is not None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(stdin.encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    timer.cancel()
    sampled.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(timeout=10)
    stdout = chunks.get("out", b"")
    if out_path:
        stdout_target.close()  # type: ignore[union-attr]
    return Measurement(
        name=name,
        urls=urls,
        wall=wall,
        user=usage.ru_utime,
        sys=usage.ru_stime,
        max_rss_kb=_own_peak_kb(usage.ru_maxrss, parent_kb, peak[1]),
        returncode=proc.returncode,
        timed_out=timed_out.is_set(),
        stdout=stdout.decode("utf-8", "replace"),
        stderr=chunks.get("err", b"").decode("utf-8", "replace"),
        total_rss_kb=peak[0],
    )


def run_reference(urls: list[str], env: Mapping[str, str], timeout: float,
                  per_host: int = 2, prefix: Sequence[str] = ()) -> Measurement:
    """The reference client on ``urls``, as a process of its own (measured as the tools);
    ``prefix``: what its command runs under."""
    return run_measured(
        "reference client",
        [*prefix, sys.executable, "-m", "bench.measure", str(per_host)],
        urls=len(urls),
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        env=env,
        stdin="\n".join(urls),
        timeout=timeout,
    )


def reference_check(m: Measurement) -> str:
    """What the reference client's output says: its answers, its time after start-up."""
    try:
        result = json.loads(m.stdout)
    except ValueError:
        return f"no result (exit {m.returncode}): {m.stderr.strip()[-200:]}"
    return (
        f"{result['ok']} answers 200, {result['bad']} other; "
        f"{result['wall']:.2f} s after its start-up"
    )


def limit_seconds(pages_per_host: int, per_host: int, delay: float) -> float:
    """The least time any polite checker can take: each host's pages, ``per_host`` at a
    time, each answer taking ``delay``; hosts in parallel."""
    rounds = -(-pages_per_host // per_host)  # ceiling
    return rounds * delay


@dataclass
class DriveResult:
    wall: float
    responses: int
    bad: int  # answers that were not 200


async def _fetch_all(
    host: str, port: int, paths: deque[str], tls: ssl.SSLContext | None
) -> tuple[int, int]:
    """One connection's share of a host's pages: the next one whenever it is free (the
    host's other connections take from the same ``paths``); over TLS given a context."""
    reader, writer = await asyncio.open_connection(host, port, ssl=tls)
    ok = bad = 0
    try:
        while paths:
            path = paths.popleft()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            if status == 200:
                ok += 1
            else:
                bad += 1
    finally:
        writer.close()
    return ok, bad


async def _drive(urls: Iterable[str], per_host: int) -> DriveResult:
    by_host: dict[tuple[str, str, int], deque[str]] = {}
    for url in urls:
        parts = urlsplit(url)
        assert parts.hostname is not None and parts.port is not None
        key = (parts.scheme, parts.hostname, parts.port)
        by_host.setdefault(key, deque()).append(parts.path)
    # https: the default trust, which SSL_CERT_FILE can point at a local CA.
    tls = ssl.create_default_context()
    start = time.perf_counter()
    jobs = [
        _fetch_all(host, port, paths, tls if scheme == "https" else None)
        for (scheme, host, port), paths in by_host.items()
        for i in range(per_host)
    ]
    results = await asyncio.gather(*jobs)
    wall = time.perf_counter() - start
    return DriveResult(wall, sum(r[0] for r in results), sum(r[1] for r in results))


def drive(urls: Iterable[str], per_host: int) -> DriveResult:
    """Fetch every URL with ``per_host`` keep-alive connections per host."""
    return asyncio.run(_drive(urls, per_host))


def main() -> None:
    """``python -m bench.measure PER_HOST`` < URLs: run the reference client as a process of
    its own, so it is measured the same way as the checkers."""
    per_host = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    result = drive(sys.stdin.read().split(), per_host)
    print(json.dumps({"wall": result.wall, "ok": result.responses, "bad": result.bad}))


if __name__ == "__main__":
    main()
