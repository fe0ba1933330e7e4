"""The archive check of one reference: what the archives hold, what to cite, is the cited copy real.

For each URL: what the Wayback Machine and each Memento archive hold (``holdings``). The
captures are ranked (``select.rank``); the best is fetched raw and verified (``verify``);
one that fails verification (an archived soft-404, another page) gives way to the next.
A lookup that fails is ``error``, never ``missing``; a site the archive excludes is
``missing``, saying so. What a snapshot showed is kept per run (``RunMemo``) and between
runs (``ArchiveStore``), so one fetch serves every title that cites it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime

from ..archive_urls import WAYBACK, ArchiveURL, parse_archive_url, wayback_replay_url
from ..fetch.retry import ARCHIVE_RETRY, RetryPolicy, Sleep
from ..fetch.transport import Transport
from ..model import ArchiveResult, ArchiveStatus, CitedArchive, Reference
from .ask import ArchiveUnavailable
from .cache import ArchiveCache
from .cdx import CDX_INTERVAL
from .holdings import Lookup, MementoHoldings, WaybackHoldings
from .memento import MementoClient
from .memo import RunMemo
from .save import SAVE_INTERVAL, Refused, SaveClient, Saved
from .select import Capture, Ranked, anchors_of, cited_capture_found, rank
from .store import ArchiveStore
from .verify import Seen, Verification, judge, observe_snapshot

MAX_VERIFY = 3  # snapshots fetched per reference before giving up on the captures


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
        sleep: Sleep = time.sleep,
    ) -> None:
        backoff = retry or ARCHIVE_RETRY
        self.transport = transport
        self.base = wayback_url.rstrip("/")
        self.store = ArchiveStore(cache, now)
        self.memo = RunMemo()
        self._wayback = WaybackHoldings(transport, self.base, store=self.store, memo=self.memo,
                                        backoff=backoff, cdx_interval=cdx_interval, sleep=sleep)
        self._mementos = [
            MementoHoldings(MementoClient(transport, m, backoff=backoff, sleep=sleep),
                            store=self.store, memo=self.memo)
            for m in memento_archives
        ]
        self._saver = SaveClient(transport, self.base, keys=save_keys, interval=save_interval,
                                 backoff=backoff, sleep=sleep)

    # -- public ---------------------------------------------------------------------------
    def prefetch(self, refs: Sequence[Reference]) -> None:
        """Ask the availability API about every URL at once (batched POSTs)."""
        self._wayback.prefetch([r.url for r in refs if r.url])

    def check(self, ref: Reference) -> ArchiveResult:
        """What the archives hold for ``ref.url``, the snapshot to cite, the cited copy."""
        assert ref.url, "the orchestrator checks only references with a URL"
        lookups = [self._wayback.lookup(ref.url), *(m.lookup(ref.url) for m in self._mementos)]
        captures = [c for lookup in lookups for c in lookup.captures]
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
        failed = any(lu.failure for lu in lookups)
        cited = self._cited(ref, captures, rejected_urls, failed=failed)
        return _result(lookups, captures, chosen, rejected, unverifiable, len(ranked), cited)

    def save(self, url: str) -> Saved | Refused:
        """Capture ``url`` with Save Page Now: what happened."""
        outcome = self._saver.save(url)
        if isinstance(outcome, Saved):
            # The next run must see the new capture: drop what was known about the URL.
            self._wayback.forget(url)
        return outcome

    # -- snapshots ------------------------------------------------------------------------
    def _verified(self, capture: Capture, title: str | None) -> Verification:
        # What the snapshot shows is fetched once (per run, and cached between runs) whatever
        # title cites it; the judgement is pure and cheap, so it is made on every check.
        return judge(self._seen(capture.raw_url, strict=capture.archive == WAYBACK), title)

    def _seen(self, raw_url: str, *, strict: bool) -> Seen:
        def observe() -> Seen:
            seen = self.store.seen(raw_url)
            if seen is None:
                seen = observe_snapshot(self.transport, raw_url, strict=strict)
                self.store.put_seen(raw_url, seen)
            return seen

        return self.memo.once(f"snapshot:{raw_url}", observe)

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
        if not found and _worth_replaying(cited, captures) and ref.url:
            # The index keeps one archived 200 a day; the cited one may be another that day,
            # or a timestamp the archive moves to its capture nearby: replay it and see.
            assert cited is not None and cited.timestamp is not None
            raw = wayback_replay_url(self.base, cited.timestamp, cited.original or ref.url,
                                     raw=True)
            try:
                seen = self._seen(raw, strict=True)
            except ArchiveUnavailable as exc:
                return CitedArchive.NOT_FOUND, f"cited snapshot not confirmed: {exc}"
            day = cited.timestamp[:8]
            same_day = (seen.timestamp or "").startswith(day)
            day_ok = not ref.archive_date or day.startswith(ref.archive_date.replace("-", ""))
            found = same_day and day_ok and judge(seen, ref.title).ok
        if found:
            return CitedArchive.CONFIRMED, ""
        if failed:
            return CitedArchive.NOT_FOUND, "cited snapshot not confirmed: an archive failed"
        return CitedArchive.NOT_FOUND, "no usable capture at the cited archive date/timestamp"


def _worth_replaying(cited: ArchiveURL | None, captures: list[Capture]) -> bool:
    if cited is None or cited.archive != WAYBACK or not cited.timestamp:
        return False
    if len(cited.timestamp) != 14:
        return False
    day = cited.timestamp[:8]
    return any(
        c.archive == WAYBACK and c.status == 200 and c.timestamp.startswith(day) for c in captures
    )


def _result(
    lookups: list[Lookup],
    captures: list[Capture],
    chosen: tuple[Ranked, Verification] | None,
    rejected: list[tuple[Ranked, Verification]],
    unverifiable: tuple[Ranked, str] | None,
    candidates: int,
    cited: tuple[CitedArchive, str],
) -> ArchiveResult:
    cited_archive, cited_note = cited
    failures = [f"{lu.archive}: {lu.failure}" for lu in lookups if lu.failure]
    shortfalls = [f"{lu.archive}: {lu.note}" for lu in lookups if lu.note] + [
        f"{lu.archive}: {lu.skipped} unreadable index row(s) skipped"
        for lu in lookups if lu.skipped
    ]
    notes = [n for n in (cited_note, *failures, *shortfalls) if n]

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
                             detail="; ".join([*failures, *([cited_note] if cited_note else []),
                                               *shortfalls]))
    usable_rejects = [(r, v) for r, v in rejected if not v.excluded]
    if usable_rejects:
        ranked, verdict = usable_rejects[0]
        more = candidates - len(rejected)
        tail = f" ({more} more captures not fetched)" if more > 0 else ""
        return _snapshot_result(ArchiveStatus.ARCHIVED_ERROR, ranked.capture, verdict.http_status,
                                cited_archive, ranked.chosen_by,
                                detail(f"{len(rejected)} snapshot(s) unusable: {verdict.reason}"
                                       f"{tail}"))
    excluded = [f"{lu.archive}: {lu.excluded}" for lu in lookups if lu.excluded] + [
        f"{r.capture.archive}: {v.reason}" for r, v in rejected if v.excluded
    ]
    if excluded:
        return ArchiveResult(ArchiveStatus.MISSING, cited_archive=cited_archive,
                             detail=detail(excluded[0]), excluded=True)
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
