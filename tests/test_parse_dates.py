"""Dates and language names as the wikis write them, normalised (or honestly not)."""

from __future__ import annotations

import pytest

from verifier.parse.dates import normalise_date, put_date
from verifier.parse.languages import language_tag

DATES = [
    ("2023-09-13", "2023-09-13"),
    ("2023-09", "2023-09"),
    ("2023", "2023"),
    ("2023-9-3", "2023-09-03"),
    ("2023年9月13日", "2023-09-13"),
    ("2023年9月", "2023-09"),
    ("13 September 2023", "2023-09-13"),
    ("September 13, 2023", "2023-09-13"),
    ("Sep 13, 2023", "2023-09-13"),
    ("September 2023", "2023-09"),
    ("13.09.2023", "2023-09-13"),
    ("13 сентября 2023", "2023-09-13"),
    ("16 сентября 2023 года", "2023-09-16"),
    ("14 вересня 2023", "2023-09-14"),
    ("2023-02-30", None),  # not a day of the calendar
    ("2023-13", None),
    ("Smarch 13, 2023", None),
    ("yesterday", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("raw", "iso"), DATES)
def test_normalise_date(raw: str | None, iso: str | None) -> None:
    assert normalise_date(raw) == iso


LANGUAGES = [
    ("俄语", "ru"),
    ("(俄语)", "ru"),
    ("英语", "en"),
    ("美国英语", "en-US"),
    ("英国英语", "en-GB"),
    ("乌克兰语", "uk"),
    ("日语", "ja"),
    ("in Russian", "ru"),
    ("англ.", "en"),
    ("на русском языке", "ru"),
    ("ru", "ru"),
    ("en-us", "en-US"),
    ("zh-hans", "zh-Hans"),
    ("克林贡语", None),
    ("Klingon", None),
]


@pytest.mark.parametrize(("raw", "tag"), LANGUAGES)
def test_language_tag(raw: str, tag: str | None) -> None:
    assert language_tag(raw) == tag


@pytest.mark.parametrize(
    ("value", "fields", "raw"),
    [
        ("13 September 2023", {"date": "2023-09-13"}, {}),
        (" yesterday ", {"date": None}, {"date_raw": "yesterday"}),  # kept, as written
        ("2023-02-30", {"date": None}, {"date_raw": "2023-02-30"}),
        ("", {"date": None}, {}),
        (None, {"date": None}, {}),
    ],
)
def test_put_date_keeps_iso_or_the_raw_text(
    value: str | None, fields: dict[str, str | None], raw: dict[str, str]
) -> None:
    got_fields: dict[str, str | None] = {}
    got_raw: dict[str, str] = {}
    put_date(got_fields, got_raw, "date", value)
    assert (got_fields, got_raw) == (fields, raw)
