"""Wikitext: ``<ref>`` tags holding CS1 templates, parsed with mwparserfromhell.

References are numbered as MediaWiki numbers them: by the first ``<ref>`` (defining or
reusing a name) in the body. ``<ref name="x" />`` reuses count in ``uses``; refs defined
in ``{{reflist|refs=…}}`` or ``<references>…</references>`` are numbered by their first
use in the body. Grouped refs (``group="note"``) are footnotes, not references.
Parameter names are CS1's, with the zh and ru wikis' common aliases.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Tag, Template
from mwparserfromhell.wikicode import Wikicode

from ..errors import InputError
from ..model import Author, Reference
from ..records import Article
from ..titles import comparable_title
from .dates import put_date
from .languages import language_tag
from .sentences import citing_sentences

# CS1 parameter -> the names it goes by (en canonical and old forms, zh, ru).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "标题", "標題", "заглавие", "название"),
    "url": ("url", "网址", "網址", "ссылка"),
    "work": (
        "work",
        "website",
        "newspaper",
        "magazine",
        "journal",
        "periodical",
        "作品",
        "网站",
        "網站",
        "报纸",
        "報紙",
        "杂志",
        "雜誌",
        "издание",
        "работа",
        "сайт",
    ),
    "publisher": ("publisher", "agency", "出版者", "出版社", "издательство", "агентство"),
    "date": ("date", "日期", "дата"),
    "access_date": (
        "access-date",
        "accessdate",
        "access_date",
        "访问日期",
        "訪問日期",
        "accessed",
        "дата обращения",
        "дата-обращения",
    ),
    "archive_url": (
        "archive-url",
        "archiveurl",
        "archive_url",
        "存档网址",
        "存檔網址",
        "архив",
        "url архива",
        "архив-url",
    ),
    "archive_date": (
        "archive-date",
        "archivedate",
        "archive_date",
        "存档日期",
        "存檔日期",
        "дата архива",
        "архив-дата",
    ),
    "url_status": ("url-status", "dead-url", "deadurl", "deadlink", "url_status"),
    "language": ("language", "lang", "语言", "語言", "язык"),
    "issn": ("issn", "ISSN"),
}
_AUTHOR = re.compile(r"(?:author|作者|автор)(\d*)$", re.I)
_LAST = re.compile(r"(?:last|surname|姓|фамилия)(\d*)$", re.I)
_FIRST = re.compile(r"(?:first|given|名|имя)(\d*)$", re.I)
_CITATION_TEMPLATE = re.compile(r"^(?:cite[ _]|citation$|статья$|публикация$|книга$|cite$)", re.I)
_URL = re.compile(r"https?://[^\s\]|<>]+")
_REF_OPEN = re.compile(r"<ref(?:\s[^>]*?)?(/?)>", re.I)
_REF_CLOSE = re.compile(r"</ref\s*>", re.I)


@dataclass
class _Slot:
    number: str
    line: int
    uses: int = 0
    content: Wikicode | None = None
    content_line: int = 0


def parse_wikitext(text: str, where: str) -> Article:
    _check_balanced(text, where)
    code = mwparserfromhell.parse(text)
    refs = [t for t in code.filter_tags(recursive=True) if str(t.tag).strip().lower() == "ref"]
    if not refs and not any(_is_citation(t) for t in code.filter_templates(recursive=True)):
        raise InputError(f"{where}:1: not a reference list: no <ref> tags or citation templates")
    in_list = _list_defined(code)
    slots: dict[str, _Slot] = {}  # key: name, or a unique key for an anonymous ref
    order: list[_Slot] = []
    keyed: list[tuple[Tag, str | None]] = []  # each ref and its slot's key (None: a note)
    for index, (tag, line) in enumerate(zip(refs, _lines_of(text, refs), strict=True)):
        if _attr(tag, "group"):
            keyed.append((tag, None))
            continue
        name = _attr(tag, "name")
        key = f"name:{name}" if name else f"anon:{index}"
        keyed.append((tag, key))
        slot = slots.get(key)
        listed = id(tag) in in_list
        if slot is None and not listed:
            slot = slots[key] = _Slot(number=str(len(order) + 1), line=line)
            order.append(slot)
        elif slot is None:  # defined in the list before any use: numbered at first use
            slot = slots[key] = _Slot(number="", line=line)
        if not listed:
            slot.uses += 1
        if tag.contents is not None and str(tag.contents).strip() and slot.content is None:
            slot.content, slot.content_line = tag.contents, line
    for key, slot in slots.items():
        if not slot.number:
            raise InputError(
                f"{where}:{slot.line}: reference {key[5:]!r} is defined but never used"
            )
        if slot.content is None:
            raise InputError(
                f"{where}:{slot.line}: reference {key[5:]!r} is used but never defined"
            )
    cited = citing_sentences(_body_lines(code, keyed, slots))
    records = [_reference(s, cited.get(s.number, [])) for s in order]
    return Article(
        source={"title": None, "language": None, "url": None, "format": "wikitext"},
        references=records,
    )


def _attr(tag: Tag, name: str) -> str | None:
    if tag.has(name):
        value = str(tag.get(name).value).strip().strip("\"'")
        return value or None
    return None


def _lines_of(text: str, nodes: list[Any]) -> list[int]:
    """The line each node (in document order) starts on. mwparserfromhell keeps no
    positions, so each node's own text is searched for after the previous node's start:
    a repeated identical tag gets its own line, not the first one's."""
    lines = []
    pos = 0
    for node in nodes:
        start = text.find(str(node), pos)
        if start < 0:  # not met as written (never seen): the previous node's line
            start = max(pos - 1, 0)
        pos = start + 1  # +1, not the end: a ref nested in this one comes next
        lines.append(_line(text, start))
    return lines


