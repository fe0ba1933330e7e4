"""Author lists as CS1 renders them: ``Family, Given; Family, Given.``

A title can look like that too ("Ukraine, South Korea sign agreement."), so a name part
must be a few words each starting with a capital (or an uncased script such as CJK);
anything else is not an author list and stays in the title.
"""

from __future__ import annotations

from ..model import Author

_MAX_WORDS = 3


def _name_word(word: str) -> bool:
    first = word[0]
    return first.isalpha() and not first.islower()


def _name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= _MAX_WORDS and all(_name_word(w) for w in words)


def parse_authors(text: str) -> list[Author] | None:
    """``text`` as a list of authors, or None when it is not one."""
    authors = []
    for part in text.split("; "):
        family, sep, given = part.partition(", ")
        if not sep or not _name(family) or not _name(given) or "," in given:
            return None
        authors.append(Author(family=family.strip(), given=_with_initial_dot(given.strip())))
    return authors


def split_leading_authors(head: str) -> tuple[list[Author], str]:
    """Authors at the start of ``head`` (up to the first ". ") and the rest of it."""
    names, sep, rest = head.partition(". ")
    if not sep or not rest.strip():
        return [], head
    authors = parse_authors(names)
    if authors is None:
        return [], head
    return authors, rest


def _with_initial_dot(given: str) -> str:
    """CS1 does not double a dot: "Barnes, Julian E. Title" had the given name "Julian E."."""
    last = given.split()[-1]
    return given + "." if len(last) == 1 and last.isalpha() else given
