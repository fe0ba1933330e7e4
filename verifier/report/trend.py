"""The history as a picture: verdict counts over the runs, and the run on which each gone
link went. Pure geometry and text; the HTML template draws the SVG, Markdown gets one line.

The x axis is the run (one step per run, labelled with its day), not the clock: nightly
runs are evenly spaced anyway, and a skipped night should not squeeze the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..model import ReferenceResult, RunTally
from .common import VERDICT_ORDER, day

WIDTH = 640
HEIGHT = 200
# Room for the axis labels: left for the counts, bottom for the days.
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 10, 28
MAX_X_LABELS = 8  # a month of nights would overlap: label every k-th run


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    count: int
    day: str


@dataclass(frozen=True)
class Series:
    """One verdict's count on every run; ``values`` as data for tests and scripts."""

    verdict: str
    points: tuple[Point, ...]

    @property
    def values(self) -> str:
        return ",".join(str(p.count) for p in self.points)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Went:
    """The links that started failing on one run (their current streak began there)."""

    x: float
    day: str
    run: int  # 1-based position in the chart
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: tuple[Series, ...]
    x_labels: tuple[tuple[float, str, str], ...]  # x, day, text-anchor (the ends stay inside)
    y_ticks: tuple[tuple[float, int], ...]
    went: tuple[Went, ...]
    runs: int
    baseline: float
    left: float
    right: float


def _scale_max(highest: int) -> int:
    """A round top for the count axis: 1, 2, 5, 10, 20, 50, ... at or above ``highest``."""
    decade = 1
    while True:
        for mantissa in (1, 2, 5):
            if decade * mantissa >= highest:
                return decade * mantissa
        decade *= 10


def _run_index(trend: list[RunTally], since: str | None) -> int | None:
    """The run whose time span holds ``since`` (a check time): the last run started at or
    before it; ``None`` when it precedes the charted runs."""
    if not since:
        return None
    try:
        moment = datetime.fromisoformat(since)
        starts = [datetime.fromisoformat(t.run_at) for t in trend]
    except ValueError:
        return None
    found = None
    for index, start in enumerate(starts):
        if start <= moment:
            found = index
    return found


def build_chart(trend: list[RunTally], results: list[ReferenceResult]) -> Chart | None:
    """The chart of ``trend``; ``None`` with fewer than two runs (nothing to compare yet)."""
    if len(trend) < 2:
        return None
    present = {v for t in trend for v, n in t.counts.items() if n}
    verdicts = [str(v) for v in VERDICT_ORDER if str(v) in present]
    top = _scale_max(max((n for t in trend for n in t.counts.values()), default=1))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / (len(trend) - 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(count: int) -> float:
        return TOP + plot_h - plot_h * count / top

    days = [day(t.run_at) for t in trend]
    series = tuple(
        Series(v, tuple(Point(x(i), y(t.counts.get(v, 0)), t.counts.get(v, 0), days[i])
                        for i, t in enumerate(trend)))
        for v in verdicts
    )
    every = max(1, -(-len(trend) // MAX_X_LABELS))
    labels = [i for i in range(len(trend)) if i % every == 0]
    if labels[-1] != len(trend) - 1:
        labels.append(len(trend) - 1)
    went: dict[int, list[str]] = {}
    for r in results:
        if r.live.status.is_gone:
            index = _run_index(trend, r.dead_since)
            if index is not None:
                went.setdefault(index, []).append(r.reference.id)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        series=series,
        x_labels=tuple(
            (x(i), days[i], "start" if i == 0 else "end" if i == len(trend) - 1 else "middle")
            for i in labels
        ),
        y_ticks=tuple((y(n), n) for n in sorted({0, top // 2, top})),
        went=tuple(Went(x(i), days[i], i + 1, tuple(ids)) for i, ids in sorted(went.items())),
        runs=len(trend),
        baseline=y(0),
        left=LEFT,
        right=WIDTH - RIGHT,
    )


def trend_line(trend: list[RunTally]) -> str | None:
    """``lost 2 → 3, healthy 30 → 29 since 2026-11-30`` (first charted run against this one),
    ``no net change since …``, or ``None`` when there is only one run."""
    if len(trend) < 2:
        return None
    first, last = trend[0].counts, trend[-1].counts
    moved = [
        f"{v} {first.get(str(v), 0)} → {last.get(str(v), 0)}"
        for v in VERDICT_ORDER
        if first.get(str(v), 0) != last.get(str(v), 0)
    ]
    since = f"since {day(trend[0].run_at)} ({len(trend)} runs)"
    return (", ".join(moved) + " " + since) if moved else f"no net change {since}"
