"""Reports: one renderer per format, each a pure function ``Report -> str``.

``write_reports`` is the one place that decides file names and writes them (atomically);
``load_report`` reads a report.json back.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import InputError
from ..model import Report
from .csv_report import render_csv
from .html import render_html
from .json_report import render_json
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

FILE_NAMES: dict[str, str] = {
    "html": "report.html",
    "json": "report.json",
    "md": "report.md",
    "csv": "report.csv",
    "junit": "report.junit.xml",
}

__all__ = ["FILE_NAMES", "FORMATS", "load_report", "render", "write_reports"]


def render(report: Report, fmt: str) -> str:
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise InputError(
            f"unknown report format {fmt!r}: choose from {', '.join(FORMATS)}"
        ) from None
    return renderer(report)


def write_reports(report: Report, out_dir: Path, formats: Iterable[str]) -> list[Path]:
    """Write report.json and every requested format into ``out_dir``; return the paths.

    Everything is rendered before anything is written, so a renderer failing leaves the
    previous reports in place; each file is replaced atomically, never left half-written.
    """
    wanted = ["json"] + [f for f in dict.fromkeys(formats) if f != "json"]
    texts = {fmt: render(report, fmt) for fmt in wanted}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, text in texts.items():
        path = out_dir / FILE_NAMES[fmt]
        _write_atomically(path, text)
        written.append(path)
    return written


def _write_atomically(path: Path, text: str) -> None:
    # The temporary file lives in the same directory so os.replace is a rename, not a copy.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; reports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
