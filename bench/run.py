"""``python -m bench.run``: the whole benchmark in one command.

1. Starts the loopback web (``bench.web``): 50 hosts x 400 pages, every answer 50 ms late.
2. On the same 2,000 URLs (40 pages of each host), in the same run, times:
   the reference client (what the web allows), verify-refs with its defaults (archive off),
   linkinator and LinkChecker with theirs; and states the limit (40 pages a host, 2 at a
   time, 50 ms each: 1.0 s).
3. Scale: 20,000 references in one file through verify-refs, with the HTML report.
4. Prints a table and writes bench/RESULTS.md; the web is stopped whatever happens.

Every process is measured the same way (``bench.measure.run_measured``): wall time, CPU
of its process tree, largest resident set. The web's own counters tell what each tool
actually sent: requests by method, connections opened, most requests in flight to a host.
"""

from __future__ import annotations

import argparse
import base64
import compileall
import datetime as dt
import hashlib
import html
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable

from . import peers
from .measure import (
    Measurement,
    limit_seconds,
    reference_check,
    run_measured,
    run_reference,
)
from .site import Layout, references_json
from .turns import Contender, Row, measured, measured_in_turns, ratio_line
from .web import Web
from .wiki import (
    DNS_DELAY,
    WIKI_DELAY,
    WIKI_HOSTS,
    WIKI_PAGES,
    names_unavailable,
    run_wiki,
    target_line,
)

HOSTS = 50
PAGES = 40  # per host, for the side-by-side run: 2,000 URLs
SCALE_REFS = 20_000
DELAY = 0.05
PER_HOST = 2  # verify-refs' default politeness, and the limit's
RESULTS = os.path.join(peers.BENCH, "RESULTS.md")
ANALYSIS_MARK = "<!-- analysis: everything below this line is kept across runs -->"
VERIFY_REFS = os.path.join(peers.ROOT, ".venv", "bin", "verify-refs")
PROFILE_DIR = os.path.join(peers.BENCH, "out")  # git-ignored
RUN_TIMEOUT = 600.0
SCALE_TIMEOUT = 1200.0

# Targets from issue 6, for verify-refs on the 2,000-URL run.
TARGET_LIMIT_RATIO = 1.5
TARGET_CPU_MS_PER_URL = 1.5
TARGET_RSS_MB = 150.0


def child_env(home: str | None = None) -> dict[str, str]:
    """The environment for every tool: no proxy (everything must stay on loopback)."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = env["no_proxy"] = "*"
    if home:
        env["HOME"] = home
        env["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
        env["XDG_DATA_HOME"] = os.path.join(home, ".local", "share")
    return env


# --- the contenders -----------------------------------------------------------------------


def run_reference_client(layout: Layout) -> Measurement:
    return run_reference(list(layout.urls(PAGES)), child_env(), RUN_TIMEOUT, PER_HOST)


def verify_refs_available() -> str | None:
    """None when verify-refs can run the main job here, else why not."""
    if not os.path.exists(VERIFY_REFS):
        return "the verify-refs command is not installed (.venv/bin/verify-refs)"
    result = subprocess.run(
        [VERIFY_REFS, "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    missing = [
        o
        for o in ("--refs", "--no-archive", "--allow-network", "--out", "--db")
        if o not in result.stdout
    ]
    if result.returncode != 0 or missing:
        return f"verify-refs --help does not offer {', '.join(missing) or 'its options'}"
    return None


def compile_package() -> None:
    """Write verify-refs' bytecode before it is timed, as a regular install does (pip
    compiles what it installs). The editable install leaves it to the first import, and
    where PYTHONDONTWRITEBYTECODE is set (this machine sets it) every run would compile
    the whole package again: ~0.1-0.2 s of start-up that no installed copy pays."""
    compileall.compile_dir(os.path.join(peers.ROOT, "verifier"), quiet=1)


def verify_refs_command(refs: str, out: str, probe: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The main job with its defaults, archive off, loopback allowed; the "am I online"
    probe points at the loopback web, since its default well-known sites are off loopback."""
    return [
        VERIFY_REFS,
        "--online-probe",
        probe,
        "--refs",
        refs,
        "--no-archive",
        "--allow-network",
        "127.0.0.0/8",
        "--out",
        out,
        "--db",
        os.path.join(out, "h.sqlite"),
        *extra,
    ]


