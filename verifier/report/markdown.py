"""report.md: a short summary for pull-request comments and CI job summaries.

Problems first; long lists are cut (the HTML report has everything). Every title and web
string is escaped so it can neither format the page, inject HTML, break a table, nor
mention a GitHub user.
"""

from __future__ import annotations

import re
from collections import Counter

from ..archive_urls import save_page_now_url
from ..model import ReferenceResult, Report, Verdict
from ..verdict import fix_params
from .common import (
    changes_by_kind,
    failing_since,
    headline,
    hints,
    one_line,
    problems_first,
    safe_href,
    titles_by_id,
)
from .trend import trend_line

MAX_ROWS = 50  # rows in the problem table; the rest are counted, not listed
MAX_TITLE = 120

# The verdicts that get a row: something to do now.
LISTED = (Verdict.LOST, Verdict.BROKEN, Verdict.RESCUED, Verdict.UNARCHIVED)

# Inline specials only: web text never starts a line here (it follows "[id] " or "| "), so
# block markers (#, -, +, 1.) cannot take effect; [ and ] escaped means ( ) cannot form links.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_URL_ESCAPES = {c: f"%{ord(c):02X}" for c in " ()<>\"'`|[]\\"}


def md_text(value: object, limit: int | None = None) -> str:
    """Text shown literally in Markdown (and in the HTML GitHub renders it into)."""
    text = one_line(value)
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # A zero-width space after @ keeps "@someone" in a title from notifying a GitHub user.
    return text.replace("@", "@\u200b")


def md_url(url: str) -> str:
    """An http(s) URL made safe as a link destination, inside a table cell too."""
    return "".join(_URL_ESCAPES.get(c, c) for c in url)


def md_code(value: str) -> str:
    """A code span outside a table: shown and copied exactly as written. A ``|`` needs no
    escape there, and an escape would stay visible (``\\|archive-url=``) and break the
    pasted wikitext; the span is only ever used in list items, never in a table cell."""
    return "`" + one_line(value).replace("`", "%60") + "`"


def render_markdown(report: Report) -> str:
    lines: list[str] = []
    title = report.source.get("title")
    lines.append("## Reference check" + (f": {md_text(title)}" if title else ""))
    lines.append("")
    lines.append(f"**{md_text(headline(report))}**")
    lines.append("")
    trend = trend_line(report.trend)
    if trend:
        lines.append(f"Trend: {md_text(trend)}.")
        lines.append("")
    for hint in hints(report):
        lines.append(f"> {md_text(hint)}")
        lines.append("")
    lines += _changes(report)
    lines += _problems(report)
    lines += _fixes(report)
    lines += _unchecked(report)
    if report.generated_at:
        lines.append(f"<sub>verify-refs, {md_text(report.generated_at)}</sub>")
    return "\n".join(lines).rstrip("\n") + "\n"


def _changes(report: Report) -> list[str]:
    groups = changes_by_kind(report)
    if not groups:
        return []
    titles = titles_by_id(report)
    lines = ["### Changes since the last run", ""]
    for name, changes in groups:
        items = []
        for change in changes:
            item = f"[{md_text(change.id)}] {md_text(titles.get(change.id, ''), MAX_TITLE)}"
            if change.before:
                item += f" ({md_text(change.before)} → {md_text(change.after)})"
            items.append(item)
        lines.append(f"- **{name}** ({len(changes)}): " + "; ".join(items))
    lines.append("")
    return lines


def _link(result: ReferenceResult) -> str:
    text = md_text(result.reference.title or "(untitled)", MAX_TITLE)
    href = safe_href(result.reference.url)
    return f"[{text}]({md_url(href)})" if href else text


def _problems(report: Report) -> list[str]:
    rows = [r for r in problems_first(report.results) if r.verdict in LISTED]
    if not rows:
        return []
    failing = set(report.failing)
    lines = [
        f"### Needs attention ({len(rows)})",
        "",
        "| # | Reference | Verdict | Cited | Live | Action |",
        "|---:|---|---|---:|---|---|",
    ]
    for r in rows[:MAX_ROWS]:
        verdict = f"**{r.verdict}**" if r.reference.id in failing else str(r.verdict)
        live = str(r.live.status) + (f" {r.live.http_status}" if r.live.http_status else "")
        if failing_since(r):
            live += f" {failing_since(r)}"
        lines.append(
            f"| {md_text(r.reference.id)} | {_link(r)} | {verdict} | {r.reference.uses}× "
            f"| {md_text(live)} | {md_text(_short_action(r), 160)} |"
        )
    if len(rows) > MAX_ROWS:
        lines.append("")
        lines.append(f"…and {len(rows) - MAX_ROWS} more: see report.html.")
    lines.append("")
    return lines


def _short_action(r: ReferenceResult) -> str:
    # The fix and the Save Page Now link have their own section below.
    if r.verdict is Verdict.RESCUED:
        return "cite the archived copy (fix below)"
    if r.verdict is Verdict.UNARCHIVED:
        return "archive it now (link below)"
    return r.action


def _fixes(report: Report) -> list[str]:
    rescued = [r for r in problems_first(report.results) if r.verdict is Verdict.RESCUED and r.fix]
    unarchived = [r for r in problems_first(report.results) if r.verdict is Verdict.UNARCHIVED]
    if not rescued and not unarchived:
        return []
    lines = ["### Fixes to paste", ""]
    for r in rescued[:MAX_ROWS]:
        params = fix_params(r.fix)
        lines.append(f"- [{md_text(r.reference.id)}] {md_text(r.reference.title, 80)}: "
                     f"{md_code(params)}")
    for r in unarchived[:MAX_ROWS]:
        href = safe_href(r.reference.url)
        save = f"[Save Page Now]({md_url(save_page_now_url(href))})" if href else "no http(s) URL"
        lines.append(f"- [{md_text(r.reference.id)}] {md_text(r.reference.title, 80)}: {save}")
    cut = max(0, len(rescued) - MAX_ROWS) + max(0, len(unarchived) - MAX_ROWS)
    if cut:
        lines.append(f"- …and {cut} more: run `verify-refs fixes`.")
    lines.append("")
    return lines


def _why_unchecked(result: ReferenceResult) -> str:
    if result.live.excluded:  # the user's choice, not a failed check: said as such
        return "excluded from checking (not fetched)"
    if result.live.status.is_inconclusive:
        return str(result.live.status)
    return f"archive {result.archive.status}"


def _unchecked(report: Report) -> list[str]:
    unverified = [r for r in report.results if r.verdict is Verdict.UNVERIFIED]
    if not unverified:
        return []
    reasons = Counter(_why_unchecked(r) for r in unverified)
    why = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common())
    return [f"**Could not be checked ({len(unverified)}):** {md_text(why)}.", ""]

