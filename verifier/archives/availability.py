"""The Wayback availability API: does the archive hold a URL at all, and its closest capture.

One URL: ``GET /wayback/available?url=...&timestamp=...``. Many: one ``POST`` with the
header ``Wayback-Api-Version: 2`` and a body of newline-separated query strings
(``url=...&timestamp=...``), answered under ``results[].archived_snapshots.closest`` —
the form Wikipedia's archive bot uses, so a whole article costs a few requests. Its
capture joins the CDX API's rows (and stands in when the CDX API fails); its silence is
not "not archived": it answers ``{}`` for URLs it holds now and then, and for URLs whose
captures are all of errors or redirects (``holdings``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..fetch.retry import ARCHIVE_RETRY, RetryPolicy, Sleep
from ..fetch.transport import Transport
from .ask import ArchiveUnavailable, ask, json_object

BATCH_SIZE = 100  # URLs per POST
MAX_BODY = 4 * 1024 * 1024


@dataclass(frozen=True)
class Closest:
    url: str
    timestamp: str
    status: int | None


@dataclass(frozen=True)
class Query:
    url: str
    timestamp: str | None = None  # digits, YYYY to YYYYMMDDhhmmss


class AvailabilityClient:
    def __init__(self, transport: Transport, base: str, *, backoff: RetryPolicy | None = None,
                 sleep: Sleep = time.sleep) -> None:
        self.transport = transport
        self.endpoint = base.rstrip("/") + "/wayback/available"
        self.backoff = backoff or ARCHIVE_RETRY
        self._sleep = sleep

    def closest(self, query: Query) -> Closest | None:
        """The capture closest to the query's timestamp, or None when there is none."""
        params = {"url": query.url, **({"timestamp": query.timestamp} if query.timestamp else {})}
        response = ask(
            self.transport, "GET", f"{self.endpoint}?{urlencode(params)}",
            what="availability API", backoff=self.backoff, max_body=MAX_BODY,
            sleep=self._sleep,
        )
        return _closest(json_object(response.body, "availability API"))

    def closest_many(self, queries: Sequence[Query]) -> list[Closest | None]:
        """``closest`` for each query, in order, a batch per POST."""
        answers: list[Closest | None] = []
        for start in range(0, len(queries), BATCH_SIZE):
            answers.extend(self._batch(queries[start : start + BATCH_SIZE]))
        return answers

    def _batch(self, queries: Sequence[Query]) -> list[Closest | None]:
        lines = []
        for i, q in enumerate(queries):
            params = {"url": q.url, **({"timestamp": q.timestamp} if q.timestamp else {})}
            lines.append(urlencode({**params, "tag": str(i)}))
        response = ask(
            self.transport, "POST", self.endpoint,
            what="availability API (batch)", backoff=self.backoff, max_body=MAX_BODY,
            headers={
                "Wayback-Api-Version": "2",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            data="\n".join(lines).encode("utf-8"),
            sleep=self._sleep,
        )
        results = json_object(response.body, "availability API").get("results")
        if not isinstance(results, list) or len(results) != len(queries):
            raise ArchiveUnavailable("availability API: batch answer does not match the queries")
        by_tag = {str(r.get("tag")): r for r in results if isinstance(r, dict) and "tag" in r}
        answers = []
        for i, result in enumerate(results):
            # Results carry our tag back when the archive supports it; else they are in order.
            matched = by_tag.get(str(i), result)
            if not isinstance(matched, dict):
                raise ArchiveUnavailable("availability API: malformed batch result")
            answers.append(_closest(matched))
        return answers


def _closest(result: dict[str, Any]) -> Closest | None:
    # An answer without the key is not "nothing archived": it is an answer we cannot read.
    if "archived_snapshots" not in result:
        raise ArchiveUnavailable("availability API: answer without archived_snapshots")
    snapshots = result["archived_snapshots"]
    if snapshots in (None, {}, []):
        return None
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or not closest.get("available", True):
        return None
    try:
        status = closest.get("status")
        return Closest(
            url=str(closest["url"]),
            timestamp=str(closest["timestamp"]),
            status=int(status) if str(status).isdigit() else None,
        )
    except KeyError:
        raise ArchiveUnavailable("availability API: snapshot without url/timestamp") from None
