"""Shell completion, as the README documents it: the installed verify-refs prints click's
completion script for bash, zsh and fish, and answers a completion request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "verify-refs"


def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if not EXE.exists():
        pytest.skip(f"the console script is not installed beside {sys.executable}")
    full = {k: v for k, v in os.environ.items() if not k.startswith("VERIFY_REFS_")}
    return subprocess.run(
        [str(EXE)], env={**full, **env}, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _verify_refs_completion verify-refs"),
        ("zsh", "#compdef verify-refs"),
        ("fish", "complete --no-files --command verify-refs"),
    ],
)
def test_the_completion_script_is_printed(shell: str, marker: str) -> None:
    result = run({"_VERIFY_REFS_COMPLETE": f"{shell}_source"})
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert "_VERIFY_REFS_COMPLETE" in result.stdout  # the script asks the command back


def test_a_completion_request_is_answered_with_options_commands_and_choices() -> None:
    def complete(words: str) -> list[str]:
        result = run({
            "_VERIFY_REFS_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (not words.endswith(" "))),
        })
        assert result.returncode == 0, result.stderr
        return [line.split(",", 1)[1] for line in result.stdout.splitlines()]

    assert complete("verify-refs --no-arch") == ["--no-archive"]
    assert complete("verify-refs --show-c") == ["--show-config"]
    assert "lint" in complete("verify-refs li")
    assert complete("verify-refs --report ") == ["html", "md", "csv", "junit", "json"]
