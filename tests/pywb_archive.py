"""A real pywb on loopback, serving WARC files the test writes with warcio.

pywb lives in its own virtual environment (``make pywb`` creates ``.venv-pywb``: its pins
clash with ours). Tests that need it skip, saying why, where ``.venv-pywb/bin/wayback`` is
absent. The archive runs as a subprocess on a free loopback port with its collection in
a temporary directory, and is stopped when the test module ends.
"""

from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

import requests
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
PYWB_BIN = ROOT / ".venv-pywb" / "bin"
COLLECTION = "coll"
START_TIMEOUT = 30.0


def pywb_missing_reason() -> str | None:
    if not (PYWB_BIN / "wayback").exists():
        return "pywb is not installed: run `make pywb` (creates .venv-pywb)"
    return None


@dataclass(frozen=True)
class WarcCapture:
    url: str
    when: datetime  # UTC
    body: bytes
    status: str = "200 OK"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)


def write_warc(path: Path, captures: list[WarcCapture]) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for c in captures:
            http = StatusAndHeaders(
                c.status,
                [*c.headers, ("Content-Length", str(len(c.body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                c.url,
                "response",
                payload=BytesIO(c.body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": c.when.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PywbArchive:
    """``with PywbArchive(tmp, captures) as pywb:`` -> ``pywb.base`` is the collection URL."""

    def __init__(self, workdir: Path, captures: list[WarcCapture]) -> None:
        self.workdir = workdir
        self.captures = captures
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/{COLLECTION}"

    def __enter__(self) -> PywbArchive:
        warc = self.workdir / "captures.warc.gz"
        write_warc(warc, self.captures)
        manager = str(PYWB_BIN / "wb-manager")
        for args in (["init", COLLECTION], ["add", COLLECTION, str(warc)]):
            subprocess.run([manager, *args], cwd=self.workdir, check=True, capture_output=True,
                           timeout=60)
        self.process = subprocess.Popen(
            [str(PYWB_BIN / "wayback"), "-p", str(self.port), "-b", "127.0.0.1",
             "-d", str(self.workdir)],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=(self.workdir / "pywb.log").open("wb"),
        )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                log = (self.workdir / "pywb.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"pywb exited at start: {log}")
            try:
                requests.get(f"http://127.0.0.1:{self.port}/", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)  # polling for readiness, not waiting for a result
        raise RuntimeError(f"pywb did not answer within {START_TIMEOUT} s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
