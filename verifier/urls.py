"""What kind of address a string is: the one rule for "is it http(s)".

Pure, standard library only, so that every layer (the transport, the live check, the
reports, the parsers) can ask it. Whether the URL also needs a host, or may be fetched at
all, stays each caller's own question.
"""

from __future__ import annotations

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


@lru_cache(maxsize=SPLIT_CACHE)
def host_of(url: str) -> str:
    """The host of ``url``, lower-cased; "" when it has none or cannot be parsed."""
    try:
        return (split_url(url).hostname or "").lower()
    except ValueError:
        return ""
