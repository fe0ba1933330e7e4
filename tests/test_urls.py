"""The one "is it http(s)" rule, asked by the transport, the live check, the orchestrator,
the reports and the parsers alike."""

from __future__ import annotations

import pytest

from verifier.urls import is_http, is_http_url


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
