"""Real rendered Wikipedia pages (../shared/realworld/html, read in place): every
reference found with the reader's number, its fields right.

Expectations come from readings independent of the parser:
- the reference and note counts stated in ../shared/realworld/README.md (and checked by
  eye: the last mark of the main group and of the notes group in each page);
- a regex scan, written here, of the marks in the body (``<a href="#cite_note-…">[12]</a>``
  is footnote 12 of the main group; ``[n 1]``, ``[a]``, ``[註 1]`` a note);
- the COinS spans (``span.Z3988``): CS1's own data on title, authors, URL, identifiers;
  where a page has none (COinS stripped), CS1's visible layout read by regex here: the
  title in quotes (else the first italics), the authors before "(date).", the URL the
  title's link (the "original" link when the title goes to the archive);
- the footnotes' links (regex): every external link that is neither an archive nor an
  identifier link is a cited URL, every archive link a cited archive;
- the visible archive-date renderings, matched by patterns written here per rendering,
  else the capture date in the archive link;
- the visible access dates ("Retrieved …", zh "[2008-06-22]"), by regex here;
- back-links (legacy ``#cite_ref-…``, Parsoid ``mw:referencedBy``) for ``uses``.
A measure is right for ≥ 99% of the cases a page has (the issue's bar).
``python -m tests.test_parse_html_realworld`` prints every page's figures.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from html import unescape
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
    "readability-wikipedia-4.html":
        "https://en.wikipedia.org/wiki/List_of_films_featuring_time_loops",
    "mobileapps-ar-Mathematics.html":
        "https://ar.wikipedia.org/wiki/%D8%B1%D9%8A%D8%A7%D8%B6%D9%8A%D8%A7%D8%AA",
}
# Each page's title as its heading (or <title>) shows it, read by eye.
PAGE_TITLES = {
    "readability-wikipedia.html": "Mozilla",
    "readability-wikipedia-2.html": "New Zealand",
    "readability-wikipedia-3.html": "Hermitian matrix",
    "readability-wikipedia-4.html": "List of films featuring time loops",
    "mobileapps-parse_contents_en.html": "Cat",
    "mobileapps-parse_contents_zh.html": "猫",
    "mobileapps-Dog.html": "Dog",
    "mobileapps-United_States.html.gz": "United States",
    "mobileapps-ar-Mathematics.html": "رياضيات",
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
    r"citeseerx\.ist\.psu\.edu/|(?:papers\.)?ssrn\.com/|opac\.nlc\.cn/)"
)
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
         r"November|December)")
DATE = rf"(?:\d{{1,2}} {MONTH} \d{{4}}|{MONTH} \d{{1,2}}, \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
# One pattern per visible rendering of an archive date in these pages (CS1 en dead and
# live, with a format; {{webarchive}} en; CS1 zh, the format before or after 存档).
ARCHIVE_DATES = {
    "cs1 en": rf"Archived(?: \(\w+\))? from the original(?: \(\w+\))? on ({DATE})",
    "webarchive en": rf"Archived ({DATE}),? at the Wayback Machine",
    "cs1 zh": rf"原始内容(?: \(\w+\))?存档(?: \(\w+\))?于({DATE})",
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


# ----------------------------------------------------------------------- the measures
# Each gives (right, total) for one page.


def _numbers(name: str) -> tuple[int, int]:
    """References of the main group with the number their marks show."""
    refs, _notes = PAGES[name]
    main = [r for r in _records(name)[1] if "." not in r.id]
    marks = _marks(name)
    right = sum(
        1 for k, r in enumerate(main, start=1)
        if k <= refs and r.id == str(k) and marks.get(r.extra["origin"]["anchor"], r.id) == r.id
    )
    return right, max(refs, len(main))


def _notes_apart(name: str) -> tuple[int, int]:
    """Notes (marks not a number) that are not read as references."""
    notes = {a for a, label in _marks(name).items() if not label.isdigit()}
    anchors = {r.extra["origin"]["anchor"] for r in _records(name)[1]}
    return len(notes - anchors), len(notes)


def _cited(links: list[str]) -> list[str]:
    return [u for u in links if not ID_LINK.match(u) and not ARCHIVE_LINK.match(u)]


def _same(url: str) -> str:
    """A URL without its scheme: a saved page's links may have been turned to https by
    the browser while COinS keeps the http the editor wrote; the same cited page."""
    return re.sub(r"^https?:", "", url)


CITE = re.compile(rf"<cite\b{ATTRS}>.*?</cite>", re.S)


def _cited_urls(name: str) -> tuple[int, int]:
    """Bundled footnotes give one record per citation: every cited link is a record's.

    Each ``<cite>`` is a citation (one of its links is its URL: a chapter-url and a url
    are one citation); every link outside a ``<cite>`` is one too."""
    html, total, present = _footnotes(name), 0, 0
    for anchor, refs in _by_footnote(name).items():
        urls = {_same(u) for r in refs for u in (r.url, r.archive_url) if u}
        body = html[anchor]
        for block in CITE.findall(body):
            links = _cited(_links(block))
            if links:
                total += 1
                present += any(_same(u) in urls for u in links)
        for link in _cited(_links(CITE.sub("", body))):
            total += 1
            present += _same(link) in urls
    return present, total


def _archive_urls(name: str) -> tuple[int, int]:
    html, total, present = _footnotes(name), 0, 0
    for anchor, refs in _by_footnote(name).items():
        archived = {r.archive_url for r in refs}
        for link in _links(html[anchor]):
            if ARCHIVE_LINK.match(link):
                total += 1
                present += link in archived
    return present, total


def _capture_day(url: str) -> str | None:
    m = re.search(r"/(?:web|wayback)/(\d{4})(\d{2})(\d{2})", url)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def _archive_dates(name: str) -> tuple[int, int]:
    """Every archive date the footnote shows is a record's; where it shows none, the
    record of an archive link has the link's capture day."""
    html, right, total = _footnotes(name), 0, 0
    for anchor, refs in _by_footnote(name).items():
        text = _text(html[anchor])
        shown = {normalise_date(m.group(1)) for pattern in ARCHIVE_DATES.values()
                 for m in re.finditer(pattern, text)}
        got = {r.archive_date for r in refs}
        for date in shown:
            total += 1
            right += date in got
        if shown:
            continue
        for link in _links(html[anchor]):
            if ARCHIVE_LINK.match(link) and (day := _capture_day(link)):
                total += 1
                right += any(r.archive_url == link and r.archive_date == day for r in refs)
    return right, total


