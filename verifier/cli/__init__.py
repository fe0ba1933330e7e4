"""The command line: the only place that prints, reads the clock for a run, or exits."""

from __future__ import annotations

import click

from .. import __version__

EXIT_OK = 0
EXIT_FAILING = 1
EXIT_USAGE = 2


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="verify-refs")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Check an article's references live and in web archives, and report the fixes."""
