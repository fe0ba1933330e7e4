"""The main job's options act on the main job: before a subcommand they are refused (one
line, exit 2), never silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli.app import main


def refs_file(tmp_path: Path) -> Path:
    path = tmp_path / "references.json"
    path.write_text('{"source": {"title": "T"}, "references": []}', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("before", "named"),
    [
        (["--save", "--no-archive"], "--no-archive, --save: options of the main job"),
        (["--fail-on", "unverified"], "--fail-on: an option of the main job"),
        (["--no-progress"], "--no-progress: an option"),
        (["--timeout", "5"], "--timeout: an option"),
    ],
)
def test_main_job_options_before_a_subcommand_are_refused(
    tmp_path: Path, before: list[str], named: str
) -> None:
    result = CliRunner().invoke(main, [*before, "lint", str(refs_file(tmp_path))])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert named in lines[0] and "`lint`" in lines[0]


def test_a_subcommand_alone_still_runs(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["lint", str(refs_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "0 issue(s)" in result.output


def test_the_subcommands_own_options_still_work(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "--json", str(refs_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "[]"
