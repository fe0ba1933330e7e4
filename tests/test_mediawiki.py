"""Importing a live article through a MediaWiki-like API on loopback, and merging its URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.loopback import LoopbackServer, Reply
from tests.mediawiki_server import MediaWikiAPI, parser_output
from verifier import USER_AGENT
from verifier.cli.parse_cmd import parse
from verifier.fetch.transport import NetworkPolicy, Transport, origin_of
from verifier.parse.mediawiki import ImportFailed, fetch_article
from verifier.parse.merge import merge_urls, normalise_title
from verifier.records import load_references

ROOT = Path(__file__).resolve().parent.parent
ZH_TITLE = "2023年朝俄首脑会谈"


@pytest.fixture
def wiki(server: LoopbackServer) -> MediaWikiAPI:
    api = MediaWikiAPI(server)
    for lang, fixture in (("zh", "zh.html"), ("en", "en.html"), ("ru", "ru.html")):
        title, html = parser_output(fixture)
        api.add(lang, title, html)
    return api


def _transport(api_base: str) -> Transport:
    policy = NetworkPolicy(trusted_origins=frozenset({origin_of(api_base)}))
    return Transport(policy=policy, user_agent=USER_AGENT, timeout=5)


@pytest.mark.parametrize(
    ("url", "lang", "count"),
    [
        (f"https://zh.wikipedia.org/wiki/{ZH_TITLE}", "zh", 4),
        ("https://en.wikipedia.org/wiki/2023_North_Korea%E2%80%93Russia_summit", "en", 3),
        ("https://ru.wikipedia.org/wiki/Российско-северокорейский_саммит_(2023)", "ru", 3),
    ],
)
def test_fetch_article_parses_the_api_html(wiki: MediaWikiAPI, url: str, lang: str, count: int):
    article = fetch_article(url, transport=_transport(wiki.api_base), api_base=wiki.api_base)
    assert article.source["language"] == lang
    assert article.source["url"].startswith(f"https://{lang}.wikipedia.org/wiki/")
    assert len(article.references) == count
    assert all(r.url and r.url.startswith("https://") for r in article.references)
    hit = wiki.server.hits[-1]
    assert hit.path == f"/{lang}/w/api.php"
    assert hit.query["action"] == ["parse"] and hit.query["prop"] == ["text"]
    assert hit.query["formatversion"] == ["2"]


def test_missing_page_is_a_one_line_error(wiki: MediaWikiAPI) -> None:
    with pytest.raises(ImportFailed, match="doesn't exist"):
        fetch_article(
            "https://zh.wikipedia.org/wiki/不存在",
            transport=_transport(wiki.api_base),
            api_base=wiki.api_base,
        )


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(503, "busy"), "answered HTTP 503"),
        (Reply(200, "<html>maintenance</html>"), "did not answer JSON"),
        (Reply(200, '{"parse": {"title": "X"}}'), "no article HTML"),
    ],
)
def test_bad_api_answers_are_import_failures(server: LoopbackServer, reply: Reply, message: str):
    base = server.url("/w/api.php")
    server.route("/w/api.php", reply)
    with pytest.raises(ImportFailed, match=message):
        fetch_article("https://zh.wikipedia.org/wiki/X", transport=_transport(base), api_base=base)


def test_unreachable_api_says_so() -> None:
    base = "http://zh.wiki.invalid/w/api.php"
    with pytest.raises(ImportFailed, match="cannot reach the MediaWiki API"):
        fetch_article("https://zh.wikipedia.org/wiki/X", transport=_transport(base), api_base=base)


def test_not_a_wikipedia_url_is_bad_input() -> None:
    from verifier.errors import InputError

    with pytest.raises(InputError, match="not a Wikipedia article URL"):
        fetch_article(
            "https://example.org/wiki/X", transport=_transport("http://x"), api_base="http://x"
        )


def test_merge_fills_missing_urls_by_title_and_reports_the_rest(wiki: MediaWikiAPI) -> None:
    existing = load_references(ROOT / "references.json")
    fresh = fetch_article(
        f"https://zh.wikipedia.org/wiki/{ZH_TITLE}",
        transport=_transport(wiki.api_base),
        api_base=wiki.api_base,
    )
    merged, report = merge_urls(existing, fresh)
    # The fixture's 4 references are the seed's 1, 2, 4 and 41 (numbered 1, 2, 3, 4 there).
    assert report.matched == [("1", "1"), ("2", "2"), ("4", "3"), ("41", "4")]
    assert len(report.unmatched) == 40 and report.unused == []
    refs = {r.id: r for r in merged.references}
    assert refs["4"].url == "https://www.dw.com/ru/putin-kim-i-sankcii/a-66790000"
    assert refs["4"].url_status == "dead"
    assert refs["41"].archive_url.startswith("https://web.archive.org/web/20230930")
    assert refs["4"].archive_date == "2023-09-16"  # already there: kept
    assert refs["3"].url is None
    assert merged.source == existing.source


def test_merge_never_overwrites_what_is_there() -> None:
    from verifier.model import Reference
    from verifier.records import Article

    existing = Article({}, [Reference(id="1", title="«Title»", url="https://kept.example/")])
    fresh = Article(
        {},
        [
            Reference(
                id="9",
                title="Title",
                url="https://new.example/",
                archive_url="https://web.archive.org/web/2023/x",
            )
        ],
    )
    merged, report = merge_urls(existing, fresh)
    assert merged.references[0].url == "https://kept.example/"
    assert merged.references[0].archive_url == "https://web.archive.org/web/2023/x"
    assert report.filled == {"1": ["archive_url"]}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("«Вместе в борьбе»", '"Вместе в борьбе"'),
        ("Kim  Jong-un", "kim jong un"),
        ("ＡＢＣ", "abc"),
        ("Всё о ёлках", "Все о елках"),  # titles.normalise's typography: ё is е
    ],
)
def test_titles_match_whatever_quotes_case_and_width(a: str, b: str) -> None:
    assert normalise_title(a) == normalise_title(b)


def test_parse_command_imports_a_url_and_merges_in_place(wiki: MediaWikiAPI, tmp_path: Path):
    refs = tmp_path / "references.json"
    refs.write_bytes((ROOT / "references.json").read_bytes())
    result = CliRunner().invoke(
        parse,
        [
            f"https://zh.wikipedia.org/wiki/{ZH_TITLE}",
            "--api",
            wiki.api_base,
            "--merge",
            str(refs),
            "--timeout",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "matched 4 of 44 references" in result.output
    data = json.loads(refs.read_text("utf-8"))
    assert data["references"][0]["url"].startswith("https://apnews.com/")
    assert sum(r["url"] is not None for r in data["references"]) == 4


def test_parse_command_unreachable_api_exits_2_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        parse,
        [
            f"https://zh.wikipedia.org/wiki/{ZH_TITLE}",
            "--api",
            "http://zh.wiki.invalid/w/api.php",
            "--out",
            str(out),
            "--timeout",
            "2",
        ],
    )
    assert result.exit_code == 2
    assert "cannot reach the MediaWiki API" in result.output
    assert not out.exists()
