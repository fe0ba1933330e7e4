"""The plain-text rendering of a reference list (zh wiki, as in the seed article)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli.parse_cmd import parse
from verifier.errors import InputError
from verifier.parse import parse_text, read_article
from verifier.records import dumps

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "article.txt"
COMMITTED = ROOT / "references.json"
CASES = json.loads((ROOT / "tests/fixtures/parse/text/cases.json").read_text("utf-8"))


def _article_with(line: str, rid: int) -> str:
    """A minimal rendered article whose reference list has ``line`` as reference ``rid``."""
    fillers = [f"- ^ Filler {n}. Work. 2023-09-13 (英语)." for n in range(1, rid)]
    return "\n".join(["Article", "Body[1].", "参考文献", *fillers, line]) + "\n"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_reference_shape(case: dict) -> None:
    rid = case.get("id", "1")
    article = parse_text(_article_with(case["line"], int(rid)), "case.txt", "text")
    record = article.references[int(rid) - 1].to_dict()
    assert record["id"] == rid
    for key, value in case["expected"].items():
        assert record.get(key) == value, key


def test_seed_reproduces_committed_references_json_byte_for_byte(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    article = read_article(Path("sources/article.txt"))
    assert dumps(article) == COMMITTED.read_text("utf-8")


def test_parse_command_writes_the_committed_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "references.json"
    result = CliRunner().invoke(parse, ["sources/article.txt", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == COMMITTED.read_text("utf-8")


SHARED_SEED = ROOT.parent / "shared" / "seed" / "article.txt"


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared/seed is not beside this checkout")
def test_parsing_the_shared_seed_reproduces_the_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "references.json"
    result = CliRunner().invoke(parse, [str(SHARED_SEED), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == COMMITTED.read_text("utf-8")


def test_parse_command_without_out_prints_the_records(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(parse, ["sources/article.txt"])
    assert result.exit_code == 0
    assert result.output == COMMITTED.read_text("utf-8")


def test_seed_source_names_the_live_article(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    source = read_article(Path("sources/article.txt")).source
    assert source == {
        "title": "2023年朝俄首脑会谈",
        "language": "zh",
        "url": "https://zh.wikipedia.org/wiki/2023年朝俄首脑会谈",
        "file": "article.txt",
        "format": "text",
    }


def test_seed_has_44_references_none_with_an_invented_url() -> None:
    refs = read_article(SEED).references
    assert [r.id for r in refs] == [str(n) for n in range(1, 45)]
    assert all(r.url is None and r.archive_url is None for r in refs)
    assert {r.id: r.uses for r in refs if r.uses > 1} == {
        "4": 4, "5": 3, "6": 4, "7": 5, "10": 8, "11": 2, "16": 16, "18": 2, "20": 2,
        "21": 3, "24": 2, "28": 5, "31": 2, "33": 3, "35": 2, "39": 5,
    }


def test_seed_sentences_citing_a_reference_come_from_the_body() -> None:
    refs = {r.id: r for r in read_article(SEED).references}
    assert refs["36"].extra["cited_in"] == [
        "美国表示,如果朝鲜开始向俄罗斯提供武器,他们将准备实施新的制裁。"
    ]
    # A mark inside a closing quote still cites the sentence it ends.
    assert any(s.startswith("金正恩说:“我希望我们永远在一起") for s in refs["16"].extra["cited_in"])
    # Cited only from the notes, which the rendering lost: no sentence, but still a record.
    assert refs["21"].extra["cited_in"] == []
    assert refs["1"].extra["origin"] == {"format": "text", "line": 62}


def test_back_links_give_the_number_the_reader_sees() -> None:
    # A list copied from its fifth reference on: the back-links say where it starts.
    text = "Article\n参考文献\n- ^ 5.0 5.1 Title. Work. 2023-09-13 (英语).\n- ^ Next. Work.\n"
    assert [r.id for r in parse_text(text, "part.txt", "text").references] == ["5", "6"]


def test_back_links_going_backwards_are_an_error_with_the_line() -> None:
    text = ("Article\n参考文献\n- ^ 1.0 1.1 Title. Work. 2023-09-13.\n"
            "- ^ 1.0 1.1 Again. Work. 2023-09-13.\n")
    with pytest.raises(InputError, match=r"^bad\.txt:4: its back-links name reference 1, "
                                         r"but reference 1 came before it"):
        parse_text(text, "bad.txt", "text")


def test_text_without_reference_lines_is_not_a_reference_list() -> None:
    with pytest.raises(InputError, match=r"^notes\.txt:1: not a reference list"):
        parse_text("Just some notes.\nNothing cited.\n", "notes.txt")


LISTS = json.loads((ROOT / "tests/fixtures/parse/text/lists.json").read_text("utf-8"))


@pytest.mark.parametrize("case", LISTS, ids=[c["name"] for c in LISTS])
def test_list_form(case: dict) -> None:
    refs = parse_text("\n".join(case["text"]) + "\n", "list.txt", "text").references
    assert [r.id for r in refs] == case["ids"]
    assert [r.title for r in refs] == case["titles"]
    if "uses" in case:
        assert [r.uses for r in refs] == case["uses"]


def test_a_list_of_things_that_are_no_citations_is_not_a_reference_list() -> None:
    with pytest.raises(InputError, match=r"^shop\.txt:1: not a reference list"):
        parse_text("Shopping\n- milk\n- bread\n• eggs\n1. butter\n", "shop.txt")
