"""One rendered citation, as a reader copies it, split into its fields.

Module:Citation/CS1 renders every template (web, news, book, journal, conference, thesis,
report) from the same parts in the same order; only the words differ between wikis:

    zh  Family, Given. Title. Work. Place: Publisher. 2004, 31 (5): 645–651 [2019-01-19].
        ISSN …. doi:…. （原始内容存档于2016-03-04） （英语）.
    en  Family, Given (2004). "Title". Work. 31 (5): 645–651. doi:…. Archived from the
        original on 4 March 2016. Retrieved 19 January 2019.

Fields are told by what they are, never by their count: the unmistakable parts
(maintenance messages, archive notes, language and format markers, identifiers, access
dates) are taken out wherever they stand; what remains is cut at the ". " separators into
segments, each recognised as authors, a date (with volume, issue and pages after it),
place and publisher, editors, edition, volume or pages; the unrecognised ones left are
title and work. A segment that fits nowhere is kept as written in ``unparsed``, never glued
to the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..archive_urls import is_archived_copy
from ..model import Author
from .authors import lone_latin_name, parse_author_list
from .dates import normalise_date, put_date
from .identifiers import LABELS as _ID_KINDS
from .identifiers import from_url as identifier_from_url
from .identifiers import normalise as normalise_identifier
from .languages import language_tags

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u3000]+")

_URL = re.compile(r"(?:https?:)?//[^\s<>\"“”（）\[\]]+\.[^\s<>\"“”（）\[\]]+|https?://\S+")

# -- maintenance messages and template leftovers ---------------------------------------
_HELP = r"[(（]\s*(?:帮助|幫助|說明|说明|help|link|链接|連結)\s*[)）]"
_LEFTOVERS = [
    re.compile(r"\{\{[^{}]*\}\}\s*[:：]?"),  # "{{cite journal}}: CS1 maint: … (link)"
    re.compile(r"(?:引用错误|引用錯誤|引文错误|引文錯誤|Cite error)\s*[:：].*$", re.S),
    re.compile(r"(?:CS1|CS1 maint|CS1 errors?)\s*(?:maint|维护|維護|错误|錯誤|errors?)?\s*"
               r"[:：][^()（）]*?" + _HELP),
    # A message ending in "(帮助)"/"(help)"/"(link)" after the end of a part.
    re.compile(r"(?:(?<=^)|(?<=[.。）)\]]))\s*[^.。()（）\[\]]{1,160}?\s*" + _HELP),
    re.compile(r"(?:Template|模板|Шаблон|Module|模块|模組)\s*[:：]\s*[Cc]it(?:e|ation)"
               r"(?:\s(?:web|news|book|journal|conference|thesis|report|press release|"
               r"magazine|encyclopedia|av media|episode|map|podcast|speech|tweet))?"),
    re.compile(r"(?:Template|模板|Шаблон)\s*[:：]\s*[^\s.。,，]+"),
    re.compile(r"已忽略未知参数\S*|已忽略未知參數\S*"),
]
# Inline maintenance tags in brackets ("[永久失效連結]", "[dead link]", "[需要更好来源]").
_DEAD_TAG = re.compile(
    r"\[\s*(?:永久失效連結|永久失效链接|失效連結|失效链接|失效連接|"
    r"(?:permanent )?dead link|недоступная ссылка|リンク切れ)[^\[\]]*\]",
    re.I,
)
_TAG = re.compile(r"\[\s*(?:[\u4e00-\u9fff]{2,12}|citation needed|page needed|"
                  r"better source needed|verification needed|who\?|when\?)\s*\]", re.I)

# -- archive notes ------------------------------------------------------------------------
_PDF = r"(?:\s*[(（]\s*(?:PDF|pdf|DOC|doc)\s*[)）]\s*)?"
_ZH_ARCHIVE = re.compile(
    r"[(（]?\s*(?:原始内容|原始內容|原始連結|原始链接)" + _PDF + r"\s*(?:存档|存檔|歸檔|归档)"
    + _PDF + r"\s*[于於]\s*(?P<date>[^()（）]*?)\s*[)）]?(?=\s*(?:[.。]|[(（]|$))"
)
_ZH_WEBARCHIVE = re.compile(
    r"[(（]\s*(?:页面|頁面)(?:存档|存檔)(?:备份|備份)\s*[,，]\s*(?:存于|存於)\s*"
    r"(?P<where>互联网档案馆|互聯網檔案館|網際網路檔案館|网际网路档案馆|[^()（）]{1,30})\s*[)）]"
)
_EN_ARCHIVE = re.compile(
    r"Archived" + _PDF + r"\s+from the original" + _PDF + r"\s+on\s+(?P<date>[^.]+?)"
    r"(?:\s*[–-]\s*via\s+[^.]+)?(?=\.(?:\s|$)|$)"
    r"|Archived\s+(?P<wdate>[^.]+?),?\s+at\s+(?:the\s+)?(?P<where>Wayback Machine|archive\.\w+|"
    r"[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)(?=\.(?:\s|$)|$)"
)
_RU_ARCHIVE = re.compile(r"Архивировано\s+(?P<date>[^.]+?)(?:\s+года)?(?=\.(?:\s|$)|$)")
_JA_ARCHIVE = re.compile(r"(?:の)?(?P<date>\d{4}年\d{1,2}月\d{1,2}日)時点の(?:オリジナル|原本)より"
                         r"アーカイブ。?|(?P<date2>\d{4}年\d{1,2}月\d{1,2}日)にアーカイブ。?")

# -- access dates -------------------------------------------------------------------------
_BRACKET = re.compile(r"\[\s*(?P<inner>[^\[\]]{4,40}?)\s*\]")
_RETRIEVED = re.compile(
    r"(?:Retrieved(?:\s+on)?|Accessed(?:\s+on)?|Дата обращения\s*[:：]?|Проверено)\s+"
    r"(?P<date>[^.]+?\d{4}|\d{4}-\d{1,2}-\d{1,2})(?=\.?(?:\s|$))"
)
_JA_ACCESS = re.compile(r"(?P<date>\d{4}年\d{1,2}月\d{1,2}日)閲覧。?")

# -- markers in parentheses ---------------------------------------------------------------
_PAREN = re.compile(r"\s*[(（]\s*(?P<inner>(?:[^()（）]|[(（][^()（）]*[)）])+?)\s*[)）]")
_FORMATS = {"pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "rtf", "txt", "zip", "mp3",
            "video", "视频", "視頻", "影片", "audio", "音频"}
# The kind of work CS1 names after the title: |type= of thesis, report, press release, …
_TYPES = re.compile(
    r"学位论文|學位論文|博士论文|博士論文|硕士论文|碩士論文|学士论文|學士論文|论文|論文|报告|報告|"
    r"新闻稿|新聞稿|演讲|演講|会议论文|會議論文|技术报告|技術報告|"
    r"(?:PhD|Ph\.D\.|Doctoral|MA|MSc|M\.A\.|Master's|Bachelor's|BA|Honours)? ?[Tt]hesis|"
    r"[Dd]issertation|[Rr]eport|[Tt]echnical report|[Pp]ress release|[Ss]peech|[Ll]ecture"
)
# "National Museum of Georgia（英语：National Museum of Georgia）": an interlanguage link
# template's gloss, a second name, not a field.
_GLOSS = re.compile(r"\s*[(（]\s*[\u4e00-\u9fff]{1,6}[语語文]\s*[:：][^()（）]*[)）]")

# -- identifiers --------------------------------------------------------------------------
_ID_VALUE = {
    "isbn": r"(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx]",
    "sbn": r"(?:\d[-\s]?){8}[\dXx]",
    "issn": r"\d{4}-?\d{3}[\dXx]",
    "eissn": r"\d{4}-?\d{3}[\dXx]",
    "doi": r"10\.\d{4,9}/\S+?",
    "pmid": r"\d{1,9}", "pmc": r"(?:PMC)?\d{1,9}", "oclc": r"\d{1,12}",
    "lccn": r"[a-z]{0,3}\d[\d-]{5,14}",
    "nlc": r"\d{6,12}", "jstor": r"\d[\d.]*", "s2cid": r"\d{1,12}",
    "bibcode": r"\d{4}[A-Za-z&.]{1,6}[\w.&]{10,14}", "hdl": r"\d[\w.]*/\S+?",
    "arxiv": r"(?:\d{4}\.\d{4,5}|[a-z.-]+/\d{7})(?:v\d+)?", "ol": r"\d{1,9}[AMW]",
    "mr": r"\d{4,8}", "zbl": r"\d{4}\.\d{5}", "osti": r"\d{3,9}", "ssrn": r"\d{3,9}",
    "rfc": r"\d{1,5}", "eric": r"E[DJ]\d{6}",
}
_IDENTIFIER = re.compile(
    r"(?:(?<=^)|(?<=[\s.。,，;]))(?P<kind>"
    + "|".join(f"(?P<k_{k}>{v})" for k, v in _ID_KINDS.items() if k in _ID_VALUE)
    + r")\s*[:：]?\s*(?P<value>\S+?)(?P<inactive>\s*\((?:inactive|失效)[^()]*\))?"
    r"(?=[.。,，;]?(?:\s|$))"
)

# -- segments -----------------------------------------------------------------------------
# ". " ends a part, unless it ends an initial ("U.S.", "Julian E.") or an abbreviation.
_ABBREVIATIONS = {"vol", "no", "nos", "pp", "p", "ed", "eds", "st", "dr", "mr", "mrs", "ms",
                  "jr", "sr", "inc", "co", "corp", "ltd", "univ", "dept", "rev", "repr", "trans",
                  "comp", "esp", "fig", "ch", "sec", "op", "cit", "ibid", "mt", "ft", "col",
                  "gen", "gov", "lt", "capt", "prof", "sgt", "vs", "cf", "ca", "approx", "n.d"}
_ORG_WORDS = re.compile(
    r"(?:出版社|出版|书局|書局|书店|書店|公司|大学|大學|研究所|研究院|学会|學會|协会|協會|"
    r"\bPress\b|\bPublish(?:ing|ers?)\b|\bBooks\b|\bUniversity\b|\bVerlag\b|\bÉditions\b|"
    r"\bInc\b|\bLtd\b|\bLLC\b|\bGmbH\b|\bS\.A\.|Издательство|издательство)"
)
_EDITORS = re.compile(
    r"^(?:In\s+)?(?P<names>.+?)\s*[(（,，]\s*(?:编|編|主编|主編|eds?\.|编辑|編輯|ред\.|под ред\.)"
    r"\s*[)）]?$"
)
_TRANSLATOR = re.compile(r"^(?:由(?P<zh>.+?)(?:翻译|翻譯|译|譯)|Translated by\s+(?P<en>.+))$")
_EDITION = re.compile(r"\s*[(（](?P<ed>[^()（）]*\b(?:ed|edition)\.?|第[^()（）]{1,4}版)[)）]")
_VOLUME = re.compile(r"^(?:Vol(?:ume)?\.?|Т\.|Том|第)\s*(?P<v>[^\s]+(?:\s.+)?)$")
_PAGES = re.compile(r"^(?:pp?\.|С\.|с\.|頁|页)\s*(?P<p>\S.*)$|^(?P<zh>[\d–−\-－]+)\s*[頁页]$")
_PLACE_PUBLISHER = re.compile(r"^(?P<place>[^:：\d]{2,60}?)\s*[:：]\s*(?P<pub>[^:：]+)$")
_JOURNAL = re.compile(
    r"^(?P<volume>[^\s():]{1,12}(?:\s[^\s():]{1,12})?)?\s*(?:\((?P<issue>[^()]{1,20})\))?"
    r"(?:\s*[:：]\s*(?P<pages>[\w–−\-－, ]{1,40}))?$"
)


# Written like a date but not one ("2023-02-30"): still the date's place, kept raw.
_DATEISH = re.compile(r"\d{4}(?:[-/.]\d{1,2}){1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
                      r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?")


_BOUNDARY = "\x00"
_TITLE_MARK = "\x01"  # where a format or type marker stood: the title ended there


@dataclass
class Citation:
    """The fields of one rendered citation, in the record's terms."""

    title: str | None = None
    authors: list[Author] = field(default_factory=list)
    work: str | None = None
    publisher: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # dates, language, issn
    extra: dict[str, Any] = field(default_factory=dict)  # identifiers, raw text, …


