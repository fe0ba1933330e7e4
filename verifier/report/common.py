"""What every renderer shares: verdict order and words, the headline, safe links, clean text.

Pure functions of a ``Report``; no I/O, no clock. Keeping the wording here means the HTML,
the Markdown and the fixes say the same thing in the same words.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..model import (
    REFRESHED,
    ArchiveStatus,
    Change,
    ChangeKind,
    LiveStatus,
    ReferenceResult,
    Report,
    Verdict,
)
from ..urls import is_http

# Problems first: the order in which verdicts are counted, charted and listed.
VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.LOST,
    Verdict.BROKEN,
    Verdict.RESCUED,
    Verdict.UNVERIFIED,
    Verdict.UNARCHIVED,
    Verdict.NO_URL,
    Verdict.HEALTHY,
)

# One short phrase per verdict, for legends and tooltips.
VERDICT_MEANING: dict[Verdict, str] = {
    Verdict.LOST: "gone, and no archive holds a usable copy: find a replacement",
    Verdict.BROKEN: "gone; archives not checked",
    Verdict.RESCUED: "gone, but an archived copy exists: cite it",
    Verdict.UNVERIFIED: "could not be checked: try later or by hand",
    Verdict.UNARCHIVED: "works, but no archived copy: archive it now",
    Verdict.NO_URL: "the citation has no URL",
    Verdict.HEALTHY: "works and is archived",
}

# In a run without archive checks, "healthy" only says the page works (the contract: with
# archive checks off, a live ok is healthy): the legend must not claim an archived copy.
HEALTHY_UNCHECKED = "works (archives were not checked in this run)"


def verdict_meanings(report: Report) -> dict[Verdict, str]:
    """The legend's phrase per verdict, as true of this report."""
    meanings = dict(VERDICT_MEANING)
    if report.results and not report.archive_reach()["asked"]:
        meanings[Verdict.HEALTHY] = HEALTHY_UNCHECKED
    return meanings


# Verdicts an editor has to act on (the rest are fine or need only a later look).
PROBLEMS: frozenset[Verdict] = frozenset({Verdict.LOST, Verdict.BROKEN, Verdict.RESCUED})

CHANGE_TITLES: dict[ChangeKind, str] = {
    ChangeKind.NEWLY_LOST: "Newly lost",
    ChangeKind.NEWLY_DEAD: "Newly dead",
    ChangeKind.RECOVERED: "Recovered",
    ChangeKind.NEW: "New",
}

# C0/C1 controls (keeping tab and newline out too: every field is one line), DEL, and the
# bidi overrides that can make a title display as something else in a terminal or diff.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def one_line(text: object) -> str:
    """A web string made safe for one line of plain text: no controls, no escape sequences."""
    if text is None:
        return ""
    return _CONTROL.sub(" ", str(text)).strip()


def safe_href(url: object) -> str | None:
    """The URL if it may become a link (http or https with a host), else None.

    Never ``javascript:``, ``data:`` or anything else a stranger could put in a citation.
    """
    if not isinstance(url, str) or not url:
        return None
    cleaned = url.strip()
    if _CONTROL.search(cleaned) or any(c.isspace() for c in cleaned):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if not is_http(cleaned) or not parts.netloc:
        return None
    return cleaned


def day(iso: str | None) -> str:
    """The date part of an ISO time (``2024-05-02T03:00:00+00:00`` -> ``2024-05-02``)."""
    if not iso or not re.match(r"\d{4}-\d{2}-\d{2}", iso):
        return iso or ""
    return iso[:10]


def failing_since(result: ReferenceResult) -> str:
    """``since 2024-05-02 (3 checks)`` for a link failing over several runs, else empty."""
    if not result.dead_since:
        return ""
    text = f"since {day(result.dead_since)}"
    if result.failing_streak > 1:
        text += f" ({result.failing_streak} checks)"
    return text


def verdict_counts(report: Report) -> dict[Verdict, int]:
    """Every verdict with its count (zeros included), in problem-first order."""
    counts = dict.fromkeys(VERDICT_ORDER, 0)
    for result in report.results:
        counts[result.verdict] += 1
    return counts


def all_offline(results: list[ReferenceResult]) -> bool:
    return bool(results) and all(r.live.status is LiveStatus.OFFLINE for r in results)


def headline(report: Report) -> str:
    """The state at a glance, e.g. ``44 references: 0 lost · 0 rescued · 44 unverified``.

    Lost and rescued are always named, even at zero: they are what an editor looks for.
    """
    counts = verdict_counts(report)
    total = len(report.results)
    parts = []
    for verdict in VERDICT_ORDER:
        n = counts[verdict]
        if n or verdict in (Verdict.LOST, Verdict.RESCUED):
            part = f"{n} {verdict}"
            if verdict is Verdict.UNVERIFIED and all_offline(
                [r for r in report.results if r.verdict is Verdict.UNVERIFIED]
            ):
                part += " (this checker was offline)"
            parts.append(part)
    noun = "reference" if total == 1 else "references"
    return f"{total} {noun}: " + " · ".join(parts)


