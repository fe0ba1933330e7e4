"""The live check's own (blocking) code, run by the thousand on one event loop.

``LiveChecker`` is written as plain calls: request, wait, request again. The sweep runs
each check in a greenlet (the greenlet package, as SQLAlchemy's asyncio layer does):
when the check calls ``GreenTransport.request`` or ``green_sleep``, its greenlet hands the
awaitable to the task driving it, which awaits it on the loop and switches back with the
answer. So the checks in a sweep are the very code of every other run — nothing judged
twice in two ways — while thousands of them wait on the network without a thread each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from greenlet import getcurrent, greenlet

from .aio import AsyncTransport
from .transport import HttpResponse

T = TypeVar("T")


class _Await:
    """What a greenlet hands to its driver: "await this for me"."""

    __slots__ = ("awaitable",)

    def __init__(self, awaitable: Awaitable[Any]) -> None:
        self.awaitable = awaitable


def await_only(awaitable: Awaitable[T]) -> T:
    """Await ``awaitable`` from blocking code run by ``run_green``; returns its result or
    raises its exception, as ``await`` would."""
    current = getcurrent()
    if current.parent is None or not getattr(current, "verify_refs_green", False):
        raise RuntimeError("await_only() called outside run_green()")
    return current.parent.switch(_Await(awaitable))  # type: ignore[no-any-return]


async def run_green(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking ``fn(*args)`` in a greenlet; every ``await_only`` in it is awaited here,
    in this task (so timeouts and cancellation apply to it as to any await)."""
    child = greenlet(fn)
    child.verify_refs_green = True  # type: ignore[attr-defined]
    step = child.switch(*args)
    while not child.dead:
        assert isinstance(step, _Await)
        try:
            value = await step.awaitable
        except BaseException as exc:
            step = child.throw(exc)
        else:
            step = child.switch(value)
    return step  # type: ignore[no-any-return]


def green_sleep(seconds: float) -> None:
    """``time.sleep`` for code run by ``run_green``: the loop goes on meanwhile."""
    await_only(asyncio.sleep(seconds))


class GreenTransport:
    """``Transport``'s blocking ``request`` for code run by ``run_green``, sent by an
    ``AsyncTransport`` (which keeps every guarantee)."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._async = transport
        self.timeout = transport.timeout
        self.policy = transport.policy

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        data: bytes | str | None = None,
        timeout: float | None = None,
        max_body: int | None = None,
    ) -> HttpResponse:
        return await_only(
            self._async.request(
                method, url, headers=headers, data=data, timeout=timeout, max_body=max_body
            )
        )

    def cancel(self) -> None:
        self._async.cancel()
