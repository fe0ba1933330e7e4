"""Archive check: what the web archives hold for each reference (see ``checker``)."""

from .cache import ArchiveCache
from .checker import ArchiveChecker, not_checked

__all__ = ["ArchiveCache", "ArchiveChecker", "not_checked"]
