"""The live check end to end against misbehaving loopback sites: each test is one kind of
site and the status it must get. Sites that must NOT be called dead are here on purpose:
HEAD-404/GET-200, HEAD-405, bot walls, rate limits and 503s that clear, a flapping 404,
an offline checker."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator

import pytest
import trustme

from tests import sites
from tests.loopback import LoopbackServer, Reply
from verifier.model import LiveStatus as S

TITLE = "Government approves new budget rules"


@pytest.fixture
def online(server: LoopbackServer):
    """A checker that is online: its connectivity probe reaches the loopback server."""
    return sites.make_checker(online_via=server)


# --- ok ---------------------------------------------------------------------------------------


def test_a_matching_page_is_ok_with_everything_recorded(server, online) -> None:
    url = sites.article(server, "/story", TITLE + " — Example News")
    result = online.check(url, TITLE)
    assert result.status is S.OK, result.detail
    assert result.http_status == 200
    assert result.final_url == url
    assert result.redirects == []
    assert result.title_seen == TITLE + " — Example News"
    assert result.title_match == 1.0
    assert result.checked_at == sites.NOW.isoformat()
    assert result.detail


def test_a_page_with_a_cited_title_costs_one_get(server, online) -> None:
    url = sites.article(server, "/story", TITLE)
    online.check(url, TITLE)
    assert [h.method for h in server.hits] == ["GET"]


def test_a_file_is_settled_by_one_head(server, online) -> None:
    url = sites.pdf(server, "/report.pdf")
    result = online.check(url, None)
    assert result.status is S.OK, result.detail
    assert [h.method for h in server.hits] == ["HEAD"]


@pytest.mark.parametrize("site", [sites.head_404_get_200, sites.head_405])
def test_a_wrong_head_answer_is_confirmed_with_get(server, online, site) -> None:
    url = site(server, "/paper.pdf", TITLE)
    result = online.check(url, None)
    assert result.status is S.OK, result.detail
    assert [h.method for h in server.hits] == ["HEAD", "GET"]


def test_head_404_get_200_page_is_ok(server, online) -> None:
    url = sites.head_404_get_200(server, "/story", TITLE)
    assert online.check(url, TITLE).status is S.OK


def test_a_rate_limit_that_clears_after_retry_after_is_ok(server) -> None:
    sleeps: list[float] = []
    # --timeout bounds the whole check, waits included: give it room for the wait.
    checker = sites.make_checker(online_via=server, sleeps=sleeps, timeout=10)
    url = sites.rate_limited_then_ok(server, "/story", TITLE, retry_after="2")
    result = checker.check(url, TITLE)
    assert result.status is S.OK, result.detail
    assert sleeps == [2.0]  # waited as asked, not hammered
    assert len(server.hits_for("/story")) == 2


def test_retry_after_is_capped(server) -> None:
    sleeps: list[float] = []
    checker = sites.make_checker(online_via=server, sleeps=sleeps, timeout=10)
    url = sites.rate_limited_then_ok(server, "/story", TITLE, retry_after="3600")
    assert checker.check(url, TITLE).status is S.OK
    assert sleeps == [5.0]


def test_a_503_that_clears_is_ok(server, online) -> None:
    url = sites.unavailable_then_ok(server, "/story", TITLE)
    assert online.check(url, TITLE).status is S.OK


def test_a_windows_1251_title_is_decoded(server, online) -> None:
    title = "Правительство утвердило новые правила бюджета"
    url = sites.windows_1251_page(server, "/ru", title, declared="none")
    result = online.check(url, title)
    assert result.status is S.OK, result.detail
    assert result.title_seen == title


def test_a_gzip_bomb_is_read_only_up_to_the_cap(server) -> None:
    checker = sites.make_checker(online_via=server, max_body=64 * 1024)
    url = sites.gzip_bomb(server, "/bomb", size=30 * 1024 * 1024)
    start = time.monotonic()
    result = checker.check(url, None)
    assert result.status is S.OK, result.detail
    assert time.monotonic() - start < 3


# --- soft-404 and drifted ------------------------------------------------------------------------


def test_a_redirect_to_the_home_page_is_a_soft_404(server, online) -> None:
    url = sites.redirect_home(server, "/2020/05/story")
    result = online.check(url, TITLE)
    assert result.status is S.SOFT_404, result.detail
    assert result.redirects == [server.url("/")]
    assert result.final_url == server.url("/")


def test_a_meta_refresh_to_the_home_page_is_a_soft_404(server, online) -> None:
    url = sites.meta_refresh_home(server, "/story")
    assert online.check(url, TITLE).status is S.SOFT_404


@pytest.mark.parametrize("lang", sorted(sites.NOT_FOUND_PAGES))
def test_a_not_found_page_served_with_200_is_a_soft_404(server, online, lang: str) -> None:
    url = sites.not_found_as_200(server, "/story", lang)
    result = online.check(url, TITLE)
    assert result.status is S.SOFT_404, result.detail
    assert result.http_status == 200


def test_a_not_found_heading_far_into_the_body_is_read_when_the_title_is_not_the_cited_one(
    server, online
) -> None:
    nav = "<nav>" + "<a href='/x'>section</a>" * 2000 + "</nav>"
    page = f"<html><head><title>Ведомости</title></head><body>{nav}<h1>Ошибка 404</h1></body>"
    url = server.route("/deep", Reply(200, page.encode("utf-8")))
    result = online.check(url, TITLE)
    assert result.status is S.SOFT_404, result.detail
    assert "Ошибка 404" in result.detail


def test_a_page_showing_the_cited_title_is_ok_whatever_its_heading_says(server, online) -> None:
    page = f"<html><head><title>{TITLE}</title></head><body><h1>Not found</h1></body>"
    url = server.route("/same", Reply(200, page.encode("utf-8")))
    assert online.check(url, TITLE).status is S.OK


@pytest.mark.parametrize(
    "url",
    ["http://a.example/a b", "http://a.example/a\tb", "http://a.example/\x7f\x01", "http://a.example/a\u3000b"],
)
def test_urls_with_spaces_or_controls_are_unsafe_and_not_fetched(url: str) -> None:
    result = sites.make_checker().check(url, None)
    assert result.status is S.UNSAFE
    assert "spaces or control characters" in result.detail


def test_a_different_page_is_drifted(server, online) -> None:
    url = sites.drifted_page(server, "/story")
    result = online.check(url, TITLE)
    assert result.status is S.DRIFTED, result.detail
    assert result.title_seen == "Buy cheap watches online"
    assert result.title_match is not None and result.title_match < 0.4


# --- dead -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_404_and_410_confirmed_by_a_second_request_are_dead(server, online, status) -> None:
    url = sites.not_found(server, "/gone", status)
    result = online.check(url, TITLE)
    assert result.status is S.DEAD, result.detail
    assert result.http_status == status
    assert [h.method for h in server.hits_for("/gone")] == ["GET", "GET"]


def test_a_404_at_the_end_of_redirects_is_dead(server, online) -> None:
    sites.not_found(server, "/new-place")
    url = sites.redirect(server, "/old-place", "/new-place")
    result = online.check(url, TITLE)
    assert result.status is S.DEAD, result.detail
    assert result.redirects == [server.url("/new-place")]


def test_a_404_that_is_not_repeated_is_not_dead(server, online) -> None:
    url = server.route("/flaky", sites.sequence(Reply(404), Reply(200, sites.html_page(TITLE))))
    result = online.check(url, TITLE)
    assert result.status is S.OK, result.detail


def test_a_domain_that_does_not_resolve_while_online_is_dead(server, online) -> None:
    result = online.check("http://expired-domain.example/story", TITLE)
    assert result.status is S.DEAD, result.detail


# --- offline --------------------------------------------------------------------------------------


def test_an_offline_checker_never_calls_a_link_dead() -> None:
    # No online_via: the probes hit the failing DNS, as on this machine.
    checker = sites.make_checker()
    result = checker.check("https://www.vedomosti.ru/politics/articles/2020/05/06/x", TITLE)
    assert result.status is S.OFFLINE, result.detail


# --- blocked --------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", [sites.bot_wall, sites.captcha_page])
def test_bot_walls_are_blocked(server, online, site) -> None:
    result = online.check(site(server, "/story"), TITLE)
    assert result.status is S.BLOCKED, result.detail


@pytest.mark.parametrize("status", [401, 403, 429, 451])
def test_refusals_are_blocked(server, online, status: int) -> None:
    result = online.check(sites.always(server, "/story", status), TITLE)
    assert result.status is S.BLOCKED, result.detail
    assert result.http_status == status


# --- error ----------------------------------------------------------------------------------------


def test_a_503_that_persists_is_an_error_after_bounded_retries(server) -> None:
    checker = sites.make_checker(online_via=server, attempts=3)
    url = sites.always(server, "/story", 503)
    result = checker.check(url, TITLE)
    assert result.status is S.ERROR, result.detail
    assert len(server.hits_for("/story")) == 3


def test_a_refused_connection_while_online_is_an_error(online) -> None:
    result = online.check(sites.refused_url("/story"), TITLE)
    assert result.status is S.ERROR, result.detail
    assert "refused" in result.detail


def test_a_stalled_server_is_an_error_cut_by_the_deadline(server) -> None:
    checker = sites.make_checker(online_via=server, timeout=0.3, attempts=1)
    url = sites.stall(server, "/story")
    start = time.monotonic()
    result = checker.check(url, TITLE)
    assert result.status is S.ERROR, result.detail
    assert time.monotonic() - start < 2


def test_a_trickling_body_is_an_error_cut_by_the_deadline(server) -> None:
    checker = sites.make_checker(online_via=server, timeout=0.3, attempts=1)
    url = sites.trickle(server, "/story", delay=0.05)
    start = time.monotonic()
    result = checker.check(url, TITLE)
    assert result.status is S.ERROR, result.detail
    assert time.monotonic() - start < 2


def test_a_redirect_loop_is_an_error(server, online) -> None:
    url = sites.redirect_loop(server, "/a")
    result = online.check(url, TITLE)
    assert result.status is S.ERROR, result.detail
    assert "loop" in result.detail
    assert result.redirects


def test_too_many_redirects_is_an_error(server) -> None:
    checker = sites.make_checker(online_via=server, max_redirects=3)
    for i in range(5):
        sites.redirect(server, f"/r{i}", f"/r{i + 1}")
    result = checker.check(server.url("/r0"), TITLE)
    assert result.status is S.ERROR, result.detail
    assert len(result.redirects) == 4


@pytest.mark.parametrize("site", [sites.reset, sites.malformed])
def test_broken_answers_are_errors(server, online, site) -> None:
    assert online.check(site(server, "/story"), TITLE).status is S.ERROR


def test_a_tls_failure_is_an_error(server) -> None:
    ca = trustme.CA()  # the checker does not trust this CA
    with sites.tls_server(ca.issue_cert("secure.test")) as tls:
        resolve = {"secure.test": ("127.0.0.1", tls.port)}
        checker = sites.make_checker(online_via=server, resolve=resolve)
        result = checker.check("https://secure.test/story", TITLE)
    assert result.status is S.ERROR, result.detail
    assert "TLS" in result.detail


# --- unsafe and no-url ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://ftp.example/x", "data:,hi"]
)
def test_non_http_schemes_are_unsafe(online, url: str) -> None:
    assert online.check(url, TITLE).status is S.UNSAFE


@pytest.fixture
def second_loopback() -> Iterator[LoopbackServer]:
    with LoopbackServer("127.0.0.2") as srv:
        yield srv


def test_a_redirect_into_loopback_is_unsafe_and_not_followed(
    server: LoopbackServer, second_loopback: LoopbackServer
) -> None:
    # Only 127.0.0.2 is allowed; the redirect points at 127.0.0.1.
    checker = sites.make_checker(allowed_networks=(ipaddress.ip_network("127.0.0.2/32"),))
    target = sites.article(server, "/admin", "Internal")
    url = sites.redirect(second_loopback, "/story", target, 302)
    result = checker.check(url, TITLE)
    assert result.status is S.UNSAFE, result.detail
    assert server.hits == []
    assert result.redirects == [target]


def test_a_redirect_into_a_private_network_is_unsafe(server, online) -> None:
    url = sites.redirect(server, "/story", "http://10.0.0.5/admin", 302)
    assert online.check(url, TITLE).status is S.UNSAFE  # the guard proves nothing was sent


def test_a_redirect_into_an_allowed_network_is_followed(server, online) -> None:
    sites.article(server, "/new", TITLE)
    url = sites.redirect(server, "/story", f"http://127.0.0.1:{server.port}/new")
    assert online.check(url, TITLE).status is S.OK


def test_loopback_is_unsafe_by_default(server) -> None:
    checker = sites.make_checker(allowed_networks=())
    url = sites.article(server, "/story", TITLE)
    assert checker.check(url, TITLE).status is S.UNSAFE
    assert server.hits == []


@pytest.mark.parametrize("url", [None, "", "   "])
def test_no_url_is_no_url(online, url) -> None:
    assert online.check(url, TITLE).status is S.NO_URL
