"""Format detection from content, and bad input: one line naming the file and line or record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli.parse_cmd import parse
from verifier.errors import InputError
from verifier.parse import read_article
from verifier.parse.detect import detect_format

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse"
ROOT = Path(__file__).resolve().parent.parent

DETECT = [
    ('{"source": {}, "references": []}', "json"),
    ("\ufeff[1, 2]", "json"),
    ("<!DOCTYPE html><html><body></body></html>", "html"),
    ('<div class="mw-parser-output"><p>x</p></div>', "html"),
    ("{{Infobox}}\nText.<ref>{{cite web|title=A}}</ref>", "wikitext"),
    ("[[Link]] text.<ref name=a />", "wikitext"),
    ("Title\n参考文献\n- ^ Title. Work. 2023-09-13.\n", "text"),
    ("[1] Title. Work. 2023-09-13.\n[2] Other. Work. 2023.\n", "text"),
    ("[编辑]- ^ Title. Work. 2023-09-13.\n", "text"),
]


@pytest.mark.parametrize(("text", "fmt"), DETECT)
def test_detect_format(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (ROOT / "sources" / "article.txt", "text"),
        (FIXTURES / "html" / "ru.html", "html"),
        (FIXTURES / "wikitext" / "ru.wiki", "wikitext"),
        (ROOT / "references.json", "json"),
    ],
)
def test_files_are_read_as_their_format(path: Path, fmt: str) -> None:
    assert detect_format(path.read_text("utf-8")) == fmt
    assert read_article(path).references  # and read without error


BAD_FILES = [
    (
        "invalid JSON",
        "refs.json",
        '{\n  "source": {},\n  "references": [,]\n}',
        r"refs\.json:3: invalid JSON",
    ),
    (
        "schema failure",
        "refs.json",
        json.dumps({"source": {}, "references": [{"id": "5", "date": "yesterday"}]}),
        r"refs\.json: record 5: date: 'yesterday' is not an ISO date",
    ),
    (
        "not a reference list",
        "notes.txt",
        "Shopping list\n- milk\n- bread\n",
        r"notes\.txt:1: not a reference list",
    ),
    (
        "broken HTML",
        "page.html",
        '<html><body>\n<ol class="references"><li>A</li>\n</body></html>',
        r"page\.html:2: broken HTML: <ol> is never closed",
    ),
    (
        "unbalanced wikitext",
        "page.wiki",
        "Text.\n<ref>{{cite web|title=A}}\n",
        r"page\.wiki:2: damaged reference: <ref> is never closed",
    ),
    (
        "a citation template only in prose, no reference",
        "notes.md",
        "Cite with `{{cite web|url=https://example.org/|title=A}}` inside ref tags.\n",
        r"notes\.md:1: no references found",
    ),
]


@pytest.mark.parametrize(
    ("name", "filename", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_bad_input_names_file_and_place(
    tmp_path: Path, name: str, filename: str, content: str, message: str
) -> None:
    path = tmp_path / filename
    path.write_text(content, "utf-8")
    with pytest.raises(InputError, match=message):
        read_article(path)


@pytest.mark.parametrize(
    ("name", "filename", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_parse_command_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, name: str, filename: str, content: str, message: str
) -> None:
    path = tmp_path / filename
    path.write_text(content, "utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(parse, [str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert re.search(message, result.output), result.output
    assert not out.exists()


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.txt: cannot read"):
        read_article(tmp_path / "nowhere.txt")


def test_binary_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"image\.png"):
        read_article(path)


def test_unwritable_out_is_one_line_exit_2(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from verifier.cli.parse_cmd import parse

    seed = Path(__file__).resolve().parent.parent / "sources" / "article.txt"
    out = tmp_path / "missing-dir" / "refs.json"
    result = CliRunner().invoke(parse, [str(seed), "--out", str(out)])
    assert result.exit_code == 2
    assert f"{out}: cannot write here" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("content", ["", "  \n\n\t\n", "\ufeff"])
def test_an_empty_file_is_called_empty(tmp_path: Path, content: str) -> None:
    path = tmp_path / "article.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=r"article\.txt: the file is empty") as caught:
        read_article(path)
    assert "'^ '" not in str(caught.value)  # not a parser's complaint about its own syntax
