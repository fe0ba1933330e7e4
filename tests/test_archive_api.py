"""The Wayback APIs as the checker speaks them: CDX (JSON and text), availability, replay."""

from __future__ import annotations

import time
from dataclasses import replace
from email.utils import formatdate

import pytest

from tests.loopback import Reply
from tests.wayback_server import WaybackServer
from verifier.archives.ask import ArchiveUnavailable
from verifier.archives.availability import AvailabilityClient, Query
from verifier.archives.cdx import CdxClient, parse_cdx
from verifier.fetch.retry import ARCHIVE_RETRY
from verifier.fetch.transport import NetworkPolicy, Transport, origin_of

URL = "https://site.example/page"


@pytest.fixture
def wayback():
    archive = WaybackServer().start()
    for ts, status in [
        ("20200101000000", 200),
        ("20200601000000", 404),
        ("20210101000000", 200),
        ("20220101000000", 301),
        ("20230101000000", 200),
    ]:
        archive.add(URL, ts, status=status)
    yield archive
    archive.stop()


@pytest.fixture
def transport(wayback):
    policy = NetworkPolicy(trusted_origins=frozenset({origin_of(wayback.base)}))
    return Transport(policy=policy, user_agent="tests", timeout=2.0)


def archive_retry(attempts: int, backoff: float, max_wait: float):
    """The archives' retry policy with test-sized pauses."""
    return replace(ARCHIVE_RETRY, attempts=attempts, backoff=backoff, max_wait=max_wait)


def cdx(transport, wayback):
    return CdxClient(transport, wayback.base, interval=0, backoff=archive_retry(1, 0, 0))


CDX_CASES = [
    ({}, ["20200101000000", "20200601000000", "20210101000000", "20220101000000",
          "20230101000000"]),
    ({"filters": ["statuscode:200"]}, ["20200101000000", "20210101000000", "20230101000000"]),
    ({"filters": ["!statuscode:200"]}, ["20200601000000", "20220101000000"]),
    ({"filters": ["statuscode:[23].."]},
     ["20200101000000", "20210101000000", "20220101000000", "20230101000000"]),
    ({"from_": "2021", "to": "2022"}, ["20210101000000", "20220101000000"]),
    ({"limit": 2}, ["20200101000000", "20200601000000"]),
    ({"limit": -1}, ["20230101000000"]),
    ({"closest": "20211201", "sort": "closest", "limit": 1}, ["20220101000000"]),
    ({"collapses": ["timestamp:4"]},
     ["20200101000000", "20210101000000", "20220101000000", "20230101000000"]),
]


@pytest.mark.parametrize("output", ["json", "text"])
@pytest.mark.parametrize(("params", "expected"), CDX_CASES, ids=[str(c[0]) for c in CDX_CASES])
def test_cdx_query_parameters_and_both_outputs(wayback, transport, output, params, expected):
    records = cdx(transport, wayback).query(URL, output=output, **params).records
    assert [r.timestamp for r in records] == expected
    assert all(r.original == URL for r in records)


def test_cdx_json_output_is_parsed_with_its_header_row(wayback, transport):
    records = cdx(transport, wayback).query(URL, filters=["statuscode:404"]).records
    assert len(records) == 1
    record = records[0]
    assert (record.statuscode, record.mimetype, record.urlkey) == ("404", "text/html",
                                                                   "example,site)/page")
    assert record.datetime_timestamp.year == 2020


def test_cdx_empty_json_answer_is_no_captures(wayback, transport):
    assert cdx(transport, wayback).query("https://none.example/").records == []


GOOD_ROW = "com,example)/ 20200101000000 http://example.com/ text/html 200 D 10"


@pytest.mark.parametrize(
    "text",
    [
        '[["urlkey","timestamp"],["a,b)/","20200101000000","extra"]]',
        "com,example)/ 20200101000000 http://example.com/\n",
        '[["timestamp"],["2020-01-01"]]',
    ],
    ids=["row longer than header", "text line with too few fields", "malformed timestamp"],
)
def test_an_answer_of_malformed_rows_only_is_refused(text):
    with pytest.raises(ValueError):
        parse_cdx(text)


