"""The main job as a library call (``job.run_job``): no click, no printing, no exit."""

from __future__ import annotations

import threading
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tests import sites
from tests.loopback import LoopbackServer, Reply, html_page
from tests.wayback_server import WaybackServer
from verifier.history import History
from verifier.job import OFFLINE_NOTICE, run_job
from verifier.model import Reference, Verdict
from verifier.records import Article
from verifier.settings import Settings

TITLE = "Council approves the river bridge"
NOW = datetime(2026, 11, 26, tzinfo=UTC)


def article(*refs: Reference) -> Article:
    return Article(
        source={"title": "Test", "url": "https://en.wikipedia.org/wiki/T"}, references=list(refs)
    )


def settings(probe: LoopbackServer, **changes: object) -> Settings:
    base = Settings(
        policy=sites.loopback_policy(),
        timeout=3,
        online_probes=(probe.url("/"),),
        check_archive=False,
        db=None,
    )
    return replace(base, **changes)


def test_run_job_checks_lints_and_applies_the_policy(server: LoopbackServer) -> None:
    ok = sites.article(server, "/ok", TITLE)
    gone = sites.not_found(server, "/gone")
    refs = article(
        Reference(id="1", title=TITLE, url=ok, access_date="2030-01-01"),
        Reference(id="2", title=TITLE, url=gone),
        Reference(id="3", title=TITLE),
    )
    notices: list[str] = []
    with closing(sites.make_transport()) as transport:
        report, interrupted = run_job(
            refs,
            settings(server, fail_on=(Verdict.BROKEN,)),
            transport,
            None,
            NOW,
            threading.Event(),
            clock=lambda: NOW,
            notice=notices.append,
        )
    assert not interrupted
    assert notices == []
    assert [str(r.verdict) for r in report.results] == ["healthy", "broken", "no-url"]
    assert report.failing == ["2"]
    assert report.checker_online is True
    assert report.generated_at == NOW.isoformat()
    # An access date after the run's day is a CS1 problem the report carries.
    assert [issue.code for issue in report.results[0].lint] == ["access-date-in-future"]


def test_run_job_says_when_the_machine_is_offline() -> None:
    notices: list[str] = []
    offline = Settings(
        timeout=1, online_probes=("https://probe.invalid/",), check_archive=False, db=None
    )
    with closing(sites.make_transport()) as transport:
        report, _ = run_job(
            article(Reference(id="1", title=TITLE)),
            offline,
            transport,
            None,
            NOW,
            threading.Event(),
            notice=notices.append,
        )
    assert notices == [OFFLINE_NOTICE]
    assert report.checker_online is False


def test_run_job_records_history_and_new_only_skips_known_findings(
    server: LoopbackServer, wayback: WaybackServer
) -> None:
    gone = sites.not_found(server, "/gone")
    refs = article(Reference(id="1", title=TITLE, url=gone))
    history = History.memory()
    with_archive = settings(
        server,
        check_archive=True,
        wayback_url=wayback.base,
        archive_interval=0,
        new_only=True,
    )
    runs = []
    for day in range(2):
        with closing(sites.make_transport()) as transport:
            runs.append(
                run_job(
                    refs,
                    with_archive,
                    transport,
                    history,
                    NOW + timedelta(days=day),
                    threading.Event(),
                )
            )
    (first, _), (second, _) = runs
    assert [str(r.verdict) for r in first.results] == ["lost"]
    assert first.failing == ["1"]  # nothing known before the first run
    assert first.changes == []  # the first run's "new" is no news
    assert second.failing == []  # lost last time too: not news under --new-only
    assert second.results[0].failing_streak == 2


def test_a_stopped_run_is_reported_interrupted(server: LoopbackServer) -> None:
    stop = threading.Event()
    stop.set()
    refs = article(Reference(id="1", title=TITLE, url=sites.article(server, "/ok", TITLE)))
    with closing(sites.make_transport()) as transport:
        report, interrupted = run_job(refs, settings(server), transport, None, NOW, stop)
    assert interrupted
    assert report.results == []


def test_an_unparseable_url_runs_to_a_report(
    server: LoopbackServer, wayback: WaybackServer
) -> None:
    """``http://[::1`` makes urlsplit raise: every pass (prefetch, check, lint) takes it
    as a URL that cannot be fetched, none stops the run with a traceback."""
    refs = article(
        Reference(id="1", title=TITLE, url="http://[::1"),
        Reference(id="2", title=TITLE, url="http://[::1"),
    )
    with_archive = settings(
        server, check_archive=True, wayback_url=wayback.base, archive_interval=0
    )
    with closing(sites.make_transport()) as transport:
        report, interrupted = run_job(refs, with_archive, transport, None, NOW, threading.Event())
    assert not interrupted
    assert [(str(r.live.status), str(r.archive.status)) for r in report.results] == [
        ("unsafe", "not-checked"),
        ("unsafe", "not-checked"),
    ]
    assert [i.code for i in report.results[1].lint] == ["duplicate-url"]


def test_a_cited_archive_host_sees_two_requests_at_once_from_the_whole_run(
    server: LoopbackServer, wayback: WaybackServer
) -> None:
    """Pages cited on the archive's own host: the live sweep fetches them while the
    archive checks ask that host about every reference. One count per host for the
    whole run (the HostGate): never more than 2 at once there, counted by the server."""
    archive_host = f"{wayback.http.host}:{wayback.http.port}"
    refs = []
    for i in range(8):
        url = wayback.http.route(f"/page{i}", Reply(200, html_page(TITLE)))
        refs.append(Reference(id=f"a{i}", title=TITLE, url=url))
        refs.append(Reference(id=f"s{i}", title=TITLE, url=sites.article(server, f"/s{i}", TITLE)))
    wayback.http.hold_for_company(2)
    with_archive = settings(
        server, check_archive=True, wayback_url=wayback.base, archive_interval=0
    )
    with closing(sites.make_transport()) as transport:
        report, interrupted = run_job(
            article(*refs), with_archive, transport, None, NOW, threading.Event()
        )
    assert not interrupted
    assert len(report.results) == 16
    assert {str(r.live.status) for r in report.results} == {"ok"}
    assert len(wayback.hits("available")) + len(wayback.hits("cdx")) >= 8  # it was asked
    assert wayback.http.peak_in_flight[archive_host] == 2  # 2 at once happened, never more
