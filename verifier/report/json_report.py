"""report.json: the contract's machine-readable report (shared/CONTRACT.md, "Output")."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from typing import Any

from ..model import Report


def render_json(report: Report) -> str:
    return "".join(stream_json(report))


def stream_json(report: Report) -> Iterator[str]:
    """The report in pieces, one reference at a time, so that a report of 20,000
    references is never one string in memory; the text is exactly ``json.dumps(
    report.to_dict(), indent=2)``'s (a test pins that)."""
    # An empty list in the header's place marks where the references go.
    head, tail = _dumps({**report.header_dict(), "references": []}).rsplit("[]", 1)
    yield head + "["
    for index, result in enumerate(report.results):
        # One level deeper in the document: two more levels of two spaces.
        yield ("," if index else "") + "\n" + textwrap.indent(_dumps(result.to_dict()), "    ")
    yield ("\n  ]" if report.results else "]") + tail + "\n"


def _dumps(data: Any) -> str:
    # Non-ASCII kept as is: the titles are Cyrillic and CJK, and people read this file too.
    return json.dumps(data, ensure_ascii=False, indent=2)
