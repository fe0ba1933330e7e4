"""Real rendered reference lists as a browser copies them, with what their COinS says.

The HTML that real wikis rendered (``../shared/realworld/html``, read in place) carries,
per CS1 citation, the visible text a reader copies and a COinS span (``span.Z3988``) that
the citation module filled from the template's own parameters: an expectation that owes
nothing to the text parser. Each case is one reference list item as copied text (the
``^`` and back-links included) and the COinS fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl

from bs4 import BeautifulSoup

REALWORLD = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld" / "html"
RENDERINGS = {
    "zh": "mobileapps-parse_contents_zh.html",
    "en": "mobileapps-parse_contents_en.html",
    "en-mozilla": "readability-wikipedia.html",
    "en-timeloops": "readability-wikipedia-4.html",
}


@dataclass(frozen=True)
class RealItem:
    wiki: str
    number: int  # the item's place in its list
    text: str  # the visible text, as copied
    coins: dict[str, list[str]]  # every COinS key and its values, in order


@cache
def real_items(wiki: str) -> tuple[RealItem, ...]:
    """The items of ``wiki``'s rendering that hold one CS1 citation (one COinS span)."""
    html = (REALWORLD / RENDERINGS[wiki]).read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    out: list[RealItem] = []
    for ol in soup.select("ol.references"):
        for n, li in enumerate(ol.find_all("li", recursive=False), start=1):
            spans = li.select("span.Z3988")
            if len(spans) != 1:
                continue
            coins: dict[str, list[str]] = {}
            for key, value in parse_qsl(spans[0].get("title", "")):
                # Some pages escape entities twice ("&mdash;" inside the title attribute).
                coins.setdefault(key, []).append(unescape(value))
            for junk in li.select("span.Z3988, style, link"):
                junk.decompose()
            text = re.sub(r"\s+", " ", li.get_text("")).strip()
            out.append(RealItem(wiki, n, text, coins))
    return tuple(out)


def copied_page(wiki: str) -> tuple[str, list[int]]:
    """The page's reference lists as a browser copy gives them — each list under its
    heading and edit link, one item a line — and the reader's numbers of the references
    list (the notes list, first on both pages, is not part of it)."""
    html = (REALWORLD / RENDERINGS[wiki]).read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    edit = "[编辑]" if wiki.startswith("zh") else "[edit]"
    lines = ["Article", "Body text[1]."]
    numbers: list[int] = []
    for ol in soup.select("ol.references"):
        heading = ol.find_previous(["h2", "h3"])
        name = heading.get_text(" ", strip=True) if heading else ""
        lines += [name, edit]
        items = ol.find_all("li", recursive=False)
        for li in items:
            for junk in li.select("span.Z3988, style, link"):
                junk.decompose()
            lines.append(re.sub(r"\s+", " ", li.get_text("")).strip())
        numbers = list(range(1, len(items) + 1))  # the last list is the references
    return "\n".join(lines) + "\n", numbers
