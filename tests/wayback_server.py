"""A Wayback-compatible archive on loopback, built on ``LoopbackServer``.

Speaks what verify-refs asks the Internet Archive, in the archive's own formats:

- availability API: ``GET /wayback/available?url=&timestamp=`` and the batched
  ``POST /wayback/available`` (header ``Wayback-Api-Version: 2``, body of newline-separated
  ``url=...&timestamp=...`` query strings, answer under ``results[].archived_snapshots``);
- CDX API: ``GET /cdx/search/cdx`` with ``output=json`` (array of rows, field names first)
  or text, ``fl``, ``filter`` (``[!]field:regex``, full match, repeatable), ``collapse``
  (``field[:N]``), ``from``/``to`` (timestamp prefixes, inclusive), ``limit`` (negative:
  the last N), ``closest`` with ``sort=closest``;
- replay: ``/web/<ts>[id_]/<url>`` redirects to the exact timestamp of the nearest capture
  like the real archive, then serves the capture: its archived status, its body, and for an
  archived redirect a ``Location`` rewritten into the archive;
- Save Page Now: ``GET /save/<url>`` (anonymous) and ``POST /save`` + ``GET
  /save/status/<job>`` (SPN2, ``Authorization: LOW access:secret``).

``fail[endpoint] = Reply(...)`` makes an endpoint (``available``, ``cdx``, ``web``,
``save``) answer that instead: ``Reply(429)``, ``Reply(503)``, ``Reply(stall=True)``.

Like the real archive (``../shared/realworld/wayback``): archived answers carry
``Memento-Datetime`` (an HTTP date), the archive's own moves and pages do not; the
availability API may forget a URL it holds (``forgets``); an excluded site (``exclude``)
is a CDX 403 with ``X-Archive-Wayback-Runtime-Error: ...Blocked Site Error`` and a 200
"Wayback Machine" replay page. Recorded answers replay verbatim: ``play(exchanges)``
serves recorded replays (status, headers, body; only web.archive.org in ``Location`` is
turned into this server) and ``add_cdx_rows(text)`` serves recorded CDX rows, bad ones
too; a replay of a recorded row with no recorded replay is built from the row.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qs, urlsplit

from tests.loopback import LoopbackServer, Reply, Request, html_page

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
_REPLAY = re.compile(r"^/web/(?P<ts>\d{1,14})(?P<mod>[a-z]{2}_)?/(?P<url>.+)$", re.S)


@dataclass
class Capture:
    url: str
    timestamp: str
    status: int = 200
    body: bytes = b""
    mimetype: str = "text/html"
    location: str | None = None  # where an archived redirect pointed
    charset: str | None = "utf-8"  # the one the replay's Content-Type declares; None: none
    indexed: bool = True  # False: replayed only (a recorded CDX row lists it)

    def row(self) -> dict[str, str]:
        return {
            "urlkey": url_key(self.url),
            "timestamp": self.timestamp,
            "original": self.url,
            "mimetype": self.mimetype,
            "statuscode": str(self.status),
            "digest": f"D{abs(hash(self.body)) % 10**12:012d}",
            "length": str(len(self.body)),
        }


def url_key(url: str) -> str:
    """A SURT-like key: the archive matches URLs without scheme, ``www.`` or a final slash."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    key = ",".join(reversed(host.split("."))) + ")" + (parts.path.rstrip("/") or "")
    return key + (f"?{parts.query}" if parts.query else "")


def moment(timestamp: str) -> datetime:
    """A (partial) Wayback timestamp as a time: ``2021`` is the start of 2021."""
    padding = "0101000000"[max(0, len(timestamp) - 4) :]
    return datetime.strptime((timestamp + padding)[:14], "%Y%m%d%H%M%S")


def http_date(timestamp: str) -> str:
    """A Wayback timestamp as ``Memento-Datetime`` gives it (RFC 1123, GMT)."""
    return format_datetime(moment(timestamp).replace(tzinfo=UTC), usegmt=True)


BLOCKED = ("org.archive.util.io.RuntimeIOException: org.archive.wayback.exception."
           "AdministrativeAccessControlException: Blocked Site Error")


def closest_to(captures: list[Capture], timestamp: str) -> Capture:
    target = moment(timestamp)
    return min(captures, key=lambda c: abs(moment(c.timestamp) - target))


