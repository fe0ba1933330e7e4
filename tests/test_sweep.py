"""The live sweep (verifier.sweep): sharded over worker processes on event loops, it judges
every URL exactly as the thread-pool check does, never lets a host see more than 2
requests at once, and reports a worker's death. Real servers on loopback; the workers are
real processes (with the test network guard installed in them too)."""

from __future__ import annotations

import functools
import gc
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from tests import netguard, sites
from tests.loopback import LoopbackServer, Reply, html_page
from verifier.check import run_checks
from verifier.fetch.hostgate import HostGate
from verifier.fetch.retry import RetryPolicy
from verifier.gc_policy import YOUNG_THRESHOLD
from verifier.model import LiveResult, LiveStatus, Reference
from verifier.settings import Settings
from verifier.sweep import check_shard, run_sweep, split_by_host, warm_workers

HOSTS = ("alpha.test", "beta.test", "gamma.test", "delta.test")


def _clock():  # picklable: the workers call it for checked_at
    return sites.NOW


def _web(server: LoopbackServer) -> list[tuple[str, str | None]]:
    """(URL, cited title) of sites of every kind, spread over four host names."""
    s = server
    pages = [
        (sites.article(s, "/ok", "Council approves budget"), "Council approves budget"),
        (sites.article(s, "/ok-untitled", "Anything"), None),
        (sites.not_found(s, "/gone"), "An old story"),
        (sites.not_found(s, "/gone-410", 410), "An older story"),
        (sites.redirect_home(s, "/moved"), "A removed story"),
        (sites.meta_refresh_home(s, "/refresh"), "Refreshed away"),
        (sites.not_found_as_200(s, "/soft-ru", "ru"), "Новые правила"),
        (sites.drifted_page(s, "/drift"), "Railway reopens after repairs"),
        (sites.bot_wall(s, "/wall"), "Behind the wall"),
        (sites.captcha_page(s, "/captcha"), "Behind a captcha"),
        (sites.unavailable_then_ok(s, "/busy", "Busy then fine"), "Busy then fine"),
        (sites.windows_1251_page(s, "/ru", "Правительство утвердило", declared="meta"),
         "Правительство утвердило"),
        (sites.pdf(s, "/report.pdf"), None),
        (sites.head_405(s, "/h405.pdf", "Head refused"), None),
        (sites.redirect_loop(s, "/loop"), "Looping"),
        (sites.reset(s, "/reset"), "Reset"),
        (sites.malformed(s, "/garbage"), "Garbage"),
        (sites.always(s, "/error", 500), "Server error"),
        (sites.redirect(s, "/to-ok", "/ok"), "Council approves budget"),
        ("ftp://alpha.test/file", "Not http"),
    ]
    out = []
    for i, (url, title) in enumerate(pages):
        out.append((url.replace(f"127.0.0.1:{s.port}", HOSTS[i % len(HOSTS)]), title))
    # Across hosts: a page of one shard redirecting into a host of another.
    sites.redirect(s, "/cross", f"http://{HOSTS[1]}/ok")
    out.append((f"http://{HOSTS[0]}/cross", "Council approves budget"))
    return out


def _settings(server: LoopbackServer) -> Settings:
    resolve = {host: ("127.0.0.1", server.port) for host in HOSTS}
    return Settings(policy=sites.loopback_policy(resolve=resolve), timeout=2.0,
                    user_agent=sites.TEST_AGENT)


def _comparable(result: LiveResult) -> LiveResult:
    """All of a result but the time, and the client library's own words about an answer
    that was not HTTP (http.client and aiohttp word a bad status line differently)."""
    detail = re.sub(r"((?:not a valid HTTP answer from|TLS failure with) \S+?): .*", r"\1",
                    result.detail, flags=re.S)
    return replace(result, checked_at=None, detail=detail)


