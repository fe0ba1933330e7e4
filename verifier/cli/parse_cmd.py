"""``verify-refs parse`` and ``verify-refs lint``: records from an article, and their problems."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..jsontext import dumps_indented
from ..records import dumps, load_references, to_data, validate, write_references
from .errors import EXIT_FAILING, EXIT_OK, reported_errors
from .options import api_option, network_options
from .sources import fetch_from_api, is_article_url, read_local

if TYPE_CHECKING:
    from ..model import LintIssue

FORMAT_CHOICE = click.Choice(["text", "html", "wikitext", "json"])


@click.command("parse")
@click.argument("source")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the records here (default: standard output).",
)
@click.option("--format", "fmt", type=FORMAT_CHOICE, help="Force the input format.")
@click.option(
    "--merge",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fill missing URLs and archive URLs into this references file, matching by title "
    "(written back to it unless --out is given).",
)
@api_option
@network_options
def parse(
    source: str,
    out: Path | None,
    fmt: str | None,
    merge: Path | None,
    api: str,
    allow_network: tuple[str, ...],
    resolve: tuple[str, ...],
    timeout: float,
    per_host: int,
) -> None:
    """Turn an article (text, HTML, wikitext file, - for standard input, or a Wikipedia
    URL) into records."""
    with reported_errors():  # bad input or an unwritable --out: one line, exit 2
        if is_article_url(source):
            from ..parse.mediawiki import fetch_article

            network = {"allow_network": allow_network, "resolve": resolve}
            article = fetch_from_api(
                source, fetch_article, api=api, timeout=timeout, per_host=per_host, **network
            )
            parsed = True
        else:
            article, read_as = read_local(source, fmt)  # a file, or - for standard input
            parsed = read_as != "json"  # a references file was validated as it was loaded
        if merge is not None:
            from ..parse.merge import merge_urls

            article, report = merge_urls(load_references(merge), article)
            click.echo(report.summary(), err=True)
            out = out or merge
        if parsed or merge is not None:
            validate(to_data(article), source)
        if out is None:
            sys.stdout.write(dumps(article))
        else:
            write_references(article, out)


@click.command("lint")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True, path_type=Path))
@click.option("--format", "fmt", type=FORMAT_CHOICE, help="Force the input format.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date to judge 'in the future' by (default: today).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
def lint(files: tuple[Path, ...], fmt: str | None, today: datetime | None, as_json: bool) -> None:
    """List citation problems (CS1 maintenance) in references files or articles
    (default: references.json; - for standard input). Exits 1 when a problem has severity
    error: a CI step or a pre-commit hook (several files at once) can rely on it."""
    from ..lint import lint as run_lint
    from ..model import Severity

    day = today.date() if today is not None else date.today()
    found: list[tuple[Path, LintIssue]] = []
    for path in files or (Path("references.json"),):
        with reported_errors():
            article, _ = read_local(str(path), fmt)  # - is standard input
        found += [(path, issue) for issue in run_lint(article, today=day)]
    errors = sum(issue.severity is Severity.ERROR for _, issue in found)
    if as_json:
        listed = [{**issue.to_dict(), "file": str(path)} for path, issue in found]
        click.echo(dumps_indented(listed))
    else:
        for path, issue in found:
            where = f"reference {issue.id}" if issue.id else f"line {issue.line}"
            click.echo(f"{path}: {where}: {issue.severity}: {issue.code}: {issue.message}")
        click.echo(f"{len(found)} issue(s), {errors} error(s)", err=True)
    # Like a linter: findings of severity "error" fail the command; warnings alone do not.
    sys.exit(EXIT_FAILING if errors else EXIT_OK)
