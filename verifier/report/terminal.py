"""The lines a terminal shows: one per reference as it is checked (``-v``), and at the end
of a run what needs the user, with the reason for each — not only counts.

Every web string goes through ``one_line`` (no control characters, no escape sequences):
a page's title must not be able to move the cursor or recolour the terminal.
"""

from __future__ import annotations

from ..model import ArchiveStatus, ReferenceResult, Report, Verdict
from .common import one_line, problems_first

# What the user has to look at after a run: a source gone (lost), a dead link not looked
# up in the archives (broken), and what could not be judged (unverified), with why.
NEEDS_USER = (Verdict.LOST, Verdict.BROKEN, Verdict.UNVERIFIED)
MAX_LISTED = 20  # the rest are counted; the reports list them all
MAX_TITLE = 70


def checked_line(result: ReferenceResult) -> str:
    """``[16] lost: https://… — live dead 404; archive missing: no capture``."""
    ref = result.reference
    line = f"[{one_line(ref.id)}] {result.verdict}"
    if ref.url:
        line += f": {one_line(ref.url)}"
    why = reason(result)
    return f"{line} — {why}" if why else line


def reason(result: ReferenceResult) -> str:
    """Why a reference has its verdict, from the checks that decided it; empty for a
    reference that is fine or has no URL (the verdict says it all)."""
    if result.verdict in (Verdict.HEALTHY, Verdict.NO_URL):
        return ""
    live, archive = result.live, result.archive
    parts = []
    if result.verdict is not Verdict.UNVERIFIED or live.status.is_inconclusive:
        said = f"live {live.status}" + (f" {live.http_status}" if live.http_status else "")
        detail = one_line(live.detail)
        parts.append(f"{said}: {detail}" if detail else said)
    if archive.status is not ArchiveStatus.NOT_CHECKED and (
        result.verdict is not Verdict.UNVERIFIED or archive.status is ArchiveStatus.ERROR
    ):
        detail = one_line(archive.detail)
        parts.append(f"archive {archive.status}" + (f": {detail}" if detail else ""))
    return "; ".join(parts)


def needs_user(report: Report, limit: int = MAX_LISTED) -> list[str]:
    """A heading and one line per lost, broken or unverified reference (worst first), each
    with its reason and what to do; nothing when none is."""
    # One the user excluded from checking is theirs already: counted, not listed.
    rows = [
        r for r in problems_first(report.results) if r.verdict in NEEDS_USER and not r.live.excluded
    ]
    excluded = sum(1 for r in report.results if r.live.excluded)
    said = []
    if excluded:
        said.append(f"{excluded} excluded from checking (--exclude, --include, ignore file)")
    if not rows:
        return said
    lines = [f"needs you ({len(rows)}):"]
    for r in rows[:limit]:
        title = one_line(r.reference.title)
        if len(title) > MAX_TITLE:
            title = title[: MAX_TITLE - 1].rstrip() + "…"
        head = f"  [{one_line(r.reference.id)}] {r.verdict}"
        head += f' "{title}"' if title else ""
        lines.append(f"{head}: {reason(r)}; {one_line(r.action)}")
    if len(rows) > limit:
        lines.append(f"  …and {len(rows) - limit} more: see the reports")
    return lines + said
