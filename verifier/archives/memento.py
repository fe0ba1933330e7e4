"""Memento archives (RFC 7089): archive.today, the Library of Congress, Arquivo.pt, pywb.

``--memento-archive`` names an archive by a preset (``archive.today``, ``arquivo.pt``,
``loc``, ``ukwa``, ``archive-it``: ``verifier.archive_urls.MEMENTO_PRESETS``) or by its
base or TimeMap template (``verifier.archive_urls.memento_archive``). The TimeMap
(``application/link-format``) lists every memento with its datetime; its captures join
the Wayback's when choosing, and verification settles what a TimeMap does not say (the
archived HTTP status). Where an archive has no TimeMap, or its TimeMap cannot be had, its
TimeGate is asked instead: it names one memento (the newest) by ``Location`` and, in its
``Link`` header, often the first and last too.
"""

from __future__ import annotations

import time

from requests.utils import parse_header_links

from ..archive_urls import (
    MementoArchive,
    http_date_timestamp,
    memento_archive,
    raw_replay_url,
    split_replay,
)
from ..fetch.retry import ARCHIVE_RETRY, RetryPolicy, Sleep
from ..fetch.transport import Transport
from .ask import ArchiveUnavailable, ask
from .select import Capture

MAX_BODY = 4 * 1024 * 1024
_MOVED = (301, 302, 303, 307, 308)


def archive_name(spec: str) -> str:
    """How the report names an archive: a preset's name, else its host and path."""
    return memento_archive(spec).name


def timemap_url(spec: str, url: str) -> str:
    template = memento_archive(spec).timemap
    if template is None:
        raise ValueError(f"{spec} has no TimeMap")
    return template.replace("{url}", url)


class MementoClient:
    def __init__(self, transport: Transport, spec: str, *, backoff: RetryPolicy | None = None,
                 sleep: Sleep = time.sleep) -> None:
        self.transport = transport
        self.archive: MementoArchive = memento_archive(spec)
        self.base = spec
        self.name = self.archive.name
        self.backoff = backoff or ARCHIVE_RETRY
        self._sleep = sleep

    def captures(self, url: str) -> list[Capture]:
        """Every memento of ``url`` the archive lists; [] when it has none."""
        if self.archive.timemap is None:
            return self._timegate(url)
        try:
            return self._timemap(url)
        except ArchiveUnavailable:
            if self.archive.timegate is None:
                raise
            return self._timegate(url)

    def _timemap(self, url: str) -> list[Capture]:
        assert self.archive.timemap is not None
        response = ask(
            self.transport, "GET", self.archive.timemap.replace("{url}", url),
            what=f"Memento TimeMap of {self.name}", backoff=self.backoff, max_body=MAX_BODY,
            headers={"Accept": "application/link-format"},
            ok=lambda r: r.status in (200, 404),
            sleep=self._sleep,
        )
        if response.status == 404:  # RFC 7089: no TimeMap for a URL the archive lacks
            return []
        if response.truncated:
            raise ArchiveUnavailable(f"Memento TimeMap of {self.name}: answer too large")
        return parse_timemap(response.body.decode("utf-8", "replace"), archive=self.name,
                             original=url)

    def _timegate(self, url: str) -> list[Capture]:
        assert self.archive.timegate is not None
        response = ask(
            self.transport, "GET", self.archive.timegate.replace("{url}", url),
            what=f"Memento TimeGate of {self.name}", backoff=self.backoff, max_body=MAX_BODY,
            ok=lambda r: r.status in (200, 404, *_MOVED),
            sleep=self._sleep,
        )
        if response.status == 404:
            return []
        found = parse_timemap(response.headers.get("Link", ""), archive=self.name, original=url)
        location = response.headers.get("Location")
        memento = location if response.status in _MOVED and location else (
            response.url if "Memento-Datetime" in response.headers else None)
        if memento and memento not in {c.replay_url for c in found}:
            when = http_date_timestamp(response.headers.get("Memento-Datetime"))
            replay = split_replay(memento)
            timestamp = when or (replay.timestamp if replay else None)
            if timestamp:
                found.append(Capture(self.name, timestamp, url, None, memento,
                                     raw_replay_url(memento)))
        return found


def parse_timemap(text: str, *, archive: str, original: str) -> list[Capture]:
    """The mementos in a link-format TimeMap (or a ``Link`` header), as captures of
    ``original``."""
    # Entries are separated by ",\n"; a datetime holds commas but never ",<".
    links = parse_header_links(" ".join(text.split())) if text.strip() else []
    captures = []
    for link in links:
        rels = link.get("rel", "").split()
        timestamp = http_date_timestamp(link.get("datetime"))
        if "memento" not in rels or timestamp is None:
            continue
        uri = link["url"]
        captures.append(Capture(archive=archive, timestamp=timestamp, original=original,
                                status=None, replay_url=uri, raw_url=raw_replay_url(uri)))
    return captures