def _access_dates(name: str) -> tuple[int, int]:
    """Every access date the footnote shows (en "Retrieved …", zh "[2008-06-22]") is a
    record's."""
    html, right, total = _footnotes(name), 0, 0
    shown = re.compile(
        r"(?:Retrieved|Accessed) (?:on )?([^.]+?)(?:\.|$)|\[(\d{4}-\d{1,2}-\d{1,2})\]"
    )
    for anchor, refs in _by_footnote(name).items():
        for m in shown.finditer(_text(html[anchor])):
            if date := normalise_date(m.group(1) or m.group(2)):
                total += 1
                right += any(r.access_date == date for r in refs)
    return right, total


def _uses(name: str) -> tuple[int, int]:
    """A footnote cited n times has n back-links (legacy ``#cite_ref-…_N-k``, Parsoid
    ``rel="mw:referencedBy"`` with one link per use): counted here by regex."""
    html, right, total = _footnotes(name), 0, 0
    for anchor, refs in _by_footnote(name).items():
        body = html[anchor]
        head = body.split('class="reference-text"')[0].split('class="mw-reference-text"')[0]
        backs = len(re.findall(r'href="[^"]*#cite_ref-[^"]*"', head))
        total += 1
        right += all(r.uses == max(1, backs) for r in refs)
    return right, total


# -- what a citation says of itself: its COinS, else its visible CS1 layout


def _coins(block: str) -> dict[str, list[str]] | None:
    for span in re.findall(rf"<span\b{ATTRS}>", block):
        title = re.search(r'title="([^"]*)"', span)
        if title and 'class="Z3988"' in span:
            # CS1 writes "[" and "]" of a title as &#91; &#93; in COinS: the reader sees []
            return {k: [unescape(v) for v in vs]
                    for k, vs in parse_qs(title.group(1).replace("&amp;", "&")).items()}
    return None


