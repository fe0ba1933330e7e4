"""Wikitext: ``<ref>`` tags holding CS1 templates, parsed with mwparserfromhell.

References are numbered as MediaWiki numbers them: by the first ``<ref>`` (defining or
reusing a name) in the body. ``<ref name="x" />`` reuses count in ``uses``; refs defined
in ``{{reflist|refs=…}}`` or ``<references>…</references>`` are numbered by their first
use in the body. Grouped refs (``group="note"``) are footnotes, not references.

One ``<ref>`` may bundle several citations: each citation template, and each external
link in free text beside none, is a record (ids ``N``, ``N.2``, …). A ``{{webarchive}}``
or ``{{dead link}}`` after a citation belongs to it. Field values are what a reader sees
(``wikirender``); parameter names are CS1's whole alias table (``cs1``); identifiers go
to ``identifiers``. Text escaped as in an XML dump (``&lt;ref&gt;``) is unescaped first.

Damage (an unclosed ``<ref>``, a stray ``}}``, a reuse of an undefined name) is reported
as an ``InputProblem`` with its line while the rest of the article is read; the input is
refused only when nothing readable is left.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import ExternalLink, Node, Tag, Template
from mwparserfromhell.wikicode import Wikicode

from ..archive_urls import parse_archive_url, timestamp_day, wayback_link
from ..errors import InputError
from ..model import Author, Reference
from ..records import Article, InputProblem
from ..titles import comparable_title
from . import cs1, identifiers
from .authors import parse_authors
from .dates import put_date
from .footnotes import citeref_key, is_footnote, short_key, short_text, uses
from .languages import language_tag
from .sentences import citing_sentences
from .wikirender import render, strip_quotes, template_name

_CITATION_TEMPLATE = re.compile(
    r"^(?:cite[ _]|citation$|cite$|vcite|статья$|публикация$|книга$|internetquelle$|literatur$)",
    re.I,
)
# Templates that put an archived copy beside a citation; {{wayback}} and {{webcite}}
# give the original URL and a timestamp, {{webarchive}} the archive URL itself.
_ARCHIVE_TEMPLATES = frozenset({"webarchive", "web archive", "wayback", "webcite", "archive url"})
_DEAD_LINK_TEMPLATES = frozenset({"dead link", "deadlink", "404", "dl", "dead", "broken link"})
# {{ISBN|…}}, {{doi|…}}: an identifier written in free text.
_ID_TEMPLATES = {"isbn": "isbn", "doi": "doi", "oclc": "oclc", "pmid": "pmid", "pmc": "pmc",
                 "jstor": "jstor", "issn": "issn", "lccn": "lccn", "arxiv": "arxiv",
                 "bibcode": "bibcode", "hdl": "hdl", "ol": "ol", "s2cid": "s2cid"}
# de: {{Internetquelle}} and {{Literatur}} (not CS1), where their parameters map clearly.
_DE_PARAMETERS = {
    "titel": "title", "url": "url", "online": "url", "werk": "work", "sammelwerk": "work",
    "hrsg": "publisher", "verlag": "publisher", "datum": "date", "jahr": "year",
    "zugriff": "access_date", "abruf": "access_date", "archiv-url": "archive_url",
    "archiv-datum": "archive_date", "sprache": "language", "autor": "authors",
}
# A URL in wikitext (scheme-relative too), up to what ends a link: public, because
# ``verify-refs fix`` must find a bare link by the very URL this parser read.
LINK_URL = re.compile(r"(?:https?:)?//[^\s\]|<>]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_REF_OPEN = re.compile(r"<ref(?:\s[^>]*?)?(/?)>", re.I)
_REF_CLOSE = re.compile(r"</ref\s*>", re.I)
# What MediaWiki does not parse as wikitext: comments, and the text of these tags.
_UNPARSED = re.compile(
    r"<!--.*?(?:-->|\Z)|<(nowiki|pre|math|syntaxhighlight|source|code)\b[^>]*>.*?</\1\s*>",
    re.S | re.I,
)
_DUMP = re.compile(r"&lt;ref[\s&/]", re.I)
_XML_ENTITY = re.compile(r"&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);", re.I)
_XML_NAMED = {"lt": "<", "gt": ">", "quot": '"', "apos": "'", "amp": "&"}
_DIGITS14 = re.compile(r"\d{8}(?:\d{6})?")


@dataclass
class _Slot:
    number: str
    line: int
    name: str | None = None
    uses: int = 0
    content: Wikicode | None = None
    short: Template | None = None  # a {{sfn}} footnote
    content_line: int = 0


@dataclass
class _Citation:
    """One cited source inside a ref: a template's parameters, or a free-text link."""

    fields: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    authors: list[Author] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)


