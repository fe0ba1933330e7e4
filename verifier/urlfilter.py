"""Which cited URLs are checked: ``--include``, ``--exclude`` and the ignore file, as one rule.

Pure, standard library only. A pattern is a regular expression searched for in the URL
(as lychee's), except a bare domain (``example.com``, ``пример.рф``), which means that
domain and its subdomains, by the URL's host: ``example.com`` then matches neither
``notexample.com`` nor an archive URL that merely contains it.

The rule is lychee's: a URL an include matches is checked, whatever the excludes say;
else one an exclude matches is not; else, when there are includes and no excludes, only
what they match is checked (includes alone are an allow-list).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .urls import host_of

# Letters, digits and hyphens, at least two labels: a host name, not a regex. ``.`` is a
# regex character too, but nobody means "any character" between a domain's labels.
_DOMAIN = re.compile(r"^(?:[^\W_]|-)+(?:\.(?:[^\W_]|-)+)+\.?$")
IGNORE_FILE = ".verify-refs-ignore"


def _ascii_host(host: str) -> str:
    """A host name in the form URLs carry it (IDNA), lower-cased; as given when it is
    not encodable (then it cannot match a URL's host anyway)."""
    host = host.lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


@dataclass(frozen=True)
class Pattern:
    """One pattern as written, and where it was written (``--exclude``, ``FILE line 3``)."""

    text: str
    origin: str
    domain: str | None = None  # a bare domain: it and its subdomains
    regex: re.Pattern[str] | None = None

    def matches(self, url: str) -> bool:
        if self.domain is not None:
            host = _ascii_host(host_of(url))
            return host == self.domain or host.endswith("." + self.domain)
        assert self.regex is not None
        return self.regex.search(url) is not None

    def said(self) -> str:
        return f"{self.origin} {self.text!r}"


def parse_pattern(text: str, origin: str) -> Pattern:
    """A pattern from its text; ValueError (saying why) for an empty or invalid regex."""
    text = text.strip()
    if not text:
        raise ValueError(f"{origin}: an empty pattern")
    if _DOMAIN.match(text):
        return Pattern(text, origin, domain=_ascii_host(text))
    try:
        return Pattern(text, origin, regex=re.compile(text))
    except re.error as exc:
        raise ValueError(f"{origin}: not a regular expression: {text!r} ({exc})") from None


def patterns_from_lines(text: str, name: str) -> tuple[Pattern, ...]:
    """An ignore file's patterns: one a line; blank lines and lines starting with ``#``
    skipped (only whole lines: ``#`` may be part of a URL's pattern)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            found.append(parse_pattern(stripped, f"{name} line {number}"))
    return tuple(found)


@dataclass(frozen=True)
class UrlFilter:
    include: tuple[Pattern, ...] = ()
    exclude: tuple[Pattern, ...] = ()

    @classmethod
    def of(cls, include: Iterable[Pattern] = (), exclude: Iterable[Pattern] = ()) -> UrlFilter:
        return cls(include=tuple(include), exclude=tuple(exclude))

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)

    def excluded_by(self, url: str) -> str | None:
        """Why ``url`` is not to be checked (the pattern that says so), or None."""
        url = url.strip()
        if any(p.matches(url) for p in self.include):
            return None
        for pattern in self.exclude:
            if pattern.matches(url):
                return f"excluded by {pattern.said()}"
        if self.include and not self.exclude:
            return "excluded: matched by no --include"
        return None
