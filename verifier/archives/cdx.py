"""The Wayback CDX API: every capture of a URL, with the HTTP status the archive recorded.

Answers come as JSON (the Internet Archive: an array of rows, field names first; pywb and
some mirrors: one JSON object per line) or as text (space-separated rows in the default
field order); all three are read. Requests are paced (the Internet Archive allows about
24 CDX requests a minute) and backed off on 429/503 by ``ask``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..fetch.retry import ARCHIVE_RETRY, RetryPolicy
from ..fetch.transport import Transport
from .ask import ArchiveUnavailable, Pacer, ask
from .wayback import CDX_FIELDS, CDXSnapshot, cdx_query_url, snapshot

CDX_INTERVAL = 2.5  # seconds between CDX requests: 24 a minute
CDX_MAX_BODY = 4 * 1024 * 1024
# pywb's JSON lines name three fields differently from the Internet Archive's.
_ALIASES = {"url": "original", "mime": "mimetype", "status": "statuscode"}


class CdxClient:
    def __init__(
        self,
        transport: Transport,
        base: str,
        *,
        interval: float = CDX_INTERVAL,
        backoff: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.transport = transport
        self.base = base.rstrip("/")
        self.backoff = backoff or ARCHIVE_RETRY
        self._sleep_kw = {"sleep": sleep} if sleep else {}
        self.pacer = Pacer(interval, **self._sleep_kw)

    def query(self, url: str, **params: Any) -> list[CDXSnapshot]:
        """Captures of ``url`` (``filters``, ``from_``, ``to``, ``limit``, ``closest``, ...).

        Raises ``ArchiveUnavailable`` when the archive does not answer usably.
        """
        output = params.pop("output", "json")
        request_url = cdx_query_url(self.base, url, output=output, **params)
        response = ask(
            self.transport,
            "GET",
            request_url,
            what="CDX API",
            backoff=self.backoff,
            pacer=self.pacer,
            max_body=CDX_MAX_BODY,
            **self._sleep_kw,
        )
        if response.truncated:
            raise ArchiveUnavailable(f"CDX API: answer larger than {CDX_MAX_BODY} bytes")
        try:
            return parse_cdx(response.body.decode("utf-8", "replace"))
        except ValueError as exc:
            raise ArchiveUnavailable(f"CDX API: unreadable answer: {exc}") from None


def parse_cdx(text: str) -> list[CDXSnapshot]:
    """CDX records from a JSON (array of rows, or one object per line) or text answer."""
    stripped = text.strip()
    if not stripped:
        return []
    if stripped.startswith("["):
        rows = json.loads(stripped)
        if not isinstance(rows, list) or not rows:
            return []
        header, *body = rows
        if not all(isinstance(r, list) and len(r) == len(header) for r in body):
            raise ValueError("CDX JSON rows do not match the header row")
        return [snapshot(dict(zip(header, row, strict=True))) for row in body]
    if stripped.startswith("{"):
        objects = [json.loads(line) for line in stripped.splitlines() if line.strip()]
        return [snapshot({_ALIASES.get(k, k): v for k, v in o.items()}) for o in objects]
    records = []
    for line in stripped.splitlines():
        values = line.split(" ")
        if len(values) != len(CDX_FIELDS):
            raise ValueError(f"CDX line with {len(values)} fields: {line[:80]!r}")
        records.append(snapshot(dict(zip(CDX_FIELDS, values, strict=True))))
    return records
