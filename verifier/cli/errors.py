"""Exit statuses and the boundary where library errors become one-line messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from ..errors import VerifierError

EXIT_OK = 0  # no reference falls under the failing policy
EXIT_FAILING = 1  # some do
EXIT_USAGE = 2  # bad usage or unreadable input
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it


class BadInput(click.ClickException):
    """One line on stderr, exit status 2."""

    exit_code = EXIT_USAGE


@contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except VerifierError as exc:  # bad input, an article that cannot be imported, ...
        raise BadInput(_one_line(str(exc))) from None
    except OSError as exc:  # unreadable or unwritable files, a full disk
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        raise BadInput(_one_line(f"{where}{exc.strerror or exc}")) from None


def _one_line(message: str) -> str:
    return " ".join(message.split())
