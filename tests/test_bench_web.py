"""The benchmark's own machinery: the loopback web, the references it generates, the
measurement of child processes and the reading of the peers' outputs."""

from __future__ import annotations

import http.client
import json
import random
import resource
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from bench import peers
from bench.measure import drive, limit_seconds, run_measured
from bench.site import (
    Delay,
    Layout,
    in_order_limit,
    is_cyrillic,
    packed_limit,
    page_title,
    references,
)
from bench.web import Web, shards_for
from verifier import records


@pytest.fixture(scope="module")
def web():
    with Web(hosts=3, pages=12, delay=0.02, lifetime=60) as w:
        yield w


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request(method, parts.path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_each_page_carries_the_title_its_reference_cites(web):
    layout = web.layout
    data = references(layout, layout.hosts * layout.pages)
    for record in data["references"][::5]:
        status, headers, body = fetch(record["url"])
        assert status == 200
        charset = headers["Content-Type"].split("charset=")[1]
        title = BeautifulSoup(body.decode(charset), "html.parser").title.string
        assert title == record["title"]


def test_russian_pages_are_served_in_windows_1251(web):
    n = next(n for n in range(web.layout.pages) if is_cyrillic(n))
    status, headers, body = fetch(web.layout.page_url(1, n))
    assert status == 200
    assert headers["Content-Type"].endswith("charset=windows-1251")
    assert page_title(1, n).encode("windows-1251") in body


def test_pages_are_about_20_kb_and_head_has_no_body(web):
    status, _, body = fetch(web.layout.page_url(0, 0))
    assert 15_000 < len(body) < 25_000
    status, headers, head_body = fetch(web.layout.page_url(0, 0), "HEAD")
    assert status == 200 and head_body == b""
    assert int(headers["Content-Length"]) == len(body)


@pytest.mark.parametrize(
    "path",
    ["/news/00012.html", "/news/abc.html", "/other", "/news/99999.html"],
)
def test_paths_that_are_not_pages_answer_404(web, path):
    status, _, _ = fetch(f"http://{web.layout.host(0)}:{web.layout.port}{path}")
    assert status == 404


def test_the_index_links_every_page(web):
    status, _, body = fetch(web.layout.index_url(4))
    assert status == 200
    links = [a["href"] for a in BeautifulSoup(body, "html.parser").find_all("a")]
    assert links == list(web.layout.urls(4))


def test_every_answer_is_delayed():
    with Web(hosts=1, pages=1, delay=0.3, lifetime=30) as slow:
        start = time.perf_counter()
        fetch(slow.layout.page_url(0, 0))
        assert time.perf_counter() - start >= 0.3


def test_the_web_counts_requests_and_concurrency_per_host(web):
    web.reset()
    result = drive(web.layout.urls(), per_host=3)
    stats = web.stats()
    assert result.responses == 36 and result.bad == 0
    assert stats["methods"] == {"GET": 36}
    assert stats["connections"] == 9
    assert stats["max_in_flight_per_host"] == 3


def test_the_webs_own_cpu_is_counted_from_the_last_reset(web):
    drive(web.layout.urls(), per_host=2)
    since_start = web.stats()["server_cpu_s"]  # its start-up and every answer so far
    web.reset()
    since_reset = web.stats()["server_cpu_s"]
    assert 0 <= since_reset < since_start
    drive(web.layout.urls(), per_host=2)
    assert web.stats()["server_cpu_s"] > since_reset


def test_the_reference_client_counts_answers_other_than_200(web):
    result = drive([web.layout.page_url(0, 0), web.layout.page_url(0, 99)], per_host=1)
    assert (result.responses, result.bad) == (1, 1)


def test_generated_references_follow_the_schema():
    layout = Layout(hosts=4, pages=5, port=8080)
    data = references(layout, 20)
    records.validate(data, "generated")
    assert len({r["url"] for r in data["references"]}) == 20


def test_more_references_than_pages_is_refused():
    with pytest.raises(ValueError):
        references(Layout(hosts=2, pages=2), 5)


@pytest.mark.parametrize(
    ("pages", "per_host", "delay", "expected"),
    [(40, 2, 0.05, 1.0), (41, 2, 0.05, 1.05), (400, 2, 0.05, 10.0), (40, 1, 0.05, 2.0)],
)
def test_the_limit(pages, per_host, delay, expected):
    assert limit_seconds(pages, per_host, delay) == pytest.approx(expected)


BURN = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"


def test_cpu_of_the_whole_process_tree_is_counted():
    grandchild = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BURN!r}])"
    m = run_measured("tree", [sys.executable, "-c", grandchild], urls=1)
    assert m.returncode == 0
    assert m.cpu >= 0.3
    assert m.max_rss_kb > 1000


def test_a_child_that_overruns_is_killed():
    m = run_measured("stuck", [sys.executable, "-c", "import time; time.sleep(30)"], urls=1,
                     timeout=0.5)  # fmt: skip
    assert m.timed_out and m.wall < 10


