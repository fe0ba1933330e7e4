"""The history as a picture: the verdict counts per run come from the history database, the
chart draws exactly those counts, and a history of one run shows no chart but says why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.golden.sample import sample_report
from tests.test_history import SOURCE, day, iso, result
from verifier.history import History
from verifier.model import RunTally
from verifier.report import render
from verifier.report.trend import build_chart, trend_line

# Three nights of three references: one goes dead on night 2, another on night 3.
NIGHTS = [
    [("1", "ok", "archived"), ("2", "ok", "archived"), ("3", "ok", "missing")],
    [("1", "ok", "archived"), ("2", "dead", "archived"), ("3", "ok", "missing")],
    [("1", "ok", "archived"), ("2", "dead", "archived"), ("3", "dead", "missing")],
]


def _record(history: History, nights: list) -> None:
    for n, night in enumerate(nights):
        results = [
            result(ref_id, live, url=f"https://example.org/{ref_id}", archive=archive,
                   checked_at=iso(day(n)))
            for ref_id, live, archive in night
        ]
        history.record_run(results, run_at=day(n), source=SOURCE)


@pytest.fixture
def history(tmp_path: Path):
    with History.open(tmp_path / "history.sqlite") as h:
        yield h


def test_trend_counts_each_runs_verdicts_oldest_first(history: History) -> None:
    _record(history, NIGHTS)
    history.record_run([result("9", "ok")], run_at=day(5), source="another article")
    trend = history.trend(SOURCE)
    assert [t.run_at for t in trend] == [iso(day(n)) for n in range(3)]
    assert [t.counts for t in trend] == [
        {"healthy": 2, "unarchived": 1},
        {"healthy": 1, "rescued": 1, "unarchived": 1},
        {"healthy": 1, "rescued": 1, "lost": 1},
    ]


def test_trend_keeps_only_the_newest_runs(history: History) -> None:
    _record(history, NIGHTS)
    assert [t.run_at for t in history.trend(SOURCE, last=2)] == [iso(day(1)), iso(day(2))]


def test_chart_series_are_the_historys_counts_and_mark_when_links_went(history) -> None:
    _record(history, NIGHTS)
    trend = history.trend(SOURCE)
    last = [
        replace(result(ref_id, live, url=f"https://example.org/{ref_id}", archive=archive),
                dead_since=history.dead_since(f"https://example.org/{ref_id}")[0])
        for ref_id, live, archive in NIGHTS[-1]
    ]
    chart = build_chart(trend, last)
    assert chart is not None
    values = {s.verdict: s.values for s in chart.series}
    assert values == {
        "lost": "0,0,1", "rescued": "0,1,1", "unarchived": "1,1,0", "healthy": "2,1,1"
    }
    assert [(w.run, w.ids) for w in chart.went] == [(2, ("2",)), (3, ("3",))]
    # Higher counts are drawn higher (SVG y grows downwards), all inside the plot.
    healthy = next(s for s in chart.series if s.verdict == "healthy").points
    assert healthy[0].y < healthy[1].y
    assert all(0 <= p.y <= chart.height and 0 <= p.x <= chart.width for p in healthy)


def test_one_run_has_no_chart_and_says_nothing_to_compare(history: History) -> None:
    _record(history, NIGHTS[:1])
    trend = history.trend(SOURCE)
    assert len(trend) == 1
    assert build_chart(trend, []) is None
    assert trend_line(trend) is None
    report = replace(sample_report(), trend=trend)
    dom = BeautifulSoup(render(report, "html"), "lxml")
    assert dom.find(id="trend") is None
    assert "nothing to compare yet" in dom.find(id="trend-none").get_text().lower()
    assert "Trend:" not in render(report, "md")


def test_markdown_trend_line_names_what_moved_since_the_first_run() -> None:
    trend = [
        RunTally("2026-11-30T03:00:00+00:00", {"lost": 2, "healthy": 5}),
        RunTally("2026-12-01T03:00:00+00:00", {"lost": 2, "healthy": 5}),
        RunTally("2026-12-02T03:00:00+00:00", {"lost": 3, "healthy": 4}),
    ]
    assert trend_line(trend) == "lost 2 → 3, healthy 5 → 4 since 2026-11-30 (3 runs)"
    assert trend_line(trend[:2]) == "no net change since 2026-11-30 (2 runs)"
    report = replace(sample_report(), trend=trend)
    assert "Trend: lost 2 → 3, healthy 5 → 4 since 2026-11-30 (3 runs)." in render(report, "md")


def test_chart_in_the_html_report_draws_one_series_per_verdict_seen() -> None:
    report = sample_report()
    dom = BeautifulSoup(render(report, "html"), "lxml")
    groups = dom.select("#trend g.series")
    seen = {v for t in report.trend for v, n in t.counts.items() if n}
    assert sorted(g["data-verdict"] for g in groups) == sorted(seen)
    for g in groups:
        counts = [t.counts.get(g["data-verdict"], 0) for t in report.trend]
        assert g["data-values"] == ",".join(map(str, counts))
        assert len(g.find_all("circle")) == len(report.trend)
