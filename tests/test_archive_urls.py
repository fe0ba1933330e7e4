"""Archive links as citations write them: recognised and normalised (data-driven)."""

from __future__ import annotations

import gzip
import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from verifier.archive_urls import (
    http_date_timestamp,
    parse_archive_url,
    timestamp_day,
    wayback_link,
    webcite_timestamp,
)

CASES = json.loads(
    (Path(__file__).parent / "fixtures/archives/archive_urls.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_archive_url_is_recognised_and_normalised(case):
    parsed = parse_archive_url(case["input"])
    if case["archive"] is None:
        assert parsed is None
        return
    assert parsed is not None
    assert (parsed.archive, parsed.timestamp, parsed.original, parsed.url) == (
        case["archive"],
        case["timestamp"],
        case["original"],
        case["url"],
    )


def _base62(value: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    out = ""
    while value:
        value, digit = divmod(value, 62)
        out = alphabet[digit] + out
    return out


def test_webcite_id_gives_the_capture_time_it_encodes():
    when = datetime(2009, 3, 14, 15, 9, 26, 535000, tzinfo=UTC)
    ident = _base62(int(when.timestamp() * 1_000_000))
    assert webcite_timestamp(ident) == "20090314150926"
    parsed = parse_archive_url(f"http://www.webcitation.org/{ident}")
    assert parsed is not None and parsed.timestamp == "20090314150926"


@pytest.mark.parametrize(
    ("timestamp", "day"),
    [
        ("20230913120000", "2023-09-13"),
        ("20230913", "2023-09-13"),
        ("202309", None),  # a month names no day
        ("2023", None),
        (None, None),
        ("", None),
        ("2023-09-13", None),  # not a timestamp
    ],
)
def test_timestamp_day(timestamp, day):
    assert timestamp_day(timestamp) == day


@pytest.mark.parametrize(
    ("http_date", "timestamp"),
    [
        ("Wed, 13 Sep 2023 12:00:05 GMT", "20230913120005"),
        ("Sun, 06 Nov 1994 08:49:37 GMT", "19941106084937"),  # RFC 9110's example date
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_http_date_timestamp(http_date, timestamp):
    assert http_date_timestamp(http_date) == timestamp


def test_wayback_link_names_a_capture_or_any():
    assert wayback_link("20230913120000", "http://example.com/a?b=1") == (
        "https://web.archive.org/web/20230913120000/http://example.com/a?b=1"
    )
    assert wayback_link(None, "http://example.com/") == "https://web.archive.org/web/*/http://example.com/"


REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
# An independent reading of the archive links the real pages and wikitext cite: the
# Wayback's /web/<digits>[mod_]/<original>, and archive.today's /<14 digits>/<original>.
_REAL_LINK = re.compile(
    r"(?:https?:)?//(?P<host>(?:web\.)?archive\.org/web|archive\.(?:is|ph|today))/"
    r"(?P<ts>\d{8,14})(?:[a-z]{2}_)?/(?P<orig>[^\s\"<>|\]}]+)"
)


def _real_texts() -> list[tuple[str, str]]:
    if not REALWORLD.is_dir():
        pytest.skip(f"no real captured data at {REALWORLD}")
    texts = []
    for path in sorted([*(REALWORLD / "html").iterdir(), *(REALWORLD / "wikitext").iterdir()]):
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if path.suffix == ".gz" else raw
        texts.append((path.name, raw.decode("utf-8", "replace")))
    return texts


def test_every_archive_link_the_real_files_cite_is_read_with_its_time_and_page() -> None:
    seen = 0
    for name, text in _real_texts():
        for m in _REAL_LINK.finditer(text):
            link = html.unescape(m.group(0))
            parsed = parse_archive_url("https:" + link if link.startswith("//") else link)
            assert parsed is not None, (name, link)
            assert parsed.timestamp == m.group("ts"), (name, link)
            original = html.unescape(m.group("orig"))
            host = urlsplit(original if "//" in original else "http://" + original).hostname
            assert parsed.original is not None and urlsplit(parsed.original).hostname == host, (
                name, link, parsed.original)
            seen += 1
    assert seen >= 500, seen  # 544 in the files today: the reading found them
