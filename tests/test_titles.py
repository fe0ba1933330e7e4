"""Titles: read from the head of a page; compared as normalised tokens, not for equality."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest

from verifier.titles import (
    _SEPARATOR_CHAR,
    _SEPARATORS,
    _TYPOGRAPHY,
    extract_title,
    normalise,
    scan_page,
    title_match,
    tokens,
)

# (cited, seen on the page today): the same article, differing only innocently.
SAME = [
    ("Путин подписал закон о блокировке", "Путин подписал закон о блокировке — Ведомости"),
    ("Germany passes new climate law", "Germany passes new climate law | DW | 24.06.2021"),
    (
        "Кремль прокомментировал санкции",
        "Кремль прокомментировал санкции - BBC News Русская служба",
    ),
    ("“Quoted” words in the title", '"Quoted" words in the title'),
    ("«Ёлки» вышли в прокат", "\"Елки\" вышли в прокат"),
    ("THE BIG STORY OF THE YEAR", "The big story of the year"),
    ("Ｆｕｌｌｗｉｄｔｈ letters in titles", "Fullwidth letters in titles"),
    (
        "Election results: what the numbers say about turnout",
        "Election results - The Guardian",
    ),
    ("The Guardian view on the long election", "Opinion | The Guardian view on the long election"),
    ("日本の新しい経済政策について", "日本の新しい経済政策について｜日本経済新聞"),
    ("中国经济增长放缓", "中国经济增长放缓_新浪财经"),
    (
        "A very long headline that the site cut short in its title",
        "A very long headline that the site cut short…",
    ),
]

# (cited, seen): a different page now sits at the URL.
DIFFERENT = [
    ("Путин подписал закон о блокировке", "Ведомости — деловое издание"),
    ("Germany passes new climate law", "Buy cheap watches online"),
    ("Putin: talks with Kyiv are over", "Putin: new gas deal signed with China"),
    ("中国经济增长放缓", "欢迎访问我们的网站"),
    ("Election results in Ohio county", "Domain for sale"),
]


@pytest.mark.parametrize(("cited", "seen"), SAME)
def test_innocent_title_differences_still_match(cited: str, seen: str) -> None:
    assert title_match(cited, seen) >= 0.6, (cited, seen)


@pytest.mark.parametrize(("cited", "seen"), DIFFERENT)
def test_a_different_page_scores_low(cited: str, seen: str) -> None:
    assert title_match(cited, seen) < 0.4, (cited, seen)


def test_identical_titles_score_one_and_missing_titles_zero() -> None:
    assert title_match("Same title here", "Same title here") == 1.0
    assert title_match(None, "x") == 0.0
    assert title_match("x", None) == 0.0


@pytest.mark.parametrize(
    ("cited", "seen"),
    [
        ("Talks in Vladivostok: Putin hosts Kim", "Putin hosts Kim - Site News"),
        ("Putin hosts Kim | Site News", "Kremlin: Putin hosts Kim"),
        ("Встреча на космодроме · Путин принял Кима", "Путин принял Кима / Новости"),
    ],
)
def test_a_title_cut_at_its_separators_matches_the_same_title_cut_otherwise(
    cited: str, seen: str
) -> None:
    # Neither whole title holds the other: only their cut parts are the same title.
    assert title_match(cited, seen) == 1.0


def _normalised(title: str) -> str:
    """What normalise is: NFKC, then the typography table, then casefold, spaces joined."""
    text = unicodedata.normalize("NFKC", title).translate(_TYPOGRAPHY).casefold()
    return " ".join(text.split())


def test_ascii_titles_normalise_as_every_title_does() -> None:
    rng = random.Random(5)
    ascii_chars = [chr(c) for c in range(128)]
    for _ in range(5000):
        title = "".join(rng.choice(ascii_chars) for _ in range(rng.randrange(0, 40)))
        assert normalise(title) == _normalised(title), repr(title)
    assert normalise("It`s A  Tab\tand\x1fUS") == _normalised("It`s A  Tab\tand\x1fUS")


def _real_titles() -> list[str]:
    """The seed article's cited titles (Russian, English, Ukrainian, Japanese), as read
    from its rendering (the project's references.json)."""
    path = Path(__file__).resolve().parent.parent / "references.json"
    return [r["title"] for r in json.loads(path.read_text("utf-8"))["references"] if r["title"]]


def test_real_titles_normalise_and_split_as_the_full_rules_do() -> None:
    titles = _real_titles()
    assert len(titles) > 40 and any(t.isascii() for t in titles)
    for title in titles:
        assert normalise(title) == _normalised(title), title
        if _SEPARATOR_CHAR.search(normalise(title)) is None:
            assert _SEPARATORS.split(normalise(title)) == [normalise(title)], title


def test_a_title_without_a_separators_character_has_nothing_to_split() -> None:
    rng = random.Random(6)
    alphabet = "ab Z:|/-·•–—‧∙\u00a0\u2003\t\n_."
    looked = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        if _SEPARATOR_CHAR.search(text) is None:
            looked += 1
            assert _SEPARATORS.split(text) == [text], repr(text)
    assert looked > 1000


def test_normalise_folds_unicode_forms_case_and_quotes() -> None:
    assert normalise("Ｃａｆé «Tom’s»") == normalise("CAFÉ \"tom's\"")


def test_title_comes_from_the_head_with_entities_decoded() -> None:
    html = (
        "<html><head><meta charset=utf-8><title>\n  Tom &amp; Jerry &mdash; News\n</title>"
        "</head><body><svg><title>icon</title></svg></body></html>"
    )
    assert extract_title(html) == "Tom & Jerry — News"


def test_og_title_is_the_fallback_when_the_title_is_missing() -> None:
    html = '<html><head><meta content="Open Graph title" property="og:title"></head></html>'
    assert extract_title(html) == "Open Graph title"


def test_no_title_gives_none() -> None:
    assert extract_title("<html><head></head><body><p>text</p></body></html>") is None
    assert extract_title("") is None


def test_an_svg_title_in_the_body_is_not_the_page_title() -> None:
    assert extract_title("<html><body><svg><title>icon</title></svg></body></html>") is None


def test_scan_page_reads_heading_and_meta_refresh() -> None:
    html = (
        '<html><head><title>T</title><meta http-equiv="Refresh" content="0; URL=\'/\'">'
        "</head><body><div><h1> Страница <b>не найдена</b></h1></div></body></html>"
    )
    head = scan_page(html)
    assert head.title == "T"
    assert head.heading == "Страница не найдена"
    assert head.refresh == "/"


def test_broken_html_yields_what_was_read() -> None:
    assert extract_title("<html><head><title>Half a page</title><meta content=") == "Half a page"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("putin signs the law", ["putin", "signs", "the", "law"]),
        ("中国经济", ["中国", "国经", "经济"]),
        ("日", ["日"]),
        ("iphone手机 发布", ["i", "p", "h", "o", "n", "e", "手机", "发布"]),
        ("第2届会议", ["第", "2", "届会", "会议"]),
        ("한국어 news", ["한국", "국어", "news"]),
    ],
)
def test_tokens_are_words_and_cjk_bigrams(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected
