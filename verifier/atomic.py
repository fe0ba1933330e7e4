"""Files written whole or not at all: a temporary file beside the target, then a rename.

A run killed midway, a full disk or a failing renderer never leaves a half-written
references file or report behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def stage(path: Path, pieces: Iterable[str]) -> Path:
    """Write ``pieces`` to a new temporary file beside ``path``; return its path."""
    # In the same directory, so the final os.replace is a rename, not a copy.
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(pieces)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; these files are meant to be shared
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, pieces: Iterable[str]) -> None:
    """Replace ``path`` with ``pieces``, all at once."""
    tmp = stage(path, pieces)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
