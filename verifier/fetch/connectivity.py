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
        transport: Transport,
        *,
        probes: Sequence[str] = DEFAULT_PROBES,
        timeout: float = PROBE_TIMEOUT,
    ) -> None:
        self._transport = transport
        self._probes = tuple(probes)
        self._timeout = min(timeout, transport.timeout)
        self._lock = threading.Lock()
        self._online: bool | None = None

    def online(self) -> bool:
        """Probe once (other threads wait for that answer), then answer from the cache."""
        with self._lock:
            if self._online is None:
                self._online = self._probe()
            return self._online

    def _probe(self) -> bool:
        for url in self._probes:
            try:
                self._transport.request("HEAD", url, timeout=self._timeout, max_body=0)
            except FetchError:
                continue
            return True  # any answer at all, even an error status, came over the internet
        return False
