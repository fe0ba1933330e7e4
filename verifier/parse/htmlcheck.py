"""Is an HTML document's tag structure whole? bs4 repairs anything silently, so a
truncated download or a broken file would otherwise parse into fewer references."""

from __future__ import annotations

from html.parser import HTMLParser

from ..errors import InputError

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
    ]
)
# Elements whose end tag HTML lets the author leave out.
_OPTIONAL_END = frozenset(
    [
        "html",
        "head",
        "body",
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "option",
        "optgroup",
        "rb",
        "rt",
        "rp",
        "colgroup",
        "caption",
    ]
)
_RAW_TEXT = frozenset({"script", "style"})


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in _VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        if self.problem or tag in _VOID:
            return
        line = self.getpos()[0]
        names = [name for name, _ in self.stack]
        if tag not in names:
            self.problem = f"{line}: broken HTML: </{tag}> closes no open element"
            return
        while self.stack:
            name, opened = self.stack.pop()
            if name == tag:
                return
            if name not in _OPTIONAL_END:
                self.problem = (
                    f"{opened}: broken HTML: <{name}> is never closed (</{tag}> on line {line})"
                )
                return

    def finish(self) -> str | None:
        self.close()
        if self.problem:
            return self.problem
        for name, opened in self.stack:
            if name not in _OPTIONAL_END and name not in _RAW_TEXT:
                return f"{opened}: broken HTML: <{name}> is never closed"
        return None


def check_balanced(text: str, where: str) -> None:
    """InputError ``file:line: broken HTML: …`` at the first unclosed or stray tag."""
    checker = _Balance()
    checker.feed(text)
    problem = checker.finish()
    if problem:
        raise InputError(f"{where}:{problem}")
