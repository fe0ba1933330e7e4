"""The failing policy as a table: --fail-on × --new-only × --confirm-after × what the
history knows. No click, no history database: the rule alone."""

from __future__ import annotations

import pytest

from verifier.model import (
    ArchiveResult,
    ArchiveStatus,
    LiveResult,
    LiveStatus,
    Reference,
    ReferenceResult,
    Verdict,
)
from verifier.policy import DEFAULT_FAIL_ON, FailPolicy, Past, counts, failing_ids

V = Verdict
L = LiveStatus
URL = "https://example.org/gone"


def result(verdict: Verdict, live: LiveStatus, url: str | None = URL, ref_id: str = "1"):
    return ReferenceResult(
        reference=Reference(id=ref_id, title="T", url=url),
        live=LiveResult(live),
        archive=ArchiveResult(ArchiveStatus.MISSING),
        verdict=verdict,
        action="",
    )


LOST = FailPolicy()
NEW_ONLY = FailPolicy(new_only=True)
CONFIRM_3 = FailPolicy(confirm_after=3)
BOTH = FailPolicy(new_only=True, confirm_after=3)
UNCONFIRMED = Past(dead_confirmed=False)

# (why, verdict, live status, url, policy, past (None: no history), fails)
CASES = [
    ("lost fails by default", V.LOST, L.DEAD, URL, LOST, None, True),
    ("rescued is not in the default", V.RESCUED, L.DEAD, URL, LOST, None, False),
    ("healthy never fails by default", V.HEALTHY, L.OK, URL, LOST, Past(), False),
    (
        "any verdict named by --fail-on",
        V.UNARCHIVED,
        L.OK,
        URL,
        FailPolicy(fail_on=frozenset({V.UNARCHIVED, V.LOST})),
        Past(),
        True,
    ),
    (
        "a verdict not named does not fail",
        V.LOST,
        L.DEAD,
        URL,
        FailPolicy(fail_on=frozenset({V.UNVERIFIED})),
        Past(),
        False,
    ),
    # --new-only
    (
        "new-only: lost before too is not news",
        V.LOST,
        L.DEAD,
        URL,
        NEW_ONLY,
        Past(last_verdict=V.LOST),
        False,
    ),
    (
        "new-only: was rescued, now lost",
        V.LOST,
        L.DEAD,
        URL,
        NEW_ONLY,
        Past(last_verdict=V.RESCUED),
        True,
    ),
    ("new-only: never checked conclusively", V.LOST, L.DEAD, URL, NEW_ONLY, Past(), True),
    ("new-only without history fails on everything", V.LOST, L.DEAD, URL, NEW_ONLY, None, True),
    (
        "without new-only the same lost fails again",
        V.LOST,
        L.DEAD,
        URL,
        LOST,
        Past(last_verdict=V.LOST),
        True,
    ),
    # --confirm-after
    (
        "confirm-after: an unconfirmed dead link waits",
        V.LOST,
        L.DEAD,
        URL,
        CONFIRM_3,
        UNCONFIRMED,
        False,
    ),
    (
        "confirm-after: a confirmed dead link fails",
        V.LOST,
        L.DEAD,
        URL,
        CONFIRM_3,
        Past(dead_confirmed=True),
        True,
    ),
    (
        "confirm-after: only dead flaps; a soft 404 fails at once",
        V.LOST,
        L.SOFT_404,
        URL,
        CONFIRM_3,
        UNCONFIRMED,
        True,
    ),
    (
        "confirm-after: a drifted page fails at once",
        V.LOST,
        L.DRIFTED,
        URL,
        CONFIRM_3,
        UNCONFIRMED,
        True,
    ),
    (
        "confirm-after: no URL, nothing to confirm",
        V.NO_URL,
        L.NO_URL,
        None,
        FailPolicy(fail_on=frozenset({V.NO_URL}), confirm_after=3),
        UNCONFIRMED,
        True,
    ),
    (
        "confirm-after without history: nothing to wait for",
        V.LOST,
        L.DEAD,
        URL,
        CONFIRM_3,
        None,
        True,
    ),
    ("confirm-after 1 never waits", V.LOST, L.DEAD, URL, LOST, UNCONFIRMED, True),
    # both
    (
        "both: known lost, unconfirmed",
        V.LOST,
        L.DEAD,
        URL,
        BOTH,
        Past(last_verdict=V.LOST, dead_confirmed=False),
        False,
    ),
    (
        "both: known lost, confirmed: still not news",
        V.LOST,
        L.DEAD,
        URL,
        BOTH,
        Past(last_verdict=V.LOST, dead_confirmed=True),
        False,
    ),
    (
        "both: newly lost but unconfirmed",
        V.LOST,
        L.DEAD,
        URL,
        BOTH,
        Past(last_verdict=V.HEALTHY, dead_confirmed=False),
        False,
    ),
    (
        "both: newly lost and confirmed",
        V.LOST,
        L.DEAD,
        URL,
        BOTH,
        Past(last_verdict=V.HEALTHY, dead_confirmed=True),
        True,
    ),
]


@pytest.mark.parametrize(
    ("verdict", "live", "url", "policy", "past", "fails"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_policy_table(
    verdict: Verdict,
    live: LiveStatus,
    url: str | None,
    policy: FailPolicy,
    past: Past | None,
    fails: bool,
) -> None:
    assert counts(result(verdict, live, url), policy, past) is fails


def test_the_default_policy_is_lost() -> None:
    assert DEFAULT_FAIL_ON == (Verdict.LOST,)
    assert FailPolicy().fail_on == {Verdict.LOST}


def test_failing_ids_keeps_result_order_and_pairs_each_result_with_its_past() -> None:
    results = [
        result(V.LOST, L.DEAD, ref_id="3"),
        result(V.HEALTHY, L.OK, ref_id="1"),
        result(V.LOST, L.DEAD, ref_id="2"),
    ]
    assert failing_ids(results, LOST) == ["3", "2"]
    pasts = [Past(last_verdict=V.LOST), Past(), Past(last_verdict=V.RESCUED)]
    assert failing_ids(results, NEW_ONLY, pasts) == ["2"]
    with pytest.raises(ValueError):  # a past for every result, never silently fewer
        failing_ids(results, NEW_ONLY, pasts[:2])
