"""references.json: validated on load, written reproducibly and atomically."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from verifier.errors import InputError
from verifier.model import Author, Reference
from verifier.records import (
    Article,
    _certainly_valid,
    _inline_refs,
    _record_plan,
    _validator,
    dumps,
    load_references,
    validate,
    write_references,
)

ROOT = Path(__file__).resolve().parent.parent


def _article() -> Article:
    ref = Reference(
        id="1",
        title="Заглавие",
        authors=[Author("Smith", "Josh")],
        date="2023-09-13",
        extra={"zeta": 1, "origin": {"format": "text", "line": 3}},
    )
    return Article(source={"format": "text", "title": "T", "zz": "kept"}, references=[ref])


def test_committed_references_json_validates_and_round_trips() -> None:
    article = load_references(ROOT / "references.json")
    assert len(article.references) == 44
    assert dumps(article) == (ROOT / "references.json").read_text("utf-8")


def test_dumps_is_stable_utf8_with_fixed_key_order_and_trailing_newline() -> None:
    text = dumps(_article())
    assert text.endswith("}\n") and "Заглавие" in text and "\\u" not in text
    data = json.loads(text)
    assert list(data["source"]) == ["title", "language", "url", "file", "format", "zz"]
    record = data["references"][0]
    assert list(record)[:3] == ["id", "title", "url"]
    assert list(record)[-2:] == ["origin", "zeta"]  # extra keys after, sorted


def test_dumps_gives_the_same_bytes_whatever_order_keys_were_inserted_in() -> None:
    article = _article()
    ref = article.references[0]
    shuffled = Article(
        source=dict(reversed(article.source.items())),
        references=[replace(ref, extra=dict(reversed(ref.extra.items())))],
    )
    assert list(shuffled.source) != list(article.source)
    assert list(shuffled.references[0].extra) != list(ref.extra)
    assert dumps(shuffled) == dumps(article)


def test_write_references_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "refs.json"
    target.write_text("old", "utf-8")
    write_references(_article(), target)
    assert target.read_text("utf-8") == dumps(_article())
    assert [p.name for p in tmp_path.iterdir()] == ["refs.json"]


def test_invalid_json_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "refs.json"
    bad.write_text('{"source": {},\n"references": [\n{"id": "1",}\n]}', "utf-8")
    with pytest.raises(InputError, match=r"refs\.json:3: invalid JSON"):
        load_references(bad)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"id": "7", "date": "13 September 2023"},
         r"record 7: date: '13 September 2023' is not an ISO date: YYYY-MM-DD, YYYY-MM or YYYY$"),
        ({"id": "7", "url_status": "gone"}, r"record 7: url_status: 'gone' is not one of"),
        ({"id": "7", "uses": "three"}, r"record 7: uses: 'three' is not of type 'integer'"),
        ({"id": "7", "authors": [{"given": "Josh"}]}, r"record 7: authors\.0: 'family'"),
        ({"id": "7", "language": "Russian"},
         r"record 7: language: 'Russian' is not a BCP 47 language tag"),
        ({"id": "7", "url": "www.example.org"},
         r"record 7: url: 'www.example.org' is not a URL with its scheme"),
        ({"title": "no id"}, r"references\[0\]: 'id' is a required property"),
    ],
)
def test_schema_failure_names_the_record(record: dict, message: str) -> None:
    with pytest.raises(InputError, match=r"^refs\.json: " + message):
        validate({"source": {}, "references": [record]}, "refs.json")


def test_schema_failure_lists_every_problem_in_one_line_not_a_regex() -> None:
    records = [{"id": "1", "date": "2023/09/01", "language": "English"},
               {"id": "2", "uses": -1}]
    with pytest.raises(InputError) as caught:
        validate({"source": {}, "references": records}, "refs.json")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("refs.json: 3 problems: ")
    for part in ("record 1: date: '2023/09/01'", "record 1: language: 'English'",
                 "record 2: uses: -1"):
        assert part in message
    assert "^[" not in message and "does not match" not in message  # no raw pattern


def test_a_long_list_of_problems_is_cut() -> None:
    from verifier.records import MAX_PROBLEMS

    records = [{"id": str(i), "date": "soon"} for i in range(MAX_PROBLEMS + 3)]
    with pytest.raises(InputError, match=rf"{MAX_PROBLEMS + 3} problems: .*; and 3 more$"):
        validate({"source": {}, "references": records}, "refs.json")


def test_not_a_references_object_is_rejected() -> None:
    with pytest.raises(InputError, match=r"^x\.json: top level: 'references' is a required"):
        validate({"source": {}}, "x.json")


def test_duplicate_ids_are_rejected() -> None:
    with pytest.raises(InputError, match=r"record 2: the id is used twice"):
        validate({"source": {}, "references": [{"id": "2"}, {"id": "2"}]}, "x.json")


def test_the_bad_record_among_many_is_named() -> None:
    records = [{"id": str(i), "url": f"https://a.example/{i}"} for i in range(500)]
    records[321]["date"] = "yesterday"
    with pytest.raises(InputError, match=r"^refs\.json: record 321: date: 'yesterday'"):
        validate({"source": {}, "references": records}, "refs.json")


def test_local_refs_are_inlined_and_a_recursive_one_is_kept() -> None:
    defs = {"leaf": {"type": "string"}, "tree": {"items": {"$ref": "#/$defs/tree"}}}
    node = {"a": {"$ref": "#/$defs/leaf"}, "b": {"$ref": "#/$defs/tree"}}
    assert _inline_refs(node, defs) == {
        "a": {"type": "string"},
        "b": {"items": {"$ref": "#/$defs/tree"}},
    }


def _doc(*records: object, source: object = None) -> dict:
    return {"source": {} if source is None else source, "references": list(records)}


# Documents the quick check of valid files must not pass unless the full validation does.
QUICK_CASES = [
    _doc({"id": "1", "uses": 1}, {"id": "2", "uses": 1}),
    _doc({"id": "1", "uses": 1}, {"id": "2", "uses": True}),  # True == 1, not an integer
    _doc({"id": "1", "uses": 1.0}),
    _doc({"id": "1", "uses": -1}),
    _doc({"id": "1", "date": "2023-09-13"}, {"id": "2", "date": "2023-13-01"}),
    _doc({"id": "1", "url": "https://a.example/"}, {"id": "2", "url": "a.example"}),
    _doc({"id": "1", "authors": [{"family": "Smith"}]}, {"id": "2", "authors": [{}]}),
    _doc({"id": "1"}, "not a record"),
    _doc({"id": "1"}, {"title": "no id"}),
    _doc({"id": ""}),
    _doc({"id": 5}),
    _doc({"id": "1", "url_status": "gone"}),
    _doc({"id": "1", "zeta": {"any": "thing"}}),
    _doc({"id": "1"}, source={"language": "Russian"}),
    _doc({"id": "1"}, source={"language": "ru", "extra": 1}),
    {"source": {}, "references": {"id": "1"}},
    {"references": []},
    [],
]


@pytest.mark.parametrize("doc", QUICK_CASES)
def test_the_quick_check_of_valid_files_agrees_with_the_schema(doc: object) -> None:
    full = not list(_validator().iter_errors(doc))
    assert _certainly_valid(doc) == full


def test_the_shipped_schema_has_the_shape_the_quick_check_needs() -> None:
    # If the schema changes shape, every file gets the full (slower) validation: still
    # correct, but say so here so the change is deliberate.
    assert _record_plan() is not None


_VALUES = ["", "x", "https://example.org/a", "example.org/a", "2024-05-01", "2024-13-01",
           "en", "en-US", "EN", None, 5, 1.5, True, [], {}, "é", "1:"]


def test_the_quick_field_checks_never_pass_what_the_schema_refuses() -> None:
    """For every field checked by hand, each value it calls valid is valid to jsonschema
    (the other way need not hold: a "no" only sends the file to the full validation)."""
    import jsonschema

    from verifier.records import _record_plan

    plan = _record_plan()
    assert plan is not None and {"id", "title", "url", "date", "language"} <= set(plan.plain)
    passed = 0
    for key, quick in plan.plain.items():
        validator = jsonschema.Draft202012Validator(plan.fields[key].schema)
        for value in _VALUES:
            if quick(value):
                passed += 1
                assert validator.is_valid(value), (key, value)
    assert passed > 20  # the quick checks do pass the ordinary values


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [("url", "example.org/a", "a URL with its scheme"), ("id", "", "should be non-empty"),
     ("title", 5, "is not of type"), ("date", "2024-13-01", "an ISO date")],
)
def test_a_bad_plain_field_is_still_refused(field: str, value: object, words: str) -> None:
    from verifier.records import validate

    record = {"id": "1", "title": "T", "url": "https://example.org/", field: value}
    with pytest.raises(InputError, match=words):
        validate({"source": {}, "references": [record]}, "refs.json")
