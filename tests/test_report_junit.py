"""report.junit.xml: one test case per reference; failures are the failing policy's."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from tests.golden.sample import live, result, sample_report
from verifier.model import ArchiveResult, ArchiveStatus, LiveStatus, Reference, Report
from verifier.report import render


def _parse(report: Report) -> ET.Element:
    return ET.fromstring(render(report, "junit").encode("utf-8"))


def test_one_testcase_per_reference_and_failures_by_policy() -> None:
    report = sample_report()
    root = _parse(report)
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == len(report.results)
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == [
        f"[{r.reference.id}] {r.reference.title}" for r in report.results
        if r.reference.id in report.failing
    ]
    assert root.get("failures") == str(len(report.failing))
    assert root.find("testsuite").get("tests") == str(len(report.results))


def test_a_wider_policy_fails_more_cases() -> None:
    report = sample_report()
    report = replace(
        report, failing=[r.reference.id for r in report.results if str(r.verdict) != "healthy"]
    )
    root = _parse(report)
    assert root.get("failures") == str(len(report.results) - 1)


def test_unverified_and_no_url_are_skipped_when_not_failing() -> None:
    root = _parse(sample_report())
    skipped = {c.get("name").split("]")[0][1:] for c in root.iter("testcase")
               if c.find("skipped") is not None}
    assert skipped == {"5", "40", "41", "27"}


@pytest.mark.parametrize(
    "title",
    [
        "<script>alert(1)</script> & \"quotes\" ]]> <![CDATA[",
        "bell\x07 escape\x1b null\x00 vertical\x0b form\x0c",
        "lone surrogate \ud800 and \ufffe\uffff",
        "韓国統一相、北朝鮮とロシア — Ким Чен Ын 🚂",
    ],
)
def test_any_title_gives_well_formed_xml(title: str) -> None:
    res = result(Reference(id="1", title=title, url="https://example.org/"),
                 live(LiveStatus.DEAD, 404), ArchiveResult(status=ArchiveStatus.MISSING))
    report = Report(generated_at="2024-01-01T00:00:00+00:00", source={}, results=[res],
                    failing=["1"])
    case = _parse(report).find("./testsuite/testcase")
    name = case.get("name")
    assert name.startswith("[1] ")
    invalid = "\ud800\ufffe\uffff"
    kept = "".join(c for c in title if c in "\t\n\r" or (c >= " " and c not in invalid))
    assert name == f"[1] {kept}"
    assert case.find("failure").get("type") == "lost"
