"""A Wikipedia article's rendered HTML: the legacy parser's (``action=parse``, a saved
page) and Parsoid's (the REST page HTML, ``typeof="mw:Extension/references"``).

References are the footnotes of the main group, numbered as the reader sees them (the
``[12]`` of the marks in the body); note groups (``[n 1]``, ``[註 1]``, ``[a]``, Parsoid's
``data-mw-group``) are not references. A footnote bundling several citations gives one
record per citation: ``12``, ``12.2``, ``12.3``, …

The wikis render CS1 differently:

- en: ``<cite class="citation news cs1">Smith, Josh (12 September 2023). <a>"Title"</a>.
  <i>Work</i>. <a href=archive>Archived</a> from the original on … Retrieved …</cite>``
  plus a COinS ``span.Z3988`` carrying title, work, date, authors, ISSN, identifiers and
  URL; ``{{webarchive}}`` after it: "Archived 7 June 2011 at the Wayback Machine";
- zh: ``<cite class="citation web"><a>Title</a>. <i>Work</i>. 2023-09-13 [2023-09-18].
  （<a href=archive>原始内容存档</a>于2023-09-14）（俄语）</cite>`` with COinS too;
- ru: ``<span class="citation"><a>Заглавие</a> (рус.). <i>Издание</i> (14 сентября 2023).
  Дата обращения: … <a href=archive>Архивировано</a> 16 сентября 2023 года.</span>``,
  without COinS; ja: "…時点のオリジナルよりアーカイブ。".

COinS is read first (it is the template's own data); the visible text fills what it lacks.
Whether the title links to the archive tells ``url_status``: CS1 links the title to the
archived copy exactly when the original is dead. Identifier links (DOI, PMID, ISBN, …)
are never the cited URL: they go to ``identifiers``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ..archive_urls import is_archived_copy, parse_archive_url, timestamp_day
from ..errors import InputError
from ..model import Author, Reference
from ..records import Article
from . import identifiers
from .authors import cs1_lead_names, parse_authors, split_leading_authors
from .dates import normalise_date, put_date
from .htmlcheck import check_balanced
from .languages import is_language_name, language_tag
from .sentences import citing_sentences

# The "original" link of a dead citation, which keeps the original URL.
_ORIGINAL_LINKS = {"the original", "original", "原始内容", "原始內容", "оригинала", "オリジナル"}
# Link texts that are not the cited title: the archive and "original" links.
_NOT_TITLE = _ORIGINAL_LINKS | {"archived", "archive", "原始内容存档", "原始內容存檔", "存档",
                                "存檔", "页面存档备份", "頁面存檔備份", "互联网档案馆",
                                "архивировано", "архив", "архивная копия", "アーカイブ"}
_ACCESS = [
    re.compile(r"Retrieved\s+(?:on\s+)?(?P<d>[^.]+?)\s*(?:\.|$)"),
    re.compile(r"Accessed\s+(?:on\s+)?(?P<d>[^.]+?)\s*(?:\.|$)"),
    re.compile(r"\[(?P<d>[^\[\]]*\d{4}[^\[\]]*)\]"),
    re.compile(r"Дата обращения:\s*(?P<d>[^.]+?)\s*(?:\.|$)"),
    re.compile(r"(?P<d>\d{4}年\d{1,2}月\d{1,2}日)閲覧"),
]
# Every rendering of an archive date: CS1 (en dead and live, zh with and without the
# brackets and the format, ru, ja) and {{webarchive}} (en, ru, ja, zh).
_ARCHIVED = [
    re.compile(r"Archived(?:\s*\([^)]*\))?\s+from the original(?:\s*\([^)]*\))?\s+on\s+"
               r"(?P<d>[^.]+?)\s*(?:\.|$)"),
    re.compile(r"Archived\s+(?:on\s+)?(?P<d>[^.]*?\d{4}(?:-\d{2}-\d{2})?)\s*,?\s+at\s"),
    re.compile(r"(?:存档|存檔)\s*(?:\([^)]*\)|（[^）]*）)?\s*(?:于|於)\s*"
               r"(?P<d>[^）)\]。.]+?\d日?)\s*(?:[）)\]。.]|$)"),
    re.compile(r"(?:存档|存檔)日期\s*[:：]?\s*(?P<d>\d{4}[-年]\d{1,2}[-月]\d{1,2}日?)"),
    re.compile(r"Архивировано\s+(?:из оригинала\s+)?(?P<d>\d[^.]*?\d{4})(?:\s*года)?"),
    re.compile(r"Архивная копия\s+от\s+(?P<d>\d[^.]*?\d{4})"),
    re.compile(r"(?P<d>\d{4}年\d{1,2}月\d{1,2}日)時点のオリジナルよりアーカイブ"),
    re.compile(r"アーカイブ\s*(?P<d>\d{4}年\d{1,2}月\d{1,2}日)"),
    re.compile(r"(?P<d>\d{4}年\d{1,2}月\d{1,2}日)時点(?:における|の)アーカイブ"),
    re.compile(r"(?P<d>\d{4}年\d{1,2}月\d{1,2}日)アーカイブ分"),  # ja {{Wayback}}
]
_DATE_CANDIDATES = [
    re.compile(r"[(（](?P<d>[^()（）]*\d{4}[^()（）]*)[)）]"),  # en/ru "(12 September 2023)"
    re.compile(r"(?<![\d\[-])(?P<d>\d{4}-\d{2}(?:-\d{2})?)(?![\d\]])"),  # zh "2023-09-13 ["
    re.compile(r"(?P<d>\d{4}年\d{1,2}月(?:\d{1,2}日)?)"),  # ja "2023年9月13日."
]
# A title in quotes, as CS1 sets an article's: "Title", “Title”, 「題名」, «Заглавие».
_QUOTED = re.compile(r'^\s*(?:\([^)]*\d{4}[^)]*\)\.?\s*)?(?:"(?P<a>[^"]+)"|“(?P<b>[^”]+)”|'
                     r"「(?P<c>[^」]+)」|«(?P<d>[^»]+)»)")
# CS1's names before the date: "Smith, J.; Jones, K. (May 2017). " (a bracketed original
# date may follow: "(2009) [1966]. "); editors' ("Fraser, B, ed." / "(eds.)") are not authors.
_CS1_LEAD = re.compile(
    r"^(?P<names>(?:[^\"“”«»「(\d]|\([^()\d]*\))+?)\s*\((?P<date>[^()]*\d{4}[^()]*)\)"
    r"(?:\s*\[[^\]]*\])?\.\s+"
)
# A sentence goes on past a name list's dot ("Roth, Andrew. Kim Jong-un arrives …" is ru's
# italic authors and then the title): names hold initials ("Wilson, J. M.") only.
_SENTENCE = re.compile(r"\.\s+\w{3,}(?![,;])\s")
# "Ryan, Chris (ed.). " between the date and a book's title (no chapter).
_CS1_EDITORS = re.compile(r"^[^\"“()]+?\s*\(eds?\.\)\.\s+")
_EDITORS = re.compile(r"(?:,\s*|\()eds?\.\)?$")
# An HTML entity left in COinS text (CS1 writes a title's "[", "]", "|" as &#91; &#93; &#124;);
# only the terminated forms: an "&" in plain text is not one.
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+\d*);")
_QUOTED_ANYWHERE = re.compile(r'"(?P<a>[^"]{3,})"|“(?P<b>[^”]{3,})”|「(?P<c>[^」]{3,})」|'
                              r"«(?P<d>[^»]{3,})»")
_ISSN = re.compile(r"ISSN\s+(?P<issn>\d{4}-?\d{3}[\dXx])")
_PAREN = re.compile(r"[(（](?P<p>[^()（）]+)[)）]")
_TITLE_SUFFIX = re.compile(r"\s+[-—–]\s+(?:维基百科|維基百科|Wikipedia|Википедия).*$")
# The projects' article paths: a link there is a link into a wiki, never a cited URL.
_WIKI_HOST = re.compile(
    r"(?:^|\.)(?:wikipedia|wikimedia|wiktionary|wikidata|wikisource|wikiquote|wikibooks|"
    r"wikinews|wikiversity|wikivoyage|wikispecies|mediawiki)\.org$"
)
_WIKI_PATH = re.compile(r"^/(?:wiki|w|zh(?:-[a-z]+)?)/")
# The quotes CS1 (and editors) put around a title, opening -> closing.
_QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“", "‘": "’", "「": "」", "『": "』"}


@dataclass
class _Part:
    """One citation of a footnote: its ``cite`` (if any) and what follows it up to the
    next citation (a ``{{webarchive}}``, the COinS span, loose text)."""

    cite: Tag | None = None
    link: Tag | None = None  # a loose external link that is this part's citation
    texts: list[str] = field(default_factory=list)
    links: list[Tag] = field(default_factory=list)
    short: bool = False  # the full citation a short citation ("King 2003, p. 41") links to
    coins: Tag | None = None


def parse_html(text: str, where: str) -> Article:
    check_balanced(text, where)
    soup = BeautifulSoup(text, "html.parser")
    labels = _mark_labels(soup)
    lists = [ol for ol in soup.select("ol.references") if _is_main_group(ol, labels)]
    if not lists:
        raise InputError(f'{where}:1: not a reference list: no <ol class="references">')
    numbered = _numbered(lists, labels)
    note_ids = {str(li.get("id")): number for number, li in numbered if li.get("id")}
    cited = citing_sentences(_body_lines(soup, note_ids))
    source = _source(soup)
    full = {unquote(str(c["id"])): c for c in soup.find_all(_is_cite)
            if str(c.get("id") or "").startswith("CITEREF")}
    refs = [
        ref
        for number, li in numbered
        for ref in _references(number, li, cited.get(number, []), full)
    ]
    return Article(source=source, references=refs)


# ----------------------------------------------------------------------- groups


def _mark_labels(soup: BeautifulSoup) -> dict[str, str]:
    """Footnote anchor -> the label its marks in the body show ("1", "n 1", "a")."""
    labels: dict[str, str] = {}
    for sup in soup.find_all("sup"):
        if sup.find_parent("ol", class_="references"):
            continue
        link = sup.find("a", href=True)
        if link is None or "#cite_note" not in str(link["href"]):
            continue
        anchor = unquote(str(link["href"]).rpartition("#")[2])
        label = " ".join(link.get_text("").split()).strip("[]")
        labels.setdefault(anchor, label)
    return labels


def _is_main_group(ol: Tag, labels: dict[str, str]) -> bool:
    """The main group's list, not a note group's."""
    if ol.get("data-mw-group") or _parsoid_group(ol):
        return False
    shown = [labels[a] for li in ol.find_all("li", recursive=False)
             if (a := unquote(str(li.get("id") or ""))) in labels]
    if shown:  # the marks tell: a group's read "[n 1]", "[a]", "[註 1]"
        return all(label.isdigit() for label in shown)
    return not _looks_like_notes(ol)


def _parsoid_group(ol: Tag) -> bool:
    data = str(ol.get("data-mw") or "")
    return bool(re.search(r'"group"\s*:\s*"[^"]+"', data))


def _looks_like_notes(ol: Tag) -> bool:
    """Without marks to go by: {{notelist}} and group=lower-alpha lists are notes."""
    node: Tag | None = ol
    for _ in range(4):
        if node is None:
            break
        classes = " ".join(node.get("class") or [])
        style = str(node.get("style") or "")
        if "alpha" in classes or "notelist" in classes or "alpha" in style:
            return True
        node = node.parent
    return False


def _numbered(lists: list[Tag], labels: dict[str, str]) -> list[tuple[str, Tag]]:
    """Each footnote with the number the reader sees: its marks' label, else the next."""
    out: list[tuple[str, Tag]] = []
    used: set[str] = set()
    last = 0
    for ol in lists:
        for li in ol.find_all("li", recursive=False):
            label = labels.get(unquote(str(li.get("id") or "")), "")
            number = int(label) if label.isdigit() and label not in used else last + 1
            while str(number) in used:
                number += 1
            used.add(str(number))
            last = number
            out.append((str(number), li))
    return out


