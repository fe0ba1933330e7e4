"""Page text decoding: HTTP charset, then <meta charset>, then detection."""

from __future__ import annotations

import pytest

from verifier.fetch.decode import decode_page
from verifier.titles import extract_title

TITLE = "Правительство утвердило новые правила"
TEXT = (
    "<p>Правительство России утвердило новые правила, которые вступят в силу в следующем "
    "году. Эксперты считают, что изменения затронут миллионы граждан страны.</p>"
)


def page(meta: str = "") -> str:
    return f"<html><head>{meta}<title>{TITLE}</title></head><body>{TEXT * 3}</body></html>"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (page().encode("cp1251"), "text/html; charset=windows-1251"),
        (page('<meta charset="windows-1251">').encode("cp1251"), "text/html"),
        (page('<meta http-equiv="Content-Type" content="text/html; charset=cp1251">')
         .encode("cp1251"), None),
        (page().encode("cp1251"), "text/html"),  # undeclared: detected
        (page().encode("koi8-r"), "text/html; charset=koi8-r"),
        (page().encode("utf-8"), "text/html; charset=utf-8"),
        (page().encode("utf-8"), None),
    ],
    ids=["header", "meta", "meta-http-equiv", "detected", "koi8-r", "utf-8", "utf-8-guessed"],
)
def test_russian_titles_decode_right(body: bytes, content_type: str | None) -> None:
    assert extract_title(decode_page(body, content_type)) == TITLE


def test_a_header_the_bytes_contradict_is_skipped() -> None:
    # The server says utf-8, the page is windows-1251 and says so in <meta>.
    body = page('<meta charset="windows-1251">').encode("cp1251")
    assert extract_title(decode_page(body, "text/html; charset=utf-8")) == TITLE


def test_an_unknown_charset_label_is_ignored() -> None:
    body = page().encode("utf-8")
    assert extract_title(decode_page(body, "text/html; charset=x-no-such-thing")) == TITLE


def test_a_character_cut_by_the_body_cap_does_not_spoil_the_page() -> None:
    body = page().encode("utf-8")[:-1] + "Ж".encode()[:1]
    text = decode_page(body, "text/html; charset=utf-8", truncated=True)
    assert extract_title(text) == TITLE
