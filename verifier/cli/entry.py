"""The ``verify-refs`` console script: the command line, with Ctrl-C answered everywhere.

Kept tiny and import-free on purpose: a Ctrl-C can come while click, the parsers or the
report templates are still being imported (a slow disk, a cold start), before any command
could catch it. It is caught here, said in one line, and the exit status is 130, as for a
run interrupted during its checks. Click would otherwise answer a Ctrl-C inside a
command with "Aborted!" and status 1.
"""

from __future__ import annotations

import os
import sys

from ..gc_policy import collect_less_often
from .exits import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, ReaderGone


def run() -> None:
    collect_less_often()  # this process is verify-refs' own: see gc_policy
    try:
        code = _run()
    except KeyboardInterrupt:
        sys.stderr.write("verify-refs: interrupted; nothing written\n")
        code = EXIT_INTERRUPTED
    except (BrokenPipeError, ReaderGone):
        # `verify-refs --dump | head`: the reader has all it wanted. Quiet, as other tools
        # are; stdout goes to /dev/null so the interpreter's last flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_BROKEN_PIPE
    sys.exit(code)


def _run() -> int:
    import click

    from .app import main

    try:
        returned = main.main(prog_name="verify-refs", standalone_mode=False)
    except click.exceptions.Abort:  # click's word for a Ctrl-C inside a command
        raise KeyboardInterrupt from None
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return returned if isinstance(returned, int) else 0
