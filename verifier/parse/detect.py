"""Which format an input is, from its content (the file name can lie)."""

from __future__ import annotations

import re

FORMATS = ("json", "text", "html", "wikitext")

_HTML = re.compile(r"<(?:!doctype\s+html|html|body|div|ol|p|span|section)\b", re.I)
_WIKITEXT = re.compile(r"<ref[\s>/]|\{\{\s*(?:cite|citation)|==[^=\n]+==", re.I)


def detect_format(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")) and not head.startswith(("{{", "[[")):
        return "json"
    if _WIKITEXT.search(text) and ("<ref" in text.lower() or "{{" in text):
        return "wikitext"
    if _HTML.search(text[:4096]):
        return "html"
    return "text"
