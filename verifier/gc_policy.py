"""How often the processes verify-refs owns run the cyclic garbage collector.

Why: CPython collects its youngest generation after every 700 net allocations. A sweep
keeps a couple of thousand requests in flight, and each holds a few hundred live objects
(futures, parsers, headers, greenlets), so nearly every young object is still alive when
a collection comes: it is traversed, promoted, and traversed again in the older
generations. On the wiki workload of ``bench/`` that was 1.3–1.5 s of collector time in
each sweep worker (of ~11 s of CPU) and 0.6–0.8 s in the parent, measured with
``gc.callbacks``; with the young threshold at 10,000 it is ~0.1 s in each, and the run's
CPU ~8 % less (bench/RESULTS.md has the figures). The garbage that only the collector can
free (reference cycles) then waits at most 10,000 allocations longer: a few MB at worst.

Only the processes verify-refs starts call this (the console script and the sweep's
workers); a program that uses ``verifier`` as a library keeps its own collector settings.
"""

from __future__ import annotations

import gc

# Net allocations of container objects between two young collections (CPython: 700).
YOUNG_THRESHOLD = 10_000


def collect_less_often() -> None:
    """Raise the young generation's threshold to ``YOUNG_THRESHOLD``; the older
    generations' (how many young collections make an older one) are kept, and a
    threshold already higher, or a collector disabled, is left as it is."""
    young, *older = gc.get_threshold()
    if young and young < YOUNG_THRESHOLD:
        gc.set_threshold(YOUNG_THRESHOLD, *older)
