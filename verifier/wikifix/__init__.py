"""``verify-refs fix``: an article's wikitext with the fixes of a report applied.

``apply_results(wikitext, results, options)`` finds each result's citation in the
article (by its URL, read and normalised as the main job reads it; by title where several
citations share a URL; a result found nowhere, or not told apart, is returned unmatched,
never guessed) and edits, per verdict, the template the reference already uses:

- ``rescued``: archive URL and date of the snapshot, ``url-status=dead`` (``usurped``
  for a page that drifted to someone else's content); a following dead-link mark goes;
- a cited archive that is not usable, with a usable snapshot found: the archive replaced;
- ``lost``: the wiki's dead-link template after the citation;
- ``healthy`` but marked dead: ``url-status=live``; with ``add_archives``, a healthy
  citation without an archive gets the snapshot and ``url-status=live``;
- a bare link in a ``<ref>`` gets ``{{webarchive|url=…|date=…}}`` (or the dead-link mark).

Parameter names, spacing and date forms follow the template and the article (see
``style``). mwparserfromhell gives back every byte it read, so nothing outside the
touched templates changes. Pure: no I/O, no clock (``options.today`` is passed in).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import mwparserfromhell
from mwparserfromhell.nodes import Node, Template, Text
from mwparserfromhell.wikicode import Wikicode

from .. import __version__
from ..check import url_of
from ..model import ArchiveStatus, CitedArchive, Reference, ReferenceResult, Verdict

# The wikitext parser's own readings of a citation, so that a template is matched by the
# very URL and title the main job checked.
from ..parse.merge import normalise_title
from ..parse.wikitext import LINK_URL, citation_params, is_citation, read_url_status
from ..verdict import snapshot_date, url_status_for
from . import style
from .edit import add_param, find_param, set_value, value_of

__all__ = ["Edit", "FixOptions", "FixOutcome", "apply_results", "unified_diff"]

# Edit kinds, in the order the summary names them.
RESCUED = "rescued"
REPLACED = "replaced"
DEAD = "dead"
LIVE = "live"
ARCHIVED = "archived"
_PHRASES = {
    RESCUED: ("rescued {n} source", "rescued {n} sources"),
    REPLACED: ("replaced {n} unusable archive link", "replaced {n} unusable archive links"),
    DEAD: ("marked {n} dead", "marked {n} dead"),
    LIVE: ("marked {n} live", "marked {n} live"),
    ARCHIVED: ("archived {n} live source", "archived {n} live sources"),
}


@dataclass(frozen=True, kw_only=True)
class FixOptions:
    wiki: str = "en"  # the wiki's language: its dead-link template and date forms
    add_archives: bool = False  # archive every healthy citation that has no archive yet
    today: date | None = None  # the dead-link date for a result without a check time


@dataclass(frozen=True)
class Edit:
    id: str  # the reference's id in the report
    kind: str


@dataclass
class FixOutcome:
    text: str
    edits: list[Edit] = field(default_factory=list)
    unmatched: list[ReferenceResult] = field(default_factory=list)  # not in the article
    matched: int = 0  # results whose citation was found

    def counts(self) -> Counter[str]:
        return Counter(kind for _, kind in {(e.id, e.kind) for e in self.edits})

    def summary(self) -> str:
        """The edit summary: "Rescued 3 sources, marked 1 dead (verify-refs 0.1.0)"."""
        counts = self.counts()
        parts = [
            _PHRASES[kind][counts[kind] != 1].format(n=counts[kind])
            for kind in _PHRASES
            if counts[kind]
        ]
        said = ", ".join(parts) if parts else "no change"
        return f"{said[0].upper()}{said[1:]} (verify-refs {__version__})"


@dataclass
class _Site:
    """One citation in the article that a result can be applied to."""

    node: Node  # the citation template, or a bare link's ExternalLink
    holder: Wikicode  # the <ref>'s contents, which hold the node itself
    url: str | None
    title: str  # normalised, for telling apart citations of one URL
    bare: bool


@dataclass(frozen=True)
class _Context:
    options: FixOptions
    article_dates: str | None  # dmy / mdy from {{use … dates}}


def apply_results(
    wikitext: str, results: list[ReferenceResult], options: FixOptions | None = None
) -> FixOutcome:
    options = options or FixOptions()
    code = mwparserfromhell.parse(wikitext)
    pairs, unmatched, matched = _match(results, list(_sites(code)))
    context = _Context(options, style.article_date_style(wikitext))
    edits: list[Edit] = []
    for result, site in pairs:
        apply = _edit_bare if site.bare else _edit_template
        edits += [Edit(result.reference.id, kind) for kind in apply(site, result, context)]
    # Always the parsed text given back, changed or not: a round trip that lost a byte
    # would show here, in the tests on real articles, not only when something was fixed.
    return FixOutcome(text=str(code), edits=edits, unmatched=unmatched, matched=matched)


# --- finding the citations -------------------------------------------------------------


def _url_key(raw: str | None) -> str | None:
    return url_of(Reference(id="", url=raw))


def _sites(code: Wikicode) -> Iterator[_Site]:
    """Each <ref>'s citation templates, or its first bare link when it has none (as the
    wikitext parser reads a <ref>)."""
    for tag in code.filter_tags(recursive=True):
        if str(tag.tag).strip().lower() != "ref" or tag.contents is None:
            continue
        contents = tag.contents
        citations = [t for t in contents.filter_templates(recursive=False) if is_citation(t)]
        for template in citations:
            params = citation_params(template)
            yield _Site(
                template,
                contents,
                _url_key(params.get("url")),
                normalise_title(params.get("title")),
                bare=False,
            )
        links = contents.filter_external_links(recursive=False)
        if not citations and links:
            found = LINK_URL.search(str(contents))
            plain = " ".join(contents.strip_code().split())
            yield _Site(
                links[0],
                contents,
                _url_key(found.group(0) if found else None),
                normalise_title(plain),
                bare=True,
            )


def _match(
    results: list[ReferenceResult], sites: list[_Site]
) -> tuple[list[tuple[ReferenceResult, _Site]], list[ReferenceResult], int]:
    """(result, citation) pairs, the results found nowhere, and how many were found."""
    by_url: dict[str, list[_Site]] = {}
    for site in sites:
        if site.url:
            by_url.setdefault(site.url, []).append(site)
    groups: dict[tuple[int, ...], tuple[list[_Site], list[ReferenceResult]]] = {}
    unmatched: list[ReferenceResult] = []
    for result in results:
        url = url_of(result.reference)
        if url is None:
            continue  # nothing to find it by, and nothing to fix
        candidates = by_url.get(url, [])
        if len(candidates) > 1:
            title = normalise_title(result.reference.title)
            same = [s for s in candidates if s.title == title]
            if same:
                candidates = same
            elif len({s.title for s in candidates}) > 1:
                candidates = []  # several citations of this URL, none with its title
        if not candidates:
            unmatched.append(result)
            continue
        key = tuple(id(s) for s in candidates)
        groups.setdefault(key, (candidates, []))[1].append(result)
    pairs: list[tuple[ReferenceResult, _Site]] = []
    for candidates, found in groups.values():
        if len(found) == len(candidates):  # the same citation written out n times
            pairs += zip(found, candidates, strict=True)
        else:  # one result for all of them
            pairs += [(found[0], site) for site in candidates]
    return pairs, unmatched, sum(len(found) for _, found in groups.values())


# --- the edits -------------------------------------------------------------------------


def _snapshot(result: ReferenceResult) -> tuple[str | None, date | None]:
    archive = result.archive
    if archive.status is not ArchiveStatus.ARCHIVED or not archive.snapshot_url:
        return None, None
    day = snapshot_date(archive.snapshot_timestamp)
    return archive.snapshot_url, date.fromisoformat(day) if day else None


def _checked_day(result: ReferenceResult, options: FixOptions) -> date:
    checked = result.live.checked_at or ""
    try:
        return date.fromisoformat(checked[:10])
    except ValueError:
        return options.today or date.today()


def _edit_template(site: _Site, result: ReferenceResult, context: _Context) -> list[str]:
    template = site.node
    assert isinstance(template, Template)
    wiki = context.options.wiki
    names = [str(p.name) for p in template.params if p.showkey]
    naming = style.naming_style(names)
    archive_url = find_param(template, style.aliases("archive_url"))
    has_archive = bool(value_of(archive_url))
    snapshot, day = _snapshot(result)
    verdict = result.verdict
    kinds: list[str] = []

    def put(key: str, value: str) -> None:
        param = find_param(template, style.aliases(key))
        if key == "url_status":
            name = str(param.name) if param is not None else style.param_name(key, naming, wiki)
            value = style.url_status_value(value, name, value_of(param))
        if param is not None:
            set_value(template, param, value)
        else:
            add_param(template, style.param_name(key, naming, wiki), value)

    def put_archive() -> None:
        assert snapshot is not None
        put("archive_url", snapshot)
        if day is not None:
            dates = [
                value_of(find_param(template, style.aliases(k)))
                for k in ("archive_date", "access_date", "date")
            ]
            when = style.date_style(wiki, context.article_dates, dates)
            put("archive_date", style.format_date(day, when))

    cited_bad = result.archive.cited_archive is CitedArchive.NOT_FOUND
    if verdict is Verdict.RESCUED and snapshot:
        # An archive link the citation already has and the check did not find wanting
        # is the editor's choice: it stays.
        if not has_archive or cited_bad:
            put_archive()
        put("url_status", url_status_for(result.live))
        _drop_dead_mark(site)
        kinds.append(RESCUED)
    elif snapshot and cited_bad and has_archive:
        put_archive()
        kinds.append(REPLACED)
    elif verdict is Verdict.LOST:
        mark = style.dead_link_template(wiki, _checked_day(result, context.options))
        if _insert_after(site, mark):
            kinds.append(DEAD)
    status = find_param(template, style.aliases("url_status"))
    if verdict is Verdict.HEALTHY and read_url_status(value_of(status) or None) == "dead":
        put("url_status", "live")
        kinds.append(LIVE)
    if context.options.add_archives and verdict is Verdict.HEALTHY and snapshot and not has_archive:
        put_archive()
        put("url_status", "live")
        kinds.append(ARCHIVED)
    return kinds


def _edit_bare(site: _Site, result: ReferenceResult, context: _Context) -> list[str]:
    snapshot, day = _snapshot(result)
    verdict = result.verdict
    archive_it = verdict is Verdict.RESCUED or (
        context.options.add_archives and verdict is Verdict.HEALTHY
    )
    if snapshot and archive_it:
        if _followed_by(site, style.WEBARCHIVE_NAMES):
            return []
        if verdict is Verdict.RESCUED:
            _drop_dead_mark(site)
        when = style.date_style(context.options.wiki, context.article_dates, [])
        site.holder.insert_after(site.node, style.webarchive_template(snapshot, day, when))
        return [RESCUED] if verdict is Verdict.RESCUED else [ARCHIVED]
    if verdict is Verdict.LOST:
        mark = style.dead_link_template(context.options.wiki, _checked_day(result, context.options))
        return [DEAD] if _insert_after(site, mark) else []
    return []


def _next_template(site: _Site) -> Template | None:
    """The template right after the citation (spaces between allowed), if any."""
    nodes = list(site.holder.nodes)
    index = next(i for i, n in enumerate(nodes) if n is site.node)
    for node in nodes[index + 1 :]:
        if isinstance(node, Text) and not node.value.strip():
            continue
        return node if isinstance(node, Template) else None
    return None


def _followed_by(site: _Site, names: set[str]) -> bool:
    following = _next_template(site)
    return following is not None and str(following.name).strip().lower() in names


def _insert_after(site: _Site, text: str) -> bool:
    """Put ``text`` right after the citation, unless a dead-link mark is there already."""
    if _followed_by(site, style.DEAD_LINK_NAMES):
        return False
    site.holder.insert_after(site.node, text)
    return True


def _drop_dead_mark(site: _Site) -> None:
    """A rescued citation is no dead link: its dead-link mark (and the spaces before it)
    goes, as the Internet Archive's bot does."""
    following = _next_template(site)
    if following is None or str(following.name).strip().lower() not in style.DEAD_LINK_NAMES:
        return
    nodes = list(site.holder.nodes)  # a copy: slices of mwparserfromhell's list are live
    start = next(i for i, n in enumerate(nodes) if n is site.node) + 1
    end = next(i for i, n in enumerate(nodes) if n is following)
    for node in nodes[start : end + 1]:
        site.holder.remove(node)


def unified_diff(before: str, after: str, name: str) -> str:
    """``after`` against ``before`` as a unified diff (``a/NAME`` → ``b/NAME``), as
    ``diff -u`` and ``git diff`` write it, a missing final newline marked."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