@pytest.mark.parametrize(
    ("text", "checked", "broken"),
    [
        ("✓ Successfully scanned 2001 links in 1.897 seconds.", 2001, 0),
        ("✖ Detected 3 broken links. Scanned 2001 links in 2.0 seconds.", 2001, 3),
        ("", None, None),
    ],
)
def test_linkinator_summary(text, checked, broken):
    assert peers.linkinator_outcome(text) == peers.Outcome(checked, broken)


@pytest.mark.parametrize(
    ("text", "checked", "broken"),
    [
        ("That's it. 2001 links in 2001 URLs checked. 0 warnings found. 0 errors found.", 2001, 0),
        ("That's it. 5 links in 4 URLs checked. 1 warning found. 2 errors found.", 5, 2),
        ("Traceback ...", None, None),
    ],
)
def test_linkchecker_summary(text, checked, broken):
    assert peers.linkchecker_outcome(text) == peers.Outcome(checked, broken)


def test_the_online_probe_url_answers_on_loopback(web):
    status, _, _ = fetch(web.layout.probe_url())
    assert status == 200
    assert urlsplit(web.layout.probe_url()).hostname.startswith("127.")


def test_hosts_past_the_first_250_live_on_127_1():
    layout = Layout(hosts=1000, pages=1)
    assert layout.host(0) == "127.0.2.1"
    assert layout.host(249) == "127.0.2.250"
    assert layout.host(250) == "127.1.1.1"
    assert layout.host(999) == "127.1.3.250"
    assert len({layout.host(h) for h in range(1000)}) == 1000


def test_each_answer_has_its_own_seeded_delay_the_same_every_time():
    delay = Delay.parse("0.1-1.0@13")
    assert str(delay) == "0.1-1@13"
    first = [delay.of(h, f"/news/{n:05d}.html") for h in range(5) for n in range(20)]
    again = [delay.of(h, f"/news/{n:05d}.html") for h in range(5) for n in range(20)]
    assert first == again
    assert all(0.1 <= d <= 1.0 for d in first)
    assert len(set(first)) == len(first)  # every page its own
    assert Delay.parse("0.05").of(3, "/x") == 0.05


def test_the_packed_limit_is_the_best_split_over_two_slots():
    # By hand: {1, 1} | {1, 1}; {3} | {1, 1, 1}; {0.5} | {0.4, 0.3}.
    assert packed_limit([1, 1, 1, 1], 2) == 2
    assert packed_limit([3, 1, 1, 1], 2) == 3
    assert packed_limit([0.5, 0.4, 0.3], 2) == 0.7
    assert packed_limit([], 2) == 0


def test_the_in_order_limit_gives_each_page_to_the_first_slot_free():
    # By hand: 1 | 1, then the 2 waits for the first free slot (at 1): 3, where the best
    # packing, {1, 1} | {2}, takes 2. {3} | {1, 1, 1} either way.
    assert in_order_limit([1, 1, 2], 2) == 3
    assert packed_limit([1, 1, 2], 2) == 2
    assert in_order_limit([3, 1, 1, 1], 2) == 3
    assert in_order_limit([1, 3, 1, 1], 2) == 3
    assert in_order_limit([1, 1, 1, 3], 2) == 4
    assert in_order_limit([2, 2, 2], 3) == 2
    assert in_order_limit([], 2) == 0


def test_the_in_order_limit_lies_between_the_best_packing_and_list_schedulings_bound():
    rng = random.Random(13)
    for _ in range(300):
        delays = [round(rng.uniform(0.1, 1.0), 3) for _ in range(rng.randint(1, 20))]
        best, got = packed_limit(delays, 2), in_order_limit(delays, 2)
        # Graham: list scheduling ends by the mean load plus (1 - 1/m) of the longest job.
        assert best - 1e-9 <= got <= sum(delays) / 2 + max(delays) / 2 + 1e-9


def test_the_peak_memory_of_a_process_tree_is_sampled_over_all_of_it():
    sleep = "import time; time.sleep(0.6)"
    two = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {sleep!r}])"
    one_process = run_measured("one", [sys.executable, "-c", sleep], urls=1)
    two_processes = run_measured("two", [sys.executable, "-c", two], urls=1)
    assert one_process.total_rss_kb > 0
    # Two interpreters at once: about twice one.
    assert two_processes.total_rss_kb > 1.5 * one_process.total_rss_kb


def test_a_small_tool_is_not_measured_at_the_size_of_the_benchmark_that_started_it():
    # Linux counts in a child's wait4 peak what it shared with its parent between fork and
    # exec: a 10 MB interpreter started by a 300 MB benchmark would be "300 MB".
    ballast = b"x" * (300 << 20)
    small = run_measured("small", [sys.executable, "-c", "import time; time.sleep(0.3)"],
                         urls=1)  # fmt: skip
    large = run_measured(
        "large", [sys.executable, "-c", "import time; b = b'x' * (400 << 20); time.sleep(0.3)"],
        urls=1,
    )
    assert len(ballast) == 300 << 20
    assert 1000 < small.max_rss_kb < 100 << 10
    assert large.max_rss_kb >= 400 << 10  # larger than the benchmark: wait4's own figure


