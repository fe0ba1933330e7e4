"""Dates as citations write them, normalised to ISO ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY``.

Wikipedia renders dates in each wiki's own way (``2023-09-13`` on zh, ``13 September 2023``
on en, ``13 сентября 2023`` on ru, ``2023年9月13日`` in Chinese prose, ``13.09.2023`` in
Russian templates). ``normalise_date`` returns None for anything it cannot read for
certain: callers keep the raw text then, so nothing is lost.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_MONTHS = {
    # English, full and abbreviated
    **{
        name: i
        for i, names in enumerate(
            [
                ("january", "jan"),
                ("february", "feb"),
                ("march", "mar"),
                ("april", "apr"),
                ("may",),
                ("june", "jun"),
                ("july", "jul"),
                ("august", "aug"),
                ("september", "sep", "sept"),
                ("october", "oct"),
                ("november", "nov"),
                ("december", "dec"),
            ],
            start=1,
        )
        for name in names
    },
    # Russian and Ukrainian, nominative and genitive ("13 сентября 2023")
    **{
        name: i
        for i, names in enumerate(
            [
                ("январь", "января", "січня", "січень"),
                ("февраль", "февраля", "лютого", "лютий"),
                ("март", "марта", "березня", "березень"),
                ("апрель", "апреля", "квітня", "квітень"),
                ("май", "мая", "травня", "травень"),
                ("июнь", "июня", "червня", "червень"),
                ("июль", "июля", "липня", "липень"),
                ("август", "августа", "серпня", "серпень"),
                ("сентябрь", "сентября", "вересня", "вересень"),
                ("октябрь", "октября", "жовтня", "жовтень"),
                ("ноябрь", "ноября", "листопада", "листопад"),
                ("декабрь", "декабря", "грудня", "грудень"),
            ],
            start=1,
        )
        for name in names
    },
}

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_CJK = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})(?:\s*(?:года|г\.?|р\.?))?")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{4})(?:\s*(?:года|г\.?|р\.?))?")


def normalise_date(raw: str | None) -> str | None:
    """The ISO form of ``raw``, or None when it is empty or not certainly a date."""
    if raw is None:
        return None
    text = " ".join(raw.strip().rstrip(".").split())
    if not text:
        return None
    if m := _ISO.fullmatch(text):
        return _iso(m.group(1), m.group(2), m.group(3))
    if m := _CJK.fullmatch(text):
        return _iso(m.group(1), m.group(2), m.group(3))
    if m := _DOTTED.fullmatch(text):
        return _iso(m.group(3), m.group(2), m.group(1))
    if m := _DAY_MONTH_YEAR.fullmatch(text):
        return _named(m.group(3), m.group(2), m.group(1))
    if m := _MONTH_DAY_YEAR.fullmatch(text):
        return _named(m.group(3), m.group(1), m.group(2))
    if m := _MONTH_YEAR.fullmatch(text):
        return _named(m.group(2), m.group(1), None)
    return None


def put_date(fields: dict[str, Any], raw: dict[str, str], key: str, value: str | None) -> None:
    """``fields[key]``: the ISO form of ``value``, or None; a value that is there but not
    certainly a date is kept as written in ``raw["<key>_raw"]``, so nothing is lost."""
    iso = normalise_date(value)
    fields[key] = iso
    text = (value or "").strip()
    if iso is None and text:
        raw[f"{key}_raw"] = text


def _named(year: str, month_name: str, day: str | None) -> str | None:
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    return _iso(year, str(month), day)


def _iso(year: str, month: str | None, day: str | None) -> str | None:
    """Only real calendar dates: 2023-02-30 is not a date, and is kept raw instead."""
    y = int(year)
    if month is None:
        return f"{y:04d}"
    m = int(month)
    if not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, int(day)).isoformat()
    except ValueError:
        return None
