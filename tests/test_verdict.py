"""The contract's verdict table, row by row."""

from __future__ import annotations

import pytest

from verifier.model import ArchiveResult, ArchiveStatus, LiveResult, LiveStatus, Reference, Verdict
from verifier.verdict import action_for, decide, fix_for

L, A, V = LiveStatus, ArchiveStatus, Verdict

TABLE = [
    # live, archive, verdict
    (L.OK, A.ARCHIVED, V.HEALTHY),
    (L.OK, A.NOT_CHECKED, V.HEALTHY),
    (L.OK, A.MISSING, V.UNARCHIVED),
    (L.OK, A.ARCHIVED_ERROR, V.UNARCHIVED),
    (L.OK, A.ERROR, V.UNVERIFIED),
    (L.DEAD, A.ARCHIVED, V.RESCUED),
    (L.SOFT_404, A.ARCHIVED, V.RESCUED),
    (L.DRIFTED, A.ARCHIVED, V.RESCUED),
    (L.DEAD, A.MISSING, V.LOST),
    (L.SOFT_404, A.ARCHIVED_ERROR, V.LOST),
    (L.DRIFTED, A.MISSING, V.LOST),
    (L.DEAD, A.NOT_CHECKED, V.BROKEN),
    (L.SOFT_404, A.NOT_CHECKED, V.BROKEN),
    (L.DEAD, A.ERROR, V.UNVERIFIED),
    (L.BLOCKED, A.ARCHIVED, V.UNVERIFIED),
    (L.ERROR, A.MISSING, V.UNVERIFIED),
    (L.OFFLINE, A.ERROR, V.UNVERIFIED),
    (L.UNSAFE, A.NOT_CHECKED, V.UNVERIFIED),
    (L.NO_URL, A.NOT_CHECKED, V.NO_URL),
]


@pytest.mark.parametrize(("live", "archive", "verdict"), TABLE)
def test_verdict_table(live: LiveStatus, archive: ArchiveStatus, verdict: Verdict) -> None:
    assert decide(LiveResult(live), ArchiveResult(archive)) is verdict


def test_every_verdict_is_reachable() -> None:
    assert {row[2] for row in TABLE} == set(Verdict)


SNAPSHOT = ArchiveResult(
    A.ARCHIVED,
    snapshot_url="https://web.archive.org/web/20230914000000/https://example.org/a",
    snapshot_timestamp="20230914000000",
)


@pytest.mark.parametrize(
    ("live", "url_status"), [(L.DEAD, "dead"), (L.SOFT_404, "dead"), (L.DRIFTED, "usurped")]
)
def test_rescued_fix_names_snapshot_date_and_url_status(live: LiveStatus, url_status: str) -> None:
    fix = fix_for(V.RESCUED, LiveResult(live), SNAPSHOT)
    assert fix == {
        "archive-url": SNAPSHOT.snapshot_url,
        "archive-date": "2023-09-14",
        "url-status": url_status,
    }


def test_no_fix_unless_rescued() -> None:
    assert fix_for(V.HEALTHY, LiveResult(L.OK), SNAPSHOT) == {}


def test_unarchived_action_links_save_page_now() -> None:
    ref = Reference(id="1", url="https://example.org/a?b=1")
    action = action_for(V.UNARCHIVED, ref, LiveResult(L.OK), ArchiveResult(A.MISSING))
    assert "https://web.archive.org/save/https://example.org/a?b=1" in action


def test_offline_action_says_the_checker_was_offline() -> None:
    ref = Reference(id="1", url="https://example.org/")
    action = action_for(V.UNVERIFIED, ref, LiveResult(L.OFFLINE), ArchiveResult(A.ERROR))
    assert "offline" in action


def test_lost_with_unusable_captures_does_not_say_no_archive_holds_it() -> None:
    ref = Reference(id="1", title="t", url="https://example.org/a")
    live = LiveResult(L.DEAD, http_status=404)
    shown = ArchiveResult(A.ARCHIVED_ERROR, snapshot_url="https://web.archive.org/web/2020/x",
                          snapshot_timestamp="20200101000000")
    action = action_for(V.LOST, ref, live, shown)
    assert "no archive holds it" not in action
    assert "unusable captures" in action
    assert "no archive holds it" in action_for(V.LOST, ref, live, ArchiveResult(A.MISSING))