def _threaded(pages: list[tuple[str, str | None]], settings: Settings) -> dict[str, LiveResult]:
    """Today's check: LiveChecker on the requests Transport, on run_checks' thread pool."""
    checker = sites.make_checker(timeout=settings.timeout, attempts=3,
                                 resolve=dict(settings.policy.resolve))
    checker._retry = RetryPolicy()  # the job's (and the sweep's) retries
    refs = [Reference(id=str(i), url=url, title=title) for i, (url, title) in enumerate(pages)]
    outcome = run_checks(refs, live_check=checker.check_titles, archive_check=None,
                         concurrency=16, now_iso=sites.NOW.isoformat())
    return {r.reference.url: _comparable(r.live) for r in outcome.results}  # type: ignore[misc]


def _swept(pages: list[tuple[str, str | None]], settings: Settings, workers: int,
           **kwargs: object) -> dict[str, LiveResult]:
    got: dict[str, LiveResult] = {}
    lock = threading.Lock()

    def emit(url: str, results: list[LiveResult]) -> None:
        with lock:
            assert url not in got, f"{url} emitted twice"
            got[url] = _comparable(results[0])

    items = [(url, [title]) for url, title in pages]
    kwargs.setdefault("initializer", netguard.install)
    run_sweep(settings, False, items, emit, workers=workers, clock=_clock,
              **kwargs)  # type: ignore[arg-type]
    return got


def test_a_sharded_sweep_judges_every_url_as_the_threaded_check_does() -> None:
    with LoopbackServer() as first, LoopbackServer() as second:
        expected = _threaded(_web(first), _settings(first))
        swept = _swept(_web(second), _settings(second), workers=2)
    # Host names, not ports, in every URL: the two webs have the very same URLs.
    assert len(swept) == len(expected) == 21
    assert swept == expected
    # The web is varied enough to mean something: most statuses occur.
    statuses = {r.status for r in swept.values()}
    assert {LiveStatus.OK, LiveStatus.DEAD, LiveStatus.SOFT_404, LiveStatus.DRIFTED,
            LiveStatus.BLOCKED, LiveStatus.ERROR, LiveStatus.UNSAFE} <= statuses


def test_the_shard_is_a_plain_function_of_settings_and_urls() -> None:
    with LoopbackServer() as server:
        pages = _web(server)
        settings = _settings(server)
        items = [(url, [title]) for url, title in pages if "alpha.test" in url]
        results = check_shard(settings, False, items, _clock)
    assert [url for url, _ in results] != []
    assert sorted(url for url, _ in results) == sorted(url for url, _ in items)
    by_url = dict(results)
    assert by_url[f"http://{HOSTS[0]}/ok"][0].status is LiveStatus.OK


def test_each_hosts_urls_go_to_one_shard_and_shards_are_even() -> None:
    items = [(f"http://h{h}.test/{n}", [None]) for h in range(10) for n in range(h + 1)]
    shards = split_by_host(items, 2)
    assert len(shards) == 2
    owners = {}
    for i, shard in enumerate(shards):
        for url, _ in shard:
            assert owners.setdefault(url.split("/")[2], i) == i
    assert sorted(len(s) for s in shards) == [27, 28]


def _counted_web(server: LoopbackServer, hosts: list[str]) -> list[tuple[str, str | None]]:
    """8 pages on each host, and on each a page redirecting into the next host (across
    shards), listed first so that they land on their target while its own pages are
    fetched. The server holds every request a while, or until its host has 3 in flight
    (``hold_for_company``) and counts them as they arrive."""
    server.route("/count", Reply(200, html_page("Counted")))
    for i, _ in enumerate(hosts):
        sites.redirect(server, f"/jump{i}", f"http://{hosts[(i + 1) % len(hosts)]}/count?j")
    server.hold_for_company(2)
    pages: list[tuple[str, str | None]] = [
        (f"http://{h}/jump{i}", "Counted") for i, h in enumerate(hosts)
    ]
    return pages + [(f"http://{h}/count?n={n}", "Counted") for h in hosts for n in range(8)]


