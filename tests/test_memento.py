"""Memento archives (RFC 7089): TimeMaps read, and a real pywb's captures joining the choice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.loopback import html_page
from tests.pywb_archive import PywbArchive, WarcCapture, pywb_missing_reason
from tests.wayback_server import make_checker
from verifier.archive_urls import raw_replay_url as raw_memento_url
from verifier.archives.memento import archive_name, parse_timemap, timemap_url
from verifier.model import ArchiveStatus, Reference

FIXTURES = Path(__file__).parent / "fixtures/archives"
URL = "https://news.example/2023/story"
GONE = "https://news.example/2023/gone"
ONLY_PYWB = "https://news.example/2023/only-in-pywb"
TITLE = "Council approves the new river bridge"


def test_timemap_mementos_become_captures():
    text = (FIXTURES / "timemap.link").read_text("utf-8")
    captures = parse_timemap(text, archive="arquivo.example/wayback", original="http://example.com/")
    assert [c.timestamp for c in captures] == ["20090120090000", "20150611140301", "20200101000000"]
    assert all(c.status is None and c.archive == "arquivo.example/wayback" for c in captures)
    assert captures[1].raw_url == (
        "http://arquivo.example/wayback/20150611140301id_/http://example.com/"
    )


@pytest.mark.parametrize(
    ("base", "url", "expected"),
    [
        ("http://pywb.example/coll", "http://a.example/x",
         "http://pywb.example/coll/timemap/link/http://a.example/x"),
        ("https://archive.ph/timemap/{url}", "http://a.example/x",
         "https://archive.ph/timemap/http://a.example/x"),
        ("https://webarchive.loc.gov/all/", "http://a.example/",
         "https://webarchive.loc.gov/all/timemap/link/http://a.example/"),
    ],
)
def test_timemap_address(base, url, expected):
    assert timemap_url(base, url) == expected


def test_archive_names_and_raw_mementos():
    assert archive_name("https://archive.ph/timemap/{url}") == "archive.ph/timemap"
    assert archive_name("http://127.0.0.1:8080/coll/") == "127.0.0.1:8080/coll"
    assert raw_memento_url("https://x.example/c/20200101000000/http://a/") == (
        "https://x.example/c/20200101000000id_/http://a/"
    )
    assert raw_memento_url("https://archive.ph/AbCdE") == "https://archive.ph/AbCdE"


@pytest.fixture(scope="module")
def pywb(tmp_path_factory):
    reason = pywb_missing_reason()
    if reason:
        pytest.skip(reason)
    captures = [
        WarcCapture(URL, datetime(2023, 9, 10, 12, 0, tzinfo=UTC), html_page(TITLE)),
        WarcCapture(GONE, datetime(2022, 1, 1, tzinfo=UTC), html_page("404 Not Found"),
                    status="404 Not Found"),
        WarcCapture(ONLY_PYWB, datetime(2021, 5, 5, tzinfo=UTC), html_page("Only here")),
    ]
    with PywbArchive(tmp_path_factory.mktemp("pywb"), captures) as archive:
        yield archive



@pytest.mark.pywb
def test_pywb_capture_before_the_cited_date_beats_the_wayback_one_after(pywb, wayback):
    wayback.add(URL, "20231001000000", title=TITLE)
    checker = make_checker(wayback, memento_archives=(pywb.base,))
    result = checker.check(Reference(id="1", url=URL, title=TITLE, archive_date="2023-09-13"))
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.snapshot_timestamp == "20230910120000"
    assert result.archive == archive_name(pywb.base)
    assert result.snapshot_url.startswith(pywb.base + "/20230910120000")
    assert result.chosen_by == "closest before archive-date 2023-09-13"


@pytest.mark.pywb
def test_pywb_alone_rescues_a_url_the_wayback_never_captured(pywb, wayback):
    checker = make_checker(wayback, memento_archives=(pywb.base,))
    result = checker.check(Reference(id="1", url=ONLY_PYWB, title="Only here"))
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.archive == archive_name(pywb.base)


@pytest.mark.pywb
def test_pywb_capture_of_a_404_is_archived_error(pywb, wayback):
    checker = make_checker(wayback, memento_archives=(pywb.base,))
    result = checker.check(Reference(id="1", url=GONE, title="Gone story"))
    assert result.status is ArchiveStatus.ARCHIVED_ERROR
    assert result.snapshot_http_status == 404


@pytest.mark.pywb
def test_url_in_no_archive_is_missing(pywb, wayback):
    checker = make_checker(wayback, memento_archives=(pywb.base,))
    result = checker.check(Reference(id="1", url="https://news.example/never"))
    assert result.status is ArchiveStatus.MISSING


def test_unreachable_memento_archive_is_error_not_missing(wayback):
    with socket_closed_port() as port:
        checker = make_checker(wayback, memento_archives=(f"http://127.0.0.1:{port}/coll",))
        result = checker.check(Reference(id="1", url="https://news.example/never"))
    assert result.status is ArchiveStatus.ERROR
    assert f"127.0.0.1:{port}/coll" in result.detail


class socket_closed_port:
    """A loopback port nothing listens on (connections are refused)."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        return self.sock.getsockname()[1]

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
