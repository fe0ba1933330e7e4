"""At most ``per_host`` requests at a time to one host across a whole run: every client in
it (the threaded ``Transport`` of the archive checks, the sweep's ``AsyncTransport``) and
every worker process it spawns.

Each client keeps its own slots (a semaphore per host), so its own requests wait in order
and without polling; a ``HostGate`` is the count that all of them share, in shared memory.
A request holds its client's slot and then one of the gate's, and gives both back when it
ends. Hosts named when the gate is made (the run's cited hosts) have a count each; any
other (a redirect target, an archive's host that no reference cites) is counted in a
bucket chosen by a stable hash of its name: two such hosts on one bucket only wait for
each other, which errs on the polite side.

The gate is taken only after a client's own slot, so it is contended only when two
clients, or two processes, want the same host at once (a URL on an archive's host while
the archive checks use it; a redirect into another worker's host): then the waiter looks
again every ``POLL`` seconds. No one holds a gate count while waiting for another, so this
cannot deadlock.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from typing import Any

EXTRA_BUCKETS = 4096
# How often a request whose host's count is held by another client or process looks again.
POLL = 0.01


class HostGate:
    """The run's per-host counts. ``shared``: in shared memory, for a run that spawns
    worker processes (the gate goes to them as an argument; picklable only then, like the
    shared array under it); else in this process only, which spares the run a named
    semaphore and the resource tracker process that watches it."""

    def __init__(self, per_host: int, hosts: Iterable[str] = (), *, shared: bool = True) -> None:
        self.per_host = per_host
        self.shared = shared
        self._index = {host: i for i, host in enumerate(dict.fromkeys(hosts))}
        size = len(self._index) + EXTRA_BUCKETS
        self._shared_counts: Any = None
        self._counts: Any
        if shared:
            self._shared_counts = multiprocessing.get_context("spawn").Array("i", size)
            self._bind()
        else:
            self._counts = [0] * size
            self._lock = threading.Lock()

    def _bind(self) -> None:
        # The raw array, indexed under its lock taken once: the synchronized wrapper takes
        # the lock again on every index (three times a request, ~2 % of a worker's CPU).
        self._counts = self._shared_counts.get_obj()
        self._lock = self._shared_counts.get_lock()

    def __getstate__(self) -> dict[str, Any]:
        # What goes to a worker is the shared array (with its lock), as before; the views
        # of it are made again on the other side.
        state = dict(self.__dict__)
        if self.shared:
            del state["_counts"], state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self.shared:
            self._bind()

    def _cell(self, host: str) -> int:
        cell = self._index.get(host)
        if cell is None:
            cell = len(self._index) + zlib.crc32(host.encode("utf-8", "replace")) % EXTRA_BUCKETS
        return cell

    def try_take(self, host: str) -> bool:
        """Take one of ``host``'s counts if one is free."""
        cell = self._cell(host)
        with self._lock:
            if self._counts[cell] < self.per_host:
                self._counts[cell] += 1
                return True
        return False

    def give(self, host: str) -> None:
        cell = self._cell(host)
        with self._lock:
            self._counts[cell] -= 1

    def take(self, host: str, *, given_up: Callable[[], bool] = lambda: False) -> bool:
        """Wait (blocking this thread) for one of ``host``'s counts; False, having taken
        none, once ``given_up()`` says the wait is over (the run is stopping)."""
        while not self.try_take(host):
            if given_up():
                return False
            time.sleep(POLL)
        return True

    async def take_async(self, host: str) -> None:
        """Wait on the running loop for one of ``host``'s counts; cancellable."""
        while not self.try_take(host):
            await asyncio.sleep(POLL)

    def held(self) -> int:
        """How many counts are held in all (0 once every request has ended)."""
        with self._lock:
            return sum(self._counts)