def _from_coins(coins: dict[str, list[str]]) -> dict[str, object]:
    title = next((coins[k][0] for k in ("rft.atitle", "rft.btitle", "rft.title")
                  if k in coins), None)
    authors = []
    if "rft.aulast" in coins:
        authors.append((coins["rft.aulast"][0], (coins.get("rft.aufirst") or [None])[0]))
    for au in coins.get("rft.au", []):
        family, _, given = au.partition(",")
        authors.append((family.strip(), given.strip() or None))
    ids = {}
    for uri in coins.get("rft_id", []):
        m = re.match(r"info:([a-z]+)/(.+)", uri)
        if m and m.group(1) in INFO_KEYS:
            ids[INFO_KEYS[m.group(1)]] = m.group(2).casefold()
    urls = [u for u in coins.get("rft_id", []) if u.startswith("http")
            and not ARCHIVE_LINK.match(u) and not ID_LINK.match(u)]
    return {"title": title and re.sub(r"[ \t\n]+", " ", title).strip(), "authors": authors or None,
            "identifiers": ids or None, "url": urls[0] if urls else None}


def _from_layout(cite: str) -> dict[str, object]:
    """CS1's visible layout: ``Authors (date). "Title". <i>Work</i> … doi:… ISBN …``; a
    book's title in italics when nothing is quoted."""
    text = _text(cite)
    quoted = re.search(r'"(.+?)"(?=\.(?:\s|$)|,|\s\(|$)', text)
    italic = re.search(r"<i>(.*?)</i>", cite, re.S)
    title = quoted.group(1) if quoted else (_text(italic.group(1)) if italic else None)
    if title and quoted is None and not text.find(title) < 80:
        title = None
    authors = None
    lead = re.match(r"^([^\"(]+?)\s*\((?:[^()]*\d{4}[^()]*)\)(?:\s*\[[^\]]*\])?\.\s", text)
    if lead and not re.search(r"\bed(?:s)?\.$|\(eds?\.\)", lead.group(1)):
        authors = []
        for part in re.split(r";\s+|\s+&\s+", lead.group(1)):
            if part == "et al.":  # what CS1 shows for names it does not list
                continue
            family, _, given = part.partition(", ")
            authors.append((family.strip(), given.strip() or None))
    url = None
    for tag, inner in re.findall(rf"(<a\s{ATTRS}>)(.*?)</a>", cite, re.S):
        href = re.search(r'href="([^"]+)"', tag)
        if href and title and _text(inner).strip('"') == title:
            url = href.group(1).replace("&amp;", "&")
            url = "https:" + url if url.startswith("//") else url
            break
    if url and ARCHIVE_LINK.match(url):
        original = re.search(r'href="([^"]+)"[^>]*>the original</a>', cite)
        url = original.group(1).replace("&amp;", "&") if original else None
    if url and (ID_LINK.match(url) or not url.startswith("http")):
        url = None
    ids = {}
    for doi in re.findall(r'href="(?:https?:)?//doi\.org/([^"]+)"', cite):
        ids.setdefault("doi", unquote(doi).casefold())
    for isbn in re.findall(r'href="[^"]*Special:BookSources/([0-9Xx-]+)"', cite):
        ids.setdefault("isbn", isbn.replace("-", "").casefold())
    return {"title": title, "authors": authors, "identifiers": ids or None, "url": url}


@cache
def _citations(name: str) -> tuple[tuple[str, dict[str, object]], ...]:
    """(footnote anchor, what the citation says) for every ``<cite>`` of the footnotes."""
    html, out = _footnotes(name), []
    for anchor in _by_footnote(name):
        body = html[anchor]
        cites = list(CITE.finditer(body))
        for k, m in enumerate(cites):
            after = body[m.end():cites[k + 1].start() if k + 1 < len(cites) else len(body)]
            coins = _coins(m.group(0)) or _coins(after.split("<cite")[0])
            out.append((anchor, _from_coins(coins) if coins else _from_layout(m.group(0))))
    return tuple(out)


def _agrees(ref: Reference, field: str, expected: object) -> bool:
    if field == "authors":
        return [(a.family, a.given) for a in ref.authors] == expected
    if field == "identifiers":
        got = {k: v.casefold() for k, v in (ref.extra.get("identifiers") or {}).items()}
        return all(got.get(k) == v for k, v in expected.items())  # type: ignore[union-attr]
    if field == "url":
        return ref.url is not None and _same(ref.url) == _same(str(expected))
    return getattr(ref, field) == expected


