"""CS1 parameter names: every name the en module accepts for a parameter, and the zh and ru
names in use, as plain data any module can import (the wikitext parser reads citations
with it; ``verify-refs fix`` finds the parameter to rewrite with it).

Keys are snake_case: a record field's name where the parameter fills one (``url``,
``title``, ``work``, ``archive_url``, …), else the CS1 meta-parameter's (``chapter_url``,
``place``, …). Each value lists the names in CS1's order of precedence: the first is the
one to write. ``#`` in a name-list entry stands for the enumerator (``last#``: ``last``,
``last1``, ``last2``, …). Names CS1 once accepted and the 2017-era articles still use
(``deadurl``, ``authorlink``, ``coauthors``) are kept: old wikitext is read, not judged.
Identifier parameters (``doi``, ``ISBN``, …) are ``identifiers.param_key``'s.
"""

from __future__ import annotations

import re

# en: Module:Citation/CS1/Configuration's alias table, plus the names it dropped since.
EN: dict[str, tuple[str, ...]] = {
    "access_date": ("access-date", "accessdate"),
    "agency": ("agency",),
    "archive_date": ("archive-date", "archivedate"),
    "archive_format": ("archive-format",),
    "archive_url": ("archive-url", "archiveurl"),
    "article_number": ("article-number",),
    "asin_tld": ("asin-tld",),
    "at": ("at",),
    "authors": ("authors", "people", "credits", "coauthors", "coauthor"),
    "book_title": ("book-title", "booktitle"),
    "cartography": ("cartography",),
    "chapter": ("chapter", "contribution", "entry", "article", "section"),
    "chapter_format": (
        "chapter-format",
        "contribution-format",
        "entry-format",
        "article-format",
        "section-format",
    ),
    "chapter_url": (
        "chapter-url",
        "contribution-url",
        "entry-url",
        "article-url",
        "section-url",
        "chapterurl",
    ),
    "chapter_url_access": (
        "chapter-url-access",
        "contribution-url-access",
        "entry-url-access",
        "article-url-access",
        "section-url-access",
    ),
    "class": ("class",),
    "collaboration": ("collaboration",),
    "conference": ("conference", "event"),
    "conference_format": ("conference-format",),
    "conference_url": ("conference-url", "conferenceurl"),
    "date": ("date", "air-date", "airdate"),
    "degree": ("degree",),
    "df": ("df",),
    "display_authors": ("display-authors", "display-subjects", "displayauthors"),
    "display_contributors": ("display-contributors",),
    "display_editors": ("display-editors", "displayeditors"),
    "display_interviewers": ("display-interviewers",),
    "display_translators": ("display-translators",),
    "docket": ("docket",),
    "doi_broken_date": ("doi-broken-date", "doi-broken", "doi_brokendate", "doi_inactivedate"),
    "edition": ("edition",),
    "pmc_embargo_date": ("pmc-embargo-date", "embargo"),
    "encyclopedia": ("encyclopedia", "encyclopaedia", "dictionary"),
    "episode": ("episode",),
    "format": ("format",),
    "id": ("id", "ID"),
    "inset": ("inset",),
    "issue": ("issue", "number"),
    "language": ("language", "lang"),
    "lay_date": ("lay-date", "laydate"),
    "lay_format": ("lay-format",),
    "lay_source": ("lay-source", "laysource"),
    "lay_url": ("lay-url", "layurl", "laysummary"),
    "mailing_list": ("mailing-list", "mailinglist"),
    "map": ("map",),
    "map_format": ("map-format",),
    "map_url": ("map-url", "mapurl"),
    "map_url_access": ("map-url-access",),
    "minutes": ("minutes",),
    "mode": ("mode",),
    "name_list_style": ("name-list-style", "name-list-format", "last-author-amp"),
    "network": ("network",),
    "newsgroup": ("newsgroup",),
    "no_pp": ("no-pp", "nopp"),
    "no_tracking": ("no-tracking", "template-doc-demo", "notracking"),
    "orig_date": ("orig-date", "orig-year", "origyear"),
    "others": ("others",),
    "page": ("page", "p"),
    "pages": ("pages", "pp"),
    "work": ("journal", "magazine", "newspaper", "periodical", "website", "work"),
    "place": ("place", "location"),
    "postscript": ("postscript",),
    "publication_date": ("publication-date", "publicationdate"),
    "publication_place": ("publication-place", "publicationplace"),
    "publisher": ("publisher", "institution"),
    "quote": ("quote", "quotation"),
    "quote_page": ("quote-page",),
    "quote_pages": ("quote-pages",),
    "ref": ("ref",),
    "scale": ("scale",),
    "script_chapter": (
        "script-chapter",
        "script-contribution",
        "script-entry",
        "script-article",
        "script-section",
    ),
    "script_map": ("script-map",),
    "script_work": (
        "script-journal",
        "script-magazine",
        "script-newspaper",
        "script-periodical",
        "script-website",
        "script-work",
    ),
    "script_quote": ("script-quote",),
    "script_title": ("script-title",),
    "season": ("season",),
    "sections": ("sections",),
    "series": ("series", "version"),
    "series_link": ("series-link", "serieslink"),
    "series_number": ("series-number", "series-no"),
    "sheet": ("sheet",),
    "sheets": ("sheets",),
    "station": ("station",),
    "time": ("time",),
    "time_caption": ("time-caption", "timecaption"),
    "title": ("title",),
    "title_link": ("title-link", "episode-link", "episodelink", "titlelink"),
    "department": ("department",),
    "type": ("type", "medium"),
    "trans_chapter": (
        "trans-article",
        "trans-chapter",
        "trans-contribution",
        "trans-entry",
        "trans-section",
        "trans_chapter",
    ),
    "transcript": ("transcript",),
    "transcript_format": ("transcript-format",),
    "transcript_url": ("transcript-url", "transcripturl"),
    "trans_map": ("trans-map",),
    "trans_work": (
        "trans-journal",
        "trans-magazine",
        "trans-newspaper",
        "trans-periodical",
        "trans-website",
        "trans-work",
    ),
    "trans_quote": ("trans-quote",),
    "trans_title": ("trans-title", "trans_title"),
    "url": ("url", "URL"),
    "url_access": ("url-access", "subscription", "registration"),
    "url_status": ("url-status", "dead-url", "deadurl"),
    "vauthors": ("vauthors",),
    "veditors": ("veditors",),
    "via": ("via",),
    "volume": ("volume",),
    "year": ("year",),
    # Dropped from CS1 but common in older articles.
    "month": ("month",),
}