def test_web_shards_so_a_connection_per_url_fits_in_the_descriptors():
    assert shards_for(hosts=50, pages=40, open_files=20000) == 1
    # 1,000 hosts × 20 pages: 21,001 descriptors at worst do not fit in one 20,000.
    assert shards_for(hosts=1000, pages=20, open_files=20000) == 2
    assert shards_for(hosts=1000, pages=20, open_files=1024) == 28


def test_a_web_out_of_descriptors_counts_its_failed_accepts_and_says_so_once():
    def few_descriptors() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40))

    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.web", "--hosts", "1", "--pages", "1", "--lifetime", "60"],
        cwd=peers.ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=few_descriptors,
    )
    socks = []
    try:
        ready = json.loads(proc.stdout.readline())
        host = Layout(hosts=1, pages=1).host(0)
        for _ in range(80):  # more than the 40 descriptors: some accepts must fail
            socks.append(socket.create_connection((host, ready["port"]), timeout=5))
        deadline = time.monotonic() + 10
        while True:  # the failures happen in the web's own time; ask until it has seen one
            proc.stdin.write("stats\n")
            proc.stdin.flush()
            stats = json.loads(proc.stdout.readline())
            if stats["accept_failures"] or time.monotonic() > deadline:
                break
    finally:
        for sock in socks:
            sock.close()
        proc.stdin.close()
        proc.wait(timeout=10)
    errors = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert stats["accept_failures"] > 0
    assert errors.count("cannot accept connections") == 1
    assert "Traceback" not in errors


def _dns_query(name: str, qtype: int, qid: bytes = b"\x12\x34") -> bytes:
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return qid + b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + labels + b"\x00" + bytes(
        [0, qtype, 0, 1]
    )


def test_the_slow_dns_server_spells_addresses_from_names() -> None:
    from bench.slow_dns import answer

    reply = answer(_dns_query("h-127-0-1-2.wiki.test", 1))
    assert reply is not None
    # Read by hand (RFC 1035 4.1): the query's id, flags 0x8180, 1 question, 1 answer,
    # whose last 4 bytes are the address.
    assert reply[:2] == b"\x12\x34" and reply[2:4] == b"\x81\x80"
    assert reply[4:8] == b"\x00\x01\x00\x01" and reply[-4:] == bytes([127, 0, 1, 2])
    aaaa = answer(_dns_query("h-127-0-1-2.wiki.test", 28))
    assert aaaa is not None and aaaa[2:4] == b"\x81\x80" and aaaa[6:8] == b"\x00\x00"
    other = answer(_dns_query("example.org", 1))
    assert other is not None and other[2:4] == b"\x81\x83"  # NXDOMAIN
    assert answer(_dns_query("h-127-0-1-300.wiki.test", 1))[2:4] == b"\x81\x83"  # type: ignore[index]
    assert answer(b"\x00" * 5) is None


def test_the_web_serves_https_with_a_certificate_per_host(tmp_path, monkeypatch) -> None:
    import ssl

    import trustme

    from bench.site import INDEX_HOST

    ca = trustme.CA()
    layout = Layout(hosts=2, pages=1)
    folder = tmp_path / "certs"
    folder.mkdir()
    for address in [layout.host(0), layout.host(1), INDEX_HOST]:
        ca.issue_cert(address).private_key_and_cert_chain_pem.write_to_path(
            str(folder / f"{address}.pem")
        )
    context = ssl.create_default_context()
    ca.configure_trust(context)
    with Web(hosts=2, pages=1, lifetime=30, tls=str(folder)) as secure:
        for h in range(2):
            host, port = secure.layout.host(h), secure.layout.port
            conn = http.client.HTTPSConnection(host, port, timeout=5, context=context)
            try:
                conn.request("GET", "/news/00000.html")
                response = conn.getresponse()
                assert response.status == 200 and b"<title>" in response.read()
                # Each host shows its own certificate, naming it alone.
                cert = conn.sock.getpeercert()  # type: ignore[union-attr]
                assert cert["subjectAltName"] == (("IP Address", host),)
            finally:
                conn.close()
        # The URLs it hands out say https, and the reference client fetches them over TLS,
        # trusting the CA named by SSL_CERT_FILE (as the benchmark tells it).
        assert all(u.startswith("https://") for u in secure.layout.urls())
        ca_file = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
        result = drive(secure.layout.urls(), per_host=1)
        assert (result.responses, result.bad) == (2, 0)


def test_a_named_hosts_name_spells_the_address_the_slow_dns_server_answers() -> None:
    from bench.slow_dns import host_address

    layout = Layout(hosts=300, pages=1, port=8080, names=True)
    for h in (0, 1, 249, 250, 299):
        name = urlsplit(layout.page_url(h, 0)).hostname
        assert name is not None and name.endswith(".wiki.test")
        assert host_address(name.split(".")[0]) == bytes(int(p) for p in layout.host(h).split("."))
    assert urlsplit(Layout(hosts=1, pages=1).page_url(0, 0)).hostname == Layout().host(0)
