"""The Wayback CDX API: every capture of a URL, with the HTTP status the archive recorded.

Answers come as JSON (the Internet Archive: an array of rows, field names first; pywb and
some mirrors: one JSON object per line) or as text (space-separated rows in the default
field order); all three are read. Requests are paced (the Internet Archive allows about
24 CDX requests a minute) and backed off on 429/503 by ``ask``.

The real index serves rows no reader can use — impossible timestamps (``20000012170449``),
an "original" that is no URL, junk lines — among good ones. One bad row must not cost the
whole answer: it is skipped and counted (``CdxAnswer.skipped``, shown in the detail); only
an answer with no readable row at all is unreadable. ``warc/revisit`` rows (status ``-``)
record that a crawl saw the same bytes again: they take the status of the capture whose
digest they repeat, or none (verification settles it) when that capture is not in the
answer. An excluded site (403 with ``X-Archive-Wayback-Runtime-Error: ...Blocked Site
Error``) is a definite answer, not a failure: ``CdxAnswer.excluded`` says so.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..fetch.retry import ARCHIVE_RETRY, RetryPolicy, Sleep
from ..fetch.transport import HttpResponse, Transport
from ..settings import CDX_INTERVAL
from ..urls import is_http_url
from .ask import ArchiveUnavailable, Pacer, ask
from .wayback import CDX_FIELDS, CDXSnapshot, cdx_query_url, snapshot

CDX_MAX_BODY = 4 * 1024 * 1024
REVISIT = "warc/revisit"
# pywb's JSON lines name three fields differently from the Internet Archive's.
_ALIASES = {"url": "original", "mime": "mimetype", "status": "statuscode"}
_RUNTIME_ERROR = "X-Archive-Wayback-Runtime-Error"
_EXCLUDED = re.compile(r"Blocked Site Error|AdministrativeAccessControlException", re.I)


@dataclass(frozen=True)
class CdxAnswer:
    """What the CDX API said about a URL.

    ``records``: the readable rows, in the archive's order (revisits resolved). ``skipped``:
    rows that could not be read. ``excluded``: the archive's reason when it refuses to hold
    the site at all (then there are no records).
    """

    records: list[CDXSnapshot] = field(default_factory=list)
    skipped: int = 0
    excluded: str | None = None


def excluded_reason(response: HttpResponse) -> str | None:
    """The archive's own words when an answer says the site is excluded, else None."""
    said = response.headers.get(_RUNTIME_ERROR) or ""
    if response.status == 403 and _EXCLUDED.search(said):
        return "the archive excludes this site (" + said.rsplit(":", 1)[-1].strip() + ")"
    return None


class CdxClient:
    def __init__(
        self,
        transport: Transport,
        base: str,
        *,
        interval: float = CDX_INTERVAL,
        backoff: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.transport = transport
        self.base = base.rstrip("/")
        self.backoff = backoff or ARCHIVE_RETRY
        self._sleep = sleep
        self.pacer = Pacer(interval, sleep=sleep)

    def query(self, url: str, **params: Any) -> CdxAnswer:
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
            ok=lambda r: r.status == 200 or excluded_reason(r) is not None,
            sleep=self._sleep,
        )
        excluded = excluded_reason(response)
        if excluded:
            return CdxAnswer(excluded=excluded)
        if response.truncated:
            raise ArchiveUnavailable(f"CDX API: answer larger than {CDX_MAX_BODY} bytes")
        try:
            return parse_cdx(response.body.decode("utf-8", "replace"))
        except ValueError as exc:
            raise ArchiveUnavailable(f"CDX API: unreadable answer: {exc}") from None


def parse_cdx(text: str) -> CdxAnswer:
    """The readable records of a JSON (array of rows, or one object per line) or text
    answer, bad rows skipped and counted; ``ValueError`` when no row at all is readable."""
    stripped = text.strip()
    if not stripped:
        return CdxAnswer()
    if stripped.startswith("["):
        rows = json.loads(stripped)
        if not isinstance(rows, list) or not rows:
            return CdxAnswer()
        header, *body = rows
        if not isinstance(header, list):
            raise ValueError("CDX JSON without a header row")
        fields: Iterable[Mapping[str, Any] | None] = (
            dict(zip(header, row, strict=True))
            if isinstance(row, list) and len(row) == len(header) else None
            for row in body
        )
    elif stripped.startswith("{"):
        fields = (_json_line(line) for line in stripped.splitlines() if line.strip())
    else:
        fields = _text_rows(stripped)
    return _read(fields)


def _json_line(line: str) -> Mapping[str, Any] | None:
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    return {_ALIASES.get(k, k): v for k, v in obj.items()} if isinstance(obj, dict) else None


def _text_rows(text: str) -> Iterable[Mapping[str, str] | None]:
    lines = text.splitlines()
    # showResumeKey=true ends the rows with a blank line and the key to the next page.
    if len(lines) >= 2 and not lines[-2].strip() and len(lines[-1].split()) == 1:
        lines = lines[:-2]
    for line in lines:
        values = line.split()
        yield dict(zip(CDX_FIELDS, values, strict=True)) if len(values) == len(CDX_FIELDS) else None


def _read(rows: Iterable[Mapping[str, Any] | None]) -> CdxAnswer:
    records: list[CDXSnapshot] = []
    skipped = 0
    for row in rows:
        record = _record(row)
        if record is None:
            skipped += 1
        else:
            records.append(record)
    if skipped and not records:
        raise ValueError(f"no readable CDX row ({skipped} malformed)")
    return CdxAnswer(_resolve_revisits(records), skipped)


def _record(row: Mapping[str, Any] | None) -> CDXSnapshot | None:
    if row is None:
        return None
    try:
        record = snapshot(row)
    except ValueError:  # a timestamp that is no date: 20000012170449
        return None
    if not is_http_url(record.original):
        return None  # an "original" that is no URL cannot be replayed
    return record


def _resolve_revisits(records: list[CDXSnapshot]) -> list[CDXSnapshot]:
    status_of = {r.digest: r.statuscode for r in records
                 if r.statuscode.isdigit() and r.mimetype != REVISIT and r.digest}
    resolved = []
    for r in records:
        if not r.statuscode.isdigit():
            fields = {name: getattr(r, name) for name in CDX_FIELDS}
            r = snapshot({**fields, "statuscode": status_of.get(r.digest, "-")})
        resolved.append(r)
    return resolved
