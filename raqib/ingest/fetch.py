"""Polite, bounded, SSRF-guarded HTTP fetching.

Everything Raqib downloads goes through :class:`Fetcher`. It exists because a news
monitor fetches URLs that come from untrusted places (feeds, redirects, user lists),
so each request must be unable to reach the machine's own network, must not hang,
and must not be able to fill memory.

How the address guard works (the part that is easy to get wrong):

* A URL is *vetted* before every request and after every redirect: only ``http`` and
  ``https``; the host is resolved with the injectable ``resolver`` and **every**
  resolved address must be public (:func:`is_forbidden_address`). One private address
  among public ones is enough to refuse, because the OS may pick any of them.
* Checking a name and then letting the HTTP library resolve it again would leave a
  gap (DNS rebinding: the second answer can differ). So the default transport,
  :class:`GuardedTransport`, drives httpcore with a network backend whose
  ``connect_tcp`` resolves the name itself, vets all answers and opens the socket to
  one of the vetted IP addresses. The URL keeps its host name, so the ``Host`` header,
  TLS SNI and certificate checks still use the name: only the socket address is pinned.
* ``allow_private=True`` (CLI ``--allow-private``) turns the address check off, for
  intranet sources and for tests against a loopback server. The scheme check stays.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpcore
import httpx

from raqib.ingest.robots import RobotsAnswer, RobotsCache
from raqib.settings import Settings, load_settings

#: ``resolver(host, port)`` returns ``socket.getaddrinfo``-shaped tuples; item[4][0] is the IP.
Resolver = Callable[[str, int], Sequence[tuple[Any, ...]]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: A trickling server can keep every single read under the timeout forever, so the
#: whole response also gets a wall-clock budget of this many timeouts.
TOTAL_TIME_FACTOR = 3
#: RFC 9309 asks crawlers to follow at least five redirects for robots.txt.
ROBOTS_MAX_REDIRECTS = 5
#: RFC 9309 asks crawlers to parse at least the first 500 KiB of robots.txt.
ROBOTS_MAX_BYTES = 500 * 1024
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)


class FetchError(Exception):
    """A fetch failed; ``str(e)`` is a one-line reason fit for a report."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


class BlockedAddress(FetchError):
    """The target resolves to an address we refuse to connect to (SSRF guard)."""


class UnsupportedScheme(FetchError):
    """The URL is not http(s), or is not a URL at all."""


class RobotsDisallowed(FetchError):
    """robots.txt of the site forbids our user agent to fetch the URL."""


class TooManyRedirects(FetchError):
    """The redirect chain is longer than ``max_redirects``."""


class ResponseTooLarge(FetchError):
    """The body is larger than ``max_bytes``; reading stopped at the cap."""


class FetchTimeout(FetchError):
    """Connecting or reading took longer than the timeout."""


class HTTPStatusError(FetchError):
    """The final response has a non-2xx status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    content: bytes

    @property
    def content_type(self) -> str | None:
        """The raw Content-Type header value, parameters included."""
        return self.headers.get("content-type")


# --- the address guard -------------------------------------------------------------

_CATEGORIES = (
    ("is_unspecified", "unspecified"),
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_reserved", "reserved"),
    ("is_private", "private"),
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_forbidden_address(ip: str) -> str | None:
    """Why we refuse to connect to ``ip`` (e.g. "private address 10.0.0.1"), or None.

    IPv6 forms that carry an IPv4 address (mapped ``::ffff:a.b.c.d``, NAT64, 6to4,
    Teredo) are judged by the IPv4 address too, since that is where packets end up.
    """
    try:
        addr = ipaddress.ip_address(ip.strip("[]").split("%", 1)[0])
    except ValueError:
        return f"not an IP address: {ip!r}"
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:  # the socket talks IPv4 to the mapped address
            reason = is_forbidden_address(str(addr.ipv4_mapped))
            return f"IPv4-mapped {reason} ({addr})" if reason else None
        embedded = _embedded_ipv4(addr)
        if embedded is not None and (reason := is_forbidden_address(str(embedded))):
            return f"{reason} embedded in IPv6 address {addr}"
    for attribute, label in _CATEGORIES:
        if getattr(addr, attribute):
            return f"{label} address {addr}"
    if not addr.is_global:  # e.g. 100.64.0.0/10 (carrier-grade NAT) is neither private nor public
        return f"non-public address {addr}"
    return None


def _embedded_ipv4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address hidden in a NAT64, 6to4 or Teredo IPv6 address, if any."""
    if addr in _NAT64:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]
    return None


