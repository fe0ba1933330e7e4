"""What the main job tells the terminal (``-q``, ``-v``, ``--dump``): chosen at parse
time, read by ``run_cmd``; importing nothing, so that parsing loads nothing more."""

from __future__ import annotations

from dataclasses import dataclass

QUIET, NORMAL, VERBOSE = -1, 0, 1


@dataclass(frozen=True)
class Output:
    """``verbosity`` QUIET (errors only: bad input, an interruption, the failing
    references, a run that could not do its work), NORMAL, or VERBOSE (also one line per
    reference as it is checked, on stderr). ``dump``: list what would be checked and
    check nothing."""

    verbosity: int = NORMAL
    dump: bool = False