def _on(server: LoopbackServer, hosts: list[str]) -> Settings:
    return replace(_settings(server), policy=sites.loopback_policy(
        resolve={h: ("127.0.0.1", server.port) for h in hosts}))


def test_no_host_ever_sees_more_than_two_requests_at_once() -> None:
    hosts = [f"h{i}.test" for i in range(6)]
    with LoopbackServer() as server:
        pages = _counted_web(server, hosts)
        swept = _swept(pages, _on(server, hosts), workers=2)
        peak = dict(server.peak_in_flight)
    assert all(r.status is LiveStatus.OK for r in swept.values())
    assert len(swept) == len(pages)
    assert set(peak) == set(hosts)
    assert max(peak.values()) == 2  # 2 at once did happen, and never more


def test_a_host_shared_by_the_sweep_and_another_client_still_sees_two_at_once() -> None:
    """The run's other client (the archive checks' threaded Transport) fetching the very
    hosts a sharded sweep is checking: one HostGate counts both, across the processes."""
    hosts = [f"h{i}.test" for i in range(4)]
    with LoopbackServer() as server:
        pages = _counted_web(server, hosts)
        settings = _on(server, hosts)
        gate = HostGate(settings.per_host, hosts)
        transport = sites.make_transport(settings.policy)
        answers: list[int] = []

        def other_client() -> None:
            with ThreadPoolExecutor(8) as pool:
                urls = [f"http://{h}/count?other={n}" for h in hosts for n in range(6)]
                answers.extend(pool.map(lambda u: transport.request("GET", u).status, urls))

        with transport.sharing(gate):
            other = threading.Thread(target=other_client)
            other.start()
            swept = _swept(pages, settings, workers=2, gate=gate)
            other.join()
        peak = dict(server.peak_in_flight)
        transport.close()
    assert answers == [200] * 24
    assert all(r.status is LiveStatus.OK for r in swept.values())
    assert set(peak) == set(hosts)
    assert max(peak.values()) == 2
    assert gate.held() == 0  # every count given back


def _die_first(marker: str) -> None:
    """A worker initializer: the first worker to start exits at once."""
    netguard.install()
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return
    os._exit(3)


def test_a_dead_worker_is_reported_and_its_urls_are_errors_never_dead(tmp_path) -> None:
    deaths: list[str] = []
    with LoopbackServer() as server:
        pages = [(url, title) for url, title in _web(server) if not url.startswith("ftp")]
        settings = _settings(server)
        swept = _swept(pages, settings, workers=2, on_death=deaths.append,
                       initializer=functools.partial(_die_first, str(tmp_path / "died")))
    assert len(swept) == len(pages)  # every URL has a result
    assert len(deaths) == 1 and "exit code 3" in deaths[0]
    lost = [r for r in swept.values() if "died" in r.detail]
    assert lost and all(r.status is LiveStatus.ERROR for r in lost)
    assert len(lost) < len(pages)  # the other worker's results came through
    assert all("exit code 3" in r.detail for r in lost)


def test_a_stopped_sweep_returns_promptly_and_ends_its_workers() -> None:
    stop = threading.Event()
    with LoopbackServer() as server:
        stalled = [(sites.stall(server, f"/stall{i}").replace(
            f"127.0.0.1:{server.port}", HOSTS[i % 4]), "Stalled") for i in range(8)]
        settings = replace(_settings(server), timeout=30.0)
        threading.Timer(1.0, stop.set).start()
        start = time.monotonic()
        got = _swept(stalled, settings, workers=2, stop=stop)
        took = time.monotonic() - start
    assert took < 10
    assert got == {}  # nothing judged: a stop is not the links' doing


@pytest.mark.parametrize("workers", [0, 2])
def test_in_process_and_sharded_sweeps_agree(workers: int) -> None:
    with LoopbackServer() as server:
        pages = [(sites.article(server, f"/p{i}", f"Page {i}"), f"Page {i}") for i in range(6)]
        got = _swept(pages, _settings(server), workers=workers)
    assert {r.status for r in got.values()} == {LiveStatus.OK}
    assert len(got) == 6