# ----------------------------------------------------------------------- source


def _source(soup: BeautifulSoup) -> dict[str, Any]:
    url = _page_url(soup)
    heading = soup.select_one("h1#firstHeading") or soup.find("title")
    title = (_TITLE_SUFFIX.sub("", " ".join(heading.get_text(" ").split()))
             if heading else None)
    if not title and url:
        title = unquote(url.rpartition("/wiki/")[2]).replace("_", " ") or None
    lang = None
    for tag in (soup.find("html"), soup.find("body"), soup.select_one(".mw-parser-output[lang]")):
        if tag is not None and tag.get("lang"):
            lang = str(tag["lang"])
            break
    if lang is None and url and (host := urlsplit(url).hostname):
        lang = host.split(".")[0] if host.count(".") >= 2 else None
    return {
        "title": title or None,
        "language": language_tag(lang) if lang else None,
        "url": url,
        "format": "html",
    }


def _page_url(soup: BeautifulSoup) -> str | None:
    """The article's address: the canonical link, Parsoid's ``dc:isVersionOf``, else the
    wiki and page COinS name as the citation's referrer (``rfr_id``)."""
    for rel in ("canonical", "dc:isVersionOf"):
        link = soup.find("link", rel=rel, href=True)
        if link is not None:
            return _absolute(str(link["href"]))
    span = soup.select_one("span.Z3988[title]")
    if span is not None:
        sid = (parse_qs(str(span["title"])).get("rfr_id") or [""])[0]
        if m := re.fullmatch(r"info:sid/(?P<host>[a-z0-9.-]+\.org):(?P<page>.+)", sid):
            page = quote(m.group("page").replace(" ", "_"), safe="/:()_,'!*")
            return f"https://{m.group('host')}/wiki/{page}"
    return None


