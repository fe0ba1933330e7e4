"""The benchmark's tools run in turns (bench/turns.py): the order, the medians, the ratios."""

from __future__ import annotations

from typing import Any

import pytest

from bench.measure import Measurement
from bench.turns import Contender, measured, measured_in_turns, ratio_line, round_ratios


class CountingWeb:
    """Stands in for bench.web.Web's counters: a reset starts a new count."""

    def __init__(self, failures: int = 0) -> None:
        self.resets = 0
        self.failures = failures

    def reset(self) -> None:
        self.resets += 1

    def stats(self) -> dict[str, Any]:
        return {"run": self.resets, "accept_failures": self.failures}


def contender(name: str, walls: list[float], calls: list[str]) -> Contender:
    left = iter(walls)

    def run() -> Measurement:
        calls.append(name)
        return Measurement(name, urls=10, wall=next(left), user=0.0, sys=0.0,
                           max_rss_kb=0, returncode=0)

    return Contender(run, lambda m: f"{m.name} checked", f"{name}'s input")


def test_tools_alternate_round_by_round_and_each_row_is_its_median_run():
    calls: list[str] = []
    web = CountingWeb()
    rows = measured_in_turns(
        web,
        [contender("a", [3.0, 1.0, 2.0], calls), contender("b", [5.0, 9.0, 4.0], calls)],
        3,
    )
    # Round 2 reverses the order, so neither tool always runs first.
    assert calls == ["a", "b", "b", "a", "a", "b"]
    assert [r.measurement.name for r in rows] == ["a", "b"]
    assert [r.measurement.wall for r in rows] == [2.0, 5.0]
    assert rows[0].walls == [3.0, 1.0, 2.0] and rows[1].walls == [5.0, 9.0, 4.0]
    # Each row keeps the web's counters of its own median run: a's 2.0 s was the 5th
    # run, b's 5.0 s the 2nd.
    assert rows[0].web["run"] == 5 and rows[1].web["run"] == 2
    assert rows[0].check == "a checked" and rows[0].input_form == "a's input"
    assert web.resets == 6 and all(r.runs == 3 for r in rows)


def test_the_ratio_is_taken_round_by_round():
    calls: list[str] = []
    a, b = measured_in_turns(
        CountingWeb(),
        [contender("a", [2.0, 4.0, 3.0], calls), contender("b", [4.0, 4.0, 2.0], calls)],
        3,
    )
    assert round_ratios(a, b) == [0.5, 1.0, 1.5]
    line = ratio_line("wall", a, b)
    assert "0.50×, 1.00×, 1.50×" in line and "median **1.00×**" in line


def test_a_run_the_web_could_not_serve_is_marked_invalid():
    row = measured(CountingWeb(failures=3), contender("a", [1.0], []), 1)
    assert row.check.startswith("**not a valid run**") and "3 times" in row.check


@pytest.mark.parametrize("repeat", [1, 2])
def test_one_tool_alone_runs_repeat_times(repeat):
    calls: list[str] = []
    row = measured(CountingWeb(), contender("a", [1.0, 2.0], calls), repeat)
    assert calls == ["a"] * repeat and row.walls == [1.0, 2.0][:repeat]
