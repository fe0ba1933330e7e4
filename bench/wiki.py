"""The wiki-scale workload: a WikiProject's references on a thousand slow hosts.

1,000 hosts × 20 pages (20,000 references, ~20 KB pages), every answer late by its own
0.1–1.0 s (seeded: the same page is always as slow). The bound: each host's pages packed
at best on its 2 slots (``packed_limit``), the slowest host; hosts in parallel. verify-refs
(defaults, ``--no-archive``) and linkinator (the index page linking the 20,000 URLs) run
on it in the same session; peak memory is the sum over every process of the tool's tree
(verify-refs shards over worker processes), sampled.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable

from . import slow_dns
from .measure import Measurement, reference_check, run_measured, run_reference
from .site import (
    INDEX_HOST,
    Delay,
    Layout,
    in_order_limit,
    packed_limit,
    page_path,
    references_json,
)
from .turns import Contender, Row, measured_in_turns, ratio_line
from .web import Web

WIKI_HOSTS = 1000
WIKI_PAGES = 20
WIKI_DELAY = Delay(0.1, 1.0, seed=13)
WIKI_TIMEOUT = 900.0
TARGET_BOUND_RATIO = 1.5
TARGET_CPU_MS_PER_URL = 1.0
TARGET_TOTAL_RSS_MB = 400.0


def _slowest_host(
    layout: Layout, delay: Delay, limit: Callable[[list[float], int], float], slots: int
) -> float:
    """``limit`` of each host's answer times, in the order cited, for the slowest host."""
    return max(
        limit([delay.of(h, page_path(n)) for n in range(layout.pages)], slots)
        for h in range(layout.hosts)
    )


def wiki_bound(layout: Layout, delay: Delay = WIKI_DELAY, slots: int = 2) -> float:
    """The least time any polite checker can take on this web: the slowest host's pages
    packed at best on its ``slots`` slots."""
    return _slowest_host(layout, delay, packed_limit, slots)


def wiki_in_order(layout: Layout, delay: Delay = WIKI_DELAY, slots: int = 2) -> float:
    """The least time a polite checker takes that sends each host's pages in the order cited
    (as verify-refs and the reference client do), each to the first slot free, not knowing
    the delays beforehand: the slowest host."""
    return _slowest_host(layout, delay, in_order_limit, slots)


def local_ca(tmp: str) -> tuple[str, str]:
    """A local CA's certificate file, and a folder of one certificate per host of the wiki
    web (and its index host), each naming its one address, as a real site's does."""
    import trustme  # the test extra's: the benchmark runs in the same environment

    ca = trustme.CA()
    folder = os.path.join(tmp, "certificates")
    os.makedirs(folder, exist_ok=True)
    layout = Layout(hosts=WIKI_HOSTS, pages=WIKI_PAGES)
    for address in [*(layout.host(h) for h in range(WIKI_HOSTS)), INDEX_HOST]:
        pem = ca.issue_cert(address).private_key_and_cert_chain_pem
        pem.write_to_path(os.path.join(folder, f"{address}.pem"))
    ca_file = os.path.join(tmp, "ca.pem")
    ca.cert_pem.write_to_path(ca_file)
    return ca_file, folder


# The names variant: every lookup answered this late, as a recursive resolver answers a
# name it has not cached.
DNS_DELAY = 0.03
_RESOLV = "nameserver 127.0.0.1\noptions timeout:2 attempts:2\n"
# Run a command in a mount namespace of its own whose /etc/resolv.conf is "$0".
_WITH_RESOLV = 'mount --bind "$0" /etc/resolv.conf && exec "$@"'


def names_unavailable() -> str | None:
    """None when the names variant can run here, else why not: it needs root (port 53, and
    a mount namespace for each tool, so that the machine's resolver is never touched)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "it needs root (a DNS server on port 53, a mount namespace per tool)"
    if shutil.which("unshare") is None:
        return "unshare(1) is not installed"
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        return f"unshare --mount fails here: {probe.stderr.decode(errors='replace').strip()}"
    return None


def resolv_prefix(tmp: str) -> list[str]:
    """What a tool's command runs under to look names up in ``bench.slow_dns``."""
    path = os.path.join(tmp, "resolv.conf")
    with open(path, "w", encoding="ascii") as f:
        f.write(_RESOLV)
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", _WITH_RESOLV, path]