def parse_citation(text: str) -> Citation:
    cite = Citation()
    raw: dict[str, str] = {}
    rest = _SPACES.sub(" ", text).strip()
    rest = _take_leftovers(rest, cite)
    rest = _GLOSS.sub("", rest)
    rest = _take_urls(rest, cite)
    en = _is_en_rendering(rest)
    rest = _take_archive(rest, cite, raw)
    rest = _take_access(rest, cite, raw)
    rest = _take_identifiers(rest, cite)
    rest = _take_markers(rest, cite, raw)
    rest = re.sub(r"[\s.]+$", "", re.sub(r"([.。])(?:\s*[.。])+", r"\1", rest))

    quoted: str | None = None
    if en:
        rest, quoted = _take_en_head(rest, cite, raw)
    segments = _segments(rest)
    if quoted is None and segments and not cite.authors and "authors_raw" not in raw:
        authors, used = _leading_authors(segments)
        cite.authors = authors
        segments = segments[used:]
    _classify(segments, quoted, cite, raw)
    cite.extra.update(raw)
    for key in ("date", "access_date", "archive_date", "language"):
        cite.fields.setdefault(key, None)
    return cite


def _take_leftovers(text: str, cite: Citation) -> str:
    found: list[str] = []
    for pattern in _LEFTOVERS:
        while m := pattern.search(text):
            piece = m.group(0).strip()
            if piece:
                found.append(piece)
            text = (text[: m.start()] + " " + text[m.end() :]).strip()
    for m in _DEAD_TAG.finditer(text):
        cite.extra["dead_link"] = m.group(0).strip("[] ")
    text = _DEAD_TAG.sub(" ", text)
    found.extend(m.group(0) for m in _TAG.finditer(text) if not _is_date(m.group(0)[1:-1]))
    text = _TAG.sub(lambda m: m.group(0) if _is_date(m.group(0)[1:-1]) else " ", text)
    if found:
        cite.extra["leftovers"] = found
    return _SPACES.sub(" ", text).strip()


