"""The verdict table of the contract: (live status, archive status) -> verdict, action, fix.

Pure rules, no I/O. The table is shared/CONTRACT.md's "verdict" table; tests pin every row.
"""

from __future__ import annotations

from collections.abc import Callable

from .archive_urls import MEMENTO_PRESETS, save_page_now_url, timestamp_day
from .model import ArchiveResult, ArchiveStatus, LiveResult, LiveStatus, Reference, Verdict


def decide(live: LiveResult, archive: ArchiveResult) -> Verdict:
    if live.status is LiveStatus.NO_URL:
        return Verdict.NO_URL
    if live.status.is_inconclusive or archive.status is ArchiveStatus.ERROR:
        return Verdict.UNVERIFIED
    if live.status is LiveStatus.OK:
        if archive.status in (ArchiveStatus.ARCHIVED, ArchiveStatus.NOT_CHECKED):
            return Verdict.HEALTHY
        return Verdict.UNARCHIVED
    # The page is gone (dead, soft-404 or drifted).
    if archive.status is ArchiveStatus.ARCHIVED:
        return Verdict.RESCUED
    if archive.status is ArchiveStatus.NOT_CHECKED:
        return Verdict.BROKEN
    return Verdict.LOST


def url_status_for(live: LiveResult) -> str:
    """The CS1 ``url-status`` an editor should set once the snapshot is cited."""
    # A page that now serves something else entirely was usurped; CS1 then hides the
    # original link, which is what an editor wants for a replaced page.
    return "usurped" if live.status is LiveStatus.DRIFTED else "dead"


def fix_for(verdict: Verdict, live: LiveResult, archive: ArchiveResult) -> dict[str, str]:
    """The CS1 parameters to paste, for the verdicts that have a mechanical fix."""
    if verdict is not Verdict.RESCUED or not archive.snapshot_url:
        return {}
    fix = {"archive-url": archive.snapshot_url}
    if snapshot_date(archive.snapshot_timestamp):
        fix["archive-date"] = snapshot_date(archive.snapshot_timestamp)
    fix["url-status"] = url_status_for(live)
    return fix


def snapshot_date(timestamp: str | None) -> str:
    """``YYYYMMDDhhmmss`` -> ``YYYY-MM-DD`` (empty when unknown or malformed)."""
    return timestamp_day(timestamp) or ""


def fix_params(fix: dict[str, str], clean: Callable[[str], str] = str) -> str:
    """CS1 parameters as an editor pastes them: ``|archive-url=… |archive-date=…``."""
    return " ".join(f"|{name}={clean(value)}" for name, value in fix.items())


def other_archives() -> str:
    """The Memento archives that may hold what the Wayback Machine cannot, by the names
    ``--memento-archive`` takes."""
    return ", ".join(MEMENTO_PRESETS) + " (--memento-archive NAME)"


def action_for(verdict: Verdict, ref: Reference, live: LiveResult, archive: ArchiveResult) -> str:
    """One line telling the editor what to do."""
    if verdict is Verdict.HEALTHY:
        return "none"
    if verdict is Verdict.UNARCHIVED and archive.excluded:
        return ("archive it elsewhere: the Wayback Machine excludes this site; try "
                f"{other_archives()}")
    if verdict is Verdict.UNARCHIVED:
        return f"archive it now: {save_page_now_url(ref.url or '')}"
    if verdict is Verdict.RESCUED:
        fix = fix_for(verdict, live, archive)
        params = fix_params(fix)
        return f"cite the snapshot: {params}"
    if verdict is Verdict.LOST and archive.excluded:
        return ("look in another archive, else find a replacement source: the Wayback "
                f"Machine excludes this site; try {other_archives()}")
    if verdict is Verdict.LOST:
        if archive.status is ArchiveStatus.ARCHIVED_ERROR:
            # Its captures are shown (linked): the action must not deny they exist.
            return (
                "find a replacement source: the page is gone and the archives hold only "
                "unusable captures of it (errors, redirects or another page)"
            )
        return "find a replacement source: the page is gone and no archive holds it"
    if verdict is Verdict.BROKEN:
        return "run with archive checks to look for a snapshot"
    if verdict is Verdict.NO_URL:
        return "add a URL"
    # unverified
    if live.status is LiveStatus.OFFLINE:
        return "check later: this checker was offline, nothing is known about the link"
    if live.status is LiveStatus.UNSAFE:
        return f"check by hand: {live.detail or live.status.details}"
    if live.status is LiveStatus.BLOCKED:
        return "check by hand in a browser: the site refused the checker"
    if archive.status is ArchiveStatus.ERROR and not live.status.is_inconclusive:
        return "check later: the archive could not be asked"
    return "check by hand or later: the result was inconclusive"
