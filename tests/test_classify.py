"""The classification rules, one row per behaviour: observation -> live status."""

from __future__ import annotations

from typing import Any

import pytest

from verifier.classify import Failure, Observation, classify, is_root, looks_not_found
from verifier.model import LiveStatus as S

URL = "https://news.example/2020/05/story-123"
CITED = "Government approves new budget rules"


def html(**kw: Any) -> dict[str, Any]:
    return {"status": 200, "is_html": True, "headers": {"content-type": "text/html"}, **kw}


# (case id, Observation fields, expected status)
CASES: list[tuple[str, dict[str, Any], S]] = [
    # ok
    ("same title", html(title=CITED + " — News Example"), S.OK),
    ("no cited title", html(title="Anything", cited_title=None), S.OK),
    ("page without title", html(title=None), S.OK),
    # A bare link's title is its URL: nothing to compare, never a drift.
    ("cited title is the URL", html(title="Putin meets Kim", cited_title=URL), S.OK),
    ("cited title is a www address", html(title="Putin meets Kim",
                                          cited_title="www.news.example/2020/05"), S.OK),
    ("blank cited title", html(title="Putin meets Kim", cited_title="  "), S.OK),
    ("pdf", {"status": 200, "headers": {"content-type": "application/pdf"}}, S.OK),
    ("http to https redirect", html(title=CITED, redirects=(URL,), final_url=URL), S.OK),
    ("root cited, root served", html(url="https://news.example/", redirects=(
        "https://www.news.example/",), final_url="https://www.news.example/", title="Home",
        cited_title="Home"), S.OK),
    ("moved article, same title", html(redirects=("https://news.example/new",),
                                       final_url="https://news.example/new", title=CITED), S.OK),
    ("cited page with a captcha comment form", html(
        title=CITED + " — News Example", text='<form><div class="g-recaptcha"></div></form>'),
     S.OK),
    ("article about 'not found'", html(cited_title="Missing plane not found after search",
                                       title="Missing plane not found after search | BBC"), S.OK),
    # soft-404
    ("redirect to home", html(redirects=("https://news.example/",),
                              final_url="https://news.example/", title="News Example"),
     S.SOFT_404),
    ("query article to home", html(url="https://blog.example/?p=123", redirects=(
        "https://blog.example/",), final_url="https://blog.example/", title="Blog"), S.SOFT_404),
    ("redirect to /en/", html(redirects=("https://news.example/en/",),
                              final_url="https://news.example/en/", title="News Example"),
     S.SOFT_404),
    ("redirect to index.php", html(redirects=("https://news.example/index.php",),
                                   final_url="https://news.example/index.php", title="News"),
     S.SOFT_404),
    ("redirect to section front", html(redirects=("https://news.example/2020/",),
                                       final_url="https://news.example/2020/", title="2020"),
     S.SOFT_404),
    ("redirect to /404.html", html(redirects=("https://news.example/404.html",),
                                   final_url="https://news.example/404.html", title="Oops"),
     S.SOFT_404),
    ("meta refresh to root", html(title="Redirecting", refresh="/"), S.SOFT_404),
    ("title en", html(title="Page Not Found | News Example"), S.SOFT_404),
    ("title ru", html(title="Страница не найдена — Ведомости"), S.SOFT_404),
    ("heading ru", html(title="Ведомости", heading="Ошибка 404"), S.SOFT_404),
    ("title uk", html(title="Сторінку не знайдено"), S.SOFT_404),
    ("title zh", html(title="页面不存在_新浪网"), S.SOFT_404),
    ("heading zh-hant", html(title="聯合新聞網", heading="找不到網頁"), S.SOFT_404),
    ("title ja", html(title="お探しのページは見つかりませんでした"), S.SOFT_404),
    ("title de", html(title="Seite nicht gefunden - DW"), S.SOFT_404),
    ("bare 404 title", html(title="404 - News Example"), S.SOFT_404),
    # drifted
    ("other title", html(title="Buy cheap watches online"), S.DRIFTED),
    ("usurped domain", html(title="This domain is for sale"), S.DRIFTED),
    # dead
    ("404 confirmed", {"status": 404, "confirmed": True}, S.DEAD),
    ("410 confirmed", {"status": 410, "confirmed": True}, S.DEAD),
    ("404 after redirects", {"status": 404, "confirmed": True,
                             "redirects": ("https://news.example/x",)}, S.DEAD),
    ("nxdomain while online", {"failure": Failure.NAME_NOT_FOUND, "online": True,
                               "confirmed": True}, S.DEAD),
    # never dead on one observation, or while offline
    ("404 not confirmed", {"status": 404}, S.ERROR),
    ("nxdomain unconfirmed", {"failure": Failure.NAME_NOT_FOUND, "online": True}, S.ERROR),
    ("nxdomain offline", {"failure": Failure.NAME_NOT_FOUND, "online": False,
                          "confirmed": True}, S.OFFLINE),
    ("lookup failed offline", {"failure": Failure.LOOKUP_FAILED, "online": False}, S.OFFLINE),
    ("no answer offline", {"failure": Failure.NO_ANSWER, "online": False}, S.OFFLINE),
    ("lookup failed online", {"failure": Failure.LOOKUP_FAILED, "online": True}, S.ERROR),
    ("no answer online", {"failure": Failure.NO_ANSWER, "online": True}, S.ERROR),
    ("refused even offline", {"failure": Failure.REFUSED, "online": False}, S.ERROR),
    # blocked
    ("401", {"status": 401}, S.BLOCKED),
    ("403", {"status": 403}, S.BLOCKED),
    ("429", {"status": 429}, S.BLOCKED),
    ("451", {"status": 451}, S.BLOCKED),
    ("cf challenge 503", {"status": 503, "headers": {"cf-mitigated": "challenge"}}, S.BLOCKED),
    ("just a moment 200", html(title="Just a moment..."), S.BLOCKED),
    ("captcha markup", html(title="News", text='<div class="g-recaptcha"></div>'), S.BLOCKED),
    ("captcha markup, any case", html(title="News", text='<DIV CLASS="G-ReCaptcha">'),
     S.BLOCKED),
    ("challenge script", html(title="News", text='<script src="/cdn-cgi/challenge-platform/'
                                                 'h/b/orchestrate/jsch/v1"></script>'), S.BLOCKED),
    ("ddos-guard 404", {"status": 404, "is_html": True, "title": "DDoS-Guard",
                        "confirmed": True}, S.BLOCKED),
    ("redirect to login", html(redirects=("https://news.example/login?next=/x",),
                               final_url="https://news.example/login?next=/x",
                               title="Sign in"), S.BLOCKED),
    # error
    ("500", {"status": 500}, S.ERROR),
    ("503", {"status": 503}, S.ERROR),
    ("400", {"status": 400}, S.ERROR),
    ("3xx without location", {"status": 302}, S.ERROR),
    ("timeout", {"failure": Failure.TIMEOUT, "online": True}, S.ERROR),
    ("reset", {"failure": Failure.RESET}, S.ERROR),
    ("tls", {"failure": Failure.TLS}, S.ERROR),
    ("loop", {"failure": Failure.REDIRECT_LOOP}, S.ERROR),
    ("too many redirects", {"failure": Failure.TOO_MANY_REDIRECTS}, S.ERROR),
    ("malformed", {"failure": Failure.MALFORMED}, S.ERROR),
    # unsafe
    ("unsafe", {"failure": Failure.UNSAFE, "failure_detail": "javascript: URL"}, S.UNSAFE),
    ("unsafe even offline", {"failure": Failure.UNSAFE, "online": False}, S.UNSAFE),
]


@pytest.mark.parametrize(("fields", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_observation_is_classified(fields: dict[str, Any], expected: S) -> None:
    fields = {"url": URL, "cited_title": CITED, **fields}
    judgement = classify(Observation(**fields))
    assert judgement.status is expected, judgement.detail
    assert judgement.detail


def test_every_fetched_status_is_reachable_by_a_rule() -> None:
    produced = {e for _, _, e in CASES}
    assert produced == set(S) - {S.NO_URL}  # no-url is decided before fetching


def test_drift_records_the_title_score() -> None:
    judgement = classify(Observation(URL, CITED, **html(title="Buy cheap watches online")))
    assert judgement.title_match is not None
    assert judgement.title_match < 0.4


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://a.example/", True),
        ("https://a.example", True),
        ("https://a.example/index.html", True),
        ("https://a.example/ru/", True),
        ("https://a.example/en-us/home", True),
        ("https://a.example/news/1", False),
        ("https://a.example/story", False),
    ],
)
def test_root_paths(url: str, root: bool) -> None:
    assert is_root(url) is root


def test_not_found_words_need_the_phrase_not_one_word() -> None:
    assert looks_not_found("Страница не найдена")
    assert not looks_not_found("Found: the lost city")
    assert not looks_not_found(None)
