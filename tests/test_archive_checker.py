"""The archive check against a Wayback-compatible archive on loopback.

Every archive status and every cited_archive value comes out of a real exchange with
``tests.wayback_server.WaybackServer``: availability API, CDX API, raw replay.
"""

from __future__ import annotations

import time

import pytest

from tests.loopback import Reply, html_page
from tests.wayback_server import MemoryCache, make_checker
from verifier.model import ArchiveStatus, CitedArchive, Reference

URL = "https://news.example/2023/story"
TITLE = "Council approves the new river bridge"



def ref(**fields) -> Reference:
    return Reference(id="1", url=fields.pop("url", URL), title=fields.pop("title", TITLE), **fields)


def test_archived_200_of_the_cited_page_is_archived(wayback):
    wayback.add(URL, "20230901000000", title=TITLE)
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.snapshot_timestamp == "20230901000000"
    assert result.snapshot_url == f"{wayback.base}/web/20230901000000/{URL}"
    assert result.snapshot_http_status == 200
    assert result.archive == "wayback"
    assert result.chosen_by == "newest"
    assert result.cited_archive is CitedArchive.NONE_CITED
    # The snapshot was verified in raw mode.
    assert any(h.raw_path == f"/web/20230901000000id_/{URL}" for h in wayback.http.hits)


def test_capture_before_the_cited_date_wins_over_a_closer_one_after(wayback):
    wayback.add(URL, "20230820000000", title=TITLE)
    wayback.add(URL, "20230914000000", title=TITLE)  # one day after: closer, but later
    result = make_checker(wayback).check(ref(archive_date="2023-09-13"))
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.snapshot_timestamp == "20230820000000"
    assert result.chosen_by == "closest before archive-date 2023-09-13"
    assert result.cited_archive is CitedArchive.NOT_FOUND  # nothing on 2023-09-13


def test_cited_archive_url_with_a_real_capture_is_confirmed(wayback):
    wayback.add(URL, "20230913120000", title=TITLE)
    cited = f"https://web.archive.org/web/20230913120000/{URL}"
    result = make_checker(wayback).check(ref(archive_url=cited, archive_date="2023-09-13"))
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.cited_archive is CitedArchive.CONFIRMED


def test_cited_timestamp_second_capture_of_a_day_is_confirmed_by_replaying_it(wayback):
    # The CDX index gives one archived 200 a day (collapse); the cited one is the second.
    wayback.add(URL, "20230913080000", title=TITLE)
    wayback.add(URL, "20230913200000", title=TITLE)
    cited = f"https://web.archive.org/web/20230913200000/{URL}"
    result = make_checker(wayback).check(ref(archive_url=cited))
    assert result.cited_archive is CitedArchive.CONFIRMED
    assert any(h.raw_path == f"/web/20230913200000id_/{URL}" for h in wayback.http.hits)


def test_cited_timestamp_moved_to_a_capture_that_day_is_confirmed(wayback):
    # The archive moves the cited 20:00 to its capture at 08:00 the same day.
    wayback.add(URL, "20230913080000", title=TITLE)
    cited = f"https://web.archive.org/web/20230913200000/{URL}"
    result = make_checker(wayback).check(ref(archive_url=cited))
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.cited_archive is CitedArchive.CONFIRMED


def test_cited_timestamp_on_a_day_without_a_capture_is_not_found(wayback):
    wayback.add(URL, "20230913080000", title=TITLE)
    cited = f"https://web.archive.org/web/20230914080000/{URL}"
    result = make_checker(wayback).check(ref(archive_url=cited))
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.cited_archive is CitedArchive.NOT_FOUND


def test_cited_timestamp_moved_to_a_soft_404_that_day_is_not_found(wayback):
    wayback.add(URL, "20230913080000", title=TITLE)
    wayback.add(URL, "20230913210000", title="Page not found")
    cited = f"https://web.archive.org/web/20230913200000/{URL}"
    result = make_checker(wayback).check(ref(archive_url=cited))
    assert result.cited_archive is CitedArchive.NOT_FOUND


def test_only_an_archived_404_is_archived_error(wayback):
    wayback.add(URL, "20230901000000", status=404, title="404 Not Found")
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ARCHIVED_ERROR
    assert result.snapshot_http_status == 404
    assert result.snapshot_timestamp == "20230901000000"


def test_only_an_archived_redirect_is_archived_error(wayback):
    wayback.add(URL, "20230901000000", status=302, body=b"", location="https://news.example/")
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ARCHIVED_ERROR
    assert result.snapshot_http_status == 302


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_only_archived_server_errors_are_archived_error_not_the_archive_failing(wayback, status):
    # A site that answered 5xx (or 429) when it was crawled: the archive answered us fine.
    wayback.add(URL, "20230901000000", status=status, title="Service Unavailable")
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ARCHIVED_ERROR, result.detail
    assert result.snapshot_http_status == status