# Name lists: the enumerated parameters (``#`` is the enumerator; none means 1).
NAME_LISTS: dict[str, tuple[str, ...]] = {
    "author_first": (
        "first#",
        "author-first#",
        "author#-first",
        "given#",
        "author-given#",
        "author#-given",
    ),
    "author_last": (
        "last#",
        "author-last#",
        "author#-last",
        "surname#",
        "author-surname#",
        "author#-surname",
        "author#",
        "subject#",
        "host#",
    ),
    "author_link": (
        "author-link#",
        "author#-link",
        "subject-link#",
        "subject#-link",
        "authorlink#",
        "author#link",
    ),
    "author_mask": (
        "author-mask#",
        "author#-mask",
        "subject-mask#",
        "subject#-mask",
        "authormask#",
    ),
    "contributor_first": (
        "contributor-first#",
        "contributor#-first",
        "contributor-given#",
        "contributor#-given",
    ),
    "contributor_last": (
        "contributor-last#",
        "contributor#-last",
        "contributor-surname#",
        "contributor#-surname",
        "contributor#",
    ),
    "contributor_link": ("contributor-link#", "contributor#-link"),
    "contributor_mask": ("contributor-mask#", "contributor#-mask"),
    "editor_first": ("editor-first#", "editor#-first", "editor-given#", "editor#-given"),
    "editor_last": (
        "editor-last#",
        "editor#-last",
        "editor-surname#",
        "editor#-surname",
        "editor#",
    ),
    "editor_link": ("editor-link#", "editor#-link", "editorlink#"),
    "editor_mask": ("editor-mask#", "editor#-mask"),
    "interviewer_first": (
        "interviewer-first#",
        "interviewer#-first",
        "interviewer-given#",
        "interviewer#-given",
    ),
    "interviewer_last": (
        "interviewer-last#",
        "interviewer#-last",
        "interviewer-surname#",
        "interviewer#-surname",
        "interviewer#",
    ),
    "interviewer_link": ("interviewer-link#", "interviewer#-link"),
    "interviewer_mask": ("interviewer-mask#", "interviewer#-mask"),
    "translator_first": (
        "translator-first#",
        "translator#-first",
        "translator-given#",
        "translator#-given",
    ),
    "translator_last": (
        "translator-last#",
        "translator#-last",
        "translator-surname#",
        "translator#-surname",
        "translator#",
    ),
    "translator_link": ("translator-link#", "translator#-link"),
    "translator_mask": ("translator-mask#", "translator#-mask"),
}

