"""The sweep's client: the Transport's interface and guarantees, on one asyncio event loop.

``Transport`` (requests, a thread per request in flight) suits the places that make one
request at a time. A sweep of thousands of hosts may have 2,000 requests waiting on the
network at once, which threads cannot hold cheaply; ``AsyncTransport.request`` is the same
call as ``Transport.request`` (same arguments, same ``HttpResponse``, same ``FetchError``
subclasses), awaited, on aiohttp (bench/RESULTS.md says why this client). It keeps every
guarantee of the Transport:

- the address policy on the address actually connected to: the connector's name
  resolution is replaced (``--resolve``, then DNS, then the policy filters what may be
  connected to), and the peer of every new connection is checked again before a byte is
  sent on it;
- a deadline from start to end (``asyncio.timeout`` around connect, headers and body);
- a cap on the body read, and on decompression (done here with ``max_length``, never by
  the client);
- at most ``per_host`` requests at a time to one host (``HostSlots``; with a ``HostGate``,
  across every client and process of the run);
- the honest User-Agent and default headers, no proxy from the environment, cookies kept
  for the site that set them, the URL encoded exactly as requests encodes it;
- ``cancel``: every request in flight ends with ``Cancelled``, new ones are refused.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import ipaddress
import os
import re
import socket
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
import certifi
from requests.models import PreparedRequest
from requests.structures import CaseInsensitiveDict
from yarl import URL

from .hostgate import HostGate
from .transport import (
    ACCEPT,
    ACCEPT_ENCODING,
    DEFAULT_MAX_BODY,
    DEFAULT_PER_HOST,
    DEFAULT_TIMEOUT,
    Cancelled,
    ConnectFailed,
    ConnectionRefused,
    ConnectionReset,
    DeadlineExceeded,
    FetchError,
    HttpResponse,
    MalformedResponse,
    NameNotResolved,
    NetworkPolicy,
    TLSFailure,
    UnsafeURL,
    sendable_host,
)

# Name lookups at once, per loop. Both loops look names up on threads: uvloop on libuv's
# pool, 4 threads unless UV_THREADPOOL_SIZE says otherwise; asyncio on its default
# executor (cores + 4). A wiki's sweep connects to a thousand hosts as it starts: with
# names answered in 30 ms, 4 threads (and a lookup per connection) made its run 24.6 s
# instead of 10.2 s (bench/RESULTS.md, eleventh pass).
RESOLVER_THREADS = 32
# How long a name's addresses are reused: a run's later connections to a host (after a
# server closed one) need not ask again. aiohttp's own cache keeps them 10 s.
LOOKUP_TTL = 60.0


def new_loop() -> asyncio.AbstractEventLoop:
    """The event loop the sweep runs on: uvloop's where it is installed (libuv; measured on
    one shard of the wiki workload: ~5 % less CPU, half the loop's lag at the 99th
    percentile), else asyncio's; either with ``RESOLVER_THREADS`` for name lookups. The
    transport tests run on this one too."""
    try:
        import uvloop
    except ImportError:  # not on every platform (Windows)
        loop = asyncio.new_event_loop()
        loop.set_default_executor(
            ThreadPoolExecutor(RESOLVER_THREADS, thread_name_prefix="verify-refs-resolve")
        )
        return loop
    # Read by libuv when its pool first starts in this process (a sweep's worker, or the
    # first sweep here); a size the user set is kept.
    os.environ.setdefault("UV_THREADPOOL_SIZE", str(RESOLVER_THREADS))
    return uvloop.new_event_loop()


# Header lines as long as http.client accepts (aiohttp's default is 8 KB; sites send
# longer cookies and CSP headers, and requests reads them).
MAX_LINE = 65536
MAX_HEADERS = 100
_NO_CONTENT_TYPE = ("Content-Type",)


class HostSlots:
    """At most ``per_host`` requests at a time to one host: in this loop, and, given a
    ``HostGate``, across every client and process of the run.

    ``acquire`` waits for a slot; ``release`` gives it back."""

    def __init__(self, per_host: int = DEFAULT_PER_HOST, gate: HostGate | None = None) -> None:
        self.per_host = per_host
        self._gate = gate
        self._slots: dict[str, asyncio.Semaphore] = {}

    async def acquire(self, host: str) -> None:
        slot = self._slots.get(host)
        if slot is None:
            slot = self._slots[host] = asyncio.Semaphore(self.per_host)
        await slot.acquire()  # this loop's own requests first: they wait in order
        if self._gate is not None:
            try:
                await self._gate.take_async(host)
            except BaseException:
                slot.release()
                raise

    def release(self, host: str) -> None:
        if self._gate is not None:
            self._gate.give(host)
        self._slots[host].release()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


# Where the connection of the request running in this task goes: set by the connector,
# read by the request (the answer may have let go of its connection by then).
_PEER: contextvars.ContextVar[list[str]] = contextvars.ContextVar("verify_refs_peer")


Addresses = list[tuple[str, int]]


async def getaddrinfo(name: str, port: int) -> Addresses:
    """The addresses DNS (and the hosts file) give ``name``, by the loop's resolver."""
    loop = asyncio.get_running_loop()
    try:
        found = await loop.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        permanent = exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None))
        raise NameNotResolved(f"{name}: {exc.strerror or exc}", permanent=permanent) from None
    except UnicodeError as exc:
        raise UnsafeURL(f"not a valid host name: {name!r}") from exc
    return [(sockaddr[0], sockaddr[1]) for *_, sockaddr in found]


