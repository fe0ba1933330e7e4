"""The peers: linkinator (npm) and LinkChecker (PyPI), installed on demand, run as is.

Each is installed next to the benchmark, never into the project's environment:
linkinator into ``bench/node_modules`` from ``bench/package-lock.json`` with the machine's
npm, LinkChecker into its own virtual environment ``.venv-bench-linkchecker`` (its
dependencies must not mix with ours). Where one cannot be installed, the benchmark says
why and goes on without it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
LINKINATOR = os.path.join(BENCH, "node_modules", ".bin", "linkinator")
LINKCHECKER_VENV = os.path.join(ROOT, ".venv-bench-linkchecker")
LINKCHECKER = os.path.join(LINKCHECKER_VENV, "bin", "linkchecker")
INSTALL_TIMEOUT = 600


class Unavailable(Exception):
    """A peer that could not be installed or run here; the message says why."""


def _run(command: list[str], cwd: str = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
    )


def ensure_linkinator() -> str:
    """The path of linkinator's command, installing it first if needed."""
    if not os.path.exists(LINKINATOR):
        npm = shutil.which("npm")
        if npm is None:
            raise Unavailable("npm is not installed")
        has_lock = os.path.exists(os.path.join(BENCH, "package-lock.json"))
        command = [npm, "ci" if has_lock else "install", "--no-audit", "--no-fund"]
        result = _run(command, cwd=BENCH)
        if result.returncode != 0 or not os.path.exists(LINKINATOR):
            raise Unavailable(f"npm could not install linkinator: {result.stderr.strip()[-300:]}")
    return LINKINATOR


def ensure_linkchecker() -> str:
    """The path of LinkChecker's command, installing it into its own venv if needed."""
    if not os.path.exists(LINKCHECKER):
        result = _run([sys.executable, "-m", "venv", LINKCHECKER_VENV])
        if result.returncode == 0:
            pip = os.path.join(LINKCHECKER_VENV, "bin", "pip")
            result = _run([pip, "install", "-q", "linkchecker"])
        if result.returncode != 0 or not os.path.exists(LINKCHECKER):
            raise Unavailable(f"pip could not install linkchecker: {result.stderr.strip()[-300:]}")
    return LINKCHECKER


def linkinator_version() -> str:
    path = os.path.join(BENCH, "node_modules", "linkinator", "package.json")
    try:
        with open(path, encoding="utf-8") as f:
            match = re.search(r'"version"\s*:\s*"([^"]+)"', f.read())
    except OSError:
        return "?"
    node = _run(["node", "--version"]).stdout.strip() if shutil.which("node") else "?"
    return f"{match.group(1) if match else '?'} (node {node})"


def linkchecker_version() -> str:
    result = _run([LINKCHECKER, "--version"])
    match = re.search(r"LinkChecker (\S+)", result.stdout)
    return match.group(1) if match else "?"


@dataclass
class Outcome:
    """What a peer's own output says it checked."""

    checked: int | None
    broken: int | None


def linkinator_outcome(stdout: str) -> Outcome:
    # "✓ Successfully scanned 2001 links in 1.9 seconds." or
    # "✖ Detected 3 broken links. Scanned 2001 links in 2.0 seconds."
    scanned = re.search(r"[Ss]canned (\d+) links", stdout)
    broken = re.search(r"Detected (\d+) broken links", stdout)
    return Outcome(
        checked=int(scanned.group(1)) if scanned else None,
        broken=int(broken.group(1)) if broken else (0 if scanned else None),
    )


def linkchecker_outcome(stdout: str) -> Outcome:
    # "That's it. 2001 links in 2001 URLs checked. 0 warnings found. 0 errors found."
    match = re.search(r"(\d+) links? in (\d+) URLs? checked\..*?(\d+) errors? found", stdout, re.S)
    if not match:
        return Outcome(None, None)
    return Outcome(checked=int(match.group(1)), broken=int(match.group(3)))
