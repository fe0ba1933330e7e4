"""Shared command-line options, as decorators, and the objects built from them."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from .. import USER_AGENT
from ..fetch.transport import (
    DEFAULT_PER_HOST,
    DEFAULT_TIMEOUT,
    Network,
    NetworkPolicy,
    Transport,
    origin_of,
)
from ..settings import MEDIAWIKI_API
from ..urls import is_http_url

F = TypeVar("F", bound=Callable[..., Any])


# The options' values checked as they are parsed (one line, exit 2), not found useless
# halfway through a run. One type per kind of value, shared by every command that has it.
class HttpUrl(click.ParamType):
    """An http(s) URL with a host. ``placeholders`` (``{lang}``) may stand in it."""

    name = "url"

    def __init__(self, *placeholders: str) -> None:
        self.placeholders = placeholders

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        probe = text
        for placeholder in self.placeholders:
            probe = probe.replace(placeholder, "x")
        if not is_http_url(probe):
            self.fail(f"not an http(s) URL: {value!r}", param, ctx)
        return text


class MementoArchiveSpec(click.ParamType):
    """A Memento archive's preset name, base URL, or TimeMap template with {url}."""

    name = "archive"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..archive_urls import memento_archive

        try:
            memento_archive(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        return str(value)


class SaveKeys(click.ParamType):
    """Save Page Now's ``ACCESS:SECRET``."""

    name = "keys"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..archives.save import valid_keys  # only when the option is given

        if not valid_keys(str(value)):
            # Never echo the value: it is a secret, or a mistyped one.
            self.fail("expected ACCESS:SECRET (an archive.org account's S3 keys)", param, ctx)
        return str(value)


class UrlPatternType(click.ParamType):
    """A URL pattern of --exclude/--include: a regex, or a bare domain (urlfilter)."""

    name = "pattern"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..urlfilter import Pattern, parse_pattern

        if isinstance(value, Pattern):
            return value
        origin = param.opts[0] if isinstance(param, click.Option) else "pattern"
        try:
            return parse_pattern(str(value), origin)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class AcceptStatuses(click.ParamType):
    """--accept's status codes in lychee's syntax: ``200..=204, 403`` — a code, ``A..B``
    (B not included, as in lychee and Rust), ``A..=B``, ``A..`` (to 999), ``..B``."""

    name = "statuses"
    _RANGE = re.compile(r"^(\d+)?\.\.(=?)(\d+)?$")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, frozenset):
            return value
        codes: set[int] = set()
        for part in str(value).split(","):
            part = part.strip()
            try:
                codes.update(self._codes(part))
            except ValueError as exc:
                self.fail(f"{part!r}: {exc} (e.g. 200..=299,403)", param, ctx)
        return frozenset(codes)

    def _codes(self, part: str) -> range:
        if part.isdigit():
            start, end = int(part), int(part)
        else:
            match = self._RANGE.match(part)
            if not match or (match.group(2) and match.group(3) is None):
                raise ValueError("not a status code or range")
            start = int(match.group(1) or 100)
            end = 999 if match.group(3) is None else int(match.group(3)) - (not match.group(2))
        if start < 100 or end > 999:
            raise ValueError("status codes run from 100 to 999")
        if start > end:
            raise ValueError("an empty range")
        return range(start, end + 1)


# RFC 9110's token: the characters a header name may have.
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# Headers the transports set themselves, or that frame the request: given by the user they
# would break what the checks rely on (the honest User-Agent has its own option).
_OWN_HEADERS = {
    "host": "the host is the URL's",
    "user-agent": "use --user-agent",
    "content-length": "the transport frames requests",
    "transfer-encoding": "the transport frames requests",
    "connection": "the transport manages connections",
    "accept-encoding": "the transport decodes (and caps) only what it asks for",
}


class HeaderLine(click.ParamType):
    """--header ``Name: value``: one HTTP header for the live checks."""

    name = "header"
    # VERIFY_REFS_HEADER holds one header a line: a header's value has spaces.
    envvar_list_splitter = "\n"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        name, sep, text = str(value).partition(":")
        name, text = name.strip(), text.strip()
        if not sep or not _TOKEN.match(name):
            self.fail("expected 'Name: value' (a header name before a colon)", param, ctx)
        if any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in text):
            # CR or LF would end the header and start another (header injection).
            self.fail(f"{name}: a header value may not hold control characters", param, ctx)
        if name.lower() in _OWN_HEADERS:
            self.fail(f"{name}: not settable here ({_OWN_HEADERS[name.lower()]})", param, ctx)
        return (name, text)


