"""Orchestration: one live check per URL, input order kept, policy applied, Ctrl-C kept."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from tests.loopback import LoopbackServer, Reply, Request, html_page
from tests.sites import make_checker
from verifier.check import interleave_by_host, run_checks
from verifier.model import ArchiveResult, ArchiveStatus, LiveResult, LiveStatus, Reference, Verdict
from verifier.settings import DEFAULT_CONCURRENCY

NOW = "2026-11-26T00:00:00+00:00"


def refs(*urls: str | None) -> list[Reference]:
    return [Reference(id=str(i + 1), title="T", url=u) for i, u in enumerate(urls)]


class Recorder:
    def __init__(self, status: LiveStatus = LiveStatus.OK) -> None:
        self.calls: list[str | None] = []
        self.status = status
        self.lock = threading.Lock()

    def live(self, url: str, titles: Sequence[str | None]) -> list[LiveResult]:
        with self.lock:
            self.calls.append(url)
        return [LiveResult(self.status, http_status=200, final_url=url) for _ in titles]

    def archive(self, ref: Reference) -> ArchiveResult:
        return ArchiveResult(ArchiveStatus.MISSING)


def test_same_url_cited_twice_is_checked_once() -> None:
    rec = Recorder()
    out = run_checks(
        refs("https://a.test/1", "https://a.test/1", "https://b.test/"),
        live_check=rec.live,
        archive_check=None,
        concurrency=4,
        now_iso=NOW,
    )
    assert sorted(rec.calls) == ["https://a.test/1", "https://b.test/"]
    assert [r.reference.id for r in out.results] == ["1", "2", "3"]
    assert all(r.verdict is Verdict.HEALTHY for r in out.results)


def test_one_url_under_two_titles_is_fetched_once_and_judged_per_title(
    server: LoopbackServer,
) -> None:
    url = server.route("/story", Reply(200, html_page("Council approves the river bridge")))
    refs_ = [
        Reference(id="1", title="Council approves the river bridge", url=url),
        Reference(id="2", title="Stock markets fall sharply in Asia", url=url),
        Reference(id="3", title="Council approves the river bridge", url=url),
    ]
    checker = make_checker(online_via=server)
    out = run_checks(
        refs_, live_check=checker.check_titles, archive_check=None, concurrency=4, now_iso=NOW
    )
    assert len(server.hits_for("/story")) == 1
    assert [r.live.status for r in out.results] == [
        LiveStatus.OK,
        LiveStatus.DRIFTED,
        LiveStatus.OK,
    ]


def test_reference_without_url_is_not_fetched() -> None:
    rec = Recorder()
    out = run_checks(
        refs(None), live_check=rec.live, archive_check=rec.archive, concurrency=2, now_iso=NOW
    )
    assert rec.calls == []
    assert out.results[0].verdict is Verdict.NO_URL
    assert out.results[0].live.status is LiveStatus.NO_URL


def test_archive_answers_join_live_answers() -> None:
    rec = Recorder(LiveStatus.DEAD)
    out = run_checks(
        refs("https://a.test/x"),
        live_check=rec.live,
        archive_check=rec.archive,
        concurrency=2,
        now_iso=NOW,
    )
    assert out.results[0].verdict is Verdict.LOST


def test_hosts_are_interleaved() -> None:
    urls = [f"https://a.test/{i}" for i in range(3)] + [f"https://b.test/{i}" for i in range(2)]
    hosts = [u.split("/")[2] for u in interleave_by_host(urls)]
    assert hosts == ["a.test", "b.test", "a.test", "b.test", "a.test"]


def test_stop_keeps_what_was_checked_before_it_and_drops_what_it_cut() -> None:
    stop = threading.Event()
    rec = Recorder()
    stopped: list[bool] = []

    def live(url: str, titles: Sequence[str | None]) -> list[LiveResult]:
        if url == "https://h1.test/":
            stop.set()  # Ctrl-C arrives during the second check: its answer is the stop's
        return rec.live(url, titles)

    urls = [f"https://h{i}.test/" for i in range(50)]
    out = run_checks(
        refs(*urls),
        live_check=live,
        archive_check=None,
        concurrency=1,
        now_iso=NOW,
        stop=stop,
        on_stop=lambda: stopped.append(True),
    )
    assert out.interrupted
    assert [r.reference.url for r in out.results] == ["https://h0.test/"]
    assert stopped == [True]


def test_the_default_pool_keeps_every_host_at_its_politeness_limit() -> None:
    """12 hosts x 4 pages with the default concurrency: every host gets its 2 requests at
    once (all 24 in flight together), and never more than 2."""
    hosts, pages, per_host = 12, 4, 2
    cond = threading.Condition()
    active: dict[str, int] = {}
    peak: dict[str, int] = {}
    state = {"total": 0, "peak_total": 0, "all_seen": False}

    def page(request: Request) -> Reply:
        host = request.headers["Host"].split(":")[0]
        with cond:
            active[host] = active.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), active[host])
            state["total"] += 1
            state["peak_total"] = max(state["peak_total"], state["total"])
            if state["total"] == hosts * per_host:
                state["all_seen"] = True
            cond.notify_all()
            # Hold every request until all hosts are at their limit together (a safety
            # timeout only: the assertion below fails if that never happens).
            cond.wait_for(lambda: state["all_seen"], timeout=3)
            active[host] -= 1
            state["total"] -= 1
        return Reply(200, "<html><head><title>T</title></head></html>")

    with LoopbackServer() as server:
        server.route("/p", page)
        names = [f"h{i}.test" for i in range(hosts)]
        checker = make_checker(resolve={n: ("127.0.0.1", server.port) for n in names})
        urls = [f"http://{n}/p?{i}" for i in range(pages) for n in names]
        out = run_checks(
            refs(*urls),
            live_check=checker.check_titles,
            archive_check=None,
            concurrency=DEFAULT_CONCURRENCY,
            now_iso=NOW,
        )
    assert [r.live.status for r in out.results] == [LiveStatus.OK] * len(urls)
    assert state["peak_total"] == hosts * per_host
    assert peak == dict.fromkeys(names, per_host)


def test_an_unparseable_url_is_judged_not_crashed_on() -> None:
    """``http://[::1`` makes urlsplit raise: the live check calls it unsafe and the archive
    check does not ask, instead of the run stopping on the exception."""
    seen: list[Reference] = []

    def archive(ref: Reference) -> ArchiveResult:
        seen.append(ref)
        return ArchiveResult(ArchiveStatus.MISSING)

    checker = make_checker()
    out = run_checks(
        refs("http://[::1"),
        live_check=checker.check_titles,
        archive_check=archive,
        concurrency=1,
        now_iso=NOW,
    )
    (result,) = out.results
    assert result.live.status is LiveStatus.UNSAFE
    assert result.archive.status is ArchiveStatus.NOT_CHECKED
    assert seen == []


def test_references_not_looked_up_say_why() -> None:
    rec = Recorder()
    on = run_checks(
        refs(None, "ftp://files.example/a", "https://a.test/"),
        live_check=rec.live,
        archive_check=rec.archive,
        concurrency=1,
        now_iso=NOW,
    )
    off = run_checks(
        refs("https://a.test/"), live_check=rec.live, archive_check=None, concurrency=1, now_iso=NOW
    )
    no_url, not_http, asked = on.results
    assert (no_url.live.status, no_url.live.detail) == (
        LiveStatus.NO_URL,
        "the citation has no URL",
    )
    assert no_url.live.checked_at == NOW
    details = [r.archive.detail for r in (no_url, not_http, off.results[0])]
    assert details == ["no URL to look up", "not an http(s) URL", "archive checks were turned off"]
    assert asked.archive.status is ArchiveStatus.MISSING
