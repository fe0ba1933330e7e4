"""What an observation of a URL means, in the contract's ``live.status`` words.

Pure rules, no I/O: ``live.py`` fetches and fills an ``Observation``; ``classify`` turns it
into a ``Judgement``. The rules lean one way on purpose: calling a live source dead makes
editors delete good citations, so anything doubtful is ``error`` or ``blocked`` (check
later), never ``dead``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from urllib.parse import urljoin

from .model import LiveStatus
from .titles import comparable_title, normalise, title_match
from .urls import split_url

# Below this title score a real page is not the cited one.
DRIFT_THRESHOLD = 0.4


class Failure(StrEnum):
    """Why there was no HTTP answer (mirrors the transport's exception tree)."""

    UNSAFE = "unsafe"
    NAME_NOT_FOUND = "name-not-found"  # the DNS says the name does not exist
    LOOKUP_FAILED = "lookup-failed"  # the DNS could not be asked
    NO_ANSWER = "no-answer"  # connection attempt timed out, or network unreachable
    REFUSED = "refused"
    RESET = "reset"
    TLS = "tls"
    TIMEOUT = "timeout"  # connected, but no complete answer within the deadline
    MALFORMED = "malformed"
    REDIRECT_LOOP = "redirect-loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"


# Failures that a checker without internet would also see.
NETWORK_FAILURES = frozenset({Failure.NAME_NOT_FOUND, Failure.LOOKUP_FAILED, Failure.NO_ANSWER})


@dataclass(frozen=True)
class Observation:
    """Everything seen while fetching one URL (the last hop, after redirects)."""

    url: str
    cited_title: str | None = None
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    is_html: bool = False
    title: str | None = None
    heading: str | None = None
    refresh: str | None = None  # meta refresh or Refresh header target, as written
    text: str = ""  # the start of the decoded page, for bot-wall markers
    failure: Failure | None = None
    failure_detail: str = ""
    online: bool | None = None  # None: not probed
    confirmed: bool = False  # a second request gave the same bad answer


@dataclass(frozen=True)
class Judgement:
    status: LiveStatus
    detail: str
    title_match: float | None = None


# --- markers ----------------------------------------------------------------------------------

# "Page not found" in the references' languages, matched on normalised titles and headings.
NOT_FOUND_PHRASES = (
    # English
    "page not found", "not found", "page cannot be found", "page can't be found",
    "page could not be found", "couldn't find that page", "could not find that page",
    "page does not exist", "page doesn't exist", "page no longer exists",
    "no longer available", "page is missing", "error 404", "404 error",
    # Russian
    "страница не найдена", "страницы не существует", "страница не существует",
    "страница удалена", "ошибка 404", "не найдено", "запрашиваемая страница не найдена",
    # Ukrainian
    "сторінку не знайдено", "сторінка не знайдена", "сторінки не існує",
    "сторінка не існує", "помилка 404", "не знайдено",
    # Chinese (simplified and traditional)
    "页面不存在", "页面未找到", "找不到页面", "找不到该页面", "您访问的页面不存在",
    "网页不存在", "頁面不存在", "找不到網頁", "找不到頁面", "页面没有找到",
    # Japanese
    "ページが見つかりません", "ページは見つかりませんでした", "見つかりませんでした",
    "ページが存在しません", "お探しのページ", "ページは存在しません",
    # German
    "seite nicht gefunden", "seite wurde nicht gefunden", "nicht gefunden",
    "seite existiert nicht", "fehler 404", "seite ist nicht verfügbar",
)  # fmt: skip
_NOT_FOUND = re.compile(
    "|".join(re.escape(normalise(p)) for p in NOT_FOUND_PHRASES) + r"|^\W*404\b"
)

# Bot walls and challenges: titles, normalised.
BOT_WALL_TITLES = (
    "just a moment", "attention required", "один момент", "are you a robot",
    "are you human", "verify you are human", "security check", "captcha",
    "ddos-guard", "access denied", "checking your browser", "проверка браузера",
    "вы не робот", "пожалуйста, подождите",
)  # fmt: skip
_BOT_TITLE = re.compile("|".join(re.escape(normalise(t)) for t in BOT_WALL_TITLES))
# Bot walls: markers in the page source (lower case), looked for as plain substrings of the
# lower-cased page: a case-insensitive regex alternation over 64 KB costs milliseconds.
BOT_MARKUP = (
    "g-recaptcha", "h-captcha", "hcaptcha.com", "cf-chl-", "/cdn-cgi/challenge-platform",
    "challenges.cloudflare.com", "ddos-guard", "smartcaptcha", "captcha-delivery.com",
)  # fmt: skip

# Paths of a site's home or a generic landing page.
_ROOT_PATHS = re.compile(
    r"^/?(?:[a-z]{2}(?:-[a-z]{2})?/?)?(?:index\.\w+|default\.\w+|home(?:page)?/?|main/?)?$",
    re.I,
)
_ERROR_PATHS = re.compile(r"(?:^|[/_.-])(?:404|not-?found|notfound|error|errors)(?:[/_.-]|$)", re.I)
_LOGIN_PATHS = re.compile(r"(?:^|/)(?:login|signin|sign-in|auth|sso)(?:[/?.]|$)", re.I)

BLOCKED_STATUSES = frozenset({401, 403, 407, 429, 451})
GONE_STATUSES = frozenset({404, 410})


def looks_not_found(text: str | None) -> bool:
    return bool(text) and bool(_NOT_FOUND.search(normalise(text or "")))


def is_root(url: str, *, query_counts: bool = False) -> bool:
    """Whether ``url`` is a site's home page. With ``query_counts``, a query makes it a
    page of its own (``/?p=123`` is a WordPress article, not the home page)."""
    parts = split_url(url)
    if query_counts and parts.query:
        return False
    return bool(_ROOT_PATHS.match(parts.path or "/"))


def _bot_wall(obs: Observation, same_page: bool) -> str | None:
    if obs.headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge (cf-mitigated: challenge)"
    if obs.title and _BOT_TITLE.search(normalise(obs.title)):
        return f"bot wall: the page is titled {obs.title!r}"
    # A page showing the cited title is the article itself: a captcha in it guards a
    # comment form, not the page (and the page's text need not be scanned at all).
    if obs.is_html and not same_page and _has_bot_markup(obs.text):
        return "bot wall: the page is a captcha"
    return None


def _has_bot_markup(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in BOT_MARKUP)


# A page whose title matches the cited one this well is the cited page, wherever it is.
SAME_PAGE = 0.8


def is_same_page(cited_title: str | None, title: str | None) -> bool:
    """Whether a page showing ``title`` is the cited page itself: then it is neither a
    soft 404 nor a bot wall, and its heading, refresh and text need not be looked at."""
    return bool(cited_title and title) and title_match(cited_title, title) >= SAME_PAGE


def _soft_404(obs: Observation, same_page: bool) -> str | None:
    final = obs.final_url or obs.url
    if same_page:
        return None
    if obs.redirects and is_root(final) and not is_root(obs.url, query_counts=True):
        return f"redirected to the site's home page ({final})"
    error_path = _ERROR_PATHS.search(split_url(final).path)
    if obs.redirects and error_path and not _ERROR_PATHS.search(split_url(obs.url).path):
        return f"redirected to an error page ({final})"
    if obs.refresh:
        target = urljoin(final, obs.refresh)
        if is_root(target) and not is_root(final):
            return f"the page refreshes to the site's home page ({target})"
    # A cited article may itself be about something "not found"; then the words prove nothing.
    if not looks_not_found(obs.cited_title):
        for label, text in (("title", obs.title), ("heading", obs.heading)):
            if looks_not_found(text):
                return f"a 'not found' page served with {obs.status}: {label} {text!r}"
    if obs.redirects and _landing(obs.url, final):
        return f"redirected to a section page ({final})"
    return None


def _landing(original: str, final: str) -> bool:
    """A deep link sent to a page one or two levels up on the same site: a section front."""
    a, b = split_url(original), split_url(final)
    if (a.hostname or "").removeprefix("www.") != (b.hostname or "").removeprefix("www."):
        return False
    deep = [p for p in a.path.split("/") if p]
    shallow = [p for p in b.path.split("/") if p]
    return len(shallow) < len(deep) - 1 and deep[: len(shallow)] == shallow and not b.query


def _failure(obs: Observation) -> Judgement:
    failure, detail = obs.failure, obs.failure_detail
    if failure is Failure.UNSAFE:
        return Judgement(LiveStatus.UNSAFE, detail or "not fetched: unsafe URL")
    if failure in NETWORK_FAILURES and obs.online is False:
        return Judgement(
            LiveStatus.OFFLINE,
            f"the checker is offline (well-known hosts fail too): {detail}".rstrip(": "),
        )
    if failure is Failure.NAME_NOT_FOUND and obs.online and obs.confirmed:
        return Judgement(LiveStatus.DEAD, f"the domain no longer exists: {detail}".rstrip(": "))
    messages = {
        Failure.NAME_NOT_FOUND: "the name did not resolve (not yet confirmed)",
        Failure.LOOKUP_FAILED: "the name could not be looked up",
        Failure.NO_ANSWER: "no answer to the connection attempt",
        Failure.REFUSED: "the connection was refused",
        Failure.RESET: "the connection was reset",
        Failure.TLS: "TLS failure",
        Failure.TIMEOUT: "no complete answer within the time limit",
        Failure.MALFORMED: "malformed answer",
        Failure.REDIRECT_LOOP: "redirect loop",
        Failure.TOO_MANY_REDIRECTS: "too many redirects",
    }
    message = messages.get(failure, "request failed") if failure else "request failed"
    return Judgement(LiveStatus.ERROR, f"{message}: {detail}" if detail else message)


def classify(obs: Observation, accept: frozenset[int] = frozenset()) -> Judgement:
    """The live status of one observation, with a sentence saying why.

    ``accept`` (``--accept``): answers with these statuses are ``ok`` as they are — a
    bot wall or an error page the user knows the site always shows this checker. A 2xx
    is always judged by its page (soft 404, drift, bot wall), listed or not; a request
    that got no answer at all is never accepted."""
    if obs.failure is not None:
        return _failure(obs)
    if obs.status in accept and not 200 <= obs.status < 300:
        return Judgement(
            LiveStatus.OK, f"HTTP {obs.status}, accepted (--accept): the page is not judged"
        )
    if obs.cited_title != comparable_title(obs.cited_title):
        # A bare link's "title" (the URL itself) is nothing to compare: never a drift.
        obs = replace(obs, cited_title=None)
    status = obs.status or 0
    # The title score, computed once: it decides the soft-404, bot-wall and drift rules.
    score = title_match(obs.cited_title, obs.title) if obs.cited_title and obs.title else None
    same_page = score is not None and score >= SAME_PAGE  # is_same_page, score kept
    wall = _bot_wall(obs, same_page)
    if wall:
        return Judgement(LiveStatus.BLOCKED, wall)
    if status in BLOCKED_STATUSES:
        return Judgement(LiveStatus.BLOCKED, f"the site refused access (HTTP {status})")
    if status in GONE_STATUSES:
        if obs.confirmed:
            where = " at the end of redirects" if obs.redirects else ""
            detail = f"HTTP {status}{where}, confirmed by a second request"
            return Judgement(LiveStatus.DEAD, detail)
        return Judgement(LiveStatus.ERROR, f"HTTP {status} once, not confirmed")
    if status >= 500:
        return Judgement(LiveStatus.ERROR, f"server error (HTTP {status}) after retries")
    if 300 <= status < 400:
        return Judgement(LiveStatus.ERROR, f"redirect (HTTP {status}) without a usable Location")
    if not 200 <= status < 300:
        return Judgement(LiveStatus.ERROR, f"unexpected answer (HTTP {status})")
    final = obs.final_url or obs.url
    # Redirects first: most answers have none, and need no split of their URL.
    if obs.redirects and _LOGIN_PATHS.search(split_url(final).path):
        return Judgement(LiveStatus.BLOCKED, f"redirected to a login page ({final})")
    soft = _soft_404(obs, same_page) if obs.is_html or obs.redirects else None
    if soft:
        return Judgement(LiveStatus.SOFT_404, soft)
    return _content(obs, status, score)


def _content(obs: Observation, status: int, score: float | None) -> Judgement:
    if not obs.is_html:
        ctype = obs.headers.get("content-type", "").split(";")[0] or "unknown type"
        return Judgement(LiveStatus.OK, f"HTTP {status}, {ctype}: no title to compare")
    if not obs.cited_title:
        return Judgement(LiveStatus.OK, f"HTTP {status}; no cited title to compare")
    if not obs.title or score is None:
        return Judgement(LiveStatus.OK, f"HTTP {status}; the page has no title to compare")
    if score < DRIFT_THRESHOLD:
        return Judgement(
            LiveStatus.DRIFTED,
            f"HTTP {status}, but the page is titled {obs.title!r} (match {score:.2f})",
            score,
        )
    return Judgement(LiveStatus.OK, f"HTTP {status}; title matches ({score:.2f})", score)
