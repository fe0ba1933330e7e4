"""Exit statuses and the boundary where library errors become one-line messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from ..errors import VerifierError
from .exits import EXIT_FAILING, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, ReaderGone

__all__ = [
    "EXIT_FAILING",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "BadInput",
    "one_line",
    "reported_errors",
]


class BadInput(click.ClickException):
    """One line on stderr, exit status 2."""

    exit_code = EXIT_USAGE


@contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except VerifierError as exc:  # bad input, an article that cannot be imported, ...
        raise BadInput(one_line(str(exc))) from None
    except BrokenPipeError:
        raise ReaderGone from None  # not bad input: the console script ends quietly
    except OSError as exc:  # unreadable or unwritable files, a full disk
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        raise BadInput(one_line(f"{where}{exc.strerror or exc}")) from None


def one_line(message: str) -> str:
    return " ".join(message.split())
