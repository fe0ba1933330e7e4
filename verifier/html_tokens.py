"""A fast tokenizer for the plain, well-formed markup that makes up most page heads, which
gives up whenever it is not sure.

Why: reading a page's title with ``html.parser`` costs ~0.15 ms for a small head and tens
of milliseconds for a long page without a heading (measured on this project's benchmark
and on the captured pages of ``shared/realworld/html``), a Python method call or three for
every tag. This tokenizer matches each tag with one compiled pattern instead.

It is not a second HTML parser. ``tokenize`` accepts only markup that every
``html.parser`` of the supported Pythons reads the same way (the standard library's
tokenizer changed in 3.9-3.14 security releases: comments, raw-text elements, title as
RCDATA, attribute edge cases), makes the very calls ``html.parser`` would make for it, and
returns False the moment it meets anything else: a comment that ends in an unusual way,
an unquoted value next to a ``/``, a ``<`` inside a title, ``<textarea>``, a cut tag,
Unicode spaces between attributes, ``&copy=2`` in an attribute value. The caller then
reads the page with ``parse`` (``html.parser`` itself, feeding the same handler) from the
start. The tests hold it to that: on the real pages (whole and cut anywhere) and on
generated hostile markup, its answer is always ``html.parser``'s.
"""

from __future__ import annotations

import re
from html import unescape
from html.entities import html5 as _ENTITIES
from html.parser import HTMLParser
from typing import Protocol

# ASCII whitespace only: older html.parser reads Unicode spaces as separators, newer ones
# do not; markup with them is left to html.parser.
_S = "[\t\n\r\f ]"
_NAME = "[a-zA-Z][a-zA-Z0-9]*"
_ATTR_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*"
# An unquoted value must be followed by a space or ``>`` (or the end of the attributes,
# when they are read again on their own): ``a=b/>`` is read as ``b/`` by some versions
# and ``b`` by others.
_VALUE = f"(?:\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`/]+(?={_S}|>|\\Z))"
_ATTR = f"{_S}+{_ATTR_NAME}(?:{_S}*={_S}*{_VALUE})?"
_START_TAG = re.compile(f"<({_NAME})((?:{_ATTR})*){_S}*(/?)>")
# The same attributes read again, each as (name, "=" or "", "…", '…', unquoted).
_ATTRS = re.compile(
    f"{_S}+({_ATTR_NAME})(?:{_S}*(=){_S}*"
    f"(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'=<>`/]+)(?={_S}|>|\\Z)))?"
)
_END_TAG = re.compile(f"</({_NAME})>")
_DOCTYPE = re.compile("<![dD][oO][cC][tT][yY][pP][eE][^<>\"']*>")
# Anything that ends a comment in some version (``--\s*>`` in older ones, ``--!>`` in
# newer): the first such must be a plain ``-->`` for the versions to agree.
_COMMENT_END = re.compile(r"--(?:!|\s*)>")

# Elements whose content is raw text in every version: their end is the first
# ``</name>``, and nothing before it may look like an end of theirs in another version
# (``</ script>``, ``</script/``) or open a script's escaped state (``<!--``).
_RAW_TEXT = {"script": re.compile(r"</\s*script", re.I), "style": re.compile(r"</\s*style", re.I)}
# Elements that some versions read as raw text or RCDATA and others as markup (title and
# textarea from 3.11.13/3.12.11/3.13.6, the rest from 3.11.15/3.12.13/3.13.10/3.14.1).
# ``noscript`` is not one: it is markup unless a parser is made with ``scripting=True``.
_DIFFERS = frozenset({"textarea", "xmp", "iframe", "noembed", "noframes", "plaintext"})


class Handler(Protocol):
    """What ``html.parser`` would call, with its arguments as it would give them; and
    whether text fed now would be kept (inside a title, say)."""

    @property
    def keeping_text(self) -> bool: ...

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None: ...

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None: ...

    def handle_endtag(self, tag: str) -> None: ...

    def handle_data(self, data: str) -> None: ...


# A named character reference in an attribute value, and whether a ";" ends it.
_NAMED_REF = re.compile(r"&([a-zA-Z][a-zA-Z0-9]*)(;?)")


