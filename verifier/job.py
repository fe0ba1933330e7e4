"""The main job as a library call: an article in, a ``Report`` out, in named passes.

``run_job`` runs, in order: **import** (``--refresh-urls``: missing URLs from the live
article), **prefetch** (the archives' bulk lookups), **check** (live and archive, on a
pool), **save** (Save Page Now for live, unarchived pages), **lint** (the citations' own
CS1 problems), **history** (record the run, the changes, the dead streaks) and
**policy** (which references fail the run). It neither prints nor exits: what the user
should hear on the way goes to ``notice``, and the command line decides what to do with
the report.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .check import LiveSweep, Progress, combine, run_checks, url_of
from .fetch.connectivity import DEFAULT_PROBES, Connectivity
from .fetch.hostgate import HostGate
from .fetch.transport import Transport
from .history import History
from .lint import lint
from .live import LiveChecker, live_checker
from .model import (
    Change,
    LintIssue,
    LiveStatus,
    Reference,
    ReferenceResult,
    Report,
    Verdict,
)
from .policy import FailPolicy, Past, failing_ids
from .records import Article
from .settings import Settings
from .urls import host_of

if TYPE_CHECKING:
    from .archives import ArchiveChecker

Notice = Callable[[str], None]
# Opened around the check pass with the number of references; yields the callback that
# run_checks reports (done, total) to, or None to show nothing.
ProgressBar = Callable[[int], AbstractContextManager[Progress | None]]

# Precisely what it promises: a link that cannot be reached is not called dead; a site
# that does answer (a loopback or intranet site, say) is still judged by its answer.
OFFLINE_NOTICE = (
    "this machine cannot reach the internet (well-known hosts do not resolve or answer): "
    "a link whose name does not resolve or that gets no answer is reported as offline, "
    "never as dead; a site that does answer is judged by its answer"
)


def utc_now() -> datetime:
    """The clock, to the second: the time of a run, and of each check."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at ``at`` (``--now``); unlike a lambda, a sweep's worker processes
    can be handed it."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at


def _ignore(_message: str) -> None:
    pass


@dataclass(frozen=True)
class _Checkers:
    live: LiveChecker
    archive: ArchiveChecker | None
    online: bool


def run_job(
    article: Article,
    settings: Settings,
    transport: Transport,
    history: History | None,
    now: datetime,
    stop: threading.Event,
    *,
    clock: Callable[[], datetime] = utc_now,
    progress: ProgressBar = lambda _total: nullcontext(),
    notice: Notice = _ignore,
    on_result: Callable[[ReferenceResult], None] | None = None,
    connectivity: Connectivity | None = None,
) -> tuple[Report, bool]:
    """Check ``article``'s references and build the report; True when ``stop`` cut it short.

    ``now``: the time of the run (the report's and the history's); ``clock``: the time of
    each check. An interrupted run still records what was checked in the history; its
    report holds those results and is not meant to be written. ``on_result``: told each
    reference's check result as it completes (``-v``). ``connectivity``: the run's answer
    to "is this machine online", shared by the articles of one run (probed once).
    """
    article, refreshed = import_pass(article, settings, transport, notice)
    connectivity = connectivity or run_connectivity(settings, transport)
    connectivity.start()  # beside the gate's set-up and the workers' start
    gate = _run_gate(settings, article.references, clock)
    checkers = _checkers(settings, transport, history, clock, stop, notice, connectivity)
    prefetch_pass(article.references, checkers.archive, settings)
    with transport.sharing(gate):
        results, interrupted = check_pass(
            article.references, checkers, settings, transport, now, stop, progress,
            sweep=_live_sweep(settings, checkers.online, clock, stop, notice, gate),
            on_result=on_result,
        )
    if settings.save and checkers.archive is not None and not interrupted:
        results = save_pass(results, checkers.archive, notice)
    results = lint_pass(results, article, now)
    source_key = str(article.source.get("url") or settings.refs)
    known = _known_verdicts(history, source_key) if settings.new_only else {}
    results, changes = history_pass(results, history, source_key, now)
    policy = FailPolicy(
        fail_on=frozenset(settings.fail_on),
        new_only=settings.new_only,
        confirm_after=settings.confirm_after,
    )
    report = Report(
        generated_at=now.isoformat(),
        source=article.source,
        results=results,
        changes=changes,
        failing=policy_pass(results, policy, history, known, now),
        checker_online=checkers.online,
        trend=history.trend(source_key) if history is not None else [],
        refresh=refreshed,
    )
    # A stop that came after the checks (during --save, say) still stops the run.
    return report, interrupted or stop.is_set()