def _take_urls(text: str, cite: Citation) -> str:
    """Links the copy kept visible (a bare-URL reference renders as its URL): the first
    is the cited URL, an archived copy the archive URL, an identifier link an identifier.
    A URL is never a title."""
    for m in reversed(list(_URL.finditer(text))):
        url = m.group(0).rstrip(".,;:，。")
        if url.count("(") < url.count(")"):
            url = url.rstrip(")")
        if pair := identifier_from_url(url):
            cite.extra.setdefault("identifiers", {}).setdefault(*pair)
        elif is_archived_copy(url):
            cite.fields["archive_url"] = url
        else:  # the first one wins: they are read back to front
            cite.fields["url"] = "https:" + url if url.startswith("//") else url
        text = text[: m.start()] + " " + text[m.start() + len(url):]
    return _SPACES.sub(" ", text).strip()


def _is_en_rendering(text: str) -> bool:
    """en's CS1 (quoted titles, "(date)." after the authors) rather than zh's: told by
    en's words, or by the shape when nothing of zh's is there."""
    if re.search(r"原始内容|原始內容|存档|存檔|\[\s*\d{4}-\d{1,2}-\d{1,2}\s*\]|Дата обращения"
                 r"|Архивировано|閲覧"
                 r"|（[^（）]*[语語文]）", text):
        return False
    if re.search(r"\bRetrieved\b|\bArchived\b|\(eds?\.\)|\bpp?\. \d", text):
        return True
    if re.match(r"[^\"“(]{2,400}?\s\((?:[^()]*\d{4}[a-z]?|n\.d\.)\)\.\s", text):
        return True  # "Case, Linda P. (2003). The Cat…"
    return bool(re.match(r"[\"“]|[^\"“]{2,80}?\.\s+[\"“]", text)
                or re.search(r"\)[.,]\s+[\"“]", text))


