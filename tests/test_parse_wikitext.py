"""Wikitext: <ref> tags with CS1 templates, zh/ru parameter aliases, named and reused refs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.errors import InputError
from verifier.parse import parse_text, read_article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse" / "wikitext"
WIKIS = sorted(p.stem for p in FIXTURES.glob("*.wiki"))
CASES = [
    (wiki, record)
    for wiki in WIKIS
    for record in json.loads((FIXTURES / f"{wiki}.expected.json").read_text("utf-8"))
]


@pytest.mark.parametrize(("wiki", "expected"), CASES, ids=[f"{w}-ref{r['id']}" for w, r in CASES])
def test_reference_fields(wiki: str, expected: dict) -> None:
    article = read_article(FIXTURES / f"{wiki}.wiki")
    assert article.source["format"] == "wikitext"
    record = next(r.to_dict() for r in article.references if r.id == expected["id"])
    for key, value in expected.items():
        assert record.get(key) == value, key


@pytest.mark.parametrize("wiki", WIKIS)
def test_every_reference_is_numbered_once(wiki: str) -> None:
    expected = json.loads((FIXTURES / f"{wiki}.expected.json").read_text("utf-8"))
    article = read_article(FIXTURES / f"{wiki}.wiki")
    assert [r.id for r in article.references] == [r["id"] for r in expected]


BAD = [
    (
        "unclosed ref",
        "Text.<ref>{{cite web|title=A}}\nMore text.\n",
        r"^bad\.wiki:1: damaged reference: <ref> is never closed",
    ),
    (
        "stray ref end",
        "Text.\nMore.</ref>\n",
        r"^bad\.wiki:2: damaged reference: </ref> closes no <ref>",
    ),
    (
        "unclosed template",
        "Text.<ref>{{cite web|title=A</ref>\n",
        r"^bad\.wiki:1: '\{\{' is never closed",  # the one ref is damaged: nothing is left
    ),
    (
        "no references at all",
        "Just '''text''' and [[links]].\n== Heading ==\n",
        r"^bad\.wiki:1: not a reference list",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_wikitext_is_one_line_with_where(name: str, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_text(text, "bad.wiki", "wikitext")


def test_repeated_identical_refs_each_keep_their_own_line_and_mark() -> None:
    text = (
        "First claim.<ref>{{cite web|title=Same}}</ref>\n"
        "\n"
        "Second claim.<ref>{{cite web|title=Same}}</ref>\n"
    )
    article = parse_text(text, "same.wiki", "wikitext")
    assert [r.id for r in article.references] == ["1", "2"]
    assert [r.extra["origin"]["line"] for r in article.references] == [1, 3]
    assert [r.extra["cited_in"] for r in article.references] == [
        ["First claim."],
        ["Second claim."],
    ]


def test_a_bare_link_has_no_title() -> None:
    """A URL is never a title (the contract): <ref>http://…</ref> and [http://…] give null."""
    text = (
        "One.<ref>http://news.example.com/story</ref> Two.<ref>[http://y.example/b]</ref>"
        " Three.<ref>[http://x.example/a Minister resigns] 2020.</ref>\n<references/>\n"
    )
    refs = parse_text(text, "bare.wiki", "wikitext").references
    assert [(r.title, r.url) for r in refs] == [
        (None, "http://news.example.com/story"),
        (None, "http://y.example/b"),
        ("Minister resigns", "http://x.example/a"),  # the link's label, not the text after
    ]
