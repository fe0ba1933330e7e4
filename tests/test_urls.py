"""The one "is it http(s)" rule, asked by the transport, the live check, the orchestrator,
the reports and the parsers alike."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

import pytest

from tests.realworld_urls import real_urls
from verifier.urls import host_of, is_http, is_http_url, plain_host, plain_http_host, plain_parts


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.org/", True),
        ("https://example.org/a?b=c", True),
        ("HTTPS://EXAMPLE.ORG/", True),  # schemes are case-insensitive (RFC 3986)
        ("  https://example.org/  ", True),  # as pasted, surrounding spaces
        ("ftp://example.org/file", False),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("mailto:a@example.org", False),
        ("//example.org/no-scheme", False),
        ("example.org", False),
        ("http://[::1", False),  # unparseable: no answer but "no", never an exception
        ("", False),
        (None, False),
    ],
)
def test_is_http(url: str | None, expected: bool) -> None:
    assert is_http(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a", True),
        ("HTTP://Example.com", True),
        ("http://127.0.0.1:8080/web", True),
        ("http:///path-only", False),  # an http(s) scheme but no host
        ("http://", False),
        ("ftp://example.com/", False),
        ("example.com/a", False),
        ("http://[::1", False),  # not parseable
        (None, False),
        ("", False),
    ],
)
def test_is_http_url_needs_a_host(url: str | None, expected: bool) -> None:
    assert is_http_url(url) is expected


def _split_host(url: str) -> str:
    """The host as urllib reads it: what ``host_of`` always answered."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@pytest.mark.parametrize(
    "url",
    [
        "http://Example.COM/a", "https://a.b:80", "https://a.b:/x", "http://a.b#f", "http://a.b?q",
        "http://a.b.", "https://xn--80ak6aa92e.com/", "http://127.0.0.1:8080/p",
    ],
)
def test_a_plain_host_is_read_without_a_split_as_urlsplit_reads_it(url: str) -> None:
    assert plain_host(url) is not None
    assert plain_host(url) == host_of(url) == _split_host(url)


@pytest.mark.parametrize(
    "url",
    [
        " http://a.b/", "\thttp://a.b/", "http://a\t.b/", "http://a.b\n", "http://a.b:8\n0/",
        "HTTP://A.B/", "http://u@a.b/", "http://u:p@a.b/", "http://[::1]/", "http://a.b:8x/",
        "http://a.b\\c/", "http://a%2eb/", "http://пример.рф/", "ftp://a.b/", "http:///p",
        "http://a.b;x/", "http://a_b.c/",
    ],
)
def test_an_unusual_host_is_left_to_urlsplit(url: str) -> None:
    assert plain_host(url) is None
    assert host_of(url) == _split_host(url)


# Characters that make a URL unusual to a splitter, for the random URLs below.
URL_NOISE = "abcXYZ019.-:/?#@[]%\\ \t\n_;~"


def test_random_urls_read_without_a_split_are_read_as_urlsplit_reads_them() -> None:
    urls = list(_random_path_urls(random.Random(7), 20000))
    assert _held_to(plain_host, _split_host, urls) > 2000
    assert [url for url in urls if host_of(url) != _split_host(url)] == []


def test_real_cited_urls_read_without_a_split_are_read_as_urlsplit_reads_them() -> None:
    urls = real_urls()
    assert len(urls) > 1000
    assert _held_to(plain_host, _split_host, urls) > len(urls) * 9 // 10


def _split_http_host(url: str) -> str | None:
    """The host of an http(s) URL that splits, with a valid port, as urllib reads it; None
    for any other URL."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname.lower()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://a.b:65535/", "a.b"), ("https://a.b:0", "a.b"), ("http://a.b:00080/x", "a.b"),
        ("http://a.b:/x", "a.b"), ("http://A.b?q", "a.b"),
        ("http://a.b:65536/", None), ("http://a.b:99999999999999999999/", None),
        ("http://a.b:" + "0" * 5000 + "80/", None), ("http://a.b:" + "9" * 5000, None),
    ],
)
def test_a_plain_http_host_needs_a_port_urlsplit_accepts(url: str, expected: str | None) -> None:
    assert plain_http_host(url) == expected
    assert _split_http_host(url) == expected


def _held_to(fast: Callable[[str], object], split: Callable[[str], object],
             urls: Iterable[str]) -> int:
    """How many of ``urls`` ``fast`` reads (not None), each asserted to be read exactly
    as ``split`` (urlsplit's reading) reads it."""
    taken = 0
    for url in urls:
        got = fast(url)
        if got is not None:
            taken += 1
            assert got == split(url), repr(url)
    return taken


def _random_host_urls(rng: random.Random, count: int) -> Iterator[str]:
    for _ in range(count):
        scheme = rng.choice(["http://", "https://", "http://", "HTTP://", " http://", "ftp://"])
        host = "".join(rng.choice("ab.-9") for _ in range(rng.randrange(0, 6)))
        port = rng.choice(["", "", ":", ":80", ":65535", ":65536", ":070000", ":8a"])
        rest = "".join(rng.choice(URL_NOISE) for _ in range(rng.randrange(0, 8)))
        yield scheme + host + port + rest


def _random_path_urls(rng: random.Random, count: int) -> Iterator[str]:
    for _ in range(count):
        scheme = rng.choice(["http://", "https://", "http://", "HTTP://", " http://", "http:/"])
        yield scheme + "".join(
            rng.choice(URL_NOISE) if rng.random() < 0.3 else rng.choice("abc./")
            for _ in range(rng.randrange(0, 20))
        )


def test_random_urls_given_a_plain_http_host_split_to_it() -> None:
    urls = _random_host_urls(random.Random(11), 20000)
    assert _held_to(plain_http_host, _split_http_host, urls) > 1000


def test_real_cited_urls_given_a_plain_http_host_split_to_it() -> None:
    urls = real_urls()
    assert _held_to(plain_http_host, _split_http_host, urls) > len(urls) * 9 // 10


def _split_parts(url: str) -> tuple[str, str, str, str] | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return parts.scheme, parts.netloc, parts.path, parts.query


@pytest.mark.parametrize(
    "url",
    [
        "http://a.b", "https://A.b:8080/x/y/?q=1&r#frag", "http://a.b?q", "http://a.b#f?x",
        "http://a.b/п/р?ключ=значение", "http://a.b//x//", "http:///x", "http://a.b:/x",
        "http://a.b/%20x?%3F", "http://a.b/x\x7f",
    ],
)
def test_a_plain_url_is_read_in_parts_as_urlsplit_reads_it(url: str) -> None:
    assert plain_parts(url) is not None
    assert plain_parts(url) == _split_parts(url)


@pytest.mark.parametrize(
    "url",
    [
        " http://a.b/", "http://a.b/ x", "http://a.b/\tx", "http://a.b/x\n", "http://a.b?q\r",
        "HTTP://a.b/", "http://u@a.b/", "http://[::1]/", "http://a.b:8x/", "http://a.b\\c/",
        "http://пример.рф/", "ftp://a.b/", "http://a.b/\x00",
    ],
)
def test_an_unusual_url_is_not_read_in_parts(url: str) -> None:
    assert plain_parts(url) is None


def test_random_urls_read_in_parts_are_read_as_urlsplit_reads_them() -> None:
    urls = _random_path_urls(random.Random(13), 20000)
    assert _held_to(plain_parts, _split_parts, urls) > 2000


def test_real_cited_urls_read_in_parts_are_read_as_urlsplit_reads_them() -> None:
    urls = real_urls()
    assert _held_to(plain_parts, _split_parts, urls) > len(urls) * 9 // 10
