"""Turning an article into reference records.

``read_article(path)`` reads a references file (``json``), the plain-text rendering of an
article (``text``), its HTML (``html``), its wikitext (``wikitext``) or a saved MediaWiki
API answer holding either (``api``), detecting which
from the content, and returns an ``Article``: ``source`` (title, language, URL, file,
format) and the ``Reference`` records, each with ``origin`` (where in the input it was)
and, when the input has the body, ``cited_in`` (the sentences citing it) in ``extra``.
Anything unreadable raises ``InputError`` with the file and line or record id.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from ..records import Article, from_data, loads
from .detect import FORMATS, detect_format

__all__ = ["FORMATS", "Article", "parse_text", "read_article", "read_article_as", "read_bytes_as"]


def read_article(path: Path, fmt: str | None = None) -> Article:
    """Parse the article or references file at ``path``."""
    return read_article_as(path, fmt)[0]


def read_article_as(path: Path, fmt: str | None = None) -> tuple[Article, str]:
    """The article or references file at ``path``, and the format it was read as
    (``json``: a references file, validated as it was loaded).

    ``source.file`` is the file's name alone, so the records written from an article are
    the same byte for byte whichever copy of it, and whichever working directory, they
    were parsed from (the seed lives both in shared/seed/ and in sources/).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return read_bytes_as(raw, str(path), fmt, name=path.name)


def read_bytes_as(
    raw: bytes, where: str, fmt: str | None = None, *, name: str | None = None
) -> tuple[Article, str]:
    """Like ``read_article_as``, of bytes already read (standard input: ``where`` names
    it in errors); ``name``: the file's name for ``source.file``, if it has one."""
    text = _decode(raw, where)
    fmt = fmt or detect_format(text)
    article = parse_text(text, where, fmt)
    if article.source.get("format") != "json" and name is not None:
        article.source["file"] = name
    return article, fmt


def parse_text(text: str, where: str, fmt: str | None = None) -> Article:
    """Parse ``text`` (named ``where`` in errors) as ``fmt``, or the detected format."""
    if not text.strip():
        # Said as it is: no format's own complaint ("no reference lines") fits nothing.
        raise InputError(f"{where}: the file is empty: no references to check")
    fmt = fmt or detect_format(text)
    if fmt == "api":
        from .apianswer import read_answer

        return _not_empty(read_answer(text, where), where, "a MediaWiki API answer")
    if fmt == "json":
        article = _references_or_answer(text, where)
        article.source.setdefault("format", "json")
        return article
    return _not_empty(_parse_article(text, where, fmt), where, fmt)


def _not_empty(article: Article, where: str, read_as: str) -> Article:
    if not article.references:
        # An article that yields nothing to check is the wrong file, not a clean bill.
        raise InputError(f"{where}:1: no references found (read as {read_as})")
    return article


def _references_or_answer(text: str, where: str) -> Article:
    """A references file, or a saved API answer whose keys came in another order."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return loads(text, where)  # its error, with the line
    from .apianswer import article_from_answer, is_answer

    if is_answer(data):
        return _not_empty(article_from_answer(data, where), where, "a MediaWiki API answer")
    return from_data(data, where)


def _parse_article(text: str, where: str, fmt: str) -> Article:
    if fmt == "text":
        from .plaintext import parse_plaintext

        return parse_plaintext(text, where)
    if fmt == "html":
        from .html import parse_html

        return parse_html(text, where)
    if fmt == "wikitext":
        from .wikitext import parse_wikitext

        return parse_wikitext(text, where)
    raise InputError(f"{where}: unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def _decode(raw: bytes, where: str) -> str:
    """UTF-8 (with or without BOM) first; other encodings only when charset-normalizer is sure."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InputError(f"{where}:1: not text (binary data or an unknown encoding)")
    return str(best)