def report_check(out: str, expected: int) -> str:
    """What verify-refs' report says: every generated reference should be live ``ok``."""
    try:
        with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
            summary = json.load(f)["summary"]
    except (OSError, ValueError, KeyError) as exc:
        return f"no report.json ({exc})"
    by_live = summary.get("by_live", {})
    text = ", ".join(f"{n} {s}" for s, n in sorted(by_live.items(), key=lambda kv: -kv[1]))
    if by_live.get("ok") != expected:
        text += f" (expected {expected} ok)"
    return f"live: {text}"


def verify_refs_runner(
    refs: str, out_root: str, urls: int, probe: str, extra: tuple[str, ...] = ()
) -> tuple[Callable[[], Measurement], Callable[[Measurement], str]]:
    """A function running verify-refs once (each run in a fresh output folder and history
    database), and one reading the last run's report."""
    count = [0]

    def once() -> Measurement:
        count[0] += 1
        out = os.path.join(out_root, f"run{count[0]}")
        os.makedirs(out, exist_ok=True)
        return run_measured(
            "verify-refs",
            verify_refs_command(refs, out, probe, extra),
            urls=urls,
            cwd=out,
            env=child_env(),
            timeout=SCALE_TIMEOUT if urls > HOSTS * PAGES else RUN_TIMEOUT,
        )

    def check(m: Measurement) -> str:
        return report_check(os.path.join(out_root, f"run{count[0]}"), urls)

    return once, check


# --- the run ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    mem_kb = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=peers.ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(len(os.sched_getaffinity(0))),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "commit": commit or "?",
        "load": load_average(),
    }


def load_average() -> str:
    """The 1-minute load average: the machine may be shared, and figures are only as
    quiet as it was."""
    return f"{os.getloadavg()[0]:.2f}"


def fmt_ratio(value: float | None) -> str:
    return f"{value:.2f}×" if value is not None else "–"


def table(rows: list[Row], limit: float, linkinator: Measurement | None) -> list[str]:
    head = (
        "| tool | input | wall s | CPU s | CPU ms/URL | peak RSS MB | URLs/s | × limit "
        "| × linkinator | requests | connections | most in flight / host | result |"
    )
    lines = [head, "|" + "---|" * 13]
    for row in rows:
        median = f" (median of {row.runs})" if row.runs > 1 else ""
        m = row.measurement
        methods = ", ".join(f"{n} {k}" for k, n in sorted(row.web.get("methods", {}).items()))
        lines.append(
            f"| {m.name} | {row.input_form} | {m.wall:.2f} | {m.cpu:.2f} | {m.cpu_ms_per_url:.2f} "
            f"| {m.max_rss_mb:.0f} | {m.urls_per_second:.0f} | {fmt_ratio(m.wall / limit)} "
            f"| {fmt_ratio(m.wall / linkinator.wall if linkinator else None)} | {methods} "
            f"| {row.web.get('connections', '–')} | {row.web.get('max_in_flight_per_host', '–')} "
            f"| {row.check}{median} |"
        )
    lines.append(
        f"| **limit** | 2 at a time per host, {int(DELAY * 1000)} ms per answer | {limit:.2f} "
        f"| – | – | – | {HOSTS * PAGES / limit:.0f} | 1.00× "
        f"| {fmt_ratio(limit / linkinator.wall if linkinator else None)} | – | – | 2 | – |"
    )
    return lines


