"""report.csv: one row per reference, for spreadsheets.

UTF-8 without a byte-order mark, CRLF line ends (RFC 4180). Text that a spreadsheet would
run as a formula (a title or URL from the web starting with ``=``, ``+``, ``-``, ``@``, or a
tab or carriage return) gets a leading ``'`` so it stays text.
"""

from __future__ import annotations

import csv
import io

from ..model import ReferenceResult, Report
from ..verdict import fix_params, snapshot_date
from .common import one_line

COLUMNS = (
    "id",
    "title",
    "work",
    "url",
    "uses",
    "verdict",
    "live_status",
    "http_status",
    "final_url",
    "archive_status",
    "snapshot_url",
    "snapshot_date",
    "cited_archive",
    "action",
    "fix",
    "failing",
    "dead_since",
    "failing_streak",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    failing = set(report.failing)
    for result in report.results:
        writer.writerow([_cell(v) for v in _row(result, failing)])
    return buffer.getvalue()


def _row(result: ReferenceResult, failing: set[str]) -> list[object]:
    ref, live, archive = result.reference, result.live, result.archive
    return [
        ref.id,
        ref.title,
        ref.work,
        ref.url,
        ref.uses,
        result.verdict,
        live.status,
        live.http_status,
        live.final_url,
        archive.status,
        archive.snapshot_url,
        snapshot_date(archive.snapshot_timestamp),
        archive.cited_archive,
        result.action,
        fix_params(result.fix),
        "yes" if ref.id in failing else "no",
        result.dead_since,
        result.failing_streak,
    ]


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value  # numbers we produced ourselves; never a formula
    text = one_line(value)  # a cell is one line: no newlines or control characters
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