def _take_archive(text: str, cite: Citation, raw: dict[str, str]) -> str:
    for pattern in (_ZH_ARCHIVE, _EN_ARCHIVE, _RU_ARCHIVE, _JA_ARCHIVE):
        if m := pattern.search(text):
            date = next((m.group(g) for g in pattern.groupindex
                         if "date" in g and m.group(g)), None)
            if date is not None:
                put_date(cite.fields, raw, "archive_date", date)
            if "where" in pattern.groupindex and m.group("where"):
                cite.extra["archive_name"] = m.group("where")
            text = _cut(text, m, boundary=True)
    while m := _ZH_WEBARCHIVE.search(text):
        cite.extra["archive_name"] = m.group("where")
        text = _cut(text, m, boundary=True)
    return text


def _take_access(text: str, cite: Citation, raw: dict[str, str]) -> str:
    for pattern in (_RETRIEVED, _JA_ACCESS):
        if m := pattern.search(text):
            put_date(cite.fields, raw, "access_date", m.group("date"))
            return _cut(text, m, boundary=True)
    for m in _BRACKET.finditer(text):
        inner = m.group("inner")
        # An access date names a day; "(2001) [1999]" is the original's year.
        if (_is_date(inner) or _DATEISH.fullmatch(inner)) and not re.fullmatch(r"\d{4}", inner):
            put_date(cite.fields, raw, "access_date", inner)
            return _cut(text, m, boundary=True)
    return text


