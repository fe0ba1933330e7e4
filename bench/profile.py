"""``python -m bench.profile OUT.pstats -- VERIFY-REFS-ARGS``: where verify-refs spends CPU.

verify-refs checks URLs on a thread pool, and cProfile on its own only sees the main
thread; this runs the command in-process with a profiler in *every* thread (by wrapping
``Thread.run``), each timing with its thread's CPU clock (so waiting for the network or
for the GIL costs nothing), and merges them into one pstats file, then prints the functions that
cost the most CPU, by own time and by cumulative time. Profiling slows the run down;
use it to see where the time goes, not how much there is.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import threading
import time


def profile_main(argv: list[str], out: str) -> pstats.Stats:
    profiles: list[cProfile.Profile] = []
    lock = threading.Lock()
    original_run = threading.Thread.run

    def profiled_run(self: threading.Thread) -> None:
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()
        try:
            original_run(self)
        finally:
            profiler.disable()
            with lock:
                profiles.append(profiler)

    threading.Thread.run = profiled_run  # type: ignore[method-assign]
    from verifier.cli.app import main

    main_profiler = cProfile.Profile(time.thread_time)
    main_profiler.enable()
    try:
        main.main(args=argv, prog_name="verify-refs", standalone_mode=False)
    except SystemExit:
        pass
    finally:
        main_profiler.disable()
        threading.Thread.run = original_run  # type: ignore[method-assign]
    stats = pstats.Stats(main_profiler)
    for profiler in profiles:
        stats.add(profiler)
    stats.dump_stats(out)
    return stats


def summary(stats: pstats.Stats, top: int = 25) -> str:
    buffer = io.StringIO()
    stats.stream = buffer  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buffer.getvalue()


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[2] != "--":
        raise SystemExit("usage: python -m bench.profile OUT.pstats -- VERIFY-REFS-ARGS")
    stats = profile_main(sys.argv[3:], sys.argv[1])
    print(summary(stats), file=sys.stderr)


if __name__ == "__main__":
    main()
