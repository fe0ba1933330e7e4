"""One keyword-only settings object, built by the command line and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from . import USER_AGENT
from .archive_urls import WAYBACK_URL
from .fetch.retry import LIVE_RETRY
from .fetch.transport import DEFAULT_PER_HOST, DEFAULT_TIMEOUT, NetworkPolicy
from .model import Verdict
from .policy import DEFAULT_FAIL_ON
from .urlfilter import UrlFilter
from .urls import is_http

MEDIAWIKI_API = "https://{lang}.wikipedia.org/w/api.php"
# Requests in flight in all: a resource bound (threads), not politeness, which is the
# Transport's per-host limit. High enough for ~60 hosts at 2 each: below that, hosts wait
# for a worker while their politeness allows a request.
DEFAULT_CONCURRENCY = 128
# Seconds between CDX requests: the Internet Archive allows about 24 a minute.
CDX_INTERVAL = 2.5


@dataclass(frozen=True, kw_only=True)
class Settings:
    refs: Path = Path("references.json")
    article_url: str | None = None  # --refs URL: the live article to import (refs unused)
    # Every article of the run (--refs, positional, --files-from), as given; refs and
    # article_url are the first's (for_input: another's). Several: a report set each.
    inputs: tuple[str, ...] = ()
    out: Path = Path("reports")
    reports: tuple[str, ...] = ()
    db: Path | None = Path("reports/history.sqlite")
    wayback_url: str = WAYBACK_URL
    memento_archives: tuple[str, ...] = ()
    mediawiki_api: str = MEDIAWIKI_API
    policy: NetworkPolicy = field(default_factory=NetworkPolicy)
    timeout: float = DEFAULT_TIMEOUT
    per_host: int = DEFAULT_PER_HOST
    concurrency: int = DEFAULT_CONCURRENCY
    check_archive: bool = True
    fail_on: tuple[Verdict, ...] = DEFAULT_FAIL_ON
    confirm_after: int = 1
    new_only: bool = False  # fail only on verdicts that are new since the last conclusive run
    refresh_urls: bool = False
    save: bool = False
    save_keys: str | None = None  # "ACCESS:SECRET" for Save Page Now
    user_agent: str = USER_AGENT
    ca_bundle: str | None = None  # extra CA file (tests use a local CA)
    progress: bool = False
    online_probes: tuple[str, ...] = ()  # URLs that answer when the internet is up (default set)
    archive_interval: float = CDX_INTERVAL
    now: datetime | None = None  # a fixed time for the run and its checks (None: the clock)
    # --include/--exclude/the ignore file: the URLs not to check at all.
    url_filter: UrlFilter = field(default_factory=UrlFilter)
    # --accept: statuses a live answer is ok with as it is (beyond 2xx, judged by its page).
    accept: frozenset[int] = frozenset()
    max_retries: int = LIVE_RETRY.attempts - 1  # --max-retries: the live checks' retries
    headers: tuple[tuple[str, str], ...] = ()  # --header: sent on live checks only

    def for_input(self, source: str) -> Settings:
        """These settings for one of the run's articles: a file, ``-``, or an article URL
        (a URL is not a path: Path would fold its "//")."""
        if is_http(source):
            return replace(self, refs=Settings.refs, article_url=source)
        return replace(self, refs=Path(source), article_url=None)
