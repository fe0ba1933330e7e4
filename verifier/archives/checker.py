"""The archive check of one reference: what the archives hold, what to cite, is the cited copy real.

For each URL: the Wayback's captures (the availability API first, batched for the whole
article, so URLs never captured cost no CDX request; then the CDX API, paced) and each
Memento archive's TimeMap. The captures are ranked (``select.rank``); the best is fetched
raw and verified (``verify``); one that fails verification (an archived soft-404, another
page) gives way to the next. A lookup that fails is ``error``, never ``missing``.

Answers are kept per run in memory (several references cite one URL) and, when definite,
in the ``ArchiveCache`` between runs.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from ..archive_urls import WAYBACK, ArchiveURL, parse_archive_url
from ..fetch.retry import ARCHIVE_RETRY, RetryPolicy
from ..fetch.transport import Transport
from ..model import ArchiveResult, ArchiveStatus, CitedArchive, Reference
from .ask import ArchiveUnavailable
from .availability import AvailabilityClient, Query
from .cache import ArchiveCache
from .cdx import CDX_INTERVAL, CdxClient
from .memento import MementoClient, raw_memento_url
from .save import SAVE_INTERVAL, SaveClient
from .select import Capture, Ranked, anchors_of, cited_capture_found, rank
from .verify import Seen, Verification, judge, observe_snapshot
from .wayback import CDXSnapshot

FOUND_MAX_AGE = timedelta(days=7)  # captures are permanent; new ones rarely change the choice
ABSENT_MAX_AGE = timedelta(hours=20)  # "none yet" is asked again on the next nightly run
SEEN_MAX_AGE = timedelta(days=365)  # a snapshot never changes
MAX_VERIFY = 3  # snapshots fetched per reference before giving up on the captures
ERROR_SAMPLE = 25  # newest captures looked at when none is an archived 200

T = TypeVar("T")


def not_checked(detail: str = "archive checks were turned off") -> ArchiveResult:
    """The result when archive checks are off."""
    return ArchiveResult(ArchiveStatus.NOT_CHECKED, detail=detail)


@dataclass(frozen=True)
class _Lookup:
    """What one archive holds for one URL; ``failure`` when it could not be asked."""

    archive: str
    captures: tuple[Capture, ...] = ()
    failure: str | None = None


class ArchiveChecker:
    """Checks references against the Wayback Machine and Memento archives.

    ``retry``: how 429/503 answers are retried (None: ``ARCHIVE_RETRY``).
    ``cdx_interval``: seconds between CDX requests (tests pass 0). ``sleep``: how pauses
    are taken (tests pass a recorder). ``save_keys``: ``ACCESS:SECRET`` for Save Page Now.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        wayback_url: str,
        memento_archives: Sequence[str] = (),
        cache: ArchiveCache | None = None,
        retry: RetryPolicy | None = None,
        now: Callable[[], datetime],
        cdx_interval: float = CDX_INTERVAL,
        save_keys: str | None = None,
        save_interval: float = SAVE_INTERVAL,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        backoff = retry or ARCHIVE_RETRY
        self.transport = transport
        self.base = wayback_url.rstrip("/")
        self.cache = cache
        self.now = now
        self._cdx = CdxClient(transport, self.base, interval=cdx_interval, backoff=backoff,
                              sleep=sleep)
        self._availability = AvailabilityClient(transport, self.base, backoff=backoff,
                                                sleep=sleep)
        self._mementos = [MementoClient(transport, m, backoff=backoff, sleep=sleep)
                          for m in memento_archives]
        self._saver = SaveClient(transport, self.base, keys=save_keys, interval=save_interval,
                                 backoff=backoff, sleep=sleep)
        self._prefetched: dict[str, bool] = {}  # URL -> the Wayback holds any capture
        self._memo: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self.last_save_error: str | None = None

    # -- public ---------------------------------------------------------------------------
    def prefetch(self, refs: Sequence[Reference]) -> None:
        """Ask the availability API about every URL at once (batched POSTs)."""
        urls = list(dict.fromkeys(r.url for r in refs if r.url))
        urls = [u for u in urls if self._cache_get(self._wayback_key(u), FOUND_MAX_AGE) is None]
        if not urls:
            return
        try:
            answers = self._availability.closest_many([Query(u) for u in urls])
        except ArchiveUnavailable:
            return  # each check asks on its own, and reports the failure there
        with self._lock:
            for url, answer in zip(urls, answers, strict=True):
                self._prefetched[url] = answer is not None

    def check(self, ref: Reference) -> ArchiveResult:
        """What the archives hold for ``ref.url``, the snapshot to cite, the cited copy."""
        assert ref.url, "the orchestrator checks only references with a URL"
        lookups = [self._wayback(ref.url), *(self._memento(m, ref.url) for m in self._mementos)]
        captures = [c for lookup in lookups for c in lookup.captures]
        failures = [f"{lu.archive}: {lu.failure}" for lu in lookups if lu.failure]
        ranked = rank(captures, anchors_of(ref))
        chosen: tuple[Ranked, Verification] | None = None
        rejected: list[tuple[Ranked, Verification]] = []
        unverifiable: tuple[Ranked, str] | None = None
        for candidate in ranked[:MAX_VERIFY]:
            try:
                verdict = self._verified(candidate.capture, ref.title)
            except ArchiveUnavailable as exc:
                unverifiable = (candidate, str(exc))
                break
            if verdict.ok:
                chosen = (candidate, verdict)
                break
            rejected.append((candidate, verdict))
        rejected_urls = frozenset(r.capture.raw_url for r, _ in rejected)
        cited = self._cited(ref, captures, rejected_urls, failed=bool(failures))
        return _result(captures, chosen, rejected, unverifiable, failures, len(ranked), cited)

    def save(self, url: str) -> ArchiveResult | None:
        """Capture ``url`` with Save Page Now; None when the archive would not (see
        ``last_save_error``)."""
        try:
            saved = self._saver.save(url)
        except ArchiveUnavailable as exc:
            self.last_save_error = str(exc)
            return None
        # The next run must see the new capture: drop what the cache said about the URL.
        self._forget(url)
        return ArchiveResult(
            ArchiveStatus.ARCHIVED,
            snapshot_url=saved.snapshot_url,
            snapshot_timestamp=saved.timestamp,
            snapshot_http_status=200,
            archive=WAYBACK,
            chosen_by="saved now",
            detail="captured now by Save Page Now",
        )

    # -- lookups --------------------------------------------------------------------------
    def _wayback_key(self, url: str) -> str:
        return f"wayback:{self.base}:{url}"

    def _wayback(self, url: str) -> _Lookup:
        key = self._wayback_key(url)
        return self._once(key, lambda: self._wayback_uncached(url, key))

    def _wayback_uncached(self, url: str, key: str) -> _Lookup:
        cached = self._cache_get(key, FOUND_MAX_AGE)
        if cached is not None:
            return _Lookup(WAYBACK, self._from_rows(cached))
        try:
            rows = self._wayback_rows(url)
        except ArchiveUnavailable as exc:
            return _Lookup(WAYBACK, failure=str(exc))
        self._cache_put(key, rows)
        return _Lookup(WAYBACK, self._from_rows(rows))

    def _wayback_rows(self, url: str) -> list[list[Any]]:
        with self._lock:
            held = self._prefetched.get(url)
        if held is None:
            held = self._availability.closest(Query(url)) is not None
        if not held:
            return []
        # The archived 200s, one a day (a much-captured page has thousands); only when there
        # is none, the newest captures of any status, to tell archived-error from missing.
        found = self._cdx.query(url, filters=["statuscode:200"], collapses=["timestamp:8"])
        if not found:
            found = self._cdx.query(url, limit=-ERROR_SAMPLE)
        return [_row(s) for s in found]

    def _from_rows(self, rows: list[list[Any]]) -> tuple[Capture, ...]:
        return tuple(
            Capture(
                archive=WAYBACK,
                timestamp=ts,
                original=original,
                status=status,
                replay_url=f"{self.base}/web/{ts}/{original}",
                raw_url=f"{self.base}/web/{ts}id_/{original}",
                mimetype=mimetype,
            )
            for ts, original, status, mimetype in rows
        )

    def _memento(self, client: MementoClient, url: str) -> _Lookup:
        key = f"memento:{client.base}:{url}"
        return self._once(key, lambda: self._memento_uncached(client, url, key))

    def _memento_uncached(self, client: MementoClient, url: str, key: str) -> _Lookup:
        cached = self._cache_get(key, FOUND_MAX_AGE)
        if cached is None:
            try:
                found = client.captures(url)
            except ArchiveUnavailable as exc:
                return _Lookup(client.name, failure=str(exc))
            cached = [[c.timestamp, c.replay_url] for c in found]
            self._cache_put(key, cached)
        captures = tuple(
            Capture(client.name, ts, url, None, replay, raw_memento_url(replay))
            for ts, replay in cached
        )
        return _Lookup(client.name, captures)

    def _verified(self, capture: Capture, title: str | None) -> Verification:
        # What the snapshot shows is fetched once (per run, and cached between runs) whatever
        # title cites it; the judgement is pure and cheap, so it is made on every check.
        return judge(self._seen(capture.raw_url), title)

    def _seen(self, raw_url: str) -> Seen:
        key = f"snapshot:{raw_url}"

        def observe() -> Seen:
            cached = self._cache_get(key, SEEN_MAX_AGE)
            if isinstance(cached, dict):
                try:
                    return Seen(**cached)
                except TypeError:
                    pass  # an entry of another shape is fetched again
            seen = observe_snapshot(self.transport, raw_url)
            self._cache_put(key, asdict(seen))
            return seen

        return self._once(key, observe)

    def _exact_capture(self, url: str, timestamp: str) -> bool:
        """Whether the Wayback holds an archived 200 at exactly ``timestamp``."""
        key = f"wayback-exact:{self.base}:{url}:{timestamp}"

        def ask() -> bool:
            cached = self._cache_get(key, FOUND_MAX_AGE)
            if cached is not None:
                return bool(cached)
            found = self._cdx.query(url, filters=["statuscode:200"], from_=timestamp,
                                    to=timestamp, limit=1)
            self._cache_put(key, bool(found))
            return bool(found)

        return self._once(key, ask)

    # -- the cited archive ----------------------------------------------------------------
    def _cited(
        self, ref: Reference, captures: list[Capture], rejected: frozenset[str], *, failed: bool
    ) -> tuple[CitedArchive, str]:
        if not ref.archive_url and not ref.archive_date:
            return CitedArchive.NONE_CITED, ""
        cited = parse_archive_url(ref.archive_url)
        if ref.archive_url and cited is None:
            return CitedArchive.NOT_FOUND, "the cited archive-url is not a known archive's link"
        found = cited_capture_found(
            captures, archive_date=ref.archive_date, cited=cited, rejected=rejected
        )
        if not found and _worth_exact_check(cited, captures) and ref.url:
            # The index keeps one archived 200 a day; the cited one may be another that day.
            assert cited is not None and cited.timestamp is not None
            try:
                exact = self._exact_capture(cited.original or ref.url, cited.timestamp)
            except ArchiveUnavailable as exc:
                return CitedArchive.NOT_FOUND, f"cited snapshot not confirmed: {exc}"
            day_ok = not ref.archive_date or cited.timestamp.startswith(
                ref.archive_date.replace("-", "")
            )
            found = exact and day_ok
        if found:
            return CitedArchive.CONFIRMED, ""
        if failed:
            return CitedArchive.NOT_FOUND, "cited snapshot not confirmed: an archive failed"
        return CitedArchive.NOT_FOUND, "no usable capture at the cited archive date/timestamp"

    # -- plumbing -------------------------------------------------------------------------
    def _once(self, key: str, compute: Callable[[], T]) -> T:
        """``compute`` once per key per run, even when threads ask at the same time. What it
        returns is kept (a failed lookup too: the run reports it once per URL); what it
        raises is not."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._memo:
                    return self._memo[key]
            value = compute()  # may raise: nothing is remembered then
            with self._lock:
                self._memo[key] = value
            return value

    def _forget(self, url: str) -> None:
        key = self._wayback_key(url)
        with self._lock:
            self._memo.pop(key, None)
            self._prefetched.pop(url, None)
        self._cache_put(key, None)  # a null entry reads as "not cached": asked again

    def _cache_get(self, key: str, max_age: timedelta) -> Any | None:
        """The cached answer, None when there is none; "nothing archived" ages faster."""
        if self.cache is None:
            return None
        value = self.cache.archive_cache_get(key, max_age=max_age, now=self.now())
        if value is None:
            return None
        try:
            answer = json.loads(value)
        except ValueError:
            return None  # a damaged entry is asked again
        if answer == [] and max_age > ABSENT_MAX_AGE:
            return self._cache_get(key, ABSENT_MAX_AGE)
        return answer

    def _cache_put(self, key: str, value: Any) -> None:
        if self.cache is not None:
            self.cache.archive_cache_put(key, json.dumps(value), now=self.now())


def _row(s: CDXSnapshot) -> list[Any]:
    # "-" is the status of a revisit record: not a capture of a page by itself.
    status = int(s.statuscode) if s.statuscode.isdigit() else 0
    return [s.timestamp, s.original, status, s.mimetype or None]


def _worth_exact_check(cited: ArchiveURL | None, captures: list[Capture]) -> bool:
    if cited is None or cited.archive != WAYBACK or not cited.timestamp:
        return False
    if len(cited.timestamp) != 14:
        return False
    day = cited.timestamp[:8]
    return any(
        c.archive == WAYBACK and c.status == 200 and c.timestamp.startswith(day) for c in captures
    )


def _result(
    captures: list[Capture],
    chosen: tuple[Ranked, Verification] | None,
    rejected: list[tuple[Ranked, Verification]],
    unverifiable: tuple[Ranked, str] | None,
    failures: list[str],
    candidates: int,
    cited: tuple[CitedArchive, str],
) -> ArchiveResult:
    cited_archive, cited_note = cited
    notes = [n for n in (cited_note, *failures) if n]

    def detail(first: str) -> str:
        return "; ".join([first, *notes])

    if chosen is not None:
        ranked, verdict = chosen
        return _snapshot_result(ArchiveStatus.ARCHIVED, ranked.capture, 200, cited_archive,
                                ranked.chosen_by, detail(verdict.reason))
    if unverifiable is not None:
        ranked, reason = unverifiable
        return _snapshot_result(ArchiveStatus.ERROR, ranked.capture, ranked.capture.status,
                                cited_archive, ranked.chosen_by,
                                detail(f"snapshot found but could not be verified: {reason}"))
    if failures:
        return ArchiveResult(ArchiveStatus.ERROR, cited_archive=cited_archive,
                             detail="; ".join([*failures, *([cited_note] if cited_note else [])]))
    if rejected:
        ranked, verdict = rejected[0]
        more = candidates - len(rejected)
        tail = f" ({more} more captures not fetched)" if more > 0 else ""
        return _snapshot_result(ArchiveStatus.ARCHIVED_ERROR, ranked.capture, verdict.http_status,
                                cited_archive, ranked.chosen_by,
                                detail(f"{len(rejected)} snapshot(s) unusable: {verdict.reason}"
                                       f"{tail}"))
    if captures:
        newest = max(captures, key=lambda c: c.timestamp)
        statuses = sorted({str(c.status) for c in captures if c.status})
        return _snapshot_result(ArchiveStatus.ARCHIVED_ERROR, newest, newest.status,
                                cited_archive, "newest",
                                detail(f"only captures of HTTP {', '.join(statuses)}"))
    return ArchiveResult(ArchiveStatus.MISSING, cited_archive=cited_archive,
                         detail=detail("no snapshot in the archives"))


def _snapshot_result(
    status: ArchiveStatus,
    capture: Capture,
    http_status: int | None,
    cited_archive: CitedArchive,
    chosen_by: str,
    detail: str,
) -> ArchiveResult:
    return ArchiveResult(
        status,
        snapshot_url=capture.replay_url,
        snapshot_timestamp=capture.timestamp,
        snapshot_http_status=http_status or None,
        cited_archive=cited_archive,
        archive=capture.archive,
        chosen_by=chosen_by,
        detail=detail,
    )
