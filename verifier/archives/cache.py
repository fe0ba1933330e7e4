"""Where archive answers are kept between runs (``verifier.history.History`` implements it).

Only definite answers are kept (the captures of a URL, "none", a snapshot's verification),
never a failed lookup, so tomorrow's run asks the archives only about what changed. Values
are JSON strings written and read by ``store.py`` (which owns their keys and versions).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol


class ArchiveCache(Protocol):
    def archive_cache_get(self, key: str, *, max_age: timedelta, now: datetime) -> str | None:
        """The value stored under ``key`` no longer ago than ``max_age``, or None."""
        ...

    def archive_cache_put(self, key: str, value: str, *, now: datetime) -> None:
        """Store ``value`` under ``key`` as of ``now``, replacing what was there."""
        ...
