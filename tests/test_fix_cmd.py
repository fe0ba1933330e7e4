"""``verify-refs fix``: the command as an editor runs it, on a file or a Wikipedia URL
(answered by a MediaWiki-like API on loopback), and its bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.loopback import LoopbackServer
from tests.mediawiki_server import MediaWikiAPI
from verifier import __version__
from verifier.cli.app import main

ARTICLE = (
    "'''Face ID''' is a facial recognition system.<ref>{{cite web |url=http://a.example/1 "
    "|title=One |access-date=2023-09-18 }}</ref> It replaced Touch ID.<ref>{{cite web "
    "|url=http://b.example/2 |title=Two }}</ref>\n\n== References ==\n{{reflist}}\n"
)
SNAP = "https://web.archive.org/web/20230913120000/http://a.example/1"


def entry(ref_id: str, url: str, title: str, verdict: str) -> dict:
    archived = verdict == "rescued"
    return {
        "id": ref_id,
        "title": title,
        "url": url,
        "live": {"status": "dead", "checked_at": "2026-12-02T08:00:00+00:00"},
        "archive": {
            "status": "archived" if archived else "missing",
            "snapshot_url": SNAP if archived else None,
            "snapshot_timestamp": "20230913120000" if archived else None,
            "cited_archive": "none-cited",
        },
        "verdict": verdict,
        "action": "",
    }


def write_report(path: Path, entries: list[dict], language: str | None = "en") -> Path:
    source = {"format": "wikitext", "language": language}
    path.write_text(json.dumps({"source": source, "references": entries}), "utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    article = tmp_path / "face.wiki"
    article.write_text(ARTICLE, "utf-8")
    report = write_report(
        tmp_path / "report.json",
        [
            entry("1", "http://a.example/1", "One", "rescued"),
            entry("2", "http://b.example/2", "Two", "lost"),
            entry("3", "http://gone.example/", "Elsewhere", "lost"),
        ],
    )
    return article, report


EXPECTED = ARTICLE.replace(
    "|access-date=2023-09-18 }}",
    f"|access-date=2023-09-18 |archive-url={SNAP} |archive-date=2023-09-13 |url-status=dead }}}}",
).replace("|title=Two }}", "|title=Two }}{{dead link|date=December 2026}}")


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["fix", *args], catch_exceptions=False)


def test_writes_the_corrected_article_and_the_summary(files: tuple[Path, Path]) -> None:
    article, report = files
    result = run(str(article), "--from", str(report))
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED
    assert result.stderr.splitlines() == [
        f"verify-refs fix: not found in {article}: reference 3 (lost): http://gone.example/",
        f"Rescued 1 source, marked 1 dead (verify-refs {__version__})",
    ]


def test_out_file_gets_exactly_the_corrected_bytes(files: tuple[Path, Path], tmp_path: Path):
    article, report = files
    out = tmp_path / "fixed.wiki"
    result = run(str(article), "--from", str(report), "--out", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_bytes() == EXPECTED.encode("utf-8")


def test_diff_shows_only_the_changed_lines(files: tuple[Path, Path]) -> None:
    article, report = files
    result = run(str(article), "--from", str(report), "--diff")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["--- a/face.wiki", "+++ b/face.wiki"]
    changed = [line for line in lines[2:] if line[:1] in "+-"]
    assert changed == ["-" + ARTICLE.splitlines()[0], "+" + EXPECTED.splitlines()[0]]


def test_a_byte_order_mark_and_crlf_lines_survive(tmp_path: Path) -> None:
    article = tmp_path / "bom.wiki"
    text = "\ufeff" + ARTICLE.replace("\n", "\r\n")
    article.write_bytes(text.encode("utf-8"))
    report = write_report(tmp_path / "r.json", [entry("1", "http://b.example/2", "Two", "lost")])
    out = tmp_path / "out.wiki"
    assert run(str(article), "--from", str(report), "--out", str(out)).exit_code == 0
    expected = text.replace("|title=Two }}", "|title=Two }}{{dead link|date=December 2026}}")
    assert out.read_bytes() == expected.encode("utf-8")


@pytest.mark.parametrize(
    ("make_article", "make_report", "message"),
    [
        (
            lambda d: _write(d / "a.html", "<html><body><p>Face ID</p></body></html>"),
            None,
            "not wikitext (it reads as html)",
        ),
        (None, lambda d: _write(d / "r.json", '{"references": 3}'), "not a verify-refs report"),
        (None, lambda d: _write(d / "r.json", "<ref>"), "not JSON"),
        (
            None,
            lambda d: write_report(
                d / "r.json", [entry("1", "http://other.example/", "Other", "lost")]
            ),
            "none of its 1 references with a URL is cited in",
        ),
    ],
    ids=["article-not-wikitext", "report-not-a-report", "report-not-json", "another-article"],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, files: tuple[Path, Path], make_article, make_report, message: str
) -> None:
    article, report = files
    article = make_article(tmp_path) if make_article else article
    report = make_report(tmp_path) if make_report else report
    out = tmp_path / "out.wiki"
    result = CliRunner().invoke(
        main, ["fix", str(article), "--from", str(report), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


# --- a Wikipedia URL -------------------------------------------------------------------

ZH_URL = "https://zh.wikipedia.org/wiki/面容ID"
ZH_TEXT = (
    "'''面容ID'''是蘋果公司设计和发布的一个臉部识别系统<ref>{{cite web|url=http://a.example/1"
    "|title=One|accessdate=13 September 2017}}</ref>。\n== 参考资料 ==\n{{Reflist}}\n"
)


@pytest.fixture
def zh_wiki(server: LoopbackServer) -> MediaWikiAPI:
    api = MediaWikiAPI(server)
    api.add_wikitext("zh", "面容ID", ZH_TEXT, revid=81234567, timestamp="2026-11-30T12:00:00Z")
    return api


def test_a_wikipedia_url_is_fetched_with_its_revision(tmp_path: Path, zh_wiki: MediaWikiAPI):
    report = write_report(
        tmp_path / "r.json", [entry("1", "http://a.example/1", "One", "rescued")], language=None
    )
    result = run(ZH_URL, "--from", str(report), "--api", zh_wiki.api_base)
    assert result.exit_code == 0, result.output
    # zh: ISO dates whatever the template writes, and the template's own joined names.
    assert result.stdout == ZH_TEXT.replace(
        "|accessdate=13 September 2017}}",
        f"|accessdate=13 September 2017|archiveurl={SNAP}|archivedate=2023-09-13"
        "|url-status=dead}}",
    )
    assert result.stderr.splitlines() == [
        f"Rescued 1 source (verify-refs {__version__})",
        "base revision: 81234567 (2026-11-30T12:00:00Z) of https://zh.wikipedia.org/wiki/面容ID",
    ]
    hit = zh_wiki.server.hits[-1]
    assert hit.query["action"] == ["query"] and hit.query["prop"] == ["revisions"]
    assert hit.query["rvprop"] == ["content|ids|timestamp"]
    assert hit.query["rvslots"] == ["main"] and hit.query["formatversion"] == ["2"]


def test_a_lost_zh_reference_gets_the_zh_dead_link_date(tmp_path: Path, zh_wiki: MediaWikiAPI):
    report = write_report(tmp_path / "r.json", [entry("1", "http://a.example/1", "One", "lost")])
    result = run(ZH_URL, "--from", str(report), "--api", zh_wiki.api_base)
    assert "{{dead link|date=2026年12月}}</ref>" in result.stdout


def test_a_missing_article_is_one_line_exit_2(tmp_path: Path, zh_wiki: MediaWikiAPI) -> None:
    report = write_report(tmp_path / "r.json", [entry("1", "http://a.example/1", "One", "lost")])
    out = tmp_path / "out.wiki"
    result = CliRunner().invoke(
        main,
        [
            "fix",
            "https://zh.wikipedia.org/wiki/没有这个条目",
            "--from",
            str(report),
            "--api",
            zh_wiki.api_base,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: https://zh.wikipedia.org/wiki/没有这个条目: no such article"
    ]
    assert not out.exists()


def test_help_names_every_option() -> None:
    result = CliRunner().invoke(main, ["fix", "--help"])
    assert result.exit_code == 0
    for option in ("--from", "--out", "--diff", "--add-archives", "--api", "--lang"):
        assert option in result.output
