"""Stopping a run (Ctrl-C, SIGTERM): prompt, nothing half-written, what was checked kept."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer, Reply, Request, html_page
from tests.sites import make_transport
from verifier.fetch.transport import Cancelled


def stalling(arrived: threading.Event, count: list[int], wanted: int = 1):
    def handler(_: Request) -> Reply:
        count.append(1)
        if len(count) >= wanted:
            arrived.set()
        return Reply(stall=True)

    return handler


def test_cancel_cuts_a_request_in_flight_and_refuses_new_ones(server: LoopbackServer) -> None:
    arrived, count = threading.Event(), []
    url = server.route("/stall", stalling(arrived, count))
    transport = make_transport(timeout=60)
    errors: list[BaseException] = []

    def fetch() -> None:
        try:
            transport.request("GET", url)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=fetch)
    worker.start()
    assert arrived.wait(10)
    transport.cancel()
    worker.join(10)
    assert not worker.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], Cancelled)
    with pytest.raises(Cancelled):
        transport.request("GET", server.url("/other"))
    assert len(server.hits_for("/other")) == 0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_main_job_keeps_history_and_writes_no_report(tmp_path: Path, sig: int) -> None:
    exe = Path(sys.executable).with_name("verify-refs")
    if not exe.exists():
        pytest.skip("verify-refs is not installed in this environment")
    arrived, count = threading.Event(), []
    with LoopbackServer() as fast, LoopbackServer("127.0.0.2") as slow:
        records = []
        for i in range(3):
            url = fast.route(f"/ok{i}", Reply(200, html_page(f"Story {i}")))
            records.append({"id": f"f{i}", "title": f"Story {i}", "url": url})
        for i in range(4):
            url = slow.route(f"/stall{i}", stalling(arrived, count, wanted=2))
            records.append({"id": f"s{i}", "title": f"Slow {i}", "url": url})
        refs = tmp_path / "refs.json"
        refs.write_text(json.dumps({"source": {}, "references": records}), encoding="utf-8")
        out, db = tmp_path / "out", tmp_path / "history.sqlite"
        args = ["--refs", str(refs), "--out", str(out), "--db", str(db), "--timeout", "60"]
        args += ["--allow-network", "127.0.0.0/8", "--no-archive", "--no-progress"]
        args += ["--online-probe", "http://127.0.0.1:9/"]
        proc = subprocess.Popen(
            [str(exe), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert arrived.wait(30), "the slow host was never asked"
            proc.send_signal(sig)
            _, stderr = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "no report written" in stderr
    assert "Traceback" not in stderr
    assert not (out / "report.json").exists()
    assert not out.exists() or not any(out.iterdir())  # not even a temp file
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA integrity_check")
        stored = {row[0] for row in conn.execute("SELECT ref_id FROM observations")}
    checked = int(stderr.split("interrupted: ")[1].split(" of ")[0])
    assert len(stored) == checked  # what was checked is kept, and only that
    assert not any(ref.startswith("s") for ref in stored)  # the cut checks are not recorded


# A Ctrl-C is a KeyboardInterrupt raised wherever the main thread is: here, deterministically,
# while a given module is being imported (start-up is mostly imports).
_INTERRUPT_DURING_IMPORT = """
import sys

WHEN = sys.argv[1]

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == WHEN:
            raise KeyboardInterrupt

sys.meta_path.insert(0, CtrlC())
sys.argv = ["verify-refs", *sys.argv[2:]]
from verifier.cli.entry import run
run()
"""


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("click", []),  # the console script's first import
        ("verifier.cli.run_cmd", ["--refs", "{refs}"]),  # the main job's own imports
        ("verifier.parse.wikitext", ["--refs", "{refs}"]),  # reading the article
        ("verifier.parse.wikitext", ["parse", "{refs}"]),  # inside a subcommand
    ],
)
def test_ctrl_c_during_start_up_is_one_line_and_exit_130(
    tmp_path: Path, module: str, args: list[str]
) -> None:
    refs = tmp_path / "article.wiki"
    # Should the interrupt not come, nothing leaves this machine: the one URL is loopback
    # (not allowed, so never fetched), the probe too, and the archives are off.
    refs.write_text("Text.<ref>{{cite web|url=http://127.0.0.1:9/|title=A}}</ref>\n", "utf-8")
    argv = [a.format(refs=refs) for a in args]
    if args[:1] == ["parse"]:
        argv += ["--out", str(tmp_path / "out.json")]
    elif args:
        argv += ["--out", str(tmp_path / "out"), "--no-archive", "--no-history"]
        argv += ["--online-probe", "http://127.0.0.1:9/"]
    proc = subprocess.run(
        [sys.executable, "-c", _INTERRUPT_DURING_IMPORT, module, *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("verify-refs: interrupted;") and line.endswith("written")
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.json").exists()
