"""A Wikipedia article's rendered HTML (``action=parse``, the REST page HTML, or a saved page).

The three wikis render CS1 differently:

- en: ``<cite class="citation news cs1">Smith, Josh (12 September 2023). <a>"Title"</a>.
  <i>Work</i>. <a href=archive>Archived</a> from the original on … Retrieved …</cite>``
  plus a COinS ``span.Z3988`` carrying title, work, date, authors, ISSN and URL;
- zh: ``<cite class="citation web"><a>Title</a>. <i>Work</i>. 2023-09-13 [2023-09-18].
  （<a href=archive>原始内容存档</a>于2023-09-14）（俄语）</cite>`` with COinS too;
- ru: ``<span class="citation"><a>Заглавие</a> (рус.). <i>Издание</i> (14 сентября 2023).
  Дата обращения: … <a href=archive>Архивировано</a> 16 сентября 2023 года.</span>``,
  without COinS.

COinS is read first (it is the template's own data); the visible text fills what it lacks.
Whether the title links to the archive tells ``url_status``: CS1 links the title to the
archived copy exactly when the original is dead.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ..errors import InputError
from ..model import Author, Reference
from ..records import Article
from .authors import parse_authors, split_leading_authors
from .dates import normalise_date, put_date
from .htmlcheck import check_balanced
from .languages import is_language_name, language_tag
from .sentences import citing_sentences

_ARCHIVE_HOSTS = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*(?:archive\.org|archive\.(?:today|ph|is|li|md|vn|fo)|"
    r"webcitation\.org|ghostarchive\.org|perma\.cc|archive-it\.org|webarchive\.[a-z.]+|"
    r"arquivo\.pt|wayback\.[a-z.]+)/",
    re.I,
)
# The "original" link of a dead citation, which keeps the original URL.
_ORIGINAL_LINKS = {"the original", "原始内容", "原始內容", "оригинала"}
# Link texts that are not the cited title: the archive and "original" links.
_NOT_TITLE = _ORIGINAL_LINKS | {"archived", "archive", "原始内容存档", "原始內容存檔",
                                "архивировано", "архив", "архивная копия"}
_ACCESS = [
    re.compile(r"Retrieved\s+(?P<d>[^.]+?)\s*(?:\.|$)"),
    re.compile(r"\[(?P<d>[^\[\]]+)\]"),
    re.compile(r"Дата обращения:\s*(?P<d>[^.]+?)\s*(?:\.|$)"),
]
_ARCHIVED = [
    re.compile(r"from the original on\s+(?P<d>[^.]+?)\s*(?:\.|$)"),
    re.compile(r"(?:存档|存檔)\s*于\s*(?P<d>[^）)]+?)\s*[）)]"),
    re.compile(r"Архивировано\s+(?:из оригинала\s+)?(?P<d>\d[^.]*?\d{4})(?:\s*года)?"),
]
_DATE_CANDIDATES = [
    re.compile(r"[(（](?P<d>[^()（）]*\d{4}[^()（）]*)[)）]"),  # en/ru "(12 September 2023)"
    re.compile(r"(?<![\d\[-])(?P<d>\d{4}-\d{2}(?:-\d{2})?)(?![\d\]])"),  # zh "2023-09-13 ["
]
_ISSN = re.compile(r"ISSN\s+(?P<issn>\d{4}-?\d{3}[\dXx])")
_PAREN = re.compile(r"[(（](?P<p>[^()（）]+)[)）]")
_TITLE_SUFFIX = re.compile(r"\s+[-—–]\s+(?:维基百科|維基百科|Wikipedia|Википедия).*$")


def parse_html(text: str, where: str) -> Article:
    check_balanced(text, where)
    soup = BeautifulSoup(text, "html.parser")
    lists = [ol for ol in soup.select("ol.references") if not _is_notes(ol)]
    if not lists:
        raise InputError(f'{where}:1: not a reference list: no <ol class="references">')
    items = [li for ol in lists for li in ol.find_all("li", recursive=False)]
    note_ids = {str(li.get("id")): str(n) for n, li in enumerate(items, start=1) if li.get("id")}
    cited = citing_sentences(_body_lines(soup, note_ids))
    refs = [_reference(str(n), li, cited.get(str(n), [])) for n, li in enumerate(items, start=1)]
    return Article(source=_source(soup), references=refs)


def _is_notes(ol: Tag) -> bool:
    """Footnote lists ({{notelist}}, group=lower-alpha) are notes, not references."""
    node: Tag | None = ol
    for _ in range(4):
        if node is None:
            break
        classes = " ".join(node.get("class") or [])
        style = str(node.get("style") or "")
        if "alpha" in classes or "notelist" in classes or "alpha" in style:
            return True
        if node.get("data-mw-group"):
            return True
        node = node.parent
    return False


def _source(soup: BeautifulSoup) -> dict[str, Any]:
    heading = soup.select_one("h1#firstHeading") or soup.find("title")
    title = _TITLE_SUFFIX.sub("", heading.get_text(" ", strip=True)) if heading else None
    root = soup.find("html")
    content = soup.select_one(".mw-parser-output[lang]")
    lang = (root.get("lang") if root else None) or (content.get("lang") if content else None)
    canonical = soup.find("link", rel="canonical")
    return {
        "title": title or None,
        "language": language_tag(str(lang)) if lang else None,
        "url": str(canonical["href"]) if canonical and canonical.get("href") else None,
        "format": "html",
    }


def _body_lines(soup: BeautifulSoup, note_ids: dict[str, str]) -> list[str]:
    lines = []
    for block in soup.find_all(["p", "li", "dd"]):
        if block.find_parent("ol", class_="references") or block.find(["p", "li"]):
            continue
        lines.append(_text_with_marks(block, note_ids))
    return lines


def _text_with_marks(tag: Tag, note_ids: dict[str, str]) -> str:
    """The block's text with each citation as "[n]" (our numbering), notes dropped."""
    parts: list[str] = []
    for child in tag.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif child.name == "sup" and "reference" in (child.get("class") or []):
            link = child.find("a", href=True)
            note = str(link["href"]).rpartition("#")[2] if link else ""
            parts.append(f"[{note_ids[note]}]" if note in note_ids else "")
        elif child.name not in ("style", "script"):
            parts.append(_text_with_marks(child, note_ids))
    return "".join(parts)