def _field(name: str, field: str) -> tuple[int, int]:
    """(right, total) over the page's citations for one field. A citation's record is the
    footnote's record with its title (two citations of a footnote may share one)."""
    by_footnote, right, total = _by_footnote(name), 0, 0
    for anchor, says in _citations(name):
        if says["title"] is None:
            continue
        candidates = [r for r in by_footnote[anchor] if r.title == says["title"]]
        if field == "title":
            total += 1
            right += bool(candidates)
            continue
        expected = says[field]
        if not candidates or expected is None:
            continue
        total += 1
        right += any(_agrees(r, field, expected) for r in candidates)
    return right, total


def _short_citations(name: str) -> tuple[int, int]:
    """A short citation ("King 2003, p. 41.", a link to ``#CITEREF…``, no citation of its
    own) has the title of the full citation it links to."""
    html, right, total = _html(name), 0, 0
    full = {}
    for m in re.finditer(rf'<cite\b[^>]*\bid="(CITEREF[^"]+)"{ATTRS}>.*?</cite>', html, re.S):
        block = html[m.start():m.end() + 3000].split("<cite", 2)
        coins = _coins("<cite" + block[1]) if len(block) > 1 else None
        full[unquote(m.group(1))] = (_from_coins(coins) if coins
                                     else _from_layout(m.group(0)))["title"]
    notes = _footnotes(name)
    for anchor, refs in _by_footnote(name).items():
        body = notes[anchor]
        target = re.search(r'href="[^"]*#(CITEREF[^"]+)"', body)
        if "<cite" in body or target is None or full.get(unquote(target.group(1))) is None:
            continue
        total += 1
        right += refs[0].title == full[unquote(target.group(1))]
    return right, total


MEASURES = {
    "numbers": _numbers,
    "notes apart": _notes_apart,
    "titles": lambda name: _field(name, "title"),
    "authors": lambda name: _field(name, "authors"),
    "urls": lambda name: _field(name, "url"),
    "identifiers": lambda name: _field(name, "identifiers"),
    "short citations": _short_citations,
    "cited urls": _cited_urls,
    "archive urls": _archive_urls,
    "archive dates": _archive_dates,
    "access dates": _access_dates,
    "uses": _uses,
}
# COinS identifier ids (rft_id=info:doi/…, info:pmid/…) -> the record key, read here.
INFO_KEYS = {"doi": "doi", "pmid": "pmid", "bibcode": "bibcode", "oclcnum": "oclc",
             "arxiv": "arxiv", "pmc": "pmc", "hdl": "hdl", "lccn": "lccn"}


@pytest.mark.parametrize(("name", "measure"), [(n, m) for n in CASES for m in MEASURES])
def test_measure(name: str, measure: str) -> None:
    _skip_without_data()
    right, total = MEASURES[measure](name)
    if total == 0:
        pytest.skip(f"{name} has nothing to measure for {measure}")
    assert _ratio(right, total) >= BAR, f"{right} of {total}"


@pytest.mark.parametrize("name", CASES)
def test_main_group_numbered_one_to_n(name: str) -> None:
    _skip_without_data()
    refs, notes = PAGES[name]
    assert [r.id for r in _records(name)[1] if "." not in r.id] == [
        str(n) for n in range(1, refs + 1)
    ]
    assert len({a for a, label in _marks(name).items() if not label.isdigit()}) == notes


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


@pytest.mark.parametrize("name", sorted(PAGE_URLS))
def test_source_url_from_the_page(name: str) -> None:
    _skip_without_data()
    assert _records(name)[0]["url"] == PAGE_URLS[name]


@pytest.mark.parametrize("name", CASES)
def test_source_title_from_the_page(name: str) -> None:
    _skip_without_data()
    assert _records(name)[0]["title"] == PAGE_TITLES[name]


def main() -> None:
    """Print every page's figures (``right/total`` per measure)."""
    names = list(MEASURES)
    print("| page | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for name in CASES:
        cells = []
        for measure in names:
            right, total = MEASURES[measure](name)
            cells.append(f"{right}/{total}" if total else "–")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
