"""Orchestration: every reference checked live and in the archives, once per URL.

Pure plumbing: the checkers do the network work (through the one Transport), this module
decides the order, runs them on a thread pool, and combines their answers into
``ReferenceResult``s with the contract's verdict. Per-host politeness lives in the
Transport; here the work is interleaved across hosts so that workers are not all queued
behind one busy host.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from .model import (
    ArchiveResult,
    LiveResult,
    NotChecked,
    Reference,
    ReferenceResult,
)
from .urls import host_of, is_http
from .verdict import action_for, decide, fix_for

# One URL, fetched once, judged against each distinct title that cites it (in order).
LiveCheck = Callable[[str, Sequence[str | None]], list[LiveResult]]
# All URLs at once (each with its distinct titles, in host-interleaved order): each URL's
# results are given to the callback as they come; returns when all are given or the run
# stops (verifier.sweep).
LiveSweep = Callable[
    [list[tuple[str, list[str | None]]], Callable[[str, list[LiveResult]], None]], None
]
ArchiveCheck = Callable[[Reference], ArchiveResult]
Progress = Callable[[int, int], None]
# Why a URL is not to be checked at all (the user's --exclude), or None: UrlFilter.excluded_by.
Skip = Callable[[str], str | None]



@dataclass(frozen=True)
class CheckOutcome:
    results: list[ReferenceResult]  # in input order; only the references that were checked
    interrupted: bool = False


def url_of(ref: Reference) -> str | None:
    """The URL references are grouped by: every reference citing it shares one fetch."""
    return ref.url.strip() if ref.url and ref.url.strip() else None


def interleave_by_host(urls: Iterable[str]) -> list[str]:
    """Round-robin over hosts: a.com/1, b.com/1, a.com/2, ... so no host hogs the pool."""
    queues: OrderedDict[str, list[str]] = OrderedDict()
    for url in urls:
        host = host_of(url)
        queues.setdefault(host, []).append(url)
    ordered: list[str] = []
    round_ = 0
    while len(ordered) < sum(len(q) for q in queues.values()):
        for queue in queues.values():
            if round_ < len(queue):
                ordered.append(queue[round_])
        round_ += 1
    return ordered


def combine(ref: Reference, live: LiveResult, archive: ArchiveResult) -> ReferenceResult:
    verdict = decide(live, archive)
    return ReferenceResult(
        reference=ref,
        live=live,
        archive=archive,
        verdict=verdict,
        action=action_for(verdict, ref, live, archive),
        fix=fix_for(verdict, live, archive),
    )


def _no_url_result(ref: Reference, now_iso: str) -> ReferenceResult:
    return combine(ref, LiveResult.no_url(now_iso), ArchiveResult.not_checked(NotChecked.NO_URL))


def _excluded_result(ref: Reference, reason: str, now_iso: str) -> ReferenceResult:
    return combine(
        ref,
        LiveResult.not_fetched(reason, now_iso),
        ArchiveResult.not_checked(NotChecked.EXCLUDED),
    )


def run_checks(
    references: Sequence[Reference],
    *,
    live_check: LiveCheck,
    archive_check: ArchiveCheck | None,
    concurrency: int,
    now_iso: str,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    on_stop: Callable[[], None] | None = None,
    live_sweep: LiveSweep | None = None,
    on_result: Callable[[ReferenceResult], None] | None = None,
    skip: Skip | None = None,
) -> CheckOutcome:
    """Check every reference; returns results in input order.

    Each distinct URL is fetched once and judged against every title citing it; each
    reference with a URL is looked up in
    the archives (the cited archive date differs per reference; the archive checker
    caches per URL). If ``stop`` is set (Ctrl-C, SIGTERM), ``on_stop`` is called (to cut
    requests in flight), pending work is dropped, answers that arrive after the stop are
    discarded (they are the stop's doing, not the link's), and the references finished
    before it are returned with ``interrupted=True``.

    ``live_sweep``: the live checks all in one call (event loops, worker processes)
    instead of ``live_check`` per URL on the pool; the archive checks stay on the pool.
    ``on_result``: told each reference's result as it is complete (from any thread, one
    at a time), in the order they complete. ``skip``: a URL it gives a reason for is
    neither fetched nor looked up in the archives (``LiveResult.not_fetched``).
    """
    stop = stop or threading.Event()
    by_url: dict[str, list[int]] = defaultdict(list)
    done: dict[int, ReferenceResult] = {}
    for index, ref in enumerate(references):
        url = url_of(ref)
        if url is None:
            done[index] = _no_url_result(ref, now_iso)
        elif skip is not None and (reason := skip(url)) is not None:
            done[index] = _excluded_result(ref, reason, now_iso)
        else:
            by_url[url].append(index)
            continue
        if on_result:
            on_result(done[index])

    total = len(references)
    lives: dict[int, LiveResult] = {}
    archives: dict[int, ArchiveResult] = {}
    lock = threading.Lock()

    def report_progress() -> None:
        if progress:
            progress(len(done), total)

    def finish_if_ready(index: int) -> None:
        ref = references[index]
        live = lives.get(index)
        if archive_check:
            archive = archives.get(index)
        else:
            archive = ArchiveResult.not_checked(NotChecked.TURNED_OFF)
        if live is not None and archive is not None and index not in done:
            done[index] = combine(ref, live, archive)
            if on_result:
                on_result(done[index])

    def titles_of(url: str) -> list[str | None]:
        return list(dict.fromkeys(_title(references[i]) for i in by_url[url]))

    def do_live(url: str) -> None:
        record_live(url, live_check(url, titles_of(url)))

    def record_live(url: str, results: list[LiveResult]) -> None:
        indexes = by_url[url]
        judged = dict(zip(titles_of(url), results, strict=True))
        if stop.is_set():
            return
        with lock:
            for index in indexes:
                lives[index] = judged[_title(references[index])]
                finish_if_ready(index)

    def do_archive(index: int) -> None:
        assert archive_check is not None
        ref = references[index]
        if not is_http(ref.url):
            result = ArchiveResult.not_checked(NotChecked.NOT_HTTP)
        else:
            result = archive_check(ref)
        if stop.is_set():
            return
        with lock:
            archives[index] = result
            finish_if_ready(index)

    jobs: list[Callable[[], None]] = []
    if live_sweep is not None:
        items = [(url, titles_of(url)) for url in interleave_by_host(by_url)]
        jobs.append(lambda: live_sweep(items, record_live))
    else:
        for url in interleave_by_host(by_url):
            jobs.append(lambda url=url: do_live(url))
    if archive_check is not None:
        for indexes in by_url.values():
            for index in indexes:
                jobs.append(lambda index=index: do_archive(index))

    report_progress()
    interrupted = _run_jobs(
        jobs, concurrency=concurrency, stop=stop, tick=report_progress, on_stop=on_stop
    )
    with lock:
        ordered = [done[i] for i in sorted(done)]
    return CheckOutcome(results=ordered, interrupted=interrupted)


def _title(ref: Reference) -> str | None:
    return (ref.title or "").strip() or None


def _run_jobs(
    jobs: list[Callable[[], None]],
    *,
    concurrency: int,
    stop: threading.Event,
    tick: Callable[[], None],
    on_stop: Callable[[], None] | None,
) -> bool:
    """Run jobs on a pool, keeping at most ``concurrency`` queued; True if stopped early."""
    pending: set[Future[None]] = set()
    queue = iter(jobs)
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="check") as pool:
        try:
            while True:
                while not stop.is_set() and len(pending) < concurrency * 2:
                    job = next(queue, None)
                    if job is None:
                        break
                    pending.add(pool.submit(job))
                if not pending:
                    break
                finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in finished:
                    future.result()  # a bug in a checker surfaces here, not silently
                tick()  # also while one long job (a sweep) runs
                if stop.is_set():
                    break
        except KeyboardInterrupt:
            stop.set()
        if stop.is_set():
            for future in pending:
                future.cancel()
            if on_stop is not None:
                on_stop()  # before the pool waits for the jobs still running
    return stop.is_set()