def parse_wikitext(text: str, where: str) -> Article:
    text = _unescape_dump(text)
    problems = _damage(text)
    # Italic and bold quote marks are left as text (the renderer drops them): parsed as
    # tags, a stray '' in one ref pairs with one in the next and swallows the refs between.
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    notes = [n for n in code.filter(recursive=True, forcetype=(Tag, Template)) if is_footnote(n)]
    if not notes and not any(is_citation(t) for t in code.filter_templates(recursive=True)):
        first = f"{problems[0].line}: {problems[0].message}" if problems else (
            "1: not a reference list: no <ref> tags or citation templates")
        raise InputError(f"{where}:{first}")
    in_list = _list_defined(code)
    # Full citations by the anchor short citations link to (before the body is edited).
    anchors: dict[str, Template] = {}
    for template in code.filter_templates(recursive=True):
        if is_citation(template) and (anchor := citeref_key(template)) is not None:
            anchors.setdefault(anchor, template)
    slots: dict[str, _Slot] = {}  # key: name, or a unique key for an anonymous ref
    order: list[_Slot] = []
    keyed: list[tuple[Node, list[str]]] = []  # each footnote node and its slots' keys
    for index, (node, line) in enumerate(zip(notes, _lines_of(text, notes), strict=True)):
        listed = id(node) in in_list
        keys = []
        for use in uses(node):  # none for a note (group=)
            key = use.key or f"anon:{index}"
            keys.append(key)
            slot = slots.get(key)
            if slot is None:
                slot = slots[key] = _Slot(number="", line=line, name=use.name)
            if not listed:
                if not slot.number:  # numbered at first use, wherever it is defined
                    slot.number = str(len(order) + 1)
                    order.append(slot)
                slot.uses += 1
            if slot.content is None and slot.short is None:
                slot.content, slot.short, slot.content_line = use.content, use.short, line
        keyed.append((node, keys))
    for slot in slots.values():
        if not slot.number:
            problems.append(InputProblem(slot.line, f"reference {slot.name!r} is defined but "
                                         "never used"))
        elif slot.content is None and slot.short is None:
            problems.append(InputProblem(slot.line, f"reference {slot.name!r} is used but never "
                                         "defined"))
    cited = citing_sentences(_body_lines(code, keyed, slots))
    records = []
    for slot in order:
        if slot.content is not None or slot.short is not None:
            records.extend(_references(slot, cited.get(slot.number, []), problems, anchors))
    problems.sort(key=lambda p: p.line)
    if problems and all("raw" in r.extra for r in records):  # nothing readable is left
        raise InputError(f"{where}:{problems[0].line}: {problems[0].message}")
    return Article(
        source={"title": None, "language": None, "url": None, "format": "wikitext"},
        references=records,
        problems=problems,
    )


def _unescape_dump(text: str) -> str:
    """Wikitext copied out of an XML dump keeps the XML escaping (``&lt;ref&gt;``): undo
    it once, so ``&amp;nbsp;`` becomes the ``&nbsp;`` the editor wrote."""
    if _REF_OPEN.search(text) or not _DUMP.search(text):
        return text
    return _XML_ENTITY.sub(_xml_char, text)


