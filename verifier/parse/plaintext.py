"""The plain-text rendering of a Wikipedia article and its reference list.

A reference, as the zh wiki renders CS1 (copied from a browser)::

    - ^ 16.00 16.01 … Family, Given; Family, Given. Title. Work. 2023-09-13 [2023-09-18].
      ISSN 0362-4331. (原始内容存档于2023-09-14) (俄语).

Read from the end, where the parts are unambiguous (language, archive date, ISSN, access
date, date); what remains is ``[authors.] title. work``, split at the last ". " because
titles themselves contain ". ". Back-links (``16.00 … 16.15`` or ``a b c``) count the uses;
the body before the list gives the sentences citing each reference.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from ..model import Reference
from ..records import Article
from .authors import split_leading_authors
from .dates import put_date
from .languages import is_language_name, language_tag
from .sentences import citing_sentences
from .wikis import article_url

# "- ^ …", also right after a heading's edit link ("[编辑]- ^ …").
_ITEM = re.compile(r"^(?:\[[^\]\n]{1,20}\])?\s*(?:-\s*)?\^\s*(?P<body>.*?)\s*$")
_BACKLINKS = re.compile(r"^(?P<links>(?:(?P<n>\d+)\.\d+\s+)+)")
_LETTER_BACKLINKS = re.compile(r"^(?P<links>a\s+b(?:\s+[a-z]{1,2})*)\s+")
_LANGUAGE = re.compile(r"\s*[(（](?P<lang>[^()（）]+)[)）]\.?$")
_ARCHIVE = re.compile(
    r"\s*[(（](?:原始内容|原始內容)\s*(?:存档|存檔|歸檔|归档)于\s*(?P<date>[^()（）]+?)\s*[)）]\.?$"
    r"|\s*Archived from the original on (?P<en>[^.]+)\.?$"
)
_ISSN = re.compile(r"\s*ISSN\s+(?P<issn>\d{4}-?\d{3}[\dXx])\.?$")
_ACCESS = re.compile(r"\s*\[(?P<access>[^\[\]]+)\]$")
_DATE = re.compile(
    r"(?:^|(?<=\.)\s+)(?P<date>\d{4}(?:-\d{1,2}){0,2}|\d{4}年\d{1,2}月(?:\d{1,2}日)?)$"
)
# Wiki chrome that names the rendering's language.
_WIKI_MARKERS = {
    "zh": ("[编辑]", "[編輯]", "原始内容存档于", "参考文献"),
    "en": ("[edit]", "Archived from the original", "Retrieved "),
    "ru": ("[править | править код]", "Архивировано", "Дата обращения"),
}


def parse_plaintext(text: str, where: str) -> Article:
    lines = text.splitlines()
    items = [(i, m.group("body")) for i, line in enumerate(lines) if (m := _ITEM.match(line))]
    if not items:
        raise InputError(f"{where}:1: not a reference list: no '^ ' reference lines found")
    body = lines[: items[0][0]]
    cited = citing_sentences(body)
    refs = [
        _reference(str(n), item, f"{where}:{index + 1}", index + 1, cited.get(str(n), []))
        for n, (index, item) in enumerate(items, start=1)
    ]
    title = next((line.strip() for line in lines if line.strip()), None)
    lang = _wiki_language(text)
    source = {
        "title": title,
        "language": lang,
        "url": article_url(lang, title) if lang and title else None,
        "format": "text",
    }
    return Article(source=source, references=refs)


def _wiki_language(text: str) -> str | None:
    for lang, markers in _WIKI_MARKERS.items():
        if any(marker in text for marker in markers):
            return lang
    return None


def _reference(rid: str, text: str, where: str, line: int, cited_in: list[str]) -> Reference:
    uses, rest = _backlinks(rid, text, where)
    fields: dict[str, Any] = {}
    raw: dict[str, str] = {}

    if (m := _LANGUAGE.search(rest)) and is_language_name(m.group("lang")):
        tag = language_tag(m.group("lang"))
        fields["language"] = tag
        if tag is None:
            raw["language_raw"] = m.group("lang")
        rest = rest[: m.start()]
    if m := _ARCHIVE.search(rest):
        put_date(fields, raw, "archive_date", m.group("date") or m.group("en"))
        rest = rest[: m.start()]
    if m := _ISSN.search(rest):
        fields["issn"] = m.group("issn")
        rest = rest[: m.start()]
    rest = rest.rstrip().removesuffix(".").rstrip()
    if m := _ACCESS.search(rest):
        put_date(fields, raw, "access_date", m.group("access"))
        rest = rest[: m.start()]
    if m := _DATE.search(rest.rstrip()):
        put_date(fields, raw, "date", m.group("date"))
        rest = rest.rstrip()[: m.start()]
    head = rest.strip().removesuffix(".").strip()

    authors, head = split_leading_authors(head)
    title, work = _split_title_work(head)
    if not title:
        raise InputError(f"{where}: reference {rid} has no title")
    extra: dict[str, Any] = {"origin": {"format": "text", "line": line}, "cited_in": cited_in}
    extra.update(raw)
    return Reference(
        id=rid, title=title, authors=authors, work=work, uses=uses, extra=extra, **fields
    )


def _backlinks(rid: str, text: str, where: str) -> tuple[int, str]:
    if m := _BACKLINKS.match(text):
        if m.group("n") != rid:
            raise InputError(
                f"{where}: back-links name reference {m.group('n')}, "
                f"but this is reference {rid} of the list"
            )
        return len(m.group("links").split()), text[m.end() :]
    if m := _LETTER_BACKLINKS.match(text):
        return len(m.group("links").split()), text[m.end() :]
    return 1, text


def _split_title_work(head: str) -> tuple[str, str | None]:
    """Split at the last ". " that is not an initial's ("U.S. News"): titles hold ". "."""
    for m in reversed(list(re.finditer(r"\. ", head))):
        before = head[: m.start()]
        if re.search(r"(?:^|[\s.])\w$", before):  # "U.S", "E": an abbreviation, not the end
            continue
        title, work = before.strip(), head[m.end() :].strip()
        if title and work:
            return title, work
    return head.strip(), None

