"""--save: Save Page Now against the loopback archive, anonymous and with keys."""

from __future__ import annotations

import pytest

from tests.loopback import Reply
from tests.wayback_server import MemoryCache, WaybackServer, make_checker
from verifier.archives import Refused, Saved
from verifier.errors import InputError
from verifier.model import ArchiveStatus, Reference

URL = "https://fresh.example/new-page"


@pytest.fixture
def wayback():
    archive = WaybackServer().start()
    archive.save_timestamp = "20260102030405"
    yield archive
    archive.stop()


def test_anonymous_save_records_the_new_snapshot(wayback):
    checker = make_checker(wayback)
    assert checker.check(Reference(id="1", url=URL)).status is ArchiveStatus.MISSING
    saved = checker.save(URL)
    assert isinstance(saved, Saved)
    result = saved.result()
    assert result.status is ArchiveStatus.ARCHIVED
    assert result.snapshot_timestamp == "20260102030405"
    assert result.snapshot_url == f"{wayback.base}/web/20260102030405/{URL}"
    assert result.chosen_by == "saved now"
    # The archive now holds it, and the checker no longer trusts its earlier "missing".
    again = checker.check(Reference(id="1", url=URL, title=f"Saved {URL}"))
    assert again.status is ArchiveStatus.ARCHIVED


def test_save_with_keys_uses_spn2_and_waits_for_the_capture(wayback):
    wayback.save_keys = "AK:SK"
    pauses: list[float] = []
    checker = make_checker(wayback, save_keys="AK:SK", sleep=pauses.append)
    saved = checker.save(URL)
    assert isinstance(saved, Saved) and saved.timestamp == "20260102030405"
    posts = [h for h in wayback.http.hits if h.path == "/save" and h.method == "POST"]
    assert posts and posts[0].headers.get("Authorization") == "LOW AK:SK"
    polls = [h for h in wayback.http.hits if h.path.startswith("/save/status/")]
    assert len(polls) == 2  # pending, then success
    assert pauses  # the poll waited between asks


def test_save_with_wrong_keys_is_not_saved(wayback):
    wayback.save_keys = "AK:SK"
    checker = make_checker(wayback, save_keys="AK:WRONG")
    refused = checker.save(URL)
    assert isinstance(refused, Refused) and "401" in refused.reason


def test_rate_limited_save_is_not_saved(wayback):
    wayback.fail["save"] = Reply(429, "slow down")
    checker = make_checker(wayback)
    refused = checker.save(URL)
    assert isinstance(refused, Refused) and "429" in refused.reason


def test_save_forgets_the_cached_missing(wayback):
    cache = MemoryCache()
    make_checker(wayback, cache=cache).check(Reference(id="1", url=URL))
    make_checker(wayback, cache=cache).save(URL)
    result = make_checker(wayback, cache=cache).check(Reference(id="1", url=URL))
    assert result.status is ArchiveStatus.ARCHIVED


def test_malformed_save_keys_are_refused(wayback):
    with pytest.raises(InputError, match="ACCESS:SECRET"):
        make_checker(wayback, save_keys="no-colon")
