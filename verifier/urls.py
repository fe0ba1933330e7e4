"""What kind of address a string is: the one rule for "is it http(s)".

Pure, standard library only, so that every layer (the transport, the live check, the
reports, the parsers) can ask it. Whether the URL also needs a host, or may be fetched at
all, stays each caller's own question.
"""

from __future__ import annotations

from urllib.parse import urlsplit

HTTP_SCHEMES = frozenset({"http", "https"})


def is_http(url: str | None) -> bool:
    """Whether ``url`` is an http(s) URL, by its scheme (any case). Not a URL at all
    (None, empty, an unparseable address such as ``http://[::1``) is not."""
    if not url:
        return False
    try:
        return urlsplit(url.strip()).scheme in HTTP_SCHEMES  # urlsplit lowercases it
    except ValueError:
        return False


def is_http_url(url: str | None) -> bool:
    """Whether ``url`` is an http(s) URL naming a host: one that could be fetched or
    replayed at all (an option's URL, an archive's base, a capture's original)."""
    return is_http(url) and bool(host_of(url.strip() if url else ""))


def host_of(url: str) -> str:
    """The host of ``url``, lower-cased; "" when it has none or cannot be parsed."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
