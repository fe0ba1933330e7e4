"""write_reports: the one place that names and writes report files, atomically."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import verifier.report as report_package
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
    # Named as the folder the user gave, not the temporary file it happened on.
    with pytest.raises(InputError, match=f"^{tmp_path}: cannot write the reports there: disk full"):
        write_reports(sample_report(), tmp_path, [])
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def _previous_reports(out: Path) -> dict[str, str]:
    previous = {name: f"previous {name}" for name in ("report.json", "report.html", "report.md")}
    for name, text in previous.items():
        (out / name).write_text(text, encoding="utf-8")
    return previous


def _files(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}


def test_a_renderer_failing_after_others_were_written_changes_no_report(
    tmp_path: Path, monkeypatch
) -> None:
    # json and html are written to temporary files first; md then fails.
    previous = _previous_reports(tmp_path)

    def fail(report: object) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(report_package._RENDERERS, "md", fail)
    with pytest.raises(RuntimeError, match="renderer bug"):
        write_reports(sample_report(), tmp_path, ["html", "md"])
    assert _files(tmp_path) == previous, "old reports kept, no temporary files left"


def test_a_page_failing_halfway_through_writing_changes_no_report(
    tmp_path: Path, monkeypatch
) -> None:
    previous = _previous_reports(tmp_path)

    def half_a_page(report: object) -> Iterator[str]:
        yield "<!doctype html>\n<p>the first half"
        raise OSError("disk full")

    monkeypatch.setitem(report_package._STREAMERS, "html", half_a_page)
    with pytest.raises(InputError, match="cannot write the reports there: disk full"):
        write_reports(sample_report(), tmp_path, ["md", "html"])
    assert _files(tmp_path) == previous, "old reports kept, no temporary files left"


def test_reports_are_readable_by_others(tmp_path: Path) -> None:
    for path in write_reports(sample_report(), tmp_path, ["html", "md"]):
        assert path.stat().st_mode & 0o777 == 0o644


def test_formats_constant() -> None:
    assert FORMATS == ("html", "json", "md", "csv", "junit")


def test_checking_the_out_folder_leaves_nothing_behind(tmp_path: Path) -> None:
    from verifier.report import check_out_dir

    check_out_dir(tmp_path)  # an existing folder: a temporary file, removed
    check_out_dir(tmp_path / "new" / "reports")  # still to be made: judged, not made
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"file/reports: cannot write the reports there"):
        check_out_dir(tmp_path / "file" / "reports")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_cannot_be_made_is_found_even_as_root() -> None:
    # Permission bits say "writable" to root; /proc refuses new folders to everyone.
    from verifier.report import check_out_dir

    with pytest.raises(InputError, match=r"^/proc/verify-refs-x/reports: cannot write"):
        check_out_dir(Path("/proc/verify-refs-x/reports"))
