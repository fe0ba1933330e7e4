"""The command line: the only place that prints, reads the clock for a run, or exits.

``verify-refs`` alone is the main job (see ``run``); ``parse``, ``lint``, ``fixes`` and
``fix`` are subcommands. Library errors become one-line messages with exit status 2 here.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from click.core import ParameterSource

from .. import __version__, user_agent
from ..archive_urls import MEMENTO_PRESETS
from ..fetch.retry import LIVE_RETRY
from ..model import Verdict
from ..policy import default_fail_on
from ..report import FORMATS
from ..settings import CDX_INTERVAL, DEFAULT_CONCURRENCY, MEDIAWIKI_API, WAYBACK_URL, Settings
from ..urlfilter import IGNORE_FILE, Pattern, UrlFilter, patterns_from_lines
from .config import load_config, show_config, with_envvars
from .errors import (
    EXIT_FAILING,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    BadInput,
    reported_errors,
)
from .fix_cmd import fix
from .fixes_cmd import fixes
from .group import MainGroup
from .options import (
    ACCEPT,
    API_URL,
    HEADER,
    HTTP_URL,
    MEMENTO_ARCHIVE,
    SAVE_KEYS,
    URL_PATTERN,
    USER_AGENT_TEXT,
    build_policy,
    network_options,
)
from .output import NORMAL, QUIET, VERBOSE, Output
from .parse_cmd import lint, parse
from .sources import gather_inputs, is_article_url

__all__ = ["EXIT_FAILING", "EXIT_OK", "EXIT_USAGE", "main"]

VERDICTS = [str(v) for v in Verdict]
REPORT_FORMATS = [f for f in FORMATS if f != "json"] + ["json"]


@click.group(
    cls=MainGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="verify-refs")
@click.option(
    "--config",
    metavar="FILE",
    is_eager=True,  # read before the other options take their values: it fills their defaults
    expose_value=False,
    callback=load_config,
    help="A TOML file of settings, keys the long option names (pyproject.toml: its "
    "[tool.verify-refs] table).  [default: ./verify-refs.toml, else ./pyproject.toml's "
    "[tool.verify-refs]]",
)
@click.option(
    "--show-config",
    is_flag=True,
    help="Print the effective settings, each with where it came from (command line, "
    "environment VERIFY_REFS_*, config file, default), and exit.",
)
@click.option(
    "--refs",
    multiple=True,
    metavar="FILE|URL|-",
    help="A references file, an article (plain text, HTML or wikitext), a Wikipedia "
    "article URL (imported through --api, as parse imports it), or - for standard input; "
    "repeatable (several: a report set each in OUT/NAME/, and OUT/index.json).  "
    "[default: references.json]",
)
@click.option(
    "--files-from",
    metavar="FILE|-",
    help="Also check every article this file lists, one file or URL a line (blank lines "
    "and # comments skipped); - reads the list from standard input.",
)
@click.option(
    "--dump",
    is_flag=True,
    help="List what would be checked (id, URL, cited archive URL; tab-separated) and "
    "check nothing.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="One line per reference on stderr as it is checked (instead of the progress bar).",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print nothing but errors: bad input, the failing references, a run that could "
    "not do its work (offline, archive unreachable).",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    type=click.Choice(REPORT_FORMATS),
    help="A report format to write (repeatable); report.json is always written.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Where reports go.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The history database.  [default: OUT/history.sqlite]",
)
@click.option("--no-history", is_flag=True, help="Neither read nor write the history database.")
@click.option(
    "--wayback-url",
    type=HTTP_URL,
    default=WAYBACK_URL,
    show_default=True,
    help="The Wayback Machine's base URL (availability, CDX and replay live under it).",
)
@click.option(
    "--memento-archive",
    "memento_archives",
    multiple=True,
    metavar="NAME|URL",
    type=MEMENTO_ARCHIVE,
    help="A Memento (RFC 7089) archive to consult too (repeatable): "
    f"{', '.join(MEMENTO_PRESETS)}, or its base URL or TimeMap template with {{url}}.",
)
@click.option("--no-archive", is_flag=True, help="Skip the archive checks.")
@click.option(
    "--fail-on",
    multiple=True,
    type=click.Choice(VERDICTS),
    help="A verdict that fails the run (repeatable).  "
    "[default: lost; lost and broken with --no-archive]",
)
@click.option(
    "--confirm-after",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="A dead link fails the run only after N failing checks at least a day apart.",
)
@click.option(
    "--new-only",
    is_flag=True,
    help="Fail only on references whose verdict is new since their last conclusive check "
    "(for a nightly job: fail on newly lost sources, not every night on the same ones).",
)
@click.option(
    "--refresh-urls",
    is_flag=True,
    help="First fetch the live article named by source.url and fill in missing URLs.",
)
@click.option(
    "--api",
    "mediawiki_api",
    type=API_URL,
    default=MEDIAWIKI_API,
    show_default=True,
    help="The MediaWiki API used by --refresh-urls and a --refs URL ({lang} is the wiki's "
    "language).",
)
@click.option(
    "--save", is_flag=True, help="Ask the Wayback Machine to capture live, unarchived pages."
)
@click.option(
    "--save-keys",
    type=SAVE_KEYS,
    metavar="ACCESS:SECRET",
    help="Keys for authenticated Save Page Now.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Requests at a time in all.",
)
@click.option(
    "--ca-bundle",
    type=click.Path(exists=True, dir_okay=False),
    help="Extra CA certificates to trust (an institutional archive's, a test CA).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr.  [default: when stderr is a terminal, not in CI]",
)
@click.option(
    "--contact",
    metavar="EMAIL-OR-URL",
    help="How site operators can reach whoever runs this check; added to the User-Agent.",
)
@click.option(
    "--online-probe",
    "online_probes",
    multiple=True,
    type=HTTP_URL,
    metavar="URL",
    help="A URL that answers whenever this machine is online (repeatable); used to tell "
    "a dead link from a dead network.  [default: a few well-known sites]",
)
@click.option(
    "--archive-interval",
    type=click.FloatRange(min=0),
    default=CDX_INTERVAL,
    show_default=True,
    help="Seconds between CDX requests (the Internet Archive allows about 24 a minute).",
)
@click.option(
    "--now",
    "fixed_now",
    metavar="ISO-TIME",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
    default=None,
    help="Take this time (UTC unless given) as the run's and every check's time instead of "
    "the clock: for replaying nights into the history (the demo does).",
)
@click.option(
    "--exclude",
    multiple=True,
    type=URL_PATTERN,
    metavar="REGEX|DOMAIN",
    help="Do not check cited URLs matching this (repeatable): a regular expression "
    "searched for in the URL, or a bare domain (it and its subdomains).",
)
@click.option(
    "--include",
    multiple=True,
    type=URL_PATTERN,
    metavar="REGEX|DOMAIN",
    help="Check cited URLs matching this even when excluded (repeatable); given alone, "
    "check only these.",
)
@click.option(
    "--ignore-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Exclude patterns, one a line (# comments).  [default: ./.verify-refs-ignore "
    "when it exists]",
)
@click.option(
    "--accept",
    type=ACCEPT,
    metavar="CODES",
    help="HTTP statuses a live answer is ok with as it is, as lychee takes them: "
    "'403', '200..=299,403', '400..500' (500 not included). 2xx pages are judged anyway.",
)
@click.option(
    "--max-retries",
    type=click.IntRange(min=0, max=10),
    default=LIVE_RETRY.attempts - 1,
    show_default=True,
    help="Retries of a live check after a timeout, a reset, 5xx or 429 (within --timeout).",
)
@click.option(
    "--header",
    "headers",
    multiple=True,
    type=HEADER,
    metavar="'NAME: VALUE'",
    help="An HTTP header for the live checks (repeatable), sent to the cited URL's host "
    "only: never to another host, an archive or the wiki's API.",
)
@click.option(
    "--user-agent",
    "custom_user_agent",
    type=USER_AGENT_TEXT,
    metavar="TEXT",
    help="Replace the User-Agent (the default names verify-refs and how to reach it).",
)
@network_options
@click.pass_context
def main(ctx: click.Context, **options: Any) -> None:
    """Check an article's references live and in web archives, and report the fixes.

    Without a command, runs the main job: reads ./references.json (or the ARTICLEs, --refs,
    --files-from; - is standard input), checks every reference, writes reports/report.json
    and every --report format (several articles: reports/NAME/ each, and
    reports/index.json), keeps the history, and exits 1 when a reference falls under the
    failing policy (--fail-on).
    """
    if ctx.invoked_subcommand is not None:
        _refuse_main_job_options(ctx)
        return
    from .run_cmd import run_main_job  # the main job's imports are not needed by subcommands

    if options.pop("show_config"):
        for line in show_config(ctx):
            click.echo(line)
        ctx.exit(EXIT_OK)
    with reported_errors():
        output = _output(options)
        settings = settings_from_options(**options)
        try:
            code = run_main_job(settings, output)
        except KeyboardInterrupt:  # outside the checks: nothing half-written, say so
            click.echo("verify-refs: interrupted; no report written", err=True)
            code = EXIT_INTERRUPTED
        ctx.exit(code)


def _refuse_main_job_options(ctx: click.Context) -> None:
    """The options above act on the main job only: given before a command, they would be
    silently ignored (``verify-refs --save lint``), so they are refused."""
    given = [
        _spelled(param, ctx.params.get(param.name))
        for param in ctx.command.params
        if param.name
        # Only what was typed: the environment and a config file are there for every
        # command, and set the main job's options for when it runs.
        and ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE
    ]
    if given:
        raise BadInput(
            f"{', '.join(given)}: {'options' if len(given) > 1 else 'an option'} of the main "
            f"job (verify-refs without a command), not of `{ctx.invoked_subcommand}`"
        )


def _spelled(param: click.Parameter, value: object) -> str:
    """The option as the user wrote it (``--no-progress``, not ``--progress``)."""
    if isinstance(param, click.Option) and param.secondary_opts and value is False:
        return param.secondary_opts[0]
    return param.opts[0]


def settings_from_options(
    *,
    refs: tuple[str, ...],
    articles: tuple[str, ...] = (),
    files_from: str | None = None,
    reports: tuple[str, ...],
    out: Path,
    db: Path | None,
    no_history: bool,
    wayback_url: str,
    memento_archives: tuple[str, ...],
    no_archive: bool,
    fail_on: tuple[str, ...],
    confirm_after: int,
    new_only: bool,
    refresh_urls: bool,
    mediawiki_api: str,
    save: bool,
    save_keys: str | None,
    concurrency: int,
    ca_bundle: str | None,
    progress: bool | None,
    contact: str | None,
    online_probes: tuple[str, ...],
    archive_interval: float,
    allow_network: tuple[str, ...],
    resolve: tuple[str, ...],
    timeout: float,
    per_host: int,
    fixed_now: datetime | None,
    accept: frozenset[int] | None = None,
    max_retries: int = LIVE_RETRY.attempts - 1,
    headers: tuple[tuple[str, str], ...] = (),
    custom_user_agent: str | None = None,
    exclude: tuple[Pattern, ...] = (),
    include: tuple[Pattern, ...] = (),
    ignore_file: Path | None = None,
) -> Settings:
    """The main job's options, typed, as the one ``Settings`` the library reads."""
    # A preset names a public archive (nothing to trust); a URL the user named is trusted.
    trusted = [wayback_url, *(m for m in memento_archives if "://" in m)]
    inputs = gather_inputs(refs, articles, files_from)
    imports = any(is_article_url(source) for source in inputs)
    if (refresh_urls or imports) and "{" not in urlsplit(mediawiki_api).netloc:
        # An API on a host the user named (a local mirror, a test server) may be private;
        # the per-language Wikipedia hosts of the default are public and need no trust.
        trusted.append(mediawiki_api)
    settings = Settings(
        inputs=inputs,
        out=out,
        reports=reports,
        db=None if no_history else (db or out / "history.sqlite"),
        wayback_url=wayback_url.rstrip("/"),
        memento_archives=memento_archives,
        mediawiki_api=mediawiki_api,
        policy=build_policy(allow_network, resolve, trusted),
        timeout=timeout,
        per_host=per_host,
        concurrency=concurrency,
        check_archive=not no_archive,
        fail_on=tuple(Verdict(v) for v in fail_on) or default_fail_on(check_archive=not no_archive),
        confirm_after=confirm_after,
        new_only=new_only,
        refresh_urls=refresh_urls,
        save=save,
        save_keys=save_keys,
        ca_bundle=ca_bundle,
        progress=_want_progress(progress),
        online_probes=online_probes,
        user_agent=_user_agent(custom_user_agent, contact),
        archive_interval=archive_interval,
        now=_utc(fixed_now),
        url_filter=UrlFilter.of(include, (*exclude, *_ignored(ignore_file))),
        accept=accept or frozenset(),
        max_retries=max_retries,
        headers=headers,
    )
    return settings.for_input(inputs[0])  # refs or article_url: the first article's