@pytest.mark.parametrize("status", [500, 503])
def test_capture_indexed_as_200_that_replays_an_archived_5xx_is_archived_error(wayback, status):
    wayback.add(URL, "20230901000000", title=TITLE)

    def replay_5xx(_request):  # the replay carries Memento-Datetime: an archived answer
        return Reply(status, html_page("Service Unavailable"),
                     headers={"Memento-Datetime": "Fri, 01 Sep 2023 00:00:00 GMT",
                              "Content-Type": "text/html; charset=utf-8"})

    wayback.http.routes.prefixes["/web/"] = replay_5xx
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ARCHIVED_ERROR, result.detail
    assert f"archived HTTP {status}" in result.detail


def test_capture_indexed_as_200_that_replays_as_a_redirect_is_not_archived(wayback):
    capture = wayback.add(URL, "20230901000000", title=TITLE, location="https://news.example/")
    capture.status = 200  # the index says 200 ...
    wayback.captures[-1] = capture

    home = f"{wayback.base}/web/20230901000000id_/https://news.example/"

    def replay_redirect(_request):  # ... but the replay is an archived redirect home
        return Reply(302, headers={"Location": home,
                                   "Memento-Datetime": "Fri, 01 Sep 2023 00:00:00 GMT"})

    wayback.http.routes.prefixes["/web/"] = replay_redirect
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ARCHIVED_ERROR
    assert "redirect" in result.detail


def test_archived_soft_404_is_not_archived(wayback):
    wayback.add(URL, "20230901000000", title="Page not found | News Example")
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ARCHIVED_ERROR
    assert "not found" in result.detail


def test_windows_1251_snapshot_declaring_its_charset_only_in_meta_is_archived(wayback):
    title = "Мэрия одобрила строительство нового моста через реку"
    page = html_page(title, charset="windows-1251")  # <meta charset="windows-1251">
    wayback.add(URL, "20230901000000", body=page, charset=None)  # the header says nothing
    result = make_checker(wayback).check(ref(title=title))
    assert result.status is ArchiveStatus.ARCHIVED, result.detail


def test_a_404_in_a_real_title_is_not_a_not_found_page(wayback):
    # Only the live check's "not found" rules apply: a bare number 404 in a headline is news.
    wayback.add(URL, "20230901000000", title="Highway 404 extension opens")
    result = make_checker(wayback).check(ref(title=None))  # a bare URL: no title to compare
    assert result.status is ArchiveStatus.ARCHIVED, result.detail


def test_a_snapshot_of_a_link_cited_with_its_url_as_title_is_archived(wayback):
    # A bare link's "title" is its URL: nothing to compare, so no "different page".
    wayback.add(URL, "20230901000000", title="Weather forecast for the weekend")
    result = make_checker(wayback).check(ref(title=URL))
    assert result.status is ArchiveStatus.ARCHIVED, result.detail


def test_archived_different_page_is_not_archived(wayback):
    wayback.add(URL, "20230901000000", title="Weather forecast for the weekend")
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ARCHIVED_ERROR
    assert "different page" in result.detail


def test_a_soft_404_snapshot_gives_way_to_the_next_good_one(wayback):
    wayback.add(URL, "20220101000000", title=TITLE)
    wayback.add(URL, "20240101000000", title="Page not found")
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.snapshot_timestamp == "20220101000000"
    assert "failed verification" in result.chosen_by


def test_never_captured_is_missing_after_asking_the_cdx_api_too(wayback):
    checker = make_checker(wayback)
    checker.prefetch([ref()])
    result = checker.check(ref())
    assert result.status is ArchiveStatus.MISSING
    assert result.detail == "no snapshot in the archives"
    # The availability API's silence is not trusted: the CDX API was asked (both queries).
    assert wayback.hits("available") and len(wayback.hits("cdx")) == 2


def test_rate_limited_cdx_is_error_after_backing_off(wayback):
    wayback.add(URL, "20230901000000", title=TITLE)
    wayback.fail["cdx"] = Reply(429, "Too Many Requests", headers={"Retry-After": "0"})
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ERROR
    assert "429" in result.detail
    assert len(wayback.hits("cdx")) == 2  # retried once (attempts=2), then gave up


def test_hanging_archive_is_error_within_the_timeout(wayback):
    wayback.fail["cdx"] = Reply(stall=True)
    started = time.monotonic()
    result = make_checker(wayback, timeout=0.5).check(ref())
    assert result.status is ArchiveStatus.ERROR
    assert time.monotonic() - started < 5