# The zh and ru names in use (zh's {{cite web}} family takes the en names too; ru's
# {{статья}}, {{книга}} and {{публикация}} have their own).
LOCAL: dict[str, tuple[str, ...]] = {
    "title": ("标题", "標題", "заглавие", "название"),
    "url": ("网址", "網址", "ссылка"),
    "work": (
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
    "publisher": ("出版者", "出版社", "издательство"),
    "agency": ("агентство",),
    "date": ("日期", "дата"),
    "year": ("год",),
    "access_date": ("访问日期", "訪問日期", "accessed", "access_date", "дата обращения",
                    "дата-обращения"),
    "archive_url": ("存档网址", "存檔網址", "archive_url", "архив", "url архива", "архив-url"),
    "archive_date": ("存档日期", "存檔日期", "archive_date", "дата архива", "архив-дата"),
    "url_status": ("deadlink", "url_status"),
    "language": ("语言", "語言", "язык"),
    "place": ("место",),
    "pages": ("страницы",),
}
LOCAL_NAME_LISTS: dict[str, tuple[str, ...]] = {
    "author_last": ("作者#", "姓#", "автор#", "фамилия#"),
    "author_first": ("名#", "имя#"),
}


def _merged(*tables: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for key, names in table.items():
            out[key] = out.get(key, ()) + tuple(n for n in names if n not in out.get(key, ()))
    return out


# Every name a parameter goes by, en first: what a reader of any of the three wikis uses.
ALIASES: dict[str, tuple[str, ...]] = _merged(EN, LOCAL)
ALL_NAME_LISTS: dict[str, tuple[str, ...]] = _merged(NAME_LISTS, LOCAL_NAME_LISTS)

_BY_NAME: dict[str, str] = {}
for _key, _names in ALIASES.items():
    for _name in _names:
        _BY_NAME.setdefault(_name, _key)
_LIST_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d*)".join(re.escape(part) for part in name.split("#"))), key)
    for key, names in ALL_NAME_LISTS.items()
    for name in names
]


def parameter(name: str) -> str | None:
    """The key of the parameter called ``name`` (``accessdate`` -> ``access_date``), or
    None. Names are matched as written, then lower-cased (``URL``, ``Title``)."""
    name = name.strip()
    return _BY_NAME.get(name) or _BY_NAME.get(name.lower())


def name_list(name: str) -> tuple[str, int] | None:
    """(list key, position) for an enumerated name (``author2-last`` -> ("author_last",
    2); ``last`` -> ("author_last", 1)), or None."""
    name = name.strip()
    for candidate in dict.fromkeys((name, name.lower())):
        for pattern, key in _LIST_PATTERNS:
            if m := pattern.fullmatch(candidate):
                return key, int(m.group(1) or 1)
    return None
