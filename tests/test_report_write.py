"""write_reports: the one place that names and writes report files, atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.sample import sample_report
from verifier.errors import InputError
from verifier.report import FORMATS, render, write_reports


def test_json_is_always_written(tmp_path: Path) -> None:
    paths = write_reports(sample_report(), tmp_path, ["html"])
    assert [p.name for p in paths] == ["report.json", "report.html"]
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["summary"]


def test_every_format_with_its_name_and_content(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "reports"  # created as needed
    report = sample_report()
    paths = write_reports(report, out, ["md", "junit", "csv", "json", "html", "md"])
    names = sorted(p.name for p in paths)
    assert names == sorted(
        ["report.json", "report.md", "report.junit.xml", "report.csv", "report.html"]
    )
    for fmt, name in [("md", "report.md"), ("csv", "report.csv"), ("html", "report.html")]:
        with (out / name).open(encoding="utf-8", newline="") as handle:
            assert handle.read() == render(report, fmt)
    assert sorted(p.name for p in out.iterdir()) == names, "no temporary files left behind"


def test_unknown_format_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text("previous", encoding="utf-8")
    with pytest.raises(InputError, match="unknown report format 'pdf'"):
        write_reports(sample_report(), tmp_path, ["html", "pdf"])
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_failed_write_keeps_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "report.json").write_text("previous", encoding="utf-8")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("verifier.report.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_reports(sample_report(), tmp_path, [])
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_formats_constant() -> None:
    assert FORMATS == ("html", "json", "md", "csv", "junit")