def run_wiki(
    tmp: str,
    repeat: int,
    verify_refs: Callable[[str, str, str], list[str]] | None,
    linkinator: str | None,
    env: dict[str, str],
    report_check: Callable[[str, int], str],
    linkinator_check: Callable[[Measurement], str],
    tls: bool = False,
    names: bool = False,
) -> tuple[list[str], list[str]]:
    """Run the workload; (table lines, target lines) for RESULTS.md. ``tls``: the same web
    over https, a certificate per host from a local CA that every tool is told to trust.
    ``names``: the URLs name their hosts, looked up in a DNS server answering
    ``DNS_DELAY`` late (``names_unavailable`` says where it cannot run)."""
    urls = WIKI_HOSTS * WIKI_PAGES
    ca_file, certificates = local_ca(tmp) if tls else (None, None)
    if ca_file is not None:
        # The reference client (Python's ssl) and linkinator (node) read these.
        env = {**env, "SSL_CERT_FILE": ca_file, "NODE_EXTRA_CA_CERTS": ca_file}
    prefix = resolv_prefix(tmp) if names else []
    with contextlib.ExitStack() as stack:
        if names:
            stack.enter_context(slow_dns.running(DNS_DELAY))
        web = stack.enter_context(Web(
            hosts=WIKI_HOSTS, pages=WIKI_PAGES, delay=WIKI_DELAY, lifetime=3 * WIKI_TIMEOUT,
            tls=certificates, names=names,
        ))
        layout = web.layout
        bound, in_order = wiki_bound(layout), wiki_in_order(layout)
        print(
            f"wiki scale{' over https' if tls else ''}{' by name' if names else ''}: "
            f"{WIKI_HOSTS} hosts × {WIKI_PAGES} "
            f"pages, bound {bound:.2f} s, in cited order {in_order:.2f} s"
        )
        refs = os.path.join(tmp, "wiki-references.json")
        with open(refs, "w", encoding="utf-8") as f:
            f.write(references_json(layout, urls))
        # The reference client: what this web allows a polite client that does nothing
        # but fetch, in the order cited (is the web, or the machine, the limit?).
        page_urls = list(layout.urls(WIKI_PAGES))
        contenders = [
            Contender(
                lambda: run_reference(page_urls, env, WIKI_TIMEOUT, prefix=prefix),
                reference_check,
                f"the URLs, raw HTTP/1.1 GET{' over TLS' if tls else ''}, keep-alive, in "
                "the order cited",
            )
        ]
        if verify_refs is not None:
            count = [0]

            def vr_once() -> Measurement:
                count[0] += 1
                out = os.path.join(tmp, "wiki", f"run{count[0]}")
                os.makedirs(out, exist_ok=True)
                command = verify_refs(refs, out, layout.probe_url())
                if ca_file is not None:
                    command = [*command, "--ca-bundle", ca_file]
                return run_measured(
                    "verify-refs", [*prefix, *command], urls=urls, cwd=out, env=env,
                    timeout=WIKI_TIMEOUT,
                )

            def vr_check(_m: Measurement) -> str:
                return report_check(os.path.join(tmp, "wiki", f"run{count[0]}"), urls)

            contenders.append(Contender(vr_once, vr_check, "references.json, `--no-archive`"))
        if linkinator is not None:
            index = layout.index_url(WIKI_PAGES)
            contenders.append(
                Contender(
                    lambda: run_measured(
                        "linkinator", [*prefix, linkinator, index], urls=urls, env=env,
                        timeout=WIKI_TIMEOUT,
                    ),
                    linkinator_check,
                    "index page linking the URLs, defaults",
                )
            )
        rows = measured_in_turns(web, contenders, repeat)
    named = {row.measurement.name: row for row in rows}
    vr_row, lk_row = named.get("verify-refs"), named.get("linkinator")
    lines = [
        "| tool | input | wall s | CPU s | CPU ms/URL | peak RSS MB, all processes "
        "| largest process MB | × bound | × linkinator | requests | connections "
        "| most in flight / host | result |",
        "|" + "---|" * 13,
    ]
    lk = lk_row.measurement if lk_row else None
    for row in rows:
        m = row.measurement
        methods = ", ".join(f"{n} {k}" for k, n in sorted(row.web.get("methods", {}).items()))
        ratio_lk = f"{m.wall / lk.wall:.2f}×" if lk else "–"
        lines.append(
            f"| {m.name} | {row.input_form} | {m.wall:.2f} | {m.cpu:.2f} "
            f"| {m.cpu_ms_per_url:.2f} | {m.total_rss_mb:.0f} | {m.max_rss_mb:.0f} "
            f"| {m.wall / bound:.2f}× | {ratio_lk} | {methods} "
            f"| {row.web.get('connections', '–')} "
            f"| {row.web.get('max_in_flight_per_host', '–')} "
            f"| {row.check} (median of {row.runs}) |"
        )
    for name, how, seconds in (
        ("in cited order", "2 at a time per host, each host's pages in the order cited, "
         "each to the first slot free, the slowest host", in_order),
        ("bound", "2 at a time per host, each host's pages packed on its 2 slots, the "
         "slowest host", bound),
    ):
        lines.append(
            f"| **{name}** | {how} | {seconds:.2f} | – | – | – | – | {seconds / bound:.2f}× "
            f"| {f'{seconds / lk.wall:.2f}×' if lk else '–'} | – | – | 2 | – |"
        )
    if rows:
        lines += [
            "",
            "The loopback web's own CPU while each ran (on the same cores as the tool): "
            + ", ".join(
                f"{row.measurement.name} {row.web.get('server_cpu_s', 0):.1f} s"
                for row in rows
            )
            + ".",
        ]
    target_lines = wiki_targets(vr_row.measurement if vr_row else None, bound, lk)
    if vr_row and lk_row:
        target_lines.append(ratio_line("wall time vs linkinator's", vr_row, lk_row))
    if lk_row:
        target_lines.append(floor_line(in_order, named.get("reference client"), lk_row))
    return lines, target_lines


