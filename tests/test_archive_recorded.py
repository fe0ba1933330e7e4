"""The archive check against the real Wayback Machine's recorded answers.

The loopback archive replays what web.archive.org answered (``tests.recordings``:
status, headers and body as recorded; only ``web.archive.org`` in a ``Location`` is
turned into the loopback archive). Where a query the checker sends has no recording,
the answer is built from recorded rows and the test says so ("BUILT"): the CDX row of
a capture whose replay was recorded is written from that replay's own headers
(``Memento-Datetime``, status), and the availability API, never recorded, answers as it
is known to (``{"archived_snapshots": {}}`` for a URL it holds).
"""

from __future__ import annotations

import pytest

from tests.loopback import Reply
from tests.recordings import cassette, recorded_text
from tests.wayback_server import MemoryCache, WaybackServer, make_checker, url_key
from verifier.archives.verify import judge, observe_snapshot
from verifier.check import combine
from verifier.model import ArchiveStatus, CitedArchive, LiveResult, LiveStatus, Reference, Verdict

FWS = "https://www.fws.gov/birds/"
FWS_TITLE = "U.S. Fish & Wildlife Service - Migratory Bird Program"


@pytest.fixture
def wayback():
    archive = WaybackServer().start()
    yield archive
    archive.stop()


def built_row(original: str, timestamp: str, status: str = "200") -> str:
    """BUILT: a CDX row for a capture whose replay was recorded, from its headers."""
    return f"{url_key(original)} {timestamp} {original} text/html {status} BUILT 0"


def transport_for(wayback):
    from verifier.fetch.transport import NetworkPolicy, Transport, origin_of

    policy = NetworkPolicy(trusted_origins=frozenset({origin_of(wayback.base)}))
    return Transport(policy=policy, user_agent="tests", timeout=2.0)


# -- availability first, then CDX for what it did not give ----------------------------------
def test_an_archived_page_the_availability_api_forgets_is_archived(wayback):
    wayback.play(cassette("test_get_memento"))  # the recorded replay of 20171124151315
    wayback.add_cdx_rows(built_row(FWS, "20171124151315"))
    wayback.forgets.add(url_key(FWS))  # BUILT: {"archived_snapshots": {}}, as reported
    checker = make_checker(wayback)
    ref = Reference(id="1", url=FWS, title=FWS_TITLE)
    checker.prefetch([ref])
    result = checker.check(ref)
    assert result.status is ArchiveStatus.ARCHIVED, result.detail
    assert result.snapshot_timestamp == "20171124151315"
    assert "title matches" in result.detail


def test_only_redirect_captures_are_archived_error_not_missing(wayback):
    # Five months of dw.com: 301s, 302s and revisits of them, no archived 200.
    for exchange in cassette("test_search_with_date"):
        wayback.add_cdx_rows(exchange.body.decode())
    wayback.forgets.add(url_key("https://www.dw.com/"))  # BUILT: it answers nothing then
    checker = make_checker(wayback)
    ref = Reference(id="1", url="https://www.dw.com/")
    checker.prefetch([ref])
    result = checker.check(ref)
    assert result.status is ArchiveStatus.ARCHIVED_ERROR, result.detail
    assert result.snapshot_http_status in (301, 302)


def test_bad_cdx_rows_are_skipped_and_counted_in_the_detail(wayback):
    # The recorded rows as the index serves them; the two with impossible timestamps too.
    wayback.add_cdx_rows(recorded_text("bad_timestamp_cdx.txt"))
    url = "http://www.usatoday.com:80/2000/century/tech/004.htm"
    result = make_checker(wayback).check(Reference(id="1", url=url))
    # The replay of the newest readable row is BUILT from that row (no recording).
    assert result.status is ArchiveStatus.ARCHIVED, result.detail
    assert result.snapshot_timestamp == "20000311052312"
    assert "2 unreadable index row(s) skipped" in result.detail


# -- the replay, read by its Memento headers --------------------------------------------------
def test_a_cited_timestamp_the_archive_moves_to_that_days_capture_is_confirmed(wayback):
    # Cited ...151310; the archive answers 302 "found capture at 20171124151315".
    wayback.play(cassette("test_get_memento_with_inexact_string_datetime"))
    wayback.add_cdx_rows(built_row(FWS, "20171124151315"))
    cited = f"https://web.archive.org/web/20171124151310/{FWS}"
    ref = Reference(id="1", url=FWS, title=FWS_TITLE, archive_url=cited,
                    archive_date="2017-11-24")
    result = make_checker(wayback).check(ref)
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.cited_archive is CitedArchive.CONFIRMED, result.detail


def test_an_archived_429_is_archived_error(wayback):
    url = "http://www.reddit.com/r/PokemonGiveaway"
    wayback.play(cassette("test_get_memento_works_on_archived_rate_limit_responses"))
    # BUILT: a warc/revisit row (status "-") whose digest is not in the answer, as real
    # answers hold; only the replay (recorded: 429 with Memento-Datetime) says what it is.
    wayback.add_cdx_rows(f"{url_key(url)} 20150129034904 {url} warc/revisit - X 0")
    result = make_checker(wayback).check(Reference(id="1", url=url))
    assert result.status is ArchiveStatus.ARCHIVED_ERROR, result.detail
    assert result.snapshot_http_status == 429
    assert "archived HTTP 429" in result.detail


