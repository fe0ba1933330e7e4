"""Is the checker itself online?

When a name does not resolve or a connection gets no answer, that says something about
the link only if the checker can reach the internet at all. A few well-known hosts are
probed once per run (the answer is cached); any HTTP answer from any of them means online.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from .transport import FetchError, Transport

# Hosts that are up when the internet is: large, independent operators.
DEFAULT_PROBES = (
    "https://www.wikipedia.org/",
    "https://www.google.com/generate_204",
    "https://one.one.one.one/",
)
PROBE_TIMEOUT = 5.0


class Connectivity:
    def __init__(
        self,
        transport: Transport | None,
        *,
        probes: Sequence[str] = DEFAULT_PROBES,
        timeout: float = PROBE_TIMEOUT,
    ) -> None:
        self._transport = transport
        self._probes = tuple(probes)
        self._timeout = min(timeout, transport.timeout) if transport else timeout
        self._lock = threading.Lock()
        self._online: bool | None = None
        self._started = False

    @classmethod
    def answered(cls, online: bool) -> Connectivity:
        """One whose answer is already known (asked by the process that started a sweep's
        worker): every shard of a run agrees with the run's one answer."""
        known = cls(None, probes=())
        known._online = online
        return known

    def start(self) -> None:
        """Ask the probes now, in the background: their round trips (a TLS handshake with a
        distant site, ~0.1-0.3 s) then overlap with the rest of the run's start-up.
        ``online`` waits for that answer; the probes are still asked once."""
        with self._lock:
            if self._online is not None or self._started:
                return
            self._started = True
        threading.Thread(target=self.online, name="verify-refs-probe", daemon=True).start()

    def online(self) -> bool:
        """Probe once (other threads wait for that answer), then answer from the cache."""
        with self._lock:
            if self._online is None:
                self._online = self._probe()
            return self._online

    def _probe(self) -> bool:
        for url in self._probes:
            assert self._transport is not None
            try:
                self._transport.request("HEAD", url, timeout=self._timeout, max_body=0)
            except FetchError:
                continue
            return True  # any answer at all, even an error status, came over the internet
        return False
