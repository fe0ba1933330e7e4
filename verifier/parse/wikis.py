"""Wikipedia article URLs: built from a language and a title, and taken apart again."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import InputError
from ..urls import is_http

_HOST = re.compile(r"(?P<lang>[a-z][a-z0-9-]*)\.(?:m\.)?wikipedia\.org", re.I)
# zh serves the same article under script variants: /zh-cn/Title, /zh-hans/Title, ...
_ARTICLE_PATH = re.compile(r"/(?:wiki|zh(?:-[a-z]+)?)/(?P<title>.+)")


def article_url(lang: str, title: str) -> str:
    """The article's canonical address, with the title as people read it (not %-encoded)."""
    return f"https://{lang}.wikipedia.org/wiki/{title.replace(' ', '_')}"


def split_article_url(url: str) -> tuple[str, str]:
    """(language, title) of a Wikipedia article URL; InputError for anything else."""
    parts = urlsplit(url)
    host = _HOST.fullmatch(parts.hostname or "")
    if not is_http(url) or not host:
        raise InputError(f"{url}: not a Wikipedia article URL (https://<lang>.wikipedia.org/wiki/…)")
    title = None
    if m := _ARTICLE_PATH.fullmatch(parts.path):
        title = unquote(m.group("title"))
    elif parts.path.endswith("/index.php"):
        title = (parse_qs(parts.query).get("title") or [None])[0]
    if not title:
        raise InputError(f"{url}: no article title in the URL")
    return host.group("lang").lower(), title.replace("_", " ")