def _take_identifiers(text: str, cite: Citation) -> str:
    ids: dict[str, str] = {}
    while m := _IDENTIFIER.search(text):
        kind = next(k.removeprefix("k_") for k, v in m.groupdict().items()
                    if k.startswith("k_") and v)
        value = m.group("value").rstrip(".,，;")
        if not re.fullmatch(_ID_VALUE[kind], value):
            # Not an identifier after all ("OL" in a title): look past it.
            nxt = _IDENTIFIER.search(text, m.end())
            if nxt is None:
                break
            head, tail = text[: m.end()], _take_identifiers(text[m.end():], cite)
            text = head + " " + tail
            break
        if kind == "issn" and "issn" not in cite.fields:
            cite.fields["issn"] = value  # the contract's field, as written
        else:
            # One form whichever rendering it came from (the HTML and wikitext readers').
            ids.setdefault(kind, normalise_identifier(kind, value) or value)
        text = _cut(text, m)
    if ids:
        cite.extra.setdefault("identifiers", {}).update(ids)
    return text


def _take_markers(text: str, cite: Citation, raw: dict[str, str]) -> str:
    """Language and format markers in parentheses, wherever a part ends with them."""
    out = []
    pos = 0
    for m in _PAREN.finditer(text):
        inner = m.group("inner").strip()
        after = text[m.end():m.end() + 1]
        if after and after not in ".。 （(,，":
            continue
        mark = ""
        tags = None if _TYPES.fullmatch(inner) else language_tags(inner)
        if tags is not None:
            if tags and "language" not in cite.fields:
                cite.fields["language"] = tags[0]
                if len(tags) > 1:
                    cite.extra["languages"] = tags
            elif not tags:
                raw.setdefault("language_raw", inner)
                cite.fields.setdefault("language", None)
        elif inner.casefold() in _FORMATS or _TYPES.fullmatch(inner):
            # zh renders the format and the type right after the title: remember where.
            cite.extra["format" if inner.casefold() in _FORMATS else "type"] = inner
            mark = _TITLE_MARK
        else:
            continue
        out.append(text[pos:m.start()] + mark)
        pos = m.end()
    out.append(text[pos:])
    return _SPACES.sub(" ", "".join(out)).strip()


def _take_en_head(text: str, cite: Citation, raw: dict[str, str]) -> tuple[str, str | None]:
    """en's ``Authors (date). "Title".`` head: the authors and date it names, and the title.
    {{citation}} separates the parts with commas instead: "Authors (date), "Title", Work,
    13 (109): 4956–4961"."""
    if m := re.match(r"[^\"“]+?\s\([^()]*\d{4}[a-z]?\),\s+(?=[\"“])", text):
        head, rest = text[:m.end()], text[m.end():]
        if q := re.match(r"[\"“].+?[\"”](?=,\s)", rest):
            tail = rest[q.end():].lstrip(",").strip()
            text = (head.rstrip().removesuffix(",") + ". " + q.group(0) + ". "
                    + re.sub(r"\s*,\s*(?=\S)", ". ", tail).strip(" ,"))
    if m := re.match(r"(?P<names>[^\"“”]+?)\s\((?P<date>[^()]{1,40})\)"
                     r"(?:\s\[(?P<orig>[^\[\]]{1,40})\])?\.\s*", text):
        if m.group("orig"):
            cite.extra["orig_date"] = m.group("orig")
        # Names hold no ". " but after initials: "A. B (2001)." is a title and a work.
        if (_is_date(m.group("date")) or re.fullmatch(r"n\.d\.|\d{4}[a-z]?", m.group("date"))) \
                and len(_segments(m.group("names").replace("et al. ", "et al "))) == 1:
            names = re.sub(r",\s*(?:eds?\.|ed\.)$", "", m.group("names").strip())
            cite.authors = _named_authors(names, raw)
            put_date(cite.fields, raw, "date", re.sub(r"(\d{4})[a-z]$", r"\1", m.group("date")))
            text = text[m.end():]
    if not cite.authors and (m := re.match(r"(?P<names>[^\"“”]{2,400}?)\.\s+(?=[\"“])", text)):
        # "von Muggenthaler, E.; Wright, B. "Title"": authors, no date.
        cite.authors = _named_authors(m.group("names"), raw)
        text = text[m.end():]
    # The closing quote is the one a ". " follows (titles quote inside: "'Mondays: See You
    # "This" Week!': …"), else the first.
    for end in (r"(?=\s?\.(?:\s|$)|\s?$)", r"(?=\s)"):
        if m := re.match(r"[\"“](?P<title>.+?)[\"”]\x01?(?:\s\[(?P<trans>[^\[\]]+)\])?" + end
                         + r"\s*\.?\s*", text):
            if m.group("trans"):
                cite.extra["trans_title"] = m.group("trans")
            return text[m.end():], m.group("title").strip()
    return text, None


