"""report.md: short, problems first, and no title can format or inject anything."""

from __future__ import annotations

import re

import pytest

from tests.golden.sample import live, result, sample_report
from verifier.model import ArchiveResult, ArchiveStatus, LiveStatus, Reference, Report
from verifier.report import render
from verifier.report.markdown import MAX_ROWS, md_text


def _lost(ref_id: str, title: str, uses: int = 1, url: str = "https://example.org/") -> object:
    return result(Reference(id=ref_id, title=title, url=url, uses=uses),
                  live(LiveStatus.DEAD, 404), ArchiveResult(status=ArchiveStatus.MISSING))


def _report(results: list) -> Report:
    return Report(generated_at="2024-01-01T00:00:00+00:00", source={"title": "t"},
                  results=results)


def _table_rows(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("| ") and "---" not in line]


def _cells(row: str) -> list[str]:
    # Split on pipes that are not escaped, as GitHub does.
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]


@pytest.mark.parametrize(
    "title",
    [
        "a | b | c",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "**bold** _it_ `code` ~~strike~~",
        "[click](javascript:alert(1))",
        "![img](https://evil.example/pixel.png)",
        "ping @octocat and @github/security",
        "back\\slash | \\| escaped pipe",
        "line\nbreak | and\r\nmore",
    ],
)
def test_hostile_title_cannot_break_out(title: str) -> None:
    md = render(_report([_lost("1", title)]), "md")
    (row,) = _table_rows(md)[1:]  # the header row comes first
    assert len(_cells(row)) == 6, row
    assert "<" not in row.replace("&lt;", "")
    # the only link is ours: no unescaped "[...](" pointing anywhere else
    assert not re.search(r"(?<!\\)!?\[[^\]\\]*\]\((?!https://example\.org/)", row)
    assert not re.search(r"@(?!\u200b)\w", row), "a GitHub user would be mentioned"


def test_md_text_escapes_inline_specials() -> None:
    assert md_text("*a* _b_ `c` [d] |e| ~f~ \\g") == (
        "\\*a\\* \\_b\\_ \\`c\\` \\[d\\] \\|e\\| \\~f\\~ \\\\g"
    )
    assert md_text("<b>&amp;</b>") == "&lt;b&gt;&amp;amp;&lt;/b&gt;"


def test_problems_first_then_most_cited() -> None:
    md = render(sample_report(), "md")
    ids = [_cells(r)[0] for r in _table_rows(md)[1:]]
    # lost, broken, rescued (16 uses before 4), unarchived
    assert ids == ["3", "28", "16", "6", "4"]
    assert md.index("Needs attention") < md.index("Fixes to paste") < md.index("Could not be")


def test_only_http_links() -> None:
    md = render(sample_report(), "md")
    for target in re.findall(r"\]\(([^)]*)\)", md):
        assert target.startswith(("https://", "http://")), target


def test_rescued_fix_is_pasteable_from_the_summary() -> None:
    md = render(sample_report(), "md")
    # Outside a table a pipe needs no escape: a backslash would be pasted into the wikitext.
    assert ("`|archive-url=https://web.archive.org/web/20230914083012/https://www.rbc.ru/"
            "politics/13/09/2023/vmeste-v-borbe |archive-date=2023-09-14 |url-status=dead`"
            ) in md
    fixes = md[md.index("### Fixes to paste"):]
    assert "\\|" not in fixes


def test_long_lists_are_cut() -> None:
    results = [_lost(str(i), f"title {i}") for i in range(1, MAX_ROWS + 21)]
    md = render(_report(results), "md")
    assert len(_table_rows(md)) == MAX_ROWS + 1
    assert "…and 20 more: see report.html." in md


def test_healthy_report_is_one_line_of_news() -> None:
    ok = result(Reference(id="1", title="t", url="https://example.org/"),
                live(LiveStatus.OK, 200), ArchiveResult(status=ArchiveStatus.ARCHIVED))
    md = render(_report([ok]), "md")
    assert "**1 reference: 0 lost · 0 rescued · 1 healthy**" in md
    assert "Nothing needs fixing." in md
    assert "|" not in md