def _xml_char(m: re.Match[str]) -> str:
    name = m.group(1).lower()
    if name in _XML_NAMED:
        return _XML_NAMED[name]
    try:
        return chr(int(name[2:], 16) if name.startswith("#x") else int(name[1:]))
    except (ValueError, OverflowError):
        return m.group(0)


def _tag_name(tag: Tag) -> str:
    return str(tag.tag).strip().lower()


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
        if _tag_name(t) == "references" and t.contents is not None
    ]
    containers += [
        t
        for t in code.filter_templates(recursive=True)
        if template_name(t) in ("reflist", "references", "примечания") and t.has("refs")
    ]
    for container in containers:
        body = container.contents if isinstance(container, Tag) else container.get("refs").value
        for node in body.filter(recursive=True, forcetype=(Tag, Template)):
            if is_footnote(node):
                inside.add(id(node))
    return inside


def _body_lines(
    code: Wikicode, keyed: list[tuple[Node, list[str]]], slots: dict[str, _Slot]
) -> list[str]:
    """The body as plain text with each ref replaced by its mark "[n]".

    Edits ``code`` in place, refs in document order: a ref's own contents, which its slot
    holds, are never edited (an outer ref goes before the refs nested in it)."""
    for node, keys in keyed:
        mark = "".join(f"[{slots[k].number}]" for k in keys if slots[k].number)
        with contextlib.suppress(ValueError):  # already gone with its container
            code.replace(node, mark)
    for template in code.filter_templates(recursive=False):
        code.remove(template)
    return strip_quotes(code.strip_code()).splitlines()


def is_citation(template: Template) -> bool:
    """Whether ``template`` is a citation template (CS1 and its relatives)."""
    return bool(_CITATION_TEMPLATE.match(template_name(template)))


def _references(
    slot: _Slot, cited_in: list[str], problems: list[InputProblem], anchors: dict[str, Template]
) -> list[Reference]:
    content = slot.content or Wikicode([])
    raw = _UNPARSED.sub("", str(content))
    if slot.short is not None:
        citations = [_short_citation(slot.short, anchors)]
    elif raw.count("{{") != raw.count("}}"):  # a broken template: no field can be trusted
        if not any(p.line == slot.content_line for p in problems):
            problems.append(InputProblem(slot.content_line, "damaged reference: its '{{' "
                                         "and '}}' do not pair"))
        citations = [_Citation(extra={"raw": " ".join(raw.split())})]
    else:
        citations = _citations(content)
    records = []
    for n, citation in enumerate(citations, start=1):
        extra: dict[str, Any] = {
            "origin": {"format": "wikitext", "line": slot.content_line},
            "cited_in": cited_in,
            **citation.extra,
        }
        if citation.ids:
            extra["identifiers"] = dict(sorted(citation.ids.items()))
        records.append(_record(f"{slot.number}.{n}" if n > 1 else slot.number, citation,
                               slot.uses, extra))
    return records


def _short_citation(short: Template, anchors: dict[str, Template]) -> _Citation:
    """A short citation is the full citation it links to, when the article has it."""
    full = anchors.get(short_key(short))
    citation = _template_citation(full) if full is not None else _Citation()
    citation.extra["short_citation"] = template_name(short)
    citation.extra["text"] = short_text(short)
    return citation


def _citations(content: Wikicode) -> list[_Citation]:
    """The citations a ref holds, in order: each citation template, each external link of
    the free text around them; the free text alone when there is neither."""
    out: list[_Citation] = []
    free: list[Node] = []  # free-text nodes since the last citation template
    templates = 0
    for node in content.nodes:
        if isinstance(node, Template) and is_citation(node):
            out.extend(_free_citations(free, with_text=False))
            free = []
            out.append(_template_citation(node))
            templates += 1
        elif isinstance(node, Template) and _attach(node, out, free):
            continue
        else:
            free.append(node)
    out.extend(_free_citations(free, with_text=not templates and not out))
    return out


