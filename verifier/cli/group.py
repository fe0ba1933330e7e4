"""The ``verify-refs`` group: the main job's articles as positional arguments beside the
subcommands, and every usage error in one line.

``verify-refs article.wiki`` and ``verify-refs lint`` both start with a word: a word that
names a command is the command, any other is an article (a file, ``-`` for standard input,
or a Wikipedia URL) for the main job, and then options may come before, between and after
the articles, as for any command (``verify-refs a.wiki --report html b.wiki``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from click.core import ParameterSource

from .errors import BadInput, one_line

ARTICLES = "articles"  # the main job's parameter the positional articles are given as


@contextmanager
def one_line_usage() -> Iterator[None]:
    """Click's usage errors (a bad value, an unknown option) as one line, exit status 2:
    the line says what is wrong and where the help is, instead of the usage block."""
    try:
        yield
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "verify-refs"
        raise BadInput(one_line(f"{_from_where(exc)}{exc.format_message()} (see {where} --help)")
                       ) from None


def _from_where(exc: click.UsageError) -> str:
    """``environment VERIFY_REFS_FIX_LANG: `` when the bad value came from there: the
    command line shows no such value, so the variable has to be named."""
    param = getattr(exc, "param", None)
    if exc.ctx is None or not isinstance(param, click.Option) or param.name is None:
        return ""
    if exc.ctx.get_parameter_source(param.name) is not ParameterSource.ENVIRONMENT:
        return ""
    return f"environment {param.envvar}: " if isinstance(param.envvar, str) else ""


class MainGroup(click.Group):
    """The main job and its subcommands, their usage errors in one line; the first
    positional word is an article when it names no command."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "[ARTICLE]... | COMMAND [ARGS]...")
        super().__init__(*args, **kwargs)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with one_line_usage():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with one_line_usage():  # a subcommand's own usage errors too
            return super().invoke(ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = self._first_word(ctx, args)
        if first is None or first in self.commands:
            ctx.params.setdefault(ARTICLES, ())
            return super().parse_args(ctx, args)
        # The main job with articles: every word is one, options anywhere among them.
        ctx.allow_interspersed_args = True
        words = click.Command.parse_args(self, ctx, args)
        ctx.params[ARTICLES] = tuple(words)
        ctx.args = []
        return []

    def _first_word(self, ctx: click.Context, args: list[str]) -> str | None:
        """The first word that is neither an option nor an option's value, read by the
        group's own parser (which stops there); None when there is none, or when the
        options are wrong (the real parse then says how)."""
        try:
            _, words, _ = self.make_parser(ctx).parse_args(list(args))
        except click.UsageError:
            return None
        return words[0] if words else None
