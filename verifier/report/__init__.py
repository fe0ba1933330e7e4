"""Reports: one renderer per format, each a pure function ``Report -> str``.

``write_reports`` is the one place that decides file names and writes them (atomically);
``load_report`` reads a report.json back.
"""

from __future__ import annotations

import errno
import importlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..atomic import stage
from ..errors import InputError
from ..model import Report
from .load import load_report

FORMATS = ("html", "json", "md", "csv", "junit")


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported when first called: a run imports only the writers of the
    formats it asked for (the HTML one brings Jinja2, the JUnit one ElementTree; ~0.05 s
    of start-up that a JSON-only run does not need)."""

    def call(report: Report) -> Any:
        return getattr(importlib.import_module(module, __package__), name)(report)

    call.__name__ = name
    return call


_RENDERERS: dict[str, Callable[[Report], str]] = {
    "html": _lazy(".html", "render_html"),
    "json": _lazy(".json_report", "render_json"),
    "md": _lazy(".markdown", "render_markdown"),
    "csv": _lazy(".csv_report", "render_csv"),
    "junit": _lazy(".junit", "render_junit"),
}

# Formats that can be written in pieces, so the whole text is never held at once.
_STREAMERS: dict[str, Callable[[Report], Iterable[str]]] = {
    "html": _lazy(".html", "stream_html"),
    "json": _lazy(".json_report", "stream_json"),
}

FILE_NAMES: dict[str, str] = {
    "html": "report.html",
    "json": "report.json",
    "md": "report.md",
    "csv": "report.csv",
    "junit": "report.junit.xml",
}

__all__ = ["FILE_NAMES", "FORMATS", "check_out_dir", "load_report", "render", "write_reports"]


def render(report: Report, fmt: str) -> str:
    return _renderer(fmt)(report)


def check_out_dir(out_dir: Path) -> None:
    """Fail now if reports cannot be written into ``out_dir``: a run finds an unwritable
    folder before it checks anything, not after, and names the folder the user gave.

    Tried, not guessed from permission bits (which say nothing for root, read-only
    mounts or /proc): the missing folders are made, a temporary file is written in the
    last, and what was made is removed again, so bad input found later leaves no empty
    reports folder behind."""
    out_dir = Path(out_dir)
    made: list[Path] = []
    try:
        for folder in reversed((out_dir, *out_dir.parents)):
            if not folder.is_dir():
                folder.mkdir()  # FileExistsError when a file has the name
                made.append(folder)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except FileExistsError:
        raise _unwritable(out_dir, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
                          ) from None
    except OSError as exc:
        raise _unwritable(out_dir, exc) from None
    finally:
        for folder in reversed(made):
            folder.rmdir()


def _unwritable(out_dir: Path, exc: OSError) -> InputError:
    # The folder, not the temporary file the failure happened on.
    return InputError(f"{out_dir}: cannot write the reports there: {exc.strerror or exc}")


def write_reports(report: Report, out_dir: Path, formats: Iterable[str]) -> list[Path]:
    """Write report.json and every requested format into ``out_dir``; return the paths.

    All or nothing: each format is first written to a temporary file beside its target, one
    at a time (so only one format's text is in memory at once, and HTML not even that); only
    when every one is written are they renamed over the old reports. A failure before that
    removes the temporary files and leaves the previous reports as they were.
    """
    wanted = ["json"] + [f for f in dict.fromkeys(formats) if f != "json"]
    for fmt in wanted:
        _renderer(fmt)  # an unknown format is bad input: say so before touching any file
    out_dir = Path(out_dir)
    staged: list[tuple[Path, Path]] = []  # (temporary file, report file)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for fmt in wanted:
            path = out_dir / FILE_NAMES[fmt]
            staged.append((stage(path, _pieces(report, fmt)), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _unwritable(out_dir, exc) from None
        raise
    return [path for _, path in staged]


def _renderer(fmt: str) -> Callable[[Report], str]:
    try:
        return _RENDERERS[fmt]
    except KeyError:
        raise InputError(
            f"unknown report format {fmt!r}: choose from {', '.join(FORMATS)}"
        ) from None


def _pieces(report: Report, fmt: str) -> Iterable[str]:
    streamer = _STREAMERS.get(fmt)
    return streamer(report) if streamer else (_renderer(fmt)(report),)
