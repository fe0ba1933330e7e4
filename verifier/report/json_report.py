"""report.json: the contract's machine-readable report (shared/CONTRACT.md, "Output")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..jsontext import dumps_indented
from ..model import Report


def render_json(report: Report) -> str:
    return "".join(stream_json(report))


def stream_json(report: Report) -> Iterator[str]:
    """The report in pieces, one reference at a time, so that a report of 20,000
    references is never one string in memory; the text is exactly ``dumps_indented(
    report.to_dict())``'s (a test pins that)."""
    # An empty list in the header's place marks where the references go.
    head, tail = dumps_indented({**report.header_dict(), "references": []}).rsplit("[]", 1)
    yield head + "["
    for index, result in enumerate(report.results):
        # One level deeper in the document: each reference at level 2.
        yield ("," if index else "") + "\n    " + _nested(result.to_dict(), 2)
    yield ("\n  ]" if report.results else "]") + tail + "\n"


def _nested(value: Any, level: int) -> str:
    """``value`` indented as if it stood ``level`` levels deep in a document: the
    lines after the first moved right (a JSON string holds no raw newline)."""
    return dumps_indented(value).replace("\n", "\n" + "  " * level)
