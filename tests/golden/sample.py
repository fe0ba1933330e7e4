"""A fixed set of results covering every verdict, with hostile and multilingual strings.

Verdicts, actions and fixes are computed by ``verifier.check.combine`` from the
observations, as the main job does, so the goldens follow the verdict table rather than
restating it.
The clock is fixed: ``GENERATED_AT``.
"""

from __future__ import annotations

from dataclasses import replace

from verifier.check import combine
from verifier.model import (
    ArchiveResult,
    ArchiveStatus,
    Change,
    ChangeKind,
    CitedArchive,
    LintIssue,
    LiveResult,
    LiveStatus,
    Reference,
    ReferenceResult,
    Report,
    RunTally,
    Severity,
    Verdict,
)

GENERATED_AT = "2024-05-04T03:00:00+00:00"
CHECKED_AT = "2024-05-04T02:59:00+00:00"
WAYBACK = "https://web.archive.org/web"

HOSTILE_SCRIPT = "<script>document.title='pwned'</script>"
HOSTILE_IMG = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
JS_URL = "javascript:document.body.setAttribute('data-pwned','2')"
FORMULA = '=HYPERLINK("http://evil.example/","click me")'


def _snapshot(url: str, ts: str) -> ArchiveResult:
    return ArchiveResult(
        status=ArchiveStatus.ARCHIVED,
        snapshot_url=f"{WAYBACK}/{ts}/{url}",
        snapshot_timestamp=ts,
        snapshot_http_status=200,
        archive="wayback",
        chosen_by="closest to archive_date",
    )


def result(
    ref: Reference,
    live: LiveResult,
    archive: ArchiveResult,
    dead_since: str | None = None,
    failing_streak: int = 0,
    lint: list[dict[str, str]] | None = None,
) -> ReferenceResult:
    combined = combine(ref, live, archive)
    return replace(
        combined, dead_since=dead_since, failing_streak=failing_streak, lint=lint or []
    )


def live(status: LiveStatus, http: int | None = None, **kw: object) -> LiveResult:
    return LiveResult(status=status, http_status=http, checked_at=CHECKED_AT, **kw)  # type: ignore[arg-type]


def sample_results() -> list[ReferenceResult]:
    ap = "https://apnews.com/article/kim-putin-summit"
    meduza = "https://meduza.io/news/2023/09/16/kim-vladivostok"
    rbc = "https://www.rbc.ru/politics/13/09/2023/vmeste-v-borbe"
    econ = "https://www.economist.com/asia/2023/09/13/the-dangers"
    gone = "https://gone.example.com/story?id=3&lang=en"
    fresh = 'https://example.org/a?b=1&c="2"<x>'
    return [
        result(
            Reference(id="1", title="North Korea's Kim vows full support for Russia",
                      url=ap, work="AP News", uses=1),
            live(LiveStatus.OK, 200, final_url=ap, title_seen="Kim vows full support",
                 title_match=0.93),
            _snapshot(ap, "20230913101500"),
        ),
        result(
            Reference(id="16", title="«Вместе в борьбе против империализма». Как прошла встреча "
                      "Ким Чен Ына с Путиным", url=rbc, work="РБК", uses=16),
            live(LiveStatus.DEAD, 404, final_url=rbc, detail="404 on three checks"),
            _snapshot(rbc, "20230914083012"),
            dead_since="2024-05-04T03:00:00+00:00",
            failing_streak=1,
        ),
        result(
            Reference(id="6", title="The dangers posed by a deal between Russia and North Korea",
                      url=econ, work="The Economist", uses=4),
            live(LiveStatus.DRIFTED, 200, final_url="https://www.economist.com/casino-offers",
                 title_seen="Best casino offers", title_match=0.05),
            _snapshot(econ, "20230914000000"),
        ),
        result(
            Reference(id="3", title=HOSTILE_SCRIPT, url=gone, work=HOSTILE_IMG, uses=2),
            live(LiveStatus.DEAD, 410, final_url=gone),
            ArchiveResult(status=ArchiveStatus.MISSING, cited_archive=CitedArchive.NOT_FOUND),
            dead_since="2024-05-02T03:00:00+00:00",
            failing_streak=3,
        ),
        result(
            Reference(id="4", title=HOSTILE_IMG, url=fresh, work="@octocat | *bold* [x](y)",
                      uses=1),
            live(LiveStatus.OK, 200, final_url=fresh),
            ArchiveResult(status=ArchiveStatus.MISSING),
        ),
        result(
            Reference(id="5", title=FORMULA, url=JS_URL, work="-2+3", uses=1),
            live(LiveStatus.UNSAFE, detail="not an http(s) URL"),
            ArchiveResult(status=ArchiveStatus.NOT_CHECKED),
        ),
        result(
            Reference(id="40", title="韓国統一相、北朝鮮とロシアの軍事協力に懸念表明=聯合ニュース",
                      url="https://jp.reuters.com/article/idJP2023091401", work="Reuters",
                      uses=1, language="ja"),
            live(LiveStatus.OFFLINE, detail="name did not resolve; well-known hosts fail too"),
            ArchiveResult(status=ArchiveStatus.ERROR, detail="archive unreachable"),
        ),
        result(
            Reference(id="28", title="Ким Чен Ын приехал во Владивосток", url=meduza,
                      work="Meduza", uses=5),
            live(LiveStatus.SOFT_404, 200, final_url="https://meduza.io/",
                 detail="redirected to the home page"),
            ArchiveResult(status=ArchiveStatus.NOT_CHECKED),
        ),
        result(
            Reference(id="41", title="存档副本", url=None, uses=1, language='zh" onmouseover="x'),
            live(LiveStatus.NO_URL),
            ArchiveResult(status=ArchiveStatus.NOT_CHECKED),
            lint=[
                LintIssue("41", "placeholder-title",
                          "placeholder title '存档副本': give the real title <b>",
                          Severity.WARNING),
                LintIssue("41", "missing-url", "no URL: add |url=", Severity.WARNING),
            ],
        ),
        result(
            Reference(id="27", title="Лидер Северной Кореи\x1b[2J в России\u202eпосетил завод",
                      url="https://www.svoboda.org/a/32594000.html", work="Радио «Свобода»",
                      uses=1),
            live(LiveStatus.BLOCKED, 403, final_url="https://www.svoboda.org/a/32594000.html",
                 detail="bot challenge"),
            ArchiveResult(status=ArchiveStatus.ARCHIVED_ERROR),
        ),
    ]


