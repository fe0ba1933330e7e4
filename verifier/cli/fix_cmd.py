"""``verify-refs fix``: the article's wikitext with a report's fixes applied."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ..errors import InputError
from .errors import reported_errors
from .fixes_cmd import from_report_option
from .options import api_option, network_options

# The wikis wikifix.style.DEAD_LINK knows (a test holds the two together); named here so
# that the command line does not load the wikitext stack for every other command.
WIKIS = ("en", "ja", "ru", "zh")


@click.command("fix")
@click.argument("article")
@from_report_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the corrected wikitext (or the diff) here (default: standard output).",
)
@click.option("--diff", "as_diff", is_flag=True, help="Print a unified diff instead.")
@click.option(
    "--add-archives",
    is_flag=True,
    help="Also give every healthy citation without an archive its snapshot (url-status=live).",
)
@click.option(
    "--lang",
    type=click.Choice(WIKIS),
    help="The wiki the article is for: its dead-link template and date forms.  "
    "[default: the URL's wiki, else the report's language, else the article's script]",
)
@api_option
@network_options
def fix(
    article: str,
    from_path: Path,
    out: Path | None,
    as_diff: bool,
    add_archives: bool,
    lang: str | None,
    api: str,
    allow_network: tuple[str, ...],
    resolve: tuple[str, ...],
    timeout: float,
    per_host: int,
) -> None:
    """Write ARTICLE's wikitext (a file or a Wikipedia URL) with the report's fixes
    applied, changing nothing else; the edit summary goes to standard error.

    Saving the edit is left to the editor, under their own account.
    """
    from ..atomic import write_atomic
    from ..report import load_report
    from ..wikifix import FixOptions, apply_results, unified_diff
    from ..wikifix.style import guess_wiki
    from .sources import read_wikitext

    with reported_errors():  # bad input: one line, exit status 2, nothing written
        report = load_report(from_path)
        page = read_wikitext(
            article,
            api=api,
            allow_network=allow_network,
            resolve=resolve,
            timeout=timeout,
            per_host=per_host,
        )
        language = str(report.source.get("language") or "").split("-")[0]
        wiki = lang or page.lang or (language if language in WIKIS else guess_wiki(page.text))
        options = FixOptions(wiki=wiki, add_archives=add_archives, today=date.today())
        outcome = apply_results(page.text, report.results, options)
        if outcome.unmatched and not outcome.matched:
            raise InputError(
                f"{from_path}: none of its {len(outcome.unmatched)} references with a URL "
                f"is cited in {article}: a report of another article?"
            )
        output = unified_diff(page.text, outcome.text, page.title) if as_diff else outcome.text
        if out is not None:
            write_atomic(out, [output])
        else:
            # Bytes, not text: the article's own newlines and characters, whatever the
            # terminal's encoding.
            sys.stdout.buffer.write(output.encode("utf-8"))
            sys.stdout.flush()
    for result in outcome.unmatched:
        ref = result.reference
        click.echo(
            f"verify-refs fix: not found in {article}: reference {ref.id} "
            f"({result.verdict}): {ref.url}",
            err=True,
        )
    click.echo(outcome.summary(), err=True)
    if page.revid is not None:
        click.echo(
            f"base revision: {page.revid} ({page.timestamp or 'time unknown'}) of {page.url}",
            err=True,
        )
