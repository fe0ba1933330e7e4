"""Real rendered Wikipedia pages (../shared/realworld/html, read in place): every
reference found with the reader's number, its fields right.

Expectations come from readings independent of the parser:
- the reference and note counts stated in ../shared/realworld/README.md (and checked by
  eye: the last mark of the main group and of the notes group in each page);
- a regex scan, written here, of the marks in the body (``<a href="#cite_note-…">[12]</a>``
  is footnote 12 of the main group; ``[n 1]``, ``[a]``, ``[註 1]`` a note);
- the COinS spans (``span.Z3988``): CS1's own data on title, authors and URL;
- the footnotes' links (regex): every external link that is neither an archive nor an
  identifier link is a cited URL, every archive link a cited archive;
- the visible archive-date renderings, matched by patterns written here per rendering.
A field is right for ≥ 99% of the cases a page has (the issue's bar).
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, unquote

import pytest

from verifier.model import Reference
from verifier.parse import parse_text
from verifier.parse.dates import normalise_date

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld" / "html"

# file: (references, notes) as the README states them (read by eye from the pages).
PAGES = {
    "readability-wikipedia.html": (72, 0),
    "readability-wikipedia-2.html": (368, 11),
    "readability-wikipedia-3.html": (5, 0),
    "readability-wikipedia-4.html": (80, 0),
    "mobileapps-parse_contents_en.html": (251, 1),
    "mobileapps-parse_contents_zh.html": (93, 1),
    "mobileapps-Dog.html": (236, 1),
    "mobileapps-United_States.html.gz": (716, 15),
    "mobileapps-ar-Mathematics.html": (7, 0),
}
# The article each page is (its source.url), read from the page by eye.
PAGE_URLS = {
    "readability-wikipedia.html": "https://en.wikipedia.org/wiki/Mozilla",
    "readability-wikipedia-2.html": "https://en.wikipedia.org/wiki/New_Zealand",
    "readability-wikipedia-3.html": "https://en.wikipedia.org/wiki/Hermitian_matrix",
    "mobileapps-parse_contents_en.html": "https://en.wikipedia.org/wiki/Cat",
    "mobileapps-parse_contents_zh.html": "https://zh.wikipedia.org/wiki/%E7%8C%AB",
    "mobileapps-Dog.html": "https://en.wikipedia.org/wiki/Dog",
    "mobileapps-United_States.html.gz": "https://en.wikipedia.org/wiki/United_States",
}
BAR = 0.99
# A tag's attributes, quoted values may hold ">" (Parsoid's data-mw JSON does).
ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""

ARCHIVE_LINK = re.compile(
    r"^https?://(?:web\.archive\.org/web/|(?:www\.)?webcitation\.org/|"
    r"archive\.(?:today|is|ph|li|vn|fo|md)/|ghostarchive\.org/archive/|perma\.cc/|wayback\.|"
    r"arquivo\.pt/wayback/|webarchive\.[a-z.]+/)"
)
ID_LINK = re.compile(
    r"^https?://(?:www\.)?(?:(?:dx\.)?doi\.org/|ncbi\.nlm\.nih\.gov/(?:pubmed|pmc)/|"
    r"pubmed\.ncbi\.nlm\.nih\.gov/|worldcat\.org/(?:oclc|issn)/|(?:ui\.)?adsabs\.harvard\.edu/abs/|"
    r"arxiv\.org/abs/|jstor\.org/stable/|api\.semanticscholar\.org/CorpusID|hdl\.handle\.net/|"
    r"lccn\.loc\.gov/|openlibrary\.org/|zbmath\.org/|mathscinet\.ams\.org/|"
    r"citeseerx\.ist\.psu\.edu/)"
)
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
         r"November|December)")
DATE = rf"(?:\d{{1,2}} {MONTH} \d{{4}}|{MONTH} \d{{1,2}}, \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
# One pattern per visible rendering of an archive date in these pages.
ARCHIVE_DATES = {
    "cs1 en dead": rf"Archived from the original(?: \(\w+\))? on ({DATE})",
    "cs1 en live pdf": rf"Archived \(\w+\) from the original on ({DATE})",
    "webarchive en": rf"Archived ({DATE}),? at the Wayback Machine",
    "cs1 zh": rf"原始内容存档(?: \(\w+\))?于({DATE})",
}


def _skip_without_data() -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is absent: the real captured pages live outside the repository")


@cache
def _html(name: str) -> str:
    raw = (REAL / name).read_bytes()
    return (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")


@cache
def _records(name: str) -> tuple[dict, tuple[Reference, ...]]:
    article = parse_text(_html(name), name, "html")
    return article.source, tuple(article.references)


@cache
def _marks(name: str) -> dict[str, str]:
    """footnote anchor -> the label its first mark in the body shows."""
    found: dict[str, str] = {}
    mark = re.compile(
        rf'<sup\b{ATTRS}>\s*<a\s{ATTRS}?href="[^"#]*#(cite_note-[^"]+)"{ATTRS}>(.*?)</a>', re.S
    )
    for anchor, label in mark.findall(_html(name)):
        text = re.sub(r"<[^>]+>", "", label).replace("&#91;", "[").replace("&#93;", "]")
        found.setdefault(unquote(anchor), text.strip().strip("[]"))
    return found


@cache
def _footnotes(name: str) -> dict[str, str]:
    """footnote anchor -> its HTML, for the anchors the records name (a regex cut from
    ``<li id=…>`` to the next ``<li id=…cite_note`` or the list's end)."""
    html = _html(name)
    out = {}
    starts = [(m.start(), unquote(m.group(1)))
              for m in re.finditer(r'<li\b[^>]*\bid="(cite_note-[^"]+)"', html)]
    for (start, anchor), nxt in zip(starts, [*starts[1:], (len(html), "")], strict=True):
        end = html.find("</ol>", start)
        out[anchor] = html[start:min(nxt[0], end if end > 0 else len(html))]
    return out


def _by_footnote(name: str) -> dict[str, list[Reference]]:
    groups: dict[str, list[Reference]] = {}
    for ref in _records(name)[1]:
        groups.setdefault(ref.extra["origin"]["anchor"], []).append(ref)
    return groups


def _text(html: str) -> str:
    html = re.sub(r"<style\b.*?</style>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", "", html)
    for entity, char in (("&amp;", "&"), ("&nbsp;", " "), ("&#160;", " "), ("&quot;", '"')):
        text = text.replace(entity, char)
    return " ".join(text.split())


def _links(html: str) -> list[str]:
    """The footnote's links out of the wiki (CS1 marks them: class external, mw:ExtLink)."""
    out = []
    for tag in re.findall(rf"<a\s{ATTRS}>", html):
        href = re.search(r'href="([^"]+)"', tag)
        if not href or not re.search(r'class="[^"]*external|rel="mw:ExtLink"', tag):
            continue
        url = href.group(1).replace("&amp;", "&")
        out.append("https:" + url if url.startswith("//") else url)
    return out


def _ratio(good: int, total: int) -> float:
    return 1.0 if total == 0 else good / total


CASES = sorted(PAGES)


@pytest.mark.parametrize("name", CASES)
def test_every_reference_found_with_the_readers_number(name: str) -> None:
    _skip_without_data()
    refs, _notes = PAGES[name]
    records = _records(name)[1]
    main = [r for r in records if "." not in r.id]
    assert [r.id for r in main] == [str(n) for n in range(1, refs + 1)]
    marks = _marks(name)
    shown = [r for r in main if r.extra["origin"]["anchor"] in marks]
    right = sum(marks[r.extra["origin"]["anchor"]] == r.id for r in shown)
    assert len(shown) >= BAR * refs and right == len(shown)


@pytest.mark.parametrize("name", CASES)
def test_no_note_is_a_reference(name: str) -> None:
    _skip_without_data()
    _refs, notes = PAGES[name]
    note_anchors = {a for a, label in _marks(name).items() if not label.isdigit()}
    assert len(note_anchors) == notes
    assert not note_anchors & {r.extra["origin"]["anchor"] for r in _records(name)[1]}


def _cited(links: list[str]) -> list[str]:
    return [u for u in links if not ID_LINK.match(u) and not ARCHIVE_LINK.match(u)]


def _same(url: str) -> str:
    """A URL without its scheme: a saved page's links may have been turned to https by
    the browser while COinS keeps the http the editor wrote; the same cited page."""
    return re.sub(r"^https?:", "", url)


@pytest.mark.parametrize("name", CASES)
def test_every_cited_url_of_a_footnote_is_a_record(name: str) -> None:
    """Bundled footnotes give one record per citation: no cited link is left unchecked.

    Each ``<cite>`` is a citation (one of its links is its URL: a chapter-url and a url
    are one citation); every link outside a ``<cite>`` is one too."""
    _skip_without_data()
    html, total, present, cites, records = _footnotes(name), 0, 0, 0, 0
    cite = re.compile(rf"<cite\b{ATTRS}>.*?</cite>", re.S)
    for anchor, refs in _by_footnote(name).items():
        urls = {_same(u) for r in refs for u in (r.url, r.archive_url) if u}
        body = html[anchor]
        blocks = cite.findall(body)
        cites += len(blocks)
        records += len(refs)
        for block in blocks:
            links = _cited(_links(block))
            if links:
                total += 1
                present += any(_same(u) in urls for u in links)
        for link in _cited(_links(cite.sub("", body))):
            total += 1
            present += _same(link) in urls
    assert records >= cites
    assert _ratio(present, total) >= BAR, f"{present} of {total}"


@pytest.mark.parametrize("name", CASES)
def test_urls_are_never_identifiers_wiki_links_or_relative(name: str) -> None:
    _skip_without_data()
    for ref in _records(name)[1]:
        if ref.url:
            assert ref.url.startswith(("http://", "https://")), ref.id
            assert not ID_LINK.match(ref.url), ref.id
            assert not re.match(r"https?://[a-z]+\.wikipedia\.org/wiki/", ref.url), ref.id
        if ref.archive_url:
            assert ARCHIVE_LINK.match(ref.archive_url), ref.id


@pytest.mark.parametrize("name", CASES)
def test_archive_links_are_the_records_archive_urls(name: str) -> None:
    _skip_without_data()
    html, total, present = _footnotes(name), 0, 0
    for anchor, refs in _by_footnote(name).items():
        archived = {r.archive_url for r in refs}
        for link in _links(html[anchor]):
            if ARCHIVE_LINK.match(link):
                total += 1
                present += link in archived
    assert _ratio(present, total) >= BAR, f"{present} of {total}"


def _coins(html: str) -> list[dict[str, list[str]]]:
    spans = re.findall(rf'<span\b{ATTRS}>', html)
    out = []
    for span in spans:
        title = re.search(r'title="([^"]*)"', span)
        if title and 'class="Z3988"' in span:
            out.append(parse_qs(title.group(1).replace("&amp;", "&")))
    return out


def _coins_expected(coins: dict[str, list[str]], field: str) -> object:
    """What COinS says of one field (None: it says nothing)."""
    if field == "authors":
        expected = []
        if "rft.aulast" in coins:
            expected.append((coins["rft.aulast"][0], (coins.get("rft.aufirst") or [None])[0]))
        for au in coins.get("rft.au", []):
            family, _, given = au.partition(",")
            expected.append((family.strip(), given.strip() or None))
        return expected or None
    if field == "identifiers":
        ids = {}
        for uri in coins.get("rft_id", []):
            m = re.match(r"info:([a-z]+)/(.+)", uri)
            if m and m.group(1) in INFO_KEYS:
                ids[INFO_KEYS[m.group(1)]] = m.group(2).casefold()
        return ids or None
    urls = [u for u in coins.get("rft_id", []) if u.startswith("http")
            and not ARCHIVE_LINK.match(u) and not ID_LINK.match(u)]
    return urls[0] if urls else None


def _agrees(ref: Reference, field: str, expected: object) -> bool:
    if field == "authors":
        return [(a.family, a.given) for a in ref.authors] == expected
    if field == "identifiers":
        got = {k: v.casefold() for k, v in (ref.extra.get("identifiers") or {}).items()}
        return all(got.get(k) == v for k, v in expected.items())  # type: ignore[union-attr]
    return ref.url == expected


def _coins_cases(name: str, field: str) -> tuple[int, int]:
    """(right, total) over the COinS spans of the page's footnotes, for one field. The
    span's record is the footnote's record with its title (two citations of a footnote
    may share one: either may be it)."""
    html, right, total = _footnotes(name), 0, 0
    for anchor, refs in _by_footnote(name).items():
        for coins in _coins(html[anchor]):
            title = next((coins[k][0] for k in ("rft.atitle", "rft.btitle", "rft.title")
                          if k in coins), None)
            if title is None:
                continue
            candidates = [r for r in refs if r.title == title.strip()]
            if field == "title":
                total += 1
                right += bool(candidates)
                continue
            expected = _coins_expected(coins, field)
            if not candidates or expected is None:
                continue
            total += 1
            right += any(_agrees(r, field, expected) for r in candidates)
    return right, total


COINS_CASES = [
    (name, field) for name in CASES for field in ("title", "authors", "url", "identifiers")
]
# COinS identifier ids (rft_id=info:doi/…, info:pmid/…) -> the record key, read here.
INFO_KEYS = {"doi": "doi", "pmid": "pmid", "bibcode": "bibcode", "oclcnum": "oclc",
             "arxiv": "arxiv", "pmc": "pmc", "hdl": "hdl", "lccn": "lccn"}


@pytest.mark.parametrize(("name", "field"), COINS_CASES)
def test_fields_agree_with_coins(name: str, field: str) -> None:
    _skip_without_data()
    right, total = _coins_cases(name, field)
    if total == 0:
        pytest.skip(f"{name} has no COinS {field} (COinS stripped or not rendered)")
    assert _ratio(right, total) >= BAR, f"{right} of {total}"


@pytest.mark.parametrize("name", CASES)
def test_archive_dates_from_every_rendering(name: str) -> None:
    _skip_without_data()
    html, right, total = _footnotes(name), 0, 0
    for anchor, refs in _by_footnote(name).items():
        text = _text(html[anchor])
        expected = {normalise_date(m.group(1)) for pattern in ARCHIVE_DATES.values()
                    for m in re.finditer(pattern, text)}
        got = {r.archive_date for r in refs}
        for date in expected:
            total += 1
            right += date in got
    if total == 0:
        pytest.skip(f"{name} shows no archive date")
    assert _ratio(right, total) >= BAR, f"{right} of {total}"


@pytest.mark.parametrize("name", sorted(PAGE_URLS))
def test_source_url_from_the_page(name: str) -> None:
    _skip_without_data()
    assert _records(name)[0]["url"] == PAGE_URLS[name]


USES_PAGES = ["mobileapps-Dog.html", "mobileapps-United_States.html.gz",
              "mobileapps-parse_contents_en.html", "readability-wikipedia-2.html"]


@pytest.mark.parametrize("name", USES_PAGES)
def test_uses_from_back_links(name: str) -> None:
    """A footnote cited n times has n back-links (legacy ``#cite_ref-…_N-k``, Parsoid
    ``rel="mw:referencedBy"`` with one link per use): counted here by regex."""
    _skip_without_data()
    html, right, total = _footnotes(name), 0, 0
    for anchor, refs in _by_footnote(name).items():
        body = html[anchor]
        head = body.split('class="reference-text"')[0].split('class="mw-reference-text"')[0]
        backs = len(re.findall(r'href="[^"]*#cite_ref-[^"]*"', head))
        total += 1
        right += all(r.uses == max(1, backs) for r in refs)
    assert _ratio(right, total) >= BAR, f"{right} of {total}"


@pytest.mark.parametrize("name", ["readability-wikipedia-2.html", "readability-wikipedia-3.html"])
def test_titles_without_coins(name: str) -> None:
    """Pages whose COinS were stripped: a CS1 title is the quoted text of its link
    (``<a class="external text" …>"Title"</a>``), read here by regex."""
    _skip_without_data()
    html, right, total = _footnotes(name), 0, 0
    quoted = re.compile(rf'<cite\b{ATTRS}>(?:(?!</cite>).)*?<a\s{ATTRS}>"(.+?)"</a>', re.S)
    for anchor, refs in _by_footnote(name).items():
        titles = {r.title for r in refs}
        for m in quoted.finditer(html[anchor]):
            total += 1
            right += _text(m.group(1)) in titles
    if total == 0:
        pytest.skip(f"{name} has no quoted title link")
    assert _ratio(right, total) >= BAR, f"{right} of {total}"
