"""What the terminal is told: --dump lists what would be checked and checks nothing; -v
a line per reference as it is checked; -q nothing but errors; and at the end of every run
the references that need the user, each with its reason — not only counts."""

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


@pytest.fixture
def mixed(tmp_path: Path, server: LoopbackServer, wayback: WaybackServer) -> Path:
    healthy = sites.article(server, "/healthy", TITLE)
    lost = sites.not_found(server, "/lost")
    blocked = sites.bot_wall(server, "/blocked")
    wayback.add(healthy, "20230913120000", title=TITLE)
    return write_refs(
        tmp_path / "references.json",
        [
            {"id": "1", "title": TITLE, "url": healthy,
             "archive_url": f"{wayback.base}/web/20230913120000/{healthy}"},
            {"id": "2", "title": "Gone story", "url": lost},
            {"id": "3", "title": "Walled story", "url": blocked},
            {"id": "4", "title": "No link", "url": None},
        ],
    )


def invoke(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_dump_lists_every_reference_and_checks_nothing(
    tmp_path: Path, mixed: Path, server: LoopbackServer, wayback: WaybackServer,
    probe: LoopbackServer,
) -> None:
    out = tmp_path / "reports"
    result = invoke(["--refs", str(mixed), *common_args(out, probe, wayback), "--dump"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    healthy = server.url("/healthy")
    assert rows == [
        ["1", healthy, f"{wayback.base}/web/20230913120000/{healthy}"],
        ["2", server.url("/lost"), "-"],
        ["3", server.url("/blocked"), "-"],
        ["4", "-", "-"],
    ]
    assert result.stderr == ""
    assert server.hits_for("/healthy") == [] and server.hits_for("/lost") == []
    assert probe.hits_for("/") == [], "not even the online probe"
    assert not out.exists(), "no report, no history"


def test_dump_of_a_bad_file_is_still_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "references.json"
    bad.write_text("{", encoding="utf-8")
    result = invoke(["--refs", str(bad), "--dump"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


def test_verbose_says_each_reference_once_as_it_is_checked(
    tmp_path: Path, mixed: Path, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    out = tmp_path / "reports"
    result = invoke(["--refs", str(mixed), *common_args(out, probe, wayback), "-v"])
    assert result.exit_code == 1, result.output  # the lost one fails the run
    checked = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert sorted(line.split("]")[0] for line in checked) == ["[1", "[2", "[3", "[4"]
    by_id = {line.split("]")[0][1:]: line for line in checked}
    assert by_id["1"].startswith("[1] healthy: http://")
    assert "lost" in by_id["2"] and "live dead 404" in by_id["2"]
    assert by_id["3"].startswith("[3] unverified") and "live blocked" in by_id["3"]
    assert by_id["4"] == "[4] no-url"


def test_without_verbose_no_line_per_reference(
    tmp_path: Path, mixed: Path, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    out = tmp_path / "reports"
    result = invoke(["--refs", str(mixed), *common_args(out, probe, wayback)])
    assert not [line for line in result.stderr.splitlines() if line.startswith("[")]


def test_the_end_of_a_run_lists_what_needs_the_user_with_reasons(
    tmp_path: Path, mixed: Path, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    out = tmp_path / "reports"
    result = invoke(["--refs", str(mixed), *common_args(out, probe, wayback)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    start = lines.index("needs you (2):")
    listed = lines[start + 1 : start + 3]
    assert listed[0].startswith('  [2] lost "Gone story": live dead 404')
    assert "archive missing" in listed[0] and "find a replacement" in listed[0]
    assert listed[1].startswith('  [3] unverified "Walled story": live blocked 403')
    assert "archive" not in listed[1].split(";")[0], "the archive did not decide it"
    assert not any("[1]" in line or "[4]" in line for line in lines), "healthy, no-url unlisted"


def test_broken_is_listed_when_the_archive_is_off(
    tmp_path: Path, mixed: Path, probe: LoopbackServer
) -> None:
    out = tmp_path / "reports"
    result = invoke(["--refs", str(mixed), *common_args(out, probe, None), "--no-archive"])
    assert result.exit_code == 1
    assert '  [2] broken "Gone story": live dead 404' in result.stdout
    assert "archive not-checked" not in result.stdout


def test_quiet_prints_nothing_but_errors(
    tmp_path: Path, mixed: Path, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    out = tmp_path / "reports"
    result = invoke(["--refs", str(mixed), *common_args(out, probe, wayback), "-q"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["failing by policy: 2"]
    assert (out / "report.json").is_file(), "quiet, but the reports are written"


def test_quiet_and_healthy_is_silent(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    url = sites.article(server, "/fine", TITLE)
    refs = write_refs(tmp_path / "references.json", [{"id": "1", "title": TITLE, "url": url}])
    out = tmp_path / "reports"
    result = invoke(["--refs", str(refs), *common_args(out, probe, None), "--no-archive", "-q"])
    assert result.exit_code == 0
    assert result.output == ""


def test_verbose_and_quiet_together_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-v", "-q", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: -v and -q: give one of them, not both"
    ]


def test_web_strings_cannot_drive_the_terminal(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    lost = sites.not_found(server, "/gone")
    refs = write_refs(
        tmp_path / "references.json",
        [{"id": "1", "title": "Red \x1b[31mtitle\x1b[0m\u202e", "url": lost}],
    )
    result = invoke(["--refs", str(refs), *common_args(tmp_path / "r", probe, None),
                     "--no-archive", "-v"])
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "Red  [31mtitle" in result.stdout


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    # `verify-refs --dump | head -1`: more lines than a pipe holds, and the reader leaves.
    import subprocess
    import sys

    records = [{"id": str(n), "title": f"T{n}", "url": f"https://example.org/{n}",
                "authors": [], "uses": 1} for n in range(1, 6001)]
    refs = tmp_path / "references.json"
    refs.write_text(json.dumps({"source": {"title": "T"}, "references": records}), "utf-8")
    exe = Path(sys.executable).with_name("verify-refs")
    proc = subprocess.Popen([str(exe), "--dump", "--refs", str(refs)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away with the rest unread
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, err  # as shells report SIGPIPE; not 1 ("failing")
    assert first.startswith(b"1\thttps://example.org/1")
    assert err == "", "no 'Broken pipe' error, no traceback"
