"""Where an article comes from: a file, or a Wikipedia URL fetched through the API.

One function per thing read (``read_refs``: the records the main job checks;
``read_wikitext``: the text ``fix`` edits), each taking a path or an article URL alike,
so that every command accepts both the same way; ``fetch_from_api`` is the one way a
command talks to a wiki's API.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..errors import InputError
from ..fetch.transport import DEFAULT_PER_HOST, DEFAULT_TIMEOUT
from ..parse.detect import detect_format
from ..parse.wikis import split_article_url
from ..urls import is_http
from .options import build_policy, build_transport

if TYPE_CHECKING:  # the API client and the HTML parser load only when a URL is given
    from ..fetch.transport import Transport
    from ..parse.mediawiki import WikiPage
    from ..records import Article

T = TypeVar("T")

STDIN = "-"  # an article read from standard input, as in lychee, curl, cat
DEFAULT_REFS = "references.json"


def is_article_url(source: str) -> bool:
    """A Wikipedia article's URL rather than a file (the rule Settings.for_input uses)."""
    return is_http(source)


def fetch_from_api(
    url: str,
    fetch: Callable[..., T],
    *,
    api: str,
    allow_network: tuple[str, ...] = (),
    resolve: tuple[str, ...] = (),
    timeout: float = DEFAULT_TIMEOUT,
    per_host: int = DEFAULT_PER_HOST,
) -> T:
    """``fetch(url, transport=…, api_base=api)`` through a Transport of its own, closed after.

    The API the user named is trusted (it may be a local mirror or a test server on a
    private address)."""
    lang, _ = split_article_url(url)
    policy = build_policy(allow_network, resolve, trusted_urls=[api.format(lang=lang)])
    transport = build_transport(policy, timeout=timeout, per_host=per_host)
    try:
        return fetch(url, transport=transport, api_base=api)
    finally:
        transport.close()


def read_wikitext(
    source: str,
    *,
    api: str,
    allow_network: tuple[str, ...] = (),
    resolve: tuple[str, ...] = (),
    timeout: float = DEFAULT_TIMEOUT,
    per_host: int = DEFAULT_PER_HOST,
) -> WikiPage:
    """The wikitext of ``source``: a file (exactly as written: no byte is dropped, a BOM
    neither) or a Wikipedia article URL (its current revision, through the API)."""
    from ..parse.mediawiki import WikiPage, fetch_wikitext

    if is_article_url(source):
        network = {"allow_network": allow_network, "resolve": resolve}
        return fetch_from_api(
            source, fetch_wikitext, api=api, timeout=timeout, per_host=per_host, **network
        )
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text: wikitext is UTF-8") from None
    fmt = detect_format(text)
    if fmt != "wikitext":
        raise InputError(
            f"{path}: not wikitext (it reads as {fmt}): give the article's wikitext "
            "(the text of its edit box) or its Wikipedia URL"
        )
    return WikiPage(text=text, lang=None, title=path.name, url=None)


def read_refs(source: str, *, api: str, transport: Transport) -> Article:
    """The references to check from ``source``: a references file, an article file (text,
    HTML, wikitext), or a Wikipedia article URL, imported through the API as ``parse``
    imports it (its rendered HTML: the URLs the wikitext's templates may build)."""
    if is_article_url(source):
        from ..parse.mediawiki import fetch_article

        return fetch_article(source, transport=transport, api_base=api)
    return read_local(source)[0]


def read_local(source: str, fmt: str | None = None) -> tuple[Article, str]:
    """A file, or ``-`` for standard input, and the format it was read as (``fmt``: forced)."""
    if source == STDIN:
        from ..parse import read_bytes_as

        return read_bytes_as(sys.stdin.buffer.read(), "standard input", fmt)
    from ..parse import read_article_as

    return read_article_as(Path(source), fmt)


def gather_inputs(
    refs: Iterable[str], articles: Iterable[str], files_from: str | None
) -> tuple[str, ...]:
    """The run's articles, in the order given: every ``--refs``, every positional
    argument, then every line of the ``--files-from`` list; each once; references.json
    when none is given."""
    listed = read_list(files_from) if files_from is not None else []
    given = [*refs, *articles]
    if files_from == STDIN and STDIN in given:
        raise InputError("--files-from -: standard input cannot also be an article (-)")
    inputs = tuple(dict.fromkeys(s.strip() for s in [*given, *listed] if s.strip()))
    return inputs or (DEFAULT_REFS,)


def read_list(source: str) -> list[str]:
    """A list of articles (``--files-from``, as lychee's): one file or Wikipedia URL a
    line, blank lines and ``#`` comments skipped; ``-`` is standard input."""
    if source == STDIN:
        text = sys.stdin.read()
    else:
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise InputError(f"{source}: not UTF-8 text: a list of articles, one a line") from None
    lines = [line.strip() for line in text.splitlines()]
    listed = [line for line in lines if line and not line.startswith("#")]
    if not listed:
        raise InputError(f"{source}: lists no article (one file or URL a line)")
    return listed
