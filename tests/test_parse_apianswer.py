"""A saved MediaWiki API answer reads like the HTML (or wikitext) inside it.

The answers are built here around real ``action=parse`` output (en "Cat", zh "猫" from
../shared/realworld/html, read in place; en "Dog" as Parsoid renders it, which
``parsoid=1`` answers) in both formatversions, and around the
hand-written fixtures; the expectation is the same page read as HTML directly (the
answer adds nothing but its wrapping), and the page's own counts from the README.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli.parse_cmd import parse
from verifier.errors import InputError
from verifier.parse import parse_text, read_article_as
from verifier.parse.detect import detect_format

HERE = Path(__file__).resolve().parent
REAL = HERE.parent.parent / "shared" / "realworld" / "html"
FIXTURES = HERE / "fixtures" / "parse"


def _answer(html: str, title: str, version: int, **more: object) -> str:
    text: object = html if version == 2 else {"*": html}
    return json.dumps({"parse": {"title": title, "pageid": 6678, "text": text, **more}})


def _real(name: str) -> str:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is absent: the real captured pages live outside the repository")
    return (REAL / name).read_text("utf-8")


REAL_CASES = [
    ("mobileapps-parse_contents_en.html", "Cat", 251, 1),
    ("mobileapps-parse_contents_en.html", "Cat", 251, 2),
    ("mobileapps-parse_contents_zh.html", "猫", 93, 1),
    ("mobileapps-parse_contents_zh.html", "猫", 93, 2),
    # Parsoid HTML, as action=parse&parsoid=1 answers it.
    ("mobileapps-Dog.html", "Dog", 236, 1),
    ("mobileapps-Dog.html", "Dog", 236, 2),
]


@pytest.mark.parametrize(("name", "title", "count", "version"), REAL_CASES)
def test_saved_parse_answer_reads_like_its_html(name: str, title: str, count: int, version: int):
    html = _real(name)
    answer = _answer(html, title, version)
    assert detect_format(answer) == "api"
    article = parse_text(answer, "answer.json")
    direct = parse_text(html, name, "html")
    assert [r.id for r in article.references if "." not in r.id] == [
        str(n) for n in range(1, count + 1)
    ]
    assert [r.to_dict() for r in article.references] == [r.to_dict() for r in direct.references]
    assert article.source["title"] == title
    assert article.source["format"] == "html"


def test_keys_in_another_order_still_an_answer() -> None:
    html = (FIXTURES / "html" / "en.html").read_text("utf-8")
    answer = json.dumps({"warnings": {}, "parse": {"text": html, "title": "T"}}, indent=1)
    assert parse_text(answer, "a.json", "json").references


def test_saved_wikitext_answers(tmp_path: Path) -> None:
    wikitext = (FIXTURES / "wikitext" / "en.wiki").read_text("utf-8")
    expected = [r.id for r in parse_text(wikitext, "en.wiki", "wikitext").references]
    answers = {
        "parse-v1": {"parse": {"title": "T", "wikitext": {"*": wikitext}}},
        "parse-v2": {"parse": {"title": "T", "wikitext": wikitext}},
        "query-v1": {"batchcomplete": "", "query": {"pages": {"12": {
            "title": "T", "revisions": [{"contentformat": "text/x-wiki", "*": wikitext}]}}}},
        "query-v2": {"batchcomplete": True, "query": {"pages": [{
            "title": "T", "revisions": [{"slots": {"main": {"content": wikitext}}}]}]}},
    }
    for shape, data in answers.items():
        path = tmp_path / f"{shape}.json"
        path.write_text(json.dumps(data), "utf-8")
        article, read_as = read_article_as(path)
        assert read_as == "api", shape
        assert [r.id for r in article.references] == expected, shape
        assert article.source["title"] == "T" and article.source["file"] == path.name


BAD = [
    ('{"error": {"code": "missingtitle", "info": "The page you specified doesn\'t exist."}}',
     r"^a\.json:1: the saved MediaWiki API answer is an error: The page you specified"),
    ('{"parse": {"title": "X", "pageid": 1}}', r"^a\.json:1: .*holds no article HTML or wikitext"),
    ('{"parse": {"title": "X", "text": "<div><p>No notes.</p></div>"}}',
     r"^a\.json:1: not a reference list"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_answers_are_one_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_text(text, "a.json")


def test_parse_command_reads_a_saved_answer(tmp_path: Path) -> None:
    html = (FIXTURES / "html" / "zh.html").read_text("utf-8")
    saved = tmp_path / "answer.json"
    saved.write_text(_answer(html, "2023年朝俄首脑会谈", 2), "utf-8")
    out = tmp_path / "refs.json"
    result = CliRunner().invoke(parse, [str(saved), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["source"]["format"] == "html" and data["source"]["file"] == "answer.json"
    assert len(data["references"]) == len(parse_text(html, "zh.html", "html").references)