def test_the_archive_rate_limiting_us_is_error(wayback):
    url = "http://www.reddit.com/r/PokemonGiveaway"
    wayback.add_cdx_rows(built_row(url, "20150129034904"))
    # The archive's own 429: no Memento-Datetime.
    wayback.fail["web"] = Reply(429, "Too Many Requests", headers={"Retry-After": "0"})
    result = make_checker(wayback).check(Reference(id="1", url=url))
    assert result.status is ArchiveStatus.ERROR
    assert "429" in result.detail
    wayback.fail.pop("web")
    wayback.fail["cdx"] = Reply(429, "Too Many Requests", headers={"Retry-After": "0"})
    assert make_checker(wayback).check(Reference(id="1", url=url)).status is ArchiveStatus.ERROR


@pytest.mark.parametrize(
    ("name", "asked", "status", "location_ends"),
    [
        ("test_get_memento_follows_historical_redirects",
         "/web/20200201020357id_/http://epa.gov/climatechange", 301,
         "/web/20200201023757id_/https://www.epa.gov/sites/production/files/signpost/cc.html"),
        ("test_get_memento_with_schemeless_redirects",
         "/web/20201102232816id_/https://www.census.gov/geography/gss-initiative.html", 301,
         "/web/20201102232816id_/https://www.census.gov/geo/gssi/"),
        ("test_get_memento_with_path_based_redirects",
         "/web/20201027215555id_/https://www.whitehouse.gov/administration/eop/ostp/about/"
         "student/faqs", 301,
         "/web/20201027215555id_/https://www.whitehouse.gov/ostp/about/student/faqs"),
        ("test_get_memento_raises_for_mementos_that_redirect_in_a_loop",
         "/web/20200925075402id_/https://link.springer.com/article/10.1007/s00382-012-1331-2",
         303, "redirect_uri=https://link.springer.com/article/10.1007/s00382-012-1331-2"),
    ],
    ids=["moved-then-archived-301", "schemeless-location", "path-location", "loop"],
)
def test_archived_redirects_to_another_page_are_judged_as_such(wayback, name, asked, status,
                                                               location_ends):
    wayback.play(cassette(name))
    seen = observe_snapshot(transport_for(wayback), wayback.base + asked, strict=True)
    assert seen.archived and seen.http_status == status
    assert (seen.location or "").endswith(location_ends)
    if name.endswith("schemeless_redirects"):  # "//host/web/...", read against the replay
        assert (seen.location or "").startswith("//")
    verdict = judge(seen, None)
    assert not verdict.ok and verdict.reason.startswith("archived redirect to https://")
    assert "/web/" not in verdict.reason  # the page it went to, not the archive's address


def test_the_archives_own_move_is_followed_to_the_capture(wayback):
    wayback.play(cassette("test_get_memento_follows_historical_redirects"))
    asked = "/web/20200201020357id_/http://epa.gov/climatechange"  # 302, no Memento-Datetime
    seen = observe_snapshot(transport_for(wayback), wayback.base + asked, strict=True)
    assert seen.timestamp == "20200201023757"  # the archived 301's Memento-Datetime


def test_a_no_capture_replay_is_not_an_archived_404(wayback):
    wayback.play(cassette("test_get_memento_raises_no_memento_error"))
    asked = "/web/20170929002712id_/https://this-is-not-real-url.whatever/"
    seen = observe_snapshot(transport_for(wayback), wayback.base + asked, strict=True)
    assert not seen.archived
    verdict = judge(seen, None)
    assert not verdict.ok and verdict.http_status is None
    assert verdict.reason == "the archive holds no capture there"


# -- excluded sites ---------------------------------------------------------------------------
NATIONAL_POST = "https://nationalpost.com/health"


def test_an_excluded_site_is_missing_with_its_reason_and_cached(wayback):
    wayback.play(cassette("test_search_raises_for_blocked_urls"))  # CDX 403 Blocked Site Error
    cache = MemoryCache()
    ref = Reference(id="1", url=NATIONAL_POST, title="Health")
    result = make_checker(wayback, cache=cache).check(ref)
    assert result.status is ArchiveStatus.MISSING
    assert result.excluded
    assert "excludes this site" in result.detail and "Blocked Site Error" in result.detail
    # A definite answer: the next night asks nothing, and is not an error.
    asked = len(wayback.http.hits)
    again = make_checker(wayback, cache=cache).check(ref)
    assert again == result
    assert len(wayback.http.hits) == asked
    # The action names archives that may hold it, not Save Page Now.
    ok = LiveResult(LiveStatus.OK, http_status=200)
    combined = combine(ref, ok, result)
    assert combined.verdict is Verdict.UNARCHIVED
    assert "archive.today" in combined.action and "/save/" not in combined.action


def test_an_excluded_sites_wayback_page_on_replay_is_missing_not_archived(wayback):
    # The recorded replay: 200 "Wayback Machine", no Memento-Datetime. BUILT: a CDX row
    # listing that capture (the CDX answer of that day was not recorded).
    wayback.play(cassette("test_get_memento_raises_blocked_error"))
    page = "https://nationalpost.com/health/"
    wayback.add_cdx_rows(built_row(page, "20170929002712"))
    result = make_checker(wayback).check(Reference(id="1", url=page))  # no title to compare
    assert result.status is ArchiveStatus.MISSING, result.detail
    assert result.excluded and "excluded" in result.detail


def test_an_unmarked_replay_under_a_real_title_is_still_a_capture(wayback):
    # A Wayback-compatible server that sends no Memento headers at all (BUILT: the
    # recorded fws.gov replay with its Memento-Datetime taken away).
    (exchange,) = cassette("test_get_memento")
    wayback.play([exchange])
    path = exchange.path
    reply = wayback.recorded[path]
    reply.headers = {k: v for k, v in reply.headers.items() if k.lower() != "memento-datetime"}
    seen = observe_snapshot(transport_for(wayback), wayback.base + path, strict=True)
    assert seen.archived and judge(seen, FWS_TITLE).ok
