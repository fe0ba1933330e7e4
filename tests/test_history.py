"""The history database: streaks, changes between runs, --confirm-after, the archive
cache, and surviving killed and concurrent runs. Real SQLite files in tmp_path."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from verifier.errors import InputError
from verifier.history import SCHEMA_VERSION, History
from verifier.model import (
    ArchiveResult,
    ArchiveStatus,
    LiveResult,
    LiveStatus,
    Reference,
    ReferenceResult,
)
from verifier.verdict import decide

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
URL = "https://example.org/a"
SOURCE = "Article"


def result(
    ref_id: str,
    live: str,
    *,
    url: str | None = URL,
    archive: str = "missing",
    checked_at: str | None = None,
) -> ReferenceResult:
    live_result = LiveResult(status=LiveStatus(live), checked_at=checked_at)
    archive_result = ArchiveResult(status=ArchiveStatus(archive))
    return ReferenceResult(
        reference=Reference(id=ref_id, url=url),
        live=live_result,
        archive=archive_result,
        verdict=decide(live_result, archive_result),
        action="",
    )


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@pytest.fixture
def history(tmp_path: Path):
    with History.open(tmp_path / "sub" / "history.sqlite") as h:
        yield h


def record_statuses(history: History, statuses: list[str], source: str = SOURCE) -> list:
    """One run a day, reference "1" citing URL, with the given live statuses."""
    changes = []
    for n, status in enumerate(statuses):
        changes.append(history.record_run([result("1", status)], run_at=day(n), source=source))
    return changes


# -- dead since ----------------------------------------------------------------------

# statuses, one run a day -> (index of the day the streak started, streak length)
STREAKS = [
    (["ok"], (None, 0)),
    (["dead"], (0, 1)),
    (["ok", "dead", "dead"], (1, 2)),
    (["dead", "ok", "dead"], (2, 1)),
    (["dead", "dead", "ok"], (None, 0)),
    # inconclusive checks neither extend nor break a streak
    (["ok", "dead", "offline", "blocked", "dead"], (1, 2)),
    (["dead", "error"], (0, 1)),
    (["ok", "error"], (None, 0)),
    # every way of being gone is failing
    (["soft-404", "drifted", "dead"], (0, 3)),
]


@pytest.mark.parametrize(("statuses", "expected"), STREAKS)
def test_dead_since_is_first_failing_check_of_current_streak(history, statuses, expected):
    record_statuses(history, statuses)
    start, length = expected
    assert history.dead_since(URL) == ((iso(day(start)) if start is not None else None), length)


def test_url_cited_twice_in_one_run_counts_as_one_check(history):
    for n in range(2):
        history.record_run(
            [result("1", "dead"), result("2", "dead")], run_at=day(n), source=SOURCE
        )
    assert history.dead_since(URL) == (iso(day(0)), 2)


def test_dead_since_uses_the_live_checks_own_time(history):
    checked = "2026-01-01T05:30:00+02:00"
    history.record_run([result("1", "dead", checked_at=checked)], run_at=T0, source=SOURCE)
    assert history.dead_since(URL) == ("2026-01-01T03:30:00+00:00", 1)


def test_unknown_url_has_no_streak(history):
    assert history.dead_since("https://never.seen/") == (None, 0)


# -- changes between runs ------------------------------------------------------------


def kinds(changes) -> list[tuple[str, str]]:
    return sorted((c.id, c.kind) for c in changes)


def test_first_run_reports_no_change(history):
    # Every reference would be "new" (and a dead one "newly dead"): that is no news.
    changes = history.record_run(
        [result("1", "ok"), result("2", "dead")], run_at=T0, source=SOURCE
    )
    assert changes == []


def test_newly_lost_and_newly_dead_carry_since_and_streak(history):
    history.record_run([result("1", "ok")], run_at=day(0), source=SOURCE)
    changes = history.record_run([result("1", "dead")], run_at=day(1), source=SOURCE)
    assert kinds(changes) == [("1", "newly-dead"), ("1", "newly-lost")]
    lost = next(c for c in changes if c.kind == "newly-lost")
    assert (lost.before, lost.after, lost.since, lost.streak) == (
        "unarchived",
        "lost",
        iso(day(1)),
        1,
    )
    dead = next(c for c in changes if c.kind == "newly-dead")
    assert (dead.before, dead.after) == ("ok", "dead")


def test_staying_dead_is_not_news(history):
    changes = record_statuses(history, ["ok", "dead", "dead", "offline", "dead"])
    assert [kinds(c) for c in changes[2:]] == [[], [], []]


def test_rescued_page_is_newly_dead_but_not_newly_lost(history):
    history.record_run([result("1", "ok")], run_at=day(0), source=SOURCE)
    changes = history.record_run(
        [result("1", "dead", archive="archived")], run_at=day(1), source=SOURCE
    )
    assert kinds(changes) == [("1", "newly-dead")]


def test_recovered_when_a_gone_page_answers_ok_again(history):
    changes = record_statuses(history, ["soft-404", "error", "ok"])
    assert kinds(changes[1]) == []
    (recovered,) = changes[2]
    assert (recovered.kind, recovered.before, recovered.after) == ("recovered", "soft-404", "ok")


def test_new_reference_in_a_later_run(history):
    history.record_run([result("1", "ok")], run_at=day(0), source=SOURCE)
    changes = history.record_run(
        [result("1", "ok"), result("2", "ok", url="https://example.org/b")],
        run_at=day(1),
        source=SOURCE,
    )
    assert kinds(changes) == [("2", "new")]


def test_changes_compare_only_with_runs_of_the_same_source(history):
    history.record_run([result("1", "ok")], run_at=day(0), source="Other")
    history.record_run([result("2", "ok", url="https://example.org/b")], run_at=day(1),
                       source=SOURCE)
    changes = history.record_run([result("1", "dead")], run_at=day(2), source=SOURCE)
    assert kinds(changes) == [("1", "new")]  # not "newly-dead": "ok" was another source's


def test_previous_verdicts_are_those_of_the_latest_run_of_the_source(history):
    assert history.previous_verdicts(SOURCE) == {}
    history.record_run([result("1", "ok"), result("2", "dead")], run_at=day(0), source=SOURCE)
    history.record_run([result("1", "dead")], run_at=day(1), source=SOURCE)
    history.record_run([result("1", "ok")], run_at=day(2), source="Other")
    assert history.previous_verdicts(SOURCE) == {"1": "lost"}


def test_prune_keeps_the_newest_runs_of_each_source(history):
    record_statuses(history, ["dead", "dead", "dead", "dead"])
    record_statuses(history, ["ok"], source="Other")
    assert history.prune(keep_runs=2) == 2
    assert history.dead_since(URL) == (iso(day(2)), 2)
    assert history.previous_verdicts("Other") == {"1": "unarchived"}


# -- --confirm-after -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("recorded_hours", "pending_hour", "confirm_after", "expected"),
    [
        ([], 0, 1, True),  # N <= 1: always confirmed
        ([], 0, 0, True),
        ([], 0, 2, False),  # one failing check is not two
        ([0], 12, 2, False),  # checks less than a day apart count once
        ([0, 12], 23, 2, False),
        ([0, 12], 24, 2, True),  # 24 h after the first counted check
        ([0, 12], 30, 3, False),  # 0 and 30 count, 12 does not
        ([0, 24], 48, 3, True),
        ([0, 24], 47, 3, False),  # 47 is 23 h after 24
        ([0, 20, 40], 60, 3, False),  # 0, 40 count; 60 is 20 h after 40
    ],
)
def test_confirm_after_counts_failing_checks_a_day_apart(
    history, recorded_hours, pending_hour, confirm_after, expected
):
    for hour in recorded_hours:
        history.record_run(
            [result("1", "dead")], run_at=T0 + timedelta(hours=hour), source=SOURCE
        )
    now = T0 + timedelta(hours=pending_hour)
    before = history.is_confirmed(URL, confirm_after=confirm_after, now=now, pending="dead")
    history.record_run([result("1", "dead")], run_at=now, source=SOURCE)
    after = history.is_confirmed(URL, confirm_after=confirm_after, now=now)
    # asking before recording (pending) and after recording give the same answer
    assert (before, after) == (expected, expected)


def test_confirm_after_needs_the_checks_in_the_current_streak(history):
    record_statuses(history, ["dead", "dead", "ok", "dead"])
    assert not history.is_confirmed(URL, confirm_after=2, now=day(3))
    assert history.is_confirmed(URL, confirm_after=2, now=day(4), pending=LiveStatus.DEAD)


def test_pending_ok_is_never_confirmed_dead_and_pending_offline_changes_nothing(history):
    record_statuses(history, ["dead", "dead"])
    assert not history.is_confirmed(URL, confirm_after=2, now=day(2), pending="ok")
    assert history.is_confirmed(URL, confirm_after=2, now=day(2), pending="offline")


def test_confirm_after_ignores_checks_after_now(history):
    record_statuses(history, ["dead", "dead"])
    assert not history.is_confirmed(URL, confirm_after=2, now=day(0))


# -- the archive answer cache --------------------------------------------------------


def test_cache_answers_only_within_max_age(history):
    history.archive_cache_put("cdx:a", '{"n": 1}', now=T0)
    week = timedelta(days=7)
    assert history.archive_cache_get("cdx:a", max_age=week, now=day(7)) == '{"n": 1}'
    assert history.archive_cache_get("cdx:a", max_age=week, now=day(7.01)) is None
    assert history.archive_cache_get("cdx:b", max_age=week, now=T0) is None


def test_cache_put_replaces_value_and_age(history):
    history.archive_cache_put("k", '"old"', now=T0)
    history.archive_cache_put("k", '"new"', now=day(5))
    assert history.archive_cache_get("k", max_age=timedelta(days=1), now=day(6)) == '"new"'


def test_cache_is_usable_from_worker_threads(history):
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                history.archive_cache_put(f"{n}:{i}", str(i), now=T0)
                assert history.archive_cache_get(f"{n}:{i}", max_age=timedelta(0), now=T0)
        except BaseException as exc:  # surfaced below: threads swallow exceptions
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# -- opening, persistence, errors ----------------------------------------------------


def test_history_persists_and_records_its_schema_version(tmp_path):
    path = tmp_path / "h.sqlite"
    with History.open(path) as h:
        record_statuses(h, ["dead"])
        h.archive_cache_put("k", "1", now=T0)
    with History.open(path) as h:
        assert h.dead_since(URL) == (iso(T0), 1)
        assert h.archive_cache_get("k", max_age=timedelta(days=1), now=T0) == "1"
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_memory_history_works_for_tests():
    with History.memory() as h:
        record_statuses(h, ["ok", "dead"])
        assert h.dead_since(URL) == (iso(day(1)), 1)


def test_a_file_that_is_not_sqlite_is_an_input_error(tmp_path):
    path = tmp_path / "history.sqlite"
    path.write_bytes(b"this is a report, not a database\n" * 100)
    with pytest.raises(InputError, match=r"history\.sqlite: .*not a database") as err:
        History.open(path)
    assert "\n" not in str(err.value)


def test_a_newer_schema_is_an_input_error(tmp_path):
    path = tmp_path / "history.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(InputError, match=r"history\.sqlite: .*newer"):
        History.open(path)


# -- interrupted and concurrent runs -------------------------------------------------


class Exploding(list):
    """A result list that fails halfway through being written."""

    def __iter__(self):
        for n, item in enumerate(list.__iter__(self)):
            if n == 3:
                raise RuntimeError("killed midway")
            yield item


def test_a_run_failing_midway_leaves_no_trace(history):
    record_statuses(history, ["ok"])
    refs = Exploding(result(str(n), "dead") for n in range(6))
    with pytest.raises(RuntimeError):
        history.record_run(refs, run_at=day(1), source=SOURCE)
    assert history.previous_verdicts(SOURCE) == {"1": "unarchived"}
    assert history.dead_since(URL) == (None, 0)
    changes = history.record_run([result("1", "dead")], run_at=day(2), source=SOURCE)
    assert kinds(changes) == [("1", "newly-dead"), ("1", "newly-lost")]


WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tests.test_history import result
from verifier.history import History

path, name, runs, refs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t0 = datetime(2026, 1, 1, tzinfo=UTC)
with History.open(Path(path)) as h:
    for n in range(runs):
        batch = [result(f"{name}-{i}", "dead", url=f"https://x.example/{i}") for i in range(refs)]
        h.record_run(batch, run_at=t0 + timedelta(hours=n), source=name)
        h.archive_cache_put(f"{name}:{n}", "{}", now=t0)
        print(n, flush=True)
"""


