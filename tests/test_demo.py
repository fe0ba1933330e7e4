"""``make demo`` runs: three nights of the real command on the sample web, then ``fix``.

The expectations are the sample web's design (``SITES[*].expect``: what each site is built to
be on the last night), not the tool's output read back.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import mwparserfromhell
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"

# Templates the fix may touch or add; everything else must come through unchanged.
CITATION = re.compile(r"^(cite |citation$|dead link$|webarchive$)", re.IGNORECASE)


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"demo_{name}", DEMO / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(sys.executable).with_name("verify-refs").exists():
        pytest.skip("the verify-refs command is not installed beside this Python (make test)")
    out = tmp_path_factory.mktemp("demo")
    assert _load("run").main(["--out", str(out)]) == 0
    return out


def _without_citations(text: str) -> str:
    code = mwparserfromhell.parse(text)
    for template in code.filter_templates():  # inside <ref> tags too
        if CITATION.match(str(template.name).strip()):
            code.remove(template)
    return str(code)


def test_every_site_gets_the_verdict_it_is_built_for(demo: Path) -> None:
    sites = _load("sample_web").SITES
    report = json.loads((demo / "report.json").read_text("utf-8"))
    by_url = {r["url"]: r["verdict"] for r in report["references"]}
    assert {s.url: s.expect for s in sites} == {u: v for u, v in by_url.items() if u}
    # Every verdict an archive-checked run can give (broken needs --no-archive).
    assert {r["verdict"] for r in report["references"]} == {
        "healthy", "unarchived", "rescued", "lost", "unverified", "no-url"
    }


def test_three_nights_leave_a_history_to_read(demo: Path) -> None:
    report = json.loads((demo / "report.json").read_text("utf-8"))
    assert len(report["trend"]) == 3
    recovered = [c for c in report["changes"] if c["kind"] == "recovered"]
    assert [c["id"] for c in recovered] == ["8"]  # TASS comes back on night 3
    nhk = next(r for r in report["references"] if "nhk" in (r["url"] or ""))
    assert nhk["dead_since"].startswith("2026-12-01")  # it died on night 2
    html = (demo / "report.html").read_text("utf-8")
    assert 'id="trend"' in html and "Went on run 2 of 3" in html
    assert "Trend:" in (demo / "report.md").read_text("utf-8")


def test_the_fixed_article_differs_only_in_citation_templates(demo: Path) -> None:
    original = (DEMO / "article.wiki").read_text("utf-8")
    fixed = (demo / "article.fixed.wiki").read_text("utf-8")
    diff = (demo / "article.diff").read_text("utf-8")
    assert fixed != original and diff.strip()
    assert _without_citations(fixed) == _without_citations(original)
    # The dead page nobody archived is marked; the one that came back is live again.
    assert "{{dead link" in fixed.lower()
    tass = next(t for t in mwparserfromhell.parse(fixed).filter_templates()
                if "tass.example" in str(t))
    assert str(tass.get("url-status").value).strip() == "live"


@pytest.mark.browser
def test_screenshot_of_the_demo_report_for_the_readme(demo: Path, tmp_path: Path) -> None:
    """The README's picture is the demo's own report, as Chromium draws it (UPDATE_GOLDEN=1
    refreshes the committed copy, docs/demo-report.png)."""
    from tests.test_browser import SCREENSHOTS, _chromium, _run

    chromium = _chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "demo-report.png"
    target.unlink(missing_ok=True)
    page = (demo / "report.html").as_uri()
    _run(chromium, tmp_path, page, f"--screenshot={target}", "--window-size=1000,1000")
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    if os.environ.get("UPDATE_GOLDEN") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        (ROOT / "docs" / "demo-report.png").write_bytes(data)


@pytest.mark.browser
def test_demo_chart_in_chromium_draws_the_historys_counts(demo: Path, tmp_path: Path) -> None:
    from tests.test_browser import PROBE_CHART, _chromium, _run, _with_probe, _write
    from verifier.history import History

    with History.open(demo / "history.sqlite") as history:
        trend = history.trend(str(DEMO / "article.wiki"))
    assert len(trend) == 3
    html = _with_probe((demo / "report.html").read_text("utf-8"), PROBE_CHART)
    page = _write(tmp_path, html)
    dom = BeautifulSoup(_run(_chromium(), tmp_path, page.as_uri(), "--dump-dom"), "lxml")
    probe = json.loads(dom.find(id="probe").get_text())
    seen = {v for t in trend for v, n in t.counts.items() if n}
    assert {s["verdict"] for s in probe["series"]} == seen
    for series in probe["series"]:
        assert series["values"] == ",".join(str(t.counts.get(series["verdict"], 0)) for t in trend)
        assert series["width"] > 0
