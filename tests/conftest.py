from __future__ import annotations

import pytest

from tests import netguard
from tests.loopback import LoopbackServer

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
