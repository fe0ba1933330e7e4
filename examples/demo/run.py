"""``make demo``: verify-refs at work on a machine without internet.

Starts the sample web (``sample_web.py``: a dozen sites that behave like real ones) and a
Wayback-compatible archive holding captures of some of them, both on loopback; then runs the
real ``verify-refs`` command on a sample article (``article.wiki``: zh, en and ru citations
of those sites) over three simulated nights (``--now``: the history's clock), so the report
shows what changed, since when links are dead and the trend; then ``verify-refs fix`` writes
the mended article and its diff. Everything lands in ``reports/demo/``.

Run it from the repository (``make demo`` sets up the environment first)::

    .venv/bin/python examples/demo/run.py [--out reports/demo]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

from sample_web import PROBE_HOST, SITES, SampleWeb  # noqa: E402

# The archive is the test suite's loopback Wayback Machine: it speaks the real archive's
# availability, CDX and replay formats, so the real archive client is what runs here.
from tests.wayback_server import WaybackServer  # noqa: E402

ARTICLE = HERE / "article.wiki"
# The sample archive's name in the reports and the fixes (it listens on loopback).
ARCHIVE_HOST = "wayback.example"
NIGHTS = ("2026-11-30T03:00:00Z", "2026-12-01T03:00:00Z", "2026-12-02T03:00:00Z")
# Exit statuses of the main job that are results, not failures of the demo.
RESULTS = (0, 1)


def verify_refs() -> str:
    """The installed command beside this interpreter (the project's virtual environment)."""
    beside = Path(sys.executable).with_name("verify-refs")
    return str(beside) if beside.exists() else "verify-refs"


def archive_with_captures() -> WaybackServer:
    archive = WaybackServer()
    for site in SITES:
        for timestamp, status in site.captures:
            archive.add(site.url, timestamp, status=status, title=site.archived_title or site.title)
    return archive


def main_job_args(web: SampleWeb, archive: WaybackServer, out: Path) -> list[str]:
    args = [
        "--refs", str(ARTICLE), "--out", str(out), "--report", "html", "--report", "md",
        "--wayback-url", f"http://{ARCHIVE_HOST}", "--allow-network", "127.0.0.0/8",
        "--resolve", f"{ARCHIVE_HOST}={urlsplit(archive.base).netloc}",
        "--online-probe", f"http://{PROBE_HOST}/", "--archive-interval", "0",
        "--timeout", "10", "--no-progress",
    ]
    for host in web.hosts:
        args += ["--resolve", f"{host}=127.0.0.1:{web.port}"]
    return args


def run(command: list[str], *, ok: tuple[int, ...] = (0,), **kwargs: object) -> int:
    done = subprocess.run(command, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode not in ok:
        sys.exit(f"demo: {' '.join(command[:2])} … failed with exit status {done.returncode}")
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "demo")
    out: Path = parser.parse_args(argv).out
    shutil.rmtree(out, ignore_errors=True)  # three fresh nights, not more on top of old ones
    out.mkdir(parents=True)
    command = verify_refs()
    archive = archive_with_captures().start()
    try:
        with SampleWeb() as web:
            base = [command, *main_job_args(web, archive, out)]
            for night, when in enumerate(NIGHTS, start=1):
                web.night = night
                print(f"\n== night {night}: {when} ==", flush=True)
                run([*base, "--now", when], ok=RESULTS)
    finally:
        archive.stop()
    report = out / "report.json"
    fixed, diff = out / "article.fixed.wiki", out / "article.diff"
    print("\n== verify-refs fix ==", flush=True)
    run([command, "fix", str(ARTICLE), "--from", str(report), "--out", str(fixed)])
    with diff.open("w", encoding="utf-8") as handle:
        run([command, "fix", str(ARTICLE), "--from", str(report), "--diff"], stdout=handle)
    print(
        "\nThe demo wrote:\n"
        f"  {out / 'report.html'}   open it in a browser: the trend, what changed, every fix\n"
        f"  {out / 'report.md'}     the summary a CI job posts\n"
        f"  {fixed}   the article with the fixes applied\n"
        f"  {diff}   what changed in it"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
