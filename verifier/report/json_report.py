"""report.json: the contract's machine-readable report (shared/CONTRACT.md, "Output")."""

from __future__ import annotations

import json

from ..model import Report


def render_json(report: Report) -> str:
    # Non-ASCII kept as is: the titles are Cyrillic and CJK, and people read this file too.
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
