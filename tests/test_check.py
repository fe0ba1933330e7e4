"""Orchestration: one live check per URL, input order kept, policy applied, Ctrl-C kept."""

from __future__ import annotations

import threading

from verifier.check import failing_ids, interleave_by_host, run_checks
from verifier.model import ArchiveResult, ArchiveStatus, LiveResult, LiveStatus, Reference, Verdict

NOW = "2026-11-26T00:00:00+00:00"


def refs(*urls: str | None) -> list[Reference]:
    return [Reference(id=str(i + 1), title="T", url=u) for i, u in enumerate(urls)]


class Recorder:
    def __init__(self, status: LiveStatus = LiveStatus.OK) -> None:
        self.calls: list[str | None] = []
        self.status = status
        self.lock = threading.Lock()

    def live(self, url: str | None, title: str | None) -> LiveResult:
        with self.lock:
            self.calls.append(url)
        return LiveResult(self.status, http_status=200, final_url=url)

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
    keys = [(f"https://a.test/{i}", "") for i in range(3)] + [
        (f"https://b.test/{i}", "") for i in range(2)
    ]
    hosts = [k[0].split("/")[2] for k in interleave_by_host(keys)]
    assert hosts == ["a.test", "b.test", "a.test", "b.test", "a.test"]


def test_stop_keeps_what_was_checked_before_it_and_drops_what_it_cut() -> None:
    stop = threading.Event()
    rec = Recorder()
    stopped: list[bool] = []

    def live(url: str | None, title: str | None) -> LiveResult:
        if url == "https://h1.test/":
            stop.set()  # Ctrl-C arrives during the second check: its answer is the stop's
        return rec.live(url, title)

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


def test_unconfirmed_dead_link_does_not_fail_the_run() -> None:
    rec = Recorder(LiveStatus.DEAD)
    out = run_checks(
        refs("https://a.test/x"),
        live_check=rec.live,
        archive_check=rec.archive,
        concurrency=1,
        now_iso=NOW,
    )
    assert failing_ids(out.results, ["lost"]) == ["1"]
    assert failing_ids(out.results, ["lost"], confirmed=lambda r: False) == []
    assert failing_ids(out.results, ["rescued"]) == []
