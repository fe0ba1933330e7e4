"""The CS1 alias table: names as en, zh and ru wikitext write them, to one key each."""

from __future__ import annotations

import pytest

from verifier.parse import cs1

PARAMETERS = [
    ("url", "url"),
    ("URL", "url"),
    ("accessdate", "access_date"),
    ("access-date", "access_date"),
    ("archiveurl", "archive_url"),
    ("archivedate", "archive_date"),
    ("deadurl", "url_status"),
    ("dead-url", "url_status"),
    ("website", "work"),
    ("newspaper", "work"),
    ("institution", "publisher"),
    ("location", "place"),
    ("year", "year"),
    ("访问日期", "access_date"),
    ("存档网址", "archive_url"),
    ("дата обращения", "access_date"),
    ("заглавие", "title"),
    ("no-such-parameter", None),
]


@pytest.mark.parametrize(("name", "key"), PARAMETERS)
def test_parameter_names_map_to_their_key(name: str, key: str | None) -> None:
    assert cs1.parameter(name) == key


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("last", ("author_last", 1)),
        ("last2", ("author_last", 2)),
        ("author", ("author_last", 1)),
        ("author3-last", ("author_last", 3)),
        ("first12", ("author_first", 12)),
        ("authorlink1", ("author_link", 1)),
        ("editor-last2", ("editor_last", 2)),
        ("автор2", ("author_last", 2)),
        ("title", None),
    ],
)
def test_enumerated_names(name: str, expected: tuple[str, int] | None) -> None:
    assert cs1.name_list(name) == expected


def test_the_first_name_is_the_one_to_write() -> None:
    assert cs1.ALIASES["archive_url"][0] == "archive-url"
    assert cs1.ALIASES["url_status"][0] == "url-status"
    assert all(names and len(set(names)) == len(names) for names in cs1.ALIASES.values())
