"""The exit statuses (the contract's), importing nothing: the console script needs them
before anything else is loaded."""

EXIT_OK = 0  # no reference falls under the failing policy
EXIT_FAILING = 1  # some do
EXIT_USAGE = 2  # bad usage or unreadable input
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it
EXIT_BROKEN_PIPE = 141  # the reader of our output went away (`| head`), as shells report it


class ReaderGone(Exception):
    """Our output's reader went away. Not an OSError on purpose: click would answer a
    broken pipe with status 1, which here means "a reference fails the policy"."""