def system_resolver(host: str, port: int) -> Sequence[tuple[Any, ...]]:
    """The default resolver: the operating system's getaddrinfo, TCP answers only."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def vetted_addresses(host: str, port: int, *, resolver: Resolver, allow_private: bool) -> list[str]:
    """Resolve ``host`` and return its addresses, refusing if any of them is forbidden."""
    literal = _is_ip_literal(host)
    addresses = [host.strip("[]")] if literal else _resolve(host, port, resolver)
    if allow_private:
        return addresses
    for address in addresses:
        if reason := is_forbidden_address(address):
            where = "" if literal else f"{host}: it resolves to "
            raise BlockedAddress(f"refusing to connect to {where}{reason}")
    return addresses


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def _resolve(host: str, port: int, resolver: Resolver) -> list[str]:
    try:
        answers = resolver(host, port)
    except (OSError, UnicodeError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise FetchError(f"cannot resolve host {host}: {detail}") from exc
    addresses = list(dict.fromkeys(str(answer[4][0]) for answer in answers))
    if not addresses:
        raise FetchError(f"cannot resolve host {host}: no addresses")
    return addresses


def parse_http_url(url: str) -> httpx.URL:
    """Parse ``url`` and insist on http(s) with a host; raise UnsupportedScheme otherwise."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise UnsupportedScheme(f"not a valid URL: {url!r} ({exc})") from exc
    if parsed.scheme not in ALLOWED_SCHEMES:
        shown = parsed.scheme or "none"
        raise UnsupportedScheme(f"unsupported URL scheme {shown!r} in {url} (only http and https)")
    if not parsed.host:
        raise UnsupportedScheme(f"URL has no host: {url}")
    return parsed


