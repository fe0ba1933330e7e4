"""The sweep's name lookups (``verifier.fetch.aio.Lookups``): a name asked once at a time,
its addresses kept a while, a failure never kept; and enough resolver threads.

The resolver here is a stand-in (this machine has no DNS): an async function that
counts what it is asked and answers when the test lets it.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from verifier.fetch import aio
from verifier.fetch.aio import Lookups, new_loop
from verifier.fetch.transport import NameNotResolved


class Resolver:
    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []
        self.release = asyncio.Event()
        self.fail_next = False

    async def __call__(self, name: str, port: int) -> list[tuple[str, int]]:
        self.asked.append((name, port))
        await self.release.wait()
        if self.fail_next:
            self.fail_next = False
            raise NameNotResolved(f"{name}: temporary failure", permanent=False)
        return [("192.0.2.7", port)]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run(coro):  # type: ignore[no-untyped-def]
    loop = new_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def test_a_hosts_connections_opened_together_ask_its_name_once() -> None:
    async def main() -> None:
        resolver = Resolver()
        lookups = Lookups(resolver)
        waiting = [asyncio.ensure_future(lookups.addresses("a.example", 443)) for _ in range(2)]
        other = asyncio.ensure_future(lookups.addresses("b.example", 443))
        await asyncio.sleep(0)
        resolver.release.set()
        assert await asyncio.gather(*waiting, other) == [[("192.0.2.7", 443)]] * 3
        assert resolver.asked == [("a.example", 443), ("b.example", 443)]

    run(main())


def test_addresses_are_kept_for_the_ttl_then_asked_again() -> None:
    async def main() -> None:
        resolver, clock = Resolver(), Clock()
        resolver.release.set()
        lookups = Lookups(resolver, ttl=60, clock=clock)
        await lookups.addresses("a.example", 80)
        clock.now += 59
        await lookups.addresses("a.example", 80)
        assert len(resolver.asked) == 1
        clock.now += 2
        await lookups.addresses("a.example", 80)
        assert len(resolver.asked) == 2
        await lookups.addresses("a.example", 8080)  # another port: asked of its own
        assert len(resolver.asked) == 3

    run(main())


def test_a_failed_lookup_reaches_every_waiter_and_is_not_kept() -> None:
    async def main() -> None:
        resolver = Resolver()
        resolver.fail_next = True
        lookups = Lookups(resolver)
        waiting = [asyncio.ensure_future(lookups.addresses("a.example", 80)) for _ in range(2)]
        await asyncio.sleep(0)
        resolver.release.set()
        errors = await asyncio.gather(*waiting, return_exceptions=True)
        assert all(isinstance(e, NameNotResolved) and not e.permanent for e in errors)
        # Each request gets its own: one's elapsed time is not written on the other's.
        assert errors[0] is not errors[1]
        assert len(resolver.asked) == 1
        # The retry asks again, and this time the name resolves.
        assert await lookups.addresses("a.example", 80) == [("192.0.2.7", 80)]
        assert len(resolver.asked) == 2

    run(main())


def test_a_request_whose_deadline_passes_leaves_the_lookup_to_the_others() -> None:
    async def main() -> None:
        resolver = Resolver()
        lookups = Lookups(resolver)
        impatient = asyncio.ensure_future(lookups.addresses("a.example", 80))
        patient = asyncio.ensure_future(lookups.addresses("a.example", 80))
        await asyncio.sleep(0)
        impatient.cancel()
        await asyncio.sleep(0)
        resolver.release.set()
        assert await patient == [("192.0.2.7", 80)]
        assert impatient.cancelled()
        assert len(resolver.asked) == 1

    run(main())


def test_the_sweeps_loop_resolves_many_names_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UV_THREADPOOL_SIZE", "-")  # put back as it was, after the test
    monkeypatch.delenv("UV_THREADPOOL_SIZE")
    loop = new_loop()
    try:
        try:
            import uvloop
        except ImportError:
            executor = loop._default_executor  # type: ignore[attr-defined]
            assert executor._max_workers == aio.RESOLVER_THREADS
        else:
            assert isinstance(loop, uvloop.Loop)
            assert os.environ["UV_THREADPOOL_SIZE"] == str(aio.RESOLVER_THREADS) != "4"
    finally:
        loop.close()


def test_a_resolver_pool_size_the_user_set_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("uvloop")
    monkeypatch.setenv("UV_THREADPOOL_SIZE", "7")
    new_loop().close()
    assert os.environ["UV_THREADPOOL_SIZE"] == "7"
