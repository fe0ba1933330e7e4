"""Records, closed status vocabularies and results: the types every stage shares.

Standard library only. Each stage consumes one of these and produces the next:
parse -> ``Reference``; live check -> ``LiveResult``; archive check -> ``ArchiveResult``;
verdict -> ``ReferenceResult`` (with its ``LintIssue``s); history -> ``Change``s; the job ->
``Report``; report -> strings. Results are frozen: a later pass makes a changed copy
(``dataclasses.replace``), so no stage can alter what an earlier one concluded. The string
values of the enums are the words fixed by the user-facing contract (shared/CONTRACT.md):
never rename them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class LiveStatus(StrEnum):
    """What a cited URL does now."""

    OK = "ok"
    SOFT_404 = "soft-404"
    DRIFTED = "drifted"
    DEAD = "dead"
    BLOCKED = "blocked"
    ERROR = "error"
    UNSAFE = "unsafe"
    OFFLINE = "offline"
    NO_URL = "no-url"

    @property
    def is_gone(self) -> bool:
        """The cited page is no longer what the URL serves: an archive copy is needed."""
        return self in (LiveStatus.DEAD, LiveStatus.SOFT_404, LiveStatus.DRIFTED)

    @property
    def is_inconclusive(self) -> bool:
        """Nothing can be concluded about the link itself."""
        return self in (LiveStatus.BLOCKED, LiveStatus.ERROR, LiveStatus.OFFLINE, LiveStatus.UNSAFE)

    @property
    def details(self) -> str:
        return _LIVE_DETAILS[self]


_LIVE_DETAILS = {
    LiveStatus.OK: "answers with the cited page",
    LiveStatus.SOFT_404: "answers with a 'not found' or landing page instead of the cited page",
    LiveStatus.DRIFTED: "answers with a different page than the one cited",
    LiveStatus.DEAD: "not found (404/410) or the domain no longer exists",
    LiveStatus.BLOCKED: "the site refused to show the page (access denied, rate limit or bot wall)",
    LiveStatus.ERROR: "server or connection error: inconclusive",
    LiveStatus.UNSAFE: (
        "not fetched: not an http(s) URL, it points into a private network, or it was "
        "excluded from checking (--exclude)"
    ),
    LiveStatus.OFFLINE: "the checker itself could not reach the internet",
    LiveStatus.NO_URL: "the citation has no URL",
}


class ArchiveStatus(StrEnum):
    """What the web archives hold for a URL."""

    ARCHIVED = "archived"
    ARCHIVED_ERROR = "archived-error"
    MISSING = "missing"
    ERROR = "error"
    NOT_CHECKED = "not-checked"

    @property
    def is_usable(self) -> bool:
        return self is ArchiveStatus.ARCHIVED

    @property
    def details(self) -> str:
        return _ARCHIVE_DETAILS[self]


_ARCHIVE_DETAILS = {
    ArchiveStatus.ARCHIVED: "a usable snapshot of the page exists",
    ArchiveStatus.ARCHIVED_ERROR: "snapshots exist, but only of error pages or redirects",
    ArchiveStatus.MISSING: "no snapshot in the archives",
    ArchiveStatus.ERROR: "the archive could not be asked",
    ArchiveStatus.NOT_CHECKED: "archive checks were turned off",
}


class NotChecked(StrEnum):
    """Why the archives were not asked about a reference: its ``not-checked`` detail."""

    TURNED_OFF = "archive checks were turned off"
    NO_URL = "no URL to look up"
    NOT_HTTP = "not an http(s) URL"
    EXCLUDED = "excluded from checking (--exclude, --include or the ignore file)"


class CitedArchive(StrEnum):
    """Whether the archive copy the citation already names is real."""

    CONFIRMED = "confirmed"
    NOT_FOUND = "not-found"
    NONE_CITED = "none-cited"


class Verdict(StrEnum):
    """The one word for the editor."""

    HEALTHY = "healthy"
    UNARCHIVED = "unarchived"
    RESCUED = "rescued"
    LOST = "lost"
    UNVERIFIED = "unverified"
    BROKEN = "broken"
    NO_URL = "no-url"


@dataclass(frozen=True)
class Author:
    family: str
    given: str | None = None


# Record keys fixed by the contract, in the order they are written.
REFERENCE_KEYS = (
    "id",
    "title",
    "url",
    "authors",
    "work",
    "publisher",
    "date",
    "access_date",
    "archive_url",
    "archive_date",
    "url_status",
    "language",
    "issn",
    "uses",
)


@dataclass
class Reference:
    """One citation, in CS1 parameter names (snake_case).

    ``extra`` holds keys beyond the contract's (``origin``, ``cited_in``, raw values kept
    when a date or language could not be normalised, ...); they round-trip unchanged.
    """

    id: str
    title: str | None = None
    url: str | None = None
    authors: list[Author] = field(default_factory=list)
    work: str | None = None
    publisher: str | None = None
    date: str | None = None
    access_date: str | None = None
    archive_url: str | None = None
    archive_date: str | None = None
    url_status: str | None = None
    language: str | None = None
    issn: str | None = None
    uses: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for key in REFERENCE_KEYS:
            value = getattr(self, key)
            if key == "authors":
                value = [_author_dict(a) for a in value]
            record[key] = value
        record.update(self.extra)
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Reference:
        known = {k: record.get(k) for k in REFERENCE_KEYS if k in record}
        authors = [
            Author(family=a.get("family", ""), given=a.get("given"))
            for a in (known.pop("authors", None) or [])
        ]
        uses = known.pop("uses", None)
        extra = {k: v for k, v in record.items() if k not in REFERENCE_KEYS}
        return cls(
            **known,
            authors=authors,
            uses=1 if uses is None else int(uses),
            extra=extra,
        )


def _author_dict(author: Author) -> dict[str, Any]:
    return {"family": author.family, "given": author.given}


class Severity(StrEnum):
    """How bad a lint finding is: an ``error`` fails ``verify-refs lint``."""

    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class LintIssue:
    """One problem of a citation as written (``verifier.lint``): ``id`` its reference's
    (empty for damage no record came from, which ``line`` places in the input)."""

    id: str
    code: str
    message: str
    severity: Severity
    line: int | None = None

    def to_dict(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {
            "id": self.id,
            "code": self.code,
            "message": self.message,
            "severity": str(self.severity),
        }
        if self.line is not None:
            out["line"] = self.line
        return out

    def finding_dict(self) -> dict[str, str]:
        """As a result in a report carries it: its reference is the one it is under."""
        return {"code": self.code, "severity": str(self.severity), "message": self.message}


@dataclass(frozen=True)
class LiveResult:
    status: LiveStatus
    http_status: int | None = None
    final_url: str | None = None
    redirects: list[str] = field(default_factory=list)
    title_seen: str | None = None
    title_match: float | None = None
    checked_at: str | None = None
    detail: str = ""
    # The user excluded the URL from checking (--exclude, the ignore file): not fetched.
    excluded: bool = False

    @classmethod
    def no_url(cls, checked_at: str | None) -> LiveResult:
        """The live result of a citation without a URL: the one way it is built."""
        return cls(LiveStatus.NO_URL, checked_at=checked_at, detail=LiveStatus.NO_URL.details)

    @classmethod
    def not_fetched(cls, reason: str, checked_at: str | None) -> LiveResult:
        """The live result of a URL the user excluded from checking: ``unsafe`` (the
        contract's "not fetched"), its reason the pattern that excluded it."""
        return cls(
            LiveStatus.UNSAFE, checked_at=checked_at, detail=f"{reason}: not fetched", excluded=True
        )

    def to_dict(self) -> dict[str, Any]:
        # Built by hand, not with asdict(): that deep-copies, and reports hold thousands.
        return {
            "status": str(self.status),
            "http_status": self.http_status,
            "final_url": self.final_url,
            "redirects": list(self.redirects),
            "title_seen": self.title_seen,
            "title_match": self.title_match,
            "checked_at": self.checked_at,
            "detail": self.detail,
            # Only when true: reports of every other reference keep their shape.
            **({"excluded": True} if self.excluded else {}),
        }


@dataclass(frozen=True)
class ArchiveResult:
    status: ArchiveStatus
    snapshot_url: str | None = None
    snapshot_timestamp: str | None = None
    snapshot_http_status: int | None = None
    cited_archive: CitedArchive = CitedArchive.NONE_CITED
    archive: str | None = None  # the archive holding the snapshot ("wayback", a Memento name)
    chosen_by: str | None = None  # how the snapshot was chosen ("closest before archive_date", ...)
    detail: str = ""
    excluded: bool = False  # the Wayback Machine refuses to hold the site (its owner asked)

    @classmethod
    def not_checked(cls, why: NotChecked) -> ArchiveResult:
        """The archive result of a reference the archives were not asked about."""
        return cls(ArchiveStatus.NOT_CHECKED, detail=str(why))

    def to_dict(self) -> dict[str, Any]:
        # "excluded" only when true: reports of every other reference keep their shape.
        return {
            "status": str(self.status),
            "snapshot_url": self.snapshot_url,
            "snapshot_timestamp": self.snapshot_timestamp,
            "snapshot_http_status": self.snapshot_http_status,
            "cited_archive": str(self.cited_archive),
            "archive": self.archive,
            "chosen_by": self.chosen_by,
            "detail": self.detail,
            **({"excluded": True} if self.excluded else {}),
        }


@dataclass(frozen=True)
class ReferenceResult:
    reference: Reference
    live: LiveResult
    archive: ArchiveResult
    verdict: Verdict
    action: str
    fix: dict[str, str] = field(default_factory=dict)  # CS1 parameters an editor should set
    dead_since: str | None = None  # first failing check of the current streak (history)
    failing_streak: int = 0  # consecutive failing checks, this one included
    lint: list[LintIssue] = field(default_factory=list)  # the citation's own CS1 problems

    def to_dict(self) -> dict[str, Any]:
        ref = self.reference
        return {
            "id": ref.id,
            "title": ref.title,
            "url": ref.url,
            "work": ref.work,
            "uses": ref.uses,
            "live": self.live.to_dict(),
            "archive": self.archive.to_dict(),
            "verdict": str(self.verdict),
            "action": self.action,
            "fix": self.fix,
            "dead_since": self.dead_since,
            "failing_streak": self.failing_streak,
            "lint": [issue.finding_dict() for issue in self.lint],
        }


class ChangeKind(StrEnum):
    """What kind of change the history found for a reference, in the reports' order."""

    NEWLY_LOST = "newly-lost"  # its verdict became lost
    NEWLY_DEAD = "newly-dead"  # its live status became gone
    RECOVERED = "recovered"  # it was gone and is ok again
    NEW = "new"  # never seen before


@dataclass(frozen=True)
class Change:
    """What changed for one reference since the previous run (from the history)."""

    id: str
    kind: ChangeKind
    before: str | None
    after: str
    since: str | None = None  # ISO time of the first failing check in the current streak
    streak: int = 0


@dataclass(frozen=True)
class RunTally:
    """One run of an article kept in the history: when, and how many references got each
    verdict (only verdicts that occurred)."""

    run_at: str  # ISO time of the run
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"run_at": self.run_at, "counts": dict(self.counts)}