def _named_authors(names: str, raw: dict[str, str]) -> list[Author]:
    """The authors in en's authors' place (before "(date)." or a quoted title): a name
    list, a lone name ("Kelly Faircloth"), or one organisation; else kept raw."""
    authors = parse_author_list(names)
    if authors is None and (lone := lone_latin_name(names)):
        authors = [lone]
    if authors is None and ";" not in names and len(names) <= 60:
        authors = [Author(family=names)]
    if authors is None:
        raw["authors_raw"] = names
        return []
    return authors


def _segments(text: str) -> list[str]:
    """``text`` cut at every ". " that ends a part (outside brackets and quotes)."""
    inside = _bracketed(text)
    out: list[str] = []
    start = 0
    quotes = 0
    for i, ch in enumerate(text):
        if ch in "\"“”":
            quotes ^= 1
        elif (ch in ".。" and not inside[i] and not quotes and text[i + 1:i + 2] == " "
              and (ch == "。" or not _abbreviation(text[start:i]))):
            out.append(text[start:i].strip())
            start = i + 2
    out.append(text[start:].strip())
    return [s for s in out if s.strip(" .。,，")]


def _bracketed(text: str) -> list[bool]:
    """Which characters stand inside a matched pair of brackets (an unmatched one, as in a
    broken name "Cooper）, 凯莉（Kelly", encloses nothing)."""
    pairs = {")": "(", "）": "（", "]": "[", "》": "《", "」": "「", "』": "『"}
    inside = [False] * len(text)
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in pairs.values():
            stack.append((ch, i))
        elif ch in pairs and stack and stack[-1][0] == pairs[ch]:
            _, j = stack.pop()
            if not stack:
                inside[j:i + 1] = [True] * (i + 1 - j)
    return inside


def _abbreviation(before: str) -> bool:
    word = re.search(r"(\S+)$", before)
    if not word:
        return False
    w = word.group(1)
    if re.fullmatch(r"(?:\w\.)*\w", w) and len(w.replace(".", "")) <= 1 \
            and ord(w[-1]) < 0x2E80:  # "U.S", "E"; a CJK word of one character ends a part
        return True
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", w):
        return True
    return w.casefold().strip("(") in _ABBREVIATIONS


def _leading_authors(segments: list[str]) -> tuple[list[Author], int]:
    """Authors heading the segments (with the number of segments they took)."""
    words = [seg for seg in segments if seg != _BOUNDARY]
    if len(words) < 2 or segments[0] == _BOUNDARY or _EDITORS.match(segments[0]):
        return [], 0
    # A lone name takes author, title and work to tell it from a title: dates aside.
    named = sum(1 for seg in words if not _DATEISH.match(seg) and not _is_date(seg))
    first = segments[0]
    authors = parse_author_list(first, cjk_needs_more=named < 3)
    if authors is None and named >= 3 and (lone := lone_latin_name(first)):
        return [lone], 1
    # "Linnaeus, C. Felis Catus" reads as one name with given names "C. Felis Catus".
    if authors is not None and not re.search(r"(?:^|\s)[A-Z]\.\s+\S+\s+\S+$",
                                             authors[-1].given or ""):
        return authors, 1
    # "Erxleben, J. C. P. Felis Catus": the initials' dots hid the end of the names; the
    # longest name list followed by something that is no initial is it.
    cuts = [m.start() for m in re.finditer(r"(?<=\b[A-Z]\.) (?![A-Z]\.(?:\s|$|;|,))", first)]
    for cut in reversed(cuts):
        authors = parse_author_list(first[:cut])
        if authors is not None:
            segments[0] = first[cut + 1:]
            return authors, 0
    return [], 0


