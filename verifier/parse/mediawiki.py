"""Importing a live article through the MediaWiki API, to get the URLs a rendering lost.

One request: ``action=parse&prop=text&formatversion=2&format=json`` on the wiki's API,
through the shared ``Transport`` (address policy, deadline, body cap). Nothing else is
fetched: the article's own links are never followed here.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from ..errors import VerifierError
from ..fetch.transport import FetchError, NameNotResolved, Transport
from ..records import Article
from .html import parse_html
from .wikis import article_url, split_article_url

# Rendered articles run to a few MB; the transport's default cap is sized for titles.
MAX_ARTICLE_BYTES = 16 * 1024 * 1024


class ImportFailed(VerifierError):
    """The article could not be fetched or was not what the API should answer."""


def api_url(api_base: str, lang: str, title: str) -> str:
    query = urlencode(
        {
            "action": "parse",
            "page": title,
            "prop": "text",
            "formatversion": "2",
            "format": "json",
            "redirects": "1",  # the API resolves wiki redirects itself; no HTTP hop
        }
    )
    return f"{api_base.format(lang=lang)}?{query}"


def fetch_article(url: str, *, transport: Transport, api_base: str) -> Article:
    """The live article at the Wikipedia ``url``, parsed from its HTML (with its URLs)."""
    lang, title = split_article_url(url)
    request = api_url(api_base, lang, title)
    api = api_base.format(lang=lang)
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
    if "error" in data:
        error = data["error"] if isinstance(data["error"], dict) else {}
        raise ImportFailed(f"{url}: {error.get('info') or error.get('code') or 'API error'}")
    parsed = data.get("parse") if isinstance(data.get("parse"), dict) else {}
    html = parsed.get("text")
    if isinstance(html, dict):  # formatversion=1 shape, from older wikis
        html = html.get("*")
    if not isinstance(html, str):
        raise ImportFailed(f"{api}: the answer holds no article HTML")
    article = parse_html(html, url)
    real_title = str(parsed.get("title") or title)
    article.source = {
        "title": real_title,
        "language": lang,
        "url": article_url(lang, real_title),
        "format": "html",
        "api": api,
    }
    return article
