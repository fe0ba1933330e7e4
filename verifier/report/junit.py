"""report.junit.xml: one test case per reference, so CI systems list the problems natively.

A reference under the failing policy (``Report.failing``) is a failure; one that could not
be checked (unverified, no URL) is skipped with the reason; every other one passes.
Characters XML 1.0 cannot carry (controls, lone surrogates) are dropped, the rest escaped
by ElementTree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model import ReferenceResult, Report, Verdict
from ..verdict import fix_params, snapshot_date
from .common import warnings

SUITE_NAME = "verify-refs"

# Everything outside XML 1.0's Char production.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_SKIPPED = (Verdict.UNVERIFIED, Verdict.NO_URL)


def xml_text(value: object) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def render_junit(report: Report) -> str:
    failing = set(report.failing)
    cases = [_case(r, r.reference.id in failing) for r in report.results]
    failures = sum(1 for c in cases if c.find("failure") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    article = xml_text(report.source.get("title") or "references")
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0",
              "skipped": str(skipped)}
    root = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = ET.SubElement(
        root, "testsuite", {"name": f"{SUITE_NAME}: {article}", **counts,
                            "timestamp": xml_text(report.generated_at), "time": "0"}
    )
    suite.extend(cases)
    said = warnings(report)
    if said:  # the run could not do all its work (offline, archive down): CI shows this
        ET.SubElement(suite, "system-err").text = xml_text("\n".join(said))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _case(result: ReferenceResult, is_failing: bool) -> ET.Element:
    ref = result.reference
    name = f"[{ref.id}] {ref.title or '(untitled)'}"
    case = ET.Element(
        "testcase", {"classname": "references", "name": xml_text(name), "time": "0"}
    )
    message = xml_text(f"{result.verdict}: {result.action}")
    if is_failing:
        failure = ET.SubElement(case, "failure", {"type": str(result.verdict), "message": message})
        failure.text = _details(result)
    elif result.verdict in _SKIPPED:
        ET.SubElement(case, "skipped", {"message": message})
    if not is_failing:
        out = ET.SubElement(case, "system-out")
        out.text = _details(result)
    return case


def _details(result: ReferenceResult) -> str:
    ref, live, archive = result.reference, result.live, result.archive
    lines = [
        f"verdict: {result.verdict}",
        f"action: {result.action}",
        f"url: {ref.url or '-'}",
        f"cited {ref.uses} times",
        "live: " + " ".join(
            str(p) for p in (live.status, live.http_status, live.final_url, live.detail) if p
        ),
        "archive: " + " ".join(
            str(p)
            for p in (archive.status, archive.snapshot_url,
                      snapshot_date(archive.snapshot_timestamp), archive.detail)
            if p
        ),
    ]
    if result.dead_since:
        lines.append(f"failing since {result.dead_since} ({result.failing_streak} checks)")
    if result.fix:
        lines.append("fix: " + fix_params(result.fix))
    return xml_text("\n".join(lines))