# ----------------------------------------------------------------------- body


def _body_lines(soup: BeautifulSoup, note_ids: dict[str, str]) -> list[str]:
    lines = []
    for block in soup.find_all(["p", "li", "dd"]):
        if block.find_parent("ol", class_="references") or block.find(["p", "li"]):
            continue
        lines.append(_text_with_marks(block, note_ids))
    return lines


def _text_with_marks(tag: Tag, note_ids: dict[str, str]) -> str:
    """The block's text with each citation as "[n]" (the reader's number), notes dropped."""
    parts: list[str] = []
    for child in tag.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif child.name == "sup" and _is_mark(child):
            link = child.find("a", href=True)
            note = unquote(str(link["href"]).rpartition("#")[2]) if link else ""
            parts.append(f"[{note_ids[note]}]" if note in note_ids else "")
        elif child.name not in ("style", "script"):
            parts.append(_text_with_marks(child, note_ids))
    return "".join(parts)


def _is_mark(sup: Tag) -> bool:
    classes = sup.get("class") or []
    return "reference" in classes or "mw-ref" in classes


# ----------------------------------------------------------------------- footnotes


def _references(
    number: str, li: Tag, cited_in: list[str], full: dict[str, Tag]
) -> list[Reference]:
    uses = _uses(li)
    parts = _short_parts(li, full) or _parts(li)
    refs = []
    for k, part in enumerate(parts, start=1):
        rid = number if k == 1 else f"{number}.{k}"
        refs.append(_reference(rid, li, part, uses, cited_in))
    return refs


