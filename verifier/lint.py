"""Citation lint: the CS1 maintenance problems an editor fixes by hand.

Pure: takes the records and ``today`` (nothing here reads the clock), returns issues in
reference order. Codes are stable words; messages say what to change.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit, urlunsplit

from .archive_urls import parse_archive_url, timestamp_day
from .model import LintIssue, Reference, Severity
from .records import Article
from .urls import plain_parts

# The placeholder titles bots and editors leave for an unknown title, in the wikis' words.
PLACEHOLDER_TITLES = frozenset(
    t.casefold()
    for t in (
        "存档副本",
        "存檔副本",
        "Archived copy",
        "Archive copy",
        "Архивированная копия",
        "Архивная копия",
        "Копия",
        "No title",
        "Untitled",
    )
)
# Citations of printed works (books, journals, …): a URL is welcome, not required.
_PRINT_KINDS = re.compile(
    r"book|journal|encyclop|dictionary|thesis|conference|magazine|report|periodical|"
    r"книга|статья|literatur",
    re.I,
)
_RAW_KEYS = {
    "date_raw": "date",
    "access_date_raw": "access_date",
    "archive_date_raw": "archive_date",
}


# Text a parser kept as written because it could not tell which field it is.
_UNPARSED_KEYS = {"unparsed": "text", "authors_raw": "authors"}


def lint(article: Article, *, today: date) -> list[LintIssue]:
    issues: list[LintIssue] = []
    first_with_url: dict[str, str] = {}
    for ref in article.references:
        issues.extend(_check_reference(ref, today))
        if ref.url and "short_citation" not in ref.extra:  # {{sfn}}s share their source
            key = _url_key(ref.url)
            if key in first_with_url:
                issues.append(_issue(ref, "duplicate-url", Severity.WARNING,
                                     f"same URL as reference {first_with_url[key]}: "
                                     "reuse that one (<ref name=…/>)"))
            else:
                first_with_url[key] = ref.id
    issues.extend(
        LintIssue(id="", code="damaged-reference", severity=Severity.ERROR, line=p.line,
                  message=f"line {p.line}: {p.message}: mend it (the rest was read)")
        for p in article.problems
    )
    return issues


def _issue(ref: Reference, code: str, severity: Severity, message: str) -> LintIssue:
    return LintIssue(id=ref.id, code=code, message=message, severity=severity)


def _check_reference(ref: Reference, today: date) -> list[LintIssue]:
    out: list[LintIssue] = []
    if "short_citation" in ref.extra and not ref.title:
        pass  # a short citation ({{sfn}}) whose full citation is not in the article
    elif not (ref.title or "").strip():
        out.append(_issue(ref, "missing-title", Severity.ERROR, "no title: add |title="))
    elif ref.title.strip().casefold() in PLACEHOLDER_TITLES:
        out.append(_issue(ref, "placeholder-title", Severity.WARNING,
                          f"placeholder title {ref.title!r}: replace with the real title"))
    if not ref.url and _needs_url(ref):
        out.append(_issue(ref, "missing-url", Severity.WARNING, "no URL: add |url="))
    for key in ("url_raw", "archive_url_raw"):
        if key in ref.extra:
            out.append(_issue(ref, "invalid-url", Severity.WARNING,
                              f"{key.removesuffix('_raw').replace('_', '-')} "
                              f"{ref.extra[key]!r} is not a link (no scheme): kept as written"))
    iso_today = today.isoformat()
    if _before(ref.access_date, ref.date):
        out.append(_issue(ref, "access-before-date", Severity.WARNING,
                          f"access-date {ref.access_date} is before the date {ref.date}"))
    if _before(ref.archive_date, ref.date):
        out.append(_issue(ref, "archive-before-date", Severity.WARNING,
                          f"archive-date {ref.archive_date} is before the date {ref.date}"))
    if _before(iso_today, ref.archive_date):
        out.append(_issue(ref, "archive-date-in-future", Severity.ERROR,
                          f"archive-date {ref.archive_date} is in the future"))
    if _before(iso_today, ref.access_date):
        out.append(_issue(ref, "access-date-in-future", Severity.ERROR,
                          f"access-date {ref.access_date} is in the future"))
    out.extend(_archive_timestamp(ref))
    if ref.issn and not issn_valid(ref.issn):
        out.append(_issue(ref, "invalid-issn", Severity.ERROR,
                          f"ISSN {ref.issn} has a wrong check digit or form"))
    for key, field_name in _RAW_KEYS.items():
        if key in ref.extra:
            out.append(_issue(ref, "unparsed-date", Severity.WARNING,
                              f"{field_name} {ref.extra[key]!r} is not a date CS1 accepts; "
                              "kept as written"))
    for leftover in ref.extra.get("leftovers", []):
        out.append(_issue(ref, "template-leftover", Severity.WARNING,
                          f"{leftover!r} is a template or error message left in the "
                          "citation's text: fix the template (not part of any field)"))
    for key, what in _UNPARSED_KEYS.items():
        if key in ref.extra:
            out.append(_issue(ref, "unparsed-text", Severity.WARNING,
                              f"{what} {ref.extra[key]!r} could not be told apart; "
                              "kept as written"))
    if "language_raw" in ref.extra:
        out.append(_issue(ref, "unknown-language", Severity.WARNING,
                          f"language {ref.extra['language_raw']!r} has no known code; "
                          "kept as written"))
    return out


def _needs_url(ref: Reference) -> bool:
    """A book or journal is cited by its identifiers or its print details; only other
    citations (web pages, news) need a URL to be checkable."""
    if ref.extra.get("identifiers") or "short_citation" in ref.extra:
        return False
    kind = ref.extra.get("citation")
    return not (isinstance(kind, str) and _PRINT_KINDS.search(kind))


def _archive_timestamp(ref: Reference) -> list[LintIssue]:
    if not ref.archive_url or not ref.archive_date or len(ref.archive_date) != 10:
        return []
    link = parse_archive_url(ref.archive_url)  # Wayback, archive.today, WebCite
    # None: no timestamp, or one naming a year or a month
    snapshot_day = timestamp_day(link.timestamp if link is not None else None)
    if snapshot_day is None or snapshot_day == ref.archive_date:
        return []
    return [_issue(ref, "archive-date-mismatch", Severity.WARNING,
                   f"archive-date {ref.archive_date} disagrees with the archive URL's "
                   f"timestamp ({snapshot_day}): set |archive-date={snapshot_day}")]


def _before(a: str | None, b: str | None) -> bool:
    """Whether ISO date ``a`` is before ``b``, compared at the precision both share."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] < b[:n]


def issn_valid(issn: str) -> bool:
    """ISSN check digit (ISO 3297): weights 8..2 over seven digits, mod 11, 10 written X."""
    m = re.fullmatch(r"(\d{4})-?(\d{3})([\dXx])", issn.strip())
    if not m:
        return False
    digits = m.group(1) + m.group(2)
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return m.group(3).upper() == ("X" if check == 10 else str(check))


def _url_key(url: str) -> str:
    """The same page however it is written: host case, trailing slash and fragment ignored."""
    url = url.strip()
    plain = plain_parts(url)  # most cited URLs: read without a split (~9 µs of each)
    # Without a host, urlunsplit reads a path of "//x" as a host again: left to it.
    if plain is not None and plain[1]:
        scheme, netloc, path, query = plain
        return f"{scheme}://{netloc.lower()}{path.rstrip('/') or '/'}{'?' if query else ''}{query}"
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL at all (``http://[::1``): only the same text is the same
        return url
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
