"""The HTML report: escaping, safe links, self-contained, light DOM for big reports."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re

import pytest
from bs4 import BeautifulSoup

from tests.golden.sample import (
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    JS_URL,
    no_url_report,
    offline_report,
    result,
    sample_report,
)
from verifier.model import (
    ArchiveResult,
    ArchiveStatus,
    Change,
    LiveResult,
    LiveStatus,
    Reference,
    Report,
)
from verifier.report import render
from verifier.report.common import safe_href
from verifier.report.html import CHANGES_UNFOLDED, CHUNK_ROWS


def _soup(report: Report) -> BeautifulSoup:
    return BeautifulSoup(render(report, "html"), "lxml")


def test_hostile_strings_stay_text() -> None:
    soup = _soup(sample_report())
    scripts = soup.find_all("script")
    assert len(scripts) == 1, "only the report's own script may be in the page"
    assert not soup.find_all("img"), "an <img> from a title was injected"
    handlers = [
        (tag.name, attr) for tag in soup.find_all(True) for attr in tag.attrs
        if attr.lower().startswith("on")
    ]
    assert handlers == []
    text = soup.get_text()
    assert HOSTILE_SCRIPT in text
    assert HOSTILE_IMG in text


def test_only_http_urls_become_links() -> None:
    soup = _soup(sample_report())
    hrefs = [a["href"] for a in soup.find_all("a")]
    for href in hrefs:
        assert href.startswith(("http://", "https://", "#")), href
    assert JS_URL not in hrefs
    # the javascript: URL is still shown, as text, so the editor sees what is cited
    assert JS_URL in soup.get_text()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.org/a", True),
        ("HTTP://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("//evil.example/", False),
        ("https:///no-host", False),
        ("https://exa mple.org/", False),
        ("https://example.org/\x00", False),
        ("java\tscript:alert(1)", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_href(url: str | None, allowed: bool) -> None:
    assert (safe_href(url) is not None) is allowed


def test_attribute_values_cannot_be_broken_out_of() -> None:
    # A URL with quotes and angle brackets is an http URL, so it is a link: it must stay
    # inside its href attribute.
    html = render(sample_report(), "html")
    assert 'href="https://example.org/a?b=1&amp;c=&#34;2&#34;&lt;x&gt;"' in html


def test_self_contained_no_external_resources() -> None:
    soup = _soup(sample_report())
    assert not soup.find_all("link"), "stylesheets must be inline"
    assert all(not s.get("src") for s in soup.find_all("script"))
    assert soup.find("style") is not None
    # Nothing loads from the network: only navigation links point outside the file.
    loaders = [t for t in soup.find_all(["img", "iframe", "object", "embed", "video", "audio"])]
    assert loaders == []


def test_content_security_policy_allows_exactly_the_inline_script() -> None:
    soup = _soup(sample_report())
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    script = soup.find("script").string
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp


def test_phone_and_every_script_readable() -> None:
    soup = _soup(sample_report())
    assert soup.find("meta", attrs={"name": "viewport"})
    assert soup.find("meta", attrs={"charset": "utf-8"})
    style = soup.find("style").string
    assert "@media (max-width" in style
    for family in ("Noto Sans CJK SC", "Noto Sans CJK JP", "Microsoft YaHei", "Roboto"):
        assert family in style


def test_one_row_per_reference_with_its_facts() -> None:
    report = sample_report()
    soup = _soup(report)
    rows = soup.select("#refs tbody tr")
    assert len(rows) == len(report.results)
    for row, res in zip(rows, report.results, strict=True):
        cells = row.find_all("td")
        assert cells[0].get_text() == res.reference.id
        assert row["class"] == [f"v-{res.verdict}"]
        assert cells[2].find("mark").get_text() == str(res.verdict)
        assert cells[3].get_text() == f"{res.reference.uses}×"
        assert str(res.live.status) in cells[4].get_text()
        if res.live.http_status:
            assert str(res.live.http_status) in cells[4].get_text()
        if res.archive.snapshot_url:
            assert cells[5].find("a")["href"] == res.archive.snapshot_url
        for value in res.fix.values():
            assert value in cells[6].get_text()


def test_filter_rules_exist_for_every_verdict_and_chips_count_them() -> None:
    report = sample_report()
    soup = _soup(report)
    style = soup.find("style").string
    summary = report.summary()["by_verdict"]
    for chip in soup.select("a[data-verdict]"):
        verdict = chip["data-verdict"]
        if not verdict:
            assert chip["data-count"] == str(len(report.results))
            continue
        assert f'#refs[data-filter="{verdict}"] tbody tr:not(.v-{verdict})' in style
        assert chip["href"] == f"#verdict={verdict}"
        assert int(chip["data-count"]) == summary.get(verdict, 0)


def test_title_cell_carries_a_valid_language_tag_only() -> None:
    soup = _soup(sample_report())
    assert soup.select_one("#ref-40 td:nth-of-type(2)")["lang"] == "ja"
    assert not soup.select_one("#ref-41 td:nth-of-type(2)").has_attr("lang")  # not a BCP 47 tag


def test_changes_since_last_run_are_shown() -> None:
    soup = _soup(sample_report())
    section = soup.find("section", class_="changes").get_text(" ")
    assert "Newly lost (1)" in section
    assert "Recovered (1)" in section
    assert "healthy → lost" in section


def test_a_long_list_of_changes_is_folded_and_a_short_one_open() -> None:
    report = sample_report()
    many = [Change(id=str(i), kind="newly-dead", before="ok", after="dead")
            for i in range(CHANGES_UNFOLDED + 1)]
    soup = _soup(dataclasses.replace(report, changes=many + report.changes[-1:]))
    section = soup.find("section", class_="changes")
    folded = section.find_all("details")
    assert len(folded) == 1 and not folded[0].has_attr("open")
    assert folded[0].summary.get_text() == f"Newly dead ({CHANGES_UNFOLDED + 1})"
    assert len(folded[0].find_all("li")) == CHANGES_UNFOLDED + 1  # folded, not cut
    recovered = section.find("h3", string="Recovered (1)")
    assert recovered is not None and recovered.find_parent("details") is None


def test_offline_run_reads_as_offline() -> None:
    soup = _soup(offline_report())
    headline = soup.find(id="headline").get_text()
    assert headline == (
        "44 references: 0 lost · 0 rescued · 44 unverified (this checker was offline)"
    )
    assert "could not reach the internet" in soup.find(class_="hint").get_text()


def test_no_url_run_says_how_to_get_urls() -> None:
    soup = _soup(no_url_report())
    assert soup.find(id="headline").get_text() == "44 references: 0 lost · 0 rescued · 44 no-url"
    assert "--refresh-urls" in soup.find(class_="hint").get_text()


def test_empty_report_renders() -> None:
    soup = _soup(Report(generated_at="2024-01-01T00:00:00+00:00", source={}, results=[]))
    assert soup.find(id="headline").get_text() == "0 references: 0 lost · 0 rescued"
    assert soup.select("#refs tbody tr") == []


def test_twenty_thousand_rows_stay_light() -> None:
    ref_result = result(
        Reference(id="1", title="Как прошла встреча", url="https://example.org/a", uses=3),
        LiveResult(status=LiveStatus.DEAD, http_status=404),
        ArchiveResult(status=ArchiveStatus.MISSING),
    )
    report = Report(generated_at="2024-01-01T00:00:00+00:00", source={},
                    results=[ref_result] * 20_000)
    html = render(report, "html")
    body = html[html.index("</thead>"):html.index("</table>")]
    assert body.count("<tr ") == 20_000
    assert "<script" not in body
    assert not re.search(r"<[^>]+\son\w+=", body), "no per-row event handlers"
    assert not re.search(r"<[^>]+\sstyle=", body), "no per-row inline styles"
    assert len(body) / 20_000 < 300, "rows must stay small: bytes per row"


def test_rows_come_in_chunks_the_browser_can_skip() -> None:
    ref_result = sample_report().results[0]
    n = 2 * CHUNK_ROWS + 7
    report = Report(generated_at="2024-01-01T00:00:00+00:00", source={}, results=[ref_result] * n)
    soup = _soup(report)
    chunks = soup.select("#refs > tbody")
    assert [len(c.find_all("tr")) for c in chunks] == [CHUNK_ROWS, CHUNK_ROWS, 7]
    style = soup.find("style").string
    assert "content-visibility: auto" in style
    assert f"#refs tbody {{ --n: {CHUNK_ROWS}; }}" in style


def test_a_status_detail_shows_only_when_it_says_more_than_the_legend() -> None:
    soup = _soup(sample_report())
    live_cell = {
        row["id"]: row.find_all("td")[4] for row in soup.select("#refs tbody tr")
    }
    assert live_cell["ref-27"]["title"] == "bot challenge"  # this check's own finding
    assert not live_cell["ref-1"].has_attr("title")  # "ok" means what the legend says
    legend = " ".join(soup.find("footer").get_text(" ").split())
    for status in LiveStatus:
        assert f"live {status} {status.details}" in legend
    for status in ArchiveStatus:
        assert f"archive {status} {status.details}" in legend


def _ok(ref_id: str, archive: ArchiveResult) -> object:
    return result(Reference(id=ref_id, title="t", url="https://example.org/"),
                  LiveResult(status=LiveStatus.OK, http_status=200), archive)


def _legend(report: Report) -> dict[str, str]:
    footer = _soup(report).find("footer")
    return {dt.get_text(): dd.get_text() for dt, dd in zip(footer.find_all("dt"),
                                                          footer.find_all("dd"), strict=False)}


def test_healthy_is_not_explained_as_archived_when_archives_were_not_checked() -> None:
    off = ArchiveResult(status=ArchiveStatus.NOT_CHECKED)
    unchecked = Report(generated_at="2024-01-01T00:00:00+00:00", source={},
                       results=[_ok("1", off)])
    assert "archived" not in _legend(unchecked)["healthy"]
    assert "not checked" in _legend(unchecked)["healthy"]
    checked = Report(generated_at="2024-01-01T00:00:00+00:00", source={},
                     results=[_ok("1", ArchiveResult(status=ArchiveStatus.ARCHIVED))])
    assert _legend(checked)["healthy"] == "works and is archived"


def test_no_url_hint_follows_what_refresh_urls_did() -> None:
    from verifier.model import REFRESHED

    def hint(refresh: str | None) -> str:
        report = dataclasses.replace(no_url_report(), refresh=refresh)
        return _soup(report).find(class_="hint").get_text()

    assert "Run verify-refs --refresh-urls" in hint(None)
    assert "--refresh-urls" not in hint(REFRESHED).replace("read by --refresh-urls", "")
    assert "has no URL for them either" in hint(REFRESHED)
    failed = hint("the MediaWiki API did not answer")
    assert "could not read the live article (the MediaWiki API did not answer)" in failed
    assert "Run verify-refs --refresh-urls" not in failed


def test_a_linked_capture_of_a_lost_page_is_labelled_unusable() -> None:
    lost = result(Reference(id="1", title="t", url="https://example.org/a"),
                  LiveResult(status=LiveStatus.DEAD, http_status=404),
                  ArchiveResult(status=ArchiveStatus.ARCHIVED_ERROR,
                                snapshot_url="https://web.archive.org/web/20200101000000/x",
                                snapshot_timestamp="20200101000000", snapshot_http_status=404))
    report = Report(generated_at="2024-01-01T00:00:00+00:00", source={}, results=[lost])
    cells = _soup(report).select_one("#ref-1").find_all("td")
    assert cells[5].a.get_text() == "unusable capture 2020-01-01"
    assert "no archive holds it" not in cells[6].get_text()


def test_the_reason_of_an_inconclusive_result_is_in_the_cell_not_only_on_hover() -> None:
    unverified = result(Reference(id="1", title="t", url="https://example.org/a"),
                        LiveResult(status=LiveStatus.ERROR, detail="the connection was reset"),
                        ArchiveResult(status=ArchiveStatus.ERROR,
                                      detail="wayback: CDX API: HTTP 503 after retries"))
    report = Report(generated_at="2024-01-01T00:00:00+00:00", source={}, results=[unverified])
    cells = _soup(report).select_one("#ref-1").find_all("td")
    assert cells[4].find("small", class_="why").get_text() == "the connection was reset"
    assert cells[5].find("small", class_="why").get_text() == (
        "wayback: CDX API: HTTP 503 after retries"
    )


def test_every_fix_has_a_copy_button_beside_it() -> None:
    soup = _soup(sample_report())
    for row in soup.select("#refs tbody tr"):
        code = row.find_all("td")[6].find("code")
        button = row.find("button", class_="copy")
        assert (code is None) == (button is None), row["id"]
        if code is not None:
            assert button.find_previous_sibling("code") is code
            assert code.get_text().startswith("|archive-url=")
    assert soup.select("button.copy")


def test_since_the_last_run_says_which_of_no_earlier_run_and_nothing_changed_holds() -> None:
    from verifier.model import RunTally

    base = dataclasses.replace(sample_report(), changes=[])

    def box(trend: list) -> str:
        return _soup(dataclasses.replace(base, trend=trend)).find(id="changes-none").get_text()

    one = RunTally(run_at="2024-05-02T03:00:00+00:00", counts={"healthy": 1})
    two = RunTally(run_at="2024-05-03T03:00:00+00:00", counts={"healthy": 1})
    assert box([]) == "No earlier run to compare with: this run kept no history."
    assert box([one]) == "No earlier run to compare with: this is the first run of this article."
    assert box([one, two]) == "Nothing changed since the last run (2024-05-02)."