def _classify(segments: list[str], quoted: str | None, cite: Citation,
              raw: dict[str, str]) -> None:
    """Title and work from the segments no other field claims, in their order."""
    runs: list[list[str]] = [[quoted]] if quoted is not None else []
    before_publisher: int | None = None  # the run a publisher followed
    ended = False  # past the date, the access date or an archive note: no title or work
    leftover: list[str] = []
    extras: dict[str, Any] = {}
    open_run = False
    for seg in segments:
        if seg == _BOUNDARY:
            ended, open_run = True, False
            continue
        kind = _segment_kind(seg, bool(runs), cite, raw, extras)
        if kind is None and ended:
            leftover.append(seg)
        elif kind is None:
            if not open_run:
                runs.append([])
            runs[-1].append(seg)
            open_run = True
        else:
            if kind == "publisher" and runs and before_publisher is None:
                before_publisher = len(runs) - 1
            ended = ended or kind == "date"
            open_run = False
    runs = _title_at_mark(runs, quoted, cite, raw)
    if runs:
        first = runs[0]
        if quoted is None and len(runs) == 1 and len(first) > 1:
            # One run: "Title. Work", the title holding ". " itself ("Как прошла встреча…
            # «Восточном». Это второй…. Ведомости"); before a publisher it is a book's
            # chapter and the book ("Felis Catus. Systema naturae…. Holmiae: Salvii").
            cut = 1 if before_publisher == 0 else len(first) - 1
            runs = [first[:cut], first[cut:]]
        if quoted is not None and len(runs) > 1 and len(runs[1]) == 2 and cite.publisher is None:
            # en: ""Title". Work. Publisher."
            cite.publisher = runs[1].pop()
        cite.title = ". ".join(runs[0])
        if len(runs) > 1:
            cite.work = ". ".join(runs[1])
        leftover = [". ".join(r) for r in runs[2:]] + leftover
    # zh renders "Journal (Publisher)"; one lowercase word is a disambiguator, part of the
    # name ("РБК (газета)").
    m = re.fullmatch(r"(?P<work>.+?)\s*[(（](?P<pub>[^()（）]+)[)）]", cite.work or "")
    if m and cite.publisher is None and m.group("pub")[0].isupper() \
            and len(m.group("pub").split()) >= 2:
        cite.work, cite.publisher = m.group("work"), m.group("pub")
    # ru renders the date in parentheses after the work: "Ведомости (14 сентября 2023)".
    m = re.fullmatch(r"(?P<work>.+?)\s*\((?P<date>[^()]{4,30})\)", cite.work or "")
    if m and cite.fields.get("date") is None and "date_raw" not in raw \
            and _is_date(m.group("date")):
        cite.work = m.group("work")
        put_date(cite.fields, raw, "date", m.group("date"))
    # "|trans-title=" follows the title in brackets: "Título [Title]".
    m = re.fullmatch(r"(?P<title>.+?)\s\[(?P<trans>[^\[\]]+)\]", cite.title or "")
    if m and quoted is None and not _is_date(m.group("trans")):
        cite.title, extras["trans_title"] = m.group("title"), m.group("trans")
    for key in ("title", "work"):  # the book's edition: the work's when a chapter is cited
        value = getattr(cite, key)
        if value and (m := _EDITION.search(value)) and m.end() == len(value):
            extras["edition"] = m.group("ed")
            setattr(cite, key, value[:m.start()])
            break
    if cite.title and (m := re.search(r"\s*[(（](?:第\s*(?P<zh>\d+)\s*期|No\.\s*(?P<en>\d+))[)）]$",
                                      cite.title)):
        extras["issue"] = m.group("zh") or m.group("en")
        cite.title = cite.title[:m.start()]
    if leftover:
        raw["unparsed"] = " | ".join(leftover)
    cite.extra.update(extras)
    for key in ("title", "work", "publisher"):
        if getattr(cite, key):
            setattr(cite, key, getattr(cite, key).replace(_TITLE_MARK, "").strip() or None)
    for bag in (raw, cite.extra):
        for key, value in bag.items():
            if isinstance(value, str):
                bag[key] = value.replace(_TITLE_MARK, "")


def _title_at_mark(runs: list[list[str]], quoted: str | None, cite: Citation,
                   raw: dict[str, str]) -> list[list[str]]:
    """The runs with the segment a format or type marker closed as the title: what stood
    before it names the authors ("世界卫生组织. 2019年全球结核病报告 (报告)")."""
    where = [(r, i) for r, run in enumerate(runs) for i, seg in enumerate(run)
             if _TITLE_MARK in seg]
    if quoted is not None or not where:
        return runs
    r, i = where[0]
    before = [seg for run in runs[:r] for seg in run] + runs[r][:i]
    if before:
        names = ". ".join(before)
        authors = parse_author_list(names)
        if authors is None and len(before) == 1 and len(names) <= 40 and not cite.authors:
            authors = [Author(family=names)]  # an organisation as author
        if authors is not None and not cite.authors:
            cite.authors = authors
        else:
            raw["unparsed"] = names
    rest = runs[r][i + 1:]
    return [[runs[r][i]], *([rest] if rest else []), *runs[r + 1:]]


