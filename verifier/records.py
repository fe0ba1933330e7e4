"""``references.json``: an article's references as records, loaded, validated and written.

The file is the hand-off between the parsers and the checker, and it is committed, so
``dumps`` is byte-for-byte reproducible: UTF-8 as written (no ``\\u`` escapes), two-space
indent, a fixed key order, no timestamps, a trailing newline. ``write_references`` never
leaves a half-written file behind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from .atomic import write_atomic
from .errors import InputError
from .jsontext import dumps_indented
from .model import REFERENCE_KEYS, Reference

# ``source`` keys in the order they are written; any others follow, sorted.
SOURCE_KEYS = ("title", "language", "url", "file", "format")


@dataclass(frozen=True)
class InputProblem:
    """Damage in an article (a broken reference) that was skipped while the rest was read:
    lint reports it with its line. Never written to the references file."""

    line: int
    message: str


@dataclass
class Article:
    """Where the references came from (``source``), the references, in article order, and
    the damage met while reading them."""

    source: dict[str, Any] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


@cache
def schema() -> dict[str, Any]:
    text = resources.files("verifier").joinpath("schema/references.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    """One validator for the run, built from the schema with its local ``$ref``s inlined:
    resolving a ``$ref`` costs more than the check it leads to, and a references file of
    20,000 records meets ~15 of them per record."""
    return jsonschema.Draft202012Validator(_flat_schema())


@cache
def _flat_schema() -> dict[str, Any]:
    root = schema()
    return _inline_refs(root, root.get("$defs", {}))


def _inline_refs(node: Any, defs: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """``node`` with every bare ``{"$ref": "#/$defs/NAME"}`` replaced by the definition.
    A recursive definition keeps its ``$ref`` (the root still holds ``$defs``)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name in defs and name not in seen:
                return _inline_refs(defs[name], defs, (*seen, name))
        return {key: _inline_refs(value, defs, seen) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, defs, seen) for value in node]
    return node


@dataclass(frozen=True)
class _RecordPlan:
    """The schema split for a quick check of valid files: the file without its records,
    and each record field on its own, so that a value met in many records (a language, a
    date, null) is checked once."""

    top: jsonschema.Draft202012Validator  # the file, its records left out
    required: tuple[str, ...]
    fields: dict[str, jsonschema.Draft202012Validator]
    # For the plainest fields (a string or null, maybe a pattern or a least length): a
    # check by hand that says "valid" only where jsonschema would; anything else it meets
    # goes to the field's validator. Titles, URLs and ids are nearly all distinct, so the
    # memo below cannot spare their checks: ~60,000 jsonschema calls for 20,000 records.
    plain: dict[str, Callable[[Any], bool]] = field(default_factory=dict)


@cache
def _record_plan() -> _RecordPlan | None:
    """The plan, or None when the schema is not of the shape it relies on: records that
    are objects whose fields are checked independently (type, required, properties only,
    no references left). Then only the full validation is used."""
    flat = _flat_schema()
    refs = flat.get("properties", {}).get("references")
    if not isinstance(refs, dict) or set(refs) != {"type", "items"} or refs["type"] != "array":
        return None
    record = refs["items"]
    if not isinstance(record, dict) or not set(record) <= {"type", "required", "properties"}:
        return None
    if record.get("type") != "object" or "$ref" in json.dumps(record):
        return None
    top = {**flat, "properties": {**flat["properties"], "references": {"type": "array"}}}
    return _RecordPlan(
        top=jsonschema.Draft202012Validator(top),
        required=tuple(record.get("required", ())),
        fields={k: jsonschema.Draft202012Validator(v) for k, v in record["properties"].items()},
        plain={k: c for k, v in record["properties"].items() if (c := _plain_check(v))},
    )


_PLAIN_KEYWORDS = frozenset({"type", "pattern", "minLength", "description"})


def _plain_check(schema: Any) -> Callable[[Any], bool] | None:
    """For a field whose schema only says string (or null), with at most a pattern and a
    least length: True for a value that is certainly valid, the keywords' own meaning in
    JSON Schema (pattern: re.search; minLength: characters); False means "ask jsonschema".
    None for any other schema."""
    if not isinstance(schema, dict) or not set(schema) <= _PLAIN_KEYWORDS:
        return None
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "string" not in types or not set(types) <= {"string", "null"}:
        return None
    pattern = schema.get("pattern")
    least = schema.get("minLength", 0)
    if (pattern is not None and not isinstance(pattern, str)) or type(least) is not int:
        return None
    search = re.compile(pattern).search if pattern is not None else None
    null_ok = "null" in types

    def check(value: Any) -> bool:
        if value is None:
            return null_ok
        return (
            type(value) is str
            and len(value) >= least
            and (search is None or search(value) is not None)
        )

    return check