def _attach(node: Template, out: list[_Citation], free: list[Node]) -> bool:
    """Whether ``node`` (an archive, dead-link or identifier template) was attached to
    the citation before it. With free text since, it belongs to that text instead."""
    name = template_name(node)
    if name not in _ARCHIVE_TEMPLATES and name not in _DEAD_LINK_TEMPLATES and (
        name not in _ID_TEMPLATES
    ):
        return False
    if any(isinstance(n, ExternalLink) for n in _outside_templates(Wikicode(free))):
        return False  # it follows a link of the free text: _free_citations reads it there
    if not out:
        return False
    _apply(node, out[-1])
    return True


def _apply(node: Template, citation: _Citation) -> None:
    name = template_name(node)
    if name in _DEAD_LINK_TEMPLATES:
        if not citation.fields.get("url_status"):
            citation.fields["url_status"] = "dead"
    elif name in _ID_TEMPLATES:
        value = render(node.get("1").value) if node.has("1") else None
        _put_identifier(citation, _ID_TEMPLATES[name], value)
    elif not citation.fields.get("archive_url"):
        url, date = _archive_of(node)
        if url:
            citation.fields["archive_url"] = url
            if date:
                citation.fields["archive_date"] = date


def _archive_of(node: Template) -> tuple[str | None, str | None]:
    """(archive URL, archive date as written or as the URL's timestamp) of an archive
    template."""
    name = template_name(node)
    url = _value(node, "url", link_urls=True) or _value(node, "1", link_urls=True)
    date = _value(node, "date") or _value(node, "2")
    if name == "wayback" and url:  # {{wayback|url=original|date=timestamp}}
        stamp = date if date and _DIGITS14.fullmatch(date) else None
        url = wayback_link(stamp, url)
        date = timestamp_day(stamp)
    elif name == "webcite" and url and not _SCHEME.match(url):
        return None, None
    if url and (date is None or _DIGITS14.fullmatch(date)):
        link = parse_archive_url(url)
        stamp = link.timestamp if link is not None else None
        date = timestamp_day(stamp)
    return url, date


def _free_citations(nodes: list[Node], *, with_text: bool) -> list[_Citation]:
    """Free text: a citation per external link (its label the title; none for a bare
    URL); with no link, the text itself as the title when ``with_text``."""
    if not nodes or not any(str(n).strip() for n in nodes):
        return []
    code = Wikicode(nodes)
    out: list[_Citation] = []
    for node in _outside_templates(code):
        if isinstance(node, ExternalLink):
            url = render(node.url, link_urls=True)
            if url is None:
                continue
            ident = identifiers.from_url(url)
            if ident is not None and out:
                out[-1].ids.setdefault(*ident)
                continue
            citation = _Citation()
            if ident is not None:
                citation.ids[ident[0]] = ident[1]
            else:
                _put_url(citation, "url", url)
            citation.fields["title"] = render(node.title) if node.title is not None else None
            out.append(citation)
        elif isinstance(node, Template) and out:
            name = template_name(node)
            if name in _ARCHIVE_TEMPLATES or name in _DEAD_LINK_TEMPLATES or name in _ID_TEMPLATES:
                _apply(node, out[-1])
    if not out and with_text:
        citation = _Citation()
        citation.fields["title"] = render(code)
        for node in _outside_templates(code):
            if isinstance(node, Template):
                _apply_known(node, citation)
                if template_name(node) in _ARCHIVE_TEMPLATES:
                    _archive_alone(node, citation)
        out.append(citation)
    if out:
        text = render(code)
        if comparable_title(text) and text != out[0].fields.get("title"):
            out[0].extra["text"] = text
    return out


def _archive_alone(node: Template, citation: _Citation) -> None:
    """An archive template that is the whole citation: its link text is the title, and
    {{wayback}}'s original URL the cited URL."""
    if not citation.fields.get("title"):
        citation.fields["title"] = _value(node, "title")
    if template_name(node) == "wayback" and not citation.fields.get("url"):
        original = _value(node, "url", link_urls=True)
        if original:
            _put_url(citation, "url", original)


def _apply_known(node: Template, citation: _Citation) -> None:
    name = template_name(node)
    if name in _ARCHIVE_TEMPLATES or name in _DEAD_LINK_TEMPLATES or name in _ID_TEMPLATES:
        _apply(node, citation)


