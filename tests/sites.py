"""A library of misbehaving websites, served on loopback for behaviour tests.

Each function adds a route to a ``LoopbackServer`` that behaves like one kind of real
site (a bot wall, a rate limit that clears, a 404 page served as 200 in Russian, a
trickling body...) and returns the URL to check. End-to-end tests reuse them::

    with LoopbackServer() as srv:
        url = sites.head_404_get_200(srv, "/story", "Real title")

Test servers listen on 127.0.0.1, which the default address policy forbids:
``loopback_policy()`` allows 127.0.0.0/8 explicitly.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import ipaddress
import socket
import ssl
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from tests.loopback import Handler, LoopbackServer, Reply, Request, html_page
from verifier.fetch.aio import AsyncTransport, new_loop
from verifier.fetch.connectivity import Connectivity
from verifier.fetch.retry import RetryPolicy
from verifier.fetch.transport import NetworkPolicy, Transport
from verifier.live import LiveChecker

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
TEST_AGENT = "verify-refs-tests/0 (+https://example.invalid; tests)"


def loopback_policy(**kwargs: object) -> NetworkPolicy:
    """The address policy of tests: 127.0.0.0/8 allowed (plus any other settings)."""
    allowed = kwargs.pop("allowed_networks", (LOOPBACK,))
    return NetworkPolicy(allowed_networks=allowed, **kwargs)  # type: ignore[arg-type]


def make_transport(
    policy: NetworkPolicy | None = None,
    *,
    timeout: float = 2.0,
    max_body: int = 512 * 1024,
    per_host: int = 2,
    ca_bundle: str | None = None,
) -> Transport:
    return Transport(
        policy=loopback_policy() if policy is None else policy,
        user_agent=TEST_AGENT,
        timeout=timeout,
        max_body=max_body,
        per_host=per_host,
        ca_bundle=ca_bundle,
    )


class BlockingAsyncTransport:
    """The sweep's ``AsyncTransport`` behind ``Transport``'s blocking call (its own event
    loop on a thread), so that one set of transport tests pins both clients."""

    def __init__(self, **kwargs: object) -> None:
        self._async = AsyncTransport(**kwargs)  # type: ignore[arg-type]
        self.timeout = self._async.timeout
        self._loop = new_loop()  # the sweep's loop
        threading.Thread(target=self._loop.run_forever, daemon=True).start()

    def request(self, method: str, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        call = self._async.request(method, url, **kwargs)  # type: ignore[arg-type]
        return asyncio.run_coroutine_threadsafe(call, self._loop).result()

    def cancel(self) -> None:
        self._loop.call_soon_threadsafe(self._async.cancel)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._async.close(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)


def make_async_transport(
    policy: NetworkPolicy | None = None,
    *,
    timeout: float = 2.0,
    max_body: int = 512 * 1024,
    per_host: int = 2,
    ca_bundle: str | None = None,
) -> BlockingAsyncTransport:
    return BlockingAsyncTransport(
        policy=loopback_policy() if policy is None else policy,
        user_agent=TEST_AGENT,
        timeout=timeout,
        max_body=max_body,
        per_host=per_host,
        ca_bundle=ca_bundle,
    )


def use_client(name: str, monkeypatch: Any) -> list[BlockingAsyncTransport]:
    """For the rest of a test, ``make_transport`` builds client ``name``: "requests" (the
    Transport) or "aiohttp" (the sweep's AsyncTransport behind the same blocking call).
    Returns the list of what it made, for the test's fixture to close."""
    made: list[BlockingAsyncTransport] = []
    if name == "aiohttp":

        def make(*args: object, **kwargs: object) -> BlockingAsyncTransport:
            made.append(make_async_transport(*args, **kwargs))  # type: ignore[arg-type]
            return made[-1]

        monkeypatch.setattr(sys.modules[__name__], "make_transport", make)
    return made


NOW = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
PROBE_HOST = "probe.test"


def make_checker(
    *,
    online_via: LoopbackServer | None = None,
    timeout: float = 2.0,
    attempts: int = 2,
    sleeps: list[float] | None = None,
    allowed_networks: tuple[object, ...] = (LOOPBACK,),
    resolve: dict[str, tuple[str, int | None]] | None = None,
    max_redirects: int = 10,
    max_body: int = 512 * 1024,
    ca_bundle: str | None = None,
) -> LiveChecker:
    """A LiveChecker for tests. ``online_via``: a loopback server that the connectivity
    probe reaches (the checker is then "online"); without it the probes go through the
    test network guard's failing DNS, exactly like this machine: offline. Retry waits are
    recorded in ``sleeps`` instead of slept."""
    mapping = dict(resolve or {})
    probes: tuple[str, ...] = ("https://www.wikipedia.org/", "https://one.one.one.one/")
    if online_via is not None:
        mapping[PROBE_HOST] = ("127.0.0.1", online_via.port)
        probes = (f"http://{PROBE_HOST}/",)
    policy = NetworkPolicy(allowed_networks=allowed_networks, resolve=mapping)  # type: ignore[arg-type]
    transport = make_transport(policy, timeout=timeout, max_body=max_body, ca_bundle=ca_bundle)
    record = sleeps.append if sleeps is not None else (lambda _: None)
    return LiveChecker(
        transport,
        connectivity=Connectivity(transport, probes=probes),
        retry=RetryPolicy(attempts=attempts, backoff=0.01, max_wait=5.0, sleep=record),
        now=lambda: NOW,
        max_redirects=max_redirects,
    )


def sequence(*replies: Reply) -> Handler:
    """Answer with each reply in turn (per request, any method); the last one repeats."""
    lock = threading.Lock()
    count = [0]

    def handler(_: Request) -> Reply:
        with lock:
            i = min(count[0], len(replies) - 1)
            count[0] += 1
        return replies[i]

    return handler


def by_method(**replies: Reply) -> Handler:
    """A different reply per method (``HEAD=Reply(404), GET=Reply(200, ...)``)."""

    def handler(request: Request) -> Reply:
        return replies.get(request.method, replies.get("default", Reply(405)))

    return handler


# --- pages that are fine --------------------------------------------------------------------


def article(server: LoopbackServer, path: str, title: str, **headers: str) -> str:
    return server.route(path, Reply(200, html_page(title, "<p>Story text.</p>"), headers))


def pdf(server: LoopbackServer, path: str) -> str:
    body = b"%PDF-1.4\n" + b"0" * 4096
    return server.route(path, Reply(200, body, {"Content-Type": "application/pdf"}))


def head_404_get_200(server: LoopbackServer, path: str, title: str) -> str:
    """Servers that answer HEAD wrongly while GET works: must not be called dead."""
    page = Reply(200, html_page(title))
    return server.route(path, by_method(HEAD=Reply(404), GET=page))


def head_405(server: LoopbackServer, path: str, title: str) -> str:
    return server.route(path, by_method(HEAD=Reply(405), GET=Reply(200, html_page(title))))


def rate_limited_then_ok(
    server: LoopbackServer, path: str, title: str, *, retry_after: str = "1", times: int = 1
) -> str:
    limited = Reply(429, "Too Many Requests", {"Retry-After": retry_after})
    return server.route(path, sequence(*[limited] * times, Reply(200, html_page(title))))


def unavailable_then_ok(server: LoopbackServer, path: str, title: str, *, times: int = 1) -> str:
    busy = Reply(503, "Service Unavailable", {"Retry-After": "0"})
    return server.route(path, sequence(*[busy] * times, Reply(200, html_page(title))))


def windows_1251_page(server: LoopbackServer, path: str, title: str, *, declared: str) -> str:
    """A Russian page in windows-1251, its charset ``declared`` in the "header", in a
    "meta" tag, or "none" (left to detection)."""
    body_text = (
        "<p>Правительство России утвердило новые правила, которые вступят в силу "
        "в следующем году. Эксперты считают, что изменения затронут миллионы граждан.</p>"
    ) * 3
    head = '<meta charset="windows-1251">' if declared == "meta" else ""
    page = (
        f"<html><head>{head}<title>{title}</title></head><body><h1>{title}</h1>{body_text}"
        "</body></html>"
    ).encode("cp1251")
    ctype = "text/html; charset=windows-1251" if declared == "header" else "text/html"
    return server.route(path, Reply(200, page, {"Content-Type": ctype}))


# --- pages that are gone ----------------------------------------------------------------------


def not_found(server: LoopbackServer, path: str, status: int = 404) -> str:
    page = html_page("404 Not Found" if status == 404 else "Gone")
    return server.route(path, Reply(status, page))


def redirect(server: LoopbackServer, path: str, target: str, status: int = 301) -> str:
    return server.route(path, Reply(status, b"", {"Location": target}))


def home_page(server: LoopbackServer, title: str = "Example News — Home") -> str:
    return server.route("/", Reply(200, html_page(title, "<p>Latest news</p>")))


def redirect_home(server: LoopbackServer, path: str) -> str:
    """A removed article redirected to the home page (a soft 404)."""
    home_page(server)
    return redirect(server, path, "/", 302)


def meta_refresh_home(server: LoopbackServer, path: str) -> str:
    head = '<meta http-equiv="refresh" content="0; url=/">'
    home_page(server)
    return server.route(path, Reply(200, html_page("Redirecting", head=head)))


# Not-found pages served with 200, in the languages of the references.
NOT_FOUND_PAGES = {
    "en": ("Page not found | Example News", "Sorry, we couldn't find that page"),
    "ru": ("Страница не найдена — Ведомости", "Ошибка 404"),
    "uk": ("Сторінку не знайдено", "Такої сторінки не існує"),
    "zh": ("页面不存在_新浪网", "抱歉，您访问的页面不存在"),
    "ja": ("お探しのページは見つかりませんでした", "ページが見つかりません"),
    "de": ("Seite nicht gefunden - DW", "Die Seite wurde nicht gefunden"),
}


def not_found_as_200(server: LoopbackServer, path: str, lang: str) -> str:
    title, heading = NOT_FOUND_PAGES[lang]
    page = f"<html><head><title>{title}</title></head><body><h1>{heading}</h1></body></html>"
    return server.route(path, Reply(200, page.encode("utf-8")))


def drifted_page(server: LoopbackServer, path: str, title: str = "Buy cheap watches online") -> str:
    return article(server, path, title)


# --- sites that refuse ------------------------------------------------------------------------


def bot_wall(server: LoopbackServer, path: str) -> str:
    """Cloudflare's managed challenge: 403, ``cf-mitigated: challenge``, "Just a moment..."."""
    page = html_page("Just a moment...", "<p>Checking your browser</p>")
    return server.route(path, Reply(403, page, {"cf-mitigated": "challenge"}))


def captcha_page(server: LoopbackServer, path: str) -> str:
    """A captcha served with 200."""
    body = '<div class="g-recaptcha" data-sitekey="x"></div>'
    return server.route(path, Reply(200, html_page("Are you a robot?", body)))


def always(server: LoopbackServer, path: str, status: int, **headers: str) -> str:
    return server.route(path, Reply(status, html_page(f"Status {status}"), headers))


# --- sites that break -------------------------------------------------------------------------


def stall(server: LoopbackServer, path: str) -> str:
    """Accepts the request and never answers."""
    return server.route(path, Reply(stall=True))


def trickle(server: LoopbackServer, path: str, *, delay: float = 0.05, size: int = 2000) -> str:
    """Answers at once, then sends the body one byte every ``delay`` seconds."""
    return server.route(path, Reply(200, html_page("Slow", "x" * size), trickle=delay))


def gzip_bomb(server: LoopbackServer, path: str, *, size: int = 20 * 1024 * 1024) -> str:
    """A small gzip body that decompresses to ``size`` bytes."""
    body = _bomb(size)
    return server.route(
        path, Reply(200, body, {"Content-Encoding": "gzip", "Content-Type": "text/html"})
    )


_bombs: dict[int, bytes] = {}


def _bomb(size: int) -> bytes:
    if size not in _bombs:
        _bombs[size] = gzip.compress(b"<html>" + b" " * size, compresslevel=9)
    return _bombs[size]


def reset(server: LoopbackServer, path: str) -> str:
    """Closes the connection without answering."""
    return server.route(path, Reply(close=True))


def malformed(server: LoopbackServer, path: str) -> str:
    return server.route(path, Reply(raw=b"THIS IS NOT HTTP\r\n\r\n"))


def redirect_loop(server: LoopbackServer, path: str) -> str:
    other = path.rstrip("/") + "-loop"
    redirect(server, other, path, 302)
    return redirect(server, path, other, 302)


def refused_url(path: str = "/") -> str:
    """A loopback URL on which nothing listens: the connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


# --- TLS --------------------------------------------------------------------------------------


@contextlib.contextmanager
def tls_server(cert_holder: object, host: str = "127.0.0.1") -> Iterator[LoopbackServer]:
    """A LoopbackServer speaking HTTPS with a certificate from a trustme CA
    (``cert_holder`` is ``ca.issue_cert("name.test")``)."""
    server = LoopbackServer(host)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert_holder.configure_cert(ctx)  # type: ignore[attr-defined]
    # The handshake happens in the handler thread, so a client that gives up on the
    # certificate does not block the accept loop.
    server._httpd.socket = ctx.wrap_socket(
        server._httpd.socket, server_side=True, do_handshake_on_connect=False
    )
    # Handshakes that clients abort on purpose are expected here: keep them off stderr.
    server._httpd.handle_error = lambda *args: None  # type: ignore[method-assign]
    server.start()
    try:
        yield server
    finally:
        server.stop()


def https_url(server: LoopbackServer, name: str, path: str) -> str:
    return f"https://{name}:{server.port}{path}"


SiteFactory = Callable[..., str]
