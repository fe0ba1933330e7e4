"""Which format an input is, from its content (the file name can lie)."""

from __future__ import annotations

import re

# "api": a saved MediaWiki API answer (action=parse or query), read as the article in it.
FORMATS = ("json", "api", "text", "html", "wikitext")

# A JSON document: an object, or an array of JSON values ("[1] Title…" is a numbered
# reference list, "[编辑]" a heading's edit link: text).
_JSON_START = re.compile(
    r"\{(?!\{)|\[(?!\[)\s*(?:[\[{\"\]]|-?\d[\d.eE+-]*\s*(?:,|\]\s*(?:[,\]}]|$))|true|false|null)"
)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|div|section|ol|p)\b", re.I)
_HTML = re.compile(r"<(?:ol|div|span|cite|sup)\b[^>]*>", re.I)
_WIKITEXT = re.compile(r"<ref[\s>/]|\{\{\s*(?:cite|citation)|^=+[^=\n]+=+\s*$", re.I | re.M)


def _api_answer(head: str) -> bool:
    from .apianswer import looks_like_answer

    start = head[:4096]
    return looks_like_answer(head) or (
        '"references"' not in start and bool(re.search(r'"(?:parse|query)"\s*:\s*\{', start))
    )


def detect_format(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")
    if _JSON_START.match(head):
        return "api" if _api_answer(head) else "json"
    if _HTML_START.match(head):  # a document or an API fragment starts with its markup
        return "html"
    if _WIKITEXT.search(text):
        return "wikitext"
    if _HTML.search(text[:8192]):
        return "html"
    return "text"
