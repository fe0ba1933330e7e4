"""What each run's changes are measured against: the last conclusive live status and the
last verdict other than unverified of every reference of a source, kept in a table of
their own (``ref_states``) instead of read from the whole history each night.

The expectation is an independent reading of the raw observations (``expected_states``):
for each (source, reference), of the observations that count, the one with the latest
(checked_at, run id). Histories are random: several sources, nights replayed out of
order (``--now``), checks at the same second in different runs, every status and verdict.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from verifier.history import History
from verifier.model import (
    ArchiveResult,
    ArchiveStatus,
    ChangeKind,
    LiveResult,
    LiveStatus,
    Reference,
    ReferenceResult,
    Verdict,
)

T0 = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
# Read off the status definitions: these say nothing about the link, or have none.
NOT_CONCLUSIVE = {"blocked", "error", "unsafe", "offline", "no-url"}

States = dict[tuple[str, str], tuple[str | None, str | None]]


def expected_states(path: Path) -> States:
    db = sqlite3.connect(path)
    rows = db.execute(
        "SELECT r.source, o.ref_id, o.live_status, o.verdict, o.checked_at, r.id "
        "FROM observations o JOIN runs r ON r.id = o.run_id"
    ).fetchall()
    db.close()
    live: dict[tuple[str, str], tuple[tuple[str, int], str]] = {}
    verdict: dict[tuple[str, str], tuple[tuple[str, int], str]] = {}
    seen: set[tuple[str, str]] = set()
    for source, ref_id, status, word, checked_at, run_id in rows:
        key, when = (source, ref_id), (checked_at, run_id)
        seen.add(key)
        if status not in NOT_CONCLUSIVE and (key not in live or when > live[key][0]):
            live[key] = (when, status)
        if word != "unverified" and (key not in verdict or when > verdict[key][0]):
            verdict[key] = (when, word)
    return {
        k: (live[k][1] if k in live else None, verdict[k][1] if k in verdict else None)
        for k in seen
    }


def stored_states(path: Path) -> States:
    db = sqlite3.connect(path)
    rows = db.execute("SELECT source, ref_id, live_status, verdict FROM ref_states").fetchall()
    db.close()
    return {(source, ref_id): (live, word) for source, ref_id, live, word in rows}


def random_night(rng: random.Random, refs: int, night: datetime) -> list[ReferenceResult]:
    out = []
    for i in rng.sample(range(refs), rng.randint(1, refs)):  # references come and go
        # Checks a few seconds into the run, or all at the run's own second.
        checked = night + timedelta(seconds=rng.choice([0, 0, rng.randint(1, 5)]))
        out.append(
            ReferenceResult(
                reference=Reference(id=f"r{i}", url=f"https://h{i % 3}.example/{i}"),
                live=LiveResult(rng.choice(list(LiveStatus)), checked_at=checked.isoformat()),
                archive=ArchiveResult(rng.choice(list(ArchiveStatus))),
                verdict=rng.choice(list(Verdict)),
                action="",
            )
        )
    return out


def random_history(path: Path, rng: random.Random, runs: int, check_each: bool) -> None:
    with History.open(path) as h:
        for _ in range(runs):
            # Nights replayed out of order, and the same night twice.
            night = T0 + timedelta(days=rng.randint(0, 6))
            h.record_run(
                random_night(rng, 6, night), run_at=night, source=rng.choice(["A", "B"])
            )
            if check_each:
                assert stored_states(path) == expected_states(path)


def test_the_last_states_follow_every_run_of_random_histories(tmp_path):
    for seed in range(12):
        path = tmp_path / f"h{seed}.sqlite"
        random_history(path, random.Random(seed), runs=14, check_each=True)
        assert stored_states(path)  # there was something to compare


def test_changes_are_measured_against_the_latest_conclusive_check_not_the_latest_run(tmp_path):
    # By hand: dead on day 2, then a replay of day 1 (ok) recorded after it: measured
    # against day 2's dead, a recovery, but older, so not the last state. Then offline on
    # day 3. The last conclusive check is still day 2's dead, so day 4's dead is no news,
    # and day 5's ok is a recovery.
    path = tmp_path / "h.sqlite"

    def run(h: History, status: str, n: int) -> list[tuple[str, ChangeKind]]:
        live = LiveResult(LiveStatus(status), checked_at=(T0 + timedelta(days=n)).isoformat())
        verdict = Verdict.HEALTHY if status == "ok" else Verdict.UNVERIFIED
        if status == "dead":
            verdict = Verdict.RESCUED
        one = ReferenceResult(
            Reference(id="r", url="https://example.org/a"), live,
            ArchiveResult(ArchiveStatus.ARCHIVED), verdict, "",
        )
        changes = h.record_run([one], run_at=T0 + timedelta(days=n), source="A")
        return [(c.id, c.kind) for c in changes]

    with History.open(path) as h:
        run(h, "ok", 0)
        assert run(h, "dead", 2) == [("r", ChangeKind.NEWLY_DEAD)]
        assert run(h, "ok", 1) == [("r", ChangeKind.RECOVERED)]
        assert run(h, "offline", 3) == []
        assert run(h, "dead", 4) == []
        assert run(h, "ok", 5) == [("r", ChangeKind.RECOVERED)]
    assert stored_states(path) == expected_states(path) == {("A", "r"): ("ok", "healthy")}


def make_v1_database(path: Path, rng: random.Random) -> None:
    """A history as verify-refs wrote it before the table existed (schema version 1)."""
    random_history(path, rng, runs=10, check_each=False)
    db = sqlite3.connect(path)
    db.execute("DROP TABLE ref_states")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def test_an_older_history_gets_its_last_states_from_its_whole_past(tmp_path):
    for seed in range(5):
        path = tmp_path / f"v1-{seed}.sqlite"
        rng = random.Random(100 + seed)
        make_v1_database(path, rng)
        with History.open(path):
            pass
        assert stored_states(path) == expected_states(path) != {}
        # And it goes on from there like any other.
        random_history(path, rng, runs=4, check_each=True)


def test_forgetting_old_runs_forgets_the_last_states_only_they_held(tmp_path):
    path = tmp_path / "h.sqlite"

    def one(status: str, n: int, ref_id: str = "r") -> ReferenceResult:
        live = LiveResult(LiveStatus(status), checked_at=(T0 + timedelta(days=n)).isoformat())
        return ReferenceResult(
            Reference(id=ref_id, url=f"https://example.org/{ref_id}"), live,
            ArchiveResult(ArchiveStatus.MISSING),
            Verdict.BROKEN if status == "dead" else Verdict.UNVERIFIED, "",
        )

    with History.open(path) as h:
        h.record_run([one("dead", 0), one("dead", 0, "s")], run_at=T0, source="A")
        for n in (1, 2):
            h.record_run([one("offline", n), one("dead", n, "s")], run_at=T0 + timedelta(days=n),
                         source="A")
        assert stored_states(path)[("A", "r")] == ("dead", "broken")
        assert h.prune(2) == 1
    # Only offline checks of r are left: nothing conclusive is known of it any more.
    assert stored_states(path) == expected_states(path)
    assert stored_states(path) == {("A", "r"): (None, None), ("A", "s"): ("dead", "broken")}


def test_pruning_random_histories_leaves_the_states_of_what_is_left(tmp_path):
    for seed in range(6):
        path = tmp_path / f"p{seed}.sqlite"
        rng = random.Random(200 + seed)
        random_history(path, rng, runs=12, check_each=False)
        with History.open(path) as h:
            assert h.prune(rng.randint(1, 4)) > 0
        assert stored_states(path) == expected_states(path)