def test_a_gate_of_one_process_is_not_handed_to_workers() -> None:
    """An in-process gate (no shared memory) cannot count for other processes: a sweep
    over workers refuses it rather than let them count apart."""
    with pytest.raises(ValueError, match="shared HostGate"):
        run_sweep(Settings(), False, [("http://a.test/", [None]), ("http://b.test/", [None])],
                  lambda _u, _r: None, workers=2, clock=_clock,
                  gate=HostGate(2, shared=False))


def _note_parent(folder: str) -> None:
    """A worker initializer: writes down which process started this worker."""
    netguard.install()
    with open(os.path.join(folder, str(os.getpid())), "w") as f:
        f.write(str(os.getppid()))


def _note_gc_threshold(folder: str) -> None:
    """A worker initializer: writes down the collector's young threshold in this worker."""
    netguard.install()
    with open(os.path.join(folder, str(os.getpid())), "w") as f:
        f.write(str(gc.get_threshold()[0]))


def test_the_workers_collect_garbage_at_the_runs_pace(tmp_path) -> None:
    """A worker is a fresh interpreter (CPython's default pace, 700); it takes the run's
    (verifier.gc_policy) before it checks anything, whatever this process's pace is."""
    with LoopbackServer() as server:
        pages = [(sites.article(server, f"/p{i}", f"Page {i}").replace(
            f"127.0.0.1:{server.port}", HOSTS[i % 4]), f"Page {i}") for i in range(4)]
        got = _swept(pages, _settings(server), workers=2,
                     initializer=functools.partial(_note_gc_threshold, str(tmp_path)))
    assert len(got) == 4
    seen = [(tmp_path / name).read_text() for name in os.listdir(tmp_path)]
    assert seen == [str(YOUNG_THRESHOLD)] * 2


def _server_children() -> list[int]:
    """This process's children that are multiprocessing's forkserver: known by the pid it
    was started with (its command line reads as the server's only once its exec is done,
    which ensure_running does not wait for)."""
    from multiprocessing import forkserver

    server = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                # The parent's pid follows the ")" that ends the command's name.
                parent = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended meanwhile
        if parent == os.getpid() and int(pid) == server:
            found.append(int(pid))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_workers_come_from_the_warmed_server_which_the_sweep_then_ends(tmp_path) -> None:
    """warm_workers starts one server ahead of the sweep; the workers are its forks (not
    this process's spawned children), and once the sweep returns the server is gone,
    reaped, so its workers' CPU time is this process's children's."""
    warm_workers()
    servers = _server_children()
    assert len(servers) == 1
    with LoopbackServer() as server:
        pages = [(sites.article(server, f"/p{i}", f"Page {i}").replace(
            f"127.0.0.1:{server.port}", HOSTS[i % 4]), f"Page {i}") for i in range(8)]
        got = _swept(pages, _settings(server), workers=2,
                     initializer=functools.partial(_note_parent, str(tmp_path)))
    assert len(got) == 8 and {r.status for r in got.values()} == {LiveStatus.OK}
    workers = os.listdir(tmp_path)
    assert len(workers) == 2
    assert {(tmp_path / name).read_text() for name in workers} == {str(servers[0])}
    assert _server_children() == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_a_warmed_server_ends_with_a_sweep_that_needed_no_workers() -> None:
    # Every URL on one host: one shard, checked in this process; the server warmed for
    # workers is not left running after the sweep.
    warm_workers()
    assert len(_server_children()) == 1
    with LoopbackServer() as server:
        pages = [(sites.article(server, f"/p{i}", f"Page {i}"), f"Page {i}") for i in range(3)]
        got = _swept(pages, _settings(server), workers=2)
    assert {r.status for r in got.values()} == {LiveStatus.OK}
    assert _server_children() == []