def test_failing_archive_is_error_not_missing(wayback):
    wayback.fail["cdx"] = Reply(500, "Internal Server Error")
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ERROR


def test_unreadable_cdx_answer_is_error(wayback):
    wayback.add(URL, "20230901000000", title=TITLE)
    wayback.fail["cdx"] = Reply(200, "<html>maintenance</html>")
    assert make_checker(wayback).check(ref()).status is ArchiveStatus.ERROR


def test_snapshot_replay_failing_is_error_with_the_snapshot_named(wayback):
    wayback.add(URL, "20230901000000", title=TITLE)
    wayback.fail["web"] = Reply(503, "busy")
    result = make_checker(wayback).check(ref())
    assert result.status is ArchiveStatus.ERROR
    assert result.snapshot_timestamp == "20230901000000"


def test_prefetch_asks_for_all_urls_in_one_batched_post(wayback):
    other, never = "https://other.example/a", "https://never.example/b"
    wayback.add(URL, "20230901000000", title=TITLE)
    wayback.add(other, "20200101000000", title="Other page")
    checker = make_checker(wayback)
    refs = [ref(), ref(url=other, title="Other page"), ref(url=never)]
    checker.prefetch(refs)
    posts = [h for h in wayback.hits("available") if h.method == "POST"]
    assert len(posts) == 1
    assert posts[0].headers.get("Wayback-Api-Version") == "2"
    assert len(posts[0].body.decode().splitlines()) == 3
    results = [checker.check(r) for r in refs]
    assert [r.status for r in results] == [
        ArchiveStatus.ARCHIVED, ArchiveStatus.ARCHIVED, ArchiveStatus.MISSING
    ]
    assert not [h for h in wayback.hits("available") if h.method == "GET"]


def test_one_url_cited_twice_is_looked_up_once(wayback):
    wayback.add(URL, "20230901000000", title=TITLE)
    checker = make_checker(wayback)
    checker.check(ref())
    checker.check(ref(archive_date="2023-09-01"))
    assert len(wayback.hits("cdx")) == 1


def test_definite_answers_are_cached_for_the_next_run(wayback):
    wayback.add(URL, "20230901000000", title=TITLE)
    cache = MemoryCache()
    first = make_checker(wayback, cache=cache).check(ref())
    asked = len(wayback.http.hits)
    second = make_checker(wayback, cache=cache).check(ref())
    assert second == first
    assert len(wayback.http.hits) == asked  # nothing asked again


def test_two_titles_citing_one_snapshot_fetch_it_once(wayback):
    wayback.add(URL, "20230901000000", title=TITLE)
    cache = MemoryCache()
    checker = make_checker(wayback, cache=cache)
    first = checker.check(ref())
    other = checker.check(ref(title="Weather forecast for the weekend"))
    raw = [h for h in wayback.http.hits if "id_/" in h.raw_path]
    assert len(raw) == 1
    # Each title is still judged on its own against what the snapshot showed.
    assert first.status is ArchiveStatus.ARCHIVED
    assert other.status is ArchiveStatus.ARCHIVED_ERROR and "different page" in other.detail
    # The next run, under a third title, judges the cached sight without fetching again.
    again = make_checker(wayback, cache=cache).check(ref(title="Council approves river bridge"))
    assert again.status is ArchiveStatus.ARCHIVED
    assert len([h for h in wayback.http.hits if "id_/" in h.raw_path]) == 1


def test_failed_lookups_are_not_cached(wayback):
    wayback.add(URL, "20230901000000", title=TITLE)
    cache = MemoryCache()
    wayback.fail["cdx"] = Reply(503, "down")
    assert make_checker(wayback, cache=cache).check(ref()).status is ArchiveStatus.ERROR
    del wayback.fail["cdx"]
    assert make_checker(wayback, cache=cache).check(ref()).status is ArchiveStatus.ARCHIVED


def test_cdx_requests_are_paced(wayback):
    pauses: list[float] = []
    wayback.add(URL, "20230901000000", status=404)
    checker = make_checker(wayback, cdx_interval=2.5, sleep=pauses.append)
    checker.check(ref())  # two CDX queries: the 200s, then any status
    assert len(wayback.hits("cdx")) == 2
    assert pauses and all(0 < p <= 2.5 for p in pauses)


def test_threads_checking_one_url_share_one_lookup(wayback):
    from concurrent.futures import ThreadPoolExecutor

    wayback.add(URL, "20230901000000", title=TITLE)
    checker = make_checker(wayback)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: checker.check(ref()), range(8)))
    assert {r.status for r in results} == {ArchiveStatus.ARCHIVED}
    assert len(wayback.hits("cdx")) == 1
    raw = [h for h in wayback.http.hits if "id_/" in h.raw_path]
    assert len(raw) == 1
