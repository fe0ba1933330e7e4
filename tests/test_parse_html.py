"""Rendered article HTML: zh, en and ru wikis, each rendering CS1 its own way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.errors import InputError
from verifier.parse import parse_text, read_article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse" / "html"
WIKIS = sorted(p.stem for p in FIXTURES.glob("*.html"))
FIELD_CASES = [
    (wiki, record)
    for wiki in WIKIS
    for record in json.loads((FIXTURES / f"{wiki}.expected.json").read_text("utf-8"))["references"]
]


@pytest.mark.parametrize(
    ("wiki", "expected"), FIELD_CASES, ids=[f"{w}-ref{r['id']}" for w, r in FIELD_CASES]
)
def test_reference_fields(wiki: str, expected: dict) -> None:
    article = read_article(FIXTURES / f"{wiki}.html")
    record = next(r.to_dict() for r in article.references if r.id == expected["id"])
    for key, value in expected.items():
        assert record.get(key) == value, key


@pytest.mark.parametrize("wiki", WIKIS)
def test_article_source_and_count(wiki: str) -> None:
    expected = json.loads((FIXTURES / f"{wiki}.expected.json").read_text("utf-8"))
    article = read_article(FIXTURES / f"{wiki}.html")
    for key, value in expected["source"].items():
        assert article.source[key] == value, key
    assert [r.id for r in article.references] == [r["id"] for r in expected["references"]]
    assert all(r.extra["origin"]["format"] == "html" for r in article.references)


def test_notes_list_is_not_counted_as_references() -> None:
    article = read_article(FIXTURES / "zh.html")
    assert "佩斯科夫说，金正恩邀请普京访问朝鲜。" not in [r.title for r in article.references]
    assert article.references[0].extra["origin"]["anchor"] == "cite_note-apnews-1"


BAD = [
    ("unclosed element", "<html><body><div><ol class=\"references\">\n<li>x</li>\n</div>",
     r"^bad\.html:1: broken HTML: <ol> is never closed"),
    ("stray end tag", "<html><body>\n<p>x</p></span>\n</body></html>",
     r"^bad\.html:2: broken HTML: </span> closes no open element"),
    ("truncated download", "<html><body><ol class=\"references\"><li><cite>Title",
     r"^bad\.html:1: broken HTML: <ol> is never closed"),
    ("no reference list", "<html><body><p>Hello</p></body></html>",
     r"^bad\.html:1: not a reference list"),
]


@pytest.mark.parametrize(("name", "html", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_html_is_one_line_with_where(name: str, html: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_text(html, "bad.html", "html")


# Hand-written footnotes for what the real pages in ../shared/realworld lack: no real ru
# or ja page with references exists there, nor interwiki or protocol-relative cited links
# in every rendering. Each case: one footnote's HTML, the fields read by eye.
def _page(*items: str) -> str:
    lis = "".join(
        f'<li id="cite_note-{n}"><span class="mw-cite-backlink"><b><a href="#cite_ref-{n}">^'
        f'</a></b></span> <span class="reference-text">{body}</span></li>'
        for n, body in enumerate(items, start=1)
    )
    marks = "".join(
        f'<sup id="cite_ref-{n}" class="reference"><a href="#cite_note-{n}">[{n}]</a></sup>'
        for n in range(1, len(items) + 1)
    )
    return (f'<div class="mw-parser-output"><p>Text.{marks}</p>'
            f'<div class="mw-references-wrap"><ol class="references">{lis}</ol></div></div>')


FOOTNOTES = [
    ("ru cs1 archived",
     '<span class="citation"><a class="external text" href="https://example.ru/a">Заглавие</a>. '
     '<i>Издание</i> (14 сентября 2023). Дата обращения: 18 сентября 2023. '
     '<a class="external text" href="https://web.archive.org/web/20230916092115/'
     'https://example.ru/a">Архивировано</a> '
     '16 сентября 2023 года.</span>',
     {"url": "https://example.ru/a", "title": "Заглавие", "archive_date": "2023-09-16",
      "access_date": "2023-09-18", "url_status": "live"}),
    ("ru webarchive",
     '<span class="citation"><a class="external text" href="https://example.ru/b">Заглавие</a>.'
     '</span> <a class="external text" href="https://web.archive.org/web/20161223000000/'
     'https://example.ru/b">Архивная копия</a> от 23 декабря 2016 на Wayback Machine',
     {"url": "https://example.ru/b", "archive_date": "2016-12-23",
      "archive_url": "https://web.archive.org/web/20161223000000/https://example.ru/b"}),
    ("ja cs1 archived",
     '<cite class="citation web"><a class="external text" href="https://example.jp/a">'
     '「題名」</a>. <i>作品</i>. 2023年9月13日. <a class="external text" href="https://web.'
     'archive.org/web/20230916000000/https://example.jp/a">2023年9月16日時点のオリジナル</a>'
     'よりアーカイブ。2023年9月18日閲覧。</cite>',
     {"url": "https://example.jp/a", "title": "題名", "archive_date": "2023-09-16",
      "access_date": "2023-09-18", "date": "2023-09-13"}),
    ("ja webarchive",
     '<cite class="citation web"><a class="external text" href="https://example.jp/b">題名</a>'
     '</cite> <a class="external text" href="https://web.archive.org/web/20161223000000/'
     'https://example.jp/b">アーカイブ</a> 2016年12月23日 - ウェイバックマシン',
     {"url": "https://example.jp/b", "archive_date": "2016-12-23"}),
    ("zh unbracketed dead",
     '<cite class="citation web"><a class="external text" href="https://web.archive.org/web/'
     '20130218000000/http://example.cn/a">标题</a>. <i>网站</i>. 2013-02-18 [2019-09-17]. '
     '<a class="external text" href="http://example.cn/a">原始内容</a>存档于2013-02-18.</cite>',
     {"url": "http://example.cn/a", "title": "标题", "archive_date": "2013-02-18",
      "url_status": "dead", "access_date": "2019-09-17"}),
    ("ja wayback template",
     '<cite class="citation web"><a class="external text" href="https://example.jp/c">題名</a>'
     '</cite> - <a class="external text" href="https://web.archive.org/web/20161223000000/'
     'https://example.jp/c">ウェイバックマシン</a>（2016年12月23日アーカイブ分）',
     {"url": "https://example.jp/c", "archive_date": "2016-12-23"}),
    ("zh traditional, date in 年月日",
     '<cite class="citation web"><a class="external text" href="https://example.tw/a">標題</a>. '
     '<i>網站</i>. 2016-12-20 [2017-01-02]. （<a class="external text" href="https://web.'
     'archive.org/web/20161223000000/https://example.tw/a">原始內容存檔</a>於2016年12月23日）.'
     '</cite>',
     {"url": "https://example.tw/a", "title": "標題", "archive_date": "2016-12-23",
      "access_date": "2017-01-02", "date": "2016-12-20", "url_status": "live"}),
    ("en webarchive, ISO date, another archive",
     '<cite class="citation web"><a class="external text" href="https://example.com/d">"D"</a>'
     '.</cite> <a class="external text" href="https://archive.today/20161224000000/https://'
     'example.com/d">Archived</a> 2016-12-23 at <a href="/wiki/Archive.today">Archive.today</a>',
     {"url": "https://example.com/d", "archive_date": "2016-12-23"}),
    ("protocol-relative links get https",
     '<cite class="citation web"><a class="external text" href="//example.org/p">Title</a>. '
     '<a class="external text" href="//web.archive.org/web/20200101000000/http://example.org/p">'
     'Archived</a> from the original on 1 January 2020.</cite>',
     {"url": "https://example.org/p", "title": "Title",
      "archive_url": "https://web.archive.org/web/20200101000000/http://example.org/p",
      "archive_date": "2020-01-01"}),
    ("interwiki and wiki links are never the URL",
     '<cite class="citation book"><a class="extiw" href="https://de.wikipedia.org/wiki/Buch" '
     'title="de:Buch">Buch</a>. <a href="/wiki/Verlag" title="Verlag">Verlag</a>. 1999.</cite>',
     {"url": None}),
    ("Parsoid interwiki is never the URL",
     '<cite class="citation book"><a rel="mw:WikiLink/Interwiki" href="https://fr.wikipedia.org'
     '/wiki/Livre">Livre</a>. 1999.</cite>',
     {"url": None}),
    ("archive.org/details is the live cited page",
     '<cite class="citation book"><a class="external text" href="https://archive.org/details/'
     'catbook00smit">"Cats"</a>. 1901.</cite>',
     {"url": "https://archive.org/details/catbook00smit", "archive_url": None, "title": "Cats"}),
    ("identifiers, never the URL",
     '<cite class="citation journal">Smith, J. (2001). "A paper". <i>Journal</i>. '
     '<a href="/wiki/Doi_(identifier)">doi</a>:<a class="external text" '
     'href="https://doi.org/10.1000%2F182">10.1000/182</a>. <a href="/wiki/PMID_(identifier)">'
     'PMID</a> <a class="external text" href="https://pubmed.ncbi.nlm.nih.gov/123456">123456</a>.'
     ' <a href="/wiki/ISBN_(identifier)">ISBN</a> <a href="/wiki/Special:BookSources/'
     '978-0-19-280290-9">978-0-19-280290-9</a>.</cite>',
     {"url": None, "title": "A paper",
      "identifiers": {"doi": "10.1000/182", "isbn": "9780192802909", "pmid": "123456"}}),
    ("zh quotes not around the whole title stay; a catalogue link is an identifier",
     '<a class="external text" href="http://example.cn/d">“龙虎斗”（“龙虎凤烩”）</a> '
     '<span title="中国国家图书馆联机公共目录查询系统（OPAC）"><a class="external text" '
     'href="http://opac.nlc.cn/F?func=direct&amp;local_base=NLC09&amp;doc_number=001238428">'
     'NLC 001238428</a></span>.',
     {"url": "http://example.cn/d", "title": "“龙虎斗”（“龙虎凤烩”）",
      "identifiers": {"nlc": "001238428"}}),
    ("a labelled identifier at an unknown resolver is never the URL",
     '<cite class="citation journal">Smith, J. (2001). "A paper". <i>Journal</i>. '
     '<a href="/wiki/ISSN_(identifier)">ISSN</a>&#160;<a class="external text" '
     'href="https://issn.example/0028-0836">0028-0836</a>. <a href="/wiki/S2CID_(identifier)">'
     'S2CID</a>&#160;<span class="id-lock-free"><a class="external text" '
     'href="https://s2.example/corpus/4375823">4375823</a></span>.</cite>',
     {"url": None, "title": "A paper", "issn": "0028-0836",
      "identifiers": {"s2cid": "4375823"}, "authors": [{"family": "Smith", "given": "J."}]}),
    ("free text with a link names its title in quotes",
     '<a class="external autonumber" href="https://www.census.gov/r.html"></a><a href="/wiki/'
     'USCB">U.S. Census Bureau</a>: "U.S. Census Bureau Delivers Final Totals" see table 2',
     {"url": "https://www.census.gov/r.html",
      "title": "U.S. Census Bureau Delivers Final Totals"}),
    ("free text without a link: a title in quotes after its author",
     'George B. Tindall, "Business Progressivism: Southern Politics in the Twenties," '
     '<i>South Atlantic Quarterly</i> 62 (Winter 1963): 92–106.',
     {"url": None, "title": "Business Progressivism: Southern Politics in the Twenties"}),
    ("a bare link has no title",
     '<a class="external free" href="https://example.net/x">https://example.net/x</a>',
     {"url": "https://example.net/x", "title": None}),
]


@pytest.mark.parametrize(("name", "body", "expected"), FOOTNOTES, ids=[f[0] for f in FOOTNOTES])
def test_footnote_renderings(name: str, body: str, expected: dict) -> None:
    record = parse_text(_page(body), "page.html", "html").references[0].to_dict()
    for key, value in expected.items():
        assert record.get(key) == value, key


def test_bundled_footnote_one_record_per_citation() -> None:
    body = ('<cite class="citation web"><a class="external text" href="https://a.example/">'
            '"A"</a>.</cite> <cite class="citation web"><a class="external text" '
            'href="https://b.example/">"B"</a>.</cite>; see also <a class="external text" '
            'href="https://c.example/">C</a>.')
    refs = parse_text(_page("Plain.", body), "page.html", "html").references
    assert [(r.id, r.url, r.title) for r in refs] == [
        ("1", None, "Plain"),
        ("2", "https://a.example/", "A"),
        ("2.2", "https://b.example/", "B"),
        ("2.3", "https://c.example/", "C"),
    ]


def test_short_citation_reads_its_full_citation() -> None:
    """{{sfn}} footnotes link to the bibliography's citation (#CITEREF…); one whose full
    citation the page lacks has no fields to read, not its short text as a title."""
    page = _page(
        '<a href="#CITEREFKing2003">King 2003</a>, p. 41.',
        '<a href="#CITEREFNobody1999">Nobody 1999</a>, p. 2.',
    ).replace('id="cite_note-1"', 'id="cite_note-FOOTNOTEKing200341-1"').replace(
        'href="#cite_note-1"', 'href="#cite_note-FOOTNOTEKing200341-1"')
    page += ('<ul><li><cite id="CITEREFKing2003" class="citation book">King, Michael (2003). '
             '<i>The Penguin History of New Zealand</i>. Penguin. <a href="/wiki/ISBN_(identifier)"'
             '>ISBN</a> <a href="/wiki/Special:BookSources/978-0-14-301867-4">978-0-14-301867-4'
             '</a>.</cite></li></ul>')
    refs = parse_text(page, "page.html", "html").references
    first, second = (r.to_dict() for r in refs)
    assert (first["title"], first["date"], first["authors"], first["identifiers"]) == (
        "The Penguin History of New Zealand", "2003", [{"family": "King", "given": "Michael"}],
        {"isbn": "9780143018674"})
    assert (first["short_citation"], first["text"]) == ("sfn", "King 2003, p. 41.")
    assert (second["title"], second["url"], second["short_citation"]) == (None, None, "harv")
    assert second["text"] == "Nobody 1999, p. 2."
