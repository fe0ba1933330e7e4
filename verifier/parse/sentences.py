"""The sentences of an article's body that cite each reference.

Every parser turns the body into lines of text where a citation is the mark ``[n]`` (as
the rendered article shows it), so one splitter serves text, HTML and wikitext.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_MARK = re.compile(r"\[(\d+)\]")
_NOTE_MARK = re.compile(r"\[[a-z]\]")
_EDIT_LINK = re.compile(r"\[(?:编辑|編輯|edit|править(?: \| править код)?)\]")
# A sentence runs to a full stop (CJK or Latin, followed by space or end) and any closing
# quotes; a citation mark right after the stop still belongs to that sentence.
_SENTENCE = re.compile(
    r".*?(?:[。！？](?:[”」』’\"]*)|[.!?][”’\"»]*(?=\s|\[|$)|$)(?:\[[^\]\s]{1,4}\])*",
    re.S,
)


def citing_sentences(lines: Iterable[str]) -> dict[str, list[str]]:
    """Map reference id -> the distinct sentences citing it, in article order, marks removed."""
    found: dict[str, list[str]] = {}
    for line in lines:
        for sentence in split_sentences(_EDIT_LINK.sub("", line)):
            ids = _MARK.findall(sentence)
            if not ids:
                continue
            clean = " ".join(_NOTE_MARK.sub("", _MARK.sub("", sentence)).split())
            for rid in ids:
                bucket = found.setdefault(rid, [])
                if clean and clean not in bucket:
                    bucket.append(clean)
    return found


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