def start_writer(path: Path, name: str, runs: int, refs: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), name, str(runs), str(refs)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def assert_runs_complete(path: Path, refs: int) -> dict[str, int]:
    """Integrity holds and every stored run has all its observations; runs per source."""
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    sizes = db.execute(
        "SELECT r.source, COUNT(o.run_id) FROM runs r LEFT JOIN observations o "
        "ON o.run_id = r.id GROUP BY r.id"
    ).fetchall()
    db.close()
    assert {size for _, size in sizes} == {refs}
    counts: dict[str, int] = {}
    for source, _ in sizes:
        counts[source] = counts.get(source, 0) + 1
    return counts


def test_a_run_killed_while_writing_leaves_the_database_consistent(tmp_path):
    path = tmp_path / "history.sqlite"
    writer = start_writer(path, "killed", runs=100_000, refs=300)
    assert writer.stdout is not None
    for _ in range(3):  # three runs committed, the fourth is being written
        assert writer.stdout.readline()
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    assert assert_runs_complete(path, refs=300)["killed"] >= 3
    with History.open(path) as h:  # still opens, and takes new runs
        h.record_run([result("1", "ok")], run_at=T0, source="after")
        assert h.previous_verdicts("after") == {"1": "unarchived"}


def test_two_processes_writing_at_once_both_succeed(tmp_path):
    path = tmp_path / "history.sqlite"
    writers = [start_writer(path, name, runs=20, refs=50) for name in ("one", "two")]
    for writer in writers:
        out, _ = writer.communicate(timeout=60)
        assert writer.returncode == 0
        assert out.split() == [str(n) for n in range(20)]
    assert assert_runs_complete(path, refs=50) == {"one": 20, "two": 20}
