"""Is the checker online? Probed once through the transport, cached, thread-safe."""

from __future__ import annotations

import threading

from tests import sites
from tests.loopback import LoopbackServer
from verifier.fetch.connectivity import Connectivity


def _online_connectivity(server: LoopbackServer) -> Connectivity:
    policy = sites.loopback_policy(resolve={"probe.test": ("127.0.0.1", server.port)})
    return Connectivity(sites.make_transport(policy), probes=("http://probe.test/",))


def test_failing_dns_means_offline() -> None:
    # The test network guard fails every lookup, like this machine.
    assert Connectivity(sites.make_transport()).online() is False


def test_any_answer_from_a_probe_means_online(server: LoopbackServer) -> None:
    # The probe path is not routed: the server's 404 is still an answer.
    assert _online_connectivity(server).online() is True


def test_a_refusing_probe_is_skipped_for_the_next(server: LoopbackServer) -> None:
    policy = sites.loopback_policy(resolve={"probe.test": ("127.0.0.1", server.port)})
    probes = (sites.refused_url(), "http://probe.test/")
    assert Connectivity(sites.make_transport(policy), probes=probes).online() is True


def test_the_probe_runs_once_for_concurrent_callers(server: LoopbackServer) -> None:
    connectivity = _online_connectivity(server)
    answers: list[bool] = []
    threads = [threading.Thread(target=lambda: answers.append(connectivity.online()))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [True] * 8
    assert len(server.hits) == 1


def test_a_probe_started_early_is_still_asked_once(server: LoopbackServer) -> None:
    connectivity = _online_connectivity(server)
    connectivity.start()
    connectivity.start()
    assert connectivity.online() is True
    assert connectivity.online() is True
    assert len(server.hits) == 1


def test_starting_a_known_answer_asks_nothing() -> None:
    known = Connectivity.answered(False)
    known.start()
    assert known.online() is False
    assert not [t for t in threading.enumerate() if t.name == "verify-refs-probe"]


def test_start_asks_the_probes_in_the_background_before_anyone_waits(
    server: LoopbackServer,
) -> None:
    connectivity = _online_connectivity(server)
    connectivity.start()
    for thread in threading.enumerate():
        if thread.name == "verify-refs-probe":
            thread.join(timeout=10)
    assert len(server.hits) == 1  # asked already, though online() was never called
    assert connectivity.online() is True
    assert len(server.hits) == 1