def _user_agent(custom: str | None, contact: str | None) -> str:
    """The honest User-Agent (with --contact), or the user's own instead (then being
    reachable, as Wikimedia's policy asks, is theirs to write into it)."""
    if custom is None:
        return user_agent(contact)
    if contact:
        raise BadInput("--user-agent and --contact: put the contact into your User-Agent")
    return custom


def _ignored(named: Path | None) -> tuple[Pattern, ...]:
    """The ignore file's patterns: the one named, else ./.verify-refs-ignore if it exists
    (as lychee reads ./.lycheeignore)."""
    path = named or Path(IGNORE_FILE)
    if named is None and not path.is_file():
        return ()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise BadInput(f"--ignore-file: cannot read {path}: {why}") from None
    try:
        return patterns_from_lines(text, str(path))
    except ValueError as exc:
        raise BadInput(str(exc)) from None


def _output(options: dict[str, Any]) -> Output:
    """-v, -q and --dump, taken out of ``options``: what the terminal is told, not how
    the references are checked."""
    verbose, quiet, dump = options.pop("verbose"), options.pop("quiet"), options.pop("dump")
    if verbose and quiet:
        raise BadInput("-v and -q: give one of them, not both")
    if (verbose or quiet) and options["progress"] is None:
        options["progress"] = False  # -v's lines are the progress; -q shows none
    return Output(verbosity=VERBOSE if verbose else QUIET if quiet else NORMAL, dump=dump)


def _want_progress(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return sys.stderr.isatty() and not os.environ.get("CI")


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


main.add_command(parse)
main.add_command(lint)
main.add_command(fixes)
main.add_command(fix)
with_envvars(main)  # after the commands: each gets its VERIFY_REFS_<COMMAND>_ variables
