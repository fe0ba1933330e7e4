"""``verify-refs fixes``: print what an editor should paste, from the last run's report."""

from __future__ import annotations

from pathlib import Path

import click

from ..fixes import render_fixes
from ..report import load_report
from .errors import reported_errors

DEFAULT_REPORT = Path("reports") / "report.json"


# --from: the report a command reads (fixes and fix).
from_report_option = click.option(
    "--from",
    "from_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_REPORT,
    show_default=True,
    help="The report.json of the run to take the fixes from.",
)


@click.command("fixes")
@from_report_option
def fixes(from_path: Path) -> None:
    """Print the CS1 parameters to paste for rescued references, and Save Page Now links."""
    with reported_errors():  # a bad or missing report: one line, exit status 2
        report = load_report(from_path)
    click.echo(render_fixes(report), nl=False)
