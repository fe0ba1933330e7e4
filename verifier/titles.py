"""Page titles: finding them in a page's head and comparing them with cited titles.

PLACEHOLDER: owned by the live-check engineer, who replaces this with the real thing.
The signatures are the contract other modules code against.
"""

from __future__ import annotations

import re

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def extract_title(html: str) -> str | None:
    """The page's title from the head of an HTML document, or None."""
    m = _TITLE.search(html)
    return m.group(1).strip() if m else None


def title_match(cited: str | None, seen: str | None) -> float:
    """How well a seen title matches a cited one, from 0.0 (unrelated) to 1.0 (same)."""
    if not cited or not seen:
        return 0.0
    a, b = set(cited.lower().split()), set(seen.lower().split())
    return len(a & b) / max(1, len(a))