def floor_line(in_order: float, reference: Row | None, lk: Row) -> str:
    """What politeness itself costs here, beside linkinator's wall: the target "no slower
    than linkinator" is out of reach of any polite checker when linkinator, unbound by
    per-host limits, ends before the in-cited-order figure."""
    measured = (
        f"; the reference client, which only fetches, took {reference.measurement.wall:.2f} s"
        if reference else ""
    )
    return (
        f"- what politeness allows: a checker sending each host's pages in the order cited, "
        f"2 at a time, cannot end before {in_order:.2f} s{measured}; linkinator took "
        f"{lk.measurement.wall:.2f} s with up to "
        f"{lk.web.get('max_in_flight_per_host', '?')} requests at once to one host"
    )


def target_line(name: str, value: float, target: float, unit: str) -> str:
    """One line of RESULTS.md's targets: the figure, the target, met or by how much not."""
    if value <= target:
        return f"- {name}: {value:.2f}{unit} ≤ {target:.2f}{unit}: **met**"
    return (
        f"- {name}: {value:.2f}{unit} > {target:.2f}{unit}: **missed** by "
        f"{value - target:.2f}{unit} ({value / target:.2f}× the target)"
    )


def wiki_targets(vr: Measurement | None, bound: float, lk: Measurement | None) -> list[str]:
    if vr is None:
        return ["- verify-refs was not measured: the targets are not evaluated."]
    out = [target_line("wall time vs 1.5× the bound", vr.wall, TARGET_BOUND_RATIO * bound, " s")]
    if lk is not None:
        out.append(target_line("wall time vs linkinator's", vr.wall, lk.wall, " s"))
    out.append(target_line("CPU per URL", vr.cpu_ms_per_url, TARGET_CPU_MS_PER_URL, " ms"))
    memory = vr.total_rss_mb
    out.append(target_line("peak memory, all processes", memory, TARGET_TOTAL_RSS_MB, " MB"))
    return out
