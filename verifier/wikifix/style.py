"""How each wiki, each article and each template writes what ``fix`` adds.

Three small tables, one per question: which parameter name a template of a given naming
style uses (``archive-url``, ``archiveurl``, the zh and ru aliases), how a date is written
(the article's ``{{use dmy dates}}``/``{{use mdy dates}}``, the template's own dates, ISO
on zh, ru and ja), and each wiki's dead-link template with the date form it expects
(``{{dead link|date=December 2026}}`` on en, ``2026年12月`` on zh and ja, as their
templates' documentation and the Internet Archive's bot write them). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from ..parse.cs1 import ALIASES

HYPHEN = "hyphen"  # archive-url, access-date: CS1's current names
JOINED = "joined"  # archiveurl, accessdate: the older names, still accepted
ZH_HANS = "zh-hans"
ZH_HANT = "zh-hant"
RU = "ru"

# The names fix writes, by naming style. Every one is a name CS1 and the zh and ru wikis
# accept (parse.cs1.ALIASES, where fix looks parameters up; a test holds the two together).
NAMES: dict[str, dict[str, str]] = {
    "archive_url": {
        HYPHEN: "archive-url",
        JOINED: "archiveurl",
        ZH_HANS: "存档网址",
        ZH_HANT: "存檔網址",
        RU: "архив",
    },
    "archive_date": {
        HYPHEN: "archive-date",
        JOINED: "archivedate",
        ZH_HANS: "存档日期",
        ZH_HANT: "存檔日期",
        RU: "дата архива",
    },
    # CS1 has no joined or Chinese form of url-status; the Russian wiki's citation
    # templates take deadlink=yes|no instead.
    "url_status": {
        HYPHEN: "url-status",
        JOINED: "url-status",
        ZH_HANS: "url-status",
        ZH_HANT: "url-status",
        RU: "deadlink",
    },
}

# Names only the older, joined style uses (its hyphenated forms are the current ones).
_JOINED_NAMES = {
    "accessdate",
    "archiveurl",
    "archivedate",
    "deadurl",
    "publicationdate",
    "origyear",
    "authorlink",
}
_HANT_ONLY = set("網檔標題訪問語報紙雜誌網站")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_LATIN = re.compile(r"[A-Za-z]")

# url-status values in the vocabulary of the name that carries them.
_YES_NO = {"dead": "yes", "usurped": "usurped", "live": "no", "unfit": "unfit"}
_RU_YES_NO = {"dead": "yes", "usurped": "yes", "live": "no", "unfit": "yes"}


def naming_style(names: Iterable[str]) -> str:
    """The naming style of a template, from the parameter names it already uses."""
    names = [n.strip() for n in names]
    if any(_CYRILLIC.search(n) for n in names):
        return RU
    han = [n for n in names if _HAN.search(n)]
    if han:
        return ZH_HANT if any(c in _HANT_ONLY for n in han for c in n) else ZH_HANS
    lowered = {n.lower() for n in names}
    if lowered & _JOINED_NAMES and not any("-" in n for n in lowered):
        return JOINED
    return HYPHEN


def param_name(key: str, style: str, wiki: str) -> str:
    """The name ``fix`` gives a new parameter ``key`` in a template of ``style``."""
    if key == "url_status" and wiki == "ru":
        return NAMES[key][RU]
    return NAMES[key][style]


def aliases(key: str) -> tuple[str, ...]:
    """Every name the parameter ``key`` goes by (parse.cs1's table)."""
    return ALIASES[key]


def url_status_value(status: str, name: str, existing: str | None = None) -> str:
    """``status`` (live, dead, usurped) in the vocabulary of the parameter ``name``.

    ``url-status`` takes the word itself; the older ``dead-url``/``deadurl`` and the
    Russian ``deadlink`` take yes/no (in Russian when the template already says да/нет).
    """
    if name.strip().lower() in ("url-status", "url_status"):
        return status
    if name.strip().lower() == "deadlink":
        value = _RU_YES_NO[status]
        if existing and _CYRILLIC.search(existing):
            return "да" if value == "yes" else "нет"
        return value
    return _YES_NO[status]


# --- dates -----------------------------------------------------------------------------

ISO = "iso"
DMY = "dmy"
MDY = "mdy"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_USE_DATES = re.compile(r"\{\{\s*(?:use\s+)?(dmy|mdy)(?:\s+dates)?\s*[|}]", re.I)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")
_MDY_DATE = re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4}$")


