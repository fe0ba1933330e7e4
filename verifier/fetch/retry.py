"""Retrying a request politely: after ``Retry-After`` for 429/503, with backoff for other
server errors and timeouts, a bounded number of times; the live checks and the archives
each have their named policy.

A site that is busy for a moment must not be reported as broken, and a site that asks us
to wait must be waited for, not hammered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from .transport import (
    ConnectionReset,
    ConnectTimeout,
    DeadlineExceeded,
    FetchError,
    HttpResponse,
)

# How a pause is taken: time.sleep, or a stop event's wait (which ends it early on a stop).
Sleep = Callable[[float], object]

# Statuses whose Retry-After says when to come back.
WAIT_STATUSES = frozenset({429, 503})
# Other server errors that are often momentary.
RETRY_STATUSES = frozenset({500, 502, 504})
# Failures worth another try: the server exists but was slow or dropped us.
RETRY_ERRORS: tuple[type[FetchError], ...] = (DeadlineExceeded, ConnectTimeout, ConnectionReset)


@dataclass
class Budget:
    """The seconds one check of a URL may still take (``--timeout``: the whole check, retries
    included). Requests are charged from when their host's slot is held, waits as long as
    they were asked to be: queueing behind other requests to a host is politeness, and does
    not eat a check's time. Used by one check, on one thread."""

    seconds: float

    def fits(self, wait: float) -> bool:
        """Whether something could still be done after waiting ``wait`` seconds."""
        return wait < self.seconds

    def spend(self, seconds: float) -> None:
        self.seconds -= max(0.0, seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """How a request is retried: the one type for the live checks (``LIVE_RETRY``) and the
    archives (``ARCHIVE_RETRY``).

    ``attempts``: requests in all, the first included. The pause before try n + 1 is the
    answer's ``Retry-After`` for a ``wait_statuses`` answer that gives one, else
    ``backoff * 2**(n-1)``; never more than ``max_wait``. ``retry_statuses`` are retried
    after the backoff alone, ``retry_errors`` (transport failures) too.
    """

    attempts: int = 3
    backoff: float = 1.0  # first wait in seconds, doubled each time
    max_wait: float = 30.0  # the longest one wait may be, whatever Retry-After says
    wait_statuses: frozenset[int] = WAIT_STATUSES
    retry_statuses: frozenset[int] = RETRY_STATUSES
    retry_errors: tuple[type[FetchError], ...] = RETRY_ERRORS
    sleep: Sleep = time.sleep

    def run(
        self, send: Callable[[], HttpResponse], *, budget: Budget | None = None
    ) -> HttpResponse:
        """Call ``send`` until it gives an answer worth keeping, or attempts run out.
        Returns the last response; re-raises the last error.

        ``budget``: the time one check may still take; a wait that does not fit in it is not
        waited (the last answer or error stands), and a wait that does is charged to it."""
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                resp = send()
            except self.retry_errors:
                wait = self.pause(attempt)
                if last or (budget is not None and not budget.fits(wait)):
                    raise
                self._wait(wait, budget)
                continue
            if last or not self.retries(resp.status):
                return resp
            wait = self.wait_for(resp, attempt)
            if budget is not None and not budget.fits(wait):
                return resp
            self._wait(wait, budget)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait(self, seconds: float, budget: Budget | None) -> None:
        self.sleep(seconds)
        if budget is not None:
            budget.spend(seconds)

    def retries(self, status: int) -> bool:
        """Is an answer with this status worth asking again?"""
        return status in self.wait_statuses or status in self.retry_statuses

    def pause(self, attempt: int) -> float:
        """Seconds to wait after failed try ``attempt`` when no Retry-After says otherwise."""
        return min(self.max_wait, self.backoff * 2 ** (attempt - 1))

    def wait_for(self, resp: HttpResponse, attempt: int) -> float:
        """Seconds to wait before retrying ``resp``: its Retry-After, capped, else backoff."""
        if resp.status in self.wait_statuses:
            asked = retry_after(resp.headers.get("Retry-After"), resp.headers.get("Date"))
            if asked is not None:
                return min(self.max_wait, asked)
        return self.pause(attempt)


# A cited site: a moment's 5xx or a timeout is asked again soon, within the check's deadline.
LIVE_RETRY = RetryPolicy()
# An archive: only its "busy" answers (429/503) are retried, after long pauses (the
# archives ask clients to back off); a timeout or refused connection is not retried: the
# run has a deadline to keep.
ARCHIVE_RETRY = RetryPolicy(
    backoff=10.0, max_wait=60.0, retry_statuses=frozenset(), retry_errors=()
)


def retry_after(value: str | None, date: str | None = None) -> float | None:
    """Seconds from a Retry-After header: a number, or an HTTP date measured against the
    response's own Date header (the server's clock, not ours)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
        sent = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError, IndexError):
        return None
    if sent is None or when.tzinfo is None or sent.tzinfo is None:
        return None
    return max(0.0, (when - sent).total_seconds())
