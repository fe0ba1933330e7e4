"""What each archive holds for a URL: the Wayback Machine's captures, a Memento archive's.

The Wayback: the availability API first, batched for the whole article (``prefetch``);
then the CDX API, paced, for every URL — the availability API answers
``{"archived_snapshots": {}}`` for URLs it holds (given with ``https://``, and now and
then for no reason), and nothing at all when the only captures are of errors or
redirects, so its silence is never taken as "not archived". The CDX API lists the
archived 200s, one a day; only when there is none, the newest captures of any status,
to tell "archived-error" from "missing". The availability API's capture joins the CDX
rows, and stands alone when the CDX API fails. An excluded site (the CDX API's 403
"Blocked Site Error") is a definite answer: the archive will not hold it.

Answers are kept per run (``RunMemo``) and, when definite, between runs (``ArchiveStore``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ..archive_urls import WAYBACK, raw_replay_url, wayback_replay_url
from ..fetch.retry import RetryPolicy, Sleep
from ..fetch.transport import Transport
from .ask import ArchiveUnavailable
from .availability import AvailabilityClient, Closest, Query
from .cdx import CDX_INTERVAL, CdxClient
from .memento import MementoClient
from .memo import RunMemo
from .select import Capture
from .store import ArchiveStore, Holding, Row
from .wayback import CDXSnapshot

ERROR_SAMPLE = 25  # newest captures looked at when none is an archived 200


@dataclass(frozen=True)
class Lookup:
    """What one archive holds for one URL.

    ``failure``: it could not be asked (then nothing is known). ``excluded``: it refuses
    to hold the site. ``skipped``: index rows that could not be read. ``note``: how the
    answer falls short of a full one.
    """

    archive: str
    captures: tuple[Capture, ...] = ()
    failure: str | None = None
    excluded: str | None = None
    skipped: int = 0
    note: str = ""


class WaybackHoldings:
    def __init__(
        self,
        transport: Transport,
        base: str,
        *,
        store: ArchiveStore,
        memo: RunMemo,
        backoff: RetryPolicy,
        cdx_interval: float = CDX_INTERVAL,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.base = base.rstrip("/")
        self.store = store
        self.memo = memo
        self.key = f"{WAYBACK}:{self.base}"
        self._availability = AvailabilityClient(transport, self.base, backoff=backoff,
                                                sleep=sleep)
        self._cdx = CdxClient(transport, self.base, interval=cdx_interval, backoff=backoff,
                              sleep=sleep)
        self._closest: dict[str, Closest | None] = {}
        self._lock = threading.Lock()

    def prefetch(self, urls: Sequence[str]) -> None:
        """Ask the availability API about every URL not answered from the store at once."""
        urls = [u for u in dict.fromkeys(urls) if self.store.holding(self.key, u) is None]
        if not urls:
            return
        try:
            answers = self._availability.closest_many([Query(u) for u in urls])
        except ArchiveUnavailable:
            return  # the CDX API is asked about each URL anyway
        with self._lock:
            self._closest.update(zip(urls, answers, strict=True))

    def lookup(self, url: str) -> Lookup:
        return self.memo.once(f"{self.key}:{url}", lambda: self._uncached(url))

    def forget(self, url: str) -> None:
        """The archive holds something new for ``url`` (a capture was just made)."""
        self.memo.forget(f"{self.key}:{url}")
        with self._lock:
            self._closest.pop(url, None)
        self.store.forget_holding(self.key, url)

    def captures(self, held: Holding) -> tuple[Capture, ...]:
        return tuple(
            Capture(WAYBACK, r.timestamp, r.original, r.status,
                    replay_url=wayback_replay_url(self.base, r.timestamp, r.original),
                    raw_url=wayback_replay_url(self.base, r.timestamp, r.original, raw=True),
                    mimetype=r.mimetype)
            for r in held.rows
        )

    def _uncached(self, url: str) -> Lookup:
        held = self.store.holding(self.key, url)
        if held is None:
            with self._lock:
                closest = self._closest.get(url)
            try:
                held = self._ask(url, closest)
            except ArchiveUnavailable as exc:
                if closest is not None and closest.status == 200:
                    alone = Holding((Row(closest.timestamp, url, 200),))
                    return Lookup(WAYBACK, self.captures(alone),
                                  note=f"{exc}: only the availability API's capture is known")
                return Lookup(WAYBACK, failure=str(exc))
            self.store.put_holding(self.key, url, held)
        return Lookup(WAYBACK, self.captures(held), excluded=held.excluded,
                      skipped=held.skipped)

    def _ask(self, url: str, closest: Closest | None) -> Holding:
        answer = self._cdx.query(url, filters=["statuscode:200"], collapses=["timestamp:8"])
        skipped = answer.skipped
        if not answer.records and answer.excluded is None:
            answer = self._cdx.query(url, limit=-ERROR_SAMPLE)
            skipped += answer.skipped
        if answer.excluded is not None:
            return Holding(excluded=answer.excluded)
        rows = [_row(r) for r in answer.records]
        if closest is not None and closest.timestamp not in {r.timestamp for r in rows}:
            rows.append(Row(closest.timestamp, url, closest.status))
        return Holding(tuple(rows), skipped)


class MementoHoldings:
    def __init__(self, client: MementoClient, *, store: ArchiveStore, memo: RunMemo) -> None:
        self.client = client
        self.store = store
        self.memo = memo
        self.key = f"memento:{client.base}"

    def lookup(self, url: str) -> Lookup:
        return self.memo.once(f"{self.key}:{url}", lambda: self._uncached(url))

    def _uncached(self, url: str) -> Lookup:
        name = self.client.name
        held = self.store.holding(self.key, url)
        if held is None:
            try:
                found = self.client.captures(url)
            except ArchiveUnavailable as exc:
                return Lookup(name, failure=str(exc))
            held = Holding(tuple(Row(c.timestamp, url, None, replay=c.replay_url)
                                 for c in found))
            self.store.put_holding(self.key, url, held)
        captures = tuple(Capture(name, r.timestamp, r.original, None, r.replay or "",
                                 raw_replay_url(r.replay or "")) for r in held.rows if r.replay)
        return Lookup(name, captures)


def _row(record: CDXSnapshot) -> Row:
    status = int(record.statuscode) if record.statuscode.isdigit() else None
    return Row(record.timestamp, record.original, status, record.mimetype or None)

