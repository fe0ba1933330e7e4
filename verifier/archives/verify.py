"""Is the chosen snapshot the cited page? Fetch it raw and look.

An index entry says "HTTP 200" for a "page not found" served as 200, for a site's home
page the URL was redirected to, or for a page later replaced by another. So the snapshot
itself is fetched raw (``id_``: as archived, without the archive's banner and rewriting)
and its title compared with the cited one (``verifier.titles``, the live check's
matching).

The replay is read by its Memento headers (RFC 7089): an archived answer carries
``Memento-Datetime``; the archive's own answers do not. So:

- a redirect *without* it is the archive moving to the capture nearest the asked
  timestamp (``x-archive-redirect-reason: found capture at ...``): followed;
- a redirect *with* it is an archived redirect: followed while it stays on the same page
  (``http`` to ``https``), else judged as an archived redirect to the other page;
  ``Location`` may be absolute, scheme-relative (``//web.archive.org/...``) or a path;
- an archived 429 or 5xx is a capture of an error page (not usable), while a 429 or 5xx
  without it is the archive failing us (``ArchiveUnavailable``: ``error``);
- on the Wayback Machine (``strict``), a 404 without it is "no capture here", and a 200
  without it titled as the archive's own page ("Wayback Machine") is what it shows for an
  excluded site — neither is a capture. A 200 without it under another title is taken as
  archived: a Wayback-compatible server that sends no Memento headers must not have every
  capture called the archive's own page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urljoin

from ..archive_urls import http_date_timestamp, same_original, split_replay
from ..classify import DRIFT_THRESHOLD, looks_not_found
from ..fetch.decode import HTML_TYPES, decode_page
from ..fetch.transport import FetchError, HttpResponse, Transport
from ..titles import comparable_title, extract_title, title_match
from .ask import ArchiveUnavailable

MAX_HOPS = 6
VERIFY_MAX_BODY = 512 * 1024
ARCHIVE_TROUBLE = frozenset({500, 502, 503, 504, 429})
PAGE_TYPES = HTML_TYPES | {""}  # "": the archive did not say; look at the page
EXCLUDED = "the archive shows its own page, not a capture: the site is excluded from it"
_ARCHIVE_PAGES = frozenset({"wayback machine"})  # titles of the archive's own pages


@dataclass(frozen=True)
class Verification:
    ok: bool
    http_status: int | None
    title_seen: str | None
    reason: str
    excluded: bool = False  # the archive refuses to show the site


@dataclass(frozen=True)
class Seen:
    """What the raw replay of a snapshot showed: all a judgement needs. A snapshot never
    changes, so this is what is cached; the judgement is made again on every check, so a
    rule mended later applies to snapshots seen before.

    ``archived``: the answer was an archived one (False: the archive's own page).
    ``timestamp``: the capture actually shown, after the archive's moves.
    """

    http_status: int
    location: str | None = None
    content_type: str = ""
    title: str | None = None
    archived: bool = True
    timestamp: str | None = None


def observe_snapshot(transport: Transport, raw_url: str, *, strict: bool = False) -> Seen:
    """Fetch ``raw_url``; ``ArchiveUnavailable`` when the archive fails. ``strict``: the
    archive marks every archived answer with ``Memento-Datetime`` (the Wayback Machine)."""
    response, timestamp = _follow(transport, raw_url)
    dated = "Memento-Datetime" in response.headers
    if response.status in ARCHIVE_TROUBLE and not dated:
        raise ArchiveUnavailable(f"snapshot replay: HTTP {response.status}")
    unmarked = strict and not dated
    seen = Seen(response.status, response.headers.get("Location"), response.content_type,
                archived=not (unmarked and response.status == 404), timestamp=timestamp)
    if response.status != 200 or response.content_type not in PAGE_TYPES:
        return seen
    # The live check's decoder: header charset, else <meta charset>, else a guess.
    text = decode_page(
        response.body, response.headers.get("Content-Type"), truncated=response.truncated
    )
    title = extract_title(text)
    if unmarked and (title or "").strip().lower() in _ARCHIVE_PAGES:
        return replace(seen, archived=False)
    return replace(seen, title=title)


def judge(seen: Seen, cited_title: str | None) -> Verification:
    """Whether the snapshot ``seen`` is the page cited as ``cited_title``. Pure."""
    status = seen.http_status
    if not seen.archived:
        if status == 404:
            return Verification(False, None, None, "the archive holds no capture there")
        return Verification(False, None, None, EXCLUDED, excluded=True)
    if 300 <= status < 400:
        return Verification(False, status, None, f"archived redirect to {_target(seen.location)}")
    if status != 200:
        return Verification(False, status, None, f"archived HTTP {status}")
    if seen.content_type not in PAGE_TYPES:
        return Verification(True, 200, None, f"archived {seen.content_type}: not compared")
    return judge_title(cited_title, seen.title)


def _target(location: str | None) -> str:
    """Where an archived redirect went: the original URL, not the archive's address of it."""
    replay = split_replay(location or "")
    return replay.original if replay else (location or "")


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


def _follow(transport: Transport, url: str) -> tuple[HttpResponse, str | None]:
    """The replay's last answer, following the archive's moves and archived redirects
    that stay on the same page; and the timestamp of the capture it shows."""
    current = url
    for _ in range(MAX_HOPS):
        try:
            response = transport.request("GET", current, max_body=VERIFY_MAX_BODY)
        except FetchError as exc:
            raise ArchiveUnavailable(f"snapshot replay: {type(exc).__name__}: {exc}") from exc
        location = response.headers.get("Location")
        if not (300 <= response.status < 400 and location):
            return response, _shown_timestamp(response, current)
        # urljoin reads "//web.archive.org/..." and "/web/..." against the replay.
        target = urljoin(current, location)
        if "Memento-Datetime" in response.headers and not _same_page(current, target):
            return response, _shown_timestamp(response, current)  # an archived redirect
        current = target
    raise ArchiveUnavailable(f"snapshot replay: more than {MAX_HOPS} redirects")


def _same_page(a: str, b: str) -> bool:
    ra, rb = split_replay(a), split_replay(b)
    return bool(ra and rb) and ra.prefix.lower() == rb.prefix.lower() and same_original(
        ra.original, rb.original)


def _shown_timestamp(response: HttpResponse, url: str) -> str | None:
    when = http_date_timestamp(response.headers.get("Memento-Datetime"))
    if when:
        return when
    replay = split_replay(url)
    return replay.timestamp if replay else None
