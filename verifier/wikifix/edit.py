"""Editing one template's parameters in place, in the template's own spacing style.

mwparserfromhell keeps every byte of what it parsed; these helpers change only the value
of one parameter (keeping the whitespace around it) or add one parameter after the last,
spaced as the template spaces its others: ``|a=1|b=2``, ``| a = 1 | b = 2 ``, one
parameter a line with ``}}`` on its own line, ...
"""

from __future__ import annotations

from collections.abc import Iterable

from mwparserfromhell.nodes import Template
from mwparserfromhell.nodes.extras import Parameter


def split_space(text: str) -> tuple[str, str, str]:
    """(leading whitespace, the rest, trailing whitespace); all-space text is trailing."""
    core = text.strip()
    if not core:
        return "", "", text
    start = text.index(core[0])
    return text[:start], core, text[start + len(core) :]


def find_param(template: Template, names: Iterable[str]) -> Parameter | None:
    """The parameter that carries one of ``names``: the last given (as MediaWiki reads a
    repeated parameter), preferring one with a value over an empty one."""
    wanted = set(names)
    found = [p for p in template.params if p.showkey and str(p.name).strip() in wanted]
    filled = [p for p in found if str(p.value).strip()]
    return (filled or found or [None])[-1]


def value_of(param: Parameter | None) -> str:
    return str(param.value).strip() if param is not None else ""


def set_value(template: Template, param: Parameter, value: str) -> bool:
    """Replace ``param``'s value, keeping the whitespace around it. True if it changed."""
    lead, core, trail = split_space(str(param.value))
    if core == value:
        return False
    if not core:  # an empty parameter: space it as the others are
        lead = _value_lead(template)
        trail = trail[len(lead) :] if trail.startswith(lead) else trail
    param.value = lead + value + trail
    return True


def add_param(template: Template, name: str, value: str) -> None:
    """Add ``name=value`` after the template's last parameter, in its spacing style."""
    params = template.params
    keyed = [p for p in params if p.showkey]
    model = keyed[-1] if keyed else None
    name_lead, _, name_trail = split_space(str(model.name)) if model else ("", "", "")
    if not params:
        template.add(name, value, preserve_spacing=False)
        return
    last = params[-1]
    lead, core, tail = split_space(str(last.value))
    # What stands before each "|": the whitespace that ends a parameter followed by another.
    between = split_space(str(params[-2].value))[2] if len(params) > 1 else tail
    last.value = lead + core + between
    template.add(
        f"{name_lead}{name}{name_trail}",
        f"{_value_lead(template)}{value}{tail}",
        preserve_spacing=False,
    )


def _value_lead(template: Template) -> str:
    """The space a value starts with in this template (``| url = x``: one space)."""
    for param in reversed(template.params):
        lead, core, _ = split_space(str(param.value))
        if param.showkey and core:
            return lead
    return ""
