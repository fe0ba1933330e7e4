"""What an editor pastes: the CS1 parameters for rescued references, Save Page Now links
for unarchived ones. Plain text, one block per reference, from a ``Report``.

Titles come from the web and from strangers' citations: control characters and bidi
overrides are removed so nothing can rewrite the editor's terminal.
"""

from __future__ import annotations

from .archive_urls import save_page_now_url
from .model import ReferenceResult, Report, Verdict
from .report.common import one_line, safe_href, sort_key_id
from .verdict import fix_params


def render_fixes(report: Report) -> str:
    rescued = [r for r in report.results if r.verdict is Verdict.RESCUED]
    unarchived = [r for r in report.results if r.verdict is Verdict.UNARCHIVED]
    if not rescued and not unarchived:
        return (
            f"Nothing to paste: of {len(report.results)} references none is rescued "
            "(dead but archived) or unarchived.\n"
        )
    blocks: list[str] = []
    if rescued:
        blocks.append(
            f"Rescued ({len(rescued)}): the page is gone but an archived copy exists. "
            "Add these parameters to the citation:"
        )
        blocks += [_rescued(r) for r in _by_number(rescued)]
    if unarchived:
        blocks.append(
            f"Unarchived ({len(unarchived)}): the page works but no archive holds it. "
            "Open the link to archive it now, then cite the copy:"
        )
        blocks += [_unarchived(r) for r in _by_number(unarchived)]
    return "\n\n".join(blocks) + "\n"


def _by_number(results: list[ReferenceResult]) -> list[ReferenceResult]:
    return sorted(results, key=lambda r: sort_key_id(r.reference.id))


def _heading(result: ReferenceResult) -> str:
    ref = result.reference
    title = one_line(ref.title) or "(untitled)"
    cited = f" (cited {ref.uses} times)" if ref.uses > 1 else ""
    lines = [f"[{one_line(ref.id)}] {title}{cited}"]
    if ref.url:
        lines.append(f"    url: {one_line(ref.url)}")
    return "\n".join(lines)


def _rescued(result: ReferenceResult) -> str:
    if not result.fix:
        return _heading(result) + "\n    (no snapshot URL recorded: check the archive by hand)"
    params = fix_params(result.fix, one_line)
    return f"{_heading(result)}\n    {params}"


def _unarchived(result: ReferenceResult) -> str:
    href = safe_href(result.reference.url)
    if not href:
        return _heading(result) + "\n    (not an http(s) URL: archive it by hand)"
    return f"{_heading(result)}\n    {save_page_now_url(href)}"