def _list_defined(code: Wikicode) -> set[int]:
    """ids of refs defined inside {{reflist|refs=…}} or <references>…</references>."""
    inside: set[int] = set()
    containers = [
        t
        for t in code.filter_tags(recursive=True)
        if str(t.tag).strip().lower() == "references" and t.contents is not None
    ]
    containers += [
        t
        for t in code.filter_templates(recursive=True)
        if str(t.name).strip().lower() in ("reflist", "references", "примечания") and t.has("refs")
    ]
    for container in containers:
        body = container.contents if isinstance(container, Tag) else container.get("refs").value
        for tag in body.filter_tags(recursive=True):
            if str(tag.tag).strip().lower() == "ref":
                inside.add(id(tag))
    return inside


def _body_lines(
    code: Wikicode, keyed: list[tuple[Tag, str | None]], slots: dict[str, _Slot]
) -> list[str]:
    """The body as plain text with each ref replaced by its mark "[n]".

    Edits ``code`` in place, refs in document order: a ref's own contents, which its slot
    holds, are never edited (an outer ref goes before the refs nested in it)."""
    for tag, key in keyed:
        slot = slots.get(key) if key else None
        mark = f"[{slot.number}]" if slot and slot.number else ""
        with contextlib.suppress(ValueError):  # already gone with its container
            code.replace(tag, mark)
    for template in code.filter_templates(recursive=False):
        code.remove(template)
    return code.strip_code().splitlines()


def _is_citation(template: Template) -> bool:
    return bool(_CITATION_TEMPLATE.match(str(template.name).strip()))


