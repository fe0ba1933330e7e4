"""report.json follows the contract's shape, and load_report reads it back or says why not."""

from __future__ import annotations

import enum
import json
import math
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest

from tests.golden.sample import sample_report
from verifier.errors import InputError
from verifier.jsontext import dumps_indented
from verifier.model import ArchiveStatus, CitedArchive, LiveStatus, Verdict
from verifier.report import load_report, render
from verifier.report.json_report import render_json

LIVE_KEYS = {"status", "http_status", "final_url", "redirects", "title_seen", "title_match",
             "checked_at", "detail"}
ARCHIVE_KEYS = {"status", "snapshot_url", "snapshot_timestamp", "snapshot_http_status",
                "cited_archive"}


def test_contract_shape() -> None:
    report = sample_report()
    data = json.loads(render(report, "json"))
    assert {"generated_at", "source", "summary", "references"} <= set(data)
    assert data["generated_at"] == report.generated_at
    summary = data["summary"]
    assert set(summary) == {"total", "by_verdict", "by_live", "by_archive"}
    assert summary["total"] == len(report.results) == len(data["references"])
    assert sum(summary["by_verdict"].values()) == summary["total"]
    for entry, res in zip(data["references"], report.results, strict=True):
        assert {"id", "title", "url", "live", "archive", "verdict", "action"} <= set(entry)
        assert entry["id"] == res.reference.id  # input order
        assert set(entry["live"]) >= LIVE_KEYS
        assert set(entry["archive"]) >= ARCHIVE_KEYS
        assert entry["verdict"] in {str(v) for v in Verdict}
        assert entry["live"]["status"] in {str(s) for s in LiveStatus}
        assert entry["archive"]["status"] in {str(s) for s in ArchiveStatus}
        assert entry["archive"]["cited_archive"] in {str(s) for s in CitedArchive}


def test_non_ascii_is_kept_readable() -> None:
    text = render(sample_report(), "json")
    assert "Вместе в борьбе" in text
    assert "韓国統一相" in text


def test_round_trip(tmp_path: Path) -> None:
    report = sample_report()
    path = tmp_path / "report.json"
    path.write_text(render(report, "json"), encoding="utf-8")
    again = load_report(path)
    assert render(again, "json") == render(report, "json")
    assert again.failing == report.failing
    assert [r.fix for r in again.results] == [r.fix for r in report.results]
    # Typed on the way back in: lint findings under their reference, changes by kind.
    assert [r.lint for r in again.results] == [r.lint for r in report.results]
    assert again.changes == report.changes


def _entry() -> dict:
    return json.loads(render(sample_report(), "json"))["references"][0]


BAD = [
    ("not json {", "not JSON"),
    ("[]", "the top level: expected an object"),
    ('{"references": 3}', "'references' is missing or not a list"),
    ('{"generated_at": "x"}', "'references' is missing or not a list"),
    ('{"references": [1]}', "references[0]: expected an object"),
    (json.dumps({"references": [{**_entry(), "verdict": "fine"}]}),
     "references[0].verdict: 'fine' is not one of"),
    (json.dumps({"references": [{**_entry(), "live": {"status": "gone"}}]}),
     "references[0].live.status: 'gone' is not one of"),
    (json.dumps({"references": [{**_entry(), "id": 16}]}), "'id' is missing or not a string"),
    (json.dumps({"references": [{**_entry(), "uses": "many"}]}), "'uses' is not a number"),
    (json.dumps({"references": [{**_entry(), "archive": None}]}),
     "references[0].archive: expected an object"),
    (json.dumps({"references": [], "trend": [{"run_at": "2024-05-02", "counts": {"lost": "2"}}]}),
     "trend[0]: needs 'run_at'"),
    (json.dumps({"references": [], "changes": [{"id": "3", "kind": "worse", "after": "lost"}]}),
     "changes[0].kind: 'worse' is not one of"),
    (json.dumps({"references": [{**_entry(), "lint": [{"code": "x", "message": "m",
                                                       "severity": "fatal"}]}]}),
     "references[0].lint[0].severity: 'fatal' is not one of"),
    (json.dumps({"references": [{**_entry(), "lint": [{"severity": "warning"}]}]}),
     "references[0].lint[0]: 'code' and 'message' must be strings"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_report_is_one_line_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "report.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_report(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_report_says_to_run_first(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such report; run verify-refs first"):
        load_report(tmp_path / "nope.json")


def test_undecodable_report(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="cannot read"):
        load_report(path)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_streamed_json_is_exactly_the_document(count: int) -> None:
    """Written one reference at a time, the text is still json.dumps(..., indent=2)'s."""
    report = sample_report()
    report = replace(report, results=report.results[:count])
    expected = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    assert render_json(report) == expected


class _Word(enum.StrEnum):
    A = "é"


class _Number(enum.IntEnum):
    X = 3


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [1, [], {}, ()]},
        'quote " backslash \\ newline \n tab \t NUL \u0000 DEL \u007f LS \u2028 é 中',
        [1.0, 1e16, 1e-4, 1e300, -0.0, 0.1 + 0.2, 0.8571428571428571, 123456789.125],
        [True, False, None, 0, -5, 2**70],
        {1: "int", 1.5: "float", False: "bool", None: "none", "k": (1, 2)},
        {"word": _Word.A, "number": _Number.X, _Word.A: "enum key"},
        [[[{"deep": [None, {"x": "y"}]}]]],
    ],
)
def test_fast_indented_text_is_the_standard_librarys(data: object) -> None:
    """report.json's encoder writes what json.dumps(indent=2) would, byte for byte."""
    assert dumps_indented(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_a_float_below_1e_4_is_written_as_the_same_number_in_other_words() -> None:
    """The one place the text may differ from json.dumps': the exponent's form."""
    data = {"small": [5e-05, 1e-07, -1.5994002884711645e-06, 9.763169972120654e-05]}
    text = dumps_indented(data)
    assert json.loads(text) == data
    assert text != json.dumps(data, ensure_ascii=False, indent=2)  # else this tests nothing
    assert text.splitlines()[0] == "{" and text.splitlines()[2].startswith("    ")


def test_nan_and_infinities_are_written_as_null_which_json_readers_accept() -> None:
    text = dumps_indented([math.nan, math.inf, -math.inf, 1.5])

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    assert json.loads(text, parse_constant=refuse) == [None, None, None, 1.5]


@dataclass
class _Point:
    x: int


@pytest.mark.parametrize(
    "data",
    [{(1, 2): "tuple key"}, {"a": object()}, {1, 2}, [_Point(1)], {"at": datetime(2026, 1, 2)}],
)
def test_fast_indented_refuses_what_the_standard_library_refuses(data: object) -> None:
    with pytest.raises(TypeError) as ours:
        dumps_indented(data)
    with pytest.raises(TypeError) as theirs:
        json.dumps(data, ensure_ascii=False, indent=2)
    assert str(ours.value) == str(theirs.value)
