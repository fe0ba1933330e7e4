"""--refresh-urls: import URLs from the live article before checking."""

from __future__ import annotations

import click

from ..errors import InputError
from ..fetch.transport import Transport
from ..parse import Article
from ..parse.detect import detect_format
from ..parse.mediawiki import ImportFailed, fetch_article
from ..parse.merge import merge_urls
from ..records import write_references
from ..settings import Settings


def refresh_urls(article: Article, settings: Settings, transport: Transport) -> Article:
    """Fill missing URLs from the article named by ``source.url``; keeps them in --refs.

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
        click.echo(
            f"verify-refs: --refresh-urls: {exc}; checking the records as they are", err=True
        )
        return article
    merged, merge_report = merge_urls(article, fresh)
    click.echo(f"refresh: {merge_report.summary()}", err=True)
    if detect_format(settings.refs.read_text("utf-8-sig")) == "json":
        write_references(merged, settings.refs)
    return merged