def _short_parts(li: Tag, full: dict[str, Tag]) -> list[_Part]:
    """A short citation's footnote ({{sfn}}, {{harvnb}}: "King 2003, p. 41." linked to
    ``#CITEREFKing2003``, no citation of its own): the full citations it links to, read
    where the article has them (its bibliography), one part each."""
    if li.find(_is_cite) is not None or any(_citation_link(a) for a in li.find_all("a")):
        return []
    parts: list[_Part] = []
    seen: set[str] = set()
    for a in li.find_all("a", href=True):
        anchor = unquote(str(a["href"]).rpartition("#")[2])
        if anchor in full and anchor not in seen:
            seen.add(anchor)
            parts.append(_full_part(full[anchor]))
        elif anchor.startswith("CITEREF") and not parts:
            seen.add(anchor)
    if not parts and seen:  # its full citation is not in the page: nothing to read
        return [_Part(short=True)]
    return parts


def _full_part(cite: Tag) -> _Part:
    part = _Part(cite=cite, short=True)
    _collect(part, cite)
    for sibling in cite.next_siblings:  # its COinS follows it
        if not isinstance(sibling, Tag):
            continue
        if _is_cite(sibling):
            break
        coins = sibling if "Z3988" in (sibling.get("class") or []) else sibling.find(
            "span", class_="Z3988")
        if coins is not None:
            part.coins = coins
            break
    return part


