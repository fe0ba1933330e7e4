"""Page titles: finding them in a page and comparing them with cited titles.

Two jobs, both pure:

- reading a page's head (``scan_page``, ``extract_title``) without building a whole
  document tree: the tokenizer stops as soon as it has what it needs, so a 512 KB page
  costs little. Plain markup is read by ``html_tokens.tokenize`` (one pattern a tag);
  whatever it is unsure of, by the streaming ``html.parser``, with the same answer;
- comparing a cited title with the one a page shows now (``title_match``): titles differ
  innocently (site-name suffixes such as `` — Ведомости`` or `` | DW``, a cut subtitle,
  typographic quotes, case, Unicode forms), so they are compared as sets of normalised
  tokens, never for equality.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .html_tokens import parse, tokenize

# Past this many characters a page's head is over; the first heading is nearly always
# well inside it. Keeps scanning time bounded whatever the body cap.
SCAN_LIMIT = 256 * 1024


@dataclass(frozen=True)
class PageHead:
    """What the start of a page says about itself."""

    title: str | None = None  # <title>
    og_title: str | None = None  # <meta property="og:title">
    heading: str | None = None  # the first <h1>
    refresh: str | None = None  # the target of <meta http-equiv="refresh">, as written

    @property
    def best_title(self) -> str | None:
        return self.title or self.og_title


class _Done(Exception):
    """Raised inside the parser to stop early: everything wanted has been seen."""


def _clean(text: str) -> str | None:
    text = " ".join(text.split())
    return text or None


class _HeadReader:
    """What a scan keeps of the tags and text it is fed (by ``html_tokens.tokenize`` or,
    when that is unsure, by ``html.parser``): the same calls, the same answer."""

    def __init__(self, *, want_heading: bool) -> None:
        self.want_heading = want_heading
        self.title: list[str] | None = None
        self.heading: list[str] | None = None
        self.og_title: str | None = None
        self.refresh: str | None = None
        self._in: str | None = None  # "title" or "h1" while inside one

    @property
    def keeping_text(self) -> bool:
        return self._in is not None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self.title is None:
            self.title, self._in = [], "title"
        elif tag == "meta":
            self._meta({k: (v or "") for k, v in attrs})
        elif tag == "body" and not self.want_heading:
            raise _Done
        elif tag == "h1" and self.want_heading and self.heading is None:
            self.heading, self._in = [], "h1"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # as html.parser's default does
        self.handle_endtag(tag)

    def _meta(self, attrs: dict[str, str]) -> None:
        prop = (attrs.get("property") or attrs.get("name") or "").lower()
        if prop == "og:title" and self.og_title is None:
            self.og_title = _clean(attrs.get("content", ""))
        if attrs.get("http-equiv", "").lower() == "refresh" and self.refresh is None:
            self.refresh = refresh_target(attrs.get("content", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None
            if tag == "h1":
                raise _Done
        elif tag == "head" and not self.want_heading:
            raise _Done

    def handle_data(self, data: str) -> None:
        if self._in == "title" and self.title is not None:
            self.title.append(data)
        elif self._in == "h1" and self.heading is not None:
            self.heading.append(data)

    def head(self) -> PageHead:
        return PageHead(
            title=_clean("".join(self.title or ())),
            og_title=self.og_title,
            heading=_clean("".join(self.heading or ())),
            refresh=self.refresh,
        )


_REFRESH_URL = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$", re.I | re.S)


def refresh_target(content: str) -> str | None:
    """The URL of a refresh instruction (``"0; url=/"`` -> ``"/"``), or None."""
    m = _REFRESH_URL.match(content)
    if not m:
        return None
    target = m.group(1).strip().strip("'\"").strip()
    return target or None


def scan_page(html: str, *, want_heading: bool = True) -> PageHead:
    """Title, og:title, first heading and meta refresh from the start of a page."""
    text = html[:SCAN_LIMIT]
    reader = _HeadReader(want_heading=want_heading)
    try:
        if tokenize(text, reader):
            return reader.head()
    except _Done:
        return reader.head()
    except Exception:  # never the page's fault: the sure reading below decides
        pass
    return _parse_head(text, want_heading)


def _parse_head(text: str, want_heading: bool) -> PageHead:
    """``scan_page`` by ``html.parser``: slower, and sure of any markup."""
    reader = _HeadReader(want_heading=want_heading)
    try:
        parse(text, reader)
    except _Done:
        pass
    except Exception:  # a broken page yields what was read so far
        pass
    return reader.head()


def extract_title(html: str) -> str | None:
    """The page's title from the head of an HTML document (og:title as fallback), or None."""
    return scan_page(html, want_heading=False).best_title


# --- comparing titles ----------------------------------------------------------------------

# A "title" that is only a web address: what a bare-link citation (``<ref>http://…</ref>``)
# or a tool that filled the title with the link leaves. Nothing to compare a page with.
_ONLY_A_URL = re.compile(r"^[\s<\[(]*(?:https?://|www\.)\S*[\s>\])]*$", re.I)


