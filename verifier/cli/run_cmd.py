"""The main job: read the references, check them, keep history, write reports, exit by policy."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from ..check import combine, failing_ids, run_checks
from ..fetch.connectivity import DEFAULT_PROBES, Connectivity
from ..fetch.retry import RetryPolicy
from ..fetch.transport import Transport
from ..history import History
from ..lint import lint
from ..live import LiveChecker
from ..model import LiveStatus, ReferenceResult, Report, Verdict
from ..parse import Article, read_article
from ..report import write_reports
from ..settings import Settings
from .errors import EXIT_FAILING, EXIT_INTERRUPTED, EXIT_OK
from .options import build_transport

if TYPE_CHECKING:
    from ..archives import ArchiveChecker


def utc_now() -> datetime:
    """The clock of a run (to the second): the CLI reads it and passes it down."""
    return datetime.now(UTC).replace(microsecond=0)


def run_main_job(settings: Settings) -> int:
    now = utc_now()
    article = read_article(settings.refs)
    transport = build_transport(
        settings.policy,
        timeout=settings.timeout,
        per_host=settings.per_host,
        user_agent=settings.user_agent,
        ca_bundle=settings.ca_bundle,
    )
    try:
        if settings.refresh_urls:
            from .refresh import refresh_urls  # the HTML parser, only when it is needed

            article = refresh_urls(article, settings, transport)
        opened = History.open(settings.db) if settings.db else contextlib.nullcontext()
        with opened as history:
            return _check_and_report(article, settings, transport, history, now)
    finally:
        transport.close()


def _check_and_report(
    article: Article,
    settings: Settings,
    transport: Transport,
    history: History | None,
    now: datetime,
) -> int:
    stop = threading.Event()
    # Waits (backoff, Retry-After, archive pacing) end at once when the run is stopped.
    retry = RetryPolicy(sleep=stop.wait)
    connectivity = Connectivity(transport, probes=settings.online_probes or DEFAULT_PROBES)
    # Asked once up front, so that even a run with nothing to fetch says plainly when this
    # machine is offline (and every "offline" link later agrees with the same answer).
    online = connectivity.online()
    if not online:
        click.echo(
            "verify-refs: this machine cannot reach the internet (well-known hosts do not "
            "resolve or answer): links will be reported as offline, never as dead",
            err=True,
        )
    live = LiveChecker(transport, connectivity=connectivity, retry=retry, now=utc_now)
    archive = None
    if settings.check_archive:
        from ..archives import ArchiveChecker  # not imported at all by --no-archive runs

        archive = ArchiveChecker(
            transport,
            wayback_url=settings.wayback_url,
            memento_archives=settings.memento_archives,
            cache=history,
            now=utc_now,
            save_keys=settings.save_keys,
            cdx_interval=settings.archive_interval,
            sleep=stop.wait,
        )
        archive.prefetch([r for r in article.references if r.url])

    with _progress(settings, len(article.references)) as progress, _stop_on_sigterm(stop):
        outcome = run_checks(
            article.references,
            live_check=live.check_titles,
            archive_check=archive.check if archive else None,
            concurrency=settings.concurrency,
            now_iso=now.isoformat(),
            progress=progress,
            stop=stop,
            on_stop=transport.cancel,
        )
    results = outcome.results
    if settings.save and archive is not None and not outcome.interrupted:
        results = [_saved(r, archive) for r in results]

    results = _with_lint(results, article, now)
    source_key = str(article.source.get("url") or settings.refs)
    changes = []
    known: dict[str, str] = {}  # the last conclusive verdicts, for --new-only
    if history is not None:
        first_run = not history.previous_verdicts(source_key)
        if settings.new_only:
            known = history.previous_verdicts(source_key, conclusive=True)
        # What was checked is kept even when the run was interrupted.
        changes = history.record_run(results, run_at=now, source=source_key)
        if first_run:  # on the first run every reference is "new": that is no news
            changes = [c for c in changes if c.kind != "new"]
        results = [_with_streak(r, history) for r in results]
    if outcome.interrupted:
        click.echo(
            f"verify-refs: interrupted: {len(results)} of {len(article.references)} references "
            "checked and kept in the history; no report written",
            err=True,
        )
        return EXIT_INTERRUPTED

    def counts(result: ReferenceResult) -> bool:
        """Does this reference's verdict count toward the failing policy yet?"""
        if settings.new_only and known.get(result.reference.id) == str(result.verdict):
            return False  # already so at its last conclusive check: not news
        if history is None or settings.confirm_after <= 1 or not result.reference.url:
            return True
        if result.live.status is not LiveStatus.DEAD:
            return True  # only "dead" flaps: --confirm-after waits for it to hold
        return history.is_confirmed(
            result.reference.url, confirm_after=settings.confirm_after, now=now
        )

    report = Report(
        generated_at=now.isoformat(),
        source=article.source,
        results=results,
        changes=changes,
        failing=failing_ids(results, settings.fail_on, counts=counts),
        checker_online=online,
    )
    written = write_reports(report, settings.out, settings.reports)
    _print_summary(report, written)
    return EXIT_FAILING if report.failing else EXIT_OK