class _Routes(dict):
    """Exact routes first, then prefix routes (``/web/``, ``/save/``) for dynamic paths."""

    def __init__(self, prefixes: dict[str, Callable[[Request], Reply]]) -> None:
        super().__init__()
        self.prefixes = prefixes

    def get(self, path, default=None):  # type: ignore[no-untyped-def, override]
        if path in self:
            return self[path]
        for prefix, handler in self.prefixes.items():
            if path.startswith(prefix):
                return handler
        return default


class WaybackServer:
    def __init__(self) -> None:
        self.http = LoopbackServer()
        self.captures: list[Capture] = []
        self.fail: dict[str, Reply] = {}
        self.save_timestamp = "20260101000000"  # the timestamp Save Page Now gives
        self.save_keys: str | None = None  # when set, SPN2 requires these
        self.forgets: set[str] = set()  # URL keys the availability API answers {} for
        self.excluded: set[str] = set()  # URL keys of sites the archive excludes
        self.recorded: dict[str, Reply] = {}  # replay path -> the recorded answer
        self.rows: list[dict[str, str]] = []  # recorded CDX rows, served as they are
        self.recorded_cdx: dict[str, Reply] = {}  # URL key -> a recorded CDX answer
        self._jobs: dict[str, dict[str, str]] = {}
        self._job_ids = itertools.count(1)
        self.http.routes = _Routes({"/web/": self._replay, "/save/": self._save_get})
        self.http.route("/wayback/available", self._guard("available", self._available))
        self.http.route("/cdx/search/cdx", self._guard("cdx", self._cdx))
        self.http.route("/save", self._guard("save", self._save_post))

    # -- set-up ------------------------------------------------------------------------
    def start(self) -> WaybackServer:
        self.http.start()
        return self

    def stop(self) -> None:
        self.http.stop()

    @property
    def base(self) -> str:
        return self.http.origin

    def add(
        self,
        url: str,
        timestamp: str,
        *,
        status: int = 200,
        title: str = "",
        body: bytes | None = None,
        location: str | None = None,
        charset: str | None = "utf-8",
    ) -> Capture:
        """A capture of ``url``; ``charset``: what the replay's Content-Type declares (None:
        nothing, as many old pages were served)."""
        capture = Capture(
            url=url,
            timestamp=timestamp,
            status=status,
            body=body if body is not None else html_page(title or f"Page {timestamp}"),
            location=location,
            charset=charset,
        )
        self.captures.append(capture)
        return capture

    def exclude(self, url: str) -> None:
        """The archive refuses to hold ``url``'s site (its owner asked)."""
        self.excluded.add(url_key(url))

    def play(self, exchanges: Iterable) -> None:
        """Serve recorded replays (``tests.recordings.Recorded``) at their recorded paths."""
        for ex in exchanges:
            if ex.path.startswith("/cdx/"):
                # A recorded CDX answer is served for any query about its URL: its other
                # parameters (dates, limits) do not change a refusal to hold the site.
                asked = parse_qs(urlsplit(ex.uri).query)["url"][0]
                self.recorded_cdx[url_key(asked)] = Reply(ex.status, ex.body,
                                                          headers=dict(ex.headers))
                continue
            if "/web/" not in ex.path:
                continue
            headers = {k: self._here(v) if k.lower() == "location" else v
                       for k, v in ex.headers.items()}
            self.recorded[ex.path] = Reply(ex.status, ex.body, headers=headers)

    def add_cdx_rows(self, text: str) -> None:
        """Recorded CDX text rows, served as they are (bad ones too); the readable ones
        can be replayed too (built from the row: its status, a page titled by it)."""
        for line in text.splitlines():
            values = line.split()
            if len(values) != len(CDX_FIELDS):
                continue
            row = dict(zip(CDX_FIELDS, values, strict=True))
            self.rows.append(row)
            try:
                moment(row["timestamp"])
            except ValueError:
                continue
            if row["statuscode"].isdigit() and row["original"].startswith("http"):
                capture = self.add(row["original"], row["timestamp"],
                                   status=int(row["statuscode"]))
                capture.indexed = False

    def _here(self, location: str) -> str:
        # Recorded moves name the real archive: send them to this one.
        # A scheme-relative one stays scheme-relative.
        here = urlsplit(self.base).netloc
        return re.sub(r"^(https?:)?//web\.archive\.org",
                      lambda m: self.base if m.group(1) else f"//{here}", location)

    def hits(self, endpoint: str) -> list[Request]:
        prefix = {"available": "/wayback/available", "cdx": "/cdx/search/cdx"}.get(endpoint)
        return [h for h in self.http.hits if prefix and h.path == prefix]

    def _guard(self, endpoint: str, handler: Callable[[Request], Reply]) -> Callable:
        def guarded(request: Request) -> Reply:
            return self.fail.get(endpoint) or handler(request)

        return guarded

    def _of(self, url: str) -> list[Capture]:
        key = url_key(url)
        mine = [c for c in self.captures if url_key(c.url) == key]
        return sorted(mine, key=lambda c: c.timestamp)

    # -- availability API --------------------------------------------------------------
    def _closest(self, url: str, timestamp: str | None) -> dict:
        captures = self._of(url)  # like the real API: the closest of any status
        if not captures or url_key(url) in self.forgets | self.excluded:
            return {}
        best = closest_to(captures, timestamp) if timestamp else captures[-1]
        return {
            "closest": {
                "available": True,
                "url": f"{self.base}/web/{best.timestamp}/{best.url}",
                "timestamp": best.timestamp,
                "status": str(best.status),
            }
        }

    def _available(self, request: Request) -> Reply:
        if request.method == "POST":
            if request.headers.get("Wayback-Api-Version") != "2":
                return Reply(400, "batched lookups need Wayback-Api-Version: 2")
            results = []
            for line in request.body.decode().splitlines():
                if not line.strip():
                    continue
                query = parse_qs(line)
                url = query.get("url", [""])[0]
                ts = query.get("timestamp", [None])[0]
                result = {"url": url, "archived_snapshots": self._closest(url, ts)}
                if ts:
                    result["timestamp"] = ts
                if "tag" in query:
                    result["tag"] = query["tag"][0]
                results.append(result)
            return _json({"results": results})
        url = request.query.get("url", [""])[0]
        ts = request.query.get("timestamp", [None])[0]
        return _json({"url": url, "archived_snapshots": self._closest(url, ts)})

    # -- CDX API -----------------------------------------------------------------------
    def _cdx(self, request: Request) -> Reply:
        q = request.query
        url = q.get("url", [""])[0]
        if url_key(url) in self.recorded_cdx:
            return self.recorded_cdx[url_key(url)]
        if url_key(url) in self.excluded:
            return Reply(403, BLOCKED, headers={"Content-Type": "text/plain;charset=UTF-8",
                                               "X-Archive-Wayback-Runtime-Error": BLOCKED})
        key = url_key(url).rstrip("/")
        rows = [c.row() for c in self._of(url) if c.indexed]
        rows += [r for r in self.rows if r["urlkey"].rstrip("/") == key]
        rows.sort(key=lambda r: r["timestamp"])
        for spec in q.get("filter", []):
            negate = spec.startswith("!")
            field, _, pattern = spec.lstrip("!").partition(":")
            rows = [r for r in rows if bool(re.fullmatch(pattern, r.get(field, ""))) != negate]
        for spec in q.get("collapse", []):  # field[:N]: keep the first of adjacent equal rows
            field, _, width = spec.partition(":")
            n = int(width) if width else None
            kept: list[dict[str, str]] = []
            for r in rows:
                if not kept or kept[-1][field][:n] != r[field][:n]:
                    kept.append(r)
            rows = kept
        if "from" in q:
            start = q["from"][0].ljust(14, "0")
            rows = [r for r in rows if r["timestamp"] >= start]
        if "to" in q:
            end = q["to"][0].ljust(14, "9")
            rows = [r for r in rows if r["timestamp"] <= end]
        if "closest" in q and q.get("sort", ["closest"])[0] == "closest":
            target = moment(q["closest"][0])
            rows.sort(key=lambda r: abs(moment(r["timestamp"]) - target))
        if "limit" in q:
            limit = int(q["limit"][0])
            rows = rows[:limit] if limit >= 0 else rows[limit:]
        fields = q["fl"][0].split(",") if "fl" in q else list(CDX_FIELDS)
        table = [[r[f] for f in fields] for r in rows]
        if q.get("output", [""])[0] == "json":
            # Like the real archive: an empty result is [] with no header row.
            return _json([fields, *table] if table else [])
        text = "".join(" ".join(row) + "\n" for row in table)
        return Reply(200, text, headers={"Content-Type": "text/plain"})

    # -- replay ------------------------------------------------------------------------
    def _replay(self, request: Request) -> Reply:
        if "web" in self.fail:
            return self.fail["web"]
        if request.raw_path in self.recorded:
            return self.recorded[request.raw_path]
        m = _REPLAY.match(request.raw_path)
        if not m:
            return Reply(404, html_page("Wayback Machine: bad request"))
        ts, mod, url = m.group("ts"), m.group("mod") or "", m.group("url")
        if url_key(url) in self.excluded:  # the archive's own page, no Memento-Datetime
            return Reply(200, html_page("Wayback Machine"),
                         headers={"Content-Type": "text/html; charset=utf-8"})
        captures = self._of(url)
        if not captures:
            return Reply(404, html_page("Wayback Machine"))
        best = closest_to(captures, ts)
        if best.timestamp != ts:  # the real archive redirects to the exact capture
            return Reply(302, headers={
                "Location": f"{self.base}/web/{best.timestamp}{mod}/{url}",
                "X-Archive-Redirect-Reason": f"found capture at {best.timestamp}",
            })
        headers = {
            "Memento-Datetime": http_date(best.timestamp),
            "Content-Type": best.mimetype + (f"; charset={best.charset}" if best.charset else ""),
        }
        if best.location:
            headers["Location"] = f"{self.base}/web/{best.timestamp}{mod}/{best.location}"
        body = best.body
        if not mod:  # rewritten replay carries the archive's banner; id_ is the raw capture
            body = b"<!-- BEGIN WAYBACK TOOLBAR INSERT -->" + body
        return Reply(best.status, body, headers=headers)

    # -- Save Page Now -----------------------------------------------------------------
    def _record_save(self, url: str) -> Capture:
        return self.add(url, self.save_timestamp, title=f"Saved {url}")

    def _save_get(self, request: Request) -> Reply:
        if "save" in self.fail:
            return self.fail["save"]
        path = request.raw_path
        if path.startswith("/save/status/"):
            job = self._jobs.get(path.rsplit("/", 1)[-1])
            if job is None:
                return _json({"status": "error", "message": "no such job"})
            if job.pop("pending", None):  # the capture takes a while: first answer pending
                return _json({"status": "pending", "job_id": job["job_id"]})
            return _json(job)
        url = path.removeprefix("/save/")
        capture = self._record_save(url)
        where = f"/web/{capture.timestamp}/{url}"
        return Reply(302, headers={"Location": self.base + where, "Content-Location": where})

    def _save_post(self, request: Request) -> Reply:
        if request.method != "POST":
            return Reply(405)
        if self.save_keys and request.headers.get("Authorization") != f"LOW {self.save_keys}":
            return _json({"status": "error", "message": "bad keys"}, status=401)
        url = parse_qs(request.body.decode()).get("url", [""])[0]
        job_id = f"spn2-{next(self._job_ids)}"
        capture = self._record_save(url)
        self._jobs[job_id] = {
            "status": "success",
            "job_id": job_id,
            "original_url": url,
            "timestamp": capture.timestamp,
            "pending": "yes",
        }
        return _json({"url": url, "job_id": job_id})


