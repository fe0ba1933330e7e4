"""End to end, as an editor works: the main job checks a wikitext article against loopback
sites and a loopback Wayback-compatible archive, then ``verify-refs fix`` applies its
report to the same article. One article per wiki (en, zh, ru), each citing one page per
verdict in that wiki's own template parameters; every edit is checked against the
article's text, rewritten by hand here, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import sites
from tests.loopback import LoopbackServer
from tests.wayback_server import WaybackServer
from verifier import __version__
from verifier.cli.app import main

TITLE = "Kim Jong Un arrives in Russia for talks with Putin"
CAPTURED = "20230913120000"

# Per wiki: prose, then the template's names for url, title, archive url and date, and
# how the citation says "dead" / "live".
WIKIS = {
    "en": {
        "prose": "{{Use dmy dates|date=September 2023}}\nKim Jong Un met Vladimir Putin.",
        "url": "url",
        "title": "title",
        "archive_url": "archive-url",
        "archive_date": "archive-date",
        "status": "url-status",
        "dead": "dead",
        "live": "live",
        "usurped": "usurped",
        "day": "13 September 2023",
    },
    "zh": {
        "prose": "2023年朝俄首脑会谈是朝鲜最高领导人金正恩与俄罗斯总统普京举行的会谈。",
        "url": "网址",
        "title": "标题",
        "archive_url": "存档网址",
        "archive_date": "存档日期",
        "status": "url-status",
        "dead": "dead",
        "live": "live",
        "usurped": "usurped",
        "day": "2023-09-13",
    },
    "ru": {
        "prose": "Встреча прошла 13 сентября 2023 года на космодроме Восточный.",
        "url": "ссылка",
        "title": "заглавие",
        "archive_url": "архив",
        "archive_date": "дата архива",
        "status": "deadlink",
        "dead": "yes",
        "live": "no",
        "usurped": "yes",
        "day": "2023-09-13",
    },
}


def _cite(w: dict, url: str, *extra: str) -> str:
    params = [f"{w['url']}={url}", f"{w['title']}={TITLE}", *extra]
    return "{{cite web|" + "|".join(params) + "}}"


def _dead_link(wiki: str, checked_at: str) -> str:
    year, month = int(checked_at[:4]), int(checked_at[5:7])
    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    months += ["September", "October", "November", "December"]
    return {
        "en": f"{{{{dead link|date={months[month - 1]} {year}}}}}",
        "zh": f"{{{{dead link|date={year}年{month}月}}}}",
        "ru": f"{{{{Недоступная ссылка|date={checked_at[:10]}}}}}",
    }[wiki]


@pytest.mark.parametrize("wiki", sorted(WIKIS))
def test_check_then_fix_edits_every_verdict(
    wiki: str,
    tmp_path: Path,
    server: LoopbackServer,
    wayback: WaybackServer,
    probe: LoopbackServer,
) -> None:
    w = WIKIS[wiki]
    healthy = sites.article(server, f"/{wiki}/healthy", TITLE)
    rescued = sites.not_found(server, f"/{wiki}/rescued")
    usurped = sites.drifted_page(server, f"/{wiki}/usurped")
    lost = sites.not_found(server, f"/{wiki}/lost")
    replaced = sites.article(server, f"/{wiki}/replaced", TITLE)
    bare = sites.not_found(server, f"/{wiki}/bare")
    blocked = sites.bot_wall(server, f"/{wiki}/blocked")
    for url in (healthy, rescued, usurped, replaced, bare):
        wayback.add(url, CAPTURED, title=TITLE)
    stale = f"https://web.archive.org/web/20190101000000/{replaced}"
    cites = {
        "healthy": _cite(w, healthy, f"{w['status']}={w['dead']}"),
        "rescued": _cite(w, rescued),
        "usurped": _cite(w, usurped),
        "lost": _cite(w, lost),
        "replaced": _cite(
            w, replaced, f"{w['archive_url']}={stale}", f"{w['archive_date']}=2019-01-01"
        ),
        "bare": f"[{bare} {TITLE}]",
        "blocked": _cite(w, blocked),
    }
    article = tmp_path / f"{wiki}.wiki"
    body = "".join(f"{w['prose']}<ref>{cite}</ref>\n" for cite in cites.values())
    text = f"{body}\n== References ==\n{{{{reflist}}}}\n"
    article.write_text(text, "utf-8")
    out = tmp_path / "reports"

    check = CliRunner().invoke(
        main,
        [
            "--refs", str(article), "--out", str(out), "--no-history",
            "--allow-network", "127.0.0.0/8", "--timeout", "3",
            "--online-probe", probe.url("/"), "--archive-interval", "0", "--no-progress",
            "--wayback-url", wayback.base,
        ],
        catch_exceptions=False,
    )  # fmt: skip
    assert check.exit_code == 1, check.output  # one lost reference: the default policy fails
    report = json.loads((out / "report.json").read_text("utf-8"))
    by_url = {r["url"]: r for r in report["references"]}
    verdicts = {name: by_url[u]["verdict"] for name, u in (
        ("healthy", healthy), ("rescued", rescued), ("usurped", usurped), ("lost", lost),
        ("replaced", replaced), ("bare", bare), ("blocked", blocked),
    )}  # fmt: skip
    assert verdicts == {
        "healthy": "healthy",
        "rescued": "rescued",
        "usurped": "rescued",
        "lost": "lost",
        "replaced": "healthy",
        "bare": "rescued",
        "blocked": "unverified",
    }
    assert by_url[replaced]["archive"]["cited_archive"] == "not-found"
    snap = {u: by_url[u]["archive"]["snapshot_url"] for u in (rescued, usurped, replaced, bare)}
    assert all(CAPTURED in s for s in snap.values())

    fixed = CliRunner().invoke(
        main, ["fix", str(article), "--from", str(out / "report.json")], catch_exceptions=False
    )
    assert fixed.exit_code == 0, fixed.output

    day = w["day"]
    mark = _dead_link(wiki, by_url[lost]["live"]["checked_at"])
    webarchive_day = "2023-09-13"  # a bare link has no dates of its own; en: no template date
    if wiki == "en":
        webarchive_day = "13 September 2023"  # {{Use dmy dates}}
    expected = {
        "healthy": _cite(w, healthy, f"{w['status']}={w['live']}"),
        "rescued": _cite(
            w, rescued, f"{w['archive_url']}={snap[rescued]}", f"{w['archive_date']}={day}",
            f"{w['status']}={w['dead']}",
        ),
        "usurped": _cite(
            w, usurped, f"{w['archive_url']}={snap[usurped]}", f"{w['archive_date']}={day}",
            f"{w['status']}={w['usurped']}",
        ),
        "lost": _cite(w, lost) + mark,
        "replaced": _cite(
            w, replaced, f"{w['archive_url']}={snap[replaced]}", f"{w['archive_date']}={day}"
        ),
        "bare": f"[{bare} {TITLE}]{{{{webarchive|url={snap[bare]}|date={webarchive_day}}}}}",
        "blocked": cites["blocked"],
    }  # fmt: skip
    want = text
    for name, cite in cites.items():
        want = want.replace(f"<ref>{cite}</ref>", f"<ref>{expected[name]}</ref>")
    assert fixed.stdout == want
    assert fixed.stderr.splitlines() == [
        "Rescued 3 sources, replaced 1 unusable archive link, marked 1 dead, marked 1 live "
        f"(verify-refs {__version__})"
    ]


# --- the whole editor workflow on a live article: check it by URL, then fix it by URL ---

ZH_TITLE = "2023年朝俄首脑会谈"
ZH_URL = f"https://zh.wikipedia.org/wiki/{ZH_TITLE}"


def _rendered(refs: list[tuple[str, str]]) -> str:
    """The article's HTML as action=parse renders it: the body, then the reference list."""
    marks = "".join(
        f'<sup id="cite_ref-{n}" class="reference"><a href="#cite_note-{n}">[{n}]</a></sup>'
        for n in range(1, len(refs) + 1)
    )
    items = "".join(
        f'<li id="cite_note-{n}"><span class="mw-cite-backlink"><b><a href="#cite_ref-{n}">^'
        f'</a></b></span> <span class="reference-text"><cite class="citation web cs1">'
        f'<a rel="nofollow" class="external text" href="{url}">{title}</a>.</cite></span></li>'
        for n, (url, title) in enumerate(refs, start=1)
    )
    return (
        f'<div class="mw-parser-output"><p>金正恩与普京举行会谈。{marks}</p>'
        f'<div class="reflist"><ol class="references">{items}</ol></div></div>'
    )


