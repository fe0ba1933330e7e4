"""The library's exceptions; the command line turns each into a one-line message.

VerifierError
 +-- InputError      unreadable or invalid input (exit status 2): says what and where
 +-- Interrupted     the run was stopped (Ctrl-C) after saving what was checked
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(VerifierError):
    """Bad input: the message names the file and the line or record id."""


class Interrupted(VerifierError):
    pass
