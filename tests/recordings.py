"""The real Wayback Machine's recorded answers, read in place from ``../shared/realworld/wayback``.

The cassettes are VCR.py recordings (YAML; bodies gzip-compressed, base64 in YAML's
``!!binary``) of web.archive.org replays and CDX answers, 2020-2023; the ``*_cdx.txt`` files
are CDX text answers with the defects the real index serves. See that folder's README.
A test that needs one calls ``cassette(name)`` or ``recorded_text(name)``, which skip the
test, saying why, where the recordings are not beside this checkout.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

RECORDINGS = Path(__file__).resolve().parents[1].parent / "shared" / "realworld" / "wayback"


@dataclass(frozen=True)
class Recorded:
    """One recorded exchange: what was asked and what the archive answered."""

    method: str
    uri: str
    status: int
    headers: dict[str, str]  # one value per name (repeated headers joined with ", ")
    body: bytes  # decompressed

    @property
    def path(self) -> str:
        """The request's path and query, as a loopback archive would receive it."""
        parts = urlsplit(self.uri)
        return parts.path + (f"?{parts.query}" if parts.query else "")


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"the recorded Wayback answers are not beside this checkout ({path})")
    return path


def cassette(name: str) -> list[Recorded]:
    """The exchanges of ``<name>.yaml``, in recorded order."""
    yaml = pytest.importorskip("yaml", reason="PyYAML (the test extras) reads the cassettes")
    data = yaml.safe_load(_require(RECORDINGS / f"{name}.yaml").read_text("utf-8"))
    exchanges = []
    for item in data["interactions"]:
        request, response = item["request"], item["response"]
        body = response["body"]["string"]
        body = body if isinstance(body, bytes) else body.encode("utf-8")
        headers = {k: ", ".join(v) for k, v in response["headers"].items()}
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        # The body is served decompressed: the recorded transfer headers no longer apply.
        for name_ in [k for k in headers if k.lower() in
                      ("content-encoding", "transfer-encoding", "content-length")]:
            del headers[name_]
        exchanges.append(Recorded(request["method"], request["uri"],
                                  int(response["status"]["code"]), headers, body))
    return exchanges


def recorded_text(name: str) -> str:
    """A recorded CDX text answer (``bad_timestamp_cdx.txt``, ...)."""
    return _require(RECORDINGS / name).read_text("utf-8")