def test_check_a_live_article_by_url_then_fix_it_by_url(
    tmp_path: Path, server: LoopbackServer, wayback: WaybackServer, probe: LoopbackServer
) -> None:
    from tests.mediawiki_server import MediaWikiAPI

    rescued = sites.not_found(server, "/live/rescued")
    lost = sites.not_found(server, "/live/lost")
    wayback.add(rescued, CAPTURED, title=TITLE)
    api = MediaWikiAPI(server)
    api.add("zh", ZH_TITLE, _rendered([(rescued, TITLE), (lost, TITLE)]))
    wikitext = (
        "金正恩与普京举行会谈。"
        f"<ref>{{{{cite web|url={rescued}|title={TITLE}|accessdate=2023-09-14}}}}</ref>"
        f"<ref>{{{{cite news|url={lost}|title={TITLE}}}}}</ref>\n"
        "== 参考资料 ==\n{{Reflist}}\n"
    )
    api.add_wikitext("zh", ZH_TITLE, wikitext, revid=80001234, timestamp="2026-12-01T09:30:00Z")
    out = tmp_path / "reports"

    check = CliRunner().invoke(
        main,
        [
            "--refs", ZH_URL, "--api", api.api_base, "--out", str(out), "--no-history",
            "--allow-network", "127.0.0.0/8", "--timeout", "3",
            "--online-probe", probe.url("/"), "--archive-interval", "0", "--no-progress",
            "--wayback-url", wayback.base, "--report", "html",
        ],
        catch_exceptions=False,
    )  # fmt: skip
    assert check.exit_code == 1, check.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["source"]["url"] == ZH_URL and report["source"]["language"] == "zh"
    assert [(r["url"], r["verdict"]) for r in report["references"]] == [
        (rescued, "rescued"),
        (lost, "lost"),
    ]
    assert (out / "report.html").is_file()

    fixed = CliRunner().invoke(
        main,
        ["fix", ZH_URL, "--api", api.api_base, "--from", str(out / "report.json")],
        catch_exceptions=False,
    )
    assert fixed.exit_code == 0, fixed.output
    snapshot = report["references"][0]["archive"]["snapshot_url"]
    checked = report["references"][1]["live"]["checked_at"]
    assert fixed.stdout == wikitext.replace(
        "|accessdate=2023-09-14}}",
        f"|accessdate=2023-09-14|archiveurl={snapshot}|archivedate=2023-09-13|url-status=dead}}}}",
    ).replace(
        f"|title={TITLE}}}}}</ref>",
        f"|title={TITLE}}}}}{{{{dead link|date={int(checked[:4])}年{int(checked[5:7])}月}}}}</ref>",
    )
    assert fixed.stderr.splitlines() == [
        f"Rescued 1 source, marked 1 dead (verify-refs {__version__})",
        f"base revision: 80001234 (2026-12-01T09:30:00Z) of {ZH_URL}",
    ]


def test_a_refs_url_that_cannot_be_imported_is_one_line_exit_2(
    tmp_path: Path, server: LoopbackServer
) -> None:
    from tests.mediawiki_server import MediaWikiAPI

    api = MediaWikiAPI(server)
    api.add("zh", "另一个条目", "<div class='mw-parser-output'></div>")
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        main, ["--refs", ZH_URL, "--api", api.api_base, "--out", str(out), "--no-history"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: {ZH_URL}: The page you specified doesn't exist."
    ]
    assert not out.exists()