def article_date_style(text: str) -> str | None:
    """``dmy``/``mdy`` when the article says so with {{use dmy dates}} and the like."""
    m = _USE_DATES.search(text)
    return m.group(1).lower() if m else None


def written_style(value: str | None) -> str | None:
    """The style a date is written in (``iso``, ``dmy``, ``mdy``), or None."""
    text = (value or "").strip()
    if _ISO_DATE.match(text):
        return ISO
    if _DMY_DATE.match(text) and text.split()[1] in MONTHS:
        return DMY
    if _MDY_DATE.match(text) and text.split()[0] in MONTHS:
        return MDY
    return None


def date_style(wiki: str, article_style: str | None, template_dates: Iterable[str]) -> str:
    """How a date fix writes is written: ISO on wikis that write ISO (zh, ru, ja); on
    the others the article's {{use … dates}}, else the template's own dates, else ISO."""
    if wiki in ("zh", "ru", "ja"):
        return ISO
    if article_style:
        return article_style
    for value in template_dates:
        if style := written_style(value):
            return style
    return ISO


def format_date(day: date, style: str) -> str:
    if style == DMY:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if style == MDY:
        return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    return day.isoformat()


# --- dead-link templates ---------------------------------------------------------------


def _month_year_en(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _month_year_cjk(day: date) -> str:
    return f"{day.year}年{day.month}月"


# wiki -> (template name, how its date parameter is written)
DEAD_LINK = {
    "en": ("dead link", _month_year_en),
    "zh": ("dead link", _month_year_cjk),
    "ja": ("リンク切れ", _month_year_cjk),
    "ru": ("Недоступная ссылка", date.isoformat),
}
# Names (and common redirects) of the dead-link templates, to never add a second one.
DEAD_LINK_NAMES = {
    "dead link",
    "deadlink",
    "dead-link",
    "dl",
    "404",
    "失效链接",
    "失效連結",
    "死链",
    "リンク切れ",
    "недоступная ссылка",
    "мёртвая ссылка",
    "битая ссылка",
}
WEBARCHIVE_NAMES = {"webarchive", "web archive", "wayback", "webcite", "archive.today"}


def dead_link_template(wiki: str, day: date) -> str:
    name, written = DEAD_LINK.get(wiki, DEAD_LINK["en"])
    return f"{{{{{name}|date={written(day)}}}}}"


def webarchive_template(url: str, day: date | None, style: str) -> str:
    when = f"|date={format_date(day, style)}" if day else ""
    return f"{{{{webarchive|url={url}{when}}}}}"


def guess_wiki(text: str) -> str:
    """The wiki an article is written for, from the script of its prose (outside refs
    and templates, where citations in other languages live): ja, zh, ru or en."""
    prose = re.sub(r"<ref[^>]*/>|<ref[^>]*>.*?</ref>", " ", text, flags=re.S | re.I)
    previous = None
    while previous != prose:  # innermost templates first
        previous, prose = prose, re.sub(r"\{\{[^{}]*\}\}", " ", prose)
    counts = {
        "kana": len(_KANA.findall(prose)),
        "han": len(_HAN.findall(prose)),
        "cyrillic": len(_CYRILLIC.findall(prose)),
        "latin": len(_LATIN.findall(prose)),
    }
    letters = sum(counts.values()) or 1
    if counts["kana"] / letters > 0.02:
        return "ja"
    if counts["han"] / letters > 0.1:
        return "zh"
    if counts["cyrillic"] / letters > 0.3:
        return "ru"
    return "en"
