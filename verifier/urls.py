"""What kind of address a string is: the one rule for "is it http(s)".

Pure, standard library only, so that every layer (the transport, the live check, the
reports, the parsers) can ask it. Whether the URL also needs a host, or may be fetched at
all, stays each caller's own question.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

HTTP_SCHEMES = frozenset({"http", "https"})
# A run's URLs, each split ~8 times on its way (policy, host, transport, classification).
# urllib's own cache holds 128, so at a few thousand URLs in flight it never hits.
SPLIT_CACHE = 16384


@lru_cache(maxsize=SPLIT_CACHE)
def split_url(url: str) -> SplitResult:
    """``urllib.parse.urlsplit``, remembered (its result is immutable). Raises what it raises."""
    return urlsplit(url)


def is_http(url: str | None) -> bool:
    """Whether ``url`` is an http(s) URL, by its scheme (any case). Not a URL at all
    (None, empty, an unparseable address such as ``http://[::1``) is not."""
    if not url:
        return False
    try:
        return split_url(url.strip()).scheme in HTTP_SCHEMES  # urlsplit lowercases it
    except ValueError:
        return False


def is_http_url(url: str | None) -> bool:
    """Whether ``url`` is an http(s) URL naming a host: one that could be fetched or
    replayed at all (an option's URL, an archive's base, a capture's original)."""
    return is_http(url) and bool(host_of(url.strip() if url else ""))


# An http(s) URL whose host is plain (ASCII letters, digits, dots, hyphens) and ends at a
# port, a path, a query, a fragment or the end: its host is that text, as ``urlsplit``
# reads it. Anything else (spaces or controls, which urlsplit strips or removes; a user;
# brackets; percent-escapes; another scheme or case) is left to urlsplit.
_PLAIN_HOST = re.compile(r"https?://([A-Za-z0-9.-]+)(?::([0-9]*))?(?=[/?#]|\Z)")
MAX_PORT = 65535


def plain_host(url: str) -> str | None:
    """The host of ``url`` when it can be read without splitting it, else None."""
    m = _PLAIN_HOST.match(url)
    return m.group(1).lower() if m is not None else None


def plain_http_host(url: str) -> str | None:
    """The host of an http(s) URL whose host is plain and whose port, if any, is valid,
    read without splitting it; else None (undecided: ask ``urlsplit``).

    Such a URL splits without error, its scheme is http(s), its port is read, and its
    ``hostname`` is this host: what the checks of a URL before it is fetched ask, which a
    split costs ~10 µs of each URL of a sweep (each new to the worker's cache)."""
    m = _PLAIN_HOST.match(url)
    if m is None:
        return None
    # A longer port, even of leading zeros, is left to urlsplit (it refuses thousands).
    port = m.group(2)
    if port and (len(port) > len(str(MAX_PORT)) or int(port) > MAX_PORT):
        return None
    return m.group(1).lower()


# A whole plain http(s) URL: a plain host and port, then a path, a query and a fragment
# with no space or control character (which urlsplit strips or removes).
_PLAIN_URL = re.compile(
    r"(https?)://([A-Za-z0-9.-]*(?::[0-9]*)?)(/[^?#\x00-\x20]*)?"
    r"(?:\?([^#\x00-\x20]*))?(?:#[^\x00-\x20]*)?\Z"
)


def plain_parts(url: str) -> tuple[str, str, str, str] | None:
    """(scheme, netloc, path, query) of a plain http(s) URL, as ``urlsplit`` reads them,
    without splitting it; None when the URL is not plain (ask ``urlsplit``)."""
    m = _PLAIN_URL.match(url)
    if m is None:
        return None
    scheme, netloc, path, query = m.groups()
    return scheme, netloc, path or "", query or ""


@lru_cache(maxsize=SPLIT_CACHE)
def host_of(url: str) -> str:
    """The host of ``url``, lower-cased; "" when it has none or cannot be parsed."""
    # Most cited URLs are plain: ~1 µs, not the ~10 µs of a split. A run with more URLs
    # than the caches hold asks again for each URL in each pass.
    host = plain_host(url)
    if host is not None:
        return host
    try:
        return (split_url(url).hostname or "").lower()
    except ValueError:
        return ""