def import_pass(
    article: Article, settings: Settings, transport: Transport, notice: Notice
) -> tuple[Article, str | None]:
    """``--refresh-urls``: fill missing URLs from the article named by ``source.url``.
    Also returns how that went (``Report.refresh``): None when it was not asked."""
    # A URL's import is the live article already: nothing to refresh it from.
    if not settings.refresh_urls or settings.article_url is not None:
        return article, None
    from .refresh import refresh_urls  # the HTML parser, only when it is needed

    return refresh_urls(article, settings, transport, notice)


def run_connectivity(settings: Settings, transport: Transport) -> Connectivity:
    """Whether this machine is online, asked of the run's probes the first time it matters."""
    return Connectivity(transport, probes=settings.online_probes or DEFAULT_PROBES)


def _checkers(
    settings: Settings,
    transport: Transport,
    history: History | None,
    clock: Callable[[], datetime],
    stop: threading.Event,
    notice: Notice,
    connectivity: Connectivity,
) -> _Checkers:
    # Asked once up front, so that even a run with nothing to fetch says plainly when this
    # machine is offline (and every "offline" link later agrees with the same answer).
    online = connectivity.online()
    if not online:
        notice(OFFLINE_NOTICE)
    # Waits (backoff, Retry-After, archive pacing) end at once when the run is stopped.
    live = live_checker(
        settings, transport, connectivity=connectivity, sleep=stop.wait, now=clock
    )
    archive = None
    if settings.check_archive:
        from .archives import ArchiveChecker  # not imported at all by --no-archive runs

        archive = ArchiveChecker(
            transport,
            wayback_url=settings.wayback_url,
            memento_archives=settings.memento_archives,
            cache=history,
            now=clock,
            save_keys=settings.save_keys,
            cdx_interval=settings.archive_interval,
            sleep=stop.wait,
        )
    return _Checkers(live=live, archive=archive, online=online)


def prefetch_pass(
    references: Sequence[Reference], archive: ArchiveChecker | None, settings: Settings
) -> None:
    """The archives' bulk lookups, before the per-reference checks ask them one by one
    (not about a URL excluded from checking)."""
    if archive is not None:
        excluded = settings.url_filter.excluded_by
        archive.prefetch([r for r in references if r.url and excluded(r.url) is None])


def check_pass(
    references: Sequence[Reference],
    checkers: _Checkers,
    settings: Settings,
    transport: Transport,
    now: datetime,
    stop: threading.Event,
    progress: ProgressBar,
    sweep: LiveSweep | None = None,
    on_result: Callable[[ReferenceResult], None] | None = None,
) -> tuple[list[ReferenceResult], bool]:
    """Every reference checked live and in the archives; True when stopped early.
    ``sweep``: the live checks as one sweep (see ``_live_sweep``), else one by one on the
    pool through ``transport``."""
    with progress(len(references)) as update:
        outcome = run_checks(
            references,
            live_check=checkers.live.check_titles,
            archive_check=checkers.archive.check if checkers.archive else None,
            concurrency=settings.concurrency,
            now_iso=now.isoformat(),
            progress=update,
            stop=stop,
            on_stop=transport.cancel,
            live_sweep=sweep,
            on_result=on_result,
            skip=settings.url_filter.excluded_by if settings.url_filter else None,
        )
    return outcome.results, outcome.interrupted


def _run_gate(
    settings: Settings, references: Sequence[Reference], clock: Callable[[], datetime]
) -> HostGate:
    """One count per host for the whole check pass: the sweep (in this process or its
    workers) and the archive checks' transport both take it, so a cited URL on an
    archive's host is fetched 2 at a time in all, not 2 by each. In shared memory only
    when the sweep may spawn workers (its URLs, after any filter, are at most these);
    then the workers' server is started too."""
    from .sweep import sweep_workers, warm_workers

    urls = {url_of(r) for r in references} - {None}
    shared = sweep_workers(len(urls), clock) > 0
    if shared:
        # The workers' start-up runs beside the online probe and the archive lookups.
        warm_workers()
    return HostGate(settings.per_host, (host_of(u) for u in urls if u), shared=shared)


