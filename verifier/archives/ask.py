"""Asking an archive politely: paced requests, backing off on 429/503, failures named.

Every archive request goes through the project's ``Transport`` (deadline, body cap,
address policy). The archives ask clients to keep to their limits (the Wayback CDX API
about 24 requests a minute); ``Pacer`` spaces requests out across threads and a
``RetryPolicy`` (``fetch.retry.ARCHIVE_RETRY`` by default) retries a 429 or 503 after a
growing pause, honouring ``Retry-After`` up to a cap. What cannot be answered raises
``ArchiveUnavailable``: the checker reports it as ``error``, never as ``missing``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..fetch.retry import RetryPolicy, Sleep
from ..fetch.transport import FetchError, HttpResponse, Transport


class ArchiveUnavailable(Exception):
    """The archive gave no usable answer: unreachable, too slow, 5xx, rate-limited."""


def json_object(body: bytes, what: str) -> dict[str, Any]:
    """An archive's answer that must be a JSON object; ``ArchiveUnavailable`` otherwise."""
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        raise ArchiveUnavailable(f"{what}: answer is not JSON") from None
    if not isinstance(data, dict):
        raise ArchiveUnavailable(f"{what}: answer is not a JSON object")
    return data


class Pacer:
    """At most one request start per ``interval`` seconds, shared by all threads."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = time.sleep,
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
    backoff: RetryPolicy,
    pacer: Pacer | None = None,
    headers: Mapping[str, str] | None = None,
    data: bytes | str | None = None,
    max_body: int | None = None,
    sleep: Sleep = time.sleep,
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
            # ARCHIVE_RETRY retries no timeout or refused connection: the run has a
            # deadline to keep.
            if isinstance(exc, backoff.retry_errors) and attempt < backoff.attempts:
                sleep(backoff.pause(attempt))
                continue
            raise ArchiveUnavailable(f"{what}: {type(exc).__name__}: {exc}") from exc
        if ok(response):
            return response
        reason = f"{what}: HTTP {response.status} {response.reason}".rstrip()
        if not backoff.retries(response.status) or attempt >= backoff.attempts:
            break
        sleep(backoff.wait_for(response, attempt))
    raise ArchiveUnavailable(reason)