def test_a_malformed_row_among_good_ones_is_skipped_and_counted():
    answer = parse_cdx(f"{GOOD_ROW}\ncom,example)/ 2020-01-01 http://example.com/ x 200 D 1\n")
    assert [r.timestamp for r in answer.records] == ["20200101000000"]
    assert answer.skipped == 1


def test_cdx_json_lines_from_pywb_are_read():
    text = (
        '{"urlkey": "com,example)/", "timestamp": "20200101000000", "url": "http://example.com/",'
        ' "mime": "text/html", "status": "200", "digest": "X", "length": "10"}\n'
    )
    (record,) = parse_cdx(text).records
    assert (record.original, record.statuscode, record.mimetype) == (
        "http://example.com/", "200", "text/html")


def test_malformed_filter_is_refused_before_asking(wayback, transport):
    with pytest.raises(ValueError):
        cdx(transport, wayback).query(URL, filters=["colour:blue"])
    assert not wayback.hits("cdx")


def test_cdx_503_is_retried_then_unavailable(wayback, transport):
    wayback.fail["cdx"] = Reply(503, "busy")
    pauses: list[float] = []
    client = CdxClient(transport, wayback.base, interval=0, backoff=archive_retry(3, 1.0, 1.5),
                       sleep=pauses.append)
    with pytest.raises(ArchiveUnavailable, match="503"):
        client.query(URL)
    assert len(wayback.hits("cdx")) == 3
    assert pauses == [1.0, 1.5]  # growing, capped


def test_retry_after_as_an_http_date_is_honoured(wayback, transport):
    # Thirty seconds after now, measured against the answer's own Date (the loopback
    # server's clock, to the second); the pause is recorded, not taken.
    wayback.fail["cdx"] = Reply(503, "busy", headers={
        "Retry-After": formatdate(time.time() + 30, usegmt=True)})
    pauses: list[float] = []
    client = CdxClient(transport, wayback.base, interval=0, backoff=archive_retry(2, 1.0, 60.0),
                       sleep=pauses.append)
    with pytest.raises(ArchiveUnavailable, match="503"):
        client.query(URL)
    assert len(pauses) == 1 and 29.0 <= pauses[0] <= 30.0  # not the 1.0 s of the backoff


def test_availability_get_and_batched_post_agree(wayback, transport):
    client = AvailabilityClient(transport, wayback.base, backoff=archive_retry(1, 0, 0))
    queries = [Query(URL, "2021"), Query("https://none.example/"), Query(URL)]
    batch = client.closest_many(queries)
    single = [client.closest(q) for q in queries]
    assert batch == single
    assert batch[0] is not None and batch[0].timestamp == "20210101000000"
    assert batch[1] is None
    assert batch[2] is not None and batch[2].timestamp == "20230101000000"


def test_availability_answer_without_snapshots_key_is_unavailable(wayback, transport):
    wayback.fail["available"] = Reply(200, '{"error": "try later"}')
    client = AvailabilityClient(transport, wayback.base, backoff=archive_retry(1, 0, 0))
    with pytest.raises(ArchiveUnavailable):
        client.closest(Query(URL))


def test_replay_redirects_to_the_exact_timestamp_then_serves_raw(wayback, transport):
    moved = transport.request("GET", f"{wayback.base}/web/2021id_/{URL}")
    assert moved.status == 302
    assert moved.headers["Location"] == f"{wayback.base}/web/20210101000000id_/{URL}"
    raw = transport.request("GET", moved.headers["Location"])
    assert raw.status == 200 and not raw.body.startswith(b"<!-- BEGIN WAYBACK")
    rewritten = transport.request("GET", f"{wayback.base}/web/20210101000000/{URL}")
    assert rewritten.body.startswith(b"<!-- BEGIN WAYBACK")
    archived_404 = transport.request("GET", f"{wayback.base}/web/20200601000000id_/{URL}")
    assert archived_404.status == 404