def _uses(li: Tag) -> int:
    """How often the article cites the footnote: its back-links."""
    backlink = li.select_one(".mw-cite-backlink")
    if backlink is not None:
        return max(1, len(backlink.select('a[href*="#cite_ref"]')))
    by = li.find(attrs={"rel": "mw:referencedBy"})  # Parsoid: <a> for one, <span> of <a>s
    if isinstance(by, Tag) and by.name != "a":
        return max(1, len(by.find_all("a")))
    return 1


def _is_cite(tag: Tag) -> bool:
    return tag.name == "cite" or "citation" in (tag.get("class") or [])


def _parts(content: Tag) -> list[_Part]:
    """The footnote's citations, in order.

    Each ``cite`` is one, with what follows it up to the next (a ``{{webarchive}}``,
    COinS). A loose external link (outside any ``cite``) is a citation of its own, except
    when it is the footnote's only link and there is no ``cite``: then the whole
    footnote is that citation, read from its text.
    """
    cites = [c for c in content.find_all(_is_cite) if not c.find_parent(_is_cite)]
    loose = [a for a in content.find_all("a", href=True)
             if not a.find_parent(_is_cite) and _citation_link(a)]
    if not cites and len(loose) <= 1:
        whole = _Part(cite=content)
        _collect(whole, content)
        return [whole]
    starts = set(map(id, cites)) | set(map(id, loose))
    seen_urls: set[str] = set()
    parts: list[_Part] = []
    lead = _Part()  # text before the first citation: part of it when it is a loose link
    current = lead
    for node in _walk(content):
        if isinstance(node, Tag) and id(node) in starts:
            url = _absolute(str(node.get("href") or ""))
            if node.name == "a" and url in seen_urls:
                continue  # the same source linked again in the footnote
            current = _Part(cite=node) if node.name != "a" else _Part(link=node)
            if current.link is not None:
                current.links.append(node)
                current.texts.append(node.get_text(""))
                if not parts and lead.texts:
                    current.texts[:0] = lead.texts
            else:
                _collect(current, node)
            seen_urls.update(u for a in current.links if (u := _absolute(str(a["href"]))))
            parts.append(current)
        elif isinstance(node, NavigableString):
            current.texts.append(str(node))
        elif node.name == "a" and node.get("href"):
            current.links.append(node)
        elif "Z3988" in (node.get("class") or []) and current.coins is None:
            current.coins = node
    return parts or [lead]


def _walk(tag: Tag) -> Iterator[Tag | NavigableString]:
    """The nodes under ``tag`` in order, a citation's own content left out (it is one
    node), and no style, script or comment text."""
    for child in tag.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            yield child
            continue
        if child.name in ("style", "script") or _is_backlink(child):
            continue
        yield child
        if not _is_cite(child) and not (child.name == "a" and child.get("href")):
            yield from _walk(child)
        elif child.name == "a":
            yield from (s for s in child.strings if not isinstance(s, Comment))


def _is_backlink(tag: Tag) -> bool:
    """The footnote's links back to its marks (legacy ``^ a b``, Parsoid ``↑``)."""
    rel = tag.get("rel") or ""
    return "mw-cite-backlink" in (tag.get("class") or []) or "mw:referencedBy" in rel


def _collect(part: _Part, tag: Tag) -> None:
    """A citation's own text, links and COinS."""
    for node in _walk(tag):
        if isinstance(node, NavigableString):
            part.texts.append(str(node))
        elif node.name == "a" and node.get("href"):
            part.links.append(node)
        elif "Z3988" in (node.get("class") or []) and part.coins is None:
            part.coins = node
        elif _is_cite(node):
            _collect(part, node)


