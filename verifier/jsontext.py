"""JSON for people to read: indented by 2, non-ASCII kept as is; the one way verify-refs
writes it (report.json, references.json, the reports' index, ``parse --list``)."""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps_indented(data: Any) -> str:
    """``data`` as JSON indented by 2, non-ASCII kept as is: ``json.dumps(data,
    ensure_ascii=False, indent=2)``'s text, written by orjson.

    Why orjson: with ``indent`` the standard library leaves its C encoder and walks the
    data in Python; for 20,000 references that was 0.35–0.5 s of every large run, after
    the checks, with nothing to overlap it (orjson: ~0.03 s). Its text is the standard
    library's except in what JSON leaves open: a float below 1e-4 is written without an
    exponent or with a one-digit one (``0.00005``, ``1e-7``; json: ``5e-05``, ``1e-07``),
    the same number; NaN and infinities, which JSON has no words for, are ``null``
    (json writes ``NaN``, which JSON readers refuse). Keys that are not strings are
    written as json writes them. What orjson refuses (an integer beyond 64 bits, and
    the dataclasses and datetimes it would otherwise write on its own) is left to
    json.dumps, which raises for what it cannot write, as it always did.
    """
    try:
        return orjson.dumps(data, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return _stdlib(data)


# Enum and number keys as json writes them; the keys' order is the dict's, as in json.
# What json cannot write is not written by orjson either (passed through: refused).
_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)


def _stdlib(data: Any) -> str:
    # Non-ASCII kept as is: the titles are Cyrillic and CJK, and people read this file too.
    return json.dumps(data, ensure_ascii=False, indent=2)
