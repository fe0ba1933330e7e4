"""An independent reading of real wikitext, for checking the parser against: regular
expressions and brace counting only (no mwparserfromhell, nothing from ``verifier``).

It finds each reference the reader sees (distinct names and anonymous ``<ref>``s, by
first use outside ``<references>``/``{{reflist|refs=}}``, notes left out), the line its
content is defined on, and the raw parameters of a ref that holds exactly one citation
template.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_REF = re.compile(r"<ref\b([^>]*?)(/?)>", re.I)
_CLOSE = re.compile(r"</ref\s*>", re.I)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'/>]+))""")
_LIST = re.compile(r"<references\s*>.*?</references\s*>", re.S | re.I)
_REFLIST = re.compile(r"\{\{\s*reflist\s*\|[^{}]*?refs\s*=", re.I)
_ONE_TEMPLATE = re.compile(r"\s*\{\{\s*(cite [a-z ]+|citation)\s*\|", re.I)


@dataclass
class Ref:
    key: str
    first_line: int
    content_line: int | None = None
    content: str | None = None
    params: dict[str, str] = field(default_factory=dict)  # of a single citation template


def unescape_dump(text: str) -> str:
    return html.unescape(text) if "<ref" not in text and "&lt;ref" in text else text


def blank_comments(text: str) -> str:
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def references(text: str) -> list[Ref]:
    """The references a reader sees, in the order of their numbers."""
    text = blank_comments(unescape_dump(text))
    lists = [(m.start(), m.end()) for m in _LIST.finditer(text)]
    for m in _REFLIST.finditer(text):
        lists.append((m.start(), _template_end(text, m.start())))
    by_key: dict[str, Ref] = {}
    defined: dict[str, tuple[int, str]] = {}
    order: list[str] = []
    for n, m in enumerate(_REF.finditer(text)):
        attrs = {a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                 for a in _ATTR.finditer(m.group(1))}
        if attrs.get("group"):
            continue
        key = f"name:{attrs['name']}" if attrs.get("name") else f"anon:{n}"
        line = text.count("\n", 0, m.start()) + 1
        inside_list = any(a <= m.start() < b for a, b in lists)
        if not inside_list and key not in by_key:
            by_key[key] = Ref(key=key, first_line=line)
            order.append(key)
        if not m.group(2) and key not in defined:
            close = _CLOSE.search(text, m.end())
            if close is not None:
                defined[key] = (line, text[m.end():close.start()])
    out = []
    for key in order:
        ref = by_key[key]
        if key in defined:
            ref.content_line, ref.content = defined[key]
            ref.params = single_template_params(ref.content)
        out.append(ref)
    return out


def _template_end(text: str, start: int) -> int:
    depth = 0
    for m in re.finditer(r"\{\{|\}\}", text[start:]):
        depth += 1 if m.group(0) == "{{" else -1
        if depth == 0:
            return start + m.end()
    return len(text)


def single_template_params(content: str) -> dict[str, str]:
    """The parameters of the content's only citation template (nothing else in it but
    blanks), split at top-level ``|``; {} otherwise."""
    if not _ONE_TEMPLATE.match(content):
        return {}
    body = content.strip()
    if _template_end(body, 0) != len(body):
        return {}
    inner = body[2:-2]
    parts, depth, square, current = [], 0, 0, ""
    i = 0
    while i < len(inner):
        two = inner[i:i + 2]
        if two in ("{{", "}}", "[[", "]]"):
            if two == "{{":
                depth += 1
            elif two == "}}":
                depth -= 1
            elif two == "[[":
                square += 1
            else:
                square -= 1
            current += two
            i += 2
            continue
        if inner[i] == "|" and depth == 0 and square == 0:
            parts.append(current)
            current = ""
        else:
            current += inner[i]
        i += 1
    parts.append(current)
    params: dict[str, str] = {"_template": parts[0].strip().lower()}
    for part in parts[1:]:
        name, sep, value = part.partition("=")
        if sep:
            params[name.strip()] = " ".join(value.split())
    return params


def first(params: dict[str, str], *names: str) -> str | None:
    for name in names:
        if params.get(name):
            return params[name]
    return None


def has_markup(value: str) -> bool:
    return bool(re.search(r"\[\[|\]\]|\{\{|\}\}|''|<[a-z!/]|&[#a-z0-9]+;|\[https?:", value, re.I))


_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%Y-%m-%d", "%d %b %Y", "%b %d, %Y", "%B %d %Y")


def iso_date(value: str | None) -> str | None:
    """The ISO form of the common en date shapes, or None."""
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None
