"""report.html: the report people open. One self-contained file, rendered by Jinja2.

Autoescaping is on for every value; links are made only from http(s) URLs (``safe_href``).
The inline script is allowed by a Content-Security-Policy hash, so even a string that
slipped past escaping could not run script. It stays quick for 20,000 rows: rows come in
chunks the browser lays out only near the screen, rows are short, there are no per-row
scripts or handlers, and filtering toggles one attribute on the table while CSS hides rows.
``stream_html`` yields the page in pieces, so writing it never holds the whole page.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2

from ..archive_urls import save_page_now_url
from ..model import ArchiveResult, ArchiveStatus, LiveStatus, ReferenceResult, Report, Verdict
from ..verdict import fix_params, snapshot_date
from .common import (
    VERDICT_ORDER,
    changes_by_kind,
    day,
    failing_since,
    headline,
    hints,
    no_changes,
    one_line,
    safe_href,
    titles_by_id,
    verdict_counts,
    verdict_meanings,
)
from .trend import build_chart

_TEMPLATES = "templates"
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# Rows per <tbody>: the unit the browser skips while off screen. A few hundred keeps both the
# number of chunks and the work of showing one small.
CHUNK_ROWS = 200
# A group of changes longer than this is shown folded (<details>), the rest in the open.
CHANGES_UNFOLDED = 50


@dataclass(frozen=True)
class Row:
    """One reference as the template shows it: plain values, escaped by the template."""

    id: str
    title: str
    lang: str  # BCP 47 tag of the cited source, so CJK titles get the right glyphs
    title_href: str | None
    url: str
    work: str
    uses: int
    verdict: str
    failing: bool
    live_status: str
    live_http: int | None
    live_detail: str  # what this check found, when more than the status's general meaning
    live_reason: bool  # the detail is why the check was inconclusive: shown in the cell
    failing_since: str
    final_url: str
    final_href: str | None
    archive_status: str
    archive_detail: str  # likewise
    archive_reason: bool  # the archive could not be asked: why, shown in the cell
    snapshot_href: str | None
    snapshot_label: str  # the snapshot link's text: its date, and "unusable" when it is
    archive_name: str
    cited_archive_missing: bool
    action: str
    fix: str
    save_href: str | None
    lint: str  # the citation's own CS1 problems, for the editor who is fixing it anyway


@cache
def template_environment() -> jinja2.Environment:
    """The reports' Jinja2 templates, autoescaped (the run's report and the index)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("verifier.report", _TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = day
    return env


@cache
def _asset(name: str) -> str:
    return (resources.files("verifier.report") / _TEMPLATES / name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(report: Report) -> str:
    return "".join(stream_html(report))


def stream_html(report: Report) -> Iterator[str]:
    """The page in pieces, in order; rows are made as they are written."""
    script = _asset("report.js")
    failing = set(report.failing)
    counts = verdict_counts(report)
    total = len(report.results)
    titles = titles_by_id(report)
    meanings = verdict_meanings(report)
    source = report.source
    return template_environment().get_template("report.html.j2").generate(
        headline=headline(report),
        hints=hints(report),
        source_title=source.get("title") or "",
        source_href=safe_href(source.get("url")),
        source_url=source.get("url") or "",
        source_file=source.get("file") or "",
        source_language=source.get("language") or "",
        generated_at=report.generated_at,
        total=total,
        failing_count=len(failing),
        trend_chart=build_chart(report.trend, report.results),
        chart=[
            {
                "verdict": str(v),
                "count": counts[v],
                "percent": (100.0 * counts[v] / total) if total else 0.0,
                "meaning": meanings[v],
            }
            for v in VERDICT_ORDER
        ],
        verdicts=[str(v) for v in VERDICT_ORDER],
        changes=[
            (name, [(c, one_line(titles.get(c.id))) for c in group])
            for name, group in changes_by_kind(report)
        ],
        rows=(_row(r, r.reference.id in failing) for r in report.results),
        no_changes=no_changes(report),
        chunk_size=CHUNK_ROWS,
        changes_unfolded=CHANGES_UNFOLDED,
        live_statuses=[(str(s), s.details) for s in LiveStatus],
        archive_statuses=[(str(s), s.details) for s in ArchiveStatus],
        style=_asset("report.css"),
        script=script,
        script_hash=_csp_hash(script),
    )


def _own_detail(detail: str | None, general: str) -> str:
    """A check's own detail; empty when it only repeats what the status means (in the legend)."""
    text = one_line(detail)
    return "" if text == general else text


def _snapshot_label(archive: ArchiveResult) -> str:
    """A linked capture of an error or another page says so: it is no copy to cite."""
    when = snapshot_date(archive.snapshot_timestamp)
    if archive.status is ArchiveStatus.ARCHIVED_ERROR:
        return f"unusable capture {when}".rstrip()
    return when or "snapshot"


def _row(result: ReferenceResult, failing: bool) -> Row:
    ref, live, archive = result.reference, result.live, result.archive
    final_url = live.final_url if live.final_url and live.final_url != ref.url else None
    href = safe_href(ref.url)
    return Row(
        id=ref.id,
        title=one_line(ref.title),
        lang=ref.language if ref.language and _LANG_TAG.fullmatch(ref.language) else "",
        title_href=href,
        url=one_line(ref.url),
        work=one_line(ref.work),
        uses=ref.uses,
        verdict=str(result.verdict),
        failing=failing,
        live_status=str(live.status),
        live_http=live.http_status,
        live_detail=_own_detail(live.detail, live.status.details),
        # Unverified (or an inconclusive check): the reason is what the editor needs to
        # decide what to do, so it is in the cell, not only on hover.
        live_reason=live.status.is_inconclusive,
        failing_since=failing_since(result),
        final_url=one_line(final_url),
        final_href=safe_href(final_url),
        archive_status=str(archive.status),
        archive_detail=_own_detail(archive.detail, archive.status.details),
        archive_reason=archive.status is ArchiveStatus.ERROR,
        snapshot_href=safe_href(archive.snapshot_url),
        snapshot_label=_snapshot_label(archive),
        archive_name=one_line(archive.archive),
        cited_archive_missing=str(archive.cited_archive) == "not-found",
        action=one_line(result.action),
        fix=fix_params(result.fix),
        save_href=(
            save_page_now_url(href) if href and result.verdict is Verdict.UNARCHIVED else None
        ),
        # "missing-url" repeats the no-url verdict: left out.
        lint=one_line("; ".join(i.message for i in result.lint if i.code != "missing-url")),
    )
