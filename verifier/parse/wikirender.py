"""Wikitext as a reader sees it: the text a citation field shows once MediaWiki renders it.

Link labels, not link markup; entities decoded; comments, ``''formatting''`` and HTML
tags gone (their text kept); character templates (``{{ndash}}``, ``{{snd}}``,
``{{nbsp}}``, ``{{'}}``) rendered and wrapper templates (``{{lang|fr|…}}``,
``{{nowrap|…}}``) reduced to the text they show. Any other template shows nothing here:
what it would render cannot be known without the wiki, and markup must never leak into a
field. Whitespace is collapsed to single spaces (a no-break space reads as a space).
"""

from __future__ import annotations

import re

from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

# Templates that stand for a character or a short string.
CHARACTERS: dict[str, str] = {
    "ndash": "–",
    "en dash": "–",
    "endash": "–",
    "mdash": "—",
    "em dash": "—",
    "emdash": "—",
    "mdashb": "—",
    "snd": " – ",
    "sndash": " – ",
    "spnd": " – ",
    "spndash": " – ",
    "spaced ndash": " – ",
    "spaced en dash": " – ",
    "spd": " – ",
    "spaced mdash": " — ",
    "nbsp": " ",
    "thinsp": " ",
    "nbhyph": "‑",
    "zwsp": "",
    "wbr": "",
    "'": "'",
    "' \"": "'\"",
    "\" '": "\"'",
    "'s": "'s",
    '"': '"',
    "!": "|",
    "=": "=",
    "!!": "||",
    "colon": ":",
    "pipe": "|",
    "tilde": "~",
    "middot": "·",
    "dot": " · ",
    "·": " · ",
    "bull": " • ",
    "•": " • ",
    "slash": "/",
    "en space": " ",
    "em space": " ",
    "ampersand": "&",
    "amp": "&",
}
# Templates that show one of their parameters: the positional number, or a named one.
WRAPPERS: dict[str, tuple[int | str, ...]] = {
    "lang": (2,),
    "script": (2,),
    "transl": (3, 2),
    "nowrap": (1,),
    "nobr": (1,),
    "nobreak": (1,),
    "nobold": (1,),
    "noitalic": (1,),
    "small": (1,),
    "smaller": (1,),
    "midsize": (1,),
    "big": (1,),
    "larger": (1,),
    "resize": (2, 1),
    "sic": (1,),
    "abbr": (1,),
    "abbrlink": (1,),
    "tooltip": (1,),
    "proper name": (1,),
    "var": (1,),
    "em": (1,),
    "strong": (1,),
    "center": (1,),
    "mvar": (1,),
    "math": (1,),
    "nihongo": (1,),
    "ill": ("lt", 1),
    "interlanguage link": ("lt", 1),
    "interlanguage link multi": ("lt", 1),
    "illm": ("lt", 1),
    "link-interwiki": ("lt", 1),
    "title case": (1,),
    "date": (1,),
    "formatdate": (1,),
    "start date": (1,),
    "url": (2, 1),
    "bracket": (1,),
    "sup": (1,),
    "sub": (1,),
    "smallcaps": (1,),
    "sc": (1,),
    "quote": ("text", 1),
}
_HIDDEN_TAGS = frozenset({"ref", "references", "templatedata", "indicator", "gallery"})


def render(code: Wikicode | str | None, *, link_urls: bool = False) -> str | None:
    """The reader's text of ``code``, whitespace collapsed; None when nothing shows.
    ``link_urls``: an external link gives its URL, not its label (a URL field)."""
    if code is None:
        return None
    if isinstance(code, str):
        import mwparserfromhell

        code = mwparserfromhell.parse(code)
    text = " ".join(_render(code, link_urls).split())
    return text or None


_QUOTES = re.compile(r"'{2,}")


def strip_quotes(text: str) -> str:
    """Text without its italic and bold quote marks (wikitext parsed with
    ``skip_style_tags``); four marks are an apostrophe before a bold mark."""
    return _QUOTES.sub(lambda m: _quote_left(len(m.group(0))), text)


def _quote_left(run: int) -> str:
    if run == 4:
        return "'"
    return "'" * (run - 5) if run > 5 else ""


def _render(code: Wikicode, link_urls: bool) -> str:
    return "".join(_node(node, link_urls) for node in code.nodes)


def _node(node: Node, link_urls: bool) -> str:
    if isinstance(node, Text):
        return node.value if link_urls else strip_quotes(node.value)
    if isinstance(node, Comment):
        return ""
    if isinstance(node, HTMLEntity):
        try:
            return node.normalize()
        except (ValueError, OverflowError):  # &#99999999; names no character
            return ""
    if isinstance(node, Wikilink):
        return _wikilink(node, link_urls)
    if isinstance(node, ExternalLink):
        if link_urls or node.title is None:
            # A bracketed link without a label shows a number, never the URL.
            return _render(node.url, True) if (link_urls or not node.brackets) else ""
        return _render(node.title, link_urls)
    if isinstance(node, Tag):
        return _tag(node, link_urls)
    if isinstance(node, Template):
        return _template(node, link_urls)
    if isinstance(node, Argument):
        return _render(node.default, link_urls) if node.default is not None else ""
    if isinstance(node, Heading):
        return _render(node.title, link_urls)
    return ""


def _wikilink(node: Wikilink, link_urls: bool) -> str:
    target = str(node.title).strip()
    namespace = target.lstrip(":").partition(":")[0].strip().lower()
    if not target.startswith(":") and namespace in ("file", "image", "category", "media"):
        return ""  # an image or a category shows no text inline
    if node.text is not None:
        return _render(node.text, link_urls)
    return _render(node.title, link_urls).lstrip(":")


def _tag(node: Tag, link_urls: bool) -> str:
    name = str(node.tag).strip().lower()
    if name in ("br", "hr"):
        return " "
    if name in _HIDDEN_TAGS or node.contents is None:
        return ""
    if name in ("nowiki", "pre", "code", "syntaxhighlight", "source"):
        import html

        return html.unescape(str(node.contents))
    return _render(node.contents, link_urls)


def template_name(template: Template) -> str:
    """The name as the wiki resolves it: case of the first letter, ``_`` and spaces
    ignored, a ``Template:`` prefix dropped."""
    name = " ".join(str(template.name).replace("_", " ").split()).lower()
    return name.removeprefix("template:").strip()


def _template(node: Template, link_urls: bool) -> str:
    name = template_name(node)
    if name in CHARACTERS:
        return CHARACTERS[name] * _count(node)
    shown = WRAPPERS.get(name, (1,) if name.startswith("lang-") else ())  # {{lang-fr|…}}
    for which in shown:
        key = str(which)
        if node.has(key):
            return _render(node.get(key).value, link_urls)
    return ""


def _count(node: Template) -> int:
    """{{nbsp|3}} is three spaces (the others take no count)."""
    if node.has("1"):
        value = str(node.get("1").value).strip()
        if value.isdigit() and 0 < int(value) < 10:
            return int(value)
    return 1
