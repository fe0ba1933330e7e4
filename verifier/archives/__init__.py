"""Archive check: what the web archives hold for each reference (see ``checker``)."""

from .cache import ArchiveCache
from .checker import ArchiveChecker
from .save import Refused, Saved

__all__ = ["ArchiveCache", "ArchiveChecker", "Refused", "Saved"]
