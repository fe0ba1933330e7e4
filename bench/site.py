"""The synthetic web the benchmark checks: addresses, page titles, page bodies, references.

Pure functions, no I/O, so the server (``bench.web``), the references generator and the
tests agree on every title without sharing state. Everything is deterministic: the same
host and page number always give the same title and the same bytes.

The hosts are 127.0.2.1 ... 127.0.2.250, then 127.1.1.1 ... 127.1.1.250, 127.1.2.1 ...
for larger webs (all of 127.0.0.0/8 is loopback on Linux, so each host is its own address
and a checker's per-host politeness applies as on the real web); the index page that
links every page lives on its own host, 127.0.3.1.

Answers are late by a fixed delay, or by a ``Delay``: each (host, path) its own, drawn
from a seeded uniform range, the same on every request (a retry waits as long).
"""

from __future__ import annotations

import heapq
import html
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

from .slow_dns import name_for

HOST_PREFIX = "127.0.2."
INDEX_HOST = "127.0.3.1"
FIRST_BLOCK = 250  # 127.0.2.1 .. 127.0.2.250, then 127.1.B.1 .. 127.1.B.250
MAX_HOSTS = FIRST_BLOCK + 250 * 250

# Every tenth page is in Russian, served in windows-1251: title matching must decode it.
CYRILLIC_EVERY = 10
CYRILLIC_AT = 7

_ADJECTIVES = (
    "Northern",
    "Quiet",
    "Municipal",
    "Annual",
    "Coastal",
    "Rural",
    "Historic",
    "Modern",
    "Regional",
    "Independent",
    "Lost",
    "Early",
    "Public",
    "Hidden",
    "Forgotten",
    "National",
)
_NOUNS = (
    "harbour",
    "railway",
    "library",
    "orchestra",
    "bridge",
    "archive",
    "museum",
    "market",
    "school",
    "lighthouse",
    "council",
    "festival",
    "observatory",
    "canal",
    "mill",
    "theatre",
)
_TOPICS = (
    "reopens after repairs",
    "budget approved",
    "celebrates its centenary",
    "faces closure",
    "wins national award",
    "plans expansion",
    "report published",
    "records a busy season",
    "appoints new director",
    "restoration completed",
)
_RU_WORDS = (
    "Городская",
    "библиотека",
    "открылась",
    "после",
    "ремонта",
    "годовой",
    "отчёт",
    "музей",
    "получил",
    "премию",
    "новый",
    "директор",
    "мост",
    "через",
    "реку",
)
_FILLER_WORDS = (
    "the",
    "of",
    "and",
    "council",
    "said",
    "that",
    "year",
    "work",
    "would",
    "new",
    "town",
    "residents",
    "project",
    "million",
    "building",
    "local",
    "history",
    "after",
    "before",
    "visitors",
    "plans",
    "station",
    "river",
    "public",
    "spokesperson",
    "according",
    "to",
)
PAGE_SIZE = 20_000  # bytes of HTML per page, roughly


@dataclass(frozen=True)
class Layout:
    """How big the synthetic web is: ``hosts`` hosts with ``pages`` pages each."""

    hosts: int = 50
    pages: int = 40
    port: int = 0
    scheme: str = "http"  # "https" where the web serves TLS (``bench.web --tls``)
    names: bool = False  # page URLs name their hosts (``bench.slow_dns`` resolves them)

    def host(self, h: int) -> str:
        """The address of host ``h`` (0-based)."""
        if not 0 <= h < MAX_HOSTS:
            raise ValueError(f"host index out of range: {h}")
        if h < FIRST_BLOCK:
            return f"{HOST_PREFIX}{h + 1}"
        block, rest = divmod(h - FIRST_BLOCK, 250)
        return f"127.1.{block + 1}.{rest + 1}"

    def page_url(self, h: int, n: int) -> str:
        return f"{self.scheme}://{self.host_name(h)}:{self.port}{page_path(n)}"

    def host_name(self, h: int) -> str:
        """How page URLs name host ``h``: its address, or with ``names`` a DNS name that
        spells it (``h-127-0-2-1.wiki.test``)."""
        address = self.host(h)
        return name_for(address) if self.names else address

    def index_url(self, pages: int | None = None) -> str:
        """The page on the index host that links the first ``pages`` pages of every host."""
        return f"{self.scheme}://{INDEX_HOST}:{self.port}/index-{pages or self.pages}.html"

    def probe_url(self) -> str:
        """A URL that always answers: for a checker's "am I online?" probe."""
        return f"{self.scheme}://{INDEX_HOST}:{self.port}/"

    def urls(self, pages: int | None = None) -> Iterator[str]:
        """Every page URL, interleaved across hosts (as links in a real article are)."""
        for n in range(pages or self.pages):
            for h in range(self.hosts):
                yield self.page_url(h, n)


