"""The live check: what one cited URL does today, as a ``LiveResult``.

``LiveChecker.check`` fetches (following redirects one hop at a time, so that each is
recorded and each target passes the address policy), builds an ``Observation`` and lets
``classify`` name it. Nothing bad is concluded from one answer: a 404 is asked again, a
name that does not resolve is asked again and counts only when the checker is online.

Requests: GET, once, for an HTML page (its title and text are needed anyway, to tell a
soft 404 or a drifted page, and one GET is cheaper than HEAD then GET). HEAD first only
for URLs that look like files (a PDF, an archive), where a 2xx HEAD settles it without
downloading; any other HEAD answer is confirmed with GET, since servers answer HEAD with
404, 405 or 403 while GET works.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urljoin

from .classify import Failure, Observation, classify, is_same_page
from .fetch.connectivity import Connectivity
from .fetch.decode import HTML_TYPES, decode_page
from .fetch.retry import LIVE_RETRY, Budget, RetryPolicy, Sleep
from .fetch.transport import (
    ConnectFailed,
    ConnectionRefused,
    ConnectionReset,
    ConnectTimeout,
    DeadlineExceeded,
    FetchError,
    HttpResponse,
    MalformedResponse,
    NameNotResolved,
    Requester,
    TLSFailure,
    UnsafeURL,
    origin_of,
)
from .model import LiveResult, LiveStatus
from .settings import Settings
from .titles import comparable_title, refresh_target, scan_page
from .urls import host_of, is_http, plain_http_host, split_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Paths that name a file rather than a page.
_FILE_PATH = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|odt|rtf|zip|gz|rar|7z|mp3|mp4|avi|mov|jpe?g|png|gif|tiff?|"
    r"epub|djvu|csv)$",
    re.I,
)
# str.isspace() characters (\s in a str pattern is the same set) and C0 controls.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")
# A URL may come back once in a redirect chain (a site setting a cookie, then sending the
# client back); the second return is a loop.
MAX_VISITS = 2
# Page text kept for the bot-wall markers.
TEXT_KEPT = 64 * 1024


@dataclass
class _Hops:
    """The outcome of following one URL's redirects."""

    response: HttpResponse | None
    final_url: str
    redirects: list[str] = field(default_factory=list)
    failure: Failure | None = None
    failure_detail: str = ""
    name_not_found: bool = False


def failure_of(exc: FetchError) -> Failure:
    """The classification word for a transport exception."""
    if isinstance(exc, UnsafeURL):
        return Failure.UNSAFE
    if isinstance(exc, NameNotResolved):
        return Failure.NAME_NOT_FOUND if exc.permanent else Failure.LOOKUP_FAILED
    if isinstance(exc, ConnectionRefused):
        return Failure.REFUSED
    if isinstance(exc, (ConnectTimeout, ConnectFailed)):
        return Failure.NO_ANSWER
    if isinstance(exc, ConnectionReset):
        return Failure.RESET
    if isinstance(exc, TLSFailure):
        return Failure.TLS
    if isinstance(exc, DeadlineExceeded):
        return Failure.TIMEOUT
    if isinstance(exc, MalformedResponse):
        return Failure.MALFORMED
    return Failure.MALFORMED


