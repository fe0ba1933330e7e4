"""The URLs that real articles cite, read from the captured pages and wikitext of
``../shared/realworld``: the ground the URL shortcuts are held to."""

from __future__ import annotations

import gzip
import re
from functools import cache
from html import unescape
from pathlib import Path

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
_CITED_URL = re.compile(r"https?://[^\s|\]\[<>\"'{}]+")


@cache
def real_urls() -> tuple[str, ...]:
    """The URLs that real articles cite: in the real wikitext, and in the real rendered
    pages (their text unescaped, as a browser or the article import reads it)."""
    found: set[str] = set()
    for path in sorted((REALWORLD / "wikitext").iterdir()):
        found.update(_CITED_URL.findall(path.read_text("utf-8")))
    for path in sorted((REALWORLD / "html").iterdir()):
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
        found.update(_CITED_URL.findall(unescape(text)))
    return tuple(sorted(found))
