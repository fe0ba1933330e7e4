from __future__ import annotations

import pytest

from tests import netguard
from tests.loopback import LoopbackServer
from tests.wayback_server import WaybackServer

netguard.install()


@pytest.fixture(autouse=True)
def _no_connection_leaves_loopback():
    """Fail any test that tried to reach an address outside loopback."""
    netguard.violations.clear()
    yield
    assert not netguard.violations, f"test left loopback: {netguard.violations}"


@pytest.fixture
def server():
    """A loopback HTTP server; add routes with ``server.route(path, handler)``."""
    srv = LoopbackServer()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def probe():
    """A stand-in for the well-known hosts (--online-probe): while it answers, the checker
    is online."""
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def wayback():
    """A Wayback-compatible archive on loopback; add captures with ``wayback.add(...)``."""
    archive = WaybackServer().start()
    yield archive
    archive.stop()