class Lookups:
    """Name lookups shared by a loop's connections: a name is asked once at a time (a
    host's 2 connections open together), and its addresses are kept ``ttl`` seconds. A
    failed lookup is not kept: the checker's retry asks again. What an address may be is
    still judged on every use, by the connector."""

    def __init__(
        self,
        resolve: Callable[[str, int], Awaitable[Addresses]],
        ttl: float = LOOKUP_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._resolve, self._ttl, self._clock = resolve, ttl, clock
        self._known: dict[tuple[str, int], tuple[float, Addresses]] = {}
        self._pending: dict[tuple[str, int], asyncio.Future[Addresses]] = {}

    async def addresses(self, name: str, port: int) -> Addresses:
        key = (name, port)
        known = self._known.get(key)
        if known is not None and self._clock() < known[0]:
            return known[1]
        pending = self._pending.get(key)
        if pending is None:
            pending = self._pending[key] = asyncio.ensure_future(self._resolve(name, port))
            pending.add_done_callback(lambda done: self._settled(key, done))
        try:
            # Shielded: a request whose deadline passes leaves the lookup to the others.
            return list(await asyncio.shield(pending))
        except FetchError as exc:
            raise copy.copy(exc) from None  # each request's own (it gets its elapsed time)

    def _settled(self, key: tuple[str, int], done: asyncio.Future[Addresses]) -> None:
        del self._pending[key]
        if not done.cancelled() and done.exception() is None:
            self._known[key] = (self._clock() + self._ttl, done.result())


class _PolicyConnector(aiohttp.TCPConnector):
    """A connector that resolves names under the address policy and checks the peer of
    each connection it makes. ``scheme_of`` tells the scheme of a (host, port) being
    connected (trusted origins are per scheme)."""

    def __init__(self, policy: NetworkPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._policy = policy
        self._lookups = Lookups(getaddrinfo)

    def _trusted(self, host: str, port: int, scheme: str) -> bool:
        return f"{scheme}://{host.lower()}:{port}" in self._policy.trusted_origins

    async def _resolve_host(self, host: str, port: int, traces: Any = None) -> list[dict[str, Any]]:
        # Replaces aiohttp's resolution and its DNS cache whole, IP literals included
        # (which aiohttp would connect to without asking any resolver).
        name = host.lower().rstrip(".")
        if name in self._policy.resolve:
            address, forced = self._policy.resolve[name]
            infos = [(address, forced or port)]
        elif _is_ip(name):
            infos = [(name, port)]
        else:
            infos = await self._lookups.addresses(name, port)
        trusted = self._trusted(name, port, "https") or self._trusted(name, port, "http")
        allowed = [i for i in infos if trusted or self._policy.address_allowed(i[0])]
        if not allowed:
            where = ", ".join(sorted({i[0] for i in infos}))
            raise UnsafeURL(f"{host} points to a non-public address ({where}): not fetched")
        return [
            {
                "hostname": host,
                "host": address,
                "port": p,
                "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for address, p in allowed
        ]

    async def connect(self, req: Any, *args: Any, **kwargs: Any) -> Any:
        connection = await super().connect(req, *args, **kwargs)
        holder = _PEER.get(None)
        transport = connection.transport
        peer = transport.get_extra_info("peername") if transport is not None else None
        if holder is not None and peer:
            holder.append(peer[0])
        return connection

    async def _create_direct_connection(self, req: Any, *args: Any, **kwargs: Any) -> Any:
        transport, proto = await super()._create_direct_connection(req, *args, **kwargs)
        peer = transport.get_extra_info("peername")
        address = peer[0] if peer else ""
        host = req.url.raw_host or ""
        scheme = "https" if req.is_ssl() else "http"
        if not (self._trusted(host, req.port, scheme) or self._policy.address_allowed(address)):
            transport.close()
            raise UnsafeURL(f"{host} connected to a non-public address ({address}): not fetched")
        return transport, proto


# A URL that requests sends exactly as written: lower-case http(s) scheme and ASCII host,
# a port without leading zeros, a path of characters no step of requests re-encodes
# (percent-escapes in upper case), an optional non-empty query of the same, no fragment,
# no user.
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})"
_SENT_AS_WRITTEN = re.compile(
    rf"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?(?::[1-9][0-9]{{0,4}})?"
    rf"(?:/{_PCHAR}*)+(?:\?(?:{_PCHAR}|[/?])+)?"  # an empty "?" is dropped by requests
)
# Path segments requests (urllib3) would remove: "." and "..".
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|\?|$)")
_ESCAPE = re.compile(r"%([0-9A-F]{2})")
# Escapes of these are decoded by requests (``unquote_unreserved``).
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _sent_as_written(url: str) -> bool:
    """Whether requests would send ``url`` unchanged: most cited URLs, spared its parse
    (~30 µs each). Anything unusual is left to requests."""
    if _SENT_AS_WRITTEN.fullmatch(url) is None or _DOT_SEGMENT.search(url):
        return False
    start = url.index("//") + 2
    port, slash = url.find(":", start), url.index("/", start)
    if 0 <= port < slash and int(url[port + 1 : slash]) > 65535:
        return False
    return "%" not in url or not any(
        chr(int(m.group(1), 16)) in _UNRESERVED for m in _ESCAPE.finditer(url)
    )


