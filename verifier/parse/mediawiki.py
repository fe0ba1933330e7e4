"""Importing a live article through the MediaWiki API, to get the URLs a rendering lost.

One request: ``action=parse&prop=text&formatversion=2&format=json`` on the wiki's API
for the rendered article (``fetch_article``), or ``action=query&prop=revisions`` for its
current wikitext and revision id (``fetch_wikitext``, for ``fix``), through the shared
``Transport`` (address policy, deadline, body cap). Nothing else is fetched: the
article's own links are never followed here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from ..errors import VerifierError
from ..fetch.transport import FetchError, NameNotResolved, Transport
from ..records import Article
from .apianswer import answer_error, content
from .html import parse_html
from .wikis import article_url, split_article_url

# Rendered articles run to a few MB; the transport's default cap is sized for titles.
MAX_ARTICLE_BYTES = 16 * 1024 * 1024


class ImportFailed(VerifierError):
    """The article could not be fetched or was not what the API should answer."""


def _request(api_base: str, lang: str, params: dict[str, str]) -> str:
    """An API request: JSON, formatversion=2, wiki redirects resolved by the API itself."""
    query = urlencode({**params, "formatversion": "2", "format": "json", "redirects": "1"})
    return f"{api_base.format(lang=lang)}?{query}"


def api_url(api_base: str, lang: str, title: str) -> str:
    return _request(api_base, lang, {"action": "parse", "page": title, "prop": "text"})


def fetch_article(url: str, *, transport: Transport, api_base: str) -> Article:
    """The live article at the Wikipedia ``url``, parsed from its HTML (with its URLs)."""
    lang, title = split_article_url(url)
    api = api_base.format(lang=lang)
    data = _ask(transport, api_url(api_base, lang, title), api, url)
    found = content(data)  # formatversion 1 or 2, as a saved answer is read
    if found.html is None:
        raise ImportFailed(f"{api}: the answer holds no article HTML")
    article = parse_html(found.html, url)
    real_title = found.title or title
    article.source = {
        "title": real_title,
        "language": lang,
        "url": article_url(lang, real_title),
        "format": "html",
        "api": api,
    }
    return article


@dataclass(frozen=True)
class WikiPage:
    """An article's current wikitext and the revision it is, as the API answered."""

    text: str
    lang: str | None  # None for a file: the wiki is not known
    title: str
    url: str | None  # the article's canonical address (None for a file)
    revid: int | None = None
    timestamp: str | None = None


def revisions_url(api_base: str, lang: str, title: str) -> str:
    return _request(
        api_base,
        lang,
        {
            "action": "query",
            "prop": "revisions",
            "titles": title,
            "rvprop": "content|ids|timestamp",
            "rvslots": "main",
        },
    )


def fetch_wikitext(url: str, *, transport: Transport, api_base: str) -> WikiPage:
    """The current wikitext of the Wikipedia article at ``url``, with its revision id."""
    lang, title = split_article_url(url)
    api = api_base.format(lang=lang)
    data = _ask(transport, revisions_url(api_base, lang, title), api, url)
    found = content(data)  # formatversion 1 or 2, as a saved answer is read
    if found.missing:
        raise ImportFailed(f"{url}: no such article")
    if found.wikitext is None:
        raise ImportFailed(f"{api}: the answer holds no wikitext")
    real_title = found.title or title
    return WikiPage(
        text=found.wikitext,
        lang=lang,
        title=real_title,
        url=article_url(lang, real_title),
        revid=found.revid,
        timestamp=found.timestamp,
    )


def _ask(transport: Transport, request: str, api: str, url: str) -> dict:
    """The API's JSON answer to ``request``; ImportFailed, saying why, for anything else."""
    try:
        resp = transport.request(
            "GET", request, headers={"Accept": "application/json"}, max_body=MAX_ARTICLE_BYTES
        )
    except NameNotResolved as exc:
        raise ImportFailed(
            f"{api}: cannot reach the MediaWiki API: the name does not resolve "
            f"(no internet or DNS?): {exc}"
        ) from None
    except FetchError as exc:
        raise ImportFailed(f"{api}: cannot reach the MediaWiki API: {exc}") from None
    if resp.status != 200:
        raise ImportFailed(f"{api}: the MediaWiki API answered HTTP {resp.status} {resp.reason}")
    if resp.truncated:
        raise ImportFailed(f"{api}: the article is larger than {MAX_ARTICLE_BYTES} bytes")
    try:
        data = json.loads(resp.body)
    except ValueError:
        raise ImportFailed(f"{api}: the MediaWiki API did not answer JSON") from None
    if not isinstance(data, dict):
        raise ImportFailed(f"{api}: unexpected answer from the MediaWiki API")
    if (error := answer_error(data)) is not None:
        raise ImportFailed(f"{url}: {error}")
    return data