def _reference(rid: str, li: Tag, cited_in: list[str]) -> Reference:
    backlink = li.select_one(".mw-cite-backlink")
    uses = len(backlink.select('a[href*="#cite_ref"]')) if backlink else 0
    cite = li.find("cite") or li.select_one(".citation") or li.select_one(".reference-text") or li
    coins = _coins(li)
    text = " ".join(cite.get_text("").split())
    links = [a for a in cite.find_all("a", href=True) if str(a["href"]).startswith("http")]
    title_link = next((a for a in links if _link_text(a).casefold() not in _NOT_TITLE), None)
    archive_link = next((a for a in links if _ARCHIVE_HOSTS.match(str(a["href"]))), None)
    original = _original_url(links, title_link, coins)
    raw: dict[str, str] = {}
    fields: dict[str, Any] = {}

    access = _first_match(_ACCESS, text)
    archived = _first_match(_ARCHIVED, text)
    put_date(fields, raw, "access_date", access)
    put_date(fields, raw, "archive_date", archived)
    date_text = _remove(text, [access, archived])
    put_date(fields, raw, "date", _first(coins, "rft.date") or _find_date(date_text))

    title = _first(coins, "rft.atitle", "rft.btitle", "rft.title")
    if not title and title_link is not None:
        title = _link_text(title_link).strip('"“”«»')
    authors = _coins_authors(coins)
    if not title or not authors:
        lead_authors, lead_title = _leading(cite, title_link, text)
        title = title or lead_title
        authors = authors or lead_authors
    work = _first(coins, "rft.jtitle") or _italic(cite, title, title_link)

    language = _language(cite, text)
    tag = language_tag(language) if language else None
    if language and tag is None:
        raw["language_raw"] = language
    issn = _first(coins, "rft.issn") or (m.group("issn") if (m := _ISSN.search(text)) else None)
    url_status = None
    if archive_link is not None and title_link is not None:
        url_status = "dead" if title_link is archive_link else "live"
    extra: dict[str, Any] = {
        "origin": {"format": "html", "line": li.sourceline, "anchor": li.get("id")},
        "cited_in": cited_in,
        **raw,
    }
    return Reference(
        id=rid,
        title=title or None,
        url=original,
        authors=authors,
        work=work,
        archive_url=str(archive_link["href"]) if archive_link is not None else None,
        url_status=url_status,
        language=tag,
        issn=issn,
        uses=max(1, uses),
        extra=extra,
        **fields,
    )


