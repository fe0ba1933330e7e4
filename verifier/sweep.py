"""The live sweep: every URL of a run checked on event loops, sharded by host over worker
processes, results streamed back as they come.

Why: with 2 requests at a time per host and a thousand hosts, 2,000 requests may wait on
the network at once; a thread each is too many, and one Python process is one core. So:

- ``check_shard(settings, online, items, clock)`` is the unit of work, a plain function of
  the settings and the URLs of some hosts to their results: one event loop, one
  ``AsyncTransport``, each URL checked by the very ``LiveChecker`` of every other run, in a
  greenlet (``verifier.fetch.green``), ``per_host`` checks at a time per host;
- ``run_sweep`` splits the URLs by host (all of a host's URLs in one shard, so its
  politeness is kept in one place) over ``workers`` processes and streams their results
  to ``emit``. The per-host counts are also kept in a ``HostGate`` (shared memory) with
  the run's other clients: a redirect into a host of another shard, or a cited URL on an
  archive's host while the archive checks use it, still waits for that host's slot: no
  host ever sees more than ``per_host`` requests at once from one run.
- A worker that dies is reported, not hidden: each URL it had not finished comes back as
  ``error`` ("not checked: the process checking it died"), and ``on_death`` is told.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from .fetch.aio import AsyncTransport, new_loop
from .fetch.connectivity import Connectivity
from .fetch.green import GreenTransport, green_sleep, run_green
from .fetch.hostgate import HostGate
from .gc_policy import collect_less_often
from .live import live_checker
from .model import LiveResult, LiveStatus
from .settings import Settings
from .urls import host_of

# One URL to check and the distinct titles citing it, in order.
Item = tuple[str, list[str | None]]
Emit = Callable[[str, list[LiveResult]], None]
Clock = Callable[[], datetime]

# Results are sent to the parent in batches: one pickle and one pipe write per batch.
BATCH = 64
BATCH_SECONDS = 0.05
# How often a sweep looks whether the run was stopped.
STOP_POLL = 0.1


# Below this many URLs a sweep runs in the process that asks for it: starting a worker
# (a spawned interpreter and its imports, ~0.5 s of CPU each) costs more than a second
# core saves (measured: 2,000 URLs take 1.3 s in one loop, 2.1 s over 2 spawned workers).
PROCESS_MIN_URLS = 4000
# Workers at most, whatever the machine: each holds a loop, a client and its connections.
MAX_WORKERS = 8


def sweep_workers(urls: int, clock: Clock) -> int:
    """How many worker processes a sweep of ``urls`` URLs gets: one per usable CPU, none
    (this process) for a small sweep, or when ``clock`` cannot be handed to a process."""
    if urls < PROCESS_MIN_URLS:
        return 0
    try:
        pickle.dumps(clock)
    except (pickle.PicklingError, AttributeError, TypeError):
        return 0
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(MAX_WORKERS, cpus or 1)
    return workers if workers > 1 else 0


def _context() -> Any:
    """How workers start: forked from a forkserver where there is one (POSIX), else spawned.

    Why: a spawned worker is a fresh interpreter that imports verify-refs' whole fetch
    stack (~0.5 s of CPU each) after the sweep asks for it. The forkserver is one clean
    interpreter (no threads: fork is safe there, unlike in this process) that imports this
    module once, started by ``warm_workers`` while the run is still probing and preparing;
    each worker is then a fork of it, ready at once. What a worker gets is unchanged: the
    same arguments, pickled the same way; only the environment variables are the server's,
    and the sweep reads none of them.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def warm_workers() -> None:
    """Start the forkserver now, without waiting for it, so that its imports overlap with
    the rest of the run's start-up (the online probe, the gate, the archive lookups)."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _stop_server() -> None:
    """End the forkserver and reap it, after the workers are joined: its children's CPU
    is then this process's children's (what a measuring parent sees), and no server
    outlives the sweep. ``_stop`` is the standard library's own (private) way, used by
    its tests; where it is missing the server ends with this process, as it would anyway."""
    if _context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        with contextlib.suppress(OSError, ChildProcessError):
            stop()


def split_by_host(items: Sequence[Item], shards: int) -> list[list[Item]]:
    """``items`` in at most ``shards`` groups, each host's URLs all in one group, groups as
    even in URLs as whole hosts allow (the largest hosts placed first); input order is
    kept within each group."""
    # Each URL's host found once: a second pass of ``host_of`` over more URLs than its
    # cache holds (a wiki's 20,000) would split every one of them again.
    hosts = [host_of(url) for url, _ in items]
    by_host: OrderedDict[str, list[int]] = OrderedDict()
    for index, host in enumerate(hosts):
        by_host.setdefault(host, []).append(index)
    loads = [0] * max(1, shards)
    owner: dict[str, int] = {}
    for host, indexes in sorted(by_host.items(), key=lambda kv: -len(kv[1])):
        target = loads.index(min(loads))
        owner[host] = target
        loads[target] += len(indexes)
    groups: list[list[Item]] = [[] for _ in loads]
    for item, host in zip(items, hosts, strict=True):
        groups[owner[host]].append(item)
    return [g for g in groups if g]


async def _sweep_shard(
    settings: Settings,
    online: bool,
    items: Sequence[Item],
    emit: Emit,
    clock: Clock,
    gate: HostGate | None,
    stopped: Callable[[], bool],
) -> None:
    transport = AsyncTransport(
        policy=settings.policy,
        user_agent=settings.user_agent,
        timeout=settings.timeout,
        per_host=settings.per_host,
        ca_bundle=settings.ca_bundle,
        gate=gate,
    )
    checker = live_checker(
        settings,
        GreenTransport(transport),
        connectivity=Connectivity.answered(online),
        sleep=green_sleep,
        now=clock,
    )
    queues: OrderedDict[str, deque[Item]] = OrderedDict()
    for item in items:
        queues.setdefault(host_of(item[0]), deque()).append(item)

    async def work(queue: deque[Item]) -> None:
        # per_host of these per host: more could only wait for the host's slots.
        while queue:
            url, titles = queue.popleft()
            emit(url, await run_green(checker.check_titles, url, titles))

    workers = [
        asyncio.create_task(work(queue))
        for queue in queues.values()
        for _ in range(min(settings.per_host, len(queue)))
    ]

    async def watch() -> None:
        while not stopped():
            await asyncio.sleep(STOP_POLL)
        transport.cancel()  # requests in flight end now
        for task in workers:
            task.cancel()

    watcher = asyncio.create_task(watch())
    try:
        await asyncio.gather(*workers)  # a bug in a check surfaces here, not silently
    except asyncio.CancelledError:
        if not stopped():
            raise
    finally:
        watcher.cancel()
        for task in workers:
            task.cancel()
        await transport.close()


def run_shard(
    settings: Settings,
    online: bool,
    items: Sequence[Item],
    emit: Emit,
    *,
    clock: Clock,
    gate: HostGate | None = None,
    stopped: Callable[[], bool] = lambda: False,
) -> None:
    """Check ``items`` on an event loop of this thread, giving each URL's results to
    ``emit`` as soon as it has them; ``gate``: the run's per-host counts, shared with its
    other clients and processes."""
    with asyncio.Runner(loop_factory=new_loop) as runner:
        runner.run(_sweep_shard(settings, online, items, emit, clock, gate, stopped))


def check_shard(
    settings: Settings, online: bool, items: Sequence[Item], clock: Clock
) -> list[tuple[str, list[LiveResult]]]:
    """The shard as a plain function: the URLs of some hosts -> their live results."""
    results: list[tuple[str, list[LiveResult]]] = []
    run_shard(settings, online, items, lambda url, r: results.append((url, r)), clock=clock)
    return results


def _worker(
    conn: multiprocessing.connection.Connection,
    settings: Settings,
    online: bool,
    clock: Clock,
    gate: HostGate,
    initializer: Callable[[], None] | None,
) -> None:
    # Ctrl-C reaches the whole process group; the parent decides when the run stops and
    # then ends its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collect_less_often()  # a fresh interpreter's defaults are not the run's: see gc_policy
    if initializer is not None:
        initializer()
    # The shard comes over the pipe, not with the process's arguments: a start() whose
    # arguments fill the pipe waits until the child has imported everything to read
    # them, which would start the workers one after the other.
    items: list[Item] = conn.recv()
    batch: list[tuple[str, list[LiveResult]]] = []
    sent = time.monotonic()

    def emit(url: str, results: list[LiveResult]) -> None:
        nonlocal sent
        batch.append((url, results))
        if len(batch) >= BATCH or time.monotonic() - sent > BATCH_SECONDS:
            conn.send(batch)
            batch.clear()
            sent = time.monotonic()

    run_shard(settings, online, items, emit, clock=clock, gate=gate)
    if batch:
        conn.send(batch)
    conn.send(None)  # finished: anything else that ends the pipe is a death
    conn.close()


def died(url: str, titles: Sequence[str | None], why: str, clock: Clock) -> list[LiveResult]:
    """The results of a URL whose checking process died: inconclusive, never dead."""
    result = LiveResult(
        LiveStatus.ERROR, checked_at=clock().isoformat(), detail=f"not checked: {why}"
    )
    return [result] * len(titles)


def run_sweep(
    settings: Settings,
    online: bool,
    items: Sequence[Item],
    emit: Emit,
    *,
    workers: int,
    clock: Clock,
    stop: threading.Event | None = None,
    on_death: Callable[[str], None] | None = None,
    initializer: Callable[[], None] | None = None,
    gate: HostGate | None = None,
) -> None:
    """Check every item, ``emit`` each URL's results as they come (in no set order).
    ``workers`` <= 1: one loop in this thread. Returns when all are emitted or ``stop``
    is set (the results of URLs unfinished then are not emitted). ``gate``: the run's
    per-host counts when other clients of the run share them (the archive checks' Transport),
    else the sweep makes its own for its processes."""
    stop = stop or threading.Event()
    shards = split_by_host(items, workers)
    if workers <= 1 or len(shards) <= 1:
        try:
            run_shard(settings, online, items, emit, clock=clock, gate=gate,
                      stopped=stop.is_set)
        finally:
            _stop_server()  # warmed for workers that one host's URLs did not need
        return
    context = _context()
    if gate is None:
        gate = HostGate(settings.per_host, (host_of(url) for url, _ in items))
    elif not gate.shared:
        raise ValueError("a sweep over worker processes needs a shared HostGate")
    running: dict[Any, tuple[Any, dict[str, list[str | None]]]] = {}
    try:
        for shard in shards:
            receiver, sender = context.Pipe(duplex=True)
            process = context.Process(
                target=_worker,
                args=(sender, settings, online, clock, gate, initializer),
                name="verify-refs-sweep",
                daemon=True,
            )
            process.start()
            sender.close()
            running[receiver] = (process, dict(shard))
        for receiver, (_process, left) in running.items():
            with contextlib.suppress(OSError):  # a worker dead already: _collect says so
                receiver.send(list(left.items()))
        _collect(running, emit, stop, clock, on_death)
    finally:
        for receiver, (process, _) in running.items():
            if process.is_alive():
                process.terminate()
            process.join()
            receiver.close()
        _stop_server()


def _collect(
    running: dict[Any, tuple[Any, dict[str, list[str | None]]]],
    emit: Emit,
    stop: threading.Event,
    clock: Clock,
    on_death: Callable[[str], None] | None,
) -> None:
    open_ = dict(running)
    while open_ and not stop.is_set():
        for receiver in multiprocessing.connection.wait(list(open_), timeout=STOP_POLL):
            process, left = open_[receiver]
            try:
                batch = receiver.recv()
            except (EOFError, OSError):
                batch = False
            if batch is None:  # finished
                del open_[receiver]
            elif batch is False:  # the pipe ended without "finished": the worker died
                del open_[receiver]
                process.join(timeout=5)
                why = f"the process checking it died (exit code {process.exitcode})"
                if on_death is not None:
                    on_death(f"a sweep process died (exit code {process.exitcode}): "
                             f"{len(left)} URLs not checked, reported as error")
                for url, titles in left.items():
                    emit(url, died(url, titles, why, clock))
                left.clear()
            else:
                for url, results in batch:
                    left.pop(url, None)
                    emit(url, results)


def items_of(by_url: Iterable[tuple[str, Sequence[str | None]]]) -> list[Item]:
    return [(url, list(titles)) for url, titles in by_url]
