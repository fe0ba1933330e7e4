"""--exclude, --include and the ignore file at the command line, on loopback sites and a
loopback archive: an excluded reference is neither fetched nor looked up in an archive,
the reports say why, and it never fails the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import sites
from tests.loopback import LoopbackServer
from tests.test_e2e import TITLE, common_args, write_refs
from tests.wayback_server import WaybackServer
from verifier.cli.app import main


def refs_of(tmp_path: Path, server: LoopbackServer) -> Path:
    return write_refs(
        tmp_path / "references.json",
        [
            {"id": "1", "title": TITLE, "url": sites.article(server, "/kept", TITLE)},
            {"id": "2", "title": TITLE, "url": sites.not_found(server, "/private/gone")},
        ],
    )


def asked_about(server: LoopbackServer, wayback: WaybackServer, path: str) -> bool:
    """Whether the site, or the archive (in any query or body), heard of ``path``."""
    if server.hits_for(path):
        return True
    return any(
        path in h.raw_path or path.encode() in h.body or path.replace("/", "%2F") in h.raw_path
        for h in wayback.http.hits
    )


def entries(out: Path) -> dict[str, dict]:
    report = json.loads((out / "report.json").read_text("utf-8"))
    return {r["id"]: r for r in report["references"]}


def test_an_excluded_url_is_not_fetched_nor_looked_up_and_never_fails(
    tmp_path: Path, server: LoopbackServer, wayback: WaybackServer, probe: LoopbackServer
) -> None:
    refs = refs_of(tmp_path, server)
    out = tmp_path / "out"
    args = ["--refs", str(refs), *common_args(out, probe, wayback)]
    args += ["--report", "md", "--report", "html"]
    result = CliRunner().invoke(
        main, [*args, "--exclude", "/private/", "--fail-on", "unverified", "--fail-on", "lost"]
    )
    assert result.exit_code == 0, result.output
    assert not asked_about(server, wayback, "/private/gone")
    assert server.hits_for("/kept")  # the other reference was checked
    excluded = entries(out)["2"]
    assert excluded["verdict"] == "unverified"
    assert excluded["live"]["status"] == "unsafe"
    assert excluded["live"]["excluded"] is True
    assert excluded["live"]["detail"] == "excluded by --exclude '/private/': not fetched"
    assert excluded["archive"]["status"] == "not-checked"
    assert "1 excluded from checking (not fetched)" in (out / "report.md").read_text("utf-8")
    html = (out / "report.html").read_text("utf-8")
    assert "excluded by --exclude &#39;/private/&#39;: not fetched</small>" in html
    assert "1 excluded from checking" in result.stdout
    assert "needs you" not in result.stdout
    assert "excluded" not in json.dumps(entries(out)["1"]["live"])


def test_without_the_exclusion_the_same_run_fetches_it_and_fails(
    tmp_path: Path, server: LoopbackServer, wayback: WaybackServer, probe: LoopbackServer
) -> None:
    """The test above can fail: without --exclude the URL is asked and the run is lost."""
    refs = refs_of(tmp_path, server)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--refs", str(refs), *common_args(out, probe, wayback)])
    assert result.exit_code == 1, result.output
    assert asked_about(server, wayback, "/private/gone")
    assert entries(out)["2"]["verdict"] == "lost"


def test_the_ignore_file_in_the_working_directory_and_include_winning(
    tmp_path: Path,
    server: LoopbackServer,
    wayback: WaybackServer,
    probe: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refs = refs_of(tmp_path, server)
    monkeypatch.chdir(tmp_path)
    # Loopback sites all share one host: the ignore file names both paths' host...
    (tmp_path / ".verify-refs-ignore").write_text("# everything local\n127.0.0.1\n", "utf-8")
    out = tmp_path / "out"
    args = ["--refs", str(refs), *common_args(out, probe, wayback)]
    result = CliRunner().invoke(main, [*args, "--include", "/kept$"])
    assert result.exit_code == 0, result.output
    got = entries(out)
    # ...and --include takes one of them back (live, no capture of it).
    assert got["1"]["verdict"] == "unarchived"
    assert got["2"]["live"]["detail"] == (
        "excluded by .verify-refs-ignore line 2 '127.0.0.1': not fetched"
    )
    assert not asked_about(server, wayback, "/private/gone")


def test_a_named_ignore_file_replaces_the_default_and_must_exist(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    refs = refs_of(tmp_path, server)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".verify-refs-ignore").write_text("/kept\n", "utf-8")
    named = tmp_path / "skip.txt"
    named.write_text("/private/\n", "utf-8")
    out = tmp_path / "out"
    args = ["--refs", str(refs), *common_args(out, probe, None), "--no-archive"]
    result = CliRunner().invoke(main, [*args, "--ignore-file", str(named)])
    assert result.exit_code == 0, result.output
    got = entries(out)
    assert got["1"]["verdict"] == "healthy"
    assert got["2"]["live"]["excluded"] is True

    missing = CliRunner().invoke(main, [*args, "--ignore-file", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert missing.output.count("\n") == 1 and "nope" in missing.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--exclude", "(unclosed"], "--exclude: not a regular expression: '(unclosed'"),
        (["--include", ""], "--include: an empty pattern"),
    ],
)
def test_a_bad_pattern_is_one_line_exit_2(tmp_path: Path, args: list[str], said: str) -> None:
    result = CliRunner().invoke(main, ["--out", str(tmp_path / "o"), *args])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1, result.output
    assert said in result.output
    assert not (tmp_path / "o").exists()


def test_a_bad_line_of_the_ignore_file_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "ignore"
    bad.write_text("ok.example\n[oops\n", "utf-8")
    result = CliRunner().invoke(main, ["--ignore-file", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert f"{bad} line 2: not a regular expression" in result.output


def test_dump_leaves_out_what_is_excluded(
    tmp_path: Path, server: LoopbackServer
) -> None:
    refs = refs_of(tmp_path, server)
    result = CliRunner().invoke(main, ["--refs", str(refs), "--dump", "--exclude", "/private/"])
    assert result.exit_code == 0, result.output
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["1"]
    assert "1 excluded from checking, not listed" in result.stderr
    assert not server.hits