def _certainly_valid(data: Any) -> bool:
    """True only if ``data`` is valid; False says "look closer" (the full validation
    decides, and words the error)."""
    plan = _record_plan()
    if plan is None or not isinstance(data, dict):
        return False
    records = data.get("references")
    if not isinstance(records, list) or not plan.top.is_valid({**data, "references": []}):
        return False
    seen: dict[tuple[str, type, Any], bool] = {}
    for record in records:
        if not isinstance(record, dict) or any(k not in record for k in plan.required):
            return False
        for key, value in record.items():
            check = plan.fields.get(key)
            if check is None:
                continue  # extra keys are allowed
            plain = plan.plain.get(key)
            if plain is not None and plain(value):
                continue
            if value is None or isinstance(value, (str, int, float)):
                # The type is part of the key: True == 1, but only 1 is an integer.
                memo = (key, type(value), value)
                ok = seen.get(memo)
                if ok is None:
                    ok = seen[memo] = check.is_valid(value)
            else:
                ok = check.is_valid(value)
            if not ok:
                return False
    return True


def validate(data: Any, where: str) -> None:
    """Raise InputError naming ``where`` and the record id when ``data`` breaks the schema."""
    if not _certainly_valid(data):
        errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            raise InputError(f"{where}: {_all_problems(data, errors)}")
    seen: set[str] = set()
    for record in data["references"]:
        if record["id"] in seen:
            raise InputError(f"{where}: record {record['id']}: the id is used twice")
        seen.add(record["id"])


# Problems named in the one line of a bad references file; the rest are counted.
MAX_PROBLEMS = 5


def _all_problems(data: Any, errors: list[jsonschema.ValidationError]) -> str:
    """Every problem (up to MAX_PROBLEMS) in one line: fixing a file one error per run is
    slow, and the first error need not be the one that matters."""
    described = list(dict.fromkeys(_describe(data, e) for e in errors))
    shown = "; ".join(described[:MAX_PROBLEMS])
    if len(described) == 1:
        return shown
    more = len(described) - MAX_PROBLEMS
    tail = f"; and {more} more" if more > 0 else ""
    return f"{len(described)} problems: {shown}{tail}"


def _message(error: jsonschema.ValidationError) -> str:
    """The schema's words for what was expected, not its raw regular expression."""
    meaning = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator == "pattern" and meaning:
        return f"{error.instance!r} is not {meaning}"
    return error.message


def _describe(data: Any, error: jsonschema.ValidationError) -> str:
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "references" and isinstance(path[1], int):
        record = data["references"][path[1]]
        rid = record.get("id") if isinstance(record, dict) else None
        label = f"record {rid}" if isinstance(rid, str) else f"references[{path[1]}]"
        key = ".".join(str(p) for p in path[2:])
        return f"{label}: {key + ': ' if key else ''}{_message(error)}"
    where = ".".join(str(p) for p in path) or "top level"
    return f"{where}: {_message(error)}"


def from_data(data: Any, where: str) -> Article:
    validate(data, where)
    return Article(
        source=dict(data["source"]),
        references=[Reference.from_dict(r) for r in data["references"]],
    )


def loads(text: str, where: str) -> Article:
    return from_data(json_document(text, where), where)


def json_document(text: str, where: str) -> Any:
    """``text`` as JSON; an ``InputError`` naming ``where`` and the line when it is not."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.lineno}: invalid JSON: {exc.msg}") from None


def load_references(path: Path) -> Article:
    """Read and validate a references file; InputError (file and line or record) if bad."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    return loads(text, str(path))


def to_data(article: Article) -> dict[str, Any]:
    source = {k: article.source.get(k) for k in SOURCE_KEYS}
    source.update({k: article.source[k] for k in sorted(article.source) if k not in SOURCE_KEYS})
    records = []
    for ref in article.references:
        record = ref.to_dict()
        # Contract keys first, then extra keys sorted: the same article, the same bytes.
        ordered = {k: record[k] for k in REFERENCE_KEYS}
        ordered.update({k: record[k] for k in sorted(record) if k not in REFERENCE_KEYS})
        records.append(ordered)
    return {"source": source, "references": records}


def dumps(article: Article) -> str:
    return dumps_indented(to_data(article)) + "\n"


def write_references(article: Article, path: Path) -> None:
    """Write whole or not at all (see ``verifier.atomic``)."""
    path = Path(path)
    try:
        write_atomic(path, [dumps(article)])
    except OSError as exc:
        raise InputError(f"{path}: cannot write here: {exc.strerror or exc}") from None
