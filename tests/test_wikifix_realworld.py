"""``fix`` on real articles (../shared/realworld/wikitext/, read in place): with nothing to
apply not one byte changes; with results, only the citations concerned change.

The check parses both sides with mwparserfromhell on its own: every citation concerned
(and the mark the fix puts right after it) is set aside, and all the rest of the article
must be the same byte for byte; inside each citation concerned, every parameter but the
archive and url-status ones must be as it was.
"""

from __future__ import annotations

from pathlib import Path

import mwparserfromhell
import pytest
from mwparserfromhell.nodes import Template, Text
from mwparserfromhell.wikicode import Wikicode

from verifier.model import (
    ArchiveResult,
    ArchiveStatus,
    LiveResult,
    LiveStatus,
    Reference,
    ReferenceResult,
    Verdict,
)
from verifier.wikifix import FixOptions, apply_results

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "wikitext"
FILES = sorted(REALWORLD.glob("*.txt")) if REALWORLD.is_dir() else []
EDITED = {
    "archive-url",
    "archiveurl",
    "archive-date",
    "archivedate",
    "url-status",
    "deadurl",
    "dead-url",
    "存档网址",
    "存档日期",
}
MARKS = {"dead link", "webarchive"}
CHECKED = "2026-12-02T08:00:00+00:00"

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"no real wikitext at {REALWORLD} (../shared is not mounted here)"
)


def _ids(path: Path) -> str:
    return path.name


def _citations(code: Wikicode) -> list[tuple[Wikicode, Template]]:
    """Citation templates with a url inside <ref> tags, each with the <ref>'s contents."""
    found = []
    for tag in code.filter_tags(recursive=True):
        if str(tag.tag).strip().lower() != "ref" or tag.contents is None:
            continue
        for template in tag.contents.filter_templates(recursive=False):
            name = str(template.name).strip().lower()
            cited = template.has("url") and str(template.get("url").value).strip()
            if name.startswith(("cite", "citation")) and cited:
                found.append((tag.contents, template))
    return found


def _url(template: Template) -> str:
    return str(template.get("url").value).strip()


def _title(template: Template) -> str | None:
    return str(template.get("title").value).strip() if template.has("title") else None


VERDICTS = ["rescued", "lost", "healthy"]


def _results(templates: list[Template]) -> list[ReferenceResult]:
    """One result per citation whose URL no other citation shares, verdicts in turn."""
    urls = [_url(t) for t in templates]
    results = []
    for index, template in enumerate(t for t in templates if urls.count(_url(t)) == 1):
        verdict = VERDICTS[index % len(VERDICTS)]
        url = _url(template)
        live = LiveStatus.OK if verdict == "healthy" else LiveStatus.DEAD
        archived = verdict != "lost"
        results.append(
            ReferenceResult(
                reference=Reference(id=str(index + 1), title=_title(template), url=url),
                live=LiveResult(live, checked_at=CHECKED),
                archive=ArchiveResult(
                    ArchiveStatus.ARCHIVED if archived else ArchiveStatus.MISSING,
                    snapshot_url=f"https://web.archive.org/web/20200101000000/{url}"
                    if archived
                    else None,
                    snapshot_timestamp="20200101000000" if archived else None,
                ),
                verdict=Verdict(verdict),
                action="",
            )
        )
    return results


def _set_aside(text: str, urls: set[str]) -> tuple[str, list[Template]]:
    """The article with each concerned citation (and a dead-link or webarchive mark right
    after it) replaced by a placeholder, and those citations in order."""
    code = mwparserfromhell.parse(text)
    concerned = [(h, t) for h, t in _citations(code) if _url(t) in urls]
    for number, (holder, template) in enumerate(concerned):
        nodes = list(holder.nodes)
        index = next(i for i, n in enumerate(nodes) if n is template)
        after = nodes[index + 1 :]
        spaces = []
        while after and isinstance(after[0], Text) and not after[0].value.strip():
            spaces.append(after.pop(0))
        if after and isinstance(after[0], Template) and str(after[0].name).strip().lower() in MARKS:
            for node in [*spaces, after[0]]:
                holder.remove(node)
        holder.replace(template, Text(f"\x00{number}\x00"))
    return str(code), [t for _, t in concerned]


@pytest.mark.parametrize("path", FILES, ids=_ids)
def test_no_results_leave_every_byte(path: Path) -> None:
    text = path.read_text("utf-8")
    outcome = apply_results(text, [], FixOptions())
    assert outcome.text == text
    assert outcome.edits == []


@pytest.mark.parametrize("path", FILES, ids=_ids)
def test_results_touch_only_the_citations_concerned(path: Path) -> None:
    text = path.read_text("utf-8")
    templates = [t for _, t in _citations(mwparserfromhell.parse(text))]
    if not templates:
        pytest.skip(f"{path.name}: no <ref> citation with a url to apply results to")
    results = _results(templates)
    outcome = apply_results(text, results, FixOptions(wiki="en"))
    assert not outcome.unmatched
    assert outcome.text != text
    urls = {r.reference.url or "" for r in results}
    before_rest, before_cites = _set_aside(text, urls)
    after_rest, after_cites = _set_aside(outcome.text, urls)
    assert after_rest == before_rest  # everything else, byte for byte
    assert len(after_cites) == len(before_cites) == len(results)
    for before, after, result in zip(before_cites, after_cites, results, strict=True):
        # Values compared without their trailing space: the last parameter's is what stood
        # before "}}", and moves after the parameters added behind it.
        kept = [(str(p.name), str(p.value).rstrip()) for p in before.params]
        now = [(str(p.name), str(p.value).rstrip()) for p in after.params]
        unedited = [
            (str(p.name), str(p.value)) for p in after.params if str(p.name).strip() in EDITED
        ]
        # Every parameter the citation had is still there, as written, but those fixed.
        for name, value in kept:
            if name.strip() not in EDITED:
                assert (name, value) in now
        if result.verdict is Verdict.RESCUED:
            cited = [v for n, v in kept if n.strip() in ("archive-url", "archiveurl") and v.strip()]
            # An archive the citation already names stays; else the snapshot is cited.
            archive = cited[0].strip() if cited else result.archive.snapshot_url
            assert any(value.strip() == archive for _, value in unedited), after
            assert any(value.strip() in ("dead", "yes") for _, value in unedited), after
    assert outcome.matched == len(results)
