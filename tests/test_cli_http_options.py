"""--accept, --max-retries, --header and --user-agent, run as a user runs them, against
loopback sites and a loopback archive (requests seen by the servers, never mocked)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests import sites
from tests.loopback import LoopbackServer, Reply
from tests.test_e2e import TITLE, common_args, write_refs
from tests.wayback_server import WaybackServer
from verifier import USER_AGENT
from verifier.cli.app import main
from verifier.cli.options import ACCEPT
from verifier.live import gets_headers


def check(tmp_path: Path, probe: LoopbackServer, urls: list[str], *extra: str,
          wayback: WaybackServer | None = None) -> tuple[int, dict[str, dict], str]:
    refs = write_refs(
        tmp_path / "references.json",
        [{"id": str(n), "title": TITLE, "url": url} for n, url in enumerate(urls, start=1)],
    )
    out = tmp_path / "out"
    archive = [] if wayback is not None else ["--no-archive"]
    result = CliRunner().invoke(
        main, ["--refs", str(refs), *common_args(out, probe, wayback), *archive, *extra]
    )
    report = json.loads((out / "report.json").read_text("utf-8")) if result.exit_code < 2 else {}
    return result.exit_code, {r["id"]: r for r in report.get("references", [])}, result.output


# --- --accept -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("403", {403}),
        ("200..=204, 403", {200, 201, 202, 203, 204, 403}),
        ("400..402", {400, 401}),  # lychee's (Rust's) A..B leaves B out
        ("998..", {998, 999}),
        ("..=101", {100, 101}),
        ("..102", {100, 101}),
    ],
)
def test_accept_reads_lychees_syntax(text: str, codes: set[int]) -> None:
    assert ACCEPT.convert(text, None, None) == frozenset(codes)


@pytest.mark.parametrize("text", ["abc", "99", "1000", "300..200", "100..=", "100..100", "2xx"])
def test_accept_refuses_what_is_no_status(text: str) -> None:
    with pytest.raises(click.BadParameter):
        ACCEPT.convert(text, None, None)


def test_an_accepted_status_is_ok_and_a_2xx_page_is_still_judged(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    forbidden = sites.always(server, "/forbidden", 403)
    wall = server.route(
        "/wall", Reply(403, "<title>Just a moment...</title>", {"cf-mitigated": "challenge"})
    )
    gone = sites.not_found(server, "/gone")
    soft = sites.not_found_as_200(server, "/soft", "en")
    urls = [forbidden, wall, gone, soft]
    code, before, _ = check(tmp_path, probe, urls)
    assert [before[i]["live"]["status"] for i in "1234"] == [
        "blocked", "blocked", "dead", "soft-404"
    ]
    assert code == 1  # broken links with archive checks off fail the default policy

    code, after, output = check(tmp_path, probe, urls, "--accept", "200..=299,403,404")
    assert code == 1, output  # the soft 404 is still broken
    assert [after[i]["live"]["status"] for i in "1234"] == ["ok", "ok", "ok", "soft-404"]
    assert after["1"]["verdict"] == "healthy"
    assert after["1"]["live"]["detail"] == (
        "HTTP 403, accepted (--accept): the page is not judged"
    )
    # An accepted 404 is not asked again to confirm it: one request in this run.
    assert len(server.hits_for("/gone")) == 2 + 1


def test_accept_never_turns_a_failed_request_into_ok(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    refused = sites.refused_url("/nobody")
    reset = sites.reset(server, "/reset")
    _, got, _ = check(tmp_path, probe, [refused, reset], "--accept", "100..=999")
    assert [got[i]["live"]["status"] for i in "12"] == ["error", "error"]


# --- --max-retries --------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "requests"), [([], 3), (["--max-retries", "0"], 1),
                                                (["--max-retries", "4"], 5)])
def test_max_retries_bounds_the_live_retries(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, args: list[str], requests: int
) -> None:
    busy = sites.always(server, "/busy", 503, **{"Retry-After": "0"})
    _, got, _ = check(tmp_path, probe, [busy], *args)
    assert got["1"]["live"]["status"] == "error"
    assert len(server.hits_for("/busy")) == requests


def test_max_retries_is_refused_out_of_range(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--max-retries", "-1", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and result.output.count("\n") == 1


# --- --header -------------------------------------------------------------------------------

def test_headers_go_to_the_cited_site_only(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    page = sites.article(server, "/page", TITLE)
    with LoopbackServer() as other:
        elsewhere = sites.article(other, "/moved", TITLE)
        moved = sites.redirect(server, "/moved", elsewhere)
        code, got, output = check(
            tmp_path, probe, [page, moved],
            "--header", "Authorization: Bearer s3cret", "--header", "X-Team:  refs ",
            wayback=wayback,
        )
        assert code == 0, output
        assert got["1"]["verdict"] in ("healthy", "unarchived")
        for hit in server.hits_for("/page") + server.hits_for("/moved"):
            assert hit.headers.get("Authorization") == "Bearer s3cret"
            assert hit.headers.get("X-Team") == "refs"
        # The redirect's target is another origin (another port): it gets none of them.
        assert other.hits_for("/moved")
        assert all("Authorization" not in h.headers for h in other.hits)
    assert wayback.http.hits
    assert all("Authorization" not in h.headers for h in wayback.http.hits)
    assert all("Authorization" not in h.headers for h in probe.hits)


def test_which_targets_get_the_headers() -> None:
    assert gets_headers("https://a.example/x", "https://a.example/y")
    assert gets_headers("http://a.example/x", "https://a.example/x")  # the upgrade
    assert not gets_headers("https://a.example/x", "http://a.example/x")  # a downgrade
    assert not gets_headers("https://a.example/x", "https://b.example/x")
    assert not gets_headers("https://a.example/x", "https://a.example:8443/x")
    assert not gets_headers("https://a.example/x", "https://sub.a.example/x")


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("NoColon", "expected 'Name: value'"),
        ("Bad Name: x", "expected 'Name: value'"),
        ("X-A: b\r\nX-B: c", "X-A: a header value may not hold control characters"),
        ("X-A: b\nc", "control characters"),
        ("User-Agent: me", "use --user-agent"),
        ("Host: a.example", "not settable here"),
    ],
)
def test_a_malformed_header_is_one_line_exit_2(tmp_path: Path, header: str, said: str) -> None:
    result = CliRunner().invoke(main, ["--header", header, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1, result.output
    assert said in result.output


# --- --user-agent ---------------------------------------------------------------------------

def test_the_honest_user_agent_by_default_and_a_custom_one_everywhere(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer, wayback: WaybackServer
) -> None:
    page = sites.article(server, "/page", TITLE)
    check(tmp_path, probe, [page], wayback=wayback)
    assert {h.headers.get("User-Agent") for h in server.hits} == {USER_AGENT}
    assert USER_AGENT.startswith("verify-refs/")

    server.hits.clear()
    wayback.http.hits.clear()
    mine = "RefsBot/1.0 (+mailto:ops@example.org)"
    # (--no-history: the first run's archive answers are not taken from its cache.)
    check(tmp_path, probe, [page], "--user-agent", mine, "--no-history", wayback=wayback)
    assert {h.headers.get("User-Agent") for h in server.hits} == {mine}
    assert {h.headers.get("User-Agent") for h in wayback.http.hits} == {mine}


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--user-agent", "a\r\nX-Evil: 1"], "one line of printable text"),
        (["--user-agent", " "], "one line of printable text"),
        (["--user-agent", "Me/1", "--contact", "me@example.org"], "--user-agent and --contact"),
    ],
)
def test_a_bad_user_agent_is_one_line_exit_2(tmp_path: Path, args: list[str], said: str) -> None:
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1, result.output
    assert said in result.output
