"""Which capture an editor should cite, and whether the cited one is real. Pure.

An editor wants the page as the citing editor saw it: a capture of the page itself (an
archived HTTP 200, not of a 404, a redirect or an error page) taken on or closest
*before* the cited archive date, else the access date, else the publication date; with
no date to go by, the newest. ``rank`` orders the candidates in that preference, so the
checker can fall back to the next one when the first fails verification (an archived
soft-404), and says how each was chosen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..archive_urls import ArchiveURL


@dataclass(frozen=True)
class Capture:
    """One archived copy of a URL.

    ``status`` is the HTTP status the archive recorded, or None where the archive does
    not say (Memento TimeMaps): such a capture is a candidate that verification settles.
    """

    archive: str  # "wayback", or the Memento archive's name
    timestamp: str  # YYYYMMDDhhmmss
    original: str
    status: int | None
    replay_url: str  # what an editor cites
    raw_url: str  # the capture as archived, without the archive's rewriting (id_)
    mimetype: str | None = None

    @property
    def usable(self) -> bool:
        """Not known to be an error page or a redirect."""
        return self.status is None or self.status == 200


@dataclass(frozen=True)
class Ranked:
    capture: Capture
    chosen_by: str


# Anchors in order of preference: (Reference attribute, words used in ``chosen_by``).
ANCHORS = (("archive_date", "archive-date"), ("access_date", "access-date"), ("date", "date"))


def rank(captures: Iterable[Capture], anchors: Sequence[tuple[str, str]]) -> list[Ranked]:
    """Usable captures, best first, each with how it was chosen.

    ``anchors``: ``(label, ISO date)`` pairs in preference order (absent dates left out).
    For the first anchor that has a usable capture on or before its day, the closest
    such capture wins; when every capture is later than every anchor, the one closest
    after the first anchor; with no anchors, the newest. The rest follow newest first,
    so a fallback stays as close to the first choice as the archive allows.
    """
    usable = sorted({c.timestamp + c.archive: c for c in captures if c.usable}.values(),
                    key=lambda c: c.timestamp)
    if not usable:
        return []
    first: Ranked | None = None
    for label, day in anchors:
        end = date_end(day)
        before = [c for c in usable if c.timestamp <= end]
        if before:
            first = Ranked(before[-1], f"closest before {label} {day}")
            break
    if first is None and anchors:
        label, day = anchors[0]
        first = Ranked(usable[0], f"closest after {label} {day} (nothing earlier)")
    if first is None:
        first = Ranked(usable[-1], "newest")
    rest = [
        Ranked(c, f"next best after {first.capture.timestamp} failed verification")
        for c in reversed(usable)
        if c is not first.capture
    ]
    return [first, *rest]


def anchors_of(ref: object) -> list[tuple[str, str]]:
    """The dates of a reference to choose by, in preference order; malformed ones skipped."""
    found = []
    for attr, label in ANCHORS:
        value = getattr(ref, attr, None)
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            found.append((label, value.strip()))
    return found


def cited_capture_found(
    captures: Iterable[Capture],
    *,
    archive_date: str | None,
    cited: ArchiveURL | None,
    rejected: frozenset[str] = frozenset(),
) -> bool:
    """Whether a usable capture exists on ``archive_date`` and at ``cited``'s timestamp.

    Both must hold when both are given. A partial timestamp (``/web/2023/``) or date
    (``2023-09``) names a period: any usable capture within it counts. ``rejected``:
    raw URLs of captures that failed verification (they are not usable after all).
    """
    usable = [c for c in captures if c.status == 200 and c.raw_url not in rejected]
    if archive_date and _ISO_DATE.match(archive_date.strip()):
        prefix = re.sub(r"\D", "", archive_date)
        usable = [c for c in usable if c.timestamp.startswith(prefix)]
    if cited is not None and cited.timestamp:
        usable = [c for c in usable if c.timestamp.startswith(cited.timestamp)]
    return bool(usable)


_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def date_end(day: str) -> str:
    """The last Wayback timestamp within an ISO date (``2023-09`` -> ``20230931235959``).

    Timestamps compare as strings, so a day 31 past a month's end does no harm.
    """
    digits = re.sub(r"\D", "", day)[:8]
    return digits + "1231235959"[len(digits) - 4 :]
