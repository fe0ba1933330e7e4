"""--refresh-urls: import URLs from the live article before checking."""

from __future__ import annotations

from collections.abc import Callable

from .errors import InputError
from .fetch.transport import Transport
from .model import REFRESHED
from .parse.detect import detect_format
from .parse.mediawiki import ImportFailed, fetch_article
from .parse.merge import merge_urls
from .records import Article, write_references
from .settings import Settings


def refresh_urls(
    article: Article, settings: Settings, transport: Transport, notice: Callable[[str], None]
) -> tuple[Article, str]:
    """Fill missing URLs from the article named by ``source.url``; keeps them in --refs.
    Returns the article and ``REFRESHED``, or why the live article could not be read.

    The references file is rewritten (atomically) only when it is a references file:
    an article given with --refs is the source of truth and is never touched.
    """
    url = article.source.get("url")
    if not url:
        raise InputError(f"{settings.refs}: source.url is missing: nothing to refresh from")
    try:
        fresh = fetch_article(url, transport=transport, api_base=settings.mediawiki_api)
    except ImportFailed as exc:
        # Checking the records as they are is still worth doing: say so and go on.
        notice(f"--refresh-urls: {exc}; checking the records as they are")
        return article, str(exc)
    merged, merge_report = merge_urls(article, fresh)
    notice(f"refresh: {merge_report.summary()}")
    if detect_format(settings.refs.read_text("utf-8-sig")) == "json":
        write_references(merged, settings.refs)
    return merged, REFRESHED
