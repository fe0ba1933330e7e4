"""The async transport sends a URL as requests would (byte-identical with the Transport).
Its shortcut, "requests would leave this URL as it is", is held to requests' own answer:
for every URL the shortcut takes, requests prepares exactly that URL."""

from __future__ import annotations

import random

import pytest
from requests.models import PreparedRequest

from tests.realworld_urls import real_urls
from verifier.fetch.aio import _prepared_url, _sent_as_written


def requests_url(url: str) -> str | None:
    prepared = PreparedRequest()
    try:
        prepared.prepare_url(url, None)
    except Exception:
        return None
    return prepared.url


COMMON = [
    "http://example.com/",
    "https://www.rbc.ru/politics/13/09/2023/6501a4b89a79470f3e2ba1d4",
    "https://www.kommersant.ru/doc/6210373?from=main",
    "https://tass.ru/politika/18736851",
    "https://www.nhk.or.jp/news/html/20230913/k10014193631000.html",
    "https://news.example.org/2023/09/13/%D0%9F%D1%83%D1%82%D0%B8%D0%BD",
    "http://127.0.0.1:8080/p/7?id=3&x=a,b;c",
    "https://example.com/a/b.html?q=1/2?3",
]


@pytest.mark.parametrize("url", COMMON)
def test_common_urls_are_sent_as_written_and_requests_agrees(url: str) -> None:
    assert _sent_as_written(url)
    assert requests_url(url) == url == _prepared_url(url)


UNUSUAL = [
    "HTTP://Example.com/",  # requests lower-cases
    "http://EXAMPLE.com/",
    "http://example.com",  # requests adds the "/"
    "http://example.com?q",
    "http://example.com/a/../b",  # requests removes dot segments
    "http://example.com/a/./b",
    "http://example.com/%d0%bf",  # requests upper-cases escapes
    "http://example.com/%41",  # ...and decodes unreserved ones
    "http://example.com:080/",  # ...and reads the port as a number
    "http://example.com:99999/",  # ...or refuses it
    "http://example.com/a b",
    "http://example.com/путь",
    "http://пример.рф/",
    "http://user:pw@example.com/",
    "http://example.com/#frag",
    " http://example.com/",
    "http://example.com/a|b",
    "http://example.com/a%2",
    "http://example.com/?",  # requests drops an empty query
]


@pytest.mark.parametrize("url", UNUSUAL)
def test_unusual_urls_are_left_to_requests(url: str) -> None:
    assert not _sent_as_written(url)
    expected = requests_url(url)
    if expected is not None:
        assert _prepared_url(url) == expected


SCHEMES = ["http://", "https://", "HTTP://", "http:/", "ftp://", " http://"]
HOSTS = [
    "example.com", "EXAMPLE.com", "a.b", "a..b", ".a", "a-b.c", "a.b.", "пример.рф",
    "xn--e1afmkfd.xn--p1ai", "127.0.0.1", "[::1]", "u:p@a.b", "*.a", "a_b.c", "",
]  # fmt: skip
PORTS = ["", "", "", ":80", ":080", ":0", ":65535", ":65536", ":", ":8x"]
SEGMENTS = [
    "a", "A", ".", "..", "a.b", "~u", "%41", "%2F", "%2f", "%D0%BF", "%d0", "%", "%G1",
    "путь", "a b", "a|b", "a\\b", "@:;=,", "!$&'()*+", "é", "\t", "\x00", "`", "[x]",
    "{x}", "^", '"', "", "-_", "%7E", "%7e", "%25",
]  # fmt: skip
QUERIES = ["", "", "?", "?q=1", "?a=b&c=d", "?x/y?z", "?%20", "?a b", "?%41", "?/../", "?é"]
FRAGMENTS = ["", "", "", "#", "#f", "#a b"]


def random_url(rng: random.Random) -> str:
    """Mostly plain parts (the shortcut's ground), one odd part in a few."""

    def pick(options: list[str]) -> str:
        return options[0] if rng.random() < 0.75 else rng.choice(options)

    path = "".join("/" + pick(SEGMENTS) for _ in range(rng.randrange(1, 4)))
    return (
        pick(SCHEMES)
        + pick(HOSTS)
        + pick(PORTS)
        + path
        + rng.choice(QUERIES)
        + pick(FRAGMENTS)
    )


def test_random_urls_taken_by_the_shortcut_are_what_requests_sends() -> None:
    rng = random.Random(13)
    taken = 0
    for _ in range(20000):
        url = random_url(rng)
        if _sent_as_written(url):
            taken += 1
            assert requests_url(url) == url, url
    assert taken > 500, taken


def test_real_cited_urls_taken_by_the_shortcut_are_what_requests_sends() -> None:
    urls = real_urls()
    taken = [url for url in urls if _sent_as_written(url)]
    assert [url for url in taken if requests_url(url) != url] == []
    # Thousands of real URLs, most of them plain enough for the shortcut.
    assert len(urls) > 1000 and len(taken) > len(urls) // 2, (len(urls), len(taken))
