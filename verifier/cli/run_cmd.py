"""The main job at the command line: open what it needs, run ``job.run_job``, print, exit."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator

import click

from ..history import History
from ..job import FixedClock, run_connectivity, run_job, utc_now
from ..model import LiveStatus, ReferenceResult, Report
from ..records import Article
from ..report import check_out_dir, write_reports
from ..report.common import archive_trouble, no_url_hint, one_line
from ..report.index import IndexEntry, report_names, write_index
from ..report.terminal import checked_line, needs_user
from ..settings import Settings
from .errors import EXIT_FAILING, EXIT_INTERRUPTED, EXIT_OK
from .options import build_transport
from .output import QUIET, VERBOSE, Output
from .sources import read_refs


def run_main_job(settings: Settings, output: Output | None = None) -> int:
    """The main job over the run's articles (``settings.inputs``; the one of ``refs`` or
    ``article_url`` when empty): one, reports in OUT; several, each in OUT/NAME and an
    index of them. Every article is read before anything is checked: bad input is found
    at once, not after the first article's checks."""
    output = output or Output()
    now = settings.now or utc_now()
    sources = settings.inputs or (settings.article_url or str(settings.refs),)
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
    connectivity = run_connectivity(settings, transport)  # one probe for all the articles
    several = len(sources) > 1
    names = report_names(sources) if several else [""]
    done: list[IndexEntry] = []
    notice = _once(_notice) if output.verbosity > QUIET else _quiet
    try:
        articles = [
            read_refs(source, api=settings.mediawiki_api, transport=transport)
            for source in sources
        ]
        if output.dump:
            _dump(sources, articles, settings, output)
            return EXIT_OK
        opened = History.open(settings.db) if settings.db else contextlib.nullcontext()
        with opened as history, _stop_on_sigterm(stop):
            for source, name, article in zip(sources, names, articles, strict=True):
                one = settings.for_input(source) if settings.inputs else settings
                if several and output.verbosity > QUIET:
                    click.echo(f"== {name}: {source}")
                report, interrupted = run_job(
                    article,
                    one,
                    transport,
                    history,
                    now,
                    stop,
                    # A fixed --now is every check's time too: a replayed night is one moment.
                    clock=FixedClock(now) if settings.now else utc_now,
                    progress=lambda total: _progress(settings, total),
                    notice=notice,
                    on_result=_checked if output.verbosity >= VERBOSE else None,
                    connectivity=connectivity,
                )
                if interrupted:
                    _say_interrupted(report, article, name, done)
                    return EXIT_INTERRUPTED
                # Written as each is done: a long run keeps the articles it finished.
                written = write_reports(report, settings.out / name, settings.reports)
                _print_summary(report, written, output, alone=not several)
                done.append(IndexEntry(name, source, report, written))
    finally:
        transport.close()
    failing = [e for e in done if e.report.failing]
    if several:
        for path in write_index(done, settings.out, settings.reports):
            if output.verbosity > QUIET:
                click.echo(f"wrote {path}")
        if failing:
            click.echo(
                "failing by policy: "
                + "; ".join(f"{e.name}: {', '.join(e.report.failing)}" for e in failing),
                err=True,
            )
    return EXIT_FAILING if failing else EXIT_OK


def _say_interrupted(
    report: Report, article: Article, name: str, done: list[IndexEntry]
) -> None:
    where = f" in {name}" if name else ""
    kept = ""
    if done:
        before = "the article" if len(done) == 1 else f"the {len(done)} articles"
        kept = f" (the reports of {before} before it are written; no index)"
    click.echo(
        f"verify-refs: interrupted{where}: {len(report.results)} of "
        f"{len(article.references)} references checked and kept in the history; "
        f"no report written{kept}",
        err=True,
    )


def _dump(
    sources: tuple[str, ...], articles: list[Article], settings: Settings, output: Output
) -> None:
    """``--dump``: what would be checked, one reference a line: id, URL, cited archive URL
    (tab-separated, ``-`` for none), like lychee's --dump: nothing is fetched. With several
    articles, each one's lines follow a ``# SOURCE`` line. A URL excluded from checking is
    not listed (it would not be checked); their count is said."""
    excluded = 0
    for source, article in zip(sources, articles, strict=True):
        if len(articles) > 1:
            click.echo(f"# {one_line(source)}")
        for ref in article.references:
            if ref.url and settings.url_filter.excluded_by(ref.url) is not None:
                excluded += 1
                continue
            fields = (ref.id, ref.url, ref.archive_url)
            click.echo("\t".join(one_line(f) or "-" for f in fields))
    if excluded and output.verbosity > QUIET:
        click.echo(f"verify-refs: {excluded} excluded from checking, not listed", err=True)


def _notice(message: str) -> None:
    click.echo(f"verify-refs: {message}", err=True)


def _once(say: Callable[[str], None]) -> Callable[[str], None]:
    """``say``, each message once a run: several articles meet the same offline machine."""
    said: set[str] = set()

    def once(message: str) -> None:
        if message not in said:
            said.add(message)
            say(message)

    return once


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


def _print_summary(report: Report, written: list, output: Output, *, alone: bool = True) -> None:
    """The end of one article's run; ``alone``: the run's only article (with several, the
    failing references are said once for all, at the end)."""
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
    if report.failing and alone:
        click.echo(f"failing by policy: {', '.join(report.failing)}", err=True)
    if output.verbosity > QUIET:
        for path in written:
            click.echo(f"wrote {path}")
