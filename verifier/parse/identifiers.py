"""Citation identifiers (DOI, PMID, PMC, ISBN, OCLC, Bibcode, arXiv, JSTOR, …): which
link, COinS id or CS1 parameter is one, and its value in one normalised form.

An identifier link is never the cited URL (shared/CONTRACT.md): a citation whose only
link is ``doi.org/…`` has no URL of its own, and the identifier goes to the record's
``identifiers`` object under its key. The HTML reader (identifier links, COinS
``rft_id``) and the wikitext reader (``|doi=``, ``|ISBN=``) both go through here, so the
same citation gives the same keys and values whichever rendering it came from. Pure.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from ..urls import is_http

# The record key of every CS1 identifier parameter (lower-cased) and alias.
_PARAMS = {
    "arxiv": "arxiv",
    "eprint": "arxiv",
    "asin": "asin",
    "bibcode": "bibcode",
    "biorxiv": "biorxiv",
    "citeseerx": "citeseerx",
    "doi": "doi",
    "eissn": "eissn",
    "hdl": "hdl",
    "isbn": "isbn",
    "isbn13": "isbn",
    "ismn": "ismn",
    "issn": "issn",
    "jfm": "jfm",
    "jstor": "jstor",
    "lccn": "lccn",
    "medrxiv": "medrxiv",
    "mr": "mr",
    "oclc": "oclc",
    "ol": "ol",
    "osti": "osti",
    "pmc": "pmc",
    "pmid": "pmid",
    "rfc": "rfc",
    "sbn": "sbn",
    "s2cid": "s2cid",
    "ssrn": "ssrn",
    "zbl": "zbl",
}
KEYS = frozenset(_PARAMS.values())

# The label each identifier is shown with, as a regex ("doi:", "ISBN-13 ", "PMID "): the
# plain-text reader finds identifiers by them, the HTML reader tells identifier links so.
LABELS = {
    "isbn": r"ISBN(?:-1[03])?", "issn": r"ISSN", "eissn": r"[Ee]-?ISSN", "doi": r"doi|DOI",
    "pmid": r"PMID", "pmc": r"PMC", "oclc": r"OCLC", "lccn": r"LCCN", "nlc": r"NLC",
    "jstor": r"JSTOR", "s2cid": r"S2CID", "bibcode": r"Bibcode", "hdl": r"hdl|HDL",
    "arxiv": r"arXiv", "cnki": r"CNKI", "asin": r"ASIN", "ol": r"OL", "eric": r"ERIC",
    "ssrn": r"SSRN", "zbl": r"Zbl", "mr": r"MR", "osti": r"OSTI", "ismn": r"ISMN",
    "rfc": r"RFC", "naid": r"NAID", "ncid": r"NCID", "crid": r"CRID", "citeseerx": r"CiteSeerX",
    "biorxiv": r"bioRxiv", "medrxiv": r"medRxiv", "sbn": r"SBN", "id": r"ID",
}

# key: (host, path-and-query with the value as group "v"). Hosts are matched without
# "www."; the path includes the query string when there is one.
_LINK_TABLE: list[tuple[str, str, str]] = [
    ("doi", r"(?:dx\.)?doi\.org", r"/(?P<v>10\..+)"),
    ("pmid", r"ncbi\.nlm\.nih\.gov", r"/pubmed/(?P<v>\d+)"),
    ("pmid", r"pubmed\.ncbi\.nlm\.nih\.gov", r"/(?P<v>\d+)"),
    ("pmc", r"(?:pmc\.)?ncbi\.nlm\.nih\.gov", r"/(?:pmc/)?articles/(?P<v>PMC\d+)"),
    ("pmc", r"europepmc\.org", r"/(?:abs|article)/pmc/(?P<v>PMC\d+)"),
    ("oclc", r"(?:search\.)?worldcat\.org", r"/(?:oclc|title)/(?P<v>\d+)"),
    ("issn", r"(?:search\.)?worldcat\.org", r"/issn/(?P<v>\d{4}-?\d{3}[\dXx])"),
    ("eissn", r"(?:search\.)?worldcat\.org", r"/search\?.*n2:(?P<v>\d{4}-?\d{3}[\dXx])"),
    ("bibcode", r"(?:ui\.)?adsabs\.harvard\.edu", r"/abs/(?P<v>[^/?#]{19})"),
    ("arxiv", r"arxiv\.org", r"/abs/(?P<v>[^?#]+?)/?$"),
    ("jstor", r"jstor\.org", r"/stable/(?P<v>[^?#]+?)/?$"),
    ("s2cid", r"api\.semanticscholar\.org", r"/CorpusID:(?P<v>\d+)"),
    ("hdl", r"hdl\.handle\.net", r"/(?P<v>\d[^?#]*)"),
    ("lccn", r"lccn\.loc\.gov", r"/(?P<v>[a-z]*\d+)"),
    ("ol", r"openlibrary\.org", r"/(?:books|works|authors)/(?P<v>OL\d+[AMW])"),
    ("ssrn", r"papers\.ssrn\.com", r"/sol3/papers\.cfm\?abstract_id=(?P<v>\d+)"),
    ("ssrn", r"ssrn\.com", r"/abstract=(?P<v>\d+)"),  # CS1's |ssrn= link
    ("zbl", r"zbmath\.org", r"/\?format=complete&q=an:(?P<v>[\d.]+)"),
    ("mr", r"mathscinet\.ams\.org", r"/mathscinet-getitem\?mr=(?P<v>\d+)"),
    ("citeseerx", r"citeseerx?\.ist\.psu\.edu", r"/viewdoc/summary\?doi=(?P<v>[\d.]+)"),
    ("osti", r"osti\.gov", r"/(?:biblio/|energycitations/\S+osti_id=)(?P<v>\d+)"),
    ("rfc", r"tools\.ietf\.org", r"/html/rfc(?P<v>\d+)"),
    ("rfc", r"datatracker\.ietf\.org", r"/doc/html/rfc(?P<v>\d+)"),
    ("asin", r"amazon\.[a-z.]+", r"/dp/(?P<v>[0-9A-Z]{10})"),
    # zh {{NLC}}: the National Library of China's catalogue record.
    ("nlc", r"opac\.nlc\.cn", r"/F\?(?:.*&)?doc_number=(?P<v>\d+)"),
]
_LINKS = [(re.compile(h), re.compile(p, re.I), key) for key, h, p in _LINK_TABLE]
# The wiki's own book-sources page, in any wiki's language: ".../Special:BookSources/978…".
_BOOK_SOURCES = re.compile(
    r"(?:^|/)(?:Special|Spezial|Служебная|Спеціальна|特別|特殊|Especial|Spécial|Speciale|"
    r"Specjalna|خاص)(?::|%3A)(?:BookSources|ISBN|[^/]*(?:книг|書源|书源|文献資料|ISBN|Livres|"
    r"Fuentes|مصادر)[^/]*)/(?P<v>[0-9Xx-]{10,17})$",
    re.I,
)
# COinS rft_id forms: "info:doi/10.1/x", "info:pmid/123", "urn:isbn:978…", …
_INFO = re.compile(r"^(?:info:(?P<k>[a-z]+)/|urn:(?P<u>isbn|issn):)(?P<v>.+)$", re.I)
_INFO_KEYS = {"doi": "doi", "pmid": "pmid", "pmc": "pmc", "bibcode": "bibcode",
              "oclcnum": "oclc", "arxiv": "arxiv", "hdl": "hdl", "lccn": "lccn",
              "osti": "osti", "isbn": "isbn", "issn": "issn", "jstor": "jstor"}


_LABEL_AT_END = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<k_{k}>{v})" for k, v in LABELS.items() if k != "id")
    + r")\s*[:：]?\s*$"
)


def label_before(text: str) -> str | None:
    """The identifier key whose label ``text`` ends with ("… doi:", "… ISSN "), or None.
    The generic "ID" is no identifier's label."""
    m = _LABEL_AT_END.search(text)
    return next((k[2:] for k, v in m.groupdict().items() if v), None) if m else None


