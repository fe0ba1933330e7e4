"""A saved MediaWiki API answer, read as the article inside it.

``action=parse`` answers the rendered HTML (``parse.text``: a string with
``formatversion=2``, ``{"*": …}`` with 1) and, when asked, the wikitext
(``parse.wikitext``); ``action=query&prop=revisions`` answers the wikitext of each page
(``revisions[0]``: ``slots.main.content``, ``slots.main["*"]`` or ``"*"``; ``pages`` a list
with 2, an object keyed by page id with 1). Either is read as that HTML or wikitext is,
so a saved answer never passes for a references file. Pure: the answer is already here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..records import Article, json_document

# How an answer starts (its first key); a references file starts with "source" or
# "references". Saved answers keep the API's key order.
_FIRST_KEY = re.compile(
    r'^\s*\{\s*"(?:parse|query|batchcomplete|continue|warnings|error|servedby|'
    r'curtimestamp|requestid|limits)"\s*:'
)
_ANSWER_KEYS = ("parse", "query", "error")


@dataclass(frozen=True)
class Content:
    """What an answer holds: the page's title and its HTML or wikitext."""

    title: str | None
    html: str | None
    wikitext: str | None
    revid: int | None = None  # the revision the wikitext is (revisions answers)
    timestamp: str | None = None
    missing: bool = False  # the API says there is no such page


def looks_like_answer(text: str) -> bool:
    return bool(_FIRST_KEY.match(text.lstrip("\ufeff")))


def is_answer(data: Any) -> bool:
    """A decoded JSON document that is an API answer, not a references file."""
    return isinstance(data, dict) and "references" not in data and any(
        k in data for k in _ANSWER_KEYS
    )


def answer_error(data: dict[str, Any]) -> str | None:
    """The API's error message, when the answer is an error."""
    if "error" not in data:
        return None
    error = data["error"] if isinstance(data["error"], dict) else {}
    return str(error.get("info") or error.get("code") or "API error")


def content(data: dict[str, Any]) -> Content:
    parsed = data.get("parse")
    if isinstance(parsed, dict):
        return Content(
            title=_str(parsed.get("title")),
            html=_text(parsed.get("text")),
            wikitext=_text(parsed.get("wikitext")),
        )
    query = data.get("query") if isinstance(data.get("query"), dict) else {}
    pages = query.get("pages")
    pages = list(pages.values()) if isinstance(pages, dict) else pages
    for page in pages if isinstance(pages, list) else []:
        if not isinstance(page, dict):
            continue
        revisions = page.get("revisions")
        revision = revisions[0] if isinstance(revisions, list) and revisions else {}
        if not isinstance(revision, dict):
            continue
        slots = revision.get("slots") if isinstance(revision.get("slots"), dict) else {}
        main = slots.get("main") if isinstance(slots.get("main"), dict) else revision
        wikitext = _str(main.get("content")) or _str(main.get("*"))
        if wikitext is not None:
            revid = revision.get("revid")
            return Content(
                title=_str(page.get("title")),
                html=None,
                wikitext=wikitext,
                revid=revid if isinstance(revid, int) and not isinstance(revid, bool) else None,
                timestamp=_str(revision.get("timestamp")),
            )
        if "missing" in page or "invalid" in page:
            return Content(title=_str(page.get("title")), html=None, wikitext=None, missing=True)
    return Content(title=None, html=None, wikitext=None)


def read_answer(text: str, where: str) -> Article:
    """The article in the saved answer ``text``; InputError when it holds none."""
    return article_from_answer(json_document(text, where), where)


def article_from_answer(data: Any, where: str) -> Article:
    if not isinstance(data, dict):
        raise InputError(f"{where}:1: not a MediaWiki API answer")
    if (error := answer_error(data)) is not None:
        raise InputError(f"{where}:1: the saved MediaWiki API answer is an error: {error}")
    found = content(data)
    if found.html is not None:
        from .html import parse_html

        article = parse_html(found.html, where)
    elif found.wikitext is not None:
        from .wikitext import parse_wikitext

        article = parse_wikitext(found.wikitext, where)
    else:
        raise InputError(
            f"{where}:1: the saved MediaWiki API answer holds no article HTML or wikitext"
        )
    if found.title:
        article.source["title"] = found.title
    return article


def _text(value: Any) -> str | None:
    if isinstance(value, dict):  # formatversion=1: {"*": "…"}
        value = value.get("*")
    return _str(value)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
