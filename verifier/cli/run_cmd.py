"""The main job at the command line: open what it needs, run ``job.run_job``, print, exit."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

import click

from ..history import History
from ..job import FixedClock, run_job, utc_now
from ..model import LiveStatus, ReferenceResult, Report
from ..records import Article
from ..report import check_out_dir, write_reports
from ..report.common import archive_trouble, no_url_hint, one_line
from ..report.terminal import checked_line, needs_user
from ..settings import Settings
from .errors import EXIT_FAILING, EXIT_INTERRUPTED, EXIT_OK
from .options import build_transport
from .output import QUIET, VERBOSE, Output
from .sources import read_refs


def run_main_job(settings: Settings, output: Output | None = None) -> int:
    output = output or Output()
    now = settings.now or utc_now()
    if not output.dump:
        # Before anything is read or checked (and before the history, kept in it by default).
        check_out_dir(settings.out)
    transport = build_transport(
        settings.policy,
        timeout=settings.timeout,
        per_host=settings.per_host,
        user_agent=settings.user_agent,
        ca_bundle=settings.ca_bundle,
    )
    stop = threading.Event()
    try:
        article = read_refs(
            settings.article_url or str(settings.refs),
            api=settings.mediawiki_api,
            transport=transport,
        )
        if output.dump:
            _dump(article)
            return EXIT_OK
        opened = History.open(settings.db) if settings.db else contextlib.nullcontext()
        with opened as history, _stop_on_sigterm(stop):
            report, interrupted = run_job(
                article,
                settings,
                transport,
                history,
                now,
                stop,
                # A fixed --now is every check's time too: a replayed night is one moment.
                clock=FixedClock(now) if settings.now else utc_now,
                progress=lambda total: _progress(settings, total),
                notice=_notice if output.verbosity > QUIET else _quiet,
                on_result=_checked if output.verbosity >= VERBOSE else None,
            )
    finally:
        transport.close()
    if interrupted:
        click.echo(
            f"verify-refs: interrupted: {len(report.results)} of {len(article.references)} "
            "references checked and kept in the history; no report written",
            err=True,
        )
        return EXIT_INTERRUPTED
    written = write_reports(report, settings.out, settings.reports)
    _print_summary(report, written, output)
    return EXIT_FAILING if report.failing else EXIT_OK


def _dump(article: Article) -> None:
    """``--dump``: what would be checked, one reference a line: id, URL, cited archive URL
    (tab-separated, ``-`` for none), like lychee's --dump: nothing is fetched."""
    for ref in article.references:
        fields = (ref.id, ref.url, ref.archive_url)
        click.echo("\t".join(one_line(f) or "-" for f in fields))


def _notice(message: str) -> None:
    click.echo(f"verify-refs: {message}", err=True)


def _quiet(_message: str) -> None:
    """-q: the notices on the way are not errors; what matters is said at the end."""


def _checked(result: ReferenceResult) -> None:
    click.echo(checked_line(result), err=True)


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


def _print_summary(report: Report, written: list, output: Output) -> None:
    summary = report.summary()
    if output.verbosity > QUIET:
        counts = ", ".join(f"{n} {v}" for v, n in sorted(summary["by_verdict"].items()))
        click.echo(f"{summary['total']} references: {counts}")
        for line in needs_user(report):
            click.echo(line)
    trouble = archive_trouble(report)
    if trouble:
        click.echo(f"verify-refs: {trouble}", err=True)
    offline = summary["by_live"].get(str(LiveStatus.OFFLINE), 0)
    if offline:
        click.echo(f"verify-refs: {offline} links not judged: offline", err=True)
    no_url = no_url_hint(report)
    if no_url and output.verbosity > QUIET:
        click.echo(f"verify-refs: {no_url}", err=True)
    if report.failing:
        click.echo(f"failing by policy: {', '.join(report.failing)}", err=True)
    if output.verbosity > QUIET:
        for path in written:
            click.echo(f"wrote {path}")
