"""What a run imports before it knows what it needs: the report writers come with their
format (the HTML one brings Jinja2, the JUnit one ElementTree), not with the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, timeout=60,
        cwd=Path(__file__).resolve().parent.parent,  # the project root: tests.golden imports
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_the_command_line_does_not_import_the_html_or_junit_writers() -> None:
    loaded = _modules_after("import verifier.cli.app")
    assert "verifier.report" in loaded
    assert not {"jinja2", "verifier.report.html", "verifier.report.junit"} & loaded


def test_a_writer_is_imported_when_its_format_is_written(tmp_path: Path) -> None:
    # In a fresh interpreter: this one has imported every writer already.
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tests.golden.sample import sample_report\n"
        "from verifier.report import write_reports\n"
        f"write_reports(sample_report(), Path({str(tmp_path)!r}), ['json'])\n"
        "assert 'verifier.report.html' not in sys.modules, 'html writer loaded for json'\n"
        f"write_reports(sample_report(), Path({str(tmp_path)!r}), ['html', 'junit'])"
    )
    loaded = _modules_after(code)
    assert {"verifier.report.html", "verifier.report.junit", "jinja2"} <= loaded
    assert "<testsuite" in (tmp_path / "report.junit.xml").read_text(encoding="utf-8")
    assert "<html" in (tmp_path / "report.html").read_text(encoding="utf-8").lower()
    assert (tmp_path / "report.json").is_file()
