"""Wikitext parser against real articles (../shared/realworld/wikitext/, read in place).

Expectations come from an independent reading (``wikitext_reading``: regular
expressions, no mwparserfromhell, nothing from ``verifier``) and from values read by eye
in the files (``fixtures/parse/wikitext/cases.json``), never from the parser's output.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from verifier.lint import lint
from verifier.parse import parse_text
from verifier.records import Article

from . import wikitext_reading as reading

REAL = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "wikitext"
CASES = json.loads(
    (Path(__file__).parent / "fixtures" / "parse" / "wikitext" / "cases.json").read_text("utf-8")
)
FILES = sorted(p.name for p in REAL.glob("*.txt")) if REAL.is_dir() else []
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent (real data)")


@cache
def parsed(name: str) -> Article:
    return parse_text((REAL / name).read_text("utf-8"), name, "wikitext")


@cache
def expected(name: str) -> list[reading.Ref]:
    return reading.references((REAL / name).read_text("utf-8"))


def _share(good: int, total: int) -> float:
    return good / total if total else 1.0


@needs_real
@pytest.mark.parametrize("name", FILES)
def test_every_reference_is_found_with_its_number(name: str) -> None:
    """Reference N of the independent reading is defined where record N came from."""
    refs = expected(name)
    by_id = {r.id: r for r in parsed(name).references}
    right = sum(
        1
        for n, ref in enumerate(refs, start=1)
        if str(n) in by_id and by_id[str(n)].extra["origin"]["line"] == ref.content_line
    )
    assert len(refs) > 10
    assert _share(right, len(refs)) >= 0.99, f"{right} of {len(refs)}"
    assert not [r.id for r in parsed(name).references if r.id.split(".")[0] not in
                {str(n) for n in range(1, len(refs) + 1)}]


@needs_real
@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("key", ["url", "title", "archive_url", "archive_date"])
def test_fields_of_single_template_refs(name: str, key: str) -> None:
    """Refs holding one CS1 template: the field as the template writes it (titles and
    URLs without markup; the markup-bearing ones are cases read by eye)."""
    by_id = {r.id: r for r in parsed(name).references}
    good = total = 0
    for n, ref in enumerate(expected(name), start=1):
        p = ref.params
        if not p or p["_template"].startswith(("internetquelle", "literatur")):
            continue
        raw = {
            "url": reading.first(p, "url", "URL") or reading.first(p, "chapter-url", "chapterurl"),
            "title": reading.first(p, "title"),
            "archive_url": reading.first(p, "archive-url", "archiveurl"),
            "archive_date": reading.first(p, "archive-date", "archivedate"),
        }[key]
        if raw is None or reading.has_markup(raw):
            continue
        want = reading.iso_date(raw) if key == "archive_date" else raw
        if want is None:
            continue
        total += 1
        good += getattr(by_id[str(n)], key) == want
    assert _share(good, total) >= 0.99, f"{good} of {total}"


MARKUP = ("[[", "]]", "{{", "}}", "<!--", "&nbsp;", "&amp;", "&quot;", "&lt;", "<ref", "</",
          "<br", "[http")


@needs_real
@pytest.mark.parametrize("name", FILES)
def test_no_field_holds_wiki_markup(name: str) -> None:
    leaks = []
    for ref in parsed(name).references:
        values = [ref.title, ref.work, ref.publisher, ref.url, ref.archive_url]
        values += [a.family for a in ref.authors] + [a.given for a in ref.authors]
        leaks += [(ref.id, v) for v in values if v and any(m in v for m in MARKUP)]
        # '' is markup unless the file escaped it (UK ref 47, a case below)
        leaks += [(ref.id, v) for v in values[:3] if v and "''" in v and ref.id != "47"]
    assert leaks == []


@needs_real
def test_the_damaged_article_gives_the_other_references_and_a_finding() -> None:
    """wtf-United-Kingdom.txt line 367 lost its "<ref>{{" (README: damaged in the source)."""
    article = parsed("wtf-United-Kingdom.txt")
    assert len({r.id.split(".")[0] for r in article.references}) >= 600
    findings = [i for i in lint(article, today=date(2026, 12, 2)) if i.code == "damaged-reference"]
    assert findings and {i.line for i in findings} == {367}


@needs_real
def test_the_dump_gives_its_references() -> None:
    text = (REAL / "wtf-anarchism.txt").read_text("utf-8")
    assert "<ref" not in text  # still escaped as in the dump
    assert len(parsed("wtf-anarchism.txt").references) >= len(expected("wtf-anarchism.txt")) > 250


@needs_real
@pytest.mark.parametrize("case", CASES["real"], ids=[c["name"] for c in CASES["real"]])
def test_real_case(case: dict) -> None:
    record = next(r.to_dict() for r in parsed(case["file"]).references if r.id == case["id"])
    for key, value in case["expect"].items():
        assert record.get(key) == value, key


@pytest.mark.parametrize("case", CASES["written"], ids=[c["name"] for c in CASES["written"]])
def test_written_case(case: dict) -> None:
    article = parse_text(case["wikitext"], "case.wiki", "wikitext")
    records = [r.to_dict() for r in article.references]
    assert [r["id"] for r in records] == [e["id"] for e in case["expect"]]
    for record, want in zip(records, case["expect"], strict=True):
        for key, value in want.items():
            assert record.get(key) == value, (record["id"], key)


def test_a_book_or_journal_without_url_is_no_lint_problem() -> None:
    text = ("A.<ref>{{cite book |title=A Book |publisher=P |year=1999}}</ref>"
            " B.<ref>{{cite web |title=A Page}}</ref>")
    issues = lint(parse_text(text, "case.wiki", "wikitext"), today=date(2026, 12, 2))
    assert [(i.id, i.code) for i in issues if i.code == "missing-url"] == [("2", "missing-url")]


def test_an_undefined_reuse_is_a_finding_with_its_line() -> None:
    text = "A.\nB.<ref name=gone />\nC.<ref>{{cite web |url=https://example.org/c |title=C}}</ref>"
    issues = lint(parse_text(text, "case.wiki", "wikitext"), today=date(2026, 12, 2))
    assert [(i.code, i.line) for i in issues if not i.id] == [("damaged-reference", 2)]


def test_a_short_citation_without_its_full_one_is_no_lint_problem() -> None:
    text = "A.{{sfn|Doe|1999|p=3}} B.{{sfn|Doe|1999|p=4}}"
    issues = lint(parse_text(text, "case.wiki", "wikitext"), today=date(2026, 12, 2))
    assert issues == []