def _reference(rid: str, li: Tag, part: _Part, uses: int, cited_in: list[str]) -> Reference:
    coins = parse_qs(str(part.coins["title"])) if part.coins and part.coins.get("title") else {}
    text = " ".join("".join(part.texts).split())
    if part.link is not None:
        own = [part.link]
    elif part.cite is not None:  # the cite's own links, not those after it ({{webarchive}})
        own = [a for a in part.links if any(p is part.cite for p in a.parents)]
    else:
        own = part.links
    external = [a for a in part.links if _external(a)]
    cite_links = [a for a in own if _external(a)]
    title_link = next(
        (a for a in cite_links if _link_text(a).casefold() not in _NOT_TITLE
         and not _shows_identifier(a)),
        None,
    )
    archive_link = next((a for a in external if is_archived_copy(_href(a))), None)
    found_ids = _identifiers(coins, part.links)
    original = _original_url(external, title_link, coins)
    raw: dict[str, str] = {}
    fields: dict[str, Any] = {}

    access = _first_match(_ACCESS, text)
    archived = _first_match(_ARCHIVED, text)
    put_date(fields, raw, "access_date", access)
    put_date(fields, raw, "archive_date", archived)
    if fields.get("archive_date") is None and archive_link is not None and not archived:
        fields["archive_date"] = _timestamp_date(_href(archive_link))
    date_text = _remove(text, [access, archived])
    put_date(fields, raw, "date", _first(coins, "rft.date") or _find_date(date_text))

    title = _first(coins, "rft.atitle", "rft.btitle", "rft.title")
    authors = _coins_authors(coins)
    if not title or not authors:
        lead_authors, lead_title = _leading(part.cite, title_link, text, bool(external))
        title = title or lead_title
        authors = authors or lead_authors
    if title and original and title == original:
        title = None  # a bare link: a URL is never a title
    scope = part.cite if part.cite is not None else li
    work = _first(coins, "rft.jtitle") or _italic(scope, title, title_link)

    language = _language(scope, text)
    tag = language_tag(language) if language else None
    if language and tag is None:
        raw["language_raw"] = language
    issn = found_ids.pop("issn", None) or (m.group("issn") if (m := _ISSN.search(text)) else None)
    url_status = None
    if archive_link is not None and title_link is not None:
        url_status = "dead" if title_link is archive_link else "live"
    extra: dict[str, Any] = {
        "origin": {"format": "html", "line": li.sourceline, "anchor": li.get("id")},
        "cited_in": cited_in,
        **raw,
    }
    if found_ids:
        extra["identifiers"] = dict(sorted(found_ids.items()))
    if part.short:  # as the wikitext reader marks an {{sfn}}: its kind and what it shows
        sfn = str(li.get("id") or "").startswith("cite_note-FOOTNOTE")  # Module:Footnotes' ids
        extra["short_citation"] = "sfn" if sfn else "harv"
        extra["text"] = " ".join("".join(
            s for s in _walk(li) if isinstance(s, NavigableString)).split())
    return Reference(
        id=rid,
        title=title or None,
        url=original,
        authors=authors,
        work=work,
        archive_url=_href(archive_link) if archive_link is not None else None,
        url_status=url_status,
        language=tag,
        issn=issn,
        uses=uses,
        extra=extra,
        **fields,
    )


# ----------------------------------------------------------------------- links


def _absolute(href: str) -> str | None:
    """An http(s) URL as the reader's browser opens it (``//host`` gets https:), or None
    for a link within the page or the wiki (``#…``, ``./Title``, ``/wiki/…``)."""
    href = href.strip()
    if href.startswith("//"):
        return "https:" + href
    if re.match(r"^https?://", href, re.I):
        return href
    return None


def _href(a: Tag) -> str | None:
    return _absolute(str(a.get("href") or ""))


def _external(a: Tag) -> bool:
    """A link out of the wiki (not into it, not to another wiki by interwiki)."""
    url = _href(a)
    if url is None:
        return False
    classes = a.get("class") or []
    rel = a.get("rel") or ""
    rel = " ".join(rel) if isinstance(rel, list) else str(rel)
    if "extiw" in classes or "mw:WikiLink" in rel:
        return False
    if "external" in classes or "mw:ExtLink" in rel:
        return True
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return not (_WIKI_HOST.search(host) and _WIKI_PATH.match(parts.path))


def _citation_link(a: Tag) -> bool:
    """A link that is a cited source: out of the wiki, not an archive, not an identifier."""
    url = _href(a)
    if url is None or not _external(a):
        return False
    return (not is_archived_copy(url) and identifiers.from_url(url) is None
            and _labelled_identifier(a) is None)


def _shows_identifier(a: Tag) -> bool:
    """An identifier as CS1 shows it ("doi:<a>10.1/x</a>"): not a title. A title linked
    to an identifier's page (CS1 links it to PMC when there is no URL) is still one."""
    pair = identifiers.from_url(_href(a) or "")
    if pair is not None and identifiers.normalise(pair[0], _link_text(a)) == pair[1]:
        return True
    return _labelled_identifier(a) is not None