def param_key(name: str) -> str | None:
    """The identifier key of a CS1 parameter name (``DOI``, ``isbn13``, ``eprint``), or None."""
    return _PARAMS.get(name.strip().lower())


def from_url(url: str) -> tuple[str, str] | None:
    """(key, value) when ``url`` is an identifier link, else None.

    Accepts protocol-relative (``//doi.org/…``) and wiki-relative (``./Special:…``) links.
    """
    link = url.strip()
    if m := _BOOK_SOURCES.search(unquote(urlsplit(link).path)):
        return _pair("isbn", m.group("v"))
    if link.startswith("//"):
        link = "https:" + link
    parts = urlsplit(link)
    if not is_http(link) or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    for host_re, path_re, key in _LINKS:
        if host_re.fullmatch(host) and (m := path_re.match(rest)):
            return _pair(key, unquote(m.group("v")))
    return None


def from_info_uri(uri: str) -> tuple[str, str] | None:
    """(key, value) of a COinS ``rft_id`` such as ``info:doi/10.1/x`` or ``urn:isbn:…``."""
    m = _INFO.match(uri.strip())
    if not m:
        return None
    key = _INFO_KEYS.get((m.group("k") or m.group("u")).lower())
    return _pair(key, m.group("v")) if key else None


def from_coins(coins: dict[str, list[str]]) -> dict[str, str]:
    """Every identifier a parsed COinS title holds (``rft_id`` URIs, ``rft.isbn``, …)."""
    found: dict[str, str] = {}
    for uri in coins.get("rft_id", []):
        pair = from_info_uri(uri) or from_url(uri)
        if pair:
            found.setdefault(*pair)
    for field, key in (("rft.isbn", "isbn"), ("rft.issn", "issn"), ("rft.eissn", "eissn")):
        for value in coins.get(field, []):
            if (norm := normalise(key, value)) is not None:
                found.setdefault(key, norm)
    return found


def normalise(key: str, value: str) -> str | None:
    """``value`` in the one form records keep, or None when it is not one.

    ISBN: digits (and X) alone; ISSN: ``NNNN-NNNN``; PMC: the number without "PMC";
    DOI and arXiv: without a ``doi:``/``arXiv:`` prefix. Others: as written, trimmed.
    """
    text = " ".join(value.split())
    if key in ("isbn", "sbn"):
        digits = re.sub(r"[\s‐-―-]", "", text).upper().removeprefix("ISBN")
        return digits if re.fullmatch(r"\d{9}[\dX]|\d{13}|\d{8}[\dX]", digits) else None
    if key in ("issn", "eissn"):
        digits = re.sub(r"[\s‐-―-]", "", text).upper()
        return f"{digits[:4]}-{digits[4:]}" if re.fullmatch(r"\d{7}[\dX]", digits) else None
    if key == "pmc":
        number = text.upper().removeprefix("PMC")
        return number if number.isdigit() else None
    if key in ("pmid", "oclc", "s2cid", "jstor", "ssrn", "osti", "rfc", "mr"):
        return text if re.fullmatch(r"[\w./-]+", text) else None
    if key == "doi":
        text = re.sub(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", "", text, flags=re.I)
        return text if text.startswith("10.") else None
    if key == "arxiv":
        text = re.sub(r"^arxiv:\s*", "", text, flags=re.I)
    return text or None


def _pair(key: str, value: str) -> tuple[str, str] | None:
    norm = normalise(key, value)
    return (key, norm) if norm is not None else None

