"""The HTML report in a real browser (headless Chromium): it renders, its script runs
under its own Content-Security-Policy, filtering by verdict hides exactly the other rows,
hostile titles stay text, and a screenshot is saved for people to look at.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.golden.sample import HOSTILE_IMG, HOSTILE_SCRIPT, JS_URL, sample_report
from verifier.model import Verdict
from verifier.report import render

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


def _with_probe(html: str) -> str:
    digest = base64.b64encode(hashlib.sha256(PROBE.encode()).digest()).decode()
    html = html.replace("script-src ", f"script-src 'sha256-{digest}' ", 1)
    return html.replace("</body>", f"<script>{PROBE}</script>\n</body>", 1)


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
