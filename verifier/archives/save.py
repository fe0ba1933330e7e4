"""Save Page Now: ask the Wayback Machine to capture a live page that has no snapshot.

Anonymous: ``GET <base>/save/<url>``; the archive answers with the new capture's address
(``Content-Location`` or a redirect to ``/web/<timestamp>/<url>``). With keys
(``--save-keys ACCESS:SECRET``, an archive.org account's S3 keys): the SPN2 API, ``POST
<base>/save`` with ``Authorization: LOW ACCESS:SECRET``, then ``GET
<base>/save/status/<job_id>`` until the capture is done. Saves are spaced out (the archive
allows a few a minute) and the status polls are bounded.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from ..archive_urls import WAYBACK, save_page_now_url, split_replay, wayback_replay_url
from ..errors import InputError
from ..fetch.retry import ARCHIVE_RETRY, RetryPolicy, Sleep
from ..fetch.transport import Transport
from ..model import ArchiveResult, ArchiveStatus
from .ask import ArchiveUnavailable, Pacer, ask, json_object

_KEYS = re.compile(r"[^:\s]+:[^:\s]+")


def valid_keys(keys: str) -> bool:
    """Whether ``keys`` has the form of Save Page Now's ``ACCESS:SECRET``."""
    return _KEYS.fullmatch(keys) is not None


SAVE_INTERVAL = 10.0  # seconds between saves
POLL_INTERVAL = 5.0
MAX_POLLS = 12


@dataclass(frozen=True)
class Saved:
    """The archive captured the page now."""

    timestamp: str
    snapshot_url: str

    def result(self) -> ArchiveResult:
        """The archive result of a reference whose page was just captured."""
        return ArchiveResult(
            ArchiveStatus.ARCHIVED,
            snapshot_url=self.snapshot_url,
            snapshot_timestamp=self.timestamp,
            snapshot_http_status=200,
            archive=WAYBACK,
            chosen_by="saved now",
            detail="captured now by Save Page Now",
        )


@dataclass(frozen=True)
class Refused:
    """The archive did not capture the page; ``reason`` says what it answered."""

    reason: str


class SaveClient:
    def __init__(
        self,
        transport: Transport,
        base: str,
        *,
        keys: str | None = None,
        interval: float = SAVE_INTERVAL,
        poll_interval: float = POLL_INTERVAL,
        backoff: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        if keys is not None and not valid_keys(keys):
            raise InputError("--save-keys: expected ACCESS:SECRET")
        self.transport = transport
        self.base = base.rstrip("/")
        self.keys = keys
        self.poll_interval = poll_interval
        self.backoff = backoff or ARCHIVE_RETRY
        self.pacer = Pacer(interval, sleep=sleep)
        self._sleep = sleep

    def save(self, url: str) -> Saved | Refused:
        """Capture ``url`` now: what happened."""
        try:
            return self._save_spn2(url) if self.keys else self._save_anonymous(url)
        except ArchiveUnavailable as exc:
            return Refused(str(exc))

    def _save_anonymous(self, url: str) -> Saved:
        response = ask(
            self.transport, "GET", save_page_now_url(url, self.base), what="Save Page Now",
            backoff=self.backoff, pacer=self.pacer, sleep=self._sleep,
            ok=lambda r: r.status in (200, 301, 302, 303, 307),
        )
        for header in ("Content-Location", "Location"):
            found = self._snapshot(response.headers.get(header))
            if found:
                return found
        raise ArchiveUnavailable("Save Page Now: the answer names no new snapshot")

    def _save_spn2(self, url: str) -> Saved:
        headers = {
            "Authorization": f"LOW {self.keys}",
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        started = ask(
            self.transport, "POST", f"{self.base}/save", what="Save Page Now",
            backoff=self.backoff, pacer=self.pacer, sleep=self._sleep, headers=headers,
            data=urlencode({"url": url}),
        )
        job_id = json_object(started.body, "Save Page Now").get("job_id")
        if not isinstance(job_id, str) or not re.fullmatch(r"[\w.-]+", job_id):
            raise ArchiveUnavailable(f"Save Page Now: no job id in {started.body[:200]!r}")
        for poll in range(MAX_POLLS):
            if poll:
                self._sleep(self.poll_interval)
            answer = ask(
                self.transport, "GET", f"{self.base}/save/status/{job_id}",
                what="Save Page Now status", backoff=self.backoff, sleep=self._sleep,
                headers=headers,
            )
            status = json_object(answer.body, "Save Page Now")
            if status.get("status") == "success" and re.fullmatch(
                r"\d{14}", str(status.get("timestamp", ""))
            ):
                original = str(status.get("original_url") or url)
                ts = str(status["timestamp"])
                return Saved(ts, wayback_replay_url(self.base, ts, original))
            if status.get("status") != "pending":
                raise ArchiveUnavailable(f"Save Page Now: {status.get('message') or status}")
        raise ArchiveUnavailable(f"Save Page Now: capture not done after {MAX_POLLS} polls")

    def _snapshot(self, where: str | None) -> Saved | None:
        if not where:
            return None
        # Not urljoin: it would collapse the "//" of the archived URL in the path.
        replay = split_replay(where)
        if replay is None:
            return None
        return Saved(replay.timestamp, wayback_replay_url(self.base, replay.timestamp,
                                                          replay.original))
