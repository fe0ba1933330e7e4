"""The fast tokenizer against ``html.parser``, the oracle: whenever ``tokenize`` says it is
sure, it made the very calls ``html.parser`` makes; and ``scan_page`` (fast path, or
``html.parser`` when the fast path declines) always answers as ``html.parser`` alone does.

Inputs: the captured pages of ``../shared/realworld/html`` (whole, and cut at many places,
as a body cap cuts them), hand-written hostile markup, and seeded random documents built
from the constructs where tokenizers differ.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import random
from functools import cache

import pytest

from tests.realworld_text import REALWORLD
from verifier.html_tokens import parse, tokenize
from verifier.titles import SCAN_LIMIT, _parse_head, scan_page

Event = tuple


class _Recorder:
    """Every call, text runs merged (html.parser may split a run into several calls)."""

    def __init__(self, keeping_text: bool = True) -> None:
        self.events: list[Event] = []
        self.keeping_text = keeping_text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("startend", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data)
        else:
            self.events.append(("data", data))


def oracle_events(text: str) -> list[Event]:
    recorder = _Recorder()
    parse(text, recorder)
    return [e for e in recorder.events if e != ("data", "")]


def fast_events(text: str, keeping_text: bool = True) -> list[Event] | None:
    """The tokenizer's calls, or None when it declined."""
    recorder = _Recorder(keeping_text)
    if not tokenize(text, recorder):
        return None
    return [e for e in recorder.events if e != ("data", "")]


def without_text(events: list[Event]) -> list[Event]:
    return [e for e in events if e[0] != "data"]


def assert_same_calls(text: str) -> bool:
    """Check ``text`` both ways; whether the tokenizer was sure of it."""
    oracle = oracle_events(text)
    fast = fast_events(text)
    if fast is not None:
        assert fast == oracle, text[:300]
    # Not keeping text, a cut tail is no reason to decline: the tags must still agree.
    loose = fast_events(text, keeping_text=False)
    if loose is not None:
        assert without_text(loose) == without_text(oracle), text[:300]
    return fast is not None


def assert_same_head(text: str) -> None:
    for want_heading in (False, True):
        assert scan_page(text, want_heading=want_heading) == _parse_head(
            text[:SCAN_LIMIT], want_heading
        ), (want_heading, text[:300])


@cache
def real_pages() -> dict[str, str]:
    pages = {}
    for path in sorted(REALWORLD.iterdir()):
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        pages[path.name] = raw.decode("utf-8")
    return pages


def test_there_are_real_pages_to_read() -> None:
    assert len(real_pages()) >= 8


@pytest.mark.parametrize("name", sorted(p.name for p in REALWORLD.iterdir()))
def test_on_a_real_page_the_tokenizer_makes_html_parsers_calls(name: str) -> None:
    assert_same_calls(real_pages()[name][:SCAN_LIMIT])


@pytest.mark.parametrize("name", sorted(p.name for p in REALWORLD.iterdir()))
def test_a_real_page_cut_anywhere_reads_as_html_parser_reads_it(name: str) -> None:
    text = real_pages()[name]
    rng = random.Random(name)
    cuts = {rng.randrange(1, min(len(text), 20_000)) for _ in range(25)}
    # Right inside markup: a tag, an attribute value, a comment or a script cut short.
    for marker in ("<title", "<meta", "<script", "<style", "<!--", "<h1", "</title>", '="'):
        at = text.find(marker)
        if at >= 0:
            cuts.update(at + k for k in range(0, len(marker) + 3))
    for cut in sorted(cuts):
        assert_same_calls(text[:cut])
        assert_same_head(text[:cut])
    assert_same_head(text)


def test_the_fast_path_is_taken_on_real_heads() -> None:
    """Not a speed test: a tokenizer that declined everything would pass every other test
    here and help nobody."""
    heads = {
        name: text[: text.find("<body")] for name, text in real_pages().items() if "<body" in text
    }
    assert len(heads) >= 5
    sure = [name for name, head in heads.items() if fast_events(head) is not None]
    assert sorted(sure) == sorted(heads)


