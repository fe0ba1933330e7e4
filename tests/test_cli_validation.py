"""Options are checked as they are parsed: a useless value is one line and exit 2 before
anything runs (no report, no history, no request), on every command that has the option.
An unwritable --out is found before any check and named as the user gave it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import sites
from tests.loopback import LoopbackServer
from verifier.cli.app import main


def refs_file(tmp_path: Path, records: list[dict] | None = None) -> Path:
    path = tmp_path / "references.json"
    full = [{"authors": [], "uses": 1, **r} for r in records or []]
    path.write_text(json.dumps({"source": {"title": "T"}, "references": full}), encoding="utf-8")
    return path


def assert_one_line_usage_error(result, *named: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for word in named:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--online-probe", "notaurl", "not an http(s) URL: 'notaurl'"),
        ("--save-keys", "nocolon", "expected ACCESS:SECRET"),
        ("--wayback-url", "ftp://x", "not an http(s) URL: 'ftp://x'"),
        ("--wayback-url", "http://", "not an http(s) URL"),
        ("--memento-archive", "xyz", "neither an http(s) address nor one of"),
        ("--memento-archive", "ftp://archive.example/{url}", "neither an http(s) address"),
        ("--api", "nourl", "not an http(s) URL: 'nourl'"),
    ],
)
def test_a_useless_main_job_option_is_one_line_exit_2_and_nothing_runs(
    tmp_path: Path, option: str, value: str, said: str
) -> None:
    out = tmp_path / "reports"
    args = ["--refs", str(refs_file(tmp_path)), "--out", str(out), option, value]
    result = CliRunner().invoke(main, args)
    assert_one_line_usage_error(result, option, said)
    assert not out.exists(), "nothing written: no report, no history"


def test_the_save_keys_are_not_echoed_back(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--save-keys", "s3cr3t-without-colon", "--out",
                                       str(tmp_path / "r")])
    assert_one_line_usage_error(result, "--save-keys")
    assert "s3cr3t" not in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["parse", "https://en.wikipedia.org/wiki/X"],
        ["fix", "https://en.wikipedia.org/wiki/X"],
    ],
)
def test_every_api_option_is_checked_the_same_way(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--api", "nourl"])
    assert_one_line_usage_error(result, "--api", "not an http(s) URL: 'nourl'")


@pytest.mark.parametrize(
    "value",
    [
        "archive.today", "arquivo.pt", "loc", "ukwa", "archive-it", "ARCHIVE.TODAY",
        "http://127.0.0.1:9/pywb",  # a base URL
        "https://archive.example/timemap/link/{url}",  # a TimeMap template
    ],
)
def test_memento_presets_base_urls_and_templates_stay_accepted(
    tmp_path: Path, value: str
) -> None:
    out = tmp_path / "reports"
    args = ["--refs", str(refs_file(tmp_path)), "--out", str(out), "--no-progress",
            "--online-probe", "http://127.0.0.1:9/", "--memento-archive", value]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (out / "report.json").is_file()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--api", "https://{lang}.wikipedia.org/w/api.php"),
        ("--api", "http://127.0.0.1:9/w/api.php"),
        ("--wayback-url", "http://127.0.0.1:9/"),
        ("--online-probe", "https://example.org/"),
    ],
)
def test_good_urls_pass(tmp_path: Path, option: str, value: str) -> None:
    out = tmp_path / "reports"
    args = ["--refs", str(refs_file(tmp_path)), "--out", str(out), "--no-progress",
            "--no-archive", "--online-probe", "http://127.0.0.1:9/", option, value]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


def test_an_unknown_option_is_one_line_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "--bogus"])
    assert_one_line_usage_error(result, "--bogus", "lint --help")


@pytest.mark.parametrize("history", [[], ["--no-history"]])
def test_an_unwritable_out_is_found_before_any_check_and_named_as_given(
    tmp_path: Path, server: LoopbackServer, history: list[str]
) -> None:
    url = sites.article(server, "/story", "A story")
    refs = refs_file(tmp_path, [{"id": "1", "title": "A story", "url": url}])
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "a-file" / "reports"  # under a file: no one can make it, root neither
    args = ["--refs", str(refs), "--out", str(out), "--no-archive", "--no-progress",
            "--allow-network", "127.0.0.0/8", "--online-probe", server.url("/"), *history]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"{out}: cannot write the reports there" in lines[0]
    assert ".tmp" not in lines[0] and "history" not in lines[0]
    assert server.hits_for("/story") == [], "no reference was checked"