def _outside_templates(code: Wikicode) -> list[Node]:
    """Nodes in document order, descending into tags and link labels but not into
    templates (a template's links are its own) or comments."""
    out: list[Node] = []
    for node in code.nodes:
        out.append(node)
        if isinstance(node, Tag) and node.contents is not None and _tag_name(node) not in (
            "ref", "nowiki"
        ):
            out.extend(_outside_templates(node.contents))
    return out


def _template_citation(template: Template) -> _Citation:
    citation = _Citation()
    german = template_name(template) in ("internetquelle", "literatur")
    names: dict[str, list[Any]] = {}
    for param in template.params:
        name = str(param.name).strip()
        key = _DE_PARAMETERS.get(name.lower()) if german else cs1.parameter(name)
        if key is not None:
            names.setdefault(key, []).append(param)
        elif (ident := identifiers.param_key(name)) is not None:
            _put_identifier(citation, ident, render(param.value))
    fields = citation.fields
    for key in ("title", "work", "publisher", "agency", "date", "year", "month",
                "access_date", "archive_date", "url_status", "language", "script_title",
                "authors", "vauthors"):
        fields[key] = _first(names.get(key, []), key)
    for key in ("url", "chapter_url", "archive_url"):
        value = _first(names.get(key, []), key, link_urls=True)
        if value:
            _put_url(citation, key, value)
    if not fields.get("url") and citation.fields.get("chapter_url"):
        fields["url"] = fields["chapter_url"]  # the chapter's link is the cited page
    if not fields.get("title") and fields.get("script_title"):
        fields["title"] = re.sub(r"^[a-z]{2,3}:", "", fields["script_title"])
    citation.authors = _authors(template, german, fields)
    citation.extra["citation"] = template_name(template)
    return citation


def citation_params(template: Template) -> dict[str, str]:
    """A citation template's fields as records read them (``url``, ``title``, ``work``,
    ``archive_url``, …; empty ones left out): for ``verify-refs fix``, which finds the
    citation a report's reference came from."""
    return {k: v for k, v in _template_citation(template).fields.items() if v}


def _first(params: list[Any], key: str, *, link_urls: bool = False) -> str | None:
    """The value CS1 uses: the names in the alias table's order, first non-empty; a name
    given twice is the last one (MediaWiki passes only that one to the template)."""
    order = cs1.ALIASES.get(key, ())
    ranked = sorted(
        enumerate(params), key=lambda ip: (_rank(order, str(ip[1].name).strip()), -ip[0])
    )
    for _, param in ranked:
        value = render(param.value, link_urls=link_urls)
        if value:
            return value
    return None


def _rank(order: tuple[str, ...], name: str) -> int:
    for i, candidate in enumerate(order):
        if candidate in (name, name.lower()):
            return i
    return len(order)


def _value(template: Template, name: str, *, link_urls: bool = False) -> str | None:
    return render(template.get(name).value, link_urls=link_urls) if template.has(name) else None


def _put_url(citation: _Citation, key: str, value: str) -> None:
    """A URL field: protocol-relative links get ``https:``; anything without a scheme is
    not a link a reader can follow, so it is kept raw (lint says so), never the URL."""
    url = value.split()[0] if value.split() else value
    if url.startswith("//"):
        url = "https:" + url
    if _SCHEME.match(url):
        citation.fields[key] = url
    else:
        citation.extra[f"{key}_raw"] = value


def _put_identifier(citation: _Citation, key: str, value: str | None) -> None:
    if not value:
        return
    if key == "issn":
        citation.fields.setdefault("issn", value)
        return
    norm = identifiers.normalise(key, value)
    if norm is not None:
        citation.ids.setdefault(key, norm)
    else:
        citation.extra.setdefault("identifiers_raw", {}).setdefault(key, value)