def archive_trouble(report: Report) -> str | None:
    """A sentence when archive lookups failed, all of them (the archive is down or cannot
    be reached) or some: said on stderr and in every report, so that a nightly job does
    not go green on "unverified" while nobody knows the archive was never asked."""
    reach = report.archive_reach()
    asked, failed = reach["asked"], reach["failed"]
    if not failed:
        return None
    first = next(r for r in report.results if r.archive.status is ArchiveStatus.ERROR)
    why = one_line(first.archive.detail) or "no answer"
    if failed == asked:
        scope = "any link" if asked > 1 else "the link"
        return (
            f"The archive could not be asked about {scope} ({why}): archive results are "
            "error, never missing, and those references are unverified. Run again when the "
            "archive answers."
        )
    return (
        f"The archive could not be asked about {failed} of {asked} links (first: {why}): "
        "those references are unverified, not missing."
    )


def warnings(report: Report) -> list[str]:
    """Sentences for a run that could not do all its work (the checker offline, the
    archive unreachable): every report carries them, machine-read ones too."""
    out: list[str] = []
    offline = sum(1 for r in report.results if r.live.status is LiveStatus.OFFLINE)
    if offline:
        scope = "any link" if offline == len(report.results) else _plural(offline, "link", "links")
        out.append(
            f"This checker could not reach the internet, so nothing is known about {scope}: "
            "no link is called dead for that. Run verify-refs again where there is internet."
        )
    trouble = archive_trouble(report)
    if trouble:
        out.append(trouble)
    return out


def hints(report: Report) -> list[str]:
    """Plain sentences that explain a surprising state and what to run next."""
    counts = verdict_counts(report)
    total = len(report.results)
    out = warnings(report)
    no_url = counts[Verdict.NO_URL]
    if no_url:
        if no_url == total:
            what = "None of the references has a URL, so nothing was checked."
        else:
            what = (
                f"{_plural(no_url, 'reference has', 'references have')} no URL and "
                f"{'was' if no_url == 1 else 'were'} not checked."
            )
        out.append(f"{what} {_how_to_get_urls(report)}")
    if counts[Verdict.BROKEN]:
        out.append(
            f"{_plural(counts[Verdict.BROKEN], 'gone link was', 'gone links were')} not looked "
            "up in the archives: "
            "run without --no-archive to find snapshots."
        )
    if total and not any(counts[v] for v in PROBLEMS) and not out:
        out.append("Nothing needs fixing.")
    return out


def _how_to_get_urls(report: Report) -> str:
    """What to do about references without a URL, given what --refresh-urls did this run."""
    if report.refresh is None:
        return (
            "Run verify-refs --refresh-urls where there is internet to fill in the URLs "
            "from the live article."
        )
    if report.refresh == REFRESHED:
        return "The live article, read by --refresh-urls, has no URL for them either."
    return (
        f"--refresh-urls could not read the live article ({one_line(report.refresh)}), so "
        "no URL was filled in."
    )


def no_url_hint(report: Report) -> str | None:
    """The sentence for a run where no reference has a URL (said on stderr too)."""
    counts = verdict_counts(report)
    if not report.results or counts[Verdict.NO_URL] != len(report.results):
        return None
    return f"no reference has a URL. {_how_to_get_urls(report)}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def changes_by_kind(report: Report) -> list[tuple[str, list[Change]]]:
    """The changes since the last run, grouped by kind in a fixed order (empty kinds left out)."""
    groups: dict[ChangeKind, list[Change]] = {}
    for change in report.changes:
        groups.setdefault(change.kind, []).append(change)
    return [(title, groups[kind]) for kind, title in CHANGE_TITLES.items() if kind in groups]


def no_changes(report: Report) -> str:
    """Why a report lists no change since the last run: which of "no earlier run" and
    "nothing changed" holds (the trend holds this article's runs, this one last)."""
    if not report.trend:
        return "No earlier run to compare with: this run kept no history."
    if len(report.trend) == 1:
        return "No earlier run to compare with: this is the first run of this article."
    return f"Nothing changed since the last run ({day(report.trend[-2].run_at)})."


def titles_by_id(report: Report) -> dict[str, str]:
    return {r.reference.id: r.reference.title or "" for r in report.results}


def sort_key_id(ref_id: str) -> tuple[int, str]:
    """Reference numbers sort as numbers ("9" before "16"); odd ids after, as text."""
    return (int(ref_id), "") if ref_id.isdigit() else (1 << 62, ref_id)


def problems_first(results: list[ReferenceResult]) -> list[ReferenceResult]:
    """Worst verdict first; within one, the most cited first, then by number."""
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    return sorted(
        results,
        key=lambda r: (rank[r.verdict], -r.reference.uses, sort_key_id(r.reference.id)),
    )