# Each case: markup where tokenizers differ, with what an independent reading says the
# page's title is (None where no title can be read).
HOSTILE = [
    ("<TITLE>A &amp; B</TITLE>", "A & B"),
    ("<title>a <b>bold</b> word</title>", None),  # markup or text, by version
    ("<title>x < y</title>", "x < y"),
    ("<!-- <title>fake</title> --><title>real</title>", "real"),
    ("<!-- a -- > <title>old parsers end the comment here</title> --><title>t</title>", None),
    ("<!--><title>empty comment</title>", None),
    ("<!---><title>empty comment</title>", None),
    ("<!-- x --!><title>after bang</title>", None),
    ('<script>var t = "<title>no</title>";</script><title>yes</title>', "yes"),
    ("<script>document.write('</div>')</script><title>yes</title>", "yes"),
    ("<script>a = 1</ script><title>t</title></script>", None),
    ("<script>a</script ><title>t</title>", None),
    ("<script><!-- <script></script> --></script><title>t</title>", None),
    ("<SCRIPT>x</SCRIPT><title>upper</title>", "upper"),
    ("<style>/* </title> */</style><title>styled</title>", "styled"),
    ('<meta property="og:title" content=\'x > y\'><title>t</title>', "t"),
    ('<meta property="og:title" content="only og">', "only og"),
    ('<meta name="og:title" content="A &quot;q&quot; &#8212; B">', 'A "q" — B'),
    ("<meta property=og:title content=bare><title>t</title>", "t"),
    ("<meta property=og:title content=bare/><title>t</title>", "t"),
    ('<meta\u00a0property="og:title" content="nbsp">', None),
    ('<meta property="og:title"content="glued">', None),
    ("<title>first</title><title>second</title>", "first"),
    ("<title>never closed</head><body><h1>h</h1>", None),
    ("<title/>after<title>t</title>", None),
    ("<textarea><title>in textarea</title></textarea><title>t</title>", None),
    ("<xmp><title>in xmp</title></xmp><title>t</title>", None),
    ("<noscript><title>in noscript</title></noscript>", "in noscript"),
    ("<![CDATA[<title>cdata</title>]]><title>t</title>", None),
    ("<?xml version='1.0'?><title>t</title>", None),
    ("<!DOCTYPE html><html><head><title>doc</title></head>", "doc"),
    ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN"><title>t</title>', None),
    ("<body><title>in body</title>", None),
    ("<h1>Heading &amp; more</h1><title>late</title>", None),
    ('<meta http-equiv="Refresh" content="0; URL=\'/new\'"><title>t</title>', "t"),
    ("<title>tab\tand\nnewline</title>", "tab and newline"),
    ("<title>cut &am", None),
    (
        '<meta property="og:title" content="A &amp; B &#38; C &#x26; D &notin; E">',
        "A & B & C & D ∉ E",
    ),
    ('<meta property="og:title" content="?a=1&copy=2&ampx">', None),  # by version
    ("<ti", None),
    ("", None),
]


@pytest.mark.parametrize(("markup", "title"), HOSTILE)
def test_hostile_markup_reads_as_html_parser_reads_it(markup: str, title: str | None) -> None:
    assert_same_calls(markup)
    assert_same_head(markup)
    if title is not None:
        assert scan_page(markup).best_title == title


def test_what_the_tokenizer_declines_it_declines_before_answering() -> None:
    for markup in (
        "<title>a <b>bold</b> word</title>",
        "<!--><title>x</title>",
        "<script>a = 1</ script><title>t</title></script>",
        '<meta\u00a0property="og:title" content="nbsp">',
        "<textarea></textarea>",
        # Read alike by this Python's html.parser, differently by newer ones (an empty
        # comment; a script's escaped text): declined on every version.
        "<!---> x -->",
        "<script><!-- x --></script>",
        # An attribute's references as HTML5 reads them (newer versions) or not (older).
        '<a href="?a=1&copy=2">',
        '<a href="?x&ampy">',
        '<a title="&amp">',
    ):
        assert fast_events(markup) is None, markup
    # ...and scan_page still reads it, by html.parser (which, by version, reads the title's
    # content as markup or as text).
    markup = "<title>a <b>bold</b> word</title>"
    assert scan_page(markup) == _parse_head(markup, True)
    assert scan_page(markup).title in ("a bold word", "a <b>bold</b> word")


