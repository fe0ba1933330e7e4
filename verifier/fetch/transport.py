"""The one object through which every HTTP request of verify-refs goes.

Live checks, archive lookups and the MediaWiki import all call ``Transport.request``.
It sends exactly one request (it never follows redirects: callers record each hop), and
it enforces, for every request:

- the address policy (``NetworkPolicy``): only http(s); no loopback, private, link-local
  or reserved address unless allowed, checked on the address actually connected to;
- a deadline from start to end (connect, headers and body);
- a cap on the body read (and on decompression);
- at most ``per_host`` requests at a time to one host (with a ``HostGate``: counted with
  the run's other clients and processes, see ``verifier.fetch.hostgate``).

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
     +-- Cancelled            the run is stopping (Ctrl-C): ``Transport.cancel`` was called
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import ipaddress
import itertools
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.cookiejar import Cookie
from typing import Any, Protocol

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..urls import is_http, plain_http_host, split_url
from .hostgate import HostGate

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BODY = 512 * 1024  # enough of a page to find its title, never 100 MB
DEFAULT_PER_HOST = 2
CHUNK = 16 * 1024
# Pools kept for this many hosts at once: a reference list cites hundreds of sites.
POOL_HOSTS = 256
# Only encodings decoded by zlib, whose output urllib3 bounds per read (a gzip bomb then
# costs at most the body cap); brotli or zstd would depend on optional packages.
ACCEPT_ENCODING = "gzip, deflate"
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class FetchError(Exception):
    """A request that produced no HTTP answer.

    ``elapsed``: seconds it took once its host's slot was held (None: never sent), so that
    a caller keeping a time budget charges the request, not the wait behind others."""

    elapsed: float | None = None


class UnsafeURL(FetchError):
    pass


class NameNotResolved(FetchError):
    """DNS gave no address. ``permanent``: the name does not exist (NXDOMAIN), as opposed
    to a lookup that failed (no DNS server, timeout), which says nothing about the name."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


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


class Cancelled(FetchError):
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
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
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


class Requester(Protocol):
    """What a check needs of a transport: ``Transport`` itself, or the sweep's
    ``fetch.green.GreenTransport`` (the same request, sent on an event loop)."""

    timeout: float

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        data: bytes | str | None = None,
        timeout: float | None = None,
        max_body: int | None = None,
    ) -> HttpResponse: ...


def sendable_host(url: str) -> str:
    """The lower-cased host of ``url`` when a transport may send it (http(s), a host, a
    valid port); ``UnsafeURL`` otherwise. Both transports' first step."""
    host = plain_http_host(url)
    if host is not None:
        return host
    try:
        parts = split_url(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise UnsafeURL(f"not a valid URL: {url!r}") from None
    if not is_http(url) or not hostname:
        raise UnsafeURL(f"not an http(s) URL: {url!r}")
    return hostname.lower()


def origin_of(url: str) -> str:
    parts = split_url(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


# --- the deadline ---------------------------------------------------------------------------
# Socket timeouts bound each read, not the whole request: a server trickling one byte a
# second never trips them. So every request is registered with one watchdog thread, which
# shuts its sockets down at the deadline; the blocked read then returns at once.


class _Guard:
    """The sockets of one request, and whether its deadline has passed."""

    def __init__(self) -> None:
        self.expired = False
        self.done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shutdown(sock)

    def expire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)

    def finish(self) -> None:
        with self._lock:
            self.done = True
            self._sockets.clear()


def _shutdown(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: SSLSocket.shutdown would tear
    # down the TLS object under the thread still reading from it.
    with contextlib.suppress(OSError):  # not connected yet or closed: nothing to cut
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Guard]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, deadline: float, guard: _Guard) -> None:
        with self._cond:
            heapq.heappush(self._heap, (deadline, next(self._counter), guard))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="verify-refs-deadline", daemon=True
                )
                self._thread.start()
            # Woken only when this deadline is now the first: the watchdog already sleeps
            # until an earlier one, and waking it for every request (to find nothing due)
            # costs a thread switch per request. Finished requests stay in the heap until
            # their deadline comes, and are then dropped.
            if self._heap[0][2] is guard:
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                deadline, _, guard = self._heap[0]
                if guard.done:
                    heapq.heappop(self._heap)
                    continue
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            guard.expire()


_WATCHDOG = _Watchdog()
_current = threading.local()  # the _Guard of the request running on this thread


# --- the address policy, on the address actually connected to ----------------------------


def _lookup(policy: NetworkPolicy, host: str, port: int) -> list[tuple[int, tuple[Any, ...]]]:
    """(family, socket address) to try for ``host``: ``--resolve`` first, then DNS."""
    host = host.lower().rstrip(".")
    if host in policy.resolve:
        addr, forced_port = policy.resolve[host]
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        return [(family, (addr, forced_port or port))]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        permanent = exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None))
        raise NameNotResolved(f"{host}: {exc.strerror or exc}", permanent=permanent) from None
    except UnicodeError as exc:
        raise UnsafeURL(f"not a valid host name: {host!r}") from exc
    return [(family, sockaddr) for family, _, _, _, sockaddr in infos]


