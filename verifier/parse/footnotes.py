"""Footnotes that templates make: ``{{sfn}}``/``{{sfnp}}`` (a short citation: "Smith
2001, p. 5", numbered like any ``<ref>``, identical ones merged), ``{{refn}}`` (a
``<ref>`` written as a template) and ``{{r}}`` (reuses of named refs).

A short citation points at a full citation elsewhere in the article (a bibliography's
``{{cite book}}``), linked as MediaWiki links them: the CITEREF anchor made of up to four
author (else editor) surnames and the year, or the citation's ``|ref={{sfnref|…}}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mwparserfromhell.nodes import Node, Tag, Template
from mwparserfromhell.wikicode import Wikicode

from . import cs1
from .wikirender import render, template_name

SHORT = frozenset({"sfn", "sfnp", "shortened footnote template", "sfn whole"})
_REFN = frozenset({"refn", "ref note"})
_REUSE = frozenset({"r", "rp name"})
_YEAR = re.compile(r"\d{4}(?:[a-z]|–\d{2,4})?|n\.d\.|nd|c\. \d{4}", re.I)


@dataclass(frozen=True)
class Use:
    """One use of a footnote: its key (``name:…``, ``sfn:…``, or None for a new
    anonymous one), its name, and its content when this use defines it."""

    key: str | None
    name: str | None
    content: Wikicode | None
    short: Template | None = None  # the {{sfn}} this footnote is


def is_footnote(node: Node) -> bool:
    if isinstance(node, Tag):
        return str(node.tag).strip().lower() == "ref"
    return isinstance(node, Template) and template_name(node) in SHORT | _REFN | _REUSE


def uses(node: Node) -> list[Use]:
    """The footnote uses ``node`` makes (none for a note: a ``group=``)."""
    if isinstance(node, Tag):
        if _tag_attr(node, "group"):
            return []
        name = _tag_attr(node, "name")
        content = node.contents if str(node.contents or "").strip() else None
        return [Use(f"name:{name}" if name else None, name, content)]
    assert isinstance(node, Template)
    kind = template_name(node)
    if _param(node, "group"):
        return []
    if kind in SHORT:
        return [Use("sfn:" + short_key(node), None, None, short=node)]
    if kind in _REFN:
        name = _param(node, "name")
        content = node.get("1").value if node.has("1") else None
        return [Use(f"name:{name}" if name else None, name, content)]
    names = [render(p.value) for p in node.params if not p.showkey]
    return [Use(f"name:{n}", n, None) for n in names if n]


def short_key(template: Template) -> str:
    """The anchor a short citation links to: its surnames and year, run together."""
    return _anchor(_positional(template))


def citeref_key(template: Template) -> str | None:
    """The anchor a full citation template makes, or None without names and a year."""
    ref = template.get("ref").value if template.has("ref") else None
    if ref is not None:
        for inner in ref.filter_templates(recursive=False):
            if template_name(inner) in ("sfnref", "harvid"):
                return _anchor(_positional(inner))
        if render(ref) not in (None, "harv"):
            return None  # an anchor of its own making
    surnames: dict[str, dict[int, str]] = {}
    year = None
    for param in template.params:
        name = str(param.name).strip()
        found = cs1.name_list(name)
        if found is not None and found[0] in ("author_last", "editor_last") and found[1] <= 4:
            value = render(param.value)
            if value:
                surnames.setdefault(found[0], {})[found[1]] = value
        elif (
            cs1.parameter(name) in ("year", "date")
            and year is None
            and (m := re.search(r"\d{4}[a-z]?", render(param.value) or ""))
        ):
            year = m.group(0)
    names = surnames.get("author_last") or surnames.get("editor_last")
    if not names or year is None:
        return None
    return _anchor([names[i] for i in sorted(names)] + [year])


def short_text(template: Template) -> str:
    """What the reader sees: "Smith & Jones 2001, p. 5"."""
    values = _positional(template)
    year = values[-1] if values and _YEAR.fullmatch(values[-1]) else None
    names = values[:-1] if year else values
    if len(names) >= 4:
        who = f"{names[0]} et al."
    elif len(names) >= 2:
        who = ", ".join(names[:-1]) + " & " + names[-1]
    else:
        who = "".join(names)
    text = who if not year else (f"{who} ({year})" if template_name(template) == "sfnp"
                                 else f"{who} {year}")
    for key, prefix in (("p", ", p. "), ("page", ", p. "), ("pp", ", pp. "), ("pages", ", pp. "),
                        ("loc", ", ")):
        if value := _param(template, key):
            text += prefix + value
            break
    return text + "."


def _positional(template: Template) -> list[str]:
    return [render(p.value) or "" for p in template.params if not p.showkey]


def _anchor(parts: list[str]) -> str:
    return "".join("".join(p.split()) for p in parts).casefold()


def _param(template: Template, name: str) -> str | None:
    return render(template.get(name).value) if template.has(name) else None


def _tag_attr(tag: Tag, name: str) -> str | None:
    if tag.has(name):
        value = str(tag.get(name).value).strip().strip("\"'")
        return value or None
    return None