def _port_of(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


# --- the pinned transport ----------------------------------------------------------


class _VettingBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to vetted addresses of the requested host.

    httpcore passes the URL's host name here and later uses the same name for TLS
    SNI and certificate checks, so pinning the socket address is all that changes.
    """

    def __init__(self, resolver: Resolver, allow_private: bool, inner: httpcore.NetworkBackend):
        self._resolver = resolver
        self._allow_private = allow_private
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = vetted_addresses(
            host, port, resolver=self._resolver, allow_private=self._allow_private
        )
        failure: httpcore.ConnectError | None = None
        for address in addresses:  # like a browser: try the next address if one refuses
            try:
                return self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None  # vetted_addresses never returns an empty list
        raise failure

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise BlockedAddress("refusing to connect to a unix socket")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


# httpcore errors become the httpx errors every httpx transport raises, so the Fetcher
# handles an injected transport and this one alike. Order matters: subclasses first.
_ERROR_MAP: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.NetworkError, httpx.NetworkError),
)


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except httpcore.ConnectionNotAvailable as exc:
        raise httpx.TransportError(str(exc)) from exc
    except Exception as exc:
        for core_type, httpx_type in _ERROR_MAP:
            if isinstance(exc, core_type):
                raise httpx_type(str(exc) or type(exc).__name__) from exc
        raise


class _CoreResponseStream(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport whose connections go only to vetted IP addresses.

    ``network_backend`` is the backend that really opens sockets after vetting
    (httpcore's SyncBackend by default); tests pass one that records the vetted
    address and connects to their loopback server instead. ``ssl_context`` defaults
    to httpx's (certifi roots, hostname checking on).
    """

    def __init__(
        self,
        *,
        resolver: Resolver | None = None,
        allow_private: bool = False,
        network_backend: httpcore.NetworkBackend | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        backend = _VettingBackend(
            resolver or system_resolver, allow_private, network_backend or httpcore.SyncBackend()
        )
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            network_backend=backend,
            max_connections=10,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]  # httpx streams iterate bytes
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            core_response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_CoreResponseStream(core_response),
            extensions=core_response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


# --- the fetcher -------------------------------------------------------------------


class Fetcher:
    """Fetch URLs politely and safely; one instance per run (it keeps connections,
    robots.txt answers and per-host timing)."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 20,
        max_bytes: int = 20 * 2**20,
        delay: float = 1.0,
        allow_private: bool = False,
        max_redirects: int = 2,
        resolver: Resolver | None = None,
        transport: httpx.BaseTransport | None = None,
        respect_robots: bool = True,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.delay = delay
        self.allow_private = allow_private
        self.max_redirects = max_redirects
        self.respect_robots = respect_robots
        self._resolver = resolver or system_resolver
        transport = transport or GuardedTransport(
            resolver=self._resolver, allow_private=allow_private
        )
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # we follow by hand so every hop is vetted
            trust_env=False,  # no proxies or .netrc picked up from the environment
            headers={
                "User-Agent": user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": "gzip, deflate",
            },
        )
        self._robots = RobotsCache(self._download_robots)
        self._last_request: dict[str, float] = {}

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> Fetcher:
        """A fetcher configured from RAQIB_* settings; keyword arguments override them."""
        settings = settings or load_settings()
        options: dict[str, Any] = {
            "user_agent": settings.user_agent,
            "timeout": settings.fetch_timeout,
            "max_bytes": settings.fetch_max_bytes,
            "delay": settings.fetch_delay,
        }
        options.update(overrides)
        return cls(**options)

    def fetch(self, url: str) -> FetchResult:
        """GET ``url`` following up to ``max_redirects`` vetted redirects.

        Raises a :class:`FetchError` subclass with a one-line reason on any failure.
        """
        current = url
        for hop in range(self.max_redirects + 1):
            target = self._vet(current, redirected=hop > 0)
            if self.respect_robots:
                self._check_robots(target)
            with self._open(target) as response:
                location = _redirect_location(response)
                if location is None:
                    return self._result(url, target, response)
            current = urljoin(str(target), location)
        raise TooManyRedirects(
            f"too many redirects (more than {self.max_redirects}) starting at {url}"
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- steps ---------------------------------------------------------------------

    def _vet(self, url: str, *, redirected: bool = False) -> httpx.URL:
        """Scheme and address checks for one hop; redirect targets say so in the message."""
        try:
            parsed = parse_http_url(url)
            vetted_addresses(
                parsed.raw_host.decode("ascii"),
                _port_of(parsed),
                resolver=self._resolver,
                allow_private=self.allow_private,
            )
        except FetchError as exc:
            if redirected:
                raise type(exc)(f"redirect refused: {exc}") from exc
            raise
        return parsed

    def _check_robots(self, target: httpx.URL) -> None:
        policy = self._robots.policy(str(target))
        if not policy.allows(str(target), self.user_agent):
            if policy.reason:  # RFC 9309: no usable answer means stay away from the site
                raise RobotsDisallowed(f"{policy.reason}, so not fetching {target}")
            raise RobotsDisallowed(f"robots.txt disallows fetching {target}")

    @contextmanager
    def _open(self, url: httpx.URL) -> Iterator[httpx.Response]:
        """Send a GET and yield the streaming response, mapping httpx errors to ours."""
        self._wait_turn(url.host)
        try:
            response = self._client.send(self._client.build_request("GET", url), stream=True)
            try:
                yield response
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"timed out after {self.timeout:g} s fetching {url}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            detail = str(exc) or type(exc).__name__
            raise FetchError(f"network error fetching {url}: {detail}") from exc

    def _result(self, url: str, target: httpx.URL, response: httpx.Response) -> FetchResult:
        if not 200 <= response.status_code < 300:
            raise HTTPStatusError(
                response.status_code,
                f"HTTP {response.status_code} {response.reason_phrase} for {target}",
            )
        content = self._read_body(response, self.max_bytes, str(target))
        return FetchResult(
            url=url,
            final_url=str(target),
            status=response.status_code,
            headers={name.lower(): value for name, value in response.headers.items()},
            content=content,
        )

    def _read_body(
        self, response: httpx.Response, cap: int, where: str, *, truncate: bool = False
    ) -> bytes:
        """Stream the body, stopping as soon as ``cap`` is passed (never read, then check).

        The cap counts decoded bytes. One network chunk (64 KiB) is decompressed at a
        time, so a gzip bomb costs at most about a thousand times that before we stop.

        With ``truncate`` the first ``cap`` bytes are returned instead of raising.
        """
        declared = response.headers.get("content-length", "")
        if not truncate and declared.isdigit() and int(declared) > cap:
            raise ResponseTooLarge(
                f"response too large: Content-Length {declared} exceeds {cap} bytes at {where}"
            )
        deadline = time.monotonic() + self.timeout * TOTAL_TIME_FACTOR
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                if truncate:
                    return b"".join(chunks)[:cap]
                raise ResponseTooLarge(f"response too large: more than {cap} bytes at {where}")
            if time.monotonic() > deadline:
                raise FetchTimeout(
                    f"timed out: body still arriving after "
                    f"{self.timeout * TOTAL_TIME_FACTOR:g} s at {where}"
                )
        return b"".join(chunks)

    def _wait_turn(self, host: str) -> None:
        """Sleep so that requests to one host are at least ``delay`` seconds apart."""
        key = host.lower()
        last = self._last_request.get(key)
        if last is not None and self.delay > 0:
            pause = last + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last_request[key] = time.monotonic()

    def _download_robots(self, robots_url: str) -> RobotsAnswer:
        """Fetch robots.txt for RobotsCache, through the same guard; never raises.

        Redirects are followed (and vetted) up to RFC 9309's five; after that the file
        counts as unavailable, which RFC 9309 treats like a 4xx.
        """
        current = robots_url
        try:
            for _ in range(ROBOTS_MAX_REDIRECTS + 1):
                target = self._vet(current)
                with self._open(target) as response:
                    location = _redirect_location(response)
                    if location is None:
                        return self._robots_answer(response, target)
                current = urljoin(str(target), location)
        except FetchError as exc:
            return RobotsAnswer(status=None, error=str(exc))
        return RobotsAnswer(status=404)

    def _robots_answer(self, response: httpx.Response, target: httpx.URL) -> RobotsAnswer:
        if not 200 <= response.status_code < 300:
            return RobotsAnswer(status=response.status_code)
        body = self._read_body(response, ROBOTS_MAX_BYTES, str(target), truncate=True)
        return RobotsAnswer(status=response.status_code, body=body)


def _redirect_location(response: httpx.Response) -> str | None:
    if response.status_code in REDIRECT_STATUSES:
        return response.headers.get("location") or None
    return None


__all__ = [
    "BlockedAddress",
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "Fetcher",
    "GuardedTransport",
    "HTTPStatusError",
    "ResponseTooLarge",
    "RobotsDisallowed",
    "TooManyRedirects",
    "UnsupportedScheme",
    "is_forbidden_address",
]