class _GuardedConnection(HTTPConnection):
    """Resolves the host itself, refuses addresses the policy forbids, and connects to the
    very address it checked: a DNS answer cannot change between check and connect."""

    policy: NetworkPolicy = NetworkPolicy()
    scheme_name = "http"
    peer: str | None = None

    def _new_conn(self) -> socket.socket:
        guard: _Guard | None = getattr(_current, "guard", None)
        origin = f"{self.scheme_name}://{self.host.lower()}:{self.port}"
        trusted = origin in self.policy.trusted_origins
        candidates = _lookup(self.policy, self.host, self.port)
        allowed = [c for c in candidates if trusted or self.policy.address_allowed(c[1][0])]
        if not allowed:
            where = ", ".join(sorted({c[1][0] for c in candidates}))
            raise UnsafeURL(f"{self.host} points to a non-public address ({where}): not fetched")
        timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
        error: FetchError = ConnectFailed(f"could not connect to {self.host}")
        for family, sockaddr in allowed:
            sock = socket.socket(family, socket.SOCK_STREAM)
            if guard is not None:
                guard.attach(sock)
            try:
                for opt in self.socket_options or ():
                    sock.setsockopt(*opt)
                sock.settimeout(timeout)
                sock.connect(sockaddr)
            except ConnectionRefusedError:
                error = ConnectionRefused(f"{self.host} refused the connection")
            except TimeoutError:
                error = ConnectTimeout(f"{self.host} did not answer the connection attempt")
            except OSError as exc:
                error = ConnectFailed(f"could not connect to {self.host}: {exc.strerror or exc}")
            else:
                self.peer = sockaddr[0]
                return sock
            sock.close()
        raise error

    def request(self, *args: Any, **kwargs: Any) -> None:
        # A pooled keep-alive connection was made under an earlier request's guard: put
        # its socket under this one's, so that the deadline cuts it too.
        guard: _Guard | None = getattr(_current, "guard", None)
        if guard is not None and self.sock is not None:
            guard.attach(self.sock)
        super().request(*args, **kwargs)


class _GuardedHTTPSConnection(_GuardedConnection, HTTPSConnection):
    # The TLS layer of HTTPSConnection still sends SNI and checks the certificate against
    # self.host, the name in the URL, whatever address _new_conn connected to.
    scheme_name = "https"