def unsafe_reason(url: str) -> str | None:
    """Why ``url`` must not be fetched at all (scheme, syntax), or None."""
    if plain_http_host(url) is not None and not _SPACE_OR_CONTROL.search(url):
        return None
    try:
        parts = split_url(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return f"not a valid URL: {url!r}"
    if not is_http(url):
        scheme = parts.scheme or "no scheme"
        return f"not an http(s) URL ({scheme}): not fetched"
    if not parts.hostname:
        return f"no host in the URL: {url!r}"
    if _SPACE_OR_CONTROL.search(url):
        return f"the URL contains spaces or control characters: {url!r}"
    return None


class LiveChecker:
    """Checks URLs live; thread-safe (the orchestrator calls ``check`` from a pool)."""

    def __init__(
        self,
        transport: Requester,
        *,
        connectivity: Connectivity,
        retry: RetryPolicy,
        now: Callable[[], datetime],
        max_redirects: int = 10,
        budget: float | None = None,
        accept: frozenset[int] = frozenset(),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._transport = transport
        self._connectivity = connectivity
        self._retry = retry
        self._now = now
        self._max_redirects = max_redirects
        self._accept = accept  # --accept: statuses that are ok as they are (classify)
        self._headers = dict(headers or {})  # --header: to the cited URL's host only
        # The most one URL's check may take, start to end: the Transport's --timeout.
        self._budget = float(transport.timeout) if budget is None else budget

    def check(self, url: str | None, cited_title: str | None) -> LiveResult:
        return self.check_titles(url, [cited_title])[0]

    def check_titles(self, url: str | None, cited_titles: Sequence[str | None]) -> list[LiveResult]:
        """Fetch ``url`` once and judge the page against each title citing it, in order.

        References that share a URL share its requests; only the title comparison (ok or
        drifted) differs between them. The page is read for the first title: for the
        others, a body heading past the head may not have been read.
        """
        checked_at = self._now().isoformat()
        if not url or not url.strip():
            result = LiveResult.no_url(checked_at)
            return [result] * len(cited_titles)
        url = url.strip()
        reason = unsafe_reason(url)
        if reason:
            result = LiveResult(LiveStatus.UNSAFE, checked_at=checked_at, detail=reason)
            return [result] * len(cited_titles)
        # A URL given as the title compares with nothing: the page is read as for no title.
        # --timeout bounds the whole check of the URL (the contract), not each request:
        # redirects, retries with their waits, and the confirming second request share it.
        budget = Budget(self._budget)
        obs = self._observe(url, comparable_title(cited_titles[0]), budget)
        return [
            # The observation as it is for the title it was made with (most often the one).
            _result(
                obs if title == obs.cited_title else replace(obs, cited_title=title),
                checked_at,
                self._accept,
            )
            for title in cited_titles
        ]

    # --- fetching ---------------------------------------------------------------------------

    def _observe(self, url: str, cited_title: str | None, budget: Budget) -> Observation:
        if cited_title is None and _FILE_PATH.search(split_url(url).path):
            hops = self._follow("HEAD", url, budget)
            resp = hops.response
            if resp is not None and 200 <= resp.status < 300 and not _is_html(resp):
                return self._observation(url, cited_title, hops)
        hops = self._follow("GET", url, budget)
        status = hops.response.status if hops.response is not None else None
        if status in (404, 410) and status not in self._accept:
            return self._confirm_gone(url, cited_title, hops, budget)
        if hops.failure is not None and hops.name_not_found:
            return self._confirm_no_name(url, cited_title, hops, budget)
        return self._observation(url, cited_title, hops)

    def _follow(self, method: str, url: str, budget: Budget) -> _Hops:
        current = url
        redirects: list[str] = []
        visits = {url: 1}
        for _ in range(self._max_redirects + 1):
            # Most runs give no --header: then no hop need work out whose origin it is.
            headers = self._headers if self._headers and gets_headers(url, current) else None
            send = functools.partial(self._send, method, current, budget, headers)
            try:
                resp = self._retry.run(send, budget=budget)
            except FetchError as exc:
                return _Hops(
                    None,
                    current,
                    redirects,
                    failure_of(exc),
                    str(exc),
                    name_not_found=isinstance(exc, NameNotResolved) and exc.permanent,
                )
            location = resp.headers.get("Location", "").strip()
            if resp.status not in REDIRECT_STATUSES or not location:
                return _Hops(resp, current, redirects)
            target = urljoin(current, location)
            redirects.append(target)
            reason = unsafe_reason(target)
            if reason:
                return _Hops(None, current, redirects, Failure.UNSAFE, f"a redirect is {reason}")
            visits[target] = visits.get(target, 0) + 1
            if visits[target] > MAX_VISITS:
                return _Hops(None, current, redirects, Failure.REDIRECT_LOOP, f"back to {target}")
            current = target
        detail = f"more than {self._max_redirects} redirects"
        return _Hops(None, current, redirects, Failure.TOO_MANY_REDIRECTS, detail)

    def _send(
        self, method: str, url: str, budget: Budget, headers: Mapping[str, str] | None
    ) -> HttpResponse:
        """One request, given what is left of the check's time, and charged to it."""
        if budget.seconds <= 0:
            raise DeadlineExceeded(f"the check took its whole time limit: {url} not asked")
        try:
            resp = self._transport.request(
                method,
                url,
                headers=headers or None,
                timeout=min(self._transport.timeout, budget.seconds),
            )
        except FetchError as exc:
            budget.spend(exc.elapsed or 0.0)
            raise
        budget.spend(resp.elapsed)
        return resp

    def _confirm_gone(
        self, url: str, cited_title: str | None, first: _Hops, budget: Budget
    ) -> Observation:
        """A 404/410 counts only when a second request agrees: servers flap."""
        again = self._follow("GET", first.final_url, budget)
        if again.response is not None and again.response.status in (404, 410):
            return self._observation(url, cited_title, first, confirmed=True)
        # The second answer differs: report that one, with the whole redirect chain.
        merged = _Hops(
            again.response,
            again.final_url,
            first.redirects + again.redirects,
            again.failure,
            again.failure_detail,
        )
        return self._observation(url, cited_title, merged)

    def _confirm_no_name(
        self, url: str, cited_title: str | None, first: _Hops, budget: Budget
    ) -> Observation:
        """A name that does not resolve means a dead domain only if the checker is online
        and a second lookup agrees."""
        if not self._connectivity.online():
            return self._observation(url, cited_title, first, online=False)
        again = self._follow("GET", url, budget)
        confirmed = again.failure is Failure.NAME_NOT_FOUND and again.name_not_found
        hops = first if confirmed else again
        return self._observation(url, cited_title, hops, online=True, confirmed=confirmed)

    # --- reading what came back -------------------------------------------------------------

    def _observation(
        self,
        url: str,
        cited_title: str | None,
        hops: _Hops,
        *,
        online: bool | None = None,
        confirmed: bool = False,
    ) -> Observation:
        resp = hops.response
        if resp is None:
            failure = hops.failure or Failure.MALFORMED
            if online is None and failure in (
                Failure.NAME_NOT_FOUND,
                Failure.LOOKUP_FAILED,
                Failure.NO_ANSWER,
            ):
                online = self._connectivity.online()
            return Observation(
                url=url,
                cited_title=cited_title,
                final_url=hops.final_url,
                redirects=tuple(hops.redirects),
                failure=failure,
                failure_detail=hops.failure_detail,
                online=online,
                confirmed=confirmed,
            )
        headers = {k.lower(): v for k, v in resp.headers.items()}
        is_html = _is_html(resp)
        text, head = "", None
        if is_html and resp.body:
            text = decode_page(resp.body, headers.get("content-type"), truncated=resp.truncated)
            # The head first: when its title is the cited one, nothing further down the page
            # can change the judgement, and the first heading may be far into the body.
            head = scan_page(text, want_heading=False)
            if not is_same_page(cited_title, head.best_title):
                head = scan_page(text)
        refresh = head.refresh if head else None
        if refresh is None and "refresh" in headers:
            refresh = refresh_target(headers["refresh"])
        return Observation(
            url=url,
            cited_title=cited_title,
            status=resp.status,
            final_url=hops.final_url,
            redirects=tuple(hops.redirects),
            headers=headers,
            is_html=is_html,
            title=head.best_title if head else None,
            heading=head.heading if head else None,
            refresh=refresh,
            text=text[:TEXT_KEPT],
            online=online,
            confirmed=confirmed,
        )


def _result(obs: Observation, checked_at: str, accept: frozenset[int]) -> LiveResult:
    judgement = classify(obs, accept)
    return LiveResult(
        status=judgement.status,
        http_status=obs.status,
        final_url=obs.final_url,
        redirects=list(obs.redirects),
        title_seen=obs.title,
        title_match=judgement.title_match,
        checked_at=checked_at,
        detail=judgement.detail,
    )


def gets_headers(cited: str, target: str) -> bool:
    """Whether a request to ``target`` in the check of ``cited`` gets the user's --header
    headers (a token, a cookie: the cited site's). Only the cited URL's own origin, or its
    upgrade to https on the same host: never another host or port, nor a downgrade to
    plain http, as curl keeps credentials from other origins."""
    cited_origin, target_origin = origin_of(cited), origin_of(target)
    if target_origin == cited_origin:
        return True
    host = host_of(cited)
    return cited_origin == f"http://{host}:80" and target_origin == f"https://{host}:443"


def live_checker(
    settings: Settings,
    transport: Requester,
    *,
    connectivity: Connectivity,
    sleep: Sleep,
    now: Callable[[], datetime],
) -> LiveChecker:
    """The main job's live checker, as its settings say (--max-retries, --accept,
    --header): the one way the job and the sweep's workers build it."""
    retry = replace(LIVE_RETRY, attempts=settings.max_retries + 1, sleep=sleep)
    return LiveChecker(
        transport,
        connectivity=connectivity,
        retry=retry,
        now=now,
        accept=settings.accept,
        headers=dict(settings.headers),
    )


def _is_html(resp: HttpResponse) -> bool:
    ctype = resp.content_type
    if ctype in HTML_TYPES:
        return True
    # No type at all: sniff, as browsers do.
    return not ctype and b"<html" in resp.body[:1024].lower()