# Pieces of markup where tokenizers part ways, for random documents.
PIECES = [
    "<title>T &amp; t</title>", "<TITLE>Up</TITLE>", "<title>a<b>b</b></title>",
    "<title>", "</title>", "<h1>", "</h1>", "<H1 class=x>", "<h1/>", "<head>", "</head>",
    "<body>", "<body class='b'>", "<html lang=en>", "<!DOCTYPE html>", "<!doctype html>",
    '<meta property="og:title" content="O &lt; G">', "<meta name=og:title content=bare>",
    '<meta http-equiv="refresh" content="5;url=/x">', "<meta charset=utf-8/>",
    '<meta charset="utf-8"/>', "<meta a='1'b='2'>", '<link rel="x" href="/a?b=1&amp;c=2">',
    '<a href="/x" title="a > b">', "<a href=/x/>", "<br/>", "<br />", "<input disabled>",
    "<img src=x alt=''>", "<div data-x='{\"a\":\"<b>\"}'>", "<!-- c -->", "<!---->",
    "<!-- a -- >", "<!-->", "<!--->", "<!-- x --!>", "<![CDATA[x]]>", "<?pi x?>",
    "<script>if (a < b) x = '</div>';</script>", "<script></script>",
    "<script><!-- x --></script>", "<script>x</ script>", "<script>x</script >",
    "<script>x</SCRIPT>", "<style>a > b { }</style>", "<style>x</style/>",
    "<textarea>t</textarea>", "<noscript><img src=x></noscript>", "<iframe>i</iframe>",
    "text", " ", "\n", "&amp;", "&copy", "&#x41;", "&#", "a < b", "<", ">", "<3", "</>",
    "</ div>", "</div foo>", "</div>", "<span\u00a0a=1>", "é日本", "<p", "<meta content=\"x",
    '<a href="?a=1&copy=2">', '<meta property="og:title" content="x &amp; y &#38; z">',
]  # fmt: skip


def test_random_documents_read_as_html_parser_reads_them() -> None:
    rng = random.Random(13)
    sure = declined = 0
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 14)))
        if assert_same_calls(text):
            sure += 1
        else:
            declined += 1
        assert_same_head(text)
    # Both paths were exercised, by many documents each.
    assert sure > 300 and declined > 300, (sure, declined)


# Another Python's html/parser.py (a newer release, or a distribution's security build),
# read as a second oracle when named: the tokenizer must agree with it too wherever it is
# sure. E.g. Debian's: apt-get download libpython3.11-stdlib, dpkg-deb -x it, and name
# its usr/lib/python3.11/html/parser.py.
OTHER_PARSER = os.environ.get("VERIFY_REFS_OTHER_HTML_PARSER")


@pytest.mark.skipif(not OTHER_PARSER, reason="VERIFY_REFS_OTHER_HTML_PARSER not set")
def test_another_versions_html_parser_reads_alike_wherever_the_tokenizer_is_sure() -> None:
    assert OTHER_PARSER is not None
    spec = importlib.util.spec_from_file_location("other_html_parser", OTHER_PARSER)
    assert spec is not None and spec.loader is not None
    other = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(other)

    def other_events(text: str) -> list[Event]:
        recorder = _Recorder()
        parser = other.HTMLParser(convert_charrefs=True)
        parser.handle_starttag = recorder.handle_starttag
        parser.handle_startendtag = recorder.handle_startendtag
        parser.handle_endtag = recorder.handle_endtag
        parser.handle_data = recorder.handle_data
        parser.feed(text)
        parser.close()
        return [e for e in recorder.events if e != ("data", "")]

    rng = random.Random(13)
    texts = [m for m, _ in HOSTILE]
    texts += ["".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 14))) for _ in range(3000)]
    for text in real_pages().values():
        texts += [text[:SCAN_LIMIT], *(text[:cut] for cut in range(500, 20_000, 777))]
    for text in texts:
        fast = fast_events(text)
        if fast is not None:
            assert fast == other_events(text), text[:300]


def test_a_fault_in_the_fast_path_falls_back_to_html_parser(monkeypatch) -> None:
    def broken(text: str, handler: object) -> bool:
        raise RuntimeError("a bug in the tokenizer")

    monkeypatch.setattr("verifier.titles.tokenize", broken)
    markup = "<title>Still read</title>"
    assert scan_page(markup) == _parse_head(markup, True)
    assert scan_page(markup).title == "Still read"
