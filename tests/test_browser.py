"""The HTML report in a real browser (headless Chromium): it renders, its script runs
under its own Content-Security-Policy, filtering by verdict hides exactly the other rows,
hostile titles stay text, and a screenshot is saved for people to look at.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.golden.sample import GENERATED_AT, HOSTILE_IMG, HOSTILE_SCRIPT, JS_URL, sample_report
from verifier.model import Report, Verdict
from verifier.report import render
from verifier.report.common import VERDICT_ORDER
from verifier.report.html import CHUNK_ROWS

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[1] / "reports" / "screenshots"

# Appended by the filter test only: lists the rows the browser actually lays out.
PROBE = (
    "var shown = Array.prototype.filter.call(document.querySelectorAll('#refs tbody tr'),"
    " function (tr) { return tr.offsetParent !== null; });"
    "var pre = document.createElement('pre'); pre.id = 'probe';"
    "pre.textContent = shown.map(function (tr) { return tr.id; }).join(' ');"
    "document.body.appendChild(pre);"
)


def _chromium() -> str:
    candidates = (shutil.which("chromium"), "/usr/bin/chromium", shutil.which("chromium-browser"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("headless Chromium is not installed (apt-get install chromium; `make browser`)")


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium()


def _run(chromium: str, tmp_path: Path, url: str, *extra: str) -> str:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    args = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", *extra, url,
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _write(tmp_path: Path, html: str) -> Path:
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def _with_probe(html: str, probe: str = PROBE) -> str:
    digest = base64.b64encode(hashlib.sha256(probe.encode()).digest()).decode()
    html = html.replace("script-src ", f"script-src 'sha256-{digest}' ", 1)
    return html.replace("</body>", f"<script>{probe}</script>\n</body>", 1)


def test_renders_runs_its_script_and_hostile_titles_stay_text(chromium, tmp_path) -> None:
    report = sample_report()
    path = _write(tmp_path, render(report, "html"))
    dom = BeautifulSoup(_run(chromium, tmp_path, path.as_uri(), "--dump-dom"), "lxml")
    # The report's own script ran (allowed by the CSP hash): it removes the no-js class.
    assert "no-js" not in dom.html.get("class", [])
    assert dom.find(id="shown").get_text() == f"Showing all {len(report.results)} references."
    assert len(dom.select("#refs tbody tr")) == len(report.results)
    # Nothing from a title was executed or turned into an element.
    assert dom.title.get_text() != "pwned"
    assert not dom.body.has_attr("data-pwned")
    assert dom.find_all("img") == []
    assert len(dom.find_all("script")) == 1
    assert HOSTILE_SCRIPT in dom.get_text()
    assert HOSTILE_IMG in dom.get_text()
    assert JS_URL not in [a.get("href") for a in dom.find_all("a")]


@pytest.mark.parametrize("verdict", [Verdict.LOST, Verdict.RESCUED, None])
def test_filter_from_the_url_fragment_shows_only_that_verdict(
    chromium, tmp_path, verdict: Verdict | None
) -> None:
    report = sample_report()
    path = _write(tmp_path, _with_probe(render(report, "html")))
    fragment = f"#verdict={verdict}" if verdict else "#verdict=all"
    dom = BeautifulSoup(_run(chromium, tmp_path, path.as_uri() + fragment, "--dump-dom"), "lxml")
    shown = dom.find(id="probe").get_text().split()
    expected = [f"ref-{r.reference.id}" for r in report.results if verdict in (None, r.verdict)]
    assert shown == expected
    if verdict:
        assert dom.find(id="refs")["data-filter"] == str(verdict)
        assert dom.find("a", attrs={"data-verdict": str(verdict)})["aria-pressed"] == "true"
        assert dom.find(id="shown").get_text().startswith(f"Showing {len(expected)} of ")


def test_screenshot_for_people(chromium, tmp_path) -> None:
    path = _write(tmp_path, render(sample_report(), "html"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("report.png", "1280,1600"), ("report-phone.png", "390,1400")):
        target = SCREENSHOTS / name
        target.unlink(missing_ok=True)
        _run(chromium, tmp_path, path.as_uri(), f"--screenshot={target}", f"--window-size={size}")
        data = target.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 20_000, "a blank page compresses to almost nothing"


# Appended by the big-report test: sorts by verdict the way a click does, then reports the
# rows in document order, the rows laid out, and each chunk's size and style as computed.
PROBE_SORT = (
    "document.querySelector('button[data-sort=\"r\"]').click();"
    "var ids = function (rows) { return rows.map(function (tr) { return tr.id; }).join(' '); };"
    "var all = Array.prototype.slice.call(document.querySelectorAll('#refs tbody tr'));"
    "var chunks = Array.prototype.slice.call(document.querySelectorAll('#refs tbody'));"
    "var out = {order: ids(all),"
    " shown: ids(all.filter(function (tr) { return tr.offsetParent !== null; })),"
    " chunks: chunks.map(function (c) { var s = getComputedStyle(c); return [c.rows.length,"
    " c.style.getPropertyValue('--n'), s.contentVisibility].join(','); }).join(' ')};"
    "var pre = document.createElement('pre'); pre.id = 'probe';"
    "pre.textContent = JSON.stringify(out); document.body.appendChild(pre);"
)


def big_report(n: int) -> Report:
    """``n`` references cycling through the sample's (every verdict), each with its own id."""
    sample = sample_report().results
    results = []
    for i in range(n):
        base = sample[i % len(sample)]
        ref = dataclasses.replace(base.reference, id=str(i + 1), uses=1 + (i * 7) % 5)
        results.append(dataclasses.replace(base, reference=ref))
    failing = [r.reference.id for r in results if r.verdict is Verdict.LOST]
    return Report(generated_at=GENERATED_AT, source={"title": "big"}, results=results,
                  failing=failing)