class _GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connection pools use the guarded connections."""

    def __init__(self, policy: NetworkPolicy, **kwargs: Any) -> None:
        conn = type("Conn", (_GuardedConnection,), {"policy": policy})
        tls_conn = type("TLSConn", (_GuardedHTTPSConnection,), {"policy": policy})
        self._pool_classes = {
            "http": type("Pool", (HTTPConnectionPool,), {"ConnectionCls": conn}),
            "https": type("TLSPool", (HTTPSConnectionPool,), {"ConnectionCls": tls_conn}),
        }
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes


# --- errors ---------------------------------------------------------------------------------


def _causes(exc: BaseException, depth: int = 0) -> Iterator[BaseException]:
    """The exception and everything it wraps (requests wraps urllib3 wraps http.client)."""
    yield exc
    if depth > 6:
        return
    inner = [a for a in exc.args if isinstance(a, BaseException)]
    inner += [getattr(exc, "reason", None), exc.__cause__, exc.__context__]
    for sub in inner:
        if isinstance(sub, BaseException) and sub is not exc:
            yield from _causes(sub, depth + 1)


def _translate(exc: Exception, url: str) -> FetchError:
    """The FetchError for an exception raised by requests/urllib3 while fetching ``url``."""
    causes = list(_causes(exc))
    for cause in causes:
        if isinstance(cause, FetchError):
            return cause
    if any(isinstance(c, (ssl.SSLError, requests.exceptions.SSLError)) for c in causes):
        return TLSFailure(f"TLS failure with {url}: {exc}")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                        requests.exceptions.MissingSchema, urllib3.exceptions.LocationParseError)):
        return UnsafeURL(f"not a valid URL: {url!r}")
    if any(isinstance(c, (TimeoutError, urllib3.exceptions.TimeoutError)) for c in causes):
        return DeadlineExceeded(f"no answer within the deadline: {url}")
    for cause in causes:
        if isinstance(cause, (http.client.RemoteDisconnected, ConnectionError,
                              http.client.IncompleteRead, urllib3.exceptions.IncompleteRead)):
            return ConnectionReset(f"the connection broke: {url}")
    if any(isinstance(c, (http.client.HTTPException, urllib3.exceptions.DecodeError,
                          urllib3.exceptions.ProtocolError)) for c in causes):
        return MalformedResponse(f"not a valid HTTP answer from {url}: {exc}")
    return MalformedResponse(f"request to {url} failed: {exc}")


# What requests, urllib3 and the socket layer raise for a request that got no answer;
# ``_translate`` turns each into the FetchError that says what happened.
_LOWER_ERRORS = (
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
    ValueError,
)


class _ThreadSafeCookieJar(RequestsCookieJar):
    """The session's cookies, shared by every worker thread.

    Cookies let a site that sets one and redirects back to the same page answer (instead
    of looping). The standard jar locks its writes but iterates without the lock, and the
    session iterates it on every request: another thread adding a cookie meanwhile would
    raise "dictionary changed size during iteration". Iterate over a copy taken under it.
    """

    def __iter__(self) -> Iterator[Cookie]:
        with self._cookies_lock:
            cookies = list(super().__iter__())
        return iter(cookies)


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
        self._session.cookies = _ThreadSafeCookieJar()
        # No proxies or .netrc from the environment: a proxy would be connected to instead
        # of the checked address, bypassing the address policy.
        self._session.trust_env = False
        self._session.headers.update(
            {"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING, "Accept": ACCEPT}
        )
        if ca_bundle:
            self._session.verify = ca_bundle
        adapter = _GuardedAdapter(
            self.policy, pool_connections=POOL_HOSTS, pool_maxsize=max(per_host, 4)
        )
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self._active: set[_Guard] = set()
        self._cancelled = False
        self._gate: HostGate | None = None

    def cancel(self) -> None:
        """Cut every request in flight and refuse new ones: the run is stopping."""
        with self._lock:
            self._cancelled = True
            active = list(self._active)
        for guard in active:
            guard.expire()

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            slot = self._host_slots.get(host)
            if slot is None:
                slot = self._host_slots[host] = threading.BoundedSemaphore(self.per_host)
            return slot

    @contextlib.contextmanager
    def sharing(self, gate: HostGate) -> Iterator[None]:
        """Count this transport's requests in ``gate`` too while the block runs: the run's
        other clients (the sweep's, in this process or its workers) count in it as well."""
        self._gate = gate
        try:
            yield
        finally:
            self._gate = None

    @contextlib.contextmanager
    def _gated(self, host: str, url: str) -> Iterator[None]:
        gate = self._gate
        if gate is None:
            yield
            return
        if not gate.take(host, given_up=lambda: self._cancelled):
            raise Cancelled(f"not sent, the run is stopping: {url}")
        try:
            yield
        finally:
            gate.give(host)

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
        host = sendable_host(url)
        limit = self.max_body if max_body is None else max_body
        budget = self.timeout if timeout is None else timeout
        with self._slot(host), self._gated(host, url):
            # The clock starts once this host's slot is ours: waiting behind other requests
            # to the same host is politeness, not the server's slowness.
            start = time.monotonic()
            deadline = start + budget
            guard = _Guard()
            with self._lock:
                if self._cancelled:
                    raise Cancelled(f"not sent, the run is stopping: {url}")
                self._active.add(guard)
            _current.guard = guard
            _WATCHDOG.arm(deadline, guard)
            try:
                return self._send(method, url, headers, data, limit, start, deadline, guard)
            except FetchError as exc:
                failed: FetchError = exc
                if self._cancelled:
                    failed = Cancelled(f"cut short, the run is stopping: {url}")
                elif guard.expired and not isinstance(exc, UnsafeURL):
                    failed = DeadlineExceeded(f"no complete answer within {budget:g} s: {url}")
                failed.elapsed = time.monotonic() - start
                if failed is exc:
                    raise
                raise failed from None
            finally:
                guard.finish()
                _current.guard = None
                with self._lock:
                    self._active.discard(guard)

    def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        data: bytes | str | None,
        limit: int,
        start: float,
        deadline: float,
        guard: _Guard,
    ) -> HttpResponse:
        remaining = max(0.01, deadline - time.monotonic())
        try:
            resp = self._session.request(
                method,
                url,
                headers=dict(headers or {}),
                data=data,
                allow_redirects=False,
                stream=True,
                timeout=(remaining, remaining),
            )
        except FetchError:
            raise
        except _LOWER_ERRORS as exc:
            raise _translate(exc, url) from None
        try:
            connection = resp.raw.connection
            peer = getattr(connection, "peer", None)
            body = bytearray()
            truncated = False
            # Read a little past the cap, so that a body of exactly ``limit`` bytes is
            # not reported as truncated.
            for chunk in resp.raw.stream(CHUNK, decode_content=True):
                body += chunk
                if len(body) > limit:
                    truncated = True
                    del body[limit:]
                    break
                if guard.expired:
                    break
            if guard.expired or time.monotonic() > deadline:
                raise DeadlineExceeded(f"no complete answer within the deadline: {url}")
        except FetchError:
            raise
        except _LOWER_ERRORS as exc:
            raise _translate(exc, url) from None
        finally:
            # Closing (not draining) drops the rest of a capped or cut body with the
            # connection; a fully read one goes back to the pool.
            resp.close()
        return HttpResponse(
            url=url,
            status=resp.status_code,
            reason=resp.reason or "",
            headers=resp.headers,
            body=bytes(body),
            truncated=truncated,
            elapsed=time.monotonic() - start,
            peer=peer,
        )

    def close(self) -> None:
        self._session.close()
