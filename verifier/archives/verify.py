"""Is the chosen snapshot the cited page? Fetch it raw and look.

An index entry says "HTTP 200" for a "page not found" served as 200, for a site's home
page the URL was redirected to, or for a page later replaced by another. So the snapshot
itself is fetched raw (``id_``: as archived, without the archive's banner and rewriting)
and its title compared with the cited one (``verifier.titles``, the live check's
matching). Redirects are followed only while they stay on the same archived URL (the
archive moving to the exact timestamp); one to another page is an archived redirect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

from ..classify import DRIFT_THRESHOLD, looks_not_found
from ..fetch.decode import decode_page
from ..fetch.transport import FetchError, HttpResponse, Transport
from ..titles import comparable_title, extract_title, title_match
from .ask import ArchiveUnavailable

MAX_HOPS = 4
VERIFY_MAX_BODY = 512 * 1024
ARCHIVE_TROUBLE = frozenset({500, 502, 503, 504, 429})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})  # "": not said; look
_ARCHIVED_PATH = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/(?P<orig>.+)$", re.S)


@dataclass(frozen=True)
class Verification:
    ok: bool
    http_status: int | None
    title_seen: str | None
    reason: str


@dataclass(frozen=True)
class Seen:
    """What the raw replay of a snapshot showed: all a judgement needs. A snapshot never
    changes, so this is what is cached; the judgement is made again on every check, so a
    rule mended later applies to snapshots seen before."""

    http_status: int
    location: str | None = None
    content_type: str = ""
    title: str | None = None


def observe_snapshot(transport: Transport, raw_url: str) -> Seen:
    """Fetch ``raw_url``; ``ArchiveUnavailable`` when the archive fails."""
    response = _fetch_following_timestamp_moves(transport, raw_url)
    if response.status in ARCHIVE_TROUBLE:
        raise ArchiveUnavailable(f"snapshot replay: HTTP {response.status}")
    seen = Seen(response.status, response.headers.get("Location"), response.content_type)
    if response.status != 200 or response.content_type not in HTML_TYPES:
        return seen
    # The live check's decoder: header charset, else <meta charset>, else a guess.
    text = decode_page(
        response.body, response.headers.get("Content-Type"), truncated=response.truncated
    )
    return replace(seen, title=extract_title(text))


def judge(seen: Seen, cited_title: str | None) -> Verification:
    """Whether the snapshot ``seen`` is the page cited as ``cited_title``. Pure."""
    status = seen.http_status
    if 300 <= status < 400:
        return Verification(False, status, None, f"archived redirect to {seen.location or ''}")
    if status != 200:
        return Verification(False, status, None, f"archived HTTP {status}")
    if seen.content_type not in HTML_TYPES:
        return Verification(True, 200, None, f"archived {seen.content_type}: not compared")
    return judge_title(cited_title, seen.title)


def judge_title(cited: str | None, seen: str | None) -> Verification:
    """Whether a snapshot with title ``seen`` is the page cited as ``cited``. Pure.

    The live check's rules (``verifier.classify``), so a page is not judged one way live
    and the other archived: its "not found" phrases, and its drift threshold.
    """
    cited = comparable_title(cited)  # a bare link's URL-as-title is nothing to compare
    if looks_not_found(seen) and not looks_not_found(cited):
        return Verification(False, 200, seen, f"archived 'not found' page: {seen!r}")
    if not cited or not seen:
        return Verification(True, 200, seen, "no title to compare")
    score = title_match(cited, seen)
    if score < DRIFT_THRESHOLD:
        return Verification(False, 200, seen, f"archived a different page: {seen!r}")
    return Verification(True, 200, seen, f"title matches ({score:.2f})")


def _fetch_following_timestamp_moves(transport: Transport, url: str) -> HttpResponse:
    current = url
    for _ in range(MAX_HOPS):
        try:
            response = transport.request("GET", current, max_body=VERIFY_MAX_BODY)
        except FetchError as exc:
            raise ArchiveUnavailable(f"snapshot replay: {type(exc).__name__}: {exc}") from exc
        location = response.headers.get("Location")
        if not (300 <= response.status < 400 and location):
            return response
        target = urljoin(current, location)
        if not _same_archived_page(current, target):
            return response  # an archived redirect to another page
        current = target
    raise ArchiveUnavailable(f"snapshot replay: more than {MAX_HOPS} redirects")


def _same_archived_page(a: str, b: str) -> bool:
    """Both are replays, on the same archive, of the same original URL."""
    pa, pb = urlsplit(a), urlsplit(b)
    if pa.netloc.lower() != pb.netloc.lower():
        return False
    ma = _ARCHIVED_PATH.search(a[len(f"{pa.scheme}://{pa.netloc}") :])
    mb = _ARCHIVED_PATH.search(b[len(f"{pb.scheme}://{pb.netloc}") :])
    return bool(ma and mb) and _key(ma.group("orig")) == _key(mb.group("orig"))


def _key(original: str) -> str:
    no_scheme = re.sub(r"^[a-z]+:/+", "", original, flags=re.I)
    host, _, rest = no_scheme.partition("/")
    return host.lower().removeprefix("www.") + "/" + rest.rstrip("/")