REFRESHED = "imported"  # Report.refresh when --refresh-urls read the live article


@dataclass(frozen=True)
class Report:
    generated_at: str
    source: dict[str, Any]
    results: list[ReferenceResult]
    changes: list[Change] = field(default_factory=list)
    failing: list[str] = field(default_factory=list)  # ids that fall under the failing policy
    checker_online: bool | None = None  # None: no link needed the network
    # The runs of this source in the history, oldest first, this run last (empty without a
    # history): the verdict counts over time, for the trend chart and line.
    trend: list[RunTally] = field(default_factory=list)
    # --refresh-urls: None when not asked, REFRESHED when the live article was read,
    # otherwise why it could not be (so no report suggests running it again at once).
    refresh: str | None = None

    def summary(self) -> dict[str, Any]:
        def count(values: list[str]) -> dict[str, int]:
            out: dict[str, int] = {}
            for v in values:
                out[v] = out.get(v, 0) + 1
            return out

        return {
            "total": len(self.results),
            "by_verdict": count([str(r.verdict) for r in self.results]),
            "by_live": count([str(r.live.status) for r in self.results]),
            "by_archive": count([str(r.archive.status) for r in self.results]),
        }

    def archive_reach(self) -> dict[str, int]:
        """Archive lookups made and failed (the archive could not be asked): a run whose
        every lookup failed had no archive at all, which the per-reference errors alone
        would not say at a glance."""
        asked = [r for r in self.results if r.archive.status is not ArchiveStatus.NOT_CHECKED]
        failed = sum(1 for r in asked if r.archive.status is ArchiveStatus.ERROR)
        return {"asked": len(asked), "failed": failed}

    def header_dict(self) -> dict[str, Any]:
        """Everything but the references (which ``to_dict`` puts last)."""
        return {
            "generated_at": self.generated_at,
            "source": self.source,
            "checker": {"online": self.checker_online, "archive": self.archive_reach()},
            "summary": self.summary(),
            "changes": [asdict(c) for c in self.changes],
            "failing": self.failing,
            "trend": [t.to_dict() for t in self.trend],
            "refresh_urls": self.refresh,
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.header_dict(), "references": [r.to_dict() for r in self.results]}
