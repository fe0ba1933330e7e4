"""Retries: Retry-After honoured and capped, backoff for other 5xx and timeouts, bounded."""

from __future__ import annotations

import pytest

from tests import sites
from tests.loopback import LoopbackServer, Reply
from verifier.fetch.retry import Budget, RetryPolicy, retry_after
from verifier.fetch.transport import DeadlineExceeded


def _policy(sleeps: list[float], attempts: int = 3) -> RetryPolicy:
    return RetryPolicy(attempts=attempts, backoff=0.5, max_wait=10.0, sleep=sleeps.append)


def test_other_5xx_are_retried_with_doubling_backoff(server: LoopbackServer) -> None:
    url = server.route("/x", sites.sequence(Reply(502), Reply(500), Reply(200, b"ok")))
    transport = sites.make_transport()
    sleeps: list[float] = []
    resp = _policy(sleeps).run(lambda: transport.request("GET", url))
    assert resp.status == 200
    assert sleeps == [0.5, 1.0]


def test_attempts_are_bounded_and_the_last_answer_returned(server: LoopbackServer) -> None:
    url = server.route("/x", Reply(500))
    transport = sites.make_transport()
    sleeps: list[float] = []
    resp = _policy(sleeps, attempts=2).run(lambda: transport.request("GET", url))
    assert resp.status == 500
    assert len(server.hits) == 2


def test_a_client_error_is_not_retried(server: LoopbackServer) -> None:
    url = server.route("/x", Reply(404))
    transport = sites.make_transport()
    resp = _policy([]).run(lambda: transport.request("GET", url))
    assert resp.status == 404
    assert len(server.hits) == 1


def test_timeouts_are_retried_then_raised(server: LoopbackServer) -> None:
    url = sites.stall(server, "/x")
    transport = sites.make_transport(timeout=0.1)
    sleeps: list[float] = []
    with pytest.raises(DeadlineExceeded):
        _policy(sleeps, attempts=2).run(lambda: transport.request("GET", url))
    assert len(server.hits) == 2
    assert sleeps == [0.5]


@pytest.mark.parametrize(
    ("value", "date", "seconds"),
    [
        ("120", None, 120.0),
        ("0", None, 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:29:00 GMT", 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", None, None),  # no server clock to measure against
        ("soon", None, None),
        (None, None, None),
    ],
)
def test_retry_after_values(value, date, seconds) -> None:
    assert retry_after(value, date) == seconds


def test_no_retry_is_waited_for_past_the_budget(server: LoopbackServer) -> None:
    url = server.route("/x", Reply(503, b"busy", {"Retry-After": "5"}))
    transport = sites.make_transport()
    sleeps: list[float] = []
    resp = _policy(sleeps).run(lambda: transport.request("GET", url), budget=Budget(2.0))
    assert resp.status == 503  # the 5 s wait does not fit in the 2 s left: not waited for
    assert sleeps == [] and len(server.hits) == 1


def test_waits_are_charged_to_the_budget(server: LoopbackServer) -> None:
    url = server.route("/x", Reply(503, b"busy", {"Retry-After": "2"}))
    transport = sites.make_transport()
    sleeps: list[float] = []
    resp = _policy(sleeps).run(lambda: transport.request("GET", url), budget=Budget(3.0))
    assert resp.status == 503
    assert sleeps == [2.0]  # the second wait of 2 s no longer fits in what is left
    assert len(server.hits) == 2


def test_timeout_bounds_the_whole_check_of_a_url_retries_included(
    server: LoopbackServer,
) -> None:
    """--timeout is the most one check may take (the contract): a stalled site is asked once
    within it, not once per attempt (3 × the timeout plus the waits)."""
    from verifier.model import LiveStatus

    url = sites.stall(server, "/slow")
    checker = sites.make_checker(timeout=0.3, attempts=3)
    result = checker.check(url, "A title")
    assert result.status is LiveStatus.ERROR
    assert len(server.hits) == 1


def test_a_retry_after_longer_than_the_check_may_take_is_not_waited_for(
    server: LoopbackServer,
) -> None:
    from verifier.model import LiveStatus

    url = server.route("/busy", Reply(503, b"busy", {"Retry-After": "10"}))
    sleeps: list[float] = []
    checker = sites.make_checker(timeout=1.0, attempts=3, sleeps=sleeps)
    result = checker.check(url, "A title")
    assert result.status is LiveStatus.ERROR and result.http_status == 503
    assert sleeps == [] and len(server.hits) == 1


@pytest.mark.parametrize(
    ("replies", "live_hits", "archive_hits"),
    [
        ([Reply(500), Reply(200, b"ok")], 2, 1),  # a momentary 5xx: the live check asks again
        ([Reply(503), Reply(200, b"ok")], 2, 2),  # "busy": both wait and ask again
        ([Reply(429), Reply(200, b"ok")], 2, 2),
    ],
)
def test_the_named_policies_differ_only_in_what_they_retry(
    server: LoopbackServer, replies: list[Reply], live_hits: int, archive_hits: int
) -> None:
    from dataclasses import replace

    from verifier.fetch.retry import ARCHIVE_RETRY, LIVE_RETRY

    for policy, hits in ((LIVE_RETRY, live_hits), (ARCHIVE_RETRY, archive_hits)):
        server.hits.clear()
        url = server.route("/x", sites.sequence(*replies))
        transport = sites.make_transport()
        sleeps: list[float] = []
        policy = replace(policy, sleep=sleeps.append)
        policy.run(lambda url=url, transport=transport: transport.request("GET", url))
        assert len(server.hits) == hits
        assert len(sleeps) == hits - 1


def test_the_archive_policy_does_not_retry_a_timeout() -> None:
    from verifier.fetch.retry import ARCHIVE_RETRY, LIVE_RETRY

    assert DeadlineExceeded in LIVE_RETRY.retry_errors
    assert ARCHIVE_RETRY.retry_errors == ()
    calls: list[int] = []

    def send():
        calls.append(1)
        raise DeadlineExceeded("slow")

    with pytest.raises(DeadlineExceeded):
        ARCHIVE_RETRY.run(send)
    assert calls == [1]
