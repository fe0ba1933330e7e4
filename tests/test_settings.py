"""Settings rules that are pure code: the default failing policy."""

from __future__ import annotations

from verifier.policy import default_fail_on


def test_default_policy_is_lost_with_archive_checks() -> None:
    assert default_fail_on(check_archive=True) == ("lost",)


def test_default_policy_covers_broken_without_archive_checks() -> None:
    # shared/CONTRACT.md: "The default failing policy is lost, and broken too when archive
    # checks are off."
    assert set(default_fail_on(check_archive=False)) == {"lost", "broken"}
