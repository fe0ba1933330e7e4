"""What a run imports before it knows what it needs: the report writers come with their
format (the HTML one brings Jinja2, the JUnit one ElementTree), not with the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.golden.sample import sample_report
from verifier.report import write_reports


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_the_command_line_does_not_import_the_html_or_junit_writers() -> None:
    loaded = _modules_after("import verifier.cli.app")
    assert "verifier.report" in loaded
    assert not {"jinja2", "verifier.report.html", "verifier.report.junit"} & loaded


def test_writing_a_format_imports_its_writer(tmp_path: Path) -> None:
    write_reports(sample_report(), tmp_path, ["html", "junit"])
    assert "<testsuite" in (tmp_path / "report.junit.xml").read_text(encoding="utf-8")
    assert "<html" in (tmp_path / "report.html").read_text(encoding="utf-8").lower()
    assert "verifier.report.html" in sys.modules
