"""Reports: one renderer per format, each a pure function ``Report -> str``.

``write_reports`` is the one place that decides file names and writes them (atomically);
``load_report`` reads a report.json back.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..atomic import stage
from ..errors import InputError
from ..model import Report
from .csv_report import render_csv
from .html import render_html, stream_html
from .json_report import render_json, stream_json
from .junit import render_junit
from .load import load_report
from .markdown import render_markdown

FORMATS = ("html", "json", "md", "csv", "junit")

_RENDERERS: dict[str, Callable[[Report], str]] = {
    "html": render_html,
    "json": render_json,
    "md": render_markdown,
    "csv": render_csv,
    "junit": render_junit,
}

# Formats that can be written in pieces, so the whole text is never held at once.
_STREAMERS: dict[str, Callable[[Report], Iterable[str]]] = {
    "html": stream_html,
    "json": stream_json,
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

    Nothing is left behind: an existing folder gets a temporary file, removed at once; a
    folder still to be made is judged by the nearest one that exists (bad input later
    must not leave an empty reports folder)."""
    out_dir = Path(out_dir)
    existing = out_dir
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    try:
        if not existing.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        if existing == out_dir:
            with tempfile.TemporaryFile(dir=out_dir):
                pass
        elif not os.access(existing, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as exc:
        raise _unwritable(out_dir, exc) from None


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