def _with_lint(
    results: list[ReferenceResult], article: Article, now: datetime
) -> list[ReferenceResult]:
    """The citation's own CS1 problems travel with its result, so the report shows them."""
    by_id: dict[str, list[dict[str, str]]] = {}
    for issue in lint(article, today=now.date()):
        by_id.setdefault(issue.id, []).append(
            {"code": issue.code, "severity": issue.severity, "message": issue.message}
        )
    return [replace(r, lint=by_id.get(r.reference.id, [])) for r in results]


def _with_streak(result: ReferenceResult, history: History) -> ReferenceResult:
    if not result.reference.url or not result.live.status.is_gone:
        return result
    since, streak = history.dead_since(result.reference.url)
    return replace(result, dead_since=since, failing_streak=streak)


def _saved(result: ReferenceResult, archive: ArchiveChecker) -> ReferenceResult:
    if result.verdict is not Verdict.UNARCHIVED or not result.reference.url:
        return result
    snapshot = archive.save(result.reference.url)
    if snapshot is None:
        click.echo(
            f"verify-refs: --save: {result.reference.url}: not captured "
            f"({archive.last_save_error or 'the archive refused'})",
            err=True,
        )
        return result
    # The citation's own archive was judged before saving; the new capture does not change it.
    return combine(
        result.reference,
        result.live,
        replace(snapshot, cited_archive=result.archive.cited_archive),
    )


@contextlib.contextmanager
def _progress(settings: Settings, total: int) -> Iterator:
    if not settings.progress:
        yield None
        return
    with click.progressbar(length=total, label="checking", file=sys.stderr) as bar:
        shown = 0

        def update(done: int, _total: int) -> None:
            nonlocal shown
            bar.update(done - shown)
            shown = done

        yield update


@contextlib.contextmanager
def _stop_on_sigterm(stop: threading.Event) -> Iterator[None]:
    """A CI runner cancelling the job sends SIGTERM: stop as cleanly as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _print_summary(report: Report, written: list) -> None:
    summary = report.summary()
    counts = ", ".join(f"{n} {v}" for v, n in sorted(summary["by_verdict"].items()))
    click.echo(f"{summary['total']} references: {counts}")
    offline = summary["by_live"].get(str(LiveStatus.OFFLINE), 0)
    if offline:
        click.echo(f"verify-refs: {offline} links not judged: offline", err=True)
    no_url = summary["by_live"].get(str(LiveStatus.NO_URL), 0)
    if no_url and no_url == summary["total"]:
        click.echo(
            "verify-refs: no reference has a URL; with internet, run "
            "`verify-refs --refresh-urls` to import them from the live article",
            err=True,
        )
    if report.failing:
        click.echo(f"failing by policy: {', '.join(report.failing)}", err=True)
    for path in written:
        click.echo(f"wrote {path}")
