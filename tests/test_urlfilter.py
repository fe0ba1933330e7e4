"""--include, --exclude and the ignore file as one pure rule (verifier.urlfilter): which
cited URLs are checked. The cases are lychee's rule as its documentation states it, and
a bare domain read as a host name, not a regex."""

from __future__ import annotations

import pytest

from verifier.urlfilter import UrlFilter, parse_pattern, patterns_from_lines


def rule(include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> UrlFilter:
    return UrlFilter.of(
        (parse_pattern(p, "--include") for p in include),
        (parse_pattern(p, "--exclude") for p in exclude),
    )


# (why, include, exclude, url, checked)
CASES = [
    ("nothing given: everything checked", (), (), "https://a.example/x", True),
    ("a domain excludes itself", (), ("example.org",), "https://example.org/p", False),
    ("and its subdomains", (), ("example.org",), "https://news.example.org/p", False),
    ("not a longer name ending the same", (), ("example.org",), "https://notexample.org/", True),
    ("not the domain inside another URL", (), ("example.org",),
     "https://web.archive.org/web/2020/https://example.org/", True),
    ("the host in any case", (), ("Example.ORG",), "https://WWW.example.org/", False),
    ("a regex is searched in the whole URL", (), (r"/private/",),
     "https://a.example/private/1", False),
    ("a regex that does not match", (), (r"/private/",), "https://a.example/public/1", True),
    ("an anchored regex", (), (r"^http://",), "http://a.example/", False),
    ("an anchored regex, https", (), (r"^http://",), "https://a.example/", True),
    ("include wins over exclude", ("news.example.org",), ("example.org",),
     "https://news.example.org/p", True),
    ("the exclude still holds elsewhere", ("news.example.org",), ("example.org",),
     "https://shop.example.org/p", False),
    ("with both, matching neither is checked", ("news.example.org",), ("example.org",),
     "https://other.example/p", True),
    ("include alone is an allow-list", ("news.example.org",), (),
     "https://other.example/p", False),
    ("include alone checks what it matches", ("news.example.org",), (),
     "https://news.example.org/p", True),
    ("an IDN domain matches its punycode host", (), ("пример.рф",),
     "https://www.xn--e1afmkfd.xn--p1ai/", False),
]  # fmt: skip


@pytest.mark.parametrize(("why", "include", "exclude", "url", "checked"), CASES)
def test_which_urls_are_checked(why, include, exclude, url, checked) -> None:
    assert (rule(include, exclude).excluded_by(url) is None) is checked, why


def test_the_reason_names_the_pattern_and_where_it_was_given() -> None:
    reason = rule(exclude=(r"/private/",)).excluded_by("https://a.example/private/1")
    assert reason == "excluded by --exclude '/private/'"
    allow = rule(include=("a.example",)).excluded_by("https://b.example/")
    assert allow is not None and "--include" in allow


def test_an_invalid_regex_is_refused_with_where_it_was() -> None:
    with pytest.raises(ValueError, match=r"--exclude: not a regular expression: '\(unclosed'"):
        parse_pattern("(unclosed", "--exclude")
    with pytest.raises(ValueError, match="empty"):
        parse_pattern("  ", "--exclude")


def test_an_ignore_file_is_one_pattern_a_line_with_comments() -> None:
    text = "# sites that block every checker\nlinkedin.com\n\n  /login\\b  \n#x.example\n"
    patterns = patterns_from_lines(text, ".verify-refs-ignore")
    assert [(p.text, p.origin) for p in patterns] == [
        ("linkedin.com", ".verify-refs-ignore line 2"),
        ("/login\\b", ".verify-refs-ignore line 4"),
    ]
    with pytest.raises(ValueError, match="ignore line 1"):
        patterns_from_lines("[bad\n", "ignore")