def _prepared_url(url: str) -> str:
    """The URL exactly as requests would send it (IDNA host, percent-encoding)."""
    if _sent_as_written(url):
        return url
    prepared = PreparedRequest()
    prepared.prepare_url(url, None)
    assert prepared.url is not None
    return prepared.url


def _headers(raw: Any) -> CaseInsensitiveDict:
    """The answer's headers as ``Transport`` gives them: repeated ones joined by ", "."""
    joined: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for name, value in raw.items():
        key = name.lower()
        names.setdefault(key, name)
        joined.setdefault(key, []).append(value)
    return CaseInsensitiveDict({names[k]: ", ".join(v) for k, v in joined.items()})


class _Decoder:
    """gzip or deflate undone with a bound on the output of each step, as urllib3 does for
    the Transport: a bomb costs at most the body cap."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._first = True
        self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS)

    def decode(self, data: bytes, room: int) -> tuple[bytes, bytes]:
        """(output of at most ``room`` bytes, input left over for the next call)."""
        try:
            out = self._obj.decompress(data, room)
        except zlib.error:
            if self._gzip or not self._first:
                raise
            # "deflate" without the zlib header: raw deflate, as browsers accept it.
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._obj.decompress(data, room)
        self._first = False
        rest = self._obj.unconsumed_tail
        if self._gzip and self._obj.eof and self._obj.unused_data:
            # Another gzip member follows.
            rest = self._obj.unused_data
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return out, rest


def _decoder(resp: aiohttp.ClientResponse) -> _Decoder | None:
    encoding = resp.headers.get("Content-Encoding", "").strip().lower()
    return _Decoder(encoding) if encoding in ("gzip", "x-gzip", "deflate") else None


class AsyncTransport:
    """``Transport.request``, awaited, on one event loop (see the module docstring).
    Created and used on one loop; ``close`` it on that loop."""

    def __init__(
        self,
        *,
        policy: NetworkPolicy | None = None,
        user_agent: str,
        timeout: float = DEFAULT_TIMEOUT,
        max_body: int = DEFAULT_MAX_BODY,
        per_host: int = DEFAULT_PER_HOST,
        ca_bundle: str | None = None,
        gate: HostGate | None = None,
    ) -> None:
        self.policy = policy or NetworkPolicy()
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_body = max_body
        self.per_host = per_host
        self._ca_bundle = ca_bundle
        self._slots = HostSlots(per_host, gate)
        self._session: aiohttp.ClientSession | None = None
        self._active: set[asyncio.Task[Any]] = set()
        self._cancelled = False

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            # requests' trust: the CA file given, else certifi's bundle (not the system's).
            context = ssl.create_default_context(cafile=self._ca_bundle or certifi.where())
            connector = _PolicyConnector(
                self.policy, limit=0, limit_per_host=0, ssl=context, use_dns_cache=False
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                # No proxies or .netrc from the environment: a proxy would be connected to
                # instead of the checked address.
                trust_env=False,
                auto_decompress=False,
                # Cookies on IP-address hosts too, as requests keeps them.
                cookie_jar=aiohttp.CookieJar(unsafe=True),
                headers={
                    "User-Agent": self.user_agent,
                    "Accept-Encoding": ACCEPT_ENCODING,
                    "Accept": ACCEPT,
                },
                timeout=aiohttp.ClientTimeout(total=None),
                max_line_size=MAX_LINE,
                max_field_size=MAX_LINE,
                max_headers=MAX_HEADERS,
            )
        return self._session

    def cancel(self) -> None:
        """Cut every request in flight and refuse new ones: the run is stopping. Call on
        the transport's loop (``loop.call_soon_threadsafe(transport.cancel)`` from others)."""
        self._cancelled = True
        for task in list(self._active):
            task.cancel()

    async def request(
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
        try:
            target = URL(_prepared_url(url), encoded=True)
        except Exception as exc:  # requests' own words for a URL it cannot send
            raise UnsafeURL(f"not a valid URL: {url!r}") from exc
        limit = self.max_body if max_body is None else max_body
        budget = self.timeout if timeout is None else timeout
        if self._cancelled:
            raise Cancelled(f"not sent, the run is stopping: {url}")
        task = asyncio.current_task()
        assert task is not None
        self._active.add(task)
        try:
            await self._slots.acquire(host)
            try:
                # The clock starts once this host's slot is ours: waiting behind other
                # requests to the same host is politeness, not the server's slowness.
                start = time.monotonic()
                try:
                    async with asyncio.timeout(budget):
                        return await self._send(method, target, url, headers, data, limit, start)
                except TimeoutError:
                    failed: FetchError = DeadlineExceeded(
                        f"no complete answer within {budget:g} s: {url}"
                    )
                except FetchError as exc:
                    failed = exc
                except asyncio.CancelledError:
                    if not self._cancelled:
                        raise  # cancelled by someone else: not ours to swallow
                    failed = Cancelled(f"cut short, the run is stopping: {url}")
                # As the Transport: what the request took once its host's slot was held.
                failed.elapsed = time.monotonic() - start
                raise failed from None
            finally:
                # Not an async context manager: its generator cost ~2 % of a request.
                self._slots.release(host)
        except asyncio.CancelledError:
            if not self._cancelled:
                raise
            raise Cancelled(f"not sent, the run is stopping: {url}") from None
        finally:
            self._active.discard(task)

    async def _send(
        self,
        method: str,
        target: URL,
        url: str,
        headers: Mapping[str, str] | None,
        data: bytes | str | None,
        limit: int,
        start: float,
    ) -> HttpResponse:
        session = self._open()
        peer: list[str] = []
        _PEER.set(peer)
        try:
            async with session.request(
                method,
                target,
                headers=headers,
                data=data,
                allow_redirects=False,
                # As requests: a body goes without a Content-Type the caller did not give
                # (aiohttp would add one). Per request, as only a request with a body needs
                # it: a session-wide skip costs every request a sorted copy of the list.
                skip_auto_headers=_NO_CONTENT_TYPE if data is not None else None,
            ) as resp:
                body, truncated = await self._read(resp, limit)
                if truncated:
                    resp.close()  # drop the rest with the connection, do not drain it
                return HttpResponse(
                    url=url,
                    status=resp.status,
                    reason=resp.reason or "",
                    headers=_headers(resp.headers),
                    body=body,
                    truncated=truncated,
                    elapsed=time.monotonic() - start,
                    peer=peer[-1] if peer else None,
                )
        except FetchError:
            raise
        except (aiohttp.ClientError, OSError, ValueError, zlib.error) as exc:
            raise _translate(exc, url) from None

    @staticmethod
    async def _read(resp: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
        decoder = _decoder(resp)
        body = bytearray()
        async for chunk in resp.content.iter_any():
            if decoder is None:
                body += chunk
            else:
                rest = chunk
                while rest and len(body) <= limit:
                    # Never more than one byte past the cap: a bomb stops here.
                    out, rest = decoder.decode(rest, limit + 1 - len(body))
                    body += out
            if len(body) > limit:
                del body[limit:]
                return bytes(body), True
        return bytes(body), False

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _translate(exc: BaseException, url: str) -> FetchError:
    """The FetchError for what aiohttp (or the socket layer) raised while fetching ``url``."""
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError,
                        ssl.SSLError)):
        return TLSFailure(f"TLS failure with {url}: {exc}")
    if isinstance(exc, aiohttp.InvalidURL):
        return UnsafeURL(f"not a valid URL: {url!r}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        os_error = exc.os_error
        if isinstance(os_error, ssl.SSLError):
            return TLSFailure(f"TLS failure with {url}: {exc}")
        if isinstance(os_error, ConnectionRefusedError):
            return ConnectionRefused(f"{exc.host} refused the connection")
        return ConnectFailed(f"could not connect to {exc.host}: {os_error.strerror or os_error}")
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError,
                        ConnectionError, aiohttp.ClientOSError)):
        return ConnectionReset(f"the connection broke: {url}")
    if isinstance(exc, zlib.error):
        return MalformedResponse(f"not a valid HTTP answer from {url}: {exc}")
    if isinstance(exc, aiohttp.ClientResponseError):
        return MalformedResponse(f"not a valid HTTP answer from {url}: {exc.message}")
    return MalformedResponse(f"request to {url} failed: {exc}")
