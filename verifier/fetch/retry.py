"""Retrying a request politely: after ``Retry-After`` for 429/503, with backoff for other
server errors and timeouts, a bounded number of times.

A site that is busy for a moment must not be reported as broken, and a site that asks us
to wait must be waited for, not hammered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from .transport import ConnectionReset, ConnectTimeout, DeadlineExceeded, HttpResponse

# Statuses whose Retry-After says when to come back.
WAIT_STATUSES = frozenset({429, 503})
# Other server errors that are often momentary.
RETRY_STATUSES = frozenset({500, 502, 504})
# Failures worth another try: the server exists but was slow or dropped us.
RETRY_ERRORS = (DeadlineExceeded, ConnectTimeout, ConnectionReset)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # requests in all, the first included
    backoff: float = 1.0  # first wait in seconds, doubled each time
    max_wait: float = 30.0  # the longest one wait may be, whatever Retry-After says
    sleep: Callable[[float], None] = time.sleep

    def run(self, send: Callable[[], HttpResponse]) -> HttpResponse:
        """Call ``send`` until it gives an answer worth keeping, or attempts run out.
        Returns the last response; re-raises the last error."""
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                resp = send()
            except RETRY_ERRORS:
                if last:
                    raise
                self.sleep(self._backoff(attempt))
                continue
            if last or resp.status not in WAIT_STATUSES | RETRY_STATUSES:
                return resp
            self.sleep(self.wait_for(resp, attempt))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _backoff(self, attempt: int) -> float:
        return min(self.max_wait, self.backoff * 2 ** (attempt - 1))

    def wait_for(self, resp: HttpResponse, attempt: int) -> float:
        """Seconds to wait before retrying ``resp``: its Retry-After, capped, else backoff."""
        if resp.status in WAIT_STATUSES:
            asked = retry_after(resp.headers.get("Retry-After"), resp.headers.get("Date"))
            if asked is not None:
                return min(self.max_wait, asked)
        return self._backoff(attempt)


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
