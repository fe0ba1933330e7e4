"""Author lists as CS1 renders them: ``Family, Given; Family, Given.``

A title can look like that too ("Ukraine, South Korea sign agreement."), so a name part
must be a few words each starting with a capital (or an uncased script such as CJK);
anything else is not an author list and stays in the title.
"""

from __future__ import annotations

import re

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


def cs1_lead_names(text: str) -> list[Author]:
    """The names CS1 sets before "(date).": ``Family, Given; Family, Given & Family``, or
    a name written whole (``|author=Statistics New Zealand``), ``et al.`` left out. Each
    as CS1's COinS gives it: "Family, Given" split at the comma, else the name whole. No
    dot was eaten here (the date follows), so none is put back."""
    out = []
    for part in re.split(r";\s+|\s+&\s+", text.strip()):
        part = part.strip()
        if not part or part.casefold() in ("et al.", "et al"):
            continue
        family, _, given = (p.strip() for p in part.partition(", "))
        out.append(Author(family=family, given=given or None))
    return out


def _with_initial_dot(given: str) -> str:
    """CS1 does not double a dot: "Barnes, Julian E. Title" had the given name "Julian E."."""
    last = given.split()[-1]
    return given + "." if re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", last) else given


# -- the name lists of rendered citations (plain text) ---------------------------------
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "la", "le",
              "bin", "ibn", "al", "el", "y", "dos", "das", "ter", "zu", "St."}
_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.(?:\s?-?[A-Z][a-z]?\.)*|[A-Z]{1,3})")
_VANCOUVER = re.compile(r"[A-Z][a-z][\w'’-]*(?: [A-Z][a-z][\w'’-]*)? [A-Z]{1,3}")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf·・]{2,5}")


def _latin_name(text: str, *, allow_initials: bool = True) -> bool:
    words = text.split()  # "Jean-Denis", "Min-jun": one word each
    if not 0 < len(words) <= 4:
        return False
    for w in words:
        if w in _PARTICLES or w.casefold() in _PARTICLES:
            continue
        if not (w[0].isalpha() and w[0].isupper()) or any(c.isdigit() for c in w):
            return False
        if not allow_initials and _INITIALS.fullmatch(w):
            return False
    return not all(w in _PARTICLES for w in words)


# Words that start titles and rubrics, not names ("Breaking News. …").
_NOT_NAMES = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "new", "news", "breaking",
              "report", "update", "live", "exclusive", "interview", "official", "world", "north",
              "south", "east", "west", "united", "republic", "state", "states", "national"}
_LATIN_WORD = re.compile(r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?|[A-Z]\.")


def lone_latin_name(text: str) -> Author | None:
    """"Sarah Hartwell", "John A. Smith": a lone name in Latin script written given name
    first (CS1's |author=), or None. Only the caller knows whether the place is an
    author's; Cyrillic or CJK rubrics ("Северная Корея. …") are never taken for one."""
    words = text.strip().rstrip(".").split()
    if not 2 <= len(words) <= 3 or not all(_LATIN_WORD.fullmatch(w) for w in words):
        return None
    if any(w.casefold() in _NOT_NAMES for w in words) or len(words[-1]) < 2 or "." in words[0]:
        return None
    return Author(family=words[-1], given=" ".join(words[:-1]))


def parse_author_list(text: str, *, cjk_needs_more: bool = False) -> list[Author] | None:
    """A rendered name list, or None when ``text`` is not one (it is then a title).

    ``Family, Given; Family, Given & Family, Given`` (CS1), ``Given Family; Given Family``,
    Vancouver ``Family AB, Family C``, ``… & Lastname``, ``…; et al.``, and CJK names
    (``胡苓芝、李冠群``; a lone CJK name only when ``cjk_needs_more`` is false).
    """
    text = text.strip().rstrip(".").strip()
    if not text or any(c in text for c in "\"“”«»《》?!|") or re.search(r"\d", text):
        return None
    if _CJK_NAME.fullmatch(text) or "、" in text:
        parts = text.split("、")
        if all(_CJK_NAME.fullmatch(p.strip()) for p in parts) and (len(parts) > 1
                                                                   or not cjk_needs_more):
            return [Author(family=p.strip()) for p in parts]
        return None
    parts = [p.strip() for p in re.split(r";\s+|\s+&\s+|\s+and\s+(?=[A-Z])", text)]
    if parts and parts[-1].casefold() in ("et al", "et al.", "等", "等人"):
        parts = parts[:-1]
    if not parts or any(not p for p in parts):
        return None
    # Vancouver: "Nassar R, Mosier JE, Williams LW"
    vancouver = [p.strip() for p in text.split(", ")]
    if all(_VANCOUVER.fullmatch(p) for p in vancouver):
        return [Author(family=p.rsplit(" ", 1)[0], given=p.rsplit(" ", 1)[1]) for p in vancouver]
    if "," in parts[0]:
        authors = []
        for i, part in enumerate(parts):
            family, sep, given = part.partition(",")
            given = given.strip()
            if not _latin_name(family):
                return None
            if sep and not (given and _latin_name(given) and "," not in given):
                return None
            if not sep and (i == 0 or i < len(parts) - 1):  # "… & Lastname" only last
                return None
            authors.append(Author(family=family.strip(),
                                  given=_with_initial_dot(given) if given else None))
        return authors
    # "Carlos A. Driscoll; Juliet Clutton-Brock": given names first, two names at least.
    if len(parts) >= 2 and all(_latin_name(p) and len(p.split()) >= 2 and "," not in p
                               for p in parts):
        return [Author(family=p.split()[-1], given=" ".join(p.split()[:-1])) for p in parts]
    return None
