"""End to end: the main job, run as a user runs it, against loopback sites and a loopback
Wayback-compatible archive. Every verdict appears in every report format, and the exit
status follows the failing policy."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import sites
from tests.loopback import LoopbackServer
from tests.wayback_server import WaybackServer
from verifier.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Kim Jong Un arrives in Russia for talks with Putin"


def write_refs(path: Path, records: list[dict]) -> Path:
    full = []
    for record in records:
        full.append({"authors": [], "uses": 1, **record})
    path.write_text(
        json.dumps({"source": {"title": "Test article", "language": "en"}, "references": full}),
        encoding="utf-8",
    )
    return path


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.output


def common_args(out: Path, probe: LoopbackServer, wayback: WaybackServer | None) -> list[str]:
    args = [
        "--out",
        str(out),
        "--allow-network",
        "127.0.0.0/8",
        "--timeout",
        "3",
        "--online-probe",
        probe.url("/"),
        "--archive-interval",
        "0",
        "--no-progress",
    ]
    if wayback is not None:
        args += ["--wayback-url", wayback.base]
    return args


@pytest.fixture
def every_verdict(tmp_path: Path, server: LoopbackServer, wayback: WaybackServer) -> Path:
    """One reference per verdict (but `broken`, which needs archive checks off)."""
    healthy = sites.article(server, "/healthy", TITLE)
    unarchived = sites.article(server, "/unarchived", TITLE)
    rescued = sites.not_found(server, "/rescued")
    lost = sites.not_found(server, "/lost")
    blocked = sites.bot_wall(server, "/blocked")
    wayback.add(healthy, "20230913120000", title=TITLE)
    wayback.add(rescued, "20230913120000", title=TITLE)
    return write_refs(
        tmp_path / "references.json",
        [
            {"id": "1", "title": TITLE, "url": healthy, "archive_date": "2023-09-14"},
            {"id": "2", "title": TITLE, "url": unarchived},
            {"id": "3", "title": TITLE, "url": rescued, "uses": 16, "archive_date": "2023-09-14"},
            {"id": "4", "title": TITLE, "url": lost},
            {"id": "5", "title": TITLE, "url": blocked},
            {"id": "6", "title": "存档副本", "url": None},
        ],
    )


ALL_FORMATS = ["--report", "html", "--report", "md", "--report", "csv", "--report", "junit"]
EXPECTED = {
    "1": "healthy",
    "2": "unarchived",
    "3": "rescued",
    "4": "lost",
    "5": "unverified",
    "6": "no-url",
}


def test_every_verdict_in_every_format(
    tmp_path: Path, every_verdict: Path, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    out = tmp_path / "reports"
    code, output = run(
        ["--refs", str(every_verdict), *common_args(out, probe, wayback), *ALL_FORMATS]
    )
    assert code == 1, output  # reference 4 is lost: the default policy fails the run

    report = json.loads((out / "report.json").read_text("utf-8"))
    verdicts = {r["id"]: r["verdict"] for r in report["references"]}
    assert verdicts == EXPECTED
    assert report["failing"] == ["4"]
    assert report["checker"]["online"] is True
    rescued = next(r for r in report["references"] if r["id"] == "3")
    assert rescued["live"]["status"] == "dead"
    assert rescued["archive"]["snapshot_timestamp"] == "20230913120000"
    assert rescued["fix"]["url-status"] == "dead"
    assert rescued["fix"]["archive-date"] == "2023-09-13"
    no_url = next(r for r in report["references"] if r["id"] == "6")
    assert {i["code"] for i in no_url["lint"]} == {"placeholder-title", "missing-url"}

    html = (out / "report.html").read_text("utf-8")
    markdown = (out / "report.md").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO((out / "report.csv").read_text("utf-8"))))
    junit = ET.fromstring((out / "report.junit.xml").read_text("utf-8"))
    csv_verdicts = {row["id"]: row["verdict"] for row in rows}
    assert csv_verdicts == EXPECTED
    failures = [
        tc.get("name", "") for tc in junit.iter("testcase") if tc.find("failure") is not None
    ]
    assert len(failures) == 1 and "4" in failures[0]
    assert len(list(junit.iter("testcase"))) == len(EXPECTED)
    for verdict in EXPECTED.values():
        assert verdict in html
    for verdict in ("rescued", "lost", "unarchived", "unverified"):
        assert verdict in markdown
    assert rescued["archive"]["snapshot_url"] in html


def test_broken_when_archive_checks_are_off(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    refs = write_refs(
        tmp_path / "refs.json",
        [{"id": "1", "title": TITLE, "url": sites.not_found(server, "/gone")}],
    )
    out = tmp_path / "out"
    code, output = run(["--refs", str(refs), "--no-archive", *common_args(out, probe, None)])
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["references"][0]["verdict"] == "broken"
    assert report["references"][0]["archive"]["status"] == "not-checked"
    # The contract: the default policy covers broken when archive checks are off.
    assert code == 1, output
    assert report["failing"] == ["1"]
    code, _ = run(
        ["--refs", str(refs), "--no-archive", "--fail-on", "lost", *common_args(out, probe, None)]
    )
    assert code == 0  # a policy the user names is theirs


def test_policy_decides_the_exit_status(
    tmp_path: Path, every_verdict: Path, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    out = tmp_path / "out"
    base = ["--refs", str(every_verdict), *common_args(out, probe, wayback)]
    assert run([*base, "--fail-on", "broken"])[0] == 0
    assert run([*base, "--fail-on", "unverified"])[0] == 1
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["failing"] == ["5"]


def test_history_reports_newly_lost_on_the_next_run(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    alive = {"ok": True}

    def flaky(_request):
        from tests.loopback import Reply, html_page

        return Reply(200, html_page(TITLE)) if alive["ok"] else Reply(404, "gone")

    url = server.route("/story", flaky)
    refs = write_refs(tmp_path / "refs.json", [{"id": "7", "title": TITLE, "url": url}])
    out = tmp_path / "out"
    args = ["--refs", str(refs), *common_args(out, probe, wayback)]
    assert run(args)[0] == 0
    alive["ok"] = False
    assert run(args)[0] == 1
    report = json.loads((out / "report.json").read_text("utf-8"))
    kinds = {c["kind"] for c in report["changes"]}
    assert {"newly-lost", "newly-dead"} <= kinds
    assert report["references"][0]["dead_since"] is not None
    # The trend comes from the history: both runs, oldest first, with what each concluded.
    assert [t["counts"] for t in report["trend"]] == [{"unarchived": 1}, {"lost": 1}]


def test_offline_checker_never_calls_a_link_dead(tmp_path: Path) -> None:
    """No probe answers (this machine's own situation): links are offline, exit 0."""
    refs = write_refs(
        tmp_path / "refs.json",
        [{"id": "1", "title": TITLE, "url": "https://www.example-news.test/story"}],
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["--refs", str(refs), "--out", str(out), "--no-archive", "--timeout", "2", "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["references"][0]["live"]["status"] == "offline"
    assert report["references"][0]["verdict"] == "unverified"
    assert report["checker"]["online"] is False
    assert "cannot reach the internet" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "refs.json:1"),
        ('{"source": {}, "references": [{"id": 5}]}', "refs.json"),
        ("", "refs.json"),
    ],
)
def test_bad_references_file_is_one_line_exit_2_and_writes_nothing(
    tmp_path: Path, content: str, message: str
) -> None:
    refs = tmp_path / "refs.json"
    refs.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--refs", str(refs), "--out", str(out)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_references_file_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--refs", str(tmp_path / "nope.json"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "nope.json" in result.output


@pytest.mark.parametrize(
    "args", [["--resolve", "nonsense"], ["--allow-network", "10.0.0.0/33"], ["--report", "pdf"]]
)
def test_bad_options_are_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2


def test_installed_command_runs_the_seed_main_job(tmp_path: Path) -> None:
    """The real entry point, as `make report` runs it, on the committed seed records."""
    exe = Path(sys.executable).with_name("verify-refs")
    if not exe.exists():
        pytest.skip("verify-refs is not installed in this environment")
    out = tmp_path / "reports"
    env = {**os.environ, "CI": "true"}
    result = subprocess.run(
        # The probe points at a refused loopback port: this subprocess is outside the test
        # network guard, and must not reach for the internet to find out it is offline.
        [str(exe), "--report", "html", "--out", str(out), "--no-history", *OFFLINE_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["summary"]["total"] == 44
    assert report["summary"]["by_verdict"] == {"no-url": 44}
    assert (out / "report.html").stat().st_size > 0


OFFLINE_PROBE = ["--online-probe", "http://127.0.0.1:9/"]
QUIET = ["--no-archive", "--no-progress", *OFFLINE_PROBE]


@pytest.mark.parametrize("command", [[], ["parse"], ["lint"], ["fixes"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 3


def test_refresh_urls_imports_the_live_articles_urls_before_checking(
    tmp_path: Path, server: LoopbackServer
) -> None:
    from tests.mediawiki_server import MediaWikiAPI, parser_output

    wiki = MediaWikiAPI(server)
    title, html = parser_output("zh.html")
    wiki.add("zh", title, html)
    refs = tmp_path / "references.json"
    refs.write_bytes((ROOT / "references.json").read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["--refs", str(refs), "--out", str(out), "--refresh-urls", "--api", wiki.api_base, *QUIET],
    )
    assert result.exit_code == 0, result.output
    assert "matched 4 of 44 references" in result.output
    stored = json.loads(refs.read_text("utf-8"))
    assert sum(r["url"] is not None for r in stored["references"]) == 4
    report = json.loads((out / "report.json").read_text("utf-8"))
    # The imported URLs are on the internet, which this test (like this machine) cannot reach.
    assert report["summary"]["by_live"] == {"offline": 4, "no-url": 40}


def test_refresh_urls_without_the_api_still_checks(tmp_path: Path) -> None:
    refs = tmp_path / "references.json"
    refs.write_bytes((ROOT / "references.json").read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["--refs", str(refs), "--out", str(out), "--refresh-urls", "--no-progress", *OFFLINE_PROBE],
    )
    assert result.exit_code == 0, result.output
    assert "--refresh-urls" in result.output
    assert refs.read_bytes() == (ROOT / "references.json").read_bytes()
    assert (out / "report.json").exists()
    # It just failed: no message suggests running it (again) as the way to get URLs.
    assert "Run verify-refs --refresh-urls" not in result.output
    assert "run `verify-refs --refresh-urls`" not in result.output
    assert "--refresh-urls could not read the live article" in result.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["refresh_urls"] not in (None, "imported")


def test_confirm_after_waits_for_failures_a_day_apart(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    from datetime import UTC, datetime, timedelta

    from verifier.history import History
    from verifier.model import ArchiveResult, ArchiveStatus, LiveResult, LiveStatus, Reference
    from verifier.verdict import decide

    url = sites.not_found(server, "/gone")
    refs = write_refs(tmp_path / "refs.json", [{"id": "1", "title": TITLE, "url": url}])
    out = tmp_path / "out"
    args = ["--refs", str(refs), *common_args(out, probe, wayback), "--confirm-after", "2"]
    # The first failing check: lost, but not yet confirmed, so the run passes.
    assert run(args)[0] == 0
    assert json.loads((out / "report.json").read_text("utf-8"))["failing"] == []
    # A second check minutes later is not a day apart: still not confirmed.
    assert run(args)[0] == 0
    # A failing check recorded two days ago makes today's the second one a day apart.
    with History.open(out / "history.sqlite") as history:
        from verifier.check import combine

        ref = Reference(id="1", title=TITLE, url=url)
        live = LiveResult(LiveStatus.DEAD, http_status=404)
        archive = ArchiveResult(ArchiveStatus.MISSING)
        assert decide(live, archive).value == "lost"
        two_days_ago = datetime.now(UTC) - timedelta(days=2)
        history.record_run([combine(ref, live, archive)], run_at=two_days_ago, source=str(refs))
    assert run(args)[0] == 1
    assert json.loads((out / "report.json").read_text("utf-8"))["failing"] == ["1"]


def test_save_captures_live_unarchived_pages(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    url = sites.article(server, "/fresh", TITLE)
    refs = write_refs(tmp_path / "refs.json", [{"id": "1", "title": TITLE, "url": url}])
    out = tmp_path / "out"
    wayback.save_timestamp = "20261126000000"
    code, output = run(["--refs", str(refs), *common_args(out, probe, wayback), "--save"])
    assert code == 0, output
    entry = json.loads((out / "report.json").read_text("utf-8"))["references"][0]
    assert any(h.path.startswith("/save") for h in wayback.http.hits)
    assert entry["archive"]["snapshot_timestamp"] == "20261126000000"
    assert entry["verdict"] == "healthy"


def test_progress_bar_on_request(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    url = sites.article(server, "/p", TITLE)
    refs = write_refs(tmp_path / "refs.json", [{"id": "1", "title": TITLE, "url": url}])
    args = ["--refs", str(refs), *common_args(tmp_path / "out", probe, None), "--no-archive"]
    quiet = CliRunner().invoke(main, args)
    shown = CliRunner().invoke(main, [*args, "--progress"])
    assert "checking" not in quiet.output
    assert "checking" in shown.output


def test_resolve_connects_a_name_to_a_loopback_site(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    """--resolve HOST=ADDR:PORT, like curl's: the name is never looked up in DNS."""
    sites.article(server, "/story", TITLE)
    url = "http://news.example/story"
    refs = write_refs(tmp_path / "refs.json", [{"id": "1", "title": TITLE, "url": url}])
    out = tmp_path / "out"
    args = ["--refs", str(refs), *common_args(out, probe, None), "--no-archive"]
    mapped = [*args, "--resolve", f"news.example=127.0.0.1:{server.port}"]
    code, output = run([*mapped, "--contact", "bot-ops@example.org"])
    assert code == 0, output
    entry = json.loads((out / "report.json").read_text("utf-8"))["references"][0]
    assert entry["live"]["status"] == "ok"
    assert server.hits_for("/story")[0].headers["Host"] == "news.example"
    # An honest User-Agent: the tool, its version, and where to reach its maintainers.
    agent = server.hits_for("/story")[0].headers["User-Agent"]
    assert agent.startswith("verify-refs/") and "(+https://" in agent
    assert "bot-ops@example.org" in agent
    # Without the mapping the name does not resolve while the checker is online (its
    # probe answers): a domain that no longer exists, asked twice, is dead.
    run(args)
    entry = json.loads((out / "report.json").read_text("utf-8"))["references"][0]
    assert entry["live"]["status"] == "dead"


def test_new_only_fails_on_newly_lost_sources_not_every_night(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    url = sites.not_found(server, "/gone")
    refs = write_refs(tmp_path / "refs.json", [{"id": "1", "title": TITLE, "url": url}])
    out = tmp_path / "out"
    nightly = ["--refs", str(refs), *common_args(out, probe, wayback), "--new-only"]
    assert run(nightly)[0] == 1  # the first night it is lost: news
    assert run(nightly)[0] == 0  # the next night it is still lost: not news
    assert run(nightly[:-1])[0] == 1  # without --new-only, every lost source fails
    # A night on which nothing could be concluded (the site's address not allowed: the
    # link is unverified) does not make the old finding new again the night after.
    blind = [a for a in nightly if a not in ("--allow-network", "127.0.0.0/8")]
    assert run(blind)[0] == 0
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["references"][0]["verdict"] == "unverified"
    assert run(nightly)[0] == 0


def test_save_that_the_archive_refuses_is_said_and_the_run_goes_on(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    from tests.loopback import Reply

    url = sites.article(server, "/fresh", TITLE)
    refs = write_refs(tmp_path / "refs.json", [{"id": "1", "title": TITLE, "url": url}])
    out = tmp_path / "out"
    wayback.fail["save"] = Reply(403, "no")
    code, output = run(["--refs", str(refs), *common_args(out, probe, wayback), "--save"])
    assert code == 0, output
    assert f"--save: {url}: not captured" in output
    entry = json.loads((out / "report.json").read_text("utf-8"))["references"][0]
    assert entry["verdict"] == "unarchived"


def test_a_bare_link_to_a_live_page_is_ok_never_lost(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    """<ref>http://…</ref>: nothing to compare the page's title with, so the live page is ok,
    both when the article is parsed and when an old references file holds the URL as title."""
    url = sites.article(server, "/story", "Weather forecast for the weekend")
    article = tmp_path / "article.wiki"
    article.write_text(f"Text.<ref>{url}</ref>\n<references/>\n", encoding="utf-8")
    refs = write_refs(tmp_path / "refs.json", [{"id": "1", "title": url, "url": url}])
    for source in (article, refs):
        out = tmp_path / source.stem
        code, output = run(["--refs", str(source), "--no-archive", *common_args(out, probe, None)])
        entry = json.loads((out / "report.json").read_text("utf-8"))["references"][0]
        assert (entry["live"]["status"], entry["verdict"]) == ("ok", "healthy"), entry
        assert code == 0, output


def test_an_unreachable_archive_is_said_on_stderr_and_in_every_report(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    """--wayback-url on a port nobody listens on: not a silent green "unverified" run."""
    url = sites.article(server, "/story", TITLE)
    refs = write_refs(tmp_path / "refs.json", [{"id": "1", "title": TITLE, "url": url}])
    out = tmp_path / "out"
    args = common_args(out, probe, None)
    result = CliRunner().invoke(
        main,
        ["--refs", str(refs), *args, "--wayback-url", "http://127.0.0.1:1", *ALL_FORMATS],
    )
    assert result.exit_code == 0, result.output  # unverified is not under the policy
    said = "The archive could not be asked about the link"
    assert said in result.stderr
    assert "refused" in result.stderr  # and why
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["references"][0]["archive"]["status"] == "error"
    assert report["checker"]["archive"] == {"asked": 1, "failed": 1}
    for name in ("report.html", "report.md", "report.junit.xml"):
        assert said in (out / name).read_text("utf-8"), name


def test_now_fixes_the_runs_and_every_checks_time(tmp_path: Path) -> None:
    """--now replays a night: the report, the checks and the history all take that time."""
    refs = write_refs(
        tmp_path / "refs.json",
        [{"id": "1", "title": TITLE, "url": "https://www.example-news.test/story"}],
    )
    out = tmp_path / "out"
    args = ["--refs", str(refs), "--out", str(out), "--no-archive", "--timeout", "2",
            "--no-progress", "--now", "2026-11-30T03:00:00Z"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["generated_at"] == "2026-11-30T03:00:00+00:00"
    assert report["references"][0]["live"]["checked_at"] == "2026-11-30T03:00:00+00:00"
    assert [t["run_at"] for t in report["trend"]] == ["2026-11-30T03:00:00+00:00"]
    bad = CliRunner().invoke(main, [*args[:-1], "yesterday"])
    assert bad.exit_code == 2 and "--now" in bad.output


def test_an_excluded_site_is_missing_every_night_not_an_error(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    live = sites.article(server, "/health", TITLE)
    gone = sites.not_found(server, "/gone")
    wayback.exclude(live)
    wayback.exclude(gone)  # one site: the archive refuses both
    refs = write_refs(tmp_path / "refs.json", [{"id": "1", "title": TITLE, "url": live},
                                               {"id": "2", "title": TITLE, "url": gone}])
    out = tmp_path / "out"
    args = ["--refs", str(refs), *common_args(out, probe, wayback), "--save"]
    code, _ = run(args)
    first = json.loads((out / "report.json").read_text("utf-8"))["references"]
    assert [r["archive"]["status"] for r in first] == ["missing", "missing"]
    assert all(r["archive"]["excluded"] is True for r in first)
    assert "Blocked Site Error" in first[0]["archive"]["detail"]
    assert [r["verdict"] for r in first] == ["unarchived", "lost"]
    assert all("archive.today" in r["action"] for r in first)
    assert code == 1  # lost fails the default policy, as any lost source does
    # --save did not ask Save Page Now to capture a site the archive refuses.
    assert not [h for h in wayback.http.hits if h.path.startswith("/save")]
    # The next night: the same answer from the history's cache, no CDX request.
    asked = len(wayback.hits("cdx"))
    run(args)
    again = json.loads((out / "report.json").read_text("utf-8"))["references"]
    assert [r["archive"] for r in again] == [r["archive"] for r in first]
    assert len(wayback.hits("cdx")) == asked


def test_offline_banner_says_what_it_means_when_a_reachable_site_is_dead(
    tmp_path: Path, server: LoopbackServer
) -> None:
    """Probes fail (no internet) but a loopback site answers 404: that link is dead, and the
    banner must not have promised "never as dead" for every link."""
    refs = write_refs(
        tmp_path / "refs.json",
        [
            {"id": "1", "title": TITLE, "url": sites.not_found(server, "/gone")},
            {"id": "2", "title": TITLE, "url": "https://www.example-news.test/story"},
        ],
    )
    out = tmp_path / "out"
    args = ["--refs", str(refs), "--out", str(out), "--no-archive", "--no-progress"]
    result = CliRunner().invoke(main, [*args, "--allow-network", "127.0.0.0/8"])
    report = json.loads((out / "report.json").read_text("utf-8"))
    statuses = [r["live"]["status"] for r in report["references"]]
    assert statuses == ["dead", "offline"]
    banner = next(line for line in result.output.splitlines() if "internet" in line)
    assert "links will be reported as offline, never as dead" not in banner
    assert "a site that does answer is judged by its answer" in banner
