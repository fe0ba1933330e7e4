"""The transport: one request at a time, under the address policy, a real deadline and
body caps. Every test talks to a real server on loopback."""

from __future__ import annotations

import contextlib
import ipaddress
import threading
import time
import tracemalloc
from collections.abc import Iterator

import pytest

from tests import sites
from tests.loopback import LoopbackServer, Reply, Request, html_page
from verifier.fetch.transport import (
    ConnectionRefused,
    ConnectionReset,
    DeadlineExceeded,
    MalformedResponse,
    NameNotResolved,
    NetworkPolicy,
    UnsafeURL,
    origin_of,
)


@pytest.fixture(params=["requests", "aiohttp"], autouse=True)
def client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every test here runs on both clients: the Transport (requests) and the sweep's
    AsyncTransport (aiohttp), which must keep the very same guarantees."""
    made = sites.use_client(request.param, monkeypatch)
    yield request.param
    for transport in made:
        transport.close()


def test_loopback_is_refused_by_default_and_nothing_is_sent(server: LoopbackServer) -> None:
    url = sites.article(server, "/a", "Title")
    transport = sites.make_transport(NetworkPolicy())
    with pytest.raises(UnsafeURL, match="non-public"):
        transport.request("GET", url)
    assert server.hits == []


def test_an_allowed_network_is_fetched_and_the_peer_recorded(server: LoopbackServer) -> None:
    url = sites.article(server, "/a", "Title")
    resp = sites.make_transport().request("GET", url)
    assert resp.status == 200
    assert b"<title>Title</title>" in resp.body
    assert resp.peer == "127.0.0.1"
    assert not resp.truncated
    assert server.hits[0].headers["User-Agent"] == sites.TEST_AGENT


def test_a_trusted_origin_may_be_on_loopback(server: LoopbackServer) -> None:
    url = sites.article(server, "/a", "Title")
    policy = NetworkPolicy(trusted_origins=frozenset({origin_of(server.origin)}))
    assert sites.make_transport(policy).request("GET", url).status == 200


def test_resolve_connects_to_the_given_address_and_keeps_the_host_header(
    server: LoopbackServer,
) -> None:
    sites.article(server, "/a", "Title")
    policy = sites.loopback_policy(resolve={"news.example": ("127.0.0.1", server.port)})
    resp = sites.make_transport(policy).request("GET", "http://news.example/a")
    assert resp.status == 200
    assert server.hits[0].headers["Host"] == "news.example"


@pytest.mark.parametrize("address", ["10.1.2.3", "192.168.0.1", "169.254.169.254", "127.0.0.1"])
def test_a_name_resolving_to_a_private_address_is_not_fetched(address: str) -> None:
    # The check is on the address the name resolves to, not on the name.
    policy = NetworkPolicy(resolve={"evil.example": (address, None)})
    with pytest.raises(UnsafeURL):
        sites.make_transport(policy).request("GET", "http://evil.example/")


def test_an_allowed_range_does_not_open_other_private_ranges() -> None:
    policy = NetworkPolicy(
        allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        resolve={"evil.example": ("10.0.0.7", None)},
    )
    with pytest.raises(UnsafeURL):
        sites.make_transport(policy).request("GET", "http://evil.example/")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://example.org/file",
        "data:text/html,hi",
        "http://",
        "http://[::1",
        "http://example.org:99999/",
        "//example.org/no-scheme",
    ],
)
def test_non_http_or_malformed_urls_are_unsafe(url: str) -> None:
    with pytest.raises(UnsafeURL):
        sites.make_transport().request("GET", url)


def test_a_name_that_does_not_resolve_raises_name_not_resolved() -> None:
    # The test network guard fails every DNS lookup, as on this machine.
    with pytest.raises(NameNotResolved) as info:
        sites.make_transport().request("GET", "http://no-such-name.example/")
    assert info.value.permanent


def test_a_refused_connection_is_told_apart() -> None:
    with pytest.raises(ConnectionRefused):
        sites.make_transport().request("GET", sites.refused_url())


def test_a_stalled_server_is_cut_at_the_deadline(server: LoopbackServer) -> None:
    url = sites.stall(server, "/stall")
    start = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        sites.make_transport(timeout=0.4).request("GET", url)
    assert time.monotonic() - start < 1.5


def test_a_failed_request_says_how_long_it_took_once_sent(server: LoopbackServer) -> None:
    # A check's budget (--timeout, retries included) is charged with it.
    url = sites.stall(server, "/stall")
    with pytest.raises(DeadlineExceeded) as info:
        sites.make_transport(timeout=0.3).request("GET", url)
    assert info.value.elapsed is not None
    # About the deadline: an event loop's timer may fire a little early (asyncio runs a
    # callback within its clock resolution, uvloop's timers count whole milliseconds), so
    # "at least the deadline" holds only to within that.
    assert 0.29 <= info.value.elapsed < 1.5


def test_a_short_deadline_armed_after_a_long_one_is_kept(server: LoopbackServer) -> None:
    """The one watchdog thread sleeps until the earliest deadline; a request with an earlier
    deadline than any before it wakes it, and is cut while the long one still runs."""
    stalled = sites.stall(server, "/stall")
    trickling = sites.trickle(server, "/slow", delay=0.05)  # only a deadline stops it
    long_done = threading.Event()

    def long_request() -> None:
        with contextlib.suppress(Exception):
            sites.make_transport(timeout=30).request("GET", stalled)
        long_done.set()

    threading.Thread(target=long_request, daemon=True).start()
    while not server.hits:  # the long request is armed and in flight
        time.sleep(0.01)
    with pytest.raises(DeadlineExceeded):
        sites.make_transport(timeout=0.3).request("GET", trickling)
    assert not long_done.is_set()


def test_a_trickling_body_is_cut_at_the_deadline(server: LoopbackServer) -> None:
    # 2000 bytes at one per 50 ms would take 100 s; each byte resets a read timeout,
    # so only a deadline for the whole request stops it.
    url = sites.trickle(server, "/slow", delay=0.05)
    start = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        sites.make_transport(timeout=0.5).request("GET", url)
    assert time.monotonic() - start < 1.5


def test_a_kept_alive_connection_is_cut_at_the_deadline_too(server: LoopbackServer) -> None:
    fast = sites.article(server, "/fast", "Fast")
    slow = sites.trickle(server, "/slow", delay=0.05)
    transport = sites.make_transport(timeout=0.5)
    first = transport.request("GET", fast)
    start = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        transport.request("GET", slow)
    assert time.monotonic() - start < 1.5
    assert first.status == 200


def test_the_body_is_capped(server: LoopbackServer) -> None:
    url = server.route("/big", Reply(200, b"x" * 300_000))
    resp = sites.make_transport(max_body=10_000).request("GET", url)
    assert len(resp.body) == 10_000
    assert resp.truncated


def test_a_body_of_exactly_the_cap_is_not_truncated(server: LoopbackServer) -> None:
    url = server.route("/exact", Reply(200, b"x" * 10_000))
    resp = sites.make_transport(max_body=10_000).request("GET", url)
    assert len(resp.body) == 10_000
    assert not resp.truncated


def test_a_gzip_bomb_is_decompressed_only_up_to_the_cap(server: LoopbackServer) -> None:
    url = sites.gzip_bomb(server, "/bomb", size=30 * 1024 * 1024)
    transport = sites.make_transport(max_body=64 * 1024)
    tracemalloc.start()
    try:
        resp = transport.request("GET", url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert resp.truncated
    assert len(resp.body) == 64 * 1024
    assert resp.body.startswith(b"<html>")
    assert peak < 8 * 1024 * 1024  # the 30 MB never existed in memory


def test_gzip_is_decoded(server: LoopbackServer) -> None:
    import gzip

    page = html_page("Zipped")
    url = server.route("/z", Reply(200, gzip.compress(page), {"Content-Encoding": "gzip"}))
    assert sites.make_transport().request("GET", url).body == page


def test_a_connection_closed_without_answer_is_a_reset(server: LoopbackServer) -> None:
    url = sites.reset(server, "/reset")
    with pytest.raises(ConnectionReset):
        sites.make_transport().request("GET", url)


def test_garbage_instead_of_http_is_malformed(server: LoopbackServer) -> None:
    url = sites.malformed(server, "/garbage")
    with pytest.raises(MalformedResponse):
        sites.make_transport().request("GET", url)


def test_redirects_are_returned_not_followed(server: LoopbackServer) -> None:
    url = sites.redirect(server, "/old", "/new")
    sites.article(server, "/new", "New")
    resp = sites.make_transport().request("GET", url)
    assert resp.status == 301
    assert resp.headers["Location"] == "/new"
    assert [h.path for h in server.hits] == ["/old"]


def test_head_requests_have_no_body(server: LoopbackServer) -> None:
    url = sites.article(server, "/a", "Title")
    resp = sites.make_transport().request("HEAD", url)
    assert resp.status == 200
    assert resp.body == b""


def test_at_most_per_host_requests_run_at_once(server: LoopbackServer) -> None:
    lock = threading.Lock()
    active = [0]
    peak = [0]
    release = threading.Event()

    def slow(_: Request) -> Reply:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        release.wait(0.15)  # hold the request open so that others would overlap
        with lock:
            active[0] -= 1
        return Reply(200, b"ok")

    url = server.route("/slow", slow)
    transport = sites.make_transport(per_host=2)
    threads = [threading.Thread(target=transport.request, args=("GET", url)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(server.hits) == 6
    assert peak[0] == 2


def test_default_headers_are_sent_and_the_callers_replace_them(server: LoopbackServer) -> None:
    url = sites.article(server, "/a", "Title")
    transport = sites.make_transport()
    transport.request("GET", url)
    transport.request("GET", url, headers={"accept": "application/json", "X-Extra": "1"})
    first, second = ({k.lower(): v for k, v in hit.headers.items()} for hit in server.hits)
    assert first["user-agent"] == sites.TEST_AGENT
    assert first["accept-encoding"] == "gzip, deflate"
    assert first["accept"].startswith("text/html")
    assert second["accept"] == "application/json"  # one Accept, the caller's
    assert second["x-extra"] == "1"
    assert "cookie" not in first and "authorization" not in first


def test_a_cookie_set_by_a_site_is_sent_back_to_it_only(server: LoopbackServer) -> None:
    """A site that sets a cookie and sends the client back sees the cookie (else it loops);
    another host does not get it."""
    set_cookie = Reply(302, "", headers={"Location": "/a", "Set-Cookie": "consent=yes; Path=/"})
    server.route("/set", set_cookie)
    url = sites.article(server, "/a", "Title")
    transport = sites.make_transport()
    transport.request("GET", server.url("/set"))
    transport.request("GET", url)
    transport.request("GET", url.replace("127.0.0.1", "localhost"))
    assert [hit.headers.get("Cookie") for hit in server.hits] == [None, "consent=yes", None]


def test_user_and_password_in_the_url_become_basic_auth(server: LoopbackServer) -> None:
    sites.article(server, "/a", "Title")
    url = server.url("/a").replace("http://", "http://us%40er:p%3Ass@")
    assert sites.make_transport().request("GET", url).status == 200
    assert server.hits[0].headers["Authorization"] == "Basic dXNAZXI6cDpzcw=="  # us@er:p:ss


def test_a_non_ascii_path_is_sent_percent_encoded(server: LoopbackServer) -> None:
    sites.article(server, "/wiki/%D0%9F%D1%83%D1%82%D0%B8%D0%BD", "Title")
    resp = sites.make_transport().request("GET", server.url("/wiki/Путин"))
    assert resp.status == 200
    assert server.hits[0].raw_path == "/wiki/%D0%9F%D1%83%D1%82%D0%B8%D0%BD"


def test_connections_are_kept_alive_between_requests(server: LoopbackServer) -> None:
    url = sites.article(server, "/a", "Title")
    transport = sites.make_transport()
    for _ in range(5):
        transport.request("GET", url)
    assert len({hit.client_port for hit in server.hits}) == 1


def test_cookies_set_by_answers_on_many_threads_are_all_kept(server: LoopbackServer) -> None:
    def setter(request: Request) -> Reply:
        name = request.query["n"][0]
        return Reply(200, "ok", headers={"Set-Cookie": f"c{name}=1; Path=/"})

    url = server.route("/set", setter)
    transport = sites.make_transport(per_host=8)
    threads = [
        threading.Thread(target=transport.request, args=("GET", f"{url}?n={i}"))
        for i in range(24)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    transport.request("GET", url + "?n=last")
    sent = server.hits[-1].headers.get("Cookie", "")
    assert sorted(sent.split("; ")) == sorted(f"c{i}=1" for i in range(24))


def test_a_body_is_sent_as_given_with_no_content_type_the_caller_did_not_give(
    server: LoopbackServer,
) -> None:
    """requests sends bytes without a Content-Type of its own; aiohttp would add
    application/octet-stream unless told not to. A GET carries neither."""
    url = sites.article(server, "/a", "Title")
    transport = sites.make_transport()
    transport.request("POST", url, data=b"q=1")
    transport.request("POST", url, data=b"q=2", headers={"Content-Type": "text/plain"})
    transport.request("GET", url)
    posted, typed, got = server.hits
    assert (posted.method, posted.body) == ("POST", b"q=1")
    assert "content-type" not in {k.lower() for k in posted.headers}
    assert (typed.body, typed.headers.get("Content-Type")) == (b"q=2", "text/plain")
    assert got.body == b"" and "content-type" not in {k.lower() for k in got.headers}
