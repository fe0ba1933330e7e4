"""Memento archives (RFC 7089): archive.today, the Library of Congress, Arquivo.pt, pywb.

``--memento-archive URL`` names an archive by its base: the TimeMap of a page is at
``<base>/timemap/link/<url>`` (pywb, OpenWayback, the LoC, Arquivo.pt); a base containing
``{url}`` is a TimeMap template instead (``https://archive.ph/timemap/{url}``). The
TimeMap (``application/link-format``) lists every memento with its datetime; its
captures join the Wayback's when choosing, and verification settles what a TimeMap
does not say (the archived HTTP status).
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from requests.utils import parse_header_links

from ..fetch.retry import ARCHIVE_RETRY, RetryPolicy
from ..fetch.transport import Transport
from .ask import ArchiveUnavailable, ask
from .select import Capture

MAX_BODY = 4 * 1024 * 1024
_TIMESTAMP_IN_PATH = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/")


def archive_name(base: str) -> str:
    """How the report names an archive: its host and path, without the template."""
    parts = urlsplit(base.replace("{url}", ""))
    return (parts.netloc + parts.path).rstrip("/")


def timemap_url(base: str, url: str) -> str:
    if "{url}" in base:
        return base.replace("{url}", url)
    return f"{base.rstrip('/')}/timemap/link/{url}"


class MementoClient:
    def __init__(self, transport: Transport, base: str, *, backoff: RetryPolicy | None = None,
                 **ask_options: object) -> None:
        self.transport = transport
        self.base = base
        self.name = archive_name(base)
        self.backoff = backoff or ARCHIVE_RETRY
        self._ask_options = ask_options

    def captures(self, url: str) -> list[Capture]:
        """Every memento of ``url`` the archive lists; [] when it has none."""
        response = ask(
            self.transport, "GET", timemap_url(self.base, url),
            what=f"Memento TimeMap of {self.name}", backoff=self.backoff, max_body=MAX_BODY,
            headers={"Accept": "application/link-format"},
            ok=lambda r: r.status in (200, 404),
            **self._ask_options,  # type: ignore[arg-type]
        )
        if response.status == 404:  # RFC 7089: no TimeMap for a URL the archive lacks
            return []
        if response.truncated:
            raise ArchiveUnavailable(f"Memento TimeMap of {self.name}: answer too large")
        return parse_timemap(response.body.decode("utf-8", "replace"), archive=self.name,
                             original=url)


def parse_timemap(text: str, *, archive: str, original: str) -> list[Capture]:
    """The mementos in a link-format TimeMap, as captures of ``original``."""
    # Entries are separated by ",\n"; a datetime holds commas but never ",<".
    links = parse_header_links(" ".join(text.split()))
    captures = []
    for link in links:
        rels = link.get("rel", "").split()
        if "memento" not in rels or "datetime" not in link:
            continue
        try:
            when = parsedate_to_datetime(link["datetime"])
        except (TypeError, ValueError):
            continue
        uri = link["url"]
        captures.append(
            Capture(
                archive=archive,
                timestamp=when.strftime("%Y%m%d%H%M%S"),
                original=original,
                status=None,
                replay_url=uri,
                raw_url=raw_memento_url(uri),
            )
        )
    return captures


def raw_memento_url(uri: str) -> str:
    """The memento without the archive's rewriting (``id_``), where the archive offers it."""
    m = _TIMESTAMP_IN_PATH.search(uri)
    if not m:
        return uri
    return f"{uri[: m.start()]}/{m.group(1)}id_/{uri[m.end():]}"
