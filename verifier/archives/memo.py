"""Answers kept for one run: several references cite one URL, threads ask at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class RunMemo:
    """``once(key, compute)`` computes once per key per run, even when threads ask at the
    same time. What ``compute`` returns is kept (a failed lookup too: the run reports it
    once per URL); what it raises is not."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def once(self, key: str, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                return self._values[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            value = compute()  # may raise: nothing is remembered then
            with self._lock:
                self._values[key] = value
            return value

    def forget(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)