@pytest.mark.parametrize("verdict", [Verdict.RESCUED, None])
def test_two_thousand_rows_load_filter_and_sort_by_verdict(
    chromium, tmp_path, verdict: Verdict | None
) -> None:
    report = big_report(2_000)
    path = _write(tmp_path, _with_probe(render(report, "html"), PROBE_SORT))
    fragment = f"#verdict={verdict}" if verdict else ""
    dom = BeautifulSoup(_run(chromium, tmp_path, path.as_uri() + fragment, "--dump-dom"), "lxml")
    probe = json.loads(dom.find(id="probe").get_text())
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    by_verdict = sorted(
        enumerate(report.results),
        key=lambda item: (rank[item[1].verdict], -item[1].reference.uses, item[0]),
    )
    expected = [f"ref-{r.reference.id}" for _, r in by_verdict]
    assert probe["order"].split() == expected
    assert probe["shown"].split() == [
        row for row, (_, r) in zip(expected, by_verdict, strict=True)
        if verdict in (None, r.verdict)
    ]
    # Every chunk kept its rows and is skipped while off screen; while filtering, its size
    # estimate counts only the rows of that verdict in it.
    chunks = [chunk.split(",") for chunk in probe["chunks"].split()]
    assert [int(rows) for rows, _, _ in chunks] == [CHUNK_ROWS] * (2_000 // CHUNK_ROWS)
    assert {visibility for _, _, visibility in chunks} == {"auto"}
    kept = [r for _, r in by_verdict]
    expected_n = [
        sum(1 for r in kept[i:i + CHUNK_ROWS] if verdict in (None, r.verdict))
        for i in range(0, 2_000, CHUNK_ROWS)
    ]
    assert [int(n) for _, n, _ in chunks] == expected_n
    assert dom.find(id="shown").get_text() == (
        f"Showing {sum(expected_n)} of 2000 references: {verdict}."
        if verdict else "Showing all 2000 references."
    )


# Appended by the chart test: what the browser laid out for each series of the trend chart.
PROBE_CHART = (
    "var svg = document.getElementById('trend');"
    "var out = {height: svg.getBoundingClientRect().height, series: Array.prototype.map.call("
    " svg.querySelectorAll('g.series'), function (g) { var box = g.getBBox(); return {"
    " verdict: g.getAttribute('data-verdict'), values: g.getAttribute('data-values'),"
    " width: box.width, stroke: getComputedStyle(g.querySelector('polyline')).stroke}; })};"
    "var pre = document.createElement('pre'); pre.id = 'probe';"
    "pre.textContent = JSON.stringify(out); document.body.appendChild(pre);"
)


def test_trend_chart_renders_one_series_per_verdict_with_the_historys_counts(
    chromium, tmp_path
) -> None:
    report = sample_report()
    path = _write(tmp_path, _with_probe(render(report, "html"), PROBE_CHART))
    dom = BeautifulSoup(_run(chromium, tmp_path, path.as_uri(), "--dump-dom"), "lxml")
    probe = json.loads(dom.find(id="probe").get_text())
    assert probe["height"] > 100
    seen = [str(v) for v in VERDICT_ORDER if any(t.counts.get(str(v)) for t in report.trend)]
    assert [s["verdict"] for s in probe["series"]] == seen
    for series in probe["series"]:
        counts = [t.counts.get(series["verdict"], 0) for t in report.trend]
        assert series["values"] == ",".join(map(str, counts))
        assert series["width"] > 0  # drawn across the runs, not collapsed
    # Each verdict in its own colour (the badges' palette), none left black by default.
    strokes = [s["stroke"] for s in probe["series"]]
    assert len(set(strokes)) == len(strokes) and "rgb(0, 0, 0)" not in strokes


# Appended by the copy test: clicks the first fix's Copy button, reports what got selected.
PROBE_COPY = (
    "var button = document.querySelector('#refs button.copy'); button.click();"
    "var pre = document.createElement('pre'); pre.id = 'probe';"
    "pre.textContent = JSON.stringify({selected: String(window.getSelection()),"
    " code: button.previousElementSibling.textContent, label: button.textContent,"
    " row: button.closest('tr').id});"
    "document.body.appendChild(pre);"
)


def test_the_copy_button_selects_and_copies_the_fix(chromium, tmp_path) -> None:
    report = sample_report()
    path = _write(tmp_path, _with_probe(render(report, "html"), PROBE_COPY))
    dom = BeautifulSoup(_run(chromium, tmp_path, path.as_uri(), "--dump-dom"), "lxml")
    probe = json.loads(dom.find(id="probe").get_text())
    first = next(r for r in report.results if r.fix)
    assert probe["row"] == f"ref-{first.reference.id}"
    assert probe["code"].startswith("|archive-url=")
    assert probe["selected"] == probe["code"]  # ready to paste, even where copying is refused
    assert probe["label"] in ("Copied", "Selected: press Ctrl+C")
