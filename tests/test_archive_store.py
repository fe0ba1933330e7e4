"""The cross-run archive cache: versioned rows, read back as written, old rows on purpose."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.wayback_server import NOW, MemoryCache
from verifier.archives.store import SCHEMA, ArchiveStore, Holding, Row
from verifier.archives.verify import Seen


def store_at(cache: MemoryCache, hours: float = 0) -> ArchiveStore:
    return ArchiveStore(cache, lambda: NOW + timedelta(hours=hours))


def test_a_holding_reads_back_as_written():
    cache = MemoryCache()
    held = Holding((Row("20230901000000", "https://a.example/", 200, "text/html"),
                    Row("20230902000000", "https://a.example/", None, None, replay="https://m/1")),
                   skipped=2)
    store_at(cache).put_holding("wayback:x", "https://a.example/", held)
    assert store_at(cache, 24 * 6).holding("wayback:x", "https://a.example/") == held
    assert store_at(cache, 24 * 8).holding("wayback:x", "https://a.example/") is None


def test_nothing_yet_ages_faster_than_captures_and_an_exclusion_does_not():
    cache = MemoryCache()
    store_at(cache).put_holding("w", "https://none.example/", Holding())
    store_at(cache).put_holding("w", "https://shut.example/", Holding(excluded="excluded"))
    assert store_at(cache, 19).holding("w", "https://none.example/") == Holding()
    assert store_at(cache, 21).holding("w", "https://none.example/") is None
    assert store_at(cache, 24 * 6).holding("w", "https://shut.example/") is not None


def test_rows_of_another_schema_are_ignored_not_misread():
    cache = MemoryCache()
    store = store_at(cache)
    store.put_holding("w", "https://a.example/", Holding((Row("20230901000000", "u", 200),)))
    key = next(iter(cache.entries))
    value, when = cache.entries[key]
    cache.entries[key] = (json.dumps({"v": SCHEMA + 1, "data": json.loads(value)["data"]}), when)
    assert store.holding("w", "https://a.example/") is None
    cache.entries[key] = ("[]", when)  # the unversioned "none" of earlier releases
    assert store.holding("w", "https://a.example/") is None


def test_an_unversioned_snapshot_sight_is_migrated():
    cache = MemoryCache()
    old = {"http_status": 200, "location": None, "content_type": "text/html", "title": "T"}
    cache.archive_cache_put("snapshot:https://w/web/1id_/u", json.dumps(old), now=NOW)
    seen = store_at(cache).seen("https://w/web/1id_/u")
    assert seen == Seen(200, None, "text/html", "T")


def test_a_forgotten_holding_is_asked_again():
    cache = MemoryCache()
    store = store_at(cache)
    store.put_holding("w", "https://a.example/", Holding())
    store.forget_holding("w", "https://a.example/")
    assert store.holding("w", "https://a.example/") is None
