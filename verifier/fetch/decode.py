"""Turning a page's bytes into text: the charset the HTTP header declares, else the one
in ``<meta charset>``, else a guess by charset-normalizer (Russian sites still serve
windows-1251 without saying so). A declaration the bytes contradict is skipped."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I
)
# Where <meta charset> must appear, per the HTML standard (the first 1024 bytes); a little
# more for pages that put comments first.
META_WINDOW = 4096
DETECT_WINDOW = 64 * 1024
# The media types of a web page (what has a <title> to compare).
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def charset_from_header(content_type: str | None) -> str | None:
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else None


def charset_from_meta(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:META_WINDOW])
    return m.group(1).decode("ascii", "ignore") if m else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strict(body: bytes, codec: str, truncated: bool) -> str | None:
    """The text if ``body`` really is in ``codec``; a character cut by the body cap at the
    very end does not count against it."""
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(body) - 4:
            return body[: exc.start].decode(codec, "replace")
        return None


def decode_page(body: bytes, content_type: str | None = None, *, truncated: bool = False) -> str:
    """The text of an HTML page (see the module docstring for the order of evidence)."""
    for declared in (charset_from_header(content_type), charset_from_meta(body)):
        codec = _codec(declared)
        if codec is None:
            continue
        if codec in ("iso8859-1", "ascii"):
            # Browsers read a "latin-1" label as windows-1252; it never fails to decode,
            # so it proves nothing: let detection have a say first.
            break
        text = _strict(body, codec, truncated)
        if text is not None:
            return text
    # Detection looks at the start only: it is slow on big pages, and the start is where
    # the title is.
    guess = from_bytes(body[:DETECT_WINDOW]).best()
    codec = _codec(guess.encoding) if guess is not None else None
    return body.decode(codec or "utf-8", "replace")
