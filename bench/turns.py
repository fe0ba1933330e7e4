"""Tools compared in turns, not one after the other.

Why: this machine's speed drifts by 10–30 % within minutes (the same commit measured
16.6–24.3 s on the wiki web within half an hour). Three runs of verify-refs followed by
three of linkinator compare two tools on what are, in effect, two machines. Run in turns
(A B, B A, A B, …), each round's tools see the same machine, within seconds of each other,
and the order inside a round alternates so that neither always runs first on a web fresh
from its reset. Each tool's row is still its median run; ``round_ratios`` gives the
per-round ratio of two tools, which drift cancels out of.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .measure import Measurement


class Counting(Protocol):
    """The loopback web as the benchmark sees it (``bench.web.Web``)."""

    def reset(self) -> None: ...

    def stats(self) -> dict[str, Any]: ...


@dataclass
class Contender:
    run: Callable[[], Measurement]
    check: Callable[[Measurement], str]  # what the tool's own output says it found
    input_form: str


@dataclass
class Row:
    measurement: Measurement
    input_form: str
    web: dict[str, Any] = field(default_factory=dict)
    check: str = ""  # what the tool's own output says it found
    runs: int = 1
    walls: list[float] = field(default_factory=list)  # every run's wall time, round by round


def measured_in_turns(web: Counting, contenders: list[Contender], repeat: int) -> list[Row]:
    """Each contender ``repeat`` times, in turns; a row each (in ``contenders``' order)
    with its median-wall run and the web's counters for that run."""
    runs: list[list[tuple[Measurement, dict[str, Any], str]]] = [[] for _ in contenders]
    for round_ in range(repeat):
        order = list(range(len(contenders)))
        if round_ % 2:
            order.reverse()
        for index in order:
            runs[index].append(_once(web, contenders[index]))
    rows = []
    for contender, own in zip(contenders, runs, strict=True):
        walls = [m.wall for m, _, _ in own]
        ranked = sorted(own, key=lambda r: r[0].wall)
        m, stats, verdict = ranked[len(ranked) // 2]
        rows.append(Row(m, contender.input_form, stats, verdict, runs=repeat, walls=walls))
    return rows


def measured(web: Counting, contender: Contender, repeat: int) -> Row:
    return measured_in_turns(web, [contender], repeat)[0]


def round_ratios(a: Row, b: Row) -> list[float]:
    """``a``'s wall over ``b``'s, round by round (the rows of one ``measured_in_turns``)."""
    return [x / y for x, y in zip(a.walls, b.walls, strict=True) if y > 0]


def ratio_line(name: str, a: Row, b: Row) -> str:
    """One line for RESULTS.md: the round-by-round ratios and their median."""
    ratios = round_ratios(a, b)
    if not ratios:
        return f"- {name}: not measured"
    each = ", ".join(f"{r:.2f}×" for r in ratios)
    return (
        f"- {name}, round by round (each round's runs seconds apart): {each}; "
        f"median **{statistics.median(ratios):.2f}×**"
    )


def _once(web: Counting, contender: Contender) -> tuple[Measurement, dict[str, Any], str]:
    web.reset()
    m = contender.run()
    stats = web.stats()
    verdict = contender.check(m)
    if stats.get("accept_failures"):
        verdict = (
            f"**not a valid run**: the loopback web failed to accept "
            f"{stats['accept_failures']} times (out of descriptors); {verdict}"
        )
    print(f"  {m.name}: {m.wall:.2f} s, {m.cpu:.2f} s CPU, {m.max_rss_mb:.0f} MB", flush=True)
    return m, stats, verdict
