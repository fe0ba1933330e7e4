"""The archive answers kept between runs: keys, serialisation, expiry, in one place.

Only definite answers are kept — what an archive holds for a URL (captures, "none yet",
"the site is excluded") and what a snapshot showed — never a failed lookup, so
tomorrow's run asks the archives only about what changed. The rows sit in an
``ArchiveCache`` (``verifier.history.History``) as JSON envelopes
``{"v": SCHEMA, "data": ...}``. A row of another schema is never read as this one:
a snapshot's sight (permanent, and costly to fetch again) is migrated from the unversioned
rows of earlier releases; every other old row is ignored on purpose and asked again, since
an old "none" may be the availability API's false empty answer that CDX never checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from .cache import ArchiveCache
from .verify import Seen

SCHEMA = 2
FOUND_MAX_AGE = timedelta(days=7)  # captures are permanent; new ones rarely change the choice
ABSENT_MAX_AGE = timedelta(hours=20)  # "none yet" is asked again on the next nightly run
SEEN_MAX_AGE = timedelta(days=365)  # a snapshot never changes


@dataclass(frozen=True)
class Row:
    """One capture as an index listed it. ``status`` None: the index does not say.
    ``replay``: the capture's address, where the archive's grammar cannot build it (a
    memento named by a TimeMap)."""

    timestamp: str
    original: str
    status: int | None
    mimetype: str | None = None
    replay: str | None = None


@dataclass(frozen=True)
class Holding:
    """What one archive holds for one URL: a definite answer.

    ``skipped``: index rows that could not be read. ``excluded``: the archive's reason
    when it refuses to hold the site (then ``rows`` is empty).
    """

    rows: tuple[Row, ...] = ()
    skipped: int = 0
    excluded: str | None = None

    @property
    def empty(self) -> bool:
        """Nothing archived yet (which ages faster than an answer with captures)."""
        return not self.rows and self.excluded is None


class ArchiveStore:
    """Typed reads and writes of the cross-run archive cache (None: no cache, or nothing
    usable stored)."""

    def __init__(self, cache: ArchiveCache | None, now: Callable[[], datetime]) -> None:
        self.cache = cache
        self.now = now

    # -- what an archive holds for a URL ---------------------------------------------------
    def holding(self, archive: str, url: str) -> Holding | None:
        data = self._get(_holding_key(archive, url), FOUND_MAX_AGE)
        held = _decode_holding(data) if data is not None else None
        if held is not None and held.empty:
            # "none yet" is trusted for less long: read it again under the shorter age.
            data = self._get(_holding_key(archive, url), ABSENT_MAX_AGE)
            return held if data is not None else None
        return held

    def put_holding(self, archive: str, url: str, held: Holding) -> None:
        self._put(_holding_key(archive, url), {
            "rows": [[r.timestamp, r.original, r.status, r.mimetype, r.replay]
                     for r in held.rows],
            "skipped": held.skipped,
            "excluded": held.excluded,
        })

    def forget_holding(self, archive: str, url: str) -> None:
        self._put(_holding_key(archive, url), None)  # a null entry reads as "not stored"

    # -- what a snapshot showed ------------------------------------------------------------
    def seen(self, raw_url: str) -> Seen | None:
        key = f"snapshot:{raw_url}"
        data = self._get(key, SEEN_MAX_AGE, migrate=_migrate_seen)
        if not isinstance(data, dict):
            return None
        try:
            return Seen(**data)
        except TypeError:
            return None  # fields of another release: fetched again

    def put_seen(self, raw_url: str, seen: Seen) -> None:
        self._put(f"snapshot:{raw_url}", asdict(seen))

    # -- the envelope ----------------------------------------------------------------------
    def _get(self, key: str, max_age: timedelta,
             migrate: Callable[[Any], Any] | None = None) -> Any | None:
        if self.cache is None:
            return None
        value = self.cache.archive_cache_get(key, max_age=max_age, now=self.now())
        if value is None:
            return None
        try:
            stored = json.loads(value)
        except ValueError:
            return None  # a damaged row is asked again
        if isinstance(stored, dict) and stored.keys() == {"v", "data"}:
            return stored["data"] if stored["v"] == SCHEMA else None
        return migrate(stored) if migrate is not None else None

    def _put(self, key: str, data: Any) -> None:
        if self.cache is not None:
            value = json.dumps({"v": SCHEMA, "data": data}) if data is not None else "null"
            self.cache.archive_cache_put(key, value, now=self.now())


def _holding_key(archive: str, url: str) -> str:
    return f"holding:{archive}:{url}"


def _decode_holding(data: Any) -> Holding | None:
    if not isinstance(data, dict):
        return None
    try:
        rows = tuple(Row(str(ts), str(original), status if isinstance(status, int) else None,
                         mimetype if isinstance(mimetype, str) else None,
                         replay if isinstance(replay, str) else None)
                     for ts, original, status, mimetype, replay in data["rows"])
        return Holding(rows, int(data["skipped"]), data["excluded"] or None)
    except (KeyError, TypeError, ValueError):
        return None


def _migrate_seen(old: Any) -> Any:
    # Before SCHEMA 2 a snapshot's sight was stored bare, as Seen's fields.
    return old if isinstance(old, dict) and "http_status" in old else None
