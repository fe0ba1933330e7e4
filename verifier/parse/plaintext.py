"""The plain-text rendering of a Wikipedia article and its reference list.

A reference list, as a browser copy gives it, comes in several forms, often mixed::

    - ^ 16.00 16.01 … Family, Given. Title. Work. 2023-09-13 [2023-09-18]. (原始内容存档于…)
    1. ^ a b Family, G. (2023). "Title". Work. Retrieved 18 September 2023.   (an <ol>)
    ↑ 1 2 Title …                                                           (ru)
    • Title. Work. 2023.          - Title. Work. 2023.          Title. Work. 2023.

Every marked line is a reference; an unmarked line is one when it reads like a citation
(a wrapped line continues the one before it). The list is the one under the references
heading (参考文献, References, Примечания, …) when there is one, the notes list
(注释, Notes) left out; ids are the number the reader sees: the list's own number, or the
back-links' (``16.00`` is reference 16), or one more than the reference before.
Back-links count the uses; the body before the list gives the sentences citing each
reference. Each reference's text is split into fields by ``citetext``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..model import Reference
from ..records import Article
from .citetext import parse_citation
from .sentences import citing_sentences
from .wikis import article_url

# A heading's edit link, copied at the start of the line after the heading.
_EDIT = re.compile(r"^\s*\[(?:编辑|編輯|编辑源代码|編輯原始碼|edit|править(?: \| править код)?|"
                   r"редактировать|編集|편집|modifier|bearbeiten)\]\s*")
# The edit link after the heading ("References[edit]").
_EDIT_AFTER = re.compile(r"\s*\[(?:编辑|編輯|edit|править)[^\[\]]{0,20}\]\s*$")
_MARK = re.compile(
    r"^\s*(?:(?P<num>\d{1,4})\s*[.)．、]\s+|\[(?P<bracketed>\d{1,4})\]\s*)?"
    r"(?P<bullet>[-–—•·*▪◦●]\s*)?"
    r"(?P<caret>[\^↑](?:\s*(?:Jump up to|跳转到|跳轉到|跳转至|跳至|Перейти к)\s*[:：])?\s*)?"
)
_BACKLINKS = re.compile(r"^(?P<links>(?:(?P<n>\d+)[.,]\d+\s+)+)")
_LETTER_BACKLINKS = re.compile(r"^(?P<links>a\s+b(?:\s+[a-z]{1,2})*)\s+")
_NUMBER_BACKLINKS = re.compile(r"^(?P<links>1\s+2(?:\s+\d{1,3})*)\s+")
_CITED_MARK = re.compile(r"\[\d+\]")
_ENDED = re.compile(r"[.。)）\]]$")  # a line ending so has no continuation

_REFERENCE_HEADINGS = {
    "参考文献", "参考资料", "参考来源", "来源", "引用", "出典", "参照", "脚注", "references",
    "citations", "sources",
    "footnotes", "примечания", "источники", "примітки", "джерела", "각주", "출처",
}
_NOTE_HEADINGS = {"注释", "注解", "注", "备注", "附注", "notes",
                  "explanatory notes", "注記", "注釈"}
_END_HEADINGS = {
    "外部链接", "外部连结", "延伸阅读", "参见", "另见", "相关条目", "扩展阅读", "external links",
    "further reading", "see also",
    "ссылки", "литература", "см. также", "зовнішні посилання", "関連項目", "外部リンク",
}
# Wiki chrome that names the rendering's language.
_WIKI_MARKERS = {
    "zh": ("[编辑]", "[編輯]", "原始内容存档于", "原始內容存檔於", "参考文献", "參考文獻"),
    "en": ("[edit]", "Archived from the original", "Retrieved "),
    "ru": ("[править | править код]", "Архивировано", "Дата обращения"),
}


@dataclass
class _Item:
    line: int  # 1-based line of the item's first line
    text: str  # the reference's text, markers removed
    number: int | None  # the list's own number ("1. …")
    marked: bool


def parse_plaintext(text: str, where: str) -> Article:
    lines = text.splitlines()
    start, end = _list_region(lines)
    items = _items(lines, start, end)
    if not items:
        raise InputError(f"{where}:1: not a reference list: no reference lines found "
                         "('^ …', '1. …', '↑ …', '• …', or one citation a line)")
    cited = citing_sentences(lines[: items[0].line - 1])
    refs = []
    previous = 0
    for item in items:
        uses, body, linked = _backlinks(item.text)
        rid = _number(item, linked, previous, f"{where}:{item.line}")
        previous = rid
        refs.append(_reference(str(rid), body, uses, item.line, cited.get(str(rid), [])))
    title = next((line.strip() for line in lines if line.strip()), None)
    lang = _wiki_language(text)
    source = {
        "title": title,
        "language": lang,
        "url": article_url(lang, title) if lang and title else None,
        "format": "text",
    }
    return Article(source=source, references=refs)


# Headings are matched in simplified script: a page mixes both ("参考資料", "備注").
_SIMPLIFIED = str.maketrans("參獻資來註釋備連結閱讀見關條擴腳說明",
                            "参献资来注释备连结阅读见关条扩脚说明")


def _heading(line: str) -> str | None:
    """The heading a line is, by name ("[编辑]参考文献" included), casefolded, or None."""
    name = _EDIT_AFTER.sub("", _EDIT.sub("", line)).strip().rstrip(":：").strip().casefold()
    name = name.translate(_SIMPLIFIED)
    if name in _REFERENCE_HEADINGS or name in _NOTE_HEADINGS or name in _END_HEADINGS:
        return name
    return None


def _list_region(lines: list[str]) -> tuple[int, int]:
    """The lines [start, end) holding the reference list: the first section under a
    references heading whose items carry back-link marks (the footnotes readers click
    to), else the first one with anything in it, else everything."""
    headings = [(i, h) for i, line in enumerate(lines) if (h := _heading(line))]
    sections = []
    for k, (i, name) in enumerate(headings):
        if name in _REFERENCE_HEADINGS:
            end = headings[k + 1][0] if k + 1 < len(headings) else len(lines)
            sections.append((i + 1, end))
    with_marks = [sec for sec in sections
                  if any(_marker(_EDIT.sub("", line)) for line in lines[sec[0]:sec[1]])]
    with_text = [sec for sec in sections
                 if any(_EDIT.sub("", line).strip() for line in lines[sec[0]:sec[1]])]
    return (with_marks or with_text or [(0, len(lines))])[0]


def _items(lines: list[str], start: int, end: int) -> list[_Item]:
    marked = [i for i in range(start, end) if _marker(_EDIT.sub("", lines[i]))]
    if start == 0 and marked:
        # No heading: the list runs from the first marked line to the last.
        start, end = marked[0], marked[-1] + 1
    items: list[_Item] = []
    pending: _Item | None = None  # unmarked lines gathered until their paragraph ends
    open_line = ""  # the last line of the marked item still open (wrapped lines continue it)

    def flush() -> None:
        nonlocal pending
        if pending is not None and looks_like_citation(pending.text):
            items.append(pending)
        pending = None

    for i in range(start, end):
        line = _EDIT.sub("", lines[i])
        if not line.strip() or _heading(lines[i]):
            flush()
            open_line = ""
            continue
        m = _marker(line)
        text = line[m.end():].strip() if m else line.strip()
        if m:
            flush()
            open_line = ""
            if text and (m.group("caret") or looks_like_citation(text, marked=True)):
                number = next((int(n) for n in m.group("num", "bracketed") if n), None)
                items.append(_Item(i + 1, text, number, True))
                open_line = text
            continue  # "- milk": a list, but not of references
        if open_line and not _ENDED.search(open_line):
            items[-1].text += " " + text
            open_line = text
        elif pending is not None and not _ENDED.search(pending.text):
            pending.text += " " + text
        else:
            flush()
            open_line = ""
            pending = _Item(i + 1, text, None, False)
    flush()
    return items


def _marker(line: str) -> re.Match[str] | None:
    m = _MARK.match(line)
    if m is None or not (m.group("num") or m.group("bracketed") or m.group("bullet")
                         or m.group("caret")):
        return None
    # "2005. Title" may be a year: a bare number is a list number below 1000.
    bare = m.group("num") and not (m.group("caret") or m.group("bullet"))
    return None if bare and int(m.group("num")) >= 1000 else m


def looks_like_citation(text: str, *, marked: bool = False) -> bool:
    """Whether a line reads like a rendered citation, not prose or page chrome; a line a
    list marks ("- ", "1. ") needs less: two parts ("Title. Work.") will do."""
    if _CITED_MARK.search(text) or len(text) < 8:
        return False  # the body's sentences carry citation marks
    if re.search(r"原始内容|原始內容|存档|存檔|Archived|Retrieved|ISBN|doi:|PMID|ISSN"
                 r"|https?://|\[\s*\d{4}-\d{1,2}-\d{1,2}\s*\]", text):
        return True
    parts = [p for p in re.split(r"(?<=[.。])\s+", text) if p.strip()]
    has_year = re.search(r"(?<!\d)(1[5-9]|20)\d\d(?!\d)", text) is not None
    return len(parts) >= 3 or (len(parts) >= 2 and (has_year or marked))


def _backlinks(text: str) -> tuple[int, str, int | None]:
    """Uses, the text after the back-links, and the reference number they name."""
    if m := _BACKLINKS.match(text):
        return len(m.group("links").split()), text[m.end():], int(m.group("n"))
    for pattern in (_LETTER_BACKLINKS, _NUMBER_BACKLINKS):
        if m := pattern.match(text):
            return len(m.group("links").split()), text[m.end():], None
    return 1, text, None


def _number(item: _Item, linked: int | None, previous: int, where: str) -> int:
    """The number the reader sees: the list's, else the back-links', else the next one."""
    for n, what in ((item.number, "the list numbers it"), (linked, "its back-links name")):
        if n is None:
            continue
        if n <= previous:
            raise InputError(f"{where}: {what} reference {n}, but reference {previous} "
                             "came before it (the list is out of order)")
        if item.number is not None and linked is not None and linked != item.number:
            raise InputError(f"{where}: back-links name reference {linked}, "
                             f"but the list numbers it {item.number}")
        return n
    return previous + 1


def _wiki_language(text: str) -> str | None:
    for lang, markers in _WIKI_MARKERS.items():
        if any(marker in text for marker in markers):
            return lang
    return None


def _reference(rid: str, text: str, uses: int, line: int, cited_in: list[str]) -> Reference:
    cite = parse_citation(text)
    extra: dict[str, Any] = {"origin": {"format": "text", "line": line}, "cited_in": cited_in}
    extra.update(cite.extra)
    return Reference(
        id=rid, title=cite.title, authors=cite.authors, work=cite.work,
        publisher=cite.publisher, uses=uses, extra=extra, **cite.fields,
    )
