"""The library's exceptions; the command line turns each into a one-line message.

VerifierError
 +-- InputError      unreadable or invalid input (exit status 2): says what and where
 +-- ImportFailed    (verifier.parse.mediawiki) the live article could not be imported
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(VerifierError):
    """Bad input: the message names the file and the line or record id."""

