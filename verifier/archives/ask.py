"""Asking an archive politely: paced requests, backing off on 429/503, failures named.

Every archive request goes through the project's ``Transport`` (deadline, body cap,
address policy). The archives ask clients to keep to their limits (the Wayback CDX API
about 24 requests a minute); ``Pacer`` spaces requests out across threads and
``Backoff`` retries a 429 or 503 after a growing pause, honouring ``Retry-After`` up to a
cap. What cannot be answered raises ``ArchiveUnavailable``: the checker reports it as
``error``, never as ``missing``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..fetch.retry import retry_after
from ..fetch.transport import FetchError, HttpResponse, Transport

RETRY_STATUSES = frozenset({429, 503})


class ArchiveUnavailable(Exception):
    """The archive gave no usable answer: unreachable, too slow, 5xx, rate-limited."""


@dataclass(frozen=True)
class Backoff:
    """How a rate-limited or overloaded archive is retried.

    ``attempts``: tries in all. The pause before try n is ``delay * 2**(n-1)``, or the
    archive's ``Retry-After`` when it gives one, never more than ``max_delay``.
    """

    attempts: int = 3
    delay: float = 10.0
    max_delay: float = 60.0

    def pause(self, attempt: int, asked: str | None, date: str | None = None) -> float:
        """The pause before try ``attempt + 1``. ``asked``: the Retry-After header, seconds
        or an HTTP date (measured against ``date``, the answer's own Date header)."""
        wait = retry_after(asked, date)
        if wait is not None:
            return min(wait, self.max_delay)
        return min(self.delay * 2 ** (attempt - 1), self.max_delay)


class Pacer:
    """At most one request start per ``interval`` seconds, shared by all threads."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:  # reserve a slot, then sleep outside the lock
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)


def ask(
    transport: Transport,
    method: str,
    url: str,
    *,
    what: str,
    backoff: Backoff,
    pacer: Pacer | None = None,
    headers: Mapping[str, str] | None = None,
    data: bytes | str | None = None,
    max_body: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    ok: Callable[[HttpResponse], bool] = lambda r: r.status == 200,
) -> HttpResponse:
    """One answer the caller can use (``ok``), or ``ArchiveUnavailable`` saying why not."""
    reason = ""
    for attempt in range(1, max(1, backoff.attempts) + 1):
        if pacer is not None:
            pacer.wait()
        try:
            response = transport.request(method, url, headers=headers, data=data, max_body=max_body)
        except FetchError as exc:
            # A timeout or refused connection is not retried: the run has a deadline to keep.
            raise ArchiveUnavailable(f"{what}: {type(exc).__name__}: {exc}") from exc
        if ok(response):
            return response
        reason = f"{what}: HTTP {response.status} {response.reason}".rstrip()
        if response.status not in RETRY_STATUSES or attempt >= backoff.attempts:
            break
        sleep(backoff.pause(attempt, response.headers.get("Retry-After"),
                            response.headers.get("Date")))
    raise ArchiveUnavailable(reason)