def _json(data: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data), headers={"Content-Type": "application/json"})


class MemoryCache:
    """The ``ArchiveCache`` protocol in a dict: what the history database does, in memory."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, datetime]] = {}

    def archive_cache_get(self, key: str, *, max_age: timedelta, now: datetime) -> str | None:
        entry = self.entries.get(key)
        if entry is None or now - entry[1] > max_age:
            return None
        return entry[0]

    def archive_cache_put(self, key: str, value: str, *, now: datetime) -> None:
        self.entries[key] = (value, now)


NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def make_checker(
    wayback: WaybackServer,
    *,
    memento_archives: tuple[str, ...] = (),
    timeout: float = 2.0,
    **options: object,
):
    """An ArchiveChecker on the loopback archive: trusted origin, small timeout, no pacing."""
    from verifier.archives import ArchiveChecker
    from verifier.fetch.retry import ARCHIVE_RETRY
    from verifier.fetch.transport import NetworkPolicy, Transport, origin_of

    trusted = frozenset(origin_of(u) for u in (wayback.base, *memento_archives))
    transport = Transport(
        policy=NetworkPolicy(trusted_origins=trusted),
        user_agent="verify-refs-tests",
        timeout=timeout,
    )
    defaults: dict[str, object] = {
        "retry": replace(ARCHIVE_RETRY, attempts=2, backoff=0.01, max_wait=0.05),
        "cdx_interval": 0.0,
        "save_interval": 0.0,
    }
    return ArchiveChecker(
        transport,
        wayback_url=wayback.base,
        memento_archives=memento_archives,
        now=lambda: NOW,
        **{**defaults, **options},  # type: ignore[arg-type]
    )