def _segment_kind(seg: str, after_title: bool, cite: Citation, raw: dict[str, str],
                  extras: dict[str, Any]) -> str | None:
    """What ``seg`` is (its value stored), or None for title or work text."""
    if _take_date_segment(seg, cite, raw, extras):
        return "date"
    if (m := _EDITORS.match(seg)) and len(m.group("names")) <= 200:
        extras["editors"] = m.group("names").strip(" ,，")
        return "editors"
    if not after_title:
        return None
    if m := _TRANSLATOR.match(seg):
        extras["translator"] = (m.group("zh") or m.group("en")).strip()
        return "translator"
    if m := _VOLUME.match(seg):
        extras["volume"] = m.group("v")
        return "volume"
    if m := _PAGES.match(seg):
        extras["pages"] = m.group("p") or m.group("zh")
        return "pages"
    if (m := _PLACE_PUBLISHER.match(seg)) and _place(m.group("place")):
        extras["place"] = m.group("place").strip()
        cite.publisher = m.group("pub").strip()
        return "publisher"
    if cite.publisher is None and _ORG_WORDS.search(seg) and len(seg) <= 80:
        cite.publisher = seg
        return "publisher"
    if re.fullmatch(r"[IVXLC]+|\d{1,4}", seg) or _journal_tail(seg, extras, bare=True):
        return "volume"
    return None


def _place(place: str) -> bool:
    """"New York", "Leiden, Boston", "St. Louis, Missouri", "臺北市": a few short names."""
    parts = [p.split() for p in re.split(r"[,，、]", place)]
    return all(0 < len(p) <= 3 and p[0] not in ("The", "A", "An") for p in parts) and all(
        w[0].isupper() or "\u4e00" <= w[0] <= "\u9fff" for p in parts for w in p)


def _take_date_segment(seg: str, cite: Citation, raw: dict[str, str],
                       extras: dict[str, Any]) -> bool:
    """``2004, 31 (5): 645–651``, ``2005: 534–535``, ``2009年7月``, ``18 March 1923``."""
    if cite.fields.get("date") is not None or "date_raw" in raw:
        return False
    seg = seg.strip().rstrip(",，")
    for cut in (len(seg), *(m.start() for m in re.finditer(r"[,，:：]\s*|\s(?=\()", seg))):
        head, tail = seg[:cut].strip(), seg[cut:].lstrip(",，").strip()
        if not (_is_date(head) or _DATEISH.fullmatch(head)) or not re.search(r"\d{4}", head):
            continue
        if tail.startswith((":", "：")):
            extras["pages"] = tail[1:].strip()
        elif tail and not _journal_tail(tail, extras, bare=False):
            continue
        put_date(cite.fields, raw, "date", head)
        return True
    return False


def _journal_tail(text: str, extras: dict[str, Any], *, bare: bool) -> bool:
    """``31 (5): 645–651`` after a journal's date: volume, issue, pages."""
    m = _JOURNAL.fullmatch(text.strip())
    if not m or not any(m.groupdict().values()):
        return False
    if bare and not (m.group("issue") or m.group("pages")):
        return False
    if m.group("volume") and not re.search(r"\d|^[IVXLC]+$", m.group("volume")):
        return False
    for key in ("volume", "issue", "pages"):
        if m.group(key):
            extras[key] = m.group(key).strip()
    return True


def _is_date(text: str) -> bool:
    return normalise_date(text) is not None


def _cut(text: str, m: re.Match[str], *, boundary: bool = False) -> str:
    """``text`` without the match, the separators around it made one; with ``boundary``, a
    mark where it stood (what follows an access date or archive note is no title)."""
    gap = f". {_BOUNDARY}. " if boundary else " "
    text = _SPACES.sub(" ", (text[: m.start()] + gap + text[m.end():])).strip()
    text = re.sub(r"([.。])(?:\s*[.。])+", r"\1", text)
    return re.sub(r"^[\s.。,，]+", "", text)
