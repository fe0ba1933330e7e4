"""The demo's sample web: a dozen news sites on loopback that behave the way real ones do.

One threaded HTTP server on 127.0.0.1 serves every site; the site is chosen by the request's
``Host`` header, so the article can cite real-looking names (``www.kcna.example``) and the
main job reaches them with ``--resolve HOST=127.0.0.1:PORT``, as it would reach a real host.
What a site answers may change from one night to the next (``SampleWeb.night``): a page
goes dead, another comes back, so the history has something to tell.

``SITES`` is the one table of what each site does and what the archive holds of it; the
demo runner and the tests read it (``python examples/demo/run.py``, ``tests/test_demo.py``).
Standard library only: the demo needs nothing the project does not install.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

PROBE_HOST = "probe.example"  # --online-probe: "the internet is up" answers here


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    charset: str = "utf-8"


def page(title: str, text: str = "", *, charset: str = "utf-8", lang: str = "en") -> Answer:
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="{charset}">'
        f"<title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"
    )
    return Answer(200, html.encode(charset), charset=charset)


def not_found(text: str = "Not Found") -> Answer:
    return Answer(404, f"<html><body><h1>{text}</h1></body></html>".encode())


# A behaviour: (night, how many times this URL was asked tonight) -> the answer.
Behaviour = Callable[[int, int], Answer]


def always(answer: Answer) -> Behaviour:
    return lambda _night, _count: answer


@dataclass(frozen=True)
class Site:
    """One cited page: what it does, what the demo expects of it, and its captures."""

    name: str  # what it shows, for people reading the demo
    url: str
    title: str
    behaviour: Behaviour
    expect: str  # the verdict on the last night
    captures: tuple[tuple[str, int], ...] = ()  # (timestamp, archived HTTP status)
    archived_title: str | None = None  # the capture's title (default: the cited one)
    extra: dict[str, Answer] = field(default_factory=dict)  # other paths of the same host

    @property
    def host(self) -> str:
        return self.url.split("/")[2]

    @property
    def path(self) -> str:
        return "/" + self.url.split("/", 3)[3]


def _goes_dead_on(night: int, answer: Answer) -> Behaviour:
    return lambda n, _count: answer if n < night else not_found()


def _comes_back_on(night: int, answer: Answer) -> Behaviour:
    return lambda n, _count: answer if n >= night else not_found()


def _rate_limited_once(answer: Answer) -> Behaviour:
    # The first request of a night is told to wait a second; the retry gets the page.
    limited = Answer(429, b"Too Many Requests", (("Retry-After", "1"),))
    return lambda _night, count: limited if count == 1 else answer


KCNA_TITLE = "Kim Jong Un and Putin hold talks at the Vostochny Cosmodrome"
RU_TITLE = "Ким Чен Ын и Владимир Путин провели переговоры на космодроме Восточный"
TASS_TITLE = "Путин и Ким Чен Ын обсудили сотрудничество в космосе"

SITES: tuple[Site, ...] = (
    Site("a live page, archived", "http://www.kcna.example/en/article/summit.html",
         KCNA_TITLE, always(page(KCNA_TITLE)), "healthy", (("20230913120000", 200),)),
    Site("a live page the archive never saw", "http://news.example.com/world/kim-putin-talks",
         "What Kim and Putin agreed in Vostochny",
         always(page("What Kim and Putin agreed in Vostochny")), "unarchived"),
    Site("a 404, archived", "http://www.asia-times.example/2023/09/summit-analysis/",
         "Why the Kim-Putin summit matters", always(not_found()), "rescued",
         (("20230915080000", 200),)),
    Site("a 404 nobody archived", "http://blog.example.net/2023/putin-kim-rail",
         "Kim's armoured train crosses into Russia", always(not_found()), "lost"),
    Site("a redirect to the home page, archived", "http://www.nk-news.example/2023/09/train/",
         "Inside Kim Jong Un's train journey",
         always(Answer(301, b"", (("Location", "http://www.nk-news.example/"),))), "rescued",
         (("20230914100000", 200),),
         extra={"/": page("NK News - North Korea News and Analysis")}),
    Site("a 'not found' page served as 200, archived",
         "http://www.sina.example/news/2023-09-13/summit.shtml", "金正恩与普京举行会谈",
         always(page("页面不存在", "抱歉，您访问的页面不存在", lang="zh")), "rescued",
         (("20230913150000", 200),)),
    Site("a usurped domain, archived", "http://www.summit-watch.example/kim-putin",
         "Summit Watch: the Vostochny meeting",
         always(page("Best Online Casino Bonuses 2026 - Play Slots Now")), "rescued",
         (("20230916090000", 200),)),
    Site("a bot wall", "http://www.reuters.example/world/asia/kim-putin-talks/",
         "Kim, Putin discuss military cooperation",
         always(Answer(403, b"<html><title>Just a moment...</title>Checking your browser</html>",
                       (("cf-mitigated", "challenge"),))), "unverified"),
    Site("a rate limit that clears, archived", "http://www.yonhap.example/en/summit",
         "N. Korean leader arrives in Russia's Far East",
         _rate_limited_once(page("N. Korean leader arrives in Russia's Far East")), "healthy",
         (("20230912230000", 200),)),
    Site("a Russian page in windows-1251, archived", "http://www.kommersant.example/doc/6210000",
         RU_TITLE, always(page(RU_TITLE, charset="windows-1251", lang="ru")), "healthy",
         (("20230913170000", 200),)),
    Site("a page that dies on night 2, archived", "http://www.nhk.example/news/summit.html",
         "Kim and Putin meet in Russia's Far East",
         _goes_dead_on(2, page("Kim and Putin meet in Russia's Far East")), "rescued",
         (("20230913130000", 200),)),
    Site("a page that comes back on night 3, archived", "http://www.tass.example/politika/18738000",
         TASS_TITLE, _comes_back_on(3, page(TASS_TITLE, lang="ru")), "healthy",
         (("20230913140000", 200),)),
)


class SampleWeb:
    """Every site of ``SITES`` (and the probe) on one loopback port, by ``Host`` header."""

    def __init__(self, sites: tuple[Site, ...] = SITES) -> None:
        self.night = 1
        self._routes: dict[tuple[str, str], Behaviour] = {}
        for site in sites:
            self._routes[(site.host, site.path)] = site.behaviour
            for path, answer in site.extra.items():
                self._routes[(site.host, path)] = always(answer)
        self._routes[(PROBE_HOST, "/")] = always(page("online"))
        self._counts: dict[tuple[int, str, str], int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def hosts(self) -> list[str]:
        return sorted({host for host, _ in self._routes})

    def start(self) -> SampleWeb:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SampleWeb:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def answer(self, host: str, path: str) -> Answer:
        behaviour = self._routes.get((host, path))
        if behaviour is None:
            return not_found()
        with self._lock:
            key = (self.night, host, path)
            self._counts[key] = count = self._counts.get(key, 0) + 1
        return behaviour(self.night, count)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version: ClassVar[str] = "sample-web"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self._reply(head=False)

            def do_HEAD(self) -> None:
                self._reply(head=True)

            def _reply(self, *, head: bool) -> None:
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                answer = web.answer(host, self.path.split("?")[0])
                self.send_response(answer.status)
                self.send_header("Content-Type", f"text/html; charset={answer.charset}")
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers:
                    self.send_header(name, value)
                self.end_headers()
                if not head:
                    self.wfile.write(answer.body)

        return Handler
