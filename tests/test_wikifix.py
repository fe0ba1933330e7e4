"""``wikifix``: a report's results applied to wikitext, one case per behaviour.

Every expected text is written out by hand from what an editor would type: the
template's own parameter names and spacing, the wiki's dead-link template, the
article's date form. Nothing outside the touched template may change.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from verifier.model import (
    ArchiveResult,
    ArchiveStatus,
    CitedArchive,
    LiveResult,
    LiveStatus,
    Reference,
    ReferenceResult,
    Verdict,
)
from verifier.parse.cs1 import ALIASES
from verifier.wikifix import FixOptions, apply_results, unified_diff
from verifier.wikifix.style import NAMES, guess_wiki, naming_style

SNAP = "https://web.archive.org/web/20230913120000/http://a.example/1"
CHECKED = "2026-12-02T08:00:00+00:00"


def result(
    verdict: str,
    url: str = "http://a.example/1",
    title: str | None = "One",
    *,
    live: str | None = None,
    archive: str | None = None,
    snapshot: str | None = SNAP,
    timestamp: str | None = "20230913120000",
    cited: str = "none-cited",
    ref_id: str = "1",
) -> ReferenceResult:
    live = live or {"rescued": "dead", "lost": "dead"}.get(verdict, "ok")
    archive = archive or ("missing" if verdict == "lost" else "archived")
    if archive != "archived":
        snapshot = timestamp = None
    return ReferenceResult(
        reference=Reference(id=ref_id, title=title, url=url),
        live=LiveResult(LiveStatus(live), checked_at=CHECKED),
        archive=ArchiveResult(
            ArchiveStatus(archive),
            snapshot_url=snapshot,
            snapshot_timestamp=timestamp,
            cited_archive=CitedArchive(cited),
        ),
        verdict=Verdict(verdict),
        action="",
    )


def fixed(text: str, *results: ReferenceResult, **options: object) -> str:
    outcome = apply_results(text, list(results), FixOptions(**options))  # type: ignore[arg-type]
    return outcome.text


# --- rescued ---------------------------------------------------------------------------


def test_rescued_gets_archive_parameters_in_the_template_spacing() -> None:
    before = "x<ref>{{cite web |url=http://a.example/1 |title=One }}</ref> y"
    after = (
        "x<ref>{{cite web |url=http://a.example/1 |title=One "
        f"|archive-url={SNAP} |archive-date=2023-09-13 |url-status=dead }}}}</ref> y"
    )
    assert fixed(before, result("rescued")) == after


def test_rescued_in_a_template_written_one_parameter_a_line() -> None:
    before = "<ref>{{cite web\n | url = http://a.example/1\n | title = One\n}}</ref>"
    after = (
        "<ref>{{cite web\n | url = http://a.example/1\n | title = One\n"
        f" | archive-url = {SNAP}\n | archive-date = 2023-09-13\n | url-status = dead\n}}}}</ref>"
    )
    assert fixed(before, result("rescued")) == after


def test_rescued_in_the_older_joined_names_and_tight_spacing() -> None:
    before = "<ref>{{cite news|url=http://a.example/1|title=One|accessdate=2020-05-01}}</ref>"
    after = (
        "<ref>{{cite news|url=http://a.example/1|title=One|accessdate=2020-05-01"
        f"|archiveurl={SNAP}|archivedate=2023-09-13|url-status=dead}}}}</ref>"
    )
    assert fixed(before, result("rescued")) == after


def test_drifted_page_is_usurped() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    out = fixed(before, result("rescued", live="drifted"))
    assert out.endswith("|url-status=usurped}}</ref>")


def test_existing_empty_parameters_are_filled_in_place() -> None:
    before = (
        "<ref>{{cite web |url=http://a.example/1 |archive-url= |archive-date= |title=One}}</ref>"
    )
    after = (
        f"<ref>{{{{cite web |url=http://a.example/1 |archive-url={SNAP} "
        "|archive-date=2023-09-13 |title=One |url-status=dead}}</ref>"
    )
    assert fixed(before, result("rescued")) == after


def test_rescued_with_a_confirmed_cited_archive_keeps_it() -> None:
    before = (
        "<ref>{{cite web|url=http://a.example/1|title=One"
        "|archive-url=https://web.archive.org/web/2019/http://a.example/1|archive-date=2019-01-01"
        "|url-status=live}}</ref>"
    )
    out = fixed(before, result("rescued", cited="confirmed"))
    assert out == before.replace("url-status=live", "url-status=dead")


def test_rescued_replaces_a_cited_archive_that_is_not_usable() -> None:
    before = (
        "<ref>{{cite web|url=http://a.example/1|title=One"
        "|archive-url=https://web.archive.org/web/2019/http://a.example/1|archive-date=2019-01-01}}"
        "</ref>"
    )
    after = (
        f"<ref>{{{{cite web|url=http://a.example/1|title=One|archive-url={SNAP}"
        "|archive-date=2023-09-13|url-status=dead}}</ref>"
    )
    assert fixed(before, result("rescued", cited="not-found")) == after


def test_rescued_drops_the_dead_link_mark_after_it() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One}} {{Dead link|date=May 2020}}</ref>"
    after = (
        f"<ref>{{{{cite web|url=http://a.example/1|title=One|archive-url={SNAP}"
        "|archive-date=2023-09-13|url-status=dead}}</ref>"
    )
    assert fixed(before, result("rescued")) == after


# --- the article's and the template's date form ----------------------------------------


def test_use_dmy_dates_sets_the_date_form() -> None:
    before = (
        "{{Use dmy dates|date=May 2020}}\n<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    )
    assert "|archive-date=13 September 2023|" in fixed(before, result("rescued"))


def test_use_mdy_dates_sets_the_date_form() -> None:
    before = "{{use mdy dates}}\n<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    assert "|archive-date=September 13, 2023|" in fixed(before, result("rescued"))


def test_without_a_use_template_the_template_own_dates_rule() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One|access-date=4 May 2020}}</ref>"
    assert "|archive-date=13 September 2023|" in fixed(before, result("rescued"))


def test_zh_dates_are_iso_whatever_the_template_writes() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One|accessdate=13 September 2017}}</ref>"
    out = fixed(before, result("rescued"), wiki="zh")
    assert "|archivedate=2023-09-13|" in out


# --- zh and ru parameter names ---------------------------------------------------------


def test_zh_simplified_names() -> None:
    before = "<ref>{{cite web|网址=http://a.example/1|标题=One|访问日期=2023-09-18}}</ref>"
    after = (
        "<ref>{{cite web|网址=http://a.example/1|标题=One|访问日期=2023-09-18"
        f"|存档网址={SNAP}|存档日期=2023-09-13|url-status=dead}}}}</ref>"
    )
    assert fixed(before, result("rescued"), wiki="zh") == after


def test_zh_traditional_names() -> None:
    before = "<ref>{{cite web|網址=http://a.example/1|標題=One}}</ref>"
    out = fixed(before, result("rescued"), wiki="zh")
    assert f"|存檔網址={SNAP}|存檔日期=2023-09-13|" in out


def test_ru_names_and_deadlink() -> None:
    before = (
        "<ref>{{Cite web|ссылка=http://a.example/1|заглавие=One|дата обращения=2023-09-18}}</ref>"
    )
    after = (
        "<ref>{{Cite web|ссылка=http://a.example/1|заглавие=One|дата обращения=2023-09-18"
        f"|архив={SNAP}|дата архива=2023-09-13|deadlink=yes}}}}</ref>"
    )
    assert fixed(before, result("rescued"), wiki="ru") == after


def test_ru_existing_deadlink_in_russian_is_answered_in_russian() -> None:
    before = "<ref>{{Cite web|ссылка=http://a.example/1|заглавие=One|deadlink=да}}</ref>"
    out = fixed(before, result("healthy"), wiki="ru")
    assert out == before.replace("deadlink=да", "deadlink=нет")


def test_every_written_name_is_one_the_parser_reads() -> None:
    for key, by_style in NAMES.items():
        for name in by_style.values():
            assert name in ALIASES[key], (key, name)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["url", "title", "access-date"], "hyphen"),
        (["url", "title", "accessdate"], "joined"),
        (["url", "title"], "hyphen"),
        (["网址", "标题"], "zh-hans"),
        (["url", "標題"], "zh-hant"),
        (["ссылка", "заглавие"], "ru"),
    ],
)
def test_naming_style(names: list[str], expected: str) -> None:
    assert naming_style(names) == expected


# --- lost: the wiki's dead-link template -----------------------------------------------


@pytest.mark.parametrize(
    ("wiki", "mark"),
    [
        ("en", "{{dead link|date=December 2026}}"),
        ("zh", "{{dead link|date=2026年12月}}"),
        ("ja", "{{リンク切れ|date=2026年12月}}"),
        ("ru", "{{Недоступная ссылка|date=2026-12-02}}"),
    ],
)
def test_lost_gets_the_wiki_dead_link_template(wiki: str, mark: str) -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    after = f"<ref>{{{{cite web|url=http://a.example/1|title=One}}}}{mark}</ref>"
    assert fixed(before, result("lost"), wiki=wiki) == after


def test_lost_already_marked_is_not_marked_twice() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One}} {{Dead link|date=May 2020}}</ref>"
    outcome = apply_results(before, [result("lost")])
    assert outcome.text == before
    assert outcome.edits == []


def test_lost_without_a_check_time_is_dated_today() -> None:
    lost = result("lost")
    lost = replace(lost, live=replace(lost.live, checked_at=None))
    before = "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    out = fixed(before, lost, today=date(2027, 3, 4))
    assert "{{dead link|date=March 2027}}" in out


# --- healthy ---------------------------------------------------------------------------


def test_healthy_marked_dead_becomes_live() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One|url-status=dead}}</ref>"
    assert fixed(before, result("healthy")) == before.replace("=dead", "=live")


def test_healthy_marked_with_the_old_deadurl_keeps_its_name() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One|deadurl=yes}}</ref>"
    assert fixed(before, result("healthy")) == before.replace("deadurl=yes", "deadurl=no")


def test_healthy_is_left_alone_without_add_archives() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    assert fixed(before, result("healthy")) == before


def test_add_archives_archives_a_healthy_citation() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    after = (
        f"<ref>{{{{cite web|url=http://a.example/1|title=One|archive-url={SNAP}"
        "|archive-date=2023-09-13|url-status=live}}</ref>"
    )
    assert fixed(before, result("healthy"), add_archives=True) == after


def test_healthy_with_an_unusable_cited_archive_gets_the_usable_one() -> None:
    before = (
        "<ref>{{cite web|url=http://a.example/1|title=One"
        "|archive-url=https://archive.ph/AbCdE|archive-date=2019-01-01|url-status=live}}</ref>"
    )
    after = (
        f"<ref>{{{{cite web|url=http://a.example/1|title=One|archive-url={SNAP}"
        "|archive-date=2023-09-13|url-status=live}}</ref>"
    )
    outcome = apply_results(before, [result("healthy", cited="not-found")])
    assert outcome.text == after
    assert outcome.summary().startswith("Replaced 1 unusable archive link (")


@pytest.mark.parametrize("verdict", ["unarchived", "unverified", "broken"])
def test_verdicts_without_a_mechanical_fix_change_nothing(verdict: str) -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    live = {"unverified": "blocked", "broken": "dead"}.get(verdict)
    archive = {"unarchived": "missing", "broken": "not-checked"}.get(verdict, "archived")
    assert fixed(before, result(verdict, live=live, archive=archive)) == before


# --- bare links ------------------------------------------------------------------------


def test_bare_link_rescued_gets_webarchive() -> None:
    before = "<ref>[http://a.example/1 One]</ref>"
    after = f"<ref>[http://a.example/1 One]{{{{webarchive|url={SNAP}|date=2023-09-13}}}}</ref>"
    assert fixed(before, result("rescued")) == after


def test_bare_link_lost_gets_the_dead_link_mark() -> None:
    before = "<ref>http://a.example/1</ref>"
    assert (
        fixed(before, result("lost"))
        == "<ref>http://a.example/1{{dead link|date=December 2026}}</ref>"
    )


def test_bare_link_already_archived_is_not_archived_twice() -> None:
    before = f"<ref>[http://a.example/1 One] {{{{Webarchive|url={SNAP}|date=2023-09-13}}}}</ref>"
    assert fixed(before, result("rescued")) == before


# --- matching --------------------------------------------------------------------------


def test_url_matched_as_the_main_job_reads_it() -> None:
    before = "<ref>{{cite web|url= http://a.example/1 \n|title=One}}</ref>"
    outcome = apply_results(before, [result("lost")])
    assert outcome.matched == 1 and "{{dead link|" in outcome.text


def test_shared_url_told_apart_by_title() -> None:
    before = (
        "<ref>{{cite web|url=http://a.example/1|title=Part one}}</ref>"
        "<ref>{{cite web|url=http://a.example/1|title=Part two}}</ref>"
    )
    after = (
        "<ref>{{cite web|url=http://a.example/1|title=Part one}}</ref>"
        "<ref>{{cite web|url=http://a.example/1|title=Part two}}{{dead link|date=December 2026}}"
        "</ref>"
    )
    assert fixed(before, result("lost", title="Part Two")) == after


def test_shared_url_with_no_matching_title_is_not_guessed() -> None:
    before = (
        "<ref>{{cite web|url=http://a.example/1|title=Part one}}</ref>"
        "<ref>{{cite web|url=http://a.example/1|title=Part two}}</ref>"
    )
    outcome = apply_results(before, [result("lost", title="Another page")])
    assert outcome.text == before
    assert [r.reference.id for r in outcome.unmatched] == ["1"]


def test_reference_not_in_the_article_is_listed() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    outcome = apply_results(before, [result("lost", url="http://elsewhere.example/")])
    assert outcome.text == before and outcome.matched == 0
    assert [r.reference.url for r in outcome.unmatched] == ["http://elsewhere.example/"]


def test_a_citation_written_out_twice_gets_each_its_own_result() -> None:
    cite = "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    outcome = apply_results(cite + cite, [result("lost", ref_id="1"), result("lost", ref_id="2")])
    assert outcome.text.count("{{dead link|") == 2
    assert outcome.summary() == "Marked 2 dead (verify-refs {})".format(
        __import__("verifier").__version__
    )


def test_list_defined_references_are_fixed_too() -> None:
    before = (
        'a<ref name="x" />\n{{reflist|refs=\n<ref name="x">{{cite web|url=http://a.example/1'
        "|title=One}}</ref>\n}}"
    )
    assert "|title=One}}{{dead link|date=December 2026}}</ref>" in fixed(before, result("lost"))


def test_summary_names_each_kind_of_edit() -> None:
    before = (
        "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
        "<ref>{{cite web|url=http://a.example/2|title=Two}}</ref>"
        "<ref>{{cite web|url=http://a.example/3|title=Three}}</ref>"
    )
    outcome = apply_results(
        before,
        [
            result("rescued", ref_id="1"),
            result("rescued", url="http://a.example/2", title="Two", ref_id="2"),
            result("lost", url="http://a.example/3", title="Three", ref_id="3"),
        ],
    )
    assert outcome.summary().startswith("Rescued 2 sources, marked 1 dead (verify-refs ")


def test_no_results_no_change() -> None:
    before = "<ref>{{cite web|url=http://a.example/1|title=One}}</ref>"
    outcome = apply_results(before, [])
    assert outcome.text == before
    assert outcome.summary().startswith("No change (")


# --- diff and wiki guess ---------------------------------------------------------------


def test_unified_diff_marks_a_missing_final_newline() -> None:
    diff = unified_diff("a\nb", "a\nc", "x.wiki")
    assert diff == (
        "--- a/x.wiki\n+++ b/x.wiki\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
        "+c\n\\ No newline at end of file\n"
    )


@pytest.mark.parametrize(
    ("prose", "wiki"),
    [
        (
            "'''面容ID'''是蘋果公司设计和发布的一个臉部识别系统<ref>{{cite web|title=F}}</ref>",
            "zh",
        ),
        ("Встреча прошла на космодроме Восточный<ref>{{cite web|title=Kim}}</ref>", "ru"),
        ("フェイスIDはアップルが開発した顔認証システムである。", "ja"),
        ("Face ID is a facial recognition system<ref>{{cite web|title=顔}}</ref>", "en"),
    ],
)
def test_guess_wiki_from_the_prose(prose: str, wiki: str) -> None:
    assert guess_wiki(prose) == wiki


def test_the_command_offers_every_wiki_the_dead_link_table_knows() -> None:
    from verifier.cli.fix_cmd import WIKIS
    from verifier.wikifix.style import DEAD_LINK

    assert tuple(sorted(DEAD_LINK)) == WIKIS
