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


# -- presets and the TimeGate --------------------------------------------------------------
def test_presets_name_their_published_addresses():
    from verifier.archive_urls import MEMENTO_PRESETS, memento_archive

    assert {"archive.today", "arquivo.pt", "loc", "ukwa"} <= set(MEMENTO_PRESETS)
    today = memento_archive("archive.today")
    assert today.timemap == "https://archive.ph/timemap/{url}"
    assert today.timegate == "https://archive.ph/timegate/{url}"
    assert timemap_url("loc", "http://a.example/") == (
        "https://webarchive.loc.gov/all/timemap/link/http://a.example/")
    assert archive_name("ukwa") == "ukwa"


def test_an_unknown_preset_is_refused_with_the_names_it_could_be():
    from verifier.archive_urls import memento_archive

    with pytest.raises(ValueError, match=r"archive\.today"):
        memento_archive("archive.todya")


class TimegateOnly:
    """A Memento archive on loopback whose TimeMap is not served (501), with a TimeGate
    that redirects to its newest memento, naming the first one in its Link header."""

    def __init__(self) -> None:
        from tests.loopback import LoopbackServer, Reply

        self.http = LoopbackServer()
        self.Reply = Reply

    def __enter__(self):
        self.http.start()
        self.http.routes = _Prefixes(self.http.routes, {
            "/coll/timemap/": lambda r: self.Reply(501, "TimeMap not implemented"),
            "/coll/2": self._memento,
            "/coll/": self._timegate,
        })
        return self

    def __exit__(self, *exc):
        self.http.stop()

    @property
    def base(self) -> str:
        return f"{self.http.origin}/coll"

    def _timegate(self, request):
        url = request.raw_path.removeprefix("/coll/")
        first = f"<{self.base}/20100101000000/{url}>; rel=\"first memento\"; " \
                "datetime=\"Fri, 01 Jan 2010 00:00:00 GMT\""
        return self.Reply(302, headers={"Location": f"{self.base}/20230910120000/{url}",
                                        "Link": f"<{url}>; rel=\"original\", {first}",
                                        "Vary": "accept-datetime"})

    def _memento(self, request):
        title = TITLE if request.raw_path.startswith("/coll/20230910120000") else "Old"
        return self.Reply(200, html_page(title), headers={
            "Content-Type": "text/html; charset=utf-8",
            "Memento-Datetime": "Sun, 10 Sep 2023 12:00:00 GMT"})


class _Prefixes(dict):
    def __init__(self, exact, prefixes):
        super().__init__(exact)
        self.prefixes = prefixes

    def get(self, path, default=None):  # type: ignore[override]
        for prefix, handler in self.prefixes.items():
            if path.startswith(prefix):
                return handler
        return super().get(path, default)


def test_an_archive_without_a_timemap_is_asked_at_its_timegate(wayback):
    with TimegateOnly() as archive:
        checker = make_checker(wayback, memento_archives=(archive.base,))
        result = checker.check(Reference(id="1", url=URL, title=TITLE))
        timegate_hits = [h for h in archive.http.hits if h.raw_path == f"/coll/{URL}"]
    assert result.status is ArchiveStatus.ARCHIVED, result.detail
    assert result.archive == archive_name(archive.base)
    assert result.snapshot_timestamp == "20230910120000"
    assert len(timegate_hits) == 1


def test_the_command_line_refuses_an_unknown_archive_name_in_one_line(tmp_path):
    from click.testing import CliRunner

    from verifier.cli.app import main

    result = CliRunner().invoke(main, ["--memento-archive", "archive.todya",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "archive.today, arquivo.pt" in result.output
    assert "Traceback" not in result.output and not list(tmp_path.iterdir())
