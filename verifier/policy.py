"""The failing policy: which references make a run fail (``--fail-on`` × ``--new-only`` ×
``--confirm-after``).

Pure: what the history knows about a reference is asked by the job beforehand and handed
in as a ``Past``, so the rule itself is a plain function with its own table of cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import LiveStatus, ReferenceResult, Verdict

# The contract's default failing policy: a source nobody can read any more.
DEFAULT_FAIL_ON: tuple[Verdict, ...] = (Verdict.LOST,)
# Without archive checks no gone link can be found "lost": the contract's default policy
# then fails on "broken" too, so a run with four dead links does not go green.
DEFAULT_FAIL_ON_WITHOUT_ARCHIVE: tuple[Verdict, ...] = (Verdict.LOST, Verdict.BROKEN)


def default_fail_on(*, check_archive: bool) -> tuple[Verdict, ...]:
    """The failing policy when --fail-on is not given (the contract's default)."""
    return DEFAULT_FAIL_ON if check_archive else DEFAULT_FAIL_ON_WITHOUT_ARCHIVE


@dataclass(frozen=True, kw_only=True)
class FailPolicy:
    fail_on: frozenset[Verdict] = frozenset(DEFAULT_FAIL_ON)
    new_only: bool = False  # fail only on verdicts new since the last conclusive check
    confirm_after: int = 1  # a dead link counts after this many failing checks a day apart


@dataclass(frozen=True, kw_only=True)
class Past:
    """What the history says about one reference, as far as the policy cares.

    ``last_verdict``: its verdict at its last conclusive check (None: never checked
    conclusively). ``dead_confirmed``: its current dead streak holds ``--confirm-after``
    checks (only asked for a dead link when ``confirm_after > 1``).
    """

    last_verdict: Verdict | None = None
    dead_confirmed: bool = True


def counts(result: ReferenceResult, policy: FailPolicy, past: Past | None) -> bool:
    """Does this reference fail the run? ``past`` is None when there is no history."""
    if result.verdict not in policy.fail_on:
        return False
    if result.live.excluded:
        return False  # the user asked for it not to be checked: nothing can be held against it
    if past is None:
        return True  # without history nothing is "already known" and nothing is confirmed
    if policy.new_only and past.last_verdict == result.verdict:
        return False  # already so at its last conclusive check: not news
    if policy.confirm_after <= 1 or not result.reference.url:
        return True
    if result.live.status is not LiveStatus.DEAD:
        return True  # only "dead" flaps: --confirm-after waits for it to hold
    return past.dead_confirmed


def failing_ids(
    results: Sequence[ReferenceResult],
    policy: FailPolicy,
    pasts: Sequence[Past] | None = None,
) -> list[str]:
    """The ids of the references that fail the run, in result order. ``pasts``: one per
    result, in the same order; None when there is no history."""
    if pasts is None:
        return [r.reference.id for r in results if counts(r, policy, None)]
    return [
        r.reference.id for r, past in zip(results, pasts, strict=True) if counts(r, policy, past)
    ]