def _labelled_identifier(a: Tag) -> tuple[str, str] | None:
    """(key, value) of a link CS1 labels as an identifier ("ISSN <a>0028-0836</a>", the
    label linking to the identifier's article): known by its label whatever its address
    (an identifier's resolver may move), so it is never taken for the cited URL."""
    before = ""
    for node in a.previous_elements:
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            before = str(node) + before
            if len(before.strip()) >= 12:
                break
        elif isinstance(node, Tag) and _is_cite(node):
            break
    key = identifiers.label_before(before)
    if key is None:
        return None
    value = identifiers.normalise(key, _link_text(a))
    return (key, value) if value else None


def _bare(a: Tag) -> bool:
    """A link showing its own URL (or "[1]"): it gives no title."""
    text = _link_text(a)
    classes = a.get("class") or []
    return (
        "free" in classes
        or "autonumber" in classes
        or bool(re.fullmatch(r"\[\d+\]", text))
        or bool(re.match(r"^(?:https?:)?//", text))
    )


def _link_text(a: Tag) -> str:
    return " ".join(a.get_text("").split())


def _identifiers(coins: dict[str, list[str]], links: list[Tag]) -> dict[str, str]:
    found = identifiers.from_coins(coins)
    for a in links:
        href = str(a.get("href") or "")
        pair = identifiers.from_url(_absolute(href) or href) or _labelled_identifier(a)
        if pair:
            found.setdefault(*pair)
    return found


def _original_url(links: list[Tag], title_link: Tag | None, coins: dict) -> str | None:
    for value in coins.get("rft_id", []):
        url = _absolute(value)
        if url and not is_archived_copy(url) and not identifiers.from_url(url):
            return url
    href = _href(title_link) if title_link is not None else None
    if href and not is_archived_copy(href) and identifiers.from_url(href) is None:
        return href
    # A dead link: the title goes to the archive and "the original" keeps the URL.
    for a in links:
        if _link_text(a).casefold() in _ORIGINAL_LINKS:
            return _href(a)
    return None


def _timestamp_date(url: str | None) -> str | None:
    """The capture date an archive link names (``/web/20160223…/``), when it names a day."""
    parsed = parse_archive_url(url)
    day = timestamp_day(parsed.timestamp if parsed else None)
    return normalise_date(day) if day else None


# ----------------------------------------------------------------------- COinS and text


def _first(coins: dict[str, list[str]], *keys: str) -> str | None:
    """A COinS text field as the reader sees it (its entities decoded)."""
    for key in keys:
        if coins.get(key):
            return _decoded(coins[key][0]).strip() or None
    return None


def _decoded(value: str) -> str:
    return _ENTITY.sub(lambda m: unescape(m.group(0)), value)


def _coins_authors(coins: dict[str, list[str]]) -> list[Author]:
    """All authors in order: CS1 gives the first as ``rft.aulast``/``rft.aufirst`` and
    the others as ``rft.au`` (or all as ``rft.au`` when written as one name)."""
    authors: list[Author] = []
    last = _first(coins, "rft.aulast")
    if last:
        authors.append(Author(family=last, given=_first(coins, "rft.aufirst")))
    for name in coins.get("rft.au") or []:
        family, _, given = (part.strip() for part in _decoded(name).partition(","))
        author = Author(family=family, given=given or None)
        if family and author not in authors:
            authors.append(author)
    if not authors and (corp := _first(coins, "rft.aucorp")):
        authors.append(Author(family=corp))
    return authors