def comparable_title(cited: str | None) -> str | None:
    """The cited title when it can be compared with a page's, else None: a blank title,
    or one that is only a URL (a URL is never a title), says nothing about the page."""
    if not cited or not cited.strip() or _ONLY_A_URL.match(cited):
        return None
    return cited

# Typographic characters that differ between a citation and a page for no reason.
_TYPOGRAPHY = str.maketrans(
    {
        "«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "‟": '"', "″": '"',
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
        "–": "-", "—": "-", "―": "-", "‒": "-", "−": "-",
        "ё": "е", "Ё": "Е",  # Russian editors drop the diaeresis freely
        "\u00a0": " ", "\u200b": "", "\u00ad": "",
    }
)  # fmt: skip

# Where a site name or a subtitle is usually joined to the title proper; each way has
# one of the characters of _SEPARATOR_CHAR, which are quicker to look for than to split at.
_SEPARATORS = re.compile(r"\s+[-|·•:/]{1,2}\s+|\s*[|·•]\s*|:\s+|\s+::\s+")
_SEPARATOR_CHAR = re.compile(r"[-|·•:/]")

_WORD = re.compile(r"\w+", re.UNICODE)


# What ``_TYPOGRAPHY`` does to ASCII text: NFKC leaves ASCII as it is, and casefold is lower.
_ASCII_TYPOGRAPHY = [(chr(k), v) for k, v in _TYPOGRAPHY.items() if k < 128]


def normalise(title: str) -> str:
    """Unicode NFKC, case-folded, typographic quotes and dashes made plain."""
    if title.isascii():
        # The same text for a fifth of the cost: translate walks its table for each
        # character (~1.5 µs of a 60-character title), and this runs on every check.
        text = title.lower()
        for char, plain in _ASCII_TYPOGRAPHY:
            text = text.replace(char, plain)
    else:
        text = unicodedata.normalize("NFKC", title).translate(_TYPOGRAPHY).casefold()
    return " ".join(text.split())


# Chinese, Japanese and Korean letters: kana, CJK ideographs (and extension A,
# compatibility), Hangul syllables.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")
# Inside a word: a run of CJK letters, or any one other character.
_CJK_RUN_OR_CHAR = re.compile(f"([{_CJK}]+)|.", re.S)


def tokens(text: str) -> list[str]:
    """Words of a normalised title; Chinese and Japanese runs become character bigrams,
    since those languages do not separate words with spaces."""
    # Compiled regexes, not a Python loop per character: this runs on every check.
    if not _HAS_CJK.search(text):
        return _WORD.findall(text)
    out: list[str] = []
    for word in _WORD.findall(text):
        if not _HAS_CJK.search(word):
            out.append(word)
            continue
        for m in _CJK_RUN_OR_CHAR.finditer(word):
            run = m.group(1)
            if run:
                out.extend([run[i : i + 2] for i in range(len(run) - 1)] or [run])
            else:
                # A Latin letter or digit glued to CJK text: keep it as its own token.
                out.append(m.group())
    return out


# A cut title (site name or subtitle dropped) must keep this many tokens to count as the
# title: otherwise "Putin: X" and "Putin: Y" would match on "Putin" alone.
_MIN_CORE_TOKENS = 3


@functools.lru_cache(maxsize=4096)
def _variants(title: str) -> tuple[frozenset[str], ...]:
    """The token sets of the whole title, and of the title with a leading or trailing part
    cut (site-name suffix, site-name prefix, subtitle).

    Cached: a cited title is compared on every check of its URL, and each title twice
    (soft-404 rule, then drift); the scores need only the sets."""
    text = normalise(title)
    whole = tokens(text)
    parts = _SEPARATORS.split(text) if _SEPARATOR_CHAR.search(text) else [text]
    parts = [p for p in parts if p.strip()]
    out = [frozenset(whole)]
    if len(parts) > 1:
        for cut in (parts[:-1], parts[1:], parts[:1], parts[-1:]):
            core = tokens(" ".join(cut))
            if len(core) >= _MIN_CORE_TOKENS and core != whole:
                out.append(frozenset(core))
    return tuple(out)


def _dice(sa: frozenset[str], sb: frozenset[str]) -> float:
    if not sa or not sb:
        return 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def _containment(ss: frozenset[str], sl: frozenset[str]) -> float:
    """How much of a shorter title is inside a longer one: a page title that was cut
    short ("…"), or a cited title that is a prefix of a longer page title."""
    if len(ss) < _MIN_CORE_TOKENS + 1 or len(ss) > len(sl):
        return 0.0
    return len(ss & sl) / len(ss)


def title_match(cited: str | None, seen: str | None) -> float:
    """How well a seen title matches a cited one, from 0.0 (unrelated) to 1.0 (same)."""
    if not cited or not seen:
        return 0.0
    best = 0.0
    for a in _variants(cited):
        for b in _variants(seen):
            best = max(best, _dice(a, b), 0.95 * _containment(a, b), 0.95 * _containment(b, a))
            if best >= 1.0:
                return 1.0
    return round(best, 3)