def targets(vr: Measurement | None, limit: float, linkinator: Measurement | None) -> list[str]:
    if vr is None:
        return ["- verify-refs was not measured: the targets are not evaluated."]
    out = []
    if linkinator is not None:
        out.append(target_line("wall time vs linkinator's", vr.wall, linkinator.wall, " s"))
    bound = TARGET_LIMIT_RATIO * limit
    out.append(target_line("wall time vs 1.5× the limit", vr.wall, bound, " s"))
    out.append(target_line("CPU per URL", vr.cpu_ms_per_url, TARGET_CPU_MS_PER_URL, " ms"))
    out.append(target_line("peak memory", vr.max_rss_mb, TARGET_RSS_MB, " MB"))
    return out


def time_browser(report: str, work: str) -> str:
    """Load a copy of the HTML report in headless Chromium with a timing script added
    (bench/report_timing.js) and say how long parsing, filtering and sorting took."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return "not timed: headless Chromium is not installed here"
    with open(os.path.join(peers.BENCH, "report_timing.js"), encoding="utf-8") as f:
        script = f.read()
    with open(report, encoding="utf-8") as f:
        page = f.read()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    page = page.replace("script-src ", f"script-src 'sha256-{digest}' ", 1)
    page = page.replace("</body>", f"<script>{script}</script></body>", 1)
    timed = os.path.join(work, "timed-report.html")
    with open(timed, "w", encoding="utf-8") as f:
        f.write(page)
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--dump-dom", "file://" + timed,
    ]  # fmt: skip
    m = run_measured("chromium", command, urls=1, env=child_env(), timeout=300)
    found = re.search(r'<pre id="bench-timing">(.*?)</pre>', m.stdout, re.S)
    if m.timed_out or not found:
        return f"Chromium gave no timing (exit {m.returncode}, {m.wall:.0f} s)"
    t = json.loads(html.unescape(found.group(1)))
    filters = ", ".join(f"{k} {v} ms" for k, v in t.get("filter_ms", {}).items())
    return (
        f"headless Chromium: {m.wall:.1f} s from start to the DOM dump; the page was parsed "
        f"after {t['parsed_ms'] / 1000:.1f} s, first layout {t['first_layout_ms']} ms; "
        f"{t.get('rows')} rows; filter (until layout is done): {filters}; "
        f"sort: {t.get('sort_ms', '–')} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="verify-refs and its peers on a loopback web")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fast tool (median)")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument(
        "--skip-wiki", action="store_true", help="skip the 1,000-host × 20-page workload"
    )
    parser.add_argument("--scale", type=int, default=SCALE_REFS, help="references in the scale run")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also run verify-refs once under cProfile (every thread); bench/out/profile.txt",
    )
    args = parser.parse_args(argv)

    info = machine()
    limit = limit_seconds(PAGES, PER_HOST, DELAY)
    scale_pages = -(-args.scale // HOSTS)
    rows: list[Row] = []
    notes: list[str] = []
    versions: dict[str, str] = {}
    scale_lines: list[str] = []
    vr_row: Row | None = None
    lk_row: Row | None = None

    why_not = verify_refs_available()
    if why_not:
        notes.append(f"verify-refs was **not measured**: {why_not}.")
    else:
        compile_package()
        versions["verify-refs"] = f"commit {info['commit']}"

    tools: dict[str, str] = {}
    if not args.skip_peers:
        for name, ensure in (
            ("linkinator", peers.ensure_linkinator),
            ("LinkChecker", peers.ensure_linkchecker),
        ):
            try:
                tools[name] = ensure()
            except peers.Unavailable as exc:
                notes.append(f"{name} was not measured: {exc}.")
        if "linkinator" in tools:
            versions["linkinator"] = peers.linkinator_version()
        if "LinkChecker" in tools:
            versions["LinkChecker"] = peers.linkchecker_version()

    print(f"loopback web: {HOSTS} hosts × {max(PAGES, scale_pages)} pages, {DELAY * 1000:.0f} ms")
    with (
        tempfile.TemporaryDirectory(prefix="verify-refs-bench-") as tmp,
        Web(
            hosts=HOSTS, pages=max(PAGES, scale_pages), delay=DELAY, lifetime=3 * SCALE_TIMEOUT
        ) as web,
    ):
        layout = web.layout
        refs = os.path.join(tmp, "references.json")
        with open(refs, "w", encoding="utf-8") as f:
            f.write(references_json(layout, HOSTS * PAGES))
        index = layout.index_url(PAGES)
        urls = HOSTS * PAGES

        print(f"side by side: {urls} URLs (limit {limit:.2f} s)")
        # The fast tools in turns (see bench.turns); LinkChecker, ~10x slower, once after.
        fast = [
            Contender(
                lambda: run_reference_client(layout),
                reference_check,
                "the URLs, raw HTTP/1.1 GET, keep-alive",
            )
        ]
        if not why_not:
            once, check = verify_refs_runner(
                refs, os.path.join(tmp, "vr"), urls, layout.probe_url()
            )
            fast.append(Contender(once, check, "references.json (titles cited), `--no-archive`"))
        if "linkinator" in tools:
            lk = tools["linkinator"]
            fast.append(
                Contender(
                    lambda: run_measured(
                        "linkinator", [lk, index], urls=urls, env=child_env(), timeout=RUN_TIMEOUT
                    ),
                    lambda m: _outcome_text(peers.linkinator_outcome(m.stdout + m.stderr), m),
                    "index page linking the URLs, defaults",
                )
            )
        fast_rows = measured_in_turns(web, fast, args.repeat)
        rows += fast_rows
        named = {row.measurement.name: row for row in fast_rows}
        vr_row, lk_row = named.get("verify-refs"), named.get("linkinator")
        if "LinkChecker" in tools:
            lc = tools["LinkChecker"]
            home = os.path.join(tmp, "lc-home")
            os.makedirs(home)
            os.chmod(home, 0o777)  # run as root, LinkChecker drops to 'nobody'
            rows.append(
                measured(
                    web,
                    Contender(lambda: run_measured(
                        "LinkChecker",
                        [lc, "--check-extern", index],
                        urls=urls,
                        cwd=home,
                        env=child_env(home),
                        timeout=RUN_TIMEOUT,
                    ),
                    lambda m: _outcome_text(peers.linkchecker_outcome(m.stdout), m),
                    "index page linking the URLs, defaults + `--check-extern`"),
                    1,
                )
            )
            url_list = " ".join(layout.urls(PAGES))
            rows.append(
                measured(
                    web,
                    Contender(lambda: run_measured(
                        "LinkChecker",
                        [lc, "--stdin"],
                        urls=urls,
                        cwd=home,
                        env=child_env(home),
                        stdin=url_list,
                        timeout=RUN_TIMEOUT,
                    ),
                    lambda m: _outcome_text(peers.linkchecker_outcome(m.stdout), m),
                    "the URLs on stdin (`--stdin`): each a start page, fetched and parsed"),
                    1,
                )
            )

        if args.profile and not why_not:
            profile_verify_refs(refs, os.path.join(tmp, "profile"), layout.probe_url())

        if not args.skip_scale and not why_not:
            scale_lines = run_scale(web, tmp, args.scale, scale_pages)
        elif args.skip_scale:
            scale_lines = ["- skipped (`--skip-scale`)."]
        else:
            scale_lines = [f"- not measured: {why_not}."]

    # The wiki workload as built (hosts by address, http), then as real references are
    # reached: over https, and by name.
    variants: dict[str, dict[str, bool]] = {
        "plain": {}, "https": {"tls": True}, "names": {"names": True}
    }
    wiki: dict[str, list[str]] = {}
    for key, how in variants.items():
        if args.skip_wiki:
            wiki[key] = ["- skipped (`--skip-wiki`)."]
            continue
        unavailable = names_unavailable() if how.get("names") else None
        if unavailable:
            wiki[key] = [f"- not measured: {unavailable}."]
            continue
        with tempfile.TemporaryDirectory(prefix="verify-refs-wiki-") as tmp:
            table_lines, wiki_target_lines = run_wiki(
                tmp,
                args.repeat,
                None if why_not else (lambda r, o, p: verify_refs_command(r, o, p)),
                tools.get("linkinator"),
                child_env(),
                report_check,
                lambda m: _outcome_text(peers.linkinator_outcome(m.stdout + m.stderr), m),
                **how,
            )
        wiki[key] = [*table_lines, "", "Targets:", "", *wiki_target_lines]
        print("\n".join(wiki[key]))

    info["load_end"] = load_average()
    lk = lk_row.measurement if lk_row else None
    lines = table(rows, limit, lk)
    target_lines = targets(vr_row.measurement if vr_row else None, limit, lk)
    if vr_row and lk_row:
        target_lines.append(ratio_line("wall time vs linkinator's", vr_row, lk_row))
    print()
    print("\n".join(lines))
    print()
    print("\n".join(target_lines + scale_lines + [f"- {n}" for n in notes]))
    if not args.no_write:
        write_results(
            info, versions, lines, target_lines, scale_lines, notes, limit, wiki
        )
        print(f"\nwritten: {os.path.relpath(RESULTS, peers.ROOT)}")
    return 0


def profile_verify_refs(refs: str, out: str, probe: str) -> None:
    """verify-refs once more, in-process under a profiler in every thread."""
    os.makedirs(out, exist_ok=True)
    args = verify_refs_command(refs, out, probe)[1:]
    stats_file = os.path.join(PROFILE_DIR, "verify-refs.pstats")
    os.makedirs(PROFILE_DIR, exist_ok=True)
    command = [sys.executable, "-m", "bench.profile", stats_file, "--", *args]
    m = run_measured("verify-refs (profiled)", command, urls=HOSTS * PAGES, cwd=peers.ROOT,
                     env=child_env(), timeout=RUN_TIMEOUT)  # fmt: skip
    text = os.path.join(PROFILE_DIR, "profile.txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write(m.stderr)
    print(f"  profiled: {m.wall:.2f} s, {m.cpu:.2f} s CPU; {os.path.relpath(text, peers.ROOT)}")


def _outcome_text(outcome: peers.Outcome, m: Measurement) -> str:
    if outcome.checked is None:
        return f"no summary in its output (exit {m.returncode})"
    return f"{outcome.checked} links checked, {outcome.broken} broken (exit {m.returncode})"


def run_scale(web: Web, tmp: str, count: int, pages: int) -> list[str]:
    layout = web.layout
    refs = os.path.join(tmp, f"references-{count}.json")
    with open(refs, "w", encoding="utf-8") as f:
        f.write(references_json(layout, count))
    limit = limit_seconds(pages, PER_HOST, DELAY)
    print(f"scale: {count} references (limit {limit:.1f} s)")
    once, check = verify_refs_runner(
        refs, os.path.join(tmp, "scale"), count, layout.probe_url(), ("--report", "html")
    )
    row = measured(web, Contender(once, check, ""), 1)
    m = row.measurement
    out = os.path.join(tmp, "scale", "run1")
    sizes = []
    for name in ("report.html", "report.json"):
        path = os.path.join(out, name)
        if os.path.exists(path):
            sizes.append(f"{name} {os.path.getsize(path) / 1024 / 1024:.1f} MB")
    html_report = os.path.join(out, "report.html")
    exists = os.path.exists(html_report)
    browser = time_browser(html_report, tmp) if exists else "no report.html"
    return [
        f"- {count} references ({count} distinct URLs, {HOSTS} hosts × {pages} pages), "
        f"`--no-archive --report html`: **{m.wall:.1f} s wall** (limit {limit:.1f} s, "
        f"{m.wall / limit:.2f}×), {m.cpu:.1f} s CPU ({m.cpu_ms_per_url:.2f} ms/URL), "
        f"**peak RSS {m.max_rss_mb:.0f} MB**, exit {m.returncode}.",
        f"- the web saw: {row.web.get('methods')}, {row.web.get('connections')} connections, "
        f"at most {row.web.get('max_in_flight_per_host')} in flight to one host.",
        f"- result: {row.check}.",
        f"- reports: {', '.join(sizes) or 'none written'}.",
        f"- the HTML report: {browser}.",
    ]


def write_results(
    info: dict[str, str],
    versions: dict[str, str],
    lines: list[str],
    target_lines: list[str],
    scale_lines: list[str],
    notes: list[str],
    limit: float,
    wiki: dict[str, list[str]] | None = None,
) -> None:
    analysis = ""
    if os.path.exists(RESULTS):
        with open(RESULTS, encoding="utf-8") as f:
            text = f.read()
        if ANALYSIS_MARK in text:
            analysis = text.split(ANALYSIS_MARK, 1)[1].lstrip("\n")
    version_text = "; ".join(f"{k} {v}" for k, v in versions.items()) or "–"
    body = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench.run`); see bench/README.md for the method.",
        "",
        f"- date: {info['date']}",
        f"- machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} memory, {info['os']}",
        f"- Python {info['python']}; {version_text}",
        f"- load average (1 min) at the start {info['load']}, at the end {info['load_end']} "
        f"(on {info['cpus']} CPUs; anything else running makes every figure worse)",
        f"- workload: {HOSTS} hosts × {PAGES} pages = {HOSTS * PAGES} URLs on loopback, "
        f"~20 KB HTML pages, every answer {DELAY * 1000:.0f} ms late; the limit is "
        f"{limit:.2f} s ({PAGES} pages a host, {PER_HOST} at a time, hosts in parallel).",
        "",
        "## Side by side, 2,000 URLs",
        "",
        *lines,
        "",
        "CPU is user + system of the tool's whole process tree (from `wait4`); peak RSS is "
        "the largest resident set in it (from `wait4`, or each process's own sampled peak "
        "where `wait4`'s may be the benchmark's memory it shared before exec: "
        "bench/README.md). *requests*, *connections* and *most in flight / host* are "
        "counted by the loopback web.",
        "",
        "## Targets (verify-refs, 2,000 URLs)",
        "",
        *target_lines,
        "",
        "## Scale: one references file, 20,000 references",
        "",
        *scale_lines,
        "",
        f"## A wiki's worth: {WIKI_HOSTS:,} hosts × {WIKI_PAGES} pages, every answer "
        f"{WIKI_DELAY.low:g}–{WIKI_DELAY.high:g} s late (seeded)",
        "",
        *(wiki or {}).get("plain", ["- not measured."]),
        "",
        "## The same wiki over https",
        "",
        "Each host has its own certificate from a local CA, which every tool is told to "
        "trust (`--ca-bundle`, `SSL_CERT_FILE`, `NODE_EXTRA_CA_CERTS`), as real references "
        "are mostly https. The issue's targets are set on the http web above; here they are "
        "for comparison.",
        "",
        *(wiki or {}).get("https", ["- not measured."]),
        "",
        "## The same wiki by name",
        "",
        f"Each URL names its host (`h-127-0-2-1.wiki.test`); every tool looks the names up "
        f"in `bench/slow_dns.py`, which answers each query {DNS_DELAY * 1000:.0f} ms late, "
        "as a resolver answers names it has not cached (each tool runs in a mount namespace "
        "whose `/etc/resolv.conf` names it; the machine's own is not touched). The issue's "
        "targets are set on the web above; here they are for comparison.",
        "",
        *(wiki or {}).get("names", ["- not measured."]),
        "",
    ]
    if notes:
        body += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    body += [ANALYSIS_MARK, "", analysis or "## Analysis\n\n(none yet)\n"]
    tmp = RESULTS + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(body).rstrip("\n") + "\n")
    os.replace(tmp, RESULTS)


if __name__ == "__main__":
    raise SystemExit(main())
