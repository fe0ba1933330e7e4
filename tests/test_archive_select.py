"""Choosing the capture an editor should cite, and confirming the cited one (data-driven)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.archive_urls import parse_archive_url
from verifier.archives.select import Capture, anchors_of, cited_capture_found, rank
from verifier.model import Reference

FIXTURES = Path(__file__).parent / "fixtures/archives"
SELECT = json.loads((FIXTURES / "select.json").read_text("utf-8"))
CITED = json.loads((FIXTURES / "cited.json").read_text("utf-8"))
URL = "https://example.com/a"


def _captures(rows):
    return [
        Capture("wayback", ts, URL, status, f"W/{ts}/{URL}", f"W/{ts}id_/{URL}")
        for ts, status in rows
    ]


@pytest.mark.parametrize("case", SELECT, ids=[c["name"] for c in SELECT])
def test_capture_choice(case):
    ref = Reference(
        id="1",
        url=URL,
        archive_date=case["archive_date"],
        access_date=case["access_date"],
        date=case["date"],
    )
    ranked = rank(_captures(case["captures"]), anchors_of(ref))
    if case["chosen"] is None:
        assert ranked == []
        return
    assert ranked[0].capture.timestamp == case["chosen"]
    assert ranked[0].chosen_by == case["chosen_by"]
    # Every usable capture is there to fall back on, none twice.
    usable = {ts for ts, status in case["captures"] if status in (200, None)}
    assert sorted(r.capture.timestamp for r in ranked) == sorted(usable)


@pytest.mark.parametrize("case", CITED, ids=[c["name"] for c in CITED])
def test_cited_capture_found(case):
    found = cited_capture_found(
        _captures(case["captures"]),
        archive_date=case["archive_date"],
        cited=parse_archive_url(case["archive_url"]),
    )
    assert found is case["found"]


def test_cited_capture_rejected_by_verification_is_not_found():
    captures = _captures([["20230913120000", 200]])
    assert not cited_capture_found(
        captures,
        archive_date="2023-09-13",
        cited=None,
        rejected=frozenset({captures[0].raw_url}),
    )
