"""Rendered article HTML: zh, en and ru wikis, each rendering CS1 its own way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.errors import InputError
from verifier.parse import parse_text, read_article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse" / "html"
WIKIS = sorted(p.stem for p in FIXTURES.glob("*.html"))
FIELD_CASES = [
    (wiki, record)
    for wiki in WIKIS
    for record in json.loads((FIXTURES / f"{wiki}.expected.json").read_text("utf-8"))["references"]
]


@pytest.mark.parametrize(
    ("wiki", "expected"), FIELD_CASES, ids=[f"{w}-ref{r['id']}" for w, r in FIELD_CASES]
)
def test_reference_fields(wiki: str, expected: dict) -> None:
    article = read_article(FIXTURES / f"{wiki}.html")
    record = next(r.to_dict() for r in article.references if r.id == expected["id"])
    for key, value in expected.items():
        assert record.get(key) == value, key


@pytest.mark.parametrize("wiki", WIKIS)
def test_article_source_and_count(wiki: str) -> None:
    expected = json.loads((FIXTURES / f"{wiki}.expected.json").read_text("utf-8"))
    article = read_article(FIXTURES / f"{wiki}.html")
    for key, value in expected["source"].items():
        assert article.source[key] == value, key
    assert [r.id for r in article.references] == [r["id"] for r in expected["references"]]
    assert all(r.extra["origin"]["format"] == "html" for r in article.references)


def test_notes_list_is_not_counted_as_references() -> None:
    article = read_article(FIXTURES / "zh.html")
    assert "佩斯科夫说，金正恩邀请普京访问朝鲜。" not in [r.title for r in article.references]
    assert article.references[0].extra["origin"]["anchor"] == "cite_note-apnews-1"


BAD = [
    ("unclosed element", "<html><body><div><ol class=\"references\">\n<li>x</li>\n</div>",
     r"^bad\.html:1: broken HTML: <ol> is never closed"),
    ("stray end tag", "<html><body>\n<p>x</p></span>\n</body></html>",
     r"^bad\.html:2: broken HTML: </span> closes no open element"),
    ("truncated download", "<html><body><ol class=\"references\"><li><cite>Title",
     r"^bad\.html:1: broken HTML: <ol> is never closed"),
    ("no reference list", "<html><body><p>Hello</p></body></html>",
     r"^bad\.html:1: not a reference list"),
]


@pytest.mark.parametrize(("name", "html", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_html_is_one_line_with_where(name: str, html: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_text(html, "bad.html", "html")
