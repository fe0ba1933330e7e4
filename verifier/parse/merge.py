"""Filling the URLs a rendering lost into existing records, from a fresh import.

References are matched by title (normalised: Unicode form, case, quotes, punctuation and
spacing ignored). Only empty fields are filled: nothing an editor or an earlier run wrote
is overwritten. When several references share a title (placeholders like 存档副本), the
one with the same number wins, else the first not yet taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..model import Reference
from ..records import Article
from ..titles import normalise

MERGED_KEYS = ("url", "archive_url", "archive_date", "url_status")


@dataclass
class MergeReport:
    matched: list[tuple[str, str]] = field(default_factory=list)  # (existing id, fresh id)
    unmatched: list[str] = field(default_factory=list)  # existing ids with no match
    unused: list[str] = field(default_factory=list)  # fresh ids that matched nothing
    filled: dict[str, list[str]] = field(default_factory=dict)  # existing id -> keys filled

    def summary(self) -> str:
        total = len(self.matched) + len(self.unmatched)
        line = (
            f"matched {len(self.matched)} of {total} references by title; "
            f"filled {sum(len(v) for v in self.filled.values())} field(s)"
        )
        if self.unmatched:
            line += f"; not matched: {', '.join(self.unmatched)}"
        return line


def normalise_title(title: str | None) -> str:
    """The title as titles.normalise makes it, with punctuation ignored too."""
    text = re.sub(r"[\W_]+", " ", normalise(title or ""))  # quotes, «», dashes, dots
    return " ".join(text.split())


def merge_urls(existing: Article, fresh: Article) -> tuple[Article, MergeReport]:
    by_title: dict[str, list[Reference]] = {}
    for ref in fresh.references:
        by_title.setdefault(normalise_title(ref.title), []).append(ref)
    taken: set[str] = set()
    report = MergeReport()
    merged = []
    for ref in existing.references:
        key = normalise_title(ref.title)
        candidates = [c for c in by_title.get(key, []) if c.id not in taken]
        match = next((c for c in candidates if c.id == ref.id), None) or next(
            iter(candidates), None
        )
        if match is None or not key:
            report.unmatched.append(ref.id)
            merged.append(ref)
            continue
        taken.add(match.id)
        report.matched.append((ref.id, match.id))
        updates = {
            key: getattr(match, key)
            for key in MERGED_KEYS
            if getattr(ref, key) is None and getattr(match, key) is not None
        }
        if updates:
            report.filled[ref.id] = list(updates)
        merged.append(replace(ref, **updates, extra=dict(ref.extra)))
    report.unused = [r.id for r in fresh.references if r.id not in taken]
    return Article(source=dict(existing.source), references=merged), report