def _record(rid: str, citation: _Citation, uses: int, extra: dict[str, Any]) -> Reference:
    f = citation.fields
    dates: dict[str, Any] = {}
    published = f.get("date")
    if not published and f.get("year"):  # |year= gives the date when there is no |date=
        published = f"{f['month']} {f['year']}" if f.get("month") else f["year"]
    for key, value in (("date", published), ("access_date", f.get("access_date")),
                       ("archive_date", f.get("archive_date"))):
        put_date(dates, extra, key, value)
    language = f.get("language")
    tag = language_tag(language) if language else None
    if language and tag is None:
        extra["language_raw"] = language
    return Reference(
        id=rid,
        title=comparable_title(f.get("title")),  # a URL is never a title
        url=f.get("url"),
        authors=citation.authors,
        work=f.get("work"),
        publisher=f.get("publisher") or f.get("agency"),
        archive_url=f.get("archive_url"),
        url_status=read_url_status(f.get("url_status")),
        language=tag,
        issn=f.get("issn"),
        uses=uses,
        extra=extra,
        **dates,
    )


def _authors(template: Template, german: bool, fields: dict[str, Any]) -> list[Author]:
    by_number: dict[int, dict[str, str]] = {}
    if not german:
        for param in template.params:
            found = cs1.name_list(str(param.name))
            if found is None or found[0] not in ("author_last", "author_first"):
                continue
            value = render(param.value)
            if value:
                role = "last" if found[0] == "author_last" else "first"
                by_number.setdefault(found[1], {}).setdefault(role, value)
    authors = []
    for _, parts in sorted(by_number.items()):
        if "last" not in parts:
            continue
        family, given = parts["last"], parts.get("first")
        if given is None and ", " in family:  # |author=Family, Given
            family, _, given = family.partition(", ")
        authors.append(Author(family=family, given=given or None))
    if not authors and fields.get("authors"):
        listed = parse_authors(fields["authors"])
        authors = listed if listed is not None else [Author(family=fields["authors"])]
    if not authors and fields.get("vauthors"):  # Vancouver: "Smith AB, Jones CD"
        for name in fields["vauthors"].split(","):
            family, _, given = name.strip().rpartition(" ")
            if name.strip():
                authors.append(Author(family=family or given, given=given if family else None))
    return authors


def read_url_status(value: str | None) -> str | None:
    """A citation's ``url-status`` (or older ``dead-url=yes``, ``deadlink=да``) as one of
    ``live``, ``dead``, ``usurped``, ``unfit``; None when it says none of them."""
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


def _damage(text: str) -> list[InputProblem]:
    """Unpaired ``<ref>``/``</ref>`` and ``{{``/``}}``, with their lines. mwparserfromhell
    reads anything, so damage would otherwise lose references silently; comments and
    <nowiki> (<pre>, <math>, …) text are blanked first (their lines kept): nothing in
    them is markup."""
    text = _UNPARSED.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    problems: list[InputProblem] = []
    open_at: int | None = None
    pos = 0
    while True:
        opening = _REF_OPEN.search(text, pos)
        closing = _REF_CLOSE.search(text, pos)
        if open_at is None:
            if closing and (not opening or closing.start() < opening.start()):
                problems.append(InputProblem(_line(text, closing.start()),
                                             "damaged reference: </ref> closes no <ref>"))
                pos = closing.end()
                continue
            if not opening:
                break
            if not opening.group(1):
                open_at = opening.start()
            pos = opening.end()
        else:
            if not closing or (opening and opening.start() < closing.start()):
                problems.append(InputProblem(_line(text, open_at),
                                             "damaged reference: <ref> is never closed"))
                open_at = None
                continue
            open_at = None
            pos = closing.end()
    stack: list[int] = []
    for m in re.finditer(r"\{\{|\}\}", text):
        if m.group(0) == "{{":
            stack.append(m.start())
        elif stack:
            stack.pop()
        else:
            problems.append(InputProblem(_line(text, m.start()), "'}}' closes no '{{'"))
    problems.extend(InputProblem(_line(text, at), "'{{' is never closed") for at in stack)
    return problems


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