def _attrs(text: str) -> list[tuple[str, str | None]] | None:
    """Names lowered, values unquoted and unescaped, None for a name without a value: as
    ``html.parser`` gives them. None when a value's references are read differently by
    different versions: newer ones (HTML5's rule) leave ``&copy=2`` or ``&ampx`` in a value
    as written, older ones unescape them; a whole ``&amp;`` or ``&#38;`` is read alike."""
    out: list[tuple[str, str | None]] = []
    for name, eq, dq, sq, bare in _ATTRS.findall(text):
        value = dq or sq or bare
        if "&" in value and not all(
            m.group(2) and m.group(1) + ";" in _ENTITIES for m in _NAMED_REF.finditer(value)
        ):
            return None
        out.append((name.lower(), unescape(value) if eq else None))
    return out


def _unsure(text: str, at: int, handler: Handler) -> bool:
    """What ``tokenize`` answers when it cannot read the markup at ``at``: False, unless
    that markup is only the page's cut tail. With no ``>`` left, no version can make a tag
    of it; at most text (or a comment), which matters only where text is being kept."""
    return text.find(">", at) < 0 and not handler.keeping_text


def tokenize(text: str, handler: Handler) -> bool:
    """Feed ``text`` to ``handler`` as ``html.parser`` would, to the end or until the
    handler raises; False as soon as the markup is not plain enough to be sure (what was
    fed until then must be thrown away)."""
    i, n = 0, len(text)
    find, startswith = text.find, text.startswith
    while i < n:
        j = find("<", i)
        if j < 0:
            handler.handle_data(unescape(text[i:]))
            return True
        if j > i:
            handler.handle_data(unescape(text[i:j]))
        i = j
        if startswith("</", i):
            m = _END_TAG.match(text, i)
            if m is None:
                return _unsure(text, i, handler)
            handler.handle_endtag(m.group(1).lower())
            i = m.end()
        elif startswith("<!--", i):
            end = _COMMENT_END.search(text, i + 4)
            if (
                end is None
                or end.group() != "-->"
                or startswith(">", i + 4)
                or startswith("->", i + 4)
            ):
                return _unsure(text, i, handler)
            i = end.end()  # comments are not passed on: the handlers here ignore them
        elif startswith("<!", i):
            m = _DOCTYPE.match(text, i)
            if m is None:
                return _unsure(text, i, handler)
            i = m.end()
        else:
            m = _START_TAG.match(text, i)
            if m is None:
                return _unsure(text, i, handler)
            tag = m.group(1).lower()
            closed = m.group(3) == "/"
            if tag in _DIFFERS or (closed and (tag in _RAW_TEXT or tag == "title")):
                return False
            attrs = _attrs(m.group(2)) if m.group(2) else []
            if attrs is None:
                return False
            i = m.end()
            if tag == "title":
                # Some versions read a title's content as text, others as markup: they
                # agree only when it holds no ``<`` and ends with a plain end tag.
                j = find("<", i)
                if j < 0 or text[j : j + 8].lower() != "</title>":
                    return False
            raw = _RAW_TEXT.get(tag)
            if closed:
                handler.handle_startendtag(tag, attrs)
            else:
                handler.handle_starttag(tag, attrs)
            if raw is not None:
                end = raw.search(text, i)
                if (
                    end is None
                    or end.end() - end.start() != len(tag) + 2
                    or not startswith(">", end.end())
                    or find("<!--", i, end.start()) >= 0
                ):
                    return _unsure(text, i, handler)
                if end.start() > i:
                    handler.handle_data(text[i : end.start()])  # raw text: no charrefs
                handler.handle_endtag(tag)
                i = end.end() + 1
    return True


class _Feeding(HTMLParser):
    def __init__(self, handler: Handler) -> None:
        super().__init__(convert_charrefs=True)
        self.handle_starttag = handler.handle_starttag  # type: ignore[method-assign]
        self.handle_startendtag = handler.handle_startendtag  # type: ignore[method-assign]
        self.handle_endtag = handler.handle_endtag  # type: ignore[method-assign]
        self.handle_data = handler.handle_data  # type: ignore[method-assign]


def parse(text: str, handler: Handler) -> None:
    """Feed ``text`` to ``handler`` by ``html.parser`` itself: slower, sure of any markup
    (what ``tokenize`` declines). Whatever the handler raises goes to the caller."""
    parser = _Feeding(handler)
    parser.feed(text)
    parser.close()