@dataclass(frozen=True)
class Delay:
    """How late each answer is: ``low`` s, or for each (host, path) its own seeded draw
    from ``low`` to ``high``. Written ``0.05`` or ``0.1-1.0@7`` (range and seed)."""

    low: float
    high: float | None = None
    seed: int = 0

    @classmethod
    def parse(cls, text: str) -> Delay:
        if "-" not in text:
            return cls(float(text))
        span, _, seed = text.partition("@")
        low, _, high = span.partition("-")
        return cls(float(low), float(high), int(seed or 0))

    def __str__(self) -> str:
        if self.high is None:
            return f"{self.low:g}"
        return f"{self.low:g}-{self.high:g}@{self.seed}"

    def of(self, host: int | None, path: str) -> float:
        """The delay of every answer to ``path`` on host ``host`` (None: the index host)."""
        if self.high is None:
            return self.low
        rng = random.Random(f"{self.seed}/{host}/{path}")
        return rng.uniform(self.low, self.high)

    def mean(self) -> float:
        return self.low if self.high is None else (self.low + self.high) / 2


def packed_limit(delays: list[float], slots: int) -> float:
    """The least time ``delays`` take on ``slots`` parallel slots: the best packing (exact
    for 2 slots, by subset sums in milliseconds; else the usual lower bound)."""
    if not delays:
        return 0.0
    if slots != 2:
        return max(max(delays), sum(delays) / slots)
    ms = [round(d * 1000) for d in delays]
    total = sum(ms)
    reachable = 1  # bit i set: some subset sums to i ms
    for d in ms:
        reachable |= reachable << d
    best = min(max(i, total - i) for i in range(total // 2 + 1) if reachable >> i & 1)
    return best / 1000


def in_order_limit(delays: list[float], slots: int) -> float:
    """The time ``delays`` take on ``slots`` parallel slots when each, in the order given,
    goes to the first slot free: what a polite client that sends a host's pages in the
    order it was given them, knowing none of the delays beforehand, can reach at best."""
    free = [0.0] * slots
    for d in delays:
        heapq.heapreplace(free, free[0] + d)  # the earliest free slot takes the next page
    return max(free)


def page_path(n: int) -> str:
    return f"/news/{n:05d}.html"


def parse_page_path(path: str) -> int | None:
    """The page number in ``/news/00042.html``, or None if the path is not a page."""
    if not (path.startswith("/news/") and path.endswith(".html")):
        return None
    digits = path[len("/news/") : -len(".html")]
    return int(digits) if digits.isdigit() else None


def is_cyrillic(n: int) -> bool:
    return n % CYRILLIC_EVERY == CYRILLIC_AT


def site_name(h: int) -> str:
    return f"The {_ADJECTIVES[h % len(_ADJECTIVES)]} Gazette {h + 1}"


def page_title(h: int, n: int) -> str:
    """The page's <title>, which is also the title its reference cites."""
    rng = random.Random(h * 100_003 + n)
    if is_cyrillic(n):
        words = rng.sample(_RU_WORDS, 5)
        return " ".join(words).capitalize() + f" №{n}"
    return (
        f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {rng.choice(_TOPICS)} "
        f"({site_name(h)}, issue {n})"
    )


def _filler(h: int, size: int) -> str:
    rng = random.Random(h)
    paragraphs = []
    total = 0
    while total < size:
        words = rng.choices(_FILLER_WORDS, k=rng.randint(40, 90))
        text = " ".join(words).capitalize() + "."
        paragraphs.append(f"<p>{text}</p>\n")
        total += len(paragraphs[-1]) + 1
    return "".join(paragraphs)


_STYLE = (
    "<style>\n"
    + "".join(
        f".c{i} {{ margin: {i}px; padding: {i % 7}px; color: #{i * 4099 % 0xFFFFFF:06x}; }}\n"
        for i in range(40)
    )
    + "</style>\n"
)


@dataclass(frozen=True)
class Page:
    body: bytes
    charset: str


class PageMaker:
    """Builds page bytes on demand: 20,000 pages of 20 KB are not kept in memory."""

    def __init__(self) -> None:
        self._filler: dict[int, str] = {}

    def page(self, h: int, n: int) -> Page:
        charset = "windows-1251" if is_cyrillic(n) else "utf-8"
        title = html.escape(page_title(h, n), quote=False)
        filler = self._filler.get(h)
        if filler is None:
            filler = self._filler[h] = _filler(h, PAGE_SIZE - len(_STYLE) - 1200)
        # A realistic head: metadata and styles come before the title, so a checker that
        # reads only the head still has to get past them.
        text = (
            "<!DOCTYPE html>\n<html><head>\n"
            f'<meta charset="{charset}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="description" content="Issue {n} of {site_name(h)}">\n'
            f"{_STYLE}"
            f"<title>{title}</title>\n"
            f'<link rel="canonical" href="{page_path(n)}">\n'
            "</head>\n<body>\n"
            f'<header><a href="/">{site_name(h)}</a></header>\n'
            f"<article><h1>{title}</h1>\n{filler}</article>\n"
            "<footer>All rights reserved.</footer>\n</body></html>\n"
        )
        return Page(text.encode(charset), charset)


def home_page(h: int) -> bytes:
    name = html.escape(site_name(h))
    return f"<!DOCTYPE html><html><head><title>{name}</title></head><body></body></html>".encode()


NOT_FOUND = b"<!DOCTYPE html><html><head><title>Page not found</title></head><body></body></html>"
ROBOTS = b"User-agent: *\nAllow: /\n"


def index_page(layout: Layout, pages: int) -> bytes:
    """One page that links ``pages`` pages of every host: the peers' input."""
    links = "".join(
        f'<li><a href="{html.escape(url)}">{i}</a></li>\n'
        for i, url in enumerate(layout.urls(pages))
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Index</title></head>'
        f"<body><ul>\n{links}</ul></body></html>\n"
    ).encode()


def references(layout: Layout, count: int) -> dict:
    """A references file (the contract's shape) citing ``count`` distinct pages.

    Pages are taken host-interleaved: page 0 of every host, then page 1, ... so
    ``count`` must not exceed ``layout.hosts * layout.pages``.
    """
    capacity = layout.hosts * layout.pages
    if count > capacity:
        raise ValueError(f"{count} references need more than {capacity} pages")
    records = []
    for i in range(count):
        n, h = divmod(i, layout.hosts)
        records.append(
            {
                "id": str(i + 1),
                "title": page_title(h, n),
                "url": layout.page_url(h, n),
                "authors": [],
                "work": site_name(h),
                "publisher": None,
                "date": f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + h % 28:02d}",
                "access_date": "2024-05-01",
                "archive_url": None,
                "archive_date": None,
                "url_status": None,
                "language": "ru" if is_cyrillic(n) else "en",
                "issn": None,
                "uses": 1,
            }
        )
    return {
        "source": {
            "title": f"Benchmark article with {count} references",
            "language": "en",
            "url": None,
            "file": "generated by bench.site.references",
        },
        "references": records,
    }


def references_json(layout: Layout, count: int) -> str:
    return json.dumps(references(layout, count), ensure_ascii=False)