class UserAgent(click.ParamType):
    """--user-agent: one line of printable text."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip()
        if not text or any(ord(c) < 32 or ord(c) == 127 for c in text):
            self.fail("a User-Agent is one line of printable text", param, ctx)
        return text


HTTP_URL = HttpUrl()
API_URL = HttpUrl("{lang}")  # a MediaWiki API, per wiki language or one wiki's
MEMENTO_ARCHIVE = MementoArchiveSpec()
SAVE_KEYS = SaveKeys()
URL_PATTERN = UrlPatternType()
ACCEPT = AcceptStatuses()
HEADER = HeaderLine()
USER_AGENT_TEXT = UserAgent()


def network_options(func: F) -> F:
    """--allow-network, --resolve, --timeout, --per-host: how requests may go out."""
    options = [
        click.option(
            "--allow-network",
            "allow_network",
            multiple=True,
            metavar="CIDR",
            help="A private address range that may be fetched (repeatable).",
        ),
        click.option(
            "--resolve",
            "resolve",
            multiple=True,
            metavar="HOST=ADDR[:PORT]",
            help="Connect to ADDR (and PORT) for HOST, like curl's --resolve (repeatable).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            help="The most one check of a URL may take, start to end, retries included, "
            "in seconds.",
        ),
        click.option(
            "--per-host",
            type=click.IntRange(min=1),
            default=DEFAULT_PER_HOST,
            show_default=True,
            help="Requests at a time to one host.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def api_option(func: F) -> F:
    """--api: the MediaWiki API a Wikipedia article URL is fetched through."""
    return click.option(
        "--api",
        type=API_URL,
        default=MEDIAWIKI_API,
        show_default=True,
        help="The MediaWiki API for a Wikipedia URL; {lang} is the wiki's language.",
    )(func)


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise click.BadParameter(
                f"not an address range: {value!r}", param_hint="--allow-network"
            ) from None
    return tuple(networks)


def parse_resolve(values: Iterable[str]) -> dict[str, tuple[str, int | None]]:
    mapping: dict[str, tuple[str, int | None]] = {}
    for value in values:
        host, sep, target = value.partition("=")
        if not sep or not host or not target:
            raise click.BadParameter(
                f"expected HOST=ADDR[:PORT], got {value!r}", param_hint="--resolve"
            )
        port: int | None = None
        addr = target
        if target.startswith("["):  # [::1]:8080
            addr, _, rest = target[1:].partition("]")
            port_text = rest.lstrip(":")
            port = int(port_text) if port_text.isdigit() else None
        elif target.count(":") == 1:
            addr, port_text = target.split(":")
            if not port_text.isdigit():
                raise click.BadParameter(f"bad port in {value!r}", param_hint="--resolve")
            port = int(port_text)
        try:
            ipaddress.ip_address(addr)
        except ValueError:
            raise click.BadParameter(
                f"not an IP address: {addr!r}", param_hint="--resolve"
            ) from None
        mapping[host.lower()] = (addr, port)
    return mapping


def build_policy(
    allow_network: Iterable[str], resolve: Iterable[str], trusted_urls: Iterable[str] = ()
) -> NetworkPolicy:
    """The address policy; URLs the user configured explicitly (archive, API) are trusted."""
    return NetworkPolicy(
        allowed_networks=parse_networks(allow_network),
        resolve=parse_resolve(resolve),
        trusted_origins=frozenset(origin_of(u) for u in trusted_urls),
    )


def build_transport(
    policy: NetworkPolicy,
    *,
    timeout: float,
    per_host: int,
    user_agent: str = USER_AGENT,
    ca_bundle: str | None = None,
) -> Transport:
    """The one Transport of a command: every request it makes goes through it."""
    return Transport(
        policy=policy,
        user_agent=user_agent,
        timeout=timeout,
        per_host=per_host,
        ca_bundle=ca_bundle,
    )