def _link_text(a: Tag) -> str:
    return " ".join(a.get_text("").split())


def _coins(li: Tag) -> dict[str, list[str]]:
    span = li.select_one("span.Z3988[title]")
    return parse_qs(str(span["title"])) if span else {}


def _first(coins: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if coins.get(key):
            return coins[key][0].strip() or None
    return None


def _coins_authors(coins: dict[str, list[str]]) -> list[Author]:
    names = coins.get("rft.au") or []
    if names:
        return [
            Author(family=f.strip(), given=g.strip() or None)
            for f, _, g in (n.partition(",") for n in names)
        ]
    last = _first(coins, "rft.aulast")
    return [Author(family=last, given=_first(coins, "rft.aufirst"))] if last else []


def _original_url(links: list[Tag], title_link: Tag | None, coins: dict) -> str | None:
    rft_id = next((v for v in coins.get("rft_id", []) if v.startswith("http")), None)
    if rft_id and not _ARCHIVE_HOSTS.match(rft_id):
        return rft_id
    if title_link is not None and not _ARCHIVE_HOSTS.match(str(title_link["href"])):
        return str(title_link["href"])
    # A dead link: the title goes to the archive and "the original" keeps the URL.
    for a in links:
        if _link_text(a).casefold() in _ORIGINAL_LINKS:
            return str(a["href"])
    return None


def _leading(cite: Tag, title_link: Tag | None, text: str) -> tuple[list[Author], str | None]:
    """Authors and title from the visible text, when COinS is absent (ru) or partial."""
    if title_link is not None:
        before = []
        for node in title_link.previous_siblings:
            before.insert(0, node.get_text("") if isinstance(node, Tag) else str(node))
        lead = _PAREN.sub("", " ".join("".join(before).split())).strip().rstrip(".").strip()
        authors = parse_authors(lead) if lead else None
        return authors or [], _link_text(title_link).strip('"“”«»')
    authors, rest = split_leading_authors(text)
    head = re.split(r"\.\s|[(（]", rest, maxsplit=1)[0]
    return authors, head.strip().strip('"“”«»') or None


def _italic(cite: Tag, title: str | None, title_link: Tag | None) -> str | None:
    """The work is the first italic after the title (ru sets the authors in italics too)."""
    after = _position(title_link) if title_link is not None else (0, 0)
    for i in cite.find_all("i"):
        if _position(i) < after:
            continue
        value = " ".join(i.get_text("").split())
        if value and value != title and not i.find_parent("a"):
            return value
    return None


def _position(tag: Tag) -> tuple[int, int]:
    return (tag.sourceline or 0, tag.sourcepos or 0)


def _language(cite: Tag, text: str) -> str | None:
    info = cite.select_one(".ref-info[title]")  # ru: <span title="на русском языке">(рус.)
    if info is not None:
        return str(info["title"])
    for m in _PAREN.finditer(text):
        if is_language_name(m.group("p")):
            return m.group("p").strip()
    return None


def _first_match(patterns: list[re.Pattern[str]], text: str) -> str | None:
    for pattern in patterns:
        if m := pattern.search(text):
            return m.group("d").strip()
    return None


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

