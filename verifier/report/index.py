"""Several articles in one run: a report set each in ``OUT/NAME/``, and an index of them
(``OUT/index.json`` always, ``OUT/index.html`` when HTML reports are asked for).

A NAME is the article's own: a file's name without its extension (``article.wiki`` →
``article``), a Wikipedia URL's page title, ``stdin`` for standard input; made safe as a
folder name, and numbered (``-2``, ``-3``) when two articles would share one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..atomic import write_atomic
from ..jsontext import dumps_indented
from ..model import Report
from ..urls import is_http
from .common import headline

INDEX_JSON = "index.json"
INDEX_HTML = "index.html"

_UNSAFE = re.compile(r"[^\w.-]+")


def report_names(inputs: Sequence[str]) -> list[str]:
    """One folder name per input, distinct, in order."""
    names: list[str] = []
    taken: set[str] = set()
    for source in inputs:
        base = _name_of(source)
        name, n = base, 1
        while name.lower() in taken:  # case-insensitive file systems too
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        names.append(name)
    return names


def _name_of(source: str) -> str:
    if source == "-":
        return "stdin"
    if is_http(source):
        path = unquote(urlsplit(source).path).rstrip("/")
        raw = path.rsplit("/", 1)[-1]
    else:
        raw = Path(source).stem
    name = _UNSAFE.sub("_", raw).strip("._")[:80]
    return name or "article"


@dataclass(frozen=True)
class IndexEntry:
    name: str  # its folder under OUT
    source: str  # as the user gave it
    report: Report
    written: Sequence[Path]  # its report files


def write_index(entries: Sequence[IndexEntry], out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """index.json (and index.html when ``html`` is among ``formats``); the paths written."""
    out_dir = Path(out_dir)
    rows = [_row(e) for e in entries]
    data = {
        "generated_at": entries[0].report.generated_at if entries else None,
        "articles": rows,
        "failing": sum(len(e.report.failing) for e in entries),
    }
    paths = [out_dir / INDEX_JSON]
    write_atomic(paths[0], [dumps_indented(data) + "\n"])
    if "html" in formats:
        # Jinja2 only when a page is written: every run imports this module (~13 ms).
        from .html import template_environment

        page = template_environment().get_template("index.html.j2").generate(
            rows=rows, generated_at=data["generated_at"] or ""
        )
        paths.append(out_dir / INDEX_HTML)
        write_atomic(paths[1], page)
    return paths


def _row(entry: IndexEntry) -> dict:
    report = entry.report
    files = {p.name: f"{entry.name}/{p.name}" for p in entry.written}
    return {
        "name": entry.name,
        "input": entry.source,
        "title": report.source.get("title"),
        "url": report.source.get("url"),
        "headline": headline(report),
        "summary": report.summary(),
        "failing": report.failing,
        "reports": files,
    }
