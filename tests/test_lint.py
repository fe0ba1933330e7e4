"""Citation lint: each CS1 maintenance problem, one case each, plus a clean record."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner

from tests.realworld_urls import real_urls
from tests.test_urls import URL_NOISE
from verifier.cli.parse_cmd import lint as lint_command
from verifier.lint import _url_key, issn_valid, lint
from verifier.model import Reference
from verifier.records import Article

TODAY = date(2024, 1, 1)
ROOT = Path(__file__).resolve().parent.parent
CLEAN = {
    "title": "Title",
    "url": "https://example.org/a",
    "date": "2023-09-13",
    "access_date": "2023-09-18",
    "archive_url": "https://web.archive.org/web/20230914000000/https://example.org/a",
    "archive_date": "2023-09-14",
    "issn": "0362-4331",
}
CASES = [
    ("clean record", {}, []),
    ("placeholder title zh", {"title": "存档副本"}, ["placeholder-title"]),
    ("placeholder title en", {"title": "Archived copy"}, ["placeholder-title"]),
    ("missing title", {"title": None}, ["missing-title"]),
    ("missing url", {"url": None, "archive_url": None}, ["missing-url"]),
    ("access date before date", {"access_date": "2023-09-01"}, ["access-before-date"]),
    (
        "access date before month-only date",
        {"date": "2023-10", "access_date": "2023-09-18"},
        ["access-before-date", "archive-before-date"],
    ),
    ("same month is not before", {"date": "2023-09", "access_date": "2023-09-01"}, []),
    (
        "archive date before date",
        {
            "archive_date": "2023-09-01",
            "archive_url": "https://web.archive.org/web/20230901000000/https://example.org/a",
        },
        ["archive-before-date"],
    ),
    (
        "archive date in the future",
        {
            "archive_date": "2024-02-01",
            "archive_url": "https://web.archive.org/web/20240201000000/https://example.org/a",
        },
        ["archive-date-in-future"],
    ),
    ("archive url timestamp disagrees", {"archive_date": "2023-09-15"}, ["archive-date-mismatch"]),
    (
        "archive.today timestamp disagrees",
        {"archive_url": "https://archive.ph/20230916101010/https://example.org/a"},
        ["archive-date-mismatch"],
    ),
    (
        "archive.today timestamp agrees",
        {"archive_url": "https://archive.ph/2023.09.14-101010/https://example.org/a"},
        [],
    ),
    (
        "partial wayback timestamp names no day",
        {"archive_url": "https://web.archive.org/web/202309/https://example.org/a"},
        [],
    ),
    ("invalid ISSN check digit", {"issn": "0362-4332"}, ["invalid-issn"]),
    ("ISSN with X check digit is valid", {"issn": "2434-561X"}, []),
    (
        "unparseable date kept raw",
        {"date": None, "extra": {"date_raw": "Fall 2023"}},
        ["unparsed-date"],
    ),
    ("unknown language kept raw", {"extra": {"language_raw": "Klingon"}}, ["unknown-language"]),
    (
        "template leftovers are findings, one each",
        {"extra": {"leftovers": ["引文使用过时参数coauthors (帮助)", "Template:Cite web"]}},
        ["template-leftover", "template-leftover"],
    ),
    ("text no field claims kept raw", {"extra": {"unparsed": "Very small amounts"}},
     ["unparsed-text"]),
    ("authors that are no name list kept raw", {"extra": {"authors_raw": "Roca ', A. L."}},
     ["unparsed-text"]),
]


@pytest.mark.parametrize(("name", "changes", "codes"), CASES, ids=[c[0] for c in CASES])
def test_single_reference_issue(name: str, changes: dict, codes: list[str]) -> None:
    ref = Reference(id="7", **{**CLEAN, **changes})
    issues = lint(Article({}, [ref]), today=TODAY)
    assert [i.code for i in issues] == codes
    assert all(i.id == "7" and i.severity in ("warning", "error") and i.message for i in issues)


def test_same_url_under_two_references_is_flagged_on_the_second() -> None:
    refs = [
        Reference(id="1", title="A", url="https://Example.org/a/"),
        Reference(id="2", title="B", url="https://example.org/b"),
        Reference(id="3", title="C", url="https://example.org/a#section"),
    ]
    issues = lint(Article({}, refs), today=TODAY)
    assert [(i.id, i.code) for i in issues] == [("3", "duplicate-url")]
    assert "reference 1" in issues[0].message


@pytest.mark.parametrize(
    ("issn", "ok"), [("0261-3077", True), ("02613077", True), ("0261-3078", False), ("1234", False)]
)
def test_issn_check_digit(issn: str, ok: bool) -> None:
    assert issn_valid(issn) is ok


def test_lint_command_lists_the_seed_placeholder(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(lint_command, ["references.json", "--today", "2024-01-01"])
    assert result.exit_code == 0
    assert "reference 41: warning: placeholder-title" in result.output
    assert result.output.count("missing-url") == 44


def test_lint_command_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "refs.json"
    bad.write_text("{", "utf-8")
    result = CliRunner().invoke(lint_command, [str(bad)])
    assert result.exit_code == 2
    assert "refs.json:1: invalid JSON" in result.output


def test_lint_command_exits_1_on_an_error_finding_and_0_on_warnings_alone(
    tmp_path: Path,
) -> None:
    refs = tmp_path / "refs.json"
    future = {"id": "1", "title": "A story", "url": "https://example.org/a",
              "access_date": "2099-01-01", "authors": [], "uses": 1}
    refs.write_text(json.dumps({"source": {}, "references": [future]}), "utf-8")
    for args in ([str(refs)], [str(refs), "--json"]):
        result = CliRunner().invoke(lint_command, [*args, "--today", "2024-01-01"])
        assert "access-date-in-future" in result.output
        assert result.exit_code == 1, args
    warned = {**future, "access_date": None, "url": None}
    refs.write_text(json.dumps({"source": {}, "references": [warned]}), "utf-8")
    result = CliRunner().invoke(lint_command, [str(refs), "--today", "2024-01-01"])
    assert "warning: missing-url" in result.output
    assert result.exit_code == 0


def _split_key(url: str) -> str:
    """The duplicate-URL key by its definition: split, host case, trailing slash and
    fragment dropped, put together again."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://A.b/x/", "http://a.b/x#top"), ("https://a.b", "https://a.b/"),
        ("http://a.b/x?", "http://a.b/x"), (" http://a.b/x ", "http://a.b/x"),
        ("HTTP://a.b/x", "http://a.b/x"),
    ],
)
def test_the_same_page_written_two_ways_is_one_url(a: str, b: str) -> None:
    assert _url_key(a) == _url_key(b) == _split_key(a)


@pytest.mark.parametrize(
    ("a", "b"),
    [("http://a.b/x?q=1", "http://a.b/x?q=2"), ("http://a.b/X", "http://a.b/x"),
     ("http://a.b/x", "https://a.b/x"), ("http://a.b:81/", "http://a.b/")],
)
def test_different_pages_are_different_urls(a: str, b: str) -> None:
    assert _url_key(a) != _url_key(b)


def test_the_url_key_is_its_definition_on_random_and_real_urls() -> None:
    rng = random.Random(17)
    urls = list(real_urls())
    for _ in range(20000):
        scheme = rng.choice(["http://", "https://", "HTTP://", " http://", "http:/", "ftp://"])
        urls.append(scheme + "".join(rng.choice(URL_NOISE + "ABC/" * 3)
                                     for _ in range(rng.randrange(0, 20))))
    assert [u for u in urls if _url_key(u) != _split_key(u)] == []
