"""Every format rendered from the fixed sample equals its golden file.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_report_golden.py``
and review the diff: the goldens are what users see.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.golden.sample import no_url_report, offline_report, sample_report
from verifier.fixes import render_fixes
from verifier.model import Report
from verifier.report import FILE_NAMES, FORMATS, render

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

SAMPLES: dict[str, Callable[[], Report]] = {
    "sample": sample_report,
    "offline": offline_report,
    "no-url": no_url_report,
}

CASES = [(name, fmt) for fmt in FORMATS for name in ("sample",)] + [
    ("offline", "md"),
    ("offline", "html"),
    ("no-url", "md"),
]


def _check(text: str, path: Path) -> None:
    if UPDATE:
        path.write_text(text, encoding="utf-8", newline="")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 to create it"
    with path.open(encoding="utf-8", newline="") as handle:  # keep CSV's CRLF as written
        expected = handle.read()
    assert text == expected, f"{path.name} differs from the golden file (UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize(("sample", "fmt"), CASES)
def test_format_matches_golden(sample: str, fmt: str) -> None:
    _check(render(SAMPLES[sample](), fmt), GOLDEN / f"{sample}.{FILE_NAMES[fmt]}")


def test_fixes_match_golden() -> None:
    _check(render_fixes(sample_report()), GOLDEN / "sample.fixes.txt")