def _live_sweep(
    settings: Settings,
    online: bool,
    clock: Callable[[], datetime],
    stop: threading.Event,
    notice: Notice,
    gate: HostGate,
) -> LiveSweep:
    """The live checks of the main job: event loops, sharded by host over worker processes
    when there are enough URLs to pay for them (verifier.sweep); ``gate``: the per-host
    counts shared with the archive checks."""
    from .sweep import run_sweep, sweep_workers

    def sweep(items: list[tuple[str, list[str | None]]], emit: Callable) -> None:
        run_sweep(
            settings,
            online,
            items,
            emit,
            # Workers only with a gate they can share (see _run_gate).
            workers=sweep_workers(len(items), clock) if gate.shared else 0,
            clock=clock,
            stop=stop,
            on_death=notice,
            gate=gate,
        )

    return sweep


def save_pass(
    results: list[ReferenceResult], archive: ArchiveChecker, notice: Notice
) -> list[ReferenceResult]:
    """``--save``: ask Save Page Now for each live page that has no usable snapshot."""
    return [_saved(r, archive, notice) for r in results]


def _saved(result: ReferenceResult, archive: ArchiveChecker, notice: Notice) -> ReferenceResult:
    if result.verdict is not Verdict.UNARCHIVED or not result.reference.url:
        return result
    if result.archive.excluded:  # the Wayback Machine will not hold the site: do not ask
        return result
    from .archives import Refused  # only --save runs get here: the archive stack is loaded

    outcome = archive.save(result.reference.url)
    if isinstance(outcome, Refused):
        notice(f"--save: {result.reference.url}: not captured ({outcome.reason})")
        return result
    # The citation's own archive was judged before saving; the new capture does not change it.
    return combine(
        result.reference,
        result.live,
        replace(outcome.result(), cited_archive=result.archive.cited_archive),
    )


def lint_pass(
    results: list[ReferenceResult], article: Article, now: datetime
) -> list[ReferenceResult]:
    """The citation's own CS1 problems travel with its result, so the report shows them."""
    by_id: dict[str, list[LintIssue]] = {}
    for issue in lint(article, today=now.date()):
        by_id.setdefault(issue.id, []).append(issue)
    # Most citations have no finding: their results are kept as they are (a dataclass
    # ``replace`` per result is ~0.17 s for 20,000 results on a 2-core Xeon).
    return [
        replace(r, lint=found) if (found := by_id.get(r.reference.id, [])) or r.lint else r
        for r in results
    ]


def _known_verdicts(history: History | None, source: str) -> dict[str, Verdict]:
    """Each reference's last conclusive verdict, before this run is recorded (--new-only)."""
    if history is None:
        return {}
    known = history.previous_verdicts(source, conclusive=True)
    return {ref_id: Verdict(v) for ref_id, v in known.items() if v in _VERDICTS}


_VERDICTS = frozenset(str(v) for v in Verdict)


def history_pass(
    results: list[ReferenceResult], history: History | None, source: str, now: datetime
) -> tuple[list[ReferenceResult], list[Change]]:
    """Record the run (even an interrupted one: what was checked is kept); return the
    results with their dead streaks, and what changed since the previous run."""
    if history is None:
        return results, []
    changes = history.record_run(results, run_at=now, source=source)
    return [_with_streak(r, history) for r in results], changes


def _with_streak(result: ReferenceResult, history: History) -> ReferenceResult:
    if not result.reference.url or not result.live.status.is_gone:
        return result
    since, streak = history.dead_since(result.reference.url)
    return replace(result, dead_since=since, failing_streak=streak)


def policy_pass(
    results: Sequence[ReferenceResult],
    policy: FailPolicy,
    history: History | None,
    known: dict[str, Verdict],
    now: datetime,
) -> list[str]:
    """The failing references: the history's facts gathered, then the pure rule applied."""
    if history is None:
        return failing_ids(results, policy, None)
    pasts: list[Past] = []
    for r in results:
        confirmed = True
        needs_streak = (
            r.verdict in policy.fail_on
            and policy.confirm_after > 1
            and r.reference.url
            and r.live.status is LiveStatus.DEAD
        )
        if needs_streak:
            confirmed = history.is_confirmed(
                r.reference.url, confirm_after=policy.confirm_after, now=now
            )
        pasts.append(Past(last_verdict=known.get(r.reference.id), dead_confirmed=confirmed))
    return failing_ids(results, policy, pasts)
