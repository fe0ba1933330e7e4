"""The ``verify-refs`` group: every usage error in one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from .errors import BadInput, one_line


@contextmanager
def one_line_usage() -> Iterator[None]:
    """Click's usage errors (a bad value, an unknown option) as one line, exit status 2:
    the line says what is wrong and where the help is, instead of the usage block."""
    try:
        yield
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "verify-refs"
        raise BadInput(one_line(f"{exc.format_message()} (see {where} --help)")) from None


class MainGroup(click.Group):
    """The main job and its subcommands, their usage errors in one line."""

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
