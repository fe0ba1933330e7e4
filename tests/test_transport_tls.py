"""HTTPS through the transport, against a loopback server with a certificate from a local
CA (trustme): the name in the URL is what TLS checks, whatever address is connected to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests import sites
from tests.loopback import Reply, html_page
from verifier.fetch.transport import TLSFailure


@pytest.fixture(params=["requests", "aiohttp"], autouse=True)
def client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both clients: the Transport (requests) and the sweep's AsyncTransport (aiohttp)."""
    made = sites.use_client(request.param, monkeypatch)
    yield request.param
    for transport in made:
        transport.close()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = Path(tmp_path_factory.mktemp("ca")) / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def secure_site(ca: trustme.CA) -> Iterator[sites.LoopbackServer]:
    with sites.tls_server(ca.issue_cert("secure.test")) as server:
        server.route("/a", Reply(200, html_page("Secure page")))
        yield server


def _transport(server: sites.LoopbackServer, ca_file: str | None, name: str = "secure.test"):
    policy = sites.loopback_policy(resolve={name: ("127.0.0.1", server.port)})
    return sites.make_transport(policy, ca_bundle=ca_file)


def test_https_with_a_trusted_certificate_for_the_name(secure_site, ca_file: str) -> None:
    resp = _transport(secure_site, ca_file).request("GET", "https://secure.test/a")
    assert resp.status == 200
    assert b"Secure page" in resp.body
    assert secure_site.hits[0].headers["Host"] == "secure.test"


def test_an_unknown_certificate_authority_is_a_tls_failure(secure_site) -> None:
    with pytest.raises(TLSFailure):
        _transport(secure_site, None).request("GET", "https://secure.test/a")


def test_a_certificate_for_another_name_is_a_tls_failure(secure_site, ca_file: str) -> None:
    transport = _transport(secure_site, ca_file, name="other.test")
    with pytest.raises(TLSFailure):
        transport.request("GET", "https://other.test/a")
    assert secure_site.hits == []