def _reference(slot: _Slot, cited_in: list[str]) -> Reference:
    assert slot.content is not None
    template = next(
        (t for t in slot.content.filter_templates(recursive=False) if _is_citation(t)), None
    )
    extra: dict[str, Any] = {
        "origin": {"format": "wikitext", "line": slot.content_line},
        "cited_in": cited_in,
    }
    if template is None:  # free text: the text is the title, the first URL the URL
        # A URL is never a title: a bare link (<ref>http://…</ref>) has none.
        plain = " ".join(_URL.sub(" ", slot.content.strip_code()).split())
        url = _URL.search(str(slot.content))
        return Reference(
            id=slot.number,
            title=comparable_title(plain),
            url=url.group(0) if url else None,
            uses=slot.uses,
            extra=extra,
        )
    params = _params(template)
    fields: dict[str, Any] = {}
    for key in ("date", "access_date", "archive_date"):
        put_date(fields, extra, key, params.get(key))
    language = params.get("language")
    tag = language_tag(language) if language else None
    if language and tag is None:
        extra["language_raw"] = language
    return Reference(
        id=slot.number,
        title=params.get("title"),
        url=params.get("url"),
        authors=_authors(template),
        work=params.get("work"),
        publisher=params.get("publisher"),
        archive_url=params.get("archive_url"),
        url_status=_url_status(params.get("url_status")),
        language=tag,
        issn=params.get("issn"),
        uses=slot.uses,
        extra=extra,
        **fields,
    )


def _value(template: Template, name: str) -> str | None:
    if not template.has(name):
        return None
    value = template.get(name).value
    text = (
        " ".join(value.strip_code().split())
        if value.filter_templates()
        else " ".join(str(value).split())
    )
    return text or None


def _params(template: Template) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, names in ALIASES.items():
        for name in names:
            if (value := _value(template, name)) is not None:
                found[key] = value
                break
    return found


def _authors(template: Template) -> list[Author]:
    by_number: dict[int, dict[str, str]] = {}
    for param in template.params:
        name = str(param.name).strip()
        value = " ".join(str(param.value).split())
        if not value:
            continue
        for pattern, role in ((_AUTHOR, "author"), (_LAST, "last"), (_FIRST, "first")):
            if m := pattern.fullmatch(name):
                by_number.setdefault(int(m.group(1) or 1), {})[role] = value
    authors = []
    for _, parts in sorted(by_number.items()):
        if "last" in parts:
            authors.append(Author(family=parts["last"], given=parts.get("first")))
        elif "author" in parts:
            family, _, given = parts["author"].partition(", ")
            authors.append(Author(family=family, given=given or None))
    return authors


def _url_status(value: str | None) -> str | None:
    if value is None:
        return None
    folded = value.strip().lower()
    if folded in ("live", "dead", "usurped", "unfit"):
        return folded
    if folded in ("yes", "y", "true", "да", "是"):  # dead-url=yes / deadlink=да
        return "dead"
    if folded in ("no", "n", "false", "нет", "否"):
        return "live"
    return None


def _check_balanced(text: str, where: str) -> None:
    """mwparserfromhell reads anything; an unclosed <ref> or {{ would silently lose refs."""
    open_at: int | None = None
    pos = 0
    while True:
        opening = _REF_OPEN.search(text, pos)
        closing = _REF_CLOSE.search(text, pos)
        if open_at is None:
            if closing and (not opening or closing.start() < opening.start()):
                raise InputError(f"{where}:{_line(text, closing.start())}: </ref> closes no <ref>")
            if not opening:
                break
            if not opening.group(1):
                open_at = opening.start()
            pos = opening.end()
        else:
            if not closing or (opening and opening.start() < closing.start()):
                raise InputError(f"{where}:{_line(text, open_at)}: <ref> is never closed")
            open_at = None
            pos = closing.end()
    stack: list[int] = []
    for m in re.finditer(r"\{\{|\}\}", text):
        if m.group(0) == "{{":
            stack.append(m.start())
        elif stack:
            stack.pop()
        else:
            raise InputError(f"{where}:{_line(text, m.start())}: '}}}}' closes no '{{{{'")
    if stack:
        raise InputError(f"{where}:{_line(text, stack[-1])}: '{{{{' is never closed")


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
