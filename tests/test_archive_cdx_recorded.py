"""The CDX reader on answers the real Wayback Machine gave (``tests.recordings``).

Expectations come from reading the recorded rows by eye: which timestamps are no date,
which "original" is no URL, which digest a ``warc/revisit`` row repeats.
"""

from __future__ import annotations

import pytest

from tests.recordings import cassette, recorded_text
from verifier.archives.cdx import parse_cdx


def test_rows_with_impossible_timestamps_are_skipped_and_counted():
    # Rows 4 and 5: 2000-00-12 and 2000-08-00 24:16:23 are no dates.
    answer = parse_cdx(recorded_text("bad_timestamp_cdx.txt"))
    assert [r.timestamp for r in answer.records] == [
        "20011120210446", "20000125210430", "20000311052312"]
    assert answer.skipped == 2


def test_a_row_whose_original_is_no_url_is_skipped_and_the_rest_kept():
    answer = parse_cdx(recorded_text("malformed_cdx.txt"))
    assert answer.skipped == 1  # "some/not/even/url/thing"
    assert [r.statuscode for r in answer.records] == ["200", "200", "301", "404"]
    assert all(r.original.startswith(("http://", "https://")) for r in answer.records)


def test_rows_with_a_dash_length_are_read():
    answer = parse_cdx(recorded_text("zero_length_cdx.txt"))
    assert len(answer.records) == 5 and answer.skipped == 0


def test_revisit_rows_take_the_status_of_the_capture_whose_digest_they_repeat():
    (exchange,) = cassette("test_search_does_not_repeat_results")
    answer = parse_cdx(exchange.body.decode())
    by_ts = {r.timestamp: r for r in answer.records}
    # 20200612014014 is a warc/revisit of digest DBA3N454..., archived as 200 at 113656.
    assert by_ts["20200612014014"].statuscode == "200"
    assert answer.skipped == 0


def test_revisits_of_redirects_are_redirects():
    exchange = cassette("test_search_with_date")[0]
    answer = parse_cdx(exchange.body.decode())
    # 20191001012455: two revisit rows of digest 3I42H3S6..., archived as 301 elsewhere.
    revisits = [r for r in answer.records if r.timestamp == "20191001012455"]
    assert revisits and {r.statuscode for r in revisits} == {"301"}


def test_the_resume_key_trailer_is_not_a_row():
    exchange = cassette("test_search_with_filter")[0]
    assert exchange.body.decode().rstrip().endswith("gov%2Cnasa%29%2F+20220101013953")
    answer = parse_cdx(exchange.body.decode())
    assert len(answer.records) == 10 and answer.skipped == 0


def test_the_same_rows_as_json_read_the_same():
    import json

    text = recorded_text("bad_timestamp_cdx.txt")
    fields = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    rows = [fields, *(line.split() for line in text.splitlines() if line.strip())]
    answer = parse_cdx(json.dumps(rows))
    assert [r.timestamp for r in answer.records] == [
        "20011120210446", "20000125210430", "20000311052312"]
    assert answer.skipped == 2


@pytest.mark.parametrize("text", ["<html>maintenance</html>", "a b c\nd e f\n"])
def test_an_answer_without_one_readable_row_is_unreadable(text):
    with pytest.raises(ValueError, match="no readable CDX row"):
        parse_cdx(text)
