"""The collector's pace in verify-refs' own processes (verifier.gc_policy): raised in the
console script before any command runs, left alone for a program that imports the library.
(The sweep's workers: tests/test_sweep.py.)"""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from verifier.gc_policy import YOUNG_THRESHOLD, collect_less_often

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _thresholds_restored() -> Iterator[None]:
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_the_young_threshold_is_raised_and_the_older_ones_kept() -> None:
    gc.set_threshold(700, 7, 3)
    collect_less_often()
    assert gc.get_threshold() == (YOUNG_THRESHOLD, 7, 3)


def test_a_higher_threshold_or_a_collector_switched_off_is_left_as_it_is() -> None:
    gc.set_threshold(YOUNG_THRESHOLD * 5, 10, 10)
    collect_less_often()
    assert gc.get_threshold() == (YOUNG_THRESHOLD * 5, 10, 10)
    gc.set_threshold(0, 10, 10)  # 0: no automatic collection at all
    collect_less_often()
    assert gc.get_threshold() == (0, 10, 10)


def _threshold_seen_by(code: str) -> int:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    return int(out.stdout.split()[-1])


def test_the_console_script_raises_it_before_the_command_runs() -> None:
    code = ("import gc\nfrom verifier.cli import entry\n"
            "entry._run = lambda: print(gc.get_threshold()[0]) or 0\nentry.run()")
    assert _threshold_seen_by(code) == YOUNG_THRESHOLD


def test_importing_the_library_leaves_the_collector_alone() -> None:
    code = ("import gc\nbefore = gc.get_threshold()[0]\n"
            "import verifier.cli.app, verifier.job, verifier.sweep\n"
            "print(gc.get_threshold()[0] - before)")
    assert _threshold_seen_by(code) == 0
