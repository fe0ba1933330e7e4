"""The one object through which every HTTP request of verify-refs goes.

Live checks, archive lookups and the MediaWiki import all call ``Transport.request``.
It sends exactly one request (it never follows redirects: callers record each hop), and
it enforces, for every request:

- the address policy (``NetworkPolicy``): only http(s); no loopback, private, link-local
  or reserved address unless allowed, checked on the address actually connected to;
- a deadline from start to end (connect, headers and body);
- a cap on the body read (and on decompression);
- at most ``per_host`` requests at a time to one host.

Exceptions (all subclasses of ``FetchError``)::

    FetchError
     +-- UnsafeURL            not http(s), malformed, or the address is not allowed
     +-- NameNotResolved      DNS gave no address for the host
     +-- ConnectFailed        no connection: refused, unreachable, or connect timeout
     |    +-- ConnectionRefused   the host answered with a refusal
     |    +-- ConnectTimeout      no answer to the connection attempt
     +-- ConnectionReset      the connection broke after it was made
     +-- TLSFailure           the TLS handshake or certificate check failed
     +-- DeadlineExceeded     the whole request took longer than its deadline
     +-- MalformedResponse    the answer was not valid HTTP
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from requests.structures import CaseInsensitiveDict

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BODY = 512 * 1024  # enough of a page to find its title, never 100 MB
DEFAULT_PER_HOST = 2
CHUNK = 16 * 1024


class FetchError(Exception):
    """A request that produced no HTTP answer."""


class UnsafeURL(FetchError):
    pass


class NameNotResolved(FetchError):
    pass


class ConnectFailed(FetchError):
    pass


class ConnectionRefused(ConnectFailed):
    pass


class ConnectTimeout(ConnectFailed):
    pass


class ConnectionReset(FetchError):
    pass


class TLSFailure(FetchError):
    pass


class DeadlineExceeded(FetchError):
    pass


class MalformedResponse(FetchError):
    pass


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class NetworkPolicy:
    """Where requests may go.

    ``allowed_networks``: private ranges the user allowed (``--allow-network``).
    ``resolve``: host -> (address, port or None), like curl's ``--resolve``.
    ``trusted_origins``: ``scheme://host:port`` the user configured explicitly (archive
    base, Memento archives, MediaWiki API): they may be on a private address.
    """

    allowed_networks: tuple[Network, ...] = ()
    resolve: Mapping[str, tuple[str, int | None]] = field(default_factory=dict)
    trusted_origins: frozenset[str] = frozenset()

    def address_allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        if any(ip in net for net in self.allowed_networks):
            return True
        return ip.is_global and not (ip.is_multicast or ip.is_reserved)


@dataclass(frozen=True)
class HttpResponse:
    url: str
    status: int
    reason: str
    headers: CaseInsensitiveDict
    body: bytes  # at most max_body bytes, already decompressed
    truncated: bool  # the body was longer than max_body
    elapsed: float  # seconds from start to the last byte read
    peer: str | None = None  # the address actually connected to

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class Transport:
    """Sends single HTTP requests under the safety rules above (see module docstring)."""

    def __init__(
        self,
        *,
        policy: NetworkPolicy | None = None,
        user_agent: str,
        timeout: float = DEFAULT_TIMEOUT,
        max_body: int = DEFAULT_MAX_BODY,
        per_host: int = DEFAULT_PER_HOST,
        ca_bundle: str | None = None,
    ) -> None:
        self.policy = policy or NetworkPolicy()
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_body = max_body
        self.per_host = per_host
        self._session = requests.Session()
        self._session.headers["User-Agent"] = user_agent
        if ca_bundle:
            self._session.verify = ca_bundle
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def _slot(self, url: str) -> threading.BoundedSemaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            slot = self._host_slots.get(host)
            if slot is None:
                slot = self._host_slots[host] = threading.BoundedSemaphore(self.per_host)
            return slot

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
        """Send one request; never follows redirects. Raises a ``FetchError`` subclass."""
        # Placeholder implementation: the hardened one (address policy on the connected
        # address, watchdog deadline, decompression cap) replaces it.
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UnsafeURL(f"not an http(s) URL: {url!r}")
        limit = self.max_body if max_body is None else max_body
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        start = time.monotonic()
        with self._slot(url):
            try:
                resp = self._session.request(
                    method,
                    url,
                    headers=dict(headers or {}),
                    data=data,
                    allow_redirects=False,
                    stream=True,
                    timeout=max(0.01, deadline - time.monotonic()),
                )
            except requests.exceptions.ConnectTimeout as exc:
                raise ConnectTimeout(str(exc)) from exc
            except requests.exceptions.SSLError as exc:
                raise TLSFailure(str(exc)) from exc
            except requests.exceptions.ConnectionError as exc:
                raise ConnectFailed(str(exc)) from exc
            except requests.exceptions.RequestException as exc:
                raise MalformedResponse(str(exc)) from exc
            body = bytearray()
            truncated = False
            try:
                for chunk in resp.iter_content(CHUNK):
                    body += chunk
                    if len(body) > limit:
                        truncated = True
                        del body[limit:]
                        break
                    if time.monotonic() > deadline:
                        raise DeadlineExceeded(f"no complete answer within the deadline: {url}")
            except requests.exceptions.RequestException as exc:
                raise ConnectionReset(str(exc)) from exc
            finally:
                resp.close()
        return HttpResponse(
            url=url,
            status=resp.status_code,
            reason=resp.reason or "",
            headers=resp.headers,
            body=bytes(body),
            truncated=truncated,
            elapsed=time.monotonic() - start,
        )

    def close(self) -> None:
        self._session.close()
