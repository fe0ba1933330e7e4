"""report.csv: one row per reference, UTF-8 without BOM, formulas defused."""

from __future__ import annotations

import csv
import io

import pytest

from tests.golden.sample import live, result, sample_report
from verifier.model import ArchiveResult, ArchiveStatus, LiveStatus, Reference, Report
from verifier.report import render
from verifier.report.csv_report import COLUMNS


def _rows(report: Report) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render(report, "csv"), newline="")))


def _one(title: str) -> Report:
    res = result(Reference(id="1", title=title, url="https://example.org/"),
                 live(LiveStatus.OK, 200), ArchiveResult(status=ArchiveStatus.ARCHIVED))
    return Report(generated_at="2024-01-01T00:00:00+00:00", source={}, results=[res])


def test_one_row_per_reference_in_input_order() -> None:
    report = sample_report()
    rows = _rows(report)
    assert [r["id"] for r in rows] == [r.reference.id for r in report.results]
    assert list(rows[0]) == list(COLUMNS)
    assert [r["verdict"] for r in rows] == [str(r.verdict) for r in report.results]


def test_utf8_without_bom_and_crlf_rows() -> None:
    text = render(sample_report(), "csv")
    assert not text.startswith("\ufeff")
    assert text.encode("utf-8").startswith(b"id,title,")
    assert text.count("\r\n") == len(sample_report().results) + 1


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        ('=HYPERLINK("http://evil.example/","x")', "'=HYPERLINK(\"http://evil.example/\",\"x\")"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'=1+1"),  # the tab is a control character: removed, then defused
        ("Путин, Ким и санкции", "Путин, Ким и санкции"),
        ("a = b", "a = b"),
        ("line one\nline two", "line one line two"),
    ],
)
def test_formula_injection_is_defused(title: str, cell: str) -> None:
    assert _rows(_one(title))[0]["title"] == cell


def test_failing_column_follows_the_policy() -> None:
    report = sample_report()
    rows = {r["id"]: r["failing"] for r in _rows(report)}
    assert {i for i, v in rows.items() if v == "yes"} == set(report.failing)


def test_rescued_row_carries_the_fix() -> None:
    rows = {r["id"]: r for r in _rows(sample_report())}
    assert rows["16"]["fix"].startswith("|archive-url=https://web.archive.org/web/20230914083012/")
    assert rows["16"]["snapshot_date"] == "2023-09-14"
    assert rows["6"]["fix"].endswith("|url-status=usurped")