def sample_report() -> Report:
    results = sample_results()
    assert {r.verdict for r in results} == set(Verdict), "the sample must cover every verdict"
    return Report(
        generated_at=GENERATED_AT,
        source={
            "title": "2023年朝俄首脑会谈",
            "language": "zh",
            "url": "https://zh.wikipedia.org/wiki/2023年朝俄首脑会谈",
            "file": "article.txt",
        },
        results=results,
        changes=[
            Change(id="3", kind=ChangeKind.NEWLY_LOST, before="healthy", after="lost",
                   since="2024-05-02T03:00:00+00:00", streak=3),
            Change(id="16", kind=ChangeKind.NEWLY_DEAD, before="healthy", after="rescued",
                   since="2024-05-04T03:00:00+00:00", streak=1),
            Change(id="1", kind=ChangeKind.RECOVERED, before="unverified", after="healthy"),
        ],
        failing=[r.reference.id for r in results if r.verdict is Verdict.LOST],
        checker_online=True,
        trend=sample_trend(results),
    )


def sample_trend(results: list[ReferenceResult]) -> list[RunTally]:
    """Three nightly runs: two earlier ones, then this one (its counts from ``results``)."""
    now: dict[str, int] = {}
    for r in results:
        now[str(r.verdict)] = now.get(str(r.verdict), 0) + 1
    return [
        RunTally("2024-05-02T03:00:00+00:00",
                 {"healthy": 4, "lost": 1, "unverified": 4, "no-url": 1}),
        RunTally("2024-05-03T03:00:00+00:00",
                 {"healthy": 3, "rescued": 1, "lost": 1, "unverified": 4, "no-url": 1}),
        RunTally(GENERATED_AT, now),
    ]


def offline_report(n: int = 44) -> Report:
    """The seed's situation on a machine without internet: every link offline."""
    results = [
        result(
            Reference(id=str(i), title=f"Reference {i}", url=f"https://news{i}.example/a",
                      uses=1),
            live(LiveStatus.OFFLINE),
            ArchiveResult(status=ArchiveStatus.ERROR),
        )
        for i in range(1, n + 1)
    ]
    return Report(generated_at=GENERATED_AT, source={"title": "offline"}, results=results,
                  checker_online=False)


def no_url_report(n: int = 44) -> Report:
    """The seed as parsed from its plain text: no reference has a URL."""
    results = [
        result(
            Reference(id=str(i), title=f"Reference {i}", url=None, uses=1),
            live(LiveStatus.NO_URL),
            ArchiveResult(status=ArchiveStatus.NOT_CHECKED),
        )
        for i in range(1, n + 1)
    ]
    return Report(generated_at=GENERATED_AT, source={"title": "no urls"}, results=results)
