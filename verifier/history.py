"""The history database: every observation of every run, with its time (SQLite).

What it answers: since when a URL has been failing and for how many checks ("dead
since"), whether a failure is confirmed by checks at least a day apart
(``--confirm-after``), what changed since the previous run of the same source, and
cached archive answers so tomorrow's run asks the archives only about what changed.

Design notes
- Standard library ``sqlite3`` only. WAL journal plus a busy timeout, so concurrent runs
  wait for each other instead of failing, and readers never block the writer.
- Each run's writes are one ``BEGIN IMMEDIATE`` transaction: a run killed midway leaves
  the previous state, never half a run.
- One connection per ``History``, shared by threads (the archive checker uses the cache
  from worker threads) and guarded by a lock.
- No clock reads: every time comes in as a parameter. Times are stored as UTC ISO 8601
  strings (seconds), so they sort as text; a naive ``datetime`` is taken as UTC.
- "Failing" means the page is gone: live ``dead``, ``soft-404`` or ``drifted``. An
  inconclusive check (``blocked``, ``error``, ``offline``, ``unsafe``) says nothing about
  the link, so it neither extends nor breaks a streak; only an ``ok`` check ends one.
- The schema version lives in SQLite's ``user_version``; ``_MIGRATIONS[i]`` upgrades a
  database from version ``i`` to ``i + 1`` (version 0 is an empty file).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .errors import InputError
from .model import Change, ChangeKind, LiveStatus, ReferenceResult, RunTally, Verdict

BUSY_TIMEOUT_MS = 30_000  # a concurrent nightly run may hold the write lock for a while
CONFIRM_SPACING = timedelta(days=1)  # IABot's rule against flapping sites
TREND_RUNS = 30  # runs in the trend: a month of nightly runs


def _create_v1(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE runs (id INTEGER PRIMARY KEY, source TEXT NOT NULL, run_at TEXT NOT NULL)"
    )
    db.execute(
        """CREATE TABLE observations (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            ref_id TEXT NOT NULL,
            url TEXT,
            live_status TEXT NOT NULL,
            http_status INTEGER,
            archive_status TEXT NOT NULL,
            verdict TEXT NOT NULL,
            checked_at TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX observations_url ON observations (url, checked_at)")
    db.execute("CREATE INDEX observations_run ON observations (run_id)")
    db.execute("CREATE INDEX runs_source ON runs (source, run_at)")
    db.execute(
        "CREATE TABLE archive_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
        "stored_at TEXT NOT NULL)"
    )


def _is_failing(status: str) -> bool:
    return LiveStatus(status).is_gone


def _is_conclusive(status: str) -> bool:
    live = LiveStatus(status)
    return not live.is_inconclusive and live is not LiveStatus.NO_URL


# What a run's changes are measured against, kept per (source, reference): the last
# conclusive live status and the last verdict other than unverified, each with the
# (checked_at, run id) it was seen at. Why a table: worked out from every observation of
# the source, it cost a scan of the whole history each night, growing with it (20,000
# references: 0.1 s on the first night, 1.3 s on the 60th); the table is the size of the
# references. ``_STATE_UPSERT`` folds observations into it, keeping the latest of each by
# (checked_at, run id), so the order they are folded in does not matter: one statement
# serves each run, the upgrade of an older database and the rebuild after a prune.
_CONCLUSIVE = ", ".join(f"'{s.value}'" for s in LiveStatus if _is_conclusive(s))
_LIVE_NEWER = (
    "excluded.live_at IS NOT NULL AND (live_at IS NULL "
    "OR (excluded.live_at, excluded.live_run) >= (live_at, live_run))"
)
_VERDICT_NEWER = (
    "excluded.verdict_at IS NOT NULL AND (verdict_at IS NULL "
    "OR (excluded.verdict_at, excluded.verdict_run) >= (verdict_at, verdict_run))"
)
_STATE_UPSERT = f"""
    INSERT INTO ref_states
        (source, ref_id, live_status, live_at, live_run, verdict, verdict_at, verdict_run)
    SELECT r.source, o.ref_id,
        CASE WHEN o.live_status IN ({_CONCLUSIVE}) THEN o.live_status END,
        CASE WHEN o.live_status IN ({_CONCLUSIVE}) THEN o.checked_at END,
        CASE WHEN o.live_status IN ({_CONCLUSIVE}) THEN r.id END,
        CASE WHEN o.verdict != '{Verdict.UNVERIFIED.value}' THEN o.verdict END,
        CASE WHEN o.verdict != '{Verdict.UNVERIFIED.value}' THEN o.checked_at END,
        CASE WHEN o.verdict != '{Verdict.UNVERIFIED.value}' THEN r.id END
    FROM observations o JOIN runs r ON r.id = o.run_id WHERE {{where}}
    ON CONFLICT (source, ref_id) DO UPDATE SET
        live_status = CASE WHEN {_LIVE_NEWER} THEN excluded.live_status ELSE live_status END,
        live_at = CASE WHEN {_LIVE_NEWER} THEN excluded.live_at ELSE live_at END,
        live_run = CASE WHEN {_LIVE_NEWER} THEN excluded.live_run ELSE live_run END,
        verdict = CASE WHEN {_VERDICT_NEWER} THEN excluded.verdict ELSE verdict END,
        verdict_at = CASE WHEN {_VERDICT_NEWER} THEN excluded.verdict_at ELSE verdict_at END,
        verdict_run = CASE WHEN {_VERDICT_NEWER} THEN excluded.verdict_run ELSE verdict_run END
"""  # only this module's constants are formatted in; every value is a parameter


def _fold_states(db: sqlite3.Connection, where: str = "1", params: Sequence[object] = ()) -> None:
    """Fold the observations ``where`` selects (of ``o``, ``r``) into ``ref_states``. The
    WHERE is always there: SQLite needs one to tell a JOIN's ON from the upsert's."""
    db.execute(_STATE_UPSERT.format(where=where), params)


def _create_v2(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE ref_states (
            source TEXT NOT NULL,
            ref_id TEXT NOT NULL,
            live_status TEXT, live_at TEXT, live_run INTEGER,
            verdict TEXT, verdict_at TEXT, verdict_run INTEGER,
            PRIMARY KEY (source, ref_id)) WITHOUT ROWID"""
    )
    _fold_states(db)  # a database from before: its whole history, once


_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_v1, _create_v2]
SCHEMA_VERSION = len(_MIGRATIONS)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _observed_at(result: ReferenceResult, run_at: datetime) -> str:
    """When the live check happened: its own ``checked_at`` if readable, else the run's."""
    if result.live.checked_at:
        try:
            return _iso(datetime.fromisoformat(result.live.checked_at))
        except ValueError:
            pass
    return _iso(run_at)


class _Locked(Exception):
    """Opening met a lock that SQLite would not wait for: try again."""


class History:
    """Every observation of every run. Use ``History.open(path)`` or ``History.memory()``."""

    def __init__(self, db: sqlite3.Connection, name: str) -> None:
        self._db = db
        self._name = name
        self._lock = threading.RLock()

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> History:
        """Open (creating if needed) the history at ``path``; InputError if unusable."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{path}: cannot create the folder: {exc.strerror}") from None
        return cls._connect(str(path), wal=True)

    @classmethod
    def memory(cls) -> History:
        """A throwaway in-memory history, for tests."""
        return cls._connect(":memory:", wal=False)

    @classmethod
    def _connect(cls, target: str, *, wal: bool) -> History:
        # Switching a new file to WAL, or creating its schema, while another run does the
        # same can fail with "database is locked" at once: SQLite does not call the busy
        # handler for every lock it needs there. Opening is retried, within the same time
        # a busy write would wait.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.01
        while True:
            try:
                return cls._connect_once(target, wal=wal)
            except _Locked:
                if time.monotonic() + pause > deadline:
                    raise InputError(
                        f"{target}: the history database stayed locked by another run"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.5)

    @classmethod
    def _connect_once(cls, target: str, *, wal: bool) -> History:
        db: sqlite3.Connection | None = None
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a run is one
            # transaction exactly, not whatever the module's implicit rules decide.
            db = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if wal:
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            history = cls(db, target)
            history._migrate()
            return history
        except (sqlite3.Error, InputError) as exc:
            if db is not None:
                db.close()
            if isinstance(exc, InputError):
                raise
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise _Locked from None
            raise InputError(f"{target}: not a usable history database: {exc}") from None

    def _migrate(self) -> None:
        with self._transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise InputError(
                    f"{self._name}: history schema version {version} is newer than this "
                    f"verify-refs understands ({SCHEMA_VERSION}); upgrade verify-refs"
                )
            for step in _MIGRATIONS[version:]:
                step(db)
            if version != SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, rolled back on any exception (locks out other writers)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # -- runs ----------------------------------------------------------------------

    def record_run(
        self, results: Sequence[ReferenceResult], *, run_at: datetime, source: str
    ) -> list[Change]:
        """Store one observation per reference; return what changed for this source.

        Changes compare each reference with its own earlier observations in runs of the
        same ``source``: ``new`` (never seen), ``newly-lost`` (verdict became lost),
        ``newly-dead`` (live status became gone), ``recovered`` (was gone, now ok).
        The comparison skips inconclusive checks, so dead -> offline -> dead is not news.
        The first run of a source reports no change: every reference would be ``new``,
        which is no news.
        """
        with self._transaction() as db:
            before = self._last_states(db, source)
            run_id = db.execute(
                "INSERT INTO runs (source, run_at) VALUES (?, ?)", (source, _iso(run_at))
            ).lastrowid
            db.executemany(
                "INSERT INTO observations (run_id, ref_id, url, live_status, http_status, "
                "archive_status, verdict, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        r.reference.id,
                        r.reference.url,
                        str(r.live.status),
                        r.live.http_status,
                        str(r.archive.status),
                        str(r.verdict),
                        _observed_at(r, run_at),
                    )
                    for r in results
                ],
            )
            _fold_states(db, "o.run_id = ?", (run_id,))
            return [c for r in results for c in self._changes(db, r, before)]

    @staticmethod
    def _last_states(
        db: sqlite3.Connection, source: str
    ) -> dict[str, tuple[str | None, str | None]]:
        """ref id -> (last conclusive live status, last verdict other than unverified)."""
        rows = db.execute(
            "SELECT ref_id, live_status, verdict FROM ref_states WHERE source = ?", (source,)
        )
        return {ref_id: (live, verdict) for ref_id, live, verdict in rows}

    def _changes(
        self,
        db: sqlite3.Connection,
        result: ReferenceResult,
        before: dict[str, tuple[str | None, str | None]],
    ) -> list[Change]:
        ref_id, live, verdict = result.reference.id, result.live.status, result.verdict
        if ref_id not in before:
            # Never seen in this source: new, unless nothing of it was seen (a first run).
            return [Change(ref_id, ChangeKind.NEW, None, str(verdict))] if before else []
        last_live, last_verdict = before[ref_id]
        # A reference seen before only through inconclusive checks (None) counts as
        # "not lost / not gone": CI wants to hear about it the first time it is certain.
        newly_lost = verdict is Verdict.LOST and last_verdict != Verdict.LOST
        newly_dead = live.is_gone and (last_live is None or not _is_failing(last_live))
        changes = []
        if newly_lost or newly_dead:  # the streak query only for what is news
            url = result.reference.url
            since, streak = self._streak(db, url) if url else (None, 0)
            if newly_lost:
                changes.append(
                    Change(ref_id, ChangeKind.NEWLY_LOST, last_verdict, str(verdict), since, streak)
                )
            if newly_dead:
                changes.append(
                    Change(ref_id, ChangeKind.NEWLY_DEAD, last_live, str(live), since, streak)
                )
        if live is LiveStatus.OK and last_live is not None and _is_failing(last_live):
            changes.append(Change(ref_id, ChangeKind.RECOVERED, last_live, str(live)))
        return changes

    # -- streaks -------------------------------------------------------------------

    def _failing_streak(
        self, db: sqlite3.Connection, url: str, until: str = "9999"
    ) -> list[str]:
        """Times of the current streak's failing checks of ``url`` up to ``until``, newest
        first. One check per run: a URL cited by several references is fetched once a run.
        """
        rows = db.execute(
            "SELECT MIN(o.checked_at), o.live_status FROM observations o WHERE o.url = ? "
            "GROUP BY o.run_id HAVING MIN(o.checked_at) <= ? "
            "ORDER BY MIN(o.checked_at) DESC, o.run_id DESC",
            (url, until),
        )
        streak: list[str] = []
        for checked_at, status in rows:
            if _is_failing(status):
                streak.append(checked_at)
            elif _is_conclusive(status):
                break
        return streak

    def _streak(self, db: sqlite3.Connection, url: str) -> tuple[str | None, int]:
        streak = self._failing_streak(db, url)
        return (streak[-1] if streak else None), len(streak)

    def dead_since(self, url: str) -> tuple[str | None, int]:
        """(ISO time of the first failing check of the current streak, streak length).

        ``(None, 0)`` when the last conclusive check of ``url`` was not failing.
        """
        with self._lock:
            return self._streak(self._db, url)

    def is_confirmed(
        self,
        url: str,
        *,
        confirm_after: int,
        now: datetime,
        pending: LiveStatus | str | None = None,
    ) -> bool:
        """Does the failure of ``url`` count yet, under ``--confirm-after confirm_after``?

        True once the current streak holds ``confirm_after`` failing checks each at
        least a day after the previous one counted. Call it before recording the current
        run with ``pending`` = this run's live status (taken as a check at ``now``), or
        after recording with ``pending=None``; checks stored after ``now`` are ignored.
        A pending ``ok`` ends the streak (False); a pending inconclusive status is ignored.
        ``confirm_after <= 1`` is always confirmed.
        """
        if confirm_after <= 1:
            return True
        with self._lock:
            times = self._failing_streak(self._db, url, until=_iso(now))
        if pending is not None:
            if LiveStatus(pending).is_gone:
                times.insert(0, _iso(now))
            elif _is_conclusive(pending):
                return False
        counted: datetime | None = None
        count = 0
        for moment in map(_parse, reversed(times)):
            if counted is None or moment - counted >= CONFIRM_SPACING:
                counted = moment
                count += 1
        return count >= confirm_after

    def previous_verdicts(self, source: str, *, conclusive: bool = False) -> dict[str, str]:
        """Reference id -> verdict in the latest recorded run of ``source``; with
        ``conclusive``, each reference's latest verdict other than ``unverified`` (an
        offline night in between does not make an old finding new)."""
        if conclusive:
            with self._lock:
                states = self._last_states(self._db, source)
            return {ref_id: verdict for ref_id, (_, verdict) in states.items() if verdict}
        rows = self._query(
            "SELECT o.ref_id, o.verdict FROM observations o WHERE o.run_id = "
            "(SELECT id FROM runs WHERE source = ? ORDER BY run_at DESC, id DESC LIMIT 1)",
            (source,),
        )
        return dict(rows)

    def trend(self, source: str, *, last: int = TREND_RUNS) -> list[RunTally]:
        """The verdict counts of the newest ``last`` runs of ``source``, oldest first."""
        rows = self._query(
            "SELECT r.id, r.run_at, o.verdict, COUNT(*) FROM runs r "
            "JOIN observations o ON o.run_id = r.id WHERE r.id IN "
            "(SELECT id FROM runs WHERE source = ? ORDER BY run_at DESC, id DESC LIMIT ?) "
            "GROUP BY r.id, o.verdict ORDER BY r.run_at, r.id, o.verdict",
            (source, last),
        )
        runs: dict[int, RunTally] = {}
        for run_id, run_at, verdict, count in rows:
            runs.setdefault(run_id, RunTally(run_at=run_at, counts={})).counts[verdict] = count
        return list(runs.values())

    def prune(self, keep_runs: int) -> int:
        """Forget all but the newest ``keep_runs`` runs of each source; return how many."""
        with self._transaction() as db:
            doomed = [
                run_id
                for (run_id,) in db.execute(
                    "SELECT id FROM (SELECT id, ROW_NUMBER() OVER "
                    "(PARTITION BY source ORDER BY run_at DESC, id DESC) AS n FROM runs) "
                    "WHERE n > ?",
                    (keep_runs,),
                )
            ]
            db.executemany("DELETE FROM runs WHERE id = ?", [(i,) for i in doomed])
            if doomed:  # what is left may hold older last states than the ones forgotten
                db.execute("DELETE FROM ref_states")
                _fold_states(db)
            return len(doomed)

    # -- archive answer cache (verifier.archives.cache protocol) -------------------

    def archive_cache_get(self, key: str, *, max_age: timedelta, now: datetime) -> str | None:
        """The cached answer for ``key`` if stored no longer than ``max_age`` before ``now``."""
        rows = self._query("SELECT value, stored_at FROM archive_cache WHERE key = ?", (key,))
        if not rows:
            return None
        value, stored_at = rows[0]
        return value if _parse(_iso(now)) - _parse(stored_at) <= max_age else None

    def archive_cache_put(self, key: str, value: str, *, now: datetime) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO archive_cache (key, value, stored_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                "stored_at = excluded.stored_at",
                (key, value, _iso(now)),
            )
