"""The main job's inputs, as link checkers take them: the article as a positional argument,
--refs repeatable (a report set each plus an index; a second --refs no longer replaces the
first), - for standard input, and a list file of articles (--files-from, as lychee's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import sites
from tests.loopback import LoopbackServer
from tests.test_e2e import TITLE, common_args, write_refs
from verifier.cli.app import main


def wikitext(url: str, title: str = TITLE) -> str:
    return (
        "Body.<ref>{{cite web|url=" + url + "|title=" + title + "|access-date=2023-09-14}}"
        "</ref>\n== References ==\n{{reflist}}\n"
    )


def invoke(args: list[str], **kwargs):
    return CliRunner().invoke(main, args, catch_exceptions=False, **kwargs)


def offline_args(out: Path, probe: LoopbackServer) -> list[str]:
    return [*common_args(out, probe, None), "--no-archive"]


def urls_in(report_json: Path) -> list[str]:
    return [r["url"] for r in json.loads(report_json.read_text("utf-8"))["references"]]


def test_the_article_as_a_positional_argument(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    url = sites.article(server, "/story", TITLE)
    article = tmp_path / "article.wiki"
    article.write_text(wikitext(url), encoding="utf-8")
    out = tmp_path / "reports"
    # Options before and after the article alike.
    result = invoke(["--no-archive", str(article), *common_args(out, probe, None)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert [(r["url"], r["verdict"]) for r in report["references"]] == [(url, "healthy")]
    assert report["source"]["file"] == "article.wiki"


def test_a_word_naming_a_command_is_the_command(tmp_path: Path) -> None:
    refs = write_refs(tmp_path / "references.json", [{"id": "1", "title": "T", "url": None}])
    result = invoke(["lint", str(refs)])
    assert result.exit_code == 0 and "missing-url" in result.stdout


def test_a_missing_positional_article_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [str(tmp_path / "nope.wiki"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "nope.wiki: cannot read" in result.output


def test_several_refs_get_a_report_set_each_and_an_index(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    fine = sites.article(server, "/fine", TITLE)
    gone = sites.not_found(server, "/gone")
    first = write_refs(tmp_path / "first.json", [{"id": "1", "title": TITLE, "url": fine}])
    (tmp_path / "second.wiki").write_text(wikitext(gone), encoding="utf-8")
    out = tmp_path / "reports"
    result = invoke(["--refs", str(first), "--refs", str(tmp_path / "second.wiki"),
                     *offline_args(out, probe), "--report", "html"])
    assert result.exit_code == 1, result.output  # the second's dead link is broken
    assert urls_in(out / "first" / "report.json") == [fine]
    assert urls_in(out / "second" / "report.json") == [gone]
    assert not (out / "report.json").exists()
    index = json.loads((out / "index.json").read_text("utf-8"))
    rows = {row["name"]: row for row in index["articles"]}
    assert list(rows) == ["first", "second"]
    assert rows["first"]["input"] == str(first) and rows["first"]["failing"] == []
    assert rows["second"]["failing"] == ["1"] and index["failing"] == 1
    assert rows["second"]["reports"]["report.html"] == "second/report.html"
    assert (out / "second" / "report.html").is_file()
    html = (out / "index.html").read_text("utf-8")
    assert 'href="first/report.html"' in html and 'href="second/report.json"' in html
    assert "failing by policy: second: 1" in result.stderr


def test_several_articles_ask_the_online_probe_once(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    # Is this machine online is a question about the run, not about each article.
    paths = []
    for n in range(3):
        url = sites.article(server, f"/story{n}", TITLE)
        paths.append(write_refs(tmp_path / f"a{n}.json", [{"id": "1", "title": TITLE, "url": url}]))
    result = invoke([*map(str, paths), *offline_args(tmp_path / "reports", probe)])
    assert result.exit_code == 0, result.output
    assert [(h.method, h.path) for h in probe.hits] == [("HEAD", "/")]


def test_articles_of_the_same_name_get_distinct_folders(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    url = sites.article(server, "/fine", TITLE)
    paths = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        paths.append(write_refs(tmp_path / folder / "references.json",
                                [{"id": folder, "title": TITLE, "url": url}]))
    out = tmp_path / "reports"
    result = invoke([str(paths[0]), str(paths[1]), *offline_args(out, probe)])
    assert result.exit_code == 0, result.output
    index = json.loads((out / "index.json").read_text("utf-8"))
    assert [(r["name"], r["input"]) for r in index["articles"]] == [
        ("references", str(paths[0])),
        ("references-2", str(paths[1])),
    ]
    assert (out / "references-2" / "report.json").is_file()


def test_every_article_is_read_before_anything_is_checked(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    url = sites.article(server, "/fine", TITLE)
    good = write_refs(tmp_path / "good.json", [{"id": "1", "title": TITLE, "url": url}])
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, [str(good), str(bad), *offline_args(out, probe)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "bad.json" in result.output
    assert server.hits_for("/fine") == []
    assert not out.exists()


def test_dash_reads_the_article_from_standard_input(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    url = sites.article(server, "/story", TITLE)
    out = tmp_path / "reports"
    result = invoke(["-", *offline_args(out, probe)], input=wikitext(url))
    assert result.exit_code == 0, result.output
    assert urls_in(out / "report.json") == [url]
    again = invoke(["--refs", "-", *offline_args(tmp_path / "r2", probe)], input=wikitext(url))
    assert again.exit_code == 0 and urls_in(tmp_path / "r2" / "report.json") == [url]


def test_empty_standard_input_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-", "--out", str(tmp_path / "r")], input="")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: standard input: the file is empty: no references to check"
    ]


def test_a_list_file_of_articles(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    one = sites.article(server, "/one", TITLE)
    two = sites.article(server, "/two", TITLE)
    (tmp_path / "one.wiki").write_text(wikitext(one), encoding="utf-8")
    (tmp_path / "two.wiki").write_text(wikitext(two), encoding="utf-8")
    listing = tmp_path / "articles.txt"
    listing.write_text(
        f"# the articles we keep\n{tmp_path / 'one.wiki'}\n\n  {tmp_path / 'two.wiki'}  \n",
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    result = invoke(["--files-from", str(listing), *offline_args(out, probe)])
    assert result.exit_code == 0, result.output
    assert urls_in(out / "one" / "report.json") == [one]
    assert urls_in(out / "two" / "report.json") == [two]
    # The list from standard input, beside an article given directly (each once).
    out2 = tmp_path / "r2"
    listed = f"{tmp_path / 'two.wiki'}\n"
    result = invoke([str(tmp_path / "one.wiki"), str(tmp_path / "two.wiki"), "--files-from",
                     "-", *offline_args(out2, probe)], input=listed)
    assert result.exit_code == 0, result.output
    index = json.loads((out2 / "index.json").read_text("utf-8"))
    assert [r["name"] for r in index["articles"]] == ["one", "two"]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("# only a comment\n\n", "lists no article"),
        (None, "cannot read"),
    ],
)
def test_a_bad_list_file_is_one_line_exit_2(
    tmp_path: Path, content: str | None, said: str
) -> None:
    listing = tmp_path / "articles.txt"
    if content is not None:
        listing.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["--files-from", str(listing), "--out",
                                       str(tmp_path / "r")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and "articles.txt" in lines[0]


def test_standard_input_cannot_be_both_the_list_and_an_article(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-", "--files-from", "-", "--out", str(tmp_path / "r")],
                                input="x\n")
    assert result.exit_code == 2
    assert "standard input cannot also be an article" in result.output


def test_the_index_escapes_web_strings(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    url = sites.article(server, "/fine", TITLE)
    records = [{"id": "1", "title": TITLE, "url": url}]
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"source": {"title": "<script>alert(1)</script>"},
                               "references": [{"authors": [], "uses": 1, **records[0]}]}),
                   encoding="utf-8")
    two = write_refs(tmp_path / "two.json", records)
    out = tmp_path / "reports"
    result = invoke([str(one), str(two), *offline_args(out, probe), "--report", "html"])
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text("utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_wikipedia_url_as_the_positional_article(
    tmp_path: Path, server: LoopbackServer, probe: LoopbackServer
) -> None:
    from tests.mediawiki_server import MediaWikiAPI

    url = sites.article(server, "/story", TITLE)
    api = MediaWikiAPI(server)
    api.add("en", "Some article", (
        '<div class="mw-parser-output"><p>Body.<sup id="cite_ref-1" class="reference">'
        '<a href="#cite_note-1">[1]</a></sup></p><ol class="references"><li id="cite_note-1">'
        '<span class="mw-cite-backlink"><b><a href="#cite_ref-1">^</a></b></span> '
        '<span class="reference-text"><cite class="citation web cs1"><a rel="nofollow" '
        f'class="external text" href="{url}">{TITLE}</a>.</cite></span></li></ol></div>'
    ))
    out = tmp_path / "reports"
    article_url = "https://en.wikipedia.org/wiki/Some_article"
    result = invoke([article_url, "--api", api.api_base, *offline_args(out, probe)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["source"]["url"] == article_url
    assert [(r["url"], r["verdict"]) for r in report["references"]] == [(url, "healthy")]


def test_parse_and_lint_read_standard_input_too(tmp_path: Path) -> None:
    text = wikitext("https://news.example.org/story")
    parsed = invoke(["parse", "-"], input=text)
    assert parsed.exit_code == 0, parsed.output
    records = json.loads(parsed.stdout)["references"]
    assert [(r["url"], r["title"]) for r in records] == [("https://news.example.org/story", TITLE)]
    bad = json.dumps({"source": {}, "references": [
        {"id": "1", "title": "T", "url": "https://e.org/", "authors": [], "uses": 1,
         "access_date": "2099-01-01"}]})
    linted = CliRunner().invoke(main, ["lint", "-"], input=bad)
    assert linted.exit_code == 1
    assert "-: reference 1: error: access-date-in-future" in linted.stdout


def test_an_interrupted_run_of_several_keeps_the_articles_it_finished(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import threading

    from tests.loopback import Reply, html_page
    from tests.test_interrupt import stalling

    exe = Path(sys.executable).with_name("verify-refs")
    if not exe.exists():
        pytest.skip("verify-refs is not installed in this environment")
    arrived, count = threading.Event(), []
    with LoopbackServer() as fast, LoopbackServer("127.0.0.2") as slow:
        ok = fast.route("/ok", Reply(200, html_page(TITLE)))
        stall = slow.route("/stall", stalling(arrived, count))
        first = write_refs(tmp_path / "first.json", [{"id": "1", "title": TITLE, "url": ok}])
        second = write_refs(tmp_path / "second.json", [{"id": "1", "title": "S", "url": stall}])
        out = tmp_path / "out"
        args = [str(first), str(second), "--out", str(out), "--timeout", "60", "--no-archive",
                "--allow-network", "127.0.0.0/8", "--no-progress",
                "--online-probe", "http://127.0.0.1:9/"]
        proc = subprocess.Popen([str(exe), *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            assert arrived.wait(30), "the second article's link was never asked"
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "interrupted in second: 0 of 1 references checked" in stderr
    assert "the reports of the article before it are written; no index" in stderr
    assert urls_in(out / "first" / "report.json") == [ok]
    assert not (out / "second").exists() and not (out / "index.json").exists()