def _leading(
    cite: Tag | None, title_link: Tag | None, text: str, has_link: bool = False
) -> tuple[list[Author], str | None]:
    """Authors and title from the visible text, when COinS is absent (ru, stripped) or
    partial. CS1 sets ``Authors (date). "Article". In Editors (eds.). <i>Book</i>``: the
    title is the quoted one (an article's, a chapter's), else the title link's text, else
    the italics there (a book's)."""
    lead = _CS1_LEAD.match(text) if cite is not None and _is_cite(cite) else None
    if lead is not None and not _SENTENCE.search(lead.group("names")):
        names = lead.group("names").strip()
        authors = [] if _EDITORS.search(names) else cs1_lead_names(names)
        rest = _CS1_EDITORS.sub("", text[lead.end():], count=1)
        linked = _link_text(title_link) if title_link is not None and not _bare(title_link) else ""
        if linked and rest.startswith(linked):
            return authors, _unquoted(linked)
        if m := _QUOTED.match(rest):
            return authors, _in_quotes(m)
        if linked:
            return authors, _unquoted(linked)
        italic = _first_italic(cite)
        if italic and rest.startswith(italic):
            return authors, italic
    if title_link is not None and not _bare(title_link):
        before = []
        for node in title_link.previous_siblings:
            before.insert(0, node.get_text("") if isinstance(node, Tag) else str(node))
        lead_text = _PAREN.sub("", " ".join("".join(before).split())).strip().rstrip(".").strip()
        authors = parse_authors(lead_text) if lead_text else None
        return authors or [], _unquoted(_link_text(title_link))
    authors, rest = split_leading_authors(text)
    if m := _QUOTED.match(rest):
        return authors, _in_quotes(m)
    italic = _first_italic(cite) if cite is not None and _is_cite(cite) else None
    if italic and rest.startswith(italic):
        return authors, italic  # a book without authors: "<i>Title</i>. Publisher."
    if (cite is None or not _is_cite(cite)) and (m := _QUOTED_ANYWHERE.search(rest)) and (
        has_link or re.search(r"(?:^|[,:：]\s*)$", rest[:m.start()])
    ):
        # Free text names its title in quotes: 'U.S. Census Bureau: "Final Totals" see …',
        # 'George B. Tindall, "Business Progressivism," …' (not 'see "Values" below').
        return authors, _in_quotes(m).rstrip(",;:：").strip()
    head = re.split(r"\.\s|[(（]", rest, maxsplit=1)[0]
    head = _unquoted(head.strip().rstrip(".").strip())
    if re.match(r"^(?:https?:)?//", head):
        return authors, None
    return authors, head or None


def _in_quotes(m: re.Match[str]) -> str:
    """What a ``_QUOTED`` or ``_QUOTED_ANYWHERE`` match holds between its quotes."""
    return next(g for g in m.groups() if g).strip()


def _unquoted(text: str) -> str:
    """``text`` without the pair of quotes around it, if it has one: "“A”（“B”）" and
    "“A” and “B”" keep theirs, they are not around the whole."""
    text = text.strip()
    close = _QUOTE_PAIRS.get(text[:1])
    if not close or len(text) < 2 or not text.endswith(close):
        return text
    if close != text[0] and text.find(close, 1) != len(text) - 1:
        return text
    return text[1:-1].strip()


def _first_italic(cite: Tag) -> str | None:
    i = cite.find("i")
    return " ".join(i.get_text("").split()) or None if i is not None else None


def _italic(scope: Tag, title: str | None, title_link: Tag | None) -> str | None:
    """The work is the first italic after the title (ru sets the authors in italics too)."""
    after = _position(title_link) if title_link is not None else (0, 0)
    for i in scope.find_all("i"):
        if _position(i) < after:
            continue
        value = " ".join(i.get_text("").split())
        if value and value.rstrip(".") != (title or "").rstrip(".") and not i.find_parent("a"):
            return value
    return None


def _position(tag: Tag) -> tuple[int, int]:
    return (tag.sourceline or 0, tag.sourcepos or 0)


def _language(scope: Tag, text: str) -> str | None:
    info = scope.select_one(".ref-info[title]")  # ru: <span title="на русском языке">(рус.)
    if info is not None:
        return str(info["title"])
    for m in _PAREN.finditer(text):
        if is_language_name(m.group("p")):
            return m.group("p").strip()
    return None


def _first_match(patterns: list[re.Pattern[str]], text: str) -> str | None:
    """The first match that is a date ("[J Am Vet Med Assoc. 2002]" in a title is not the
    "[2008-06-22]" after it), else the first match, kept raw for lint."""
    found = [m.group("d").strip() for pattern in patterns for m in pattern.finditer(text)]
    return next((d for d in found if normalise_date(d)), found[0] if found else None)


def _find_date(text: str) -> str | None:
    for pattern in _DATE_CANDIDATES:
        for m in pattern.finditer(text):
            if normalise_date(m.group("d")):
                return m.group("d")
    return None


def _remove(text: str, values: list[str | None]) -> str:
    for value in values:
        if value:
            text = text.replace(value, " ")
    return text
