"""Archive URLs as citations write them: recognised, normalised, taken apart.

Editors paste archive links in many shapes: with or without a scheme, ``archive.org/web``
or ``web.archive.org/web``, partial timestamps (``/web/2023/``), replay modifiers
(``20230913120000id_``), the original URL with its ``//`` collapsed by a wiki
(``http:/example.com``), archive.today under any of its mirror domains, WebCite ids.
``parse_archive_url`` turns each into one ``ArchiveURL`` so the archive check can ask
"is there a usable capture at this timestamp?". Pure: no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, quote, urlsplit

from .urls import is_http_url

WAYBACK = "wayback"  # the name of the Internet Archive's Wayback Machine as an archive
# Its address: the default --wayback-url, and the base of Save Page Now links.
WAYBACK_URL = "https://web.archive.org"
ARCHIVE_TODAY = "archive.today"
WEBCITE = "webcitation"

_WAYBACK_HOSTS = {"web.archive.org", "archive.org", "wayback.archive.org", "www.archive.org"}
_ARCHIVE_TODAY_HOSTS = {
    "archive.today",
    "archive.ph",
    "archive.is",
    "archive.li",
    "archive.vn",
    "archive.fo",
    "archive.md",
}
_WEBCITE_HOSTS = {"webcitation.org", "www.webcitation.org"}

# /web/<digits><modifier>/<original>: the modifier (id_, im_, if_, ...) picks a replay mode.
_WAYBACK_PATH = re.compile(r"^/web/(?P<ts>\d{1,14}|\*)(?P<mod>[a-z]{2}_)?/(?P<orig>.+)$", re.S)
# archive.today: /<YYYYMMDDhhmmss>/<original> or /<YYYY.MM.DD-hhmmss>/<original>
_ARCHIVE_TODAY_PATH = re.compile(
    r"^/(?P<ts>\d{14}|\d{4}\.\d{2}\.\d{2}-\d{6}|newest|oldest)/(?P<orig>.+)$", re.S
)
_SHORT_ID = re.compile(r"^/(?P<id>[A-Za-z0-9]{4,10})/?$")
# archive.today's /AbCdE, or /wip/AbCdE: the page shown while the capture is made, which
# editors paste before it ends (it then moves to /AbCdE)
_ARCHIVE_TODAY_ID = re.compile(r"^/(?:wip/)?(?P<id>[A-Za-z0-9]{4,10})/?$")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class ArchiveURL:
    """One cited archive link, taken apart.

    ``timestamp``: the digits the link names (1 to 14 of ``YYYYMMDDhhmmss``: a partial
    timestamp names a period, ``/web/2023/`` any capture in 2023), or None when the link
    names none (a short id, ``/web/*/``). ``original``: the archived page's URL, or None.
    ``url``: the link in one canonical form.
    """

    archive: str
    url: str
    timestamp: str | None
    original: str | None


def parse_archive_url(text: str | None) -> ArchiveURL | None:
    """The archive link in ``text``, or None when it is not a link to a known archive."""
    if not text:
        return None
    link = text.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", link, re.I):
        link = "https://" + link.lstrip("/")
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    # The original URL keeps its own query string: re-join what urlsplit cut off.
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    path += f"#{parts.fragment}" if parts.fragment else ""
    if host in _WAYBACK_HOSTS:
        return _wayback(path)
    if host.removeprefix("www.") in _ARCHIVE_TODAY_HOSTS:
        return _archive_today(path)
    if host in _WEBCITE_HOSTS:
        return _webcite(parts.path, parts.query)
    return None


def _wayback(path: str) -> ArchiveURL | None:
    m = _WAYBACK_PATH.match(path)
    if not m:
        return None
    original = normalise_original(m.group("orig"))
    ts = None if m.group("ts") == "*" else m.group("ts")
    return ArchiveURL(
        archive=WAYBACK,
        url=wayback_link(ts, original),
        timestamp=ts,
        original=original,
    )


def _archive_today(path: str) -> ArchiveURL | None:
    m = _ARCHIVE_TODAY_PATH.match(path)
    if m:
        raw_ts = m.group("ts")
        ts = None if raw_ts in ("newest", "oldest") else re.sub(r"\D", "", raw_ts)
        original = normalise_original(m.group("orig"))
        return ArchiveURL(
            archive=ARCHIVE_TODAY,
            url=f"https://archive.today/{ts or raw_ts}/{original}",
            timestamp=ts,
            original=original,
        )
    m = _ARCHIVE_TODAY_ID.match(path)
    if m:  # archive.ph/AbCdE: an opaque id; which page and when is only known by asking
        return ArchiveURL(
            archive=ARCHIVE_TODAY,
            url=f"https://archive.today/{m.group('id')}",
            timestamp=None,
            original=None,
        )
    return None


def _webcite(path: str, query: str) -> ArchiveURL | None:
    args = parse_qs(query)
    original = normalise_original(args["url"][0]) if "url" in args else None
    ident = args.get("id", [None])[0]
    m = _SHORT_ID.match(path)
    if ident is None and m and m.group("id") != "query":
        ident = m.group("id")
    if ident is None and original is None:
        return None
    timestamp = webcite_timestamp(ident) if ident else None
    url = f"https://www.webcitation.org/{ident}" if ident else f"https://www.webcitation.org/query?url={original}"
    return ArchiveURL(archive=WEBCITE, url=url, timestamp=timestamp, original=original)


def webcite_timestamp(ident: str) -> str | None:
    """The capture time a WebCite id encodes (base 62 of microseconds since 1970), or None.

    WebCite ran from 1997 to 2019; an id that decodes outside those years is not one.
    """
    value = 0
    for char in ident:
        digit = _BASE62.find(char)
        if digit < 0:
            return None
        value = value * 62 + digit
    try:
        when = datetime.fromtimestamp(value / 1_000_000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if not 1997 <= when.year <= 2019:
        return None
    return when.strftime("%Y%m%d%H%M%S")


def wayback_link(timestamp: str | None, original: str) -> str:
    """The Wayback Machine's link to ``original`` at ``timestamp`` (None: any capture,
    ``/web/*/``), as citations write it."""
    return wayback_replay_url(WAYBACK_URL, timestamp or "*", original)


def timestamp_day(timestamp: str | None) -> str | None:
    """``YYYYMMDD…`` -> ``YYYY-MM-DD``; None when the timestamp names no day (none, a
    year, a month, not digits)."""
    if not timestamp or len(timestamp) < 8 or not timestamp[:8].isdigit():
        return None
    return f"{timestamp[:4]}-{timestamp[4:6]}-{timestamp[6:8]}"


def http_date_timestamp(http_date: str | None) -> str | None:
    """An HTTP date (``Memento-Datetime``, a TimeMap's ``datetime``) as a 14-digit
    timestamp; None when there is none or it does not parse."""
    if not http_date:
        return None
    try:
        return parsedate_to_datetime(http_date).strftime("%Y%m%d%H%M%S")
    except (TypeError, ValueError):
        return None


def normalise_original(original: str) -> str:
    """The archived page's URL as the archive stores it.

    Wikis and some browsers collapse ``http://`` to ``http:/``; links without a scheme
    are taken as http, as the archives do.
    """
    fixed = re.sub(r"^(https?):/+", r"\1://", original.strip(), flags=re.I)
    if not re.match(r"^https?://", fixed, re.I):
        fixed = "http://" + fixed.lstrip("/")
    scheme, rest = fixed.split("://", 1)
    return f"{scheme.lower()}://{rest}"


# -- replay addresses: <prefix>/<timestamp><modifier>/<original> ---------------------------
# The Wayback Machine, pywb and OpenWayback replay a capture under the archive's prefix
# (``https://web.archive.org/web``, a pywb collection), the capture's 14-digit timestamp,
# an optional replay modifier (``id_``: the bytes as archived, without the archive's
# banner and rewriting) and the original URL, its own ``//`` kept.
_REPLAY = re.compile(r"/(?P<ts>\d{14})(?P<mod>[a-z]{2}_)?/(?P<orig>.+)$", re.S)


@dataclass(frozen=True)
class Replay:
    """A replay address taken apart: ``prefix`` is everything before ``/<timestamp>``."""

    prefix: str
    timestamp: str
    modifier: str
    original: str

    def url(self, *, raw: bool = False) -> str:
        """The address again, as archived (``raw``: with ``id_``) or as the archive shows it."""
        return f"{self.prefix}/{self.timestamp}{'id_' if raw else self.modifier}/{self.original}"


def split_replay(url: str) -> Replay | None:
    """``url`` as a replay address, or None when it names no 14-digit capture."""
    scheme_host = re.match(r"^[a-z][a-z0-9+.-]*://[^/]*", url, re.I)
    start = scheme_host.end() if scheme_host else 0
    m = _REPLAY.search(url, start)
    if not m:
        return None
    return Replay(url[: m.start()], m.group("ts"), m.group("mod") or "", m.group("orig"))


def wayback_replay_url(base: str, timestamp: str, original: str, *, raw: bool = False) -> str:
    """The Wayback-compatible server ``base``'s replay of ``original`` at ``timestamp``."""
    return Replay(f"{base.rstrip('/')}/web", timestamp, "", original).url(raw=raw)


def raw_replay_url(url: str) -> str:
    """The capture at ``url`` without the archive's rewriting, where the address allows."""
    replay = split_replay(url)
    return replay.url(raw=True) if replay else url


def save_page_now_url(url: str, base: str = WAYBACK_URL) -> str:
    """Save Page Now for ``url`` on the Wayback Machine at ``base`` (``<base>/save/<url>``)."""
    return f"{base.rstrip('/')}/save/" + quote(url, safe=":/?&=%#~+@!$,;")


def same_original(a: str, b: str) -> bool:
    """Whether two originals name one page, as the archives match them: scheme, ``www.``,
    a port 80 and a final slash aside."""
    return _page_key(a) == _page_key(b)


def _page_key(original: str) -> str:
    no_scheme = re.sub(r"^[a-z]+:/+", "", original, flags=re.I)
    host, _, rest = no_scheme.partition("/")
    host = host.lower().removeprefix("www.").removesuffix(":80").removesuffix(":443")
    return host + "/" + rest.rstrip("/")


# -- Memento archives a user may name (``--memento-archive NAME``) --------------------------
@dataclass(frozen=True)
class MementoPreset:
    """A Memento (RFC 7089) archive's published addresses; ``{url}`` is the original URL."""

    name: str
    title: str
    timemap: str | None
    timegate: str | None


MEMENTO_PRESETS = {
    p.name: p
    for p in (
        MementoPreset("archive.today", "archive.today",
                      "https://archive.ph/timemap/{url}", "https://archive.ph/timegate/{url}"),
        MementoPreset("arquivo.pt", "Arquivo.pt (the Portuguese web archive)",
                      "https://arquivo.pt/wayback/timemap/link/{url}",
                      "https://arquivo.pt/wayback/{url}"),
        MementoPreset("loc", "the Library of Congress web archives",
                      "https://webarchive.loc.gov/all/timemap/link/{url}",
                      "https://webarchive.loc.gov/all/{url}"),
        MementoPreset("ukwa", "the UK Web Archive",
                      "https://www.webarchive.org.uk/wayback/archive/timemap/link/{url}",
                      "https://www.webarchive.org.uk/wayback/archive/{url}"),
        MementoPreset("archive-it", "Archive-It",
                      "https://wayback.archive-it.org/all/timemap/link/{url}",
                      "https://wayback.archive-it.org/all/{url}"),
    )
}


@dataclass(frozen=True)
class MementoArchive:
    """One ``--memento-archive``: how the report names it, and its TimeMap and TimeGate
    address templates (``{url}``: the original URL; None: the archive has none)."""

    name: str
    timemap: str | None
    timegate: str | None


def memento_archive(spec: str) -> MementoArchive:
    """A preset's name (``archive.today``, ``arquivo.pt``, ``loc``, ...) or an archive's
    base URL (TimeMap at ``<base>/timemap/link/<url>``, TimeGate at ``<base>/<url>``: pywb,
    OpenWayback) or a TimeMap template containing ``{url}``. ``ValueError`` otherwise."""
    preset = MEMENTO_PRESETS.get(spec.strip().lower())
    if preset is not None:
        return MementoArchive(preset.name, preset.timemap, preset.timegate)
    if not is_http_url(spec):
        raise ValueError(f"{spec!r} is neither an http(s) address nor one of: "
                         + ", ".join(MEMENTO_PRESETS))
    parts = urlsplit(spec.replace("{url}", ""))
    name = (parts.netloc + parts.path).rstrip("/")
    if "{url}" in spec:
        return MementoArchive(name, spec, None)
    base = spec.rstrip("/")
    return MementoArchive(name, f"{base}/timemap/link/{{url}}", f"{base}/{{url}}")


# Web archives that parse_archive_url does not take apart but whose links are archived
# copies all the same: (host suffix, path prefix).
_OTHER_ARCHIVES = (
    ("ghostarchive.org", "/archive/"),
    ("perma.cc", "/"),
    ("archive-it.org", "/"),
    ("arquivo.pt", "/wayback/"),
    ("webarchive.org.uk", "/"),
    ("webarchive.nla.gov.au", "/"),
    ("webarchive.loc.gov", "/"),
    ("webarchive.nationalarchives.gov.uk", "/"),
    ("wayback.vefsafn.is", "/"),
    ("freezepage.com", "/"),
)


def is_archived_copy(url: str | None) -> bool:
    """Is ``url`` a link to an archived copy of a page?

    Only a capture is: ``archive.org/details/…`` (a digitised book) and
    ``archive.org/stream/…`` are pages the Internet Archive serves live, cited as the
    source itself, and so are the archives' home and search pages.
    """
    if not url:
        return False
    if parse_archive_url(url) is not None:
        return True
    link = url.strip()
    if link.startswith("//"):
        link = "https:" + link
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    return any(
        (host == suffix or host.endswith("." + suffix)) and path.startswith(prefix) and path != "/"
        for suffix, prefix in _OTHER_ARCHIVES
    )
