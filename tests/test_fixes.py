"""Fixes for editors: CS1 parameters for rescued references, Save Page Now for unarchived;
and ``verify-refs fixes`` reading the last run's report.json."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.golden.sample import live, result, sample_report
from verifier.cli.fixes_cmd import fixes
from verifier.fixes import render_fixes
from verifier.model import ArchiveResult, ArchiveStatus, LiveStatus, Reference, Report
from verifier.report import write_reports


def _blocks(text: str) -> dict[str, str]:
    """Reference id -> its block of lines."""
    out = {}
    for block in text.split("\n\n"):
        if block.startswith("["):
            out[block[1:block.index("]")]] = block
    return out


def test_rescued_gets_exact_cs1_parameters() -> None:
    blocks = _blocks(render_fixes(sample_report()))
    assert blocks["16"].splitlines()[-1] == (
        "    |archive-url=https://web.archive.org/web/20230914083012/"
        "https://www.rbc.ru/politics/13/09/2023/vmeste-v-borbe"
        " |archive-date=2023-09-14 |url-status=dead"
    )
    assert blocks["16"].startswith("[16] «Вместе в борьбе против империализма»")
    assert "(cited 16 times)" in blocks["16"]
    assert blocks["6"].endswith("|url-status=usurped")  # drifted page: usurped


def test_unarchived_gets_save_page_now_link() -> None:
    blocks = _blocks(render_fixes(sample_report()))
    assert blocks["4"].splitlines()[-1] == (
        "    https://web.archive.org/save/https://example.org/a?b=1&c=%222%22%3Cx%3E"
    )


def test_only_rescued_and_unarchived_are_listed() -> None:
    report = sample_report()
    wanted = {r.reference.id for r in report.results if str(r.verdict) in ("rescued", "unarchived")}
    assert set(_blocks(render_fixes(report))) == wanted


def test_nothing_to_paste() -> None:
    ok = result(Reference(id="1", title="t", url="https://example.org/"),
                live(LiveStatus.OK, 200), ArchiveResult(status=ArchiveStatus.ARCHIVED))
    text = render_fixes(Report(generated_at="", source={}, results=[ok]))
    assert text.startswith("Nothing to paste")


def test_terminal_escape_sequences_are_removed() -> None:
    title = "evil\x1b]0;pwned\x07\x1b[2J title\u202ereversed\nsecond line"
    res = result(Reference(id="9", title=title, url="https://example.org/"),
                 live(LiveStatus.OK, 200), ArchiveResult(status=ArchiveStatus.MISSING))
    text = render_fixes(Report(generated_at="", source={}, results=[res]))
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "second line" in _blocks(text)["9"].splitlines()[0]


def test_fixes_command_prints_the_fixes(tmp_path: Path) -> None:
    report = sample_report()
    write_reports(report, tmp_path, [])
    run = CliRunner().invoke(fixes, ["--from", str(tmp_path / "report.json")])
    assert run.exit_code == 0, run.output
    assert run.output == render_fixes(report)


def test_fixes_command_defaults_to_reports_report_json(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_reports(sample_report(), tmp_path / "reports", [])
    run = CliRunner().invoke(fixes, [])
    assert run.exit_code == 0
    assert "|url-status=dead" in run.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such report"),
        ("{oops", "not JSON"),
        ('{"references": [7]}', "expected an object"),
    ],
)
def test_fixes_command_bad_input_is_exit_2_one_line(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    run = CliRunner().invoke(fixes, ["--from", str(path)])
    assert run.exit_code == 2
    assert message in run.output
    assert run.output.count("\n") == 1, "one line, no traceback"
    assert "Traceback" not in run.output
