"""The fetcher against a real loopback HTTP server, and its SSRF guard.

Only 127.0.0.1 is ever contacted: the conftest guard fails a test that so much as
tries another address or a DNS lookup. Public-looking hosts are made up (``*.test``)
and resolved by an injected resolver; a recording network backend then proves which
vetted address the connection was pinned to before it is sent to the loopback server.
"""

from __future__ import annotations

import ipaddress
import itertools
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpcore
import pytest
from hypothesis import given
from hypothesis import strategies as st

from raqib.ingest.fetch import (
    BlockedAddress,
    Fetcher,
    FetchError,
    FetchTimeout,
    GuardedTransport,
    HTTPStatusError,
    ResponseTooLarge,
    RobotsDisallowed,
    TooManyRedirects,
    UnsupportedScheme,
    is_forbidden_address,
)

TLS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "tls"
UA = "raqib-test/1.0 (+https://example.invalid/bot; tests)"
PAGE = "<html><head><title>خبر</title></head><body><p>شحنة أسلحة</p></body></html>"
PUBLIC_IP = "93.184.216.34"  # a globally routed address; never actually contacted


def make_fetcher(**options: Any) -> Fetcher:
    settings: dict[str, Any] = {"user_agent": UA, "delay": 0, "allow_private": True}
    settings.update(options)
    return Fetcher(**settings)


# --- the address guard's decision --------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "word"),
    [
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("127.0.0.1", "loopback"),
        ("127.5.6.7", "loopback"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("::ffff:10.0.0.1", "IPv4-mapped"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("fc00::1", "private"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT, RFC 6598
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", ""),
        ("2002:a00:1::1", "10.0.0.1"),  # 6to4 wrapping 10.0.0.1
        ("64:ff9b::a00:1", "10.0.0.1"),  # NAT64 wrapping 10.0.0.1
        ("[::1]", "loopback"),
    ],
)
def test_forbidden_addresses_are_refused_with_a_reason(ip: str, word: str) -> None:
    reason = is_forbidden_address(ip)
    assert reason is not None
    assert word in reason


@pytest.mark.parametrize(
    "ip", ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_allowed(ip: str) -> None:
    assert is_forbidden_address(ip) is None


def test_a_host_name_is_not_an_address() -> None:
    assert "not an IP address" in (is_forbidden_address("example.org") or "")


@given(st.integers(min_value=0, max_value=2**24 - 1))
def test_every_address_in_10_slash_8_is_forbidden(low_bits: int) -> None:
    ip = ipaddress.IPv4Address((10 << 24) | low_bits)  # RFC 1918 private block
    assert is_forbidden_address(str(ip)) is not None
    assert is_forbidden_address(f"::ffff:{ip}") is not None


@given(st.integers(min_value=0, max_value=2**16 - 1))
def test_every_address_in_169_254_slash_16_is_forbidden(low_bits: int) -> None:
    ip = ipaddress.IPv4Address((169 << 24) | (254 << 16) | low_bits)  # RFC 3927 link-local
    assert "link-local" in (is_forbidden_address(str(ip)) or "")


# --- plain fetching ----------------------------------------------------------------


def test_fetches_a_page_with_headers_and_user_agent(loopback) -> None:
    loopback.add(
        "/article.html",
        PAGE,
        content_type="text/html; charset=UTF-8",
        headers={"X-Custom-Header": "yes"},
    )
    with make_fetcher() as fetcher:
        result = fetcher.fetch(loopback.url("/article.html"))
    assert result.content == PAGE.encode("utf-8")
    assert result.status == 200
    assert result.url == result.final_url == loopback.url("/article.html")
    assert result.content_type == "text/html; charset=UTF-8"
    assert result.headers["x-custom-header"] == "yes"
    assert all(name == name.lower() for name in result.headers)
    page_hit = loopback.hits[-1]
    assert page_hit.path == "/article.html"
    assert page_hit.headers["User-Agent"] == UA


def test_http_error_status_is_reported(loopback) -> None:
    with make_fetcher() as fetcher, pytest.raises(HTTPStatusError) as caught:
        fetcher.fetch(loopback.url("/missing.html"))
    assert caught.value.status == 404
    assert "HTTP 404" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/file", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/"]
)
def test_other_schemes_are_refused_even_with_allow_private(loopback, url: str) -> None:
    with make_fetcher(allow_private=True) as fetcher, pytest.raises(UnsupportedScheme):
        fetcher.fetch(url)
    assert loopback.hits == []


def test_garbage_url_is_a_fetch_error() -> None:
    with make_fetcher() as fetcher, pytest.raises(FetchError):
        fetcher.fetch("http://")


# --- redirects ---------------------------------------------------------------------


def test_one_and_two_redirects_are_followed(loopback) -> None:
    loopback.add("/final.html", PAGE)
    loopback.redirect("/one", "/final.html")
    loopback.redirect("/two", loopback.url("/one"), status=301)
    with make_fetcher() as fetcher:
        once = fetcher.fetch(loopback.url("/one"))
        twice = fetcher.fetch(loopback.url("/two"))
    assert once.final_url == twice.final_url == loopback.url("/final.html")
    assert twice.url == loopback.url("/two")
    assert twice.content == PAGE.encode()


def test_a_third_redirect_is_refused_without_following_it(loopback) -> None:
    loopback.add("/final.html", PAGE)
    loopback.redirect("/r1", "/r2")
    loopback.redirect("/r2", "/r3")
    loopback.redirect("/r3", "/final.html")
    with make_fetcher() as fetcher, pytest.raises(TooManyRedirects) as caught:
        fetcher.fetch(loopback.url("/r1"))
    assert "more than 2" in str(caught.value)
    assert "/final.html" not in loopback.paths()


def test_redirect_to_a_file_url_is_refused(loopback) -> None:
    loopback.redirect("/sneaky", "file:///etc/passwd")
    with make_fetcher() as fetcher, pytest.raises(UnsupportedScheme) as caught:
        fetcher.fetch(loopback.url("/sneaky"))
    assert "redirect refused" in str(caught.value)


# --- the size cap ------------------------------------------------------------------


def test_body_at_the_cap_passes_and_one_byte_more_fails(loopback) -> None:
    loopback.add("/exact", b"a" * 1000, content_type="text/plain")
    loopback.add("/over", b"a" * 1001, content_type="text/plain")
    with make_fetcher(max_bytes=1000) as fetcher:
        assert len(fetcher.fetch(loopback.url("/exact")).content) == 1000
        with pytest.raises(ResponseTooLarge):
            fetcher.fetch(loopback.url("/over"))


def test_declared_length_over_the_cap_fails_before_reading(loopback) -> None:
    def liar(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(10**12))
        handler.end_headers()
        handler.wfile.write(b"tiny")

    loopback.routes["/huge"] = liar
    with make_fetcher(max_bytes=10_000) as fetcher, pytest.raises(ResponseTooLarge) as caught:
        fetcher.fetch(loopback.url("/huge"))
    assert "Content-Length" in str(caught.value)


def test_endless_body_is_cut_off_early(loopback) -> None:
    willing = 2 * 2**30  # the server would send 2 GiB if nobody stopped it
    sent = {"bytes": 0}
    finished = threading.Event()

    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()  # no Content-Length: the body ends when the connection does
        chunk = b"<p>" + b"x" * (64 * 1024 - 3)
        try:
            while sent["bytes"] < willing and not loopback.stopping.is_set():
                handler.wfile.write(chunk)
                sent["bytes"] += len(chunk)
        except OSError:
            pass  # the client hung up, as it should
        finally:
            finished.set()

    loopback.routes["/endless"] = endless
    started = time.monotonic()
    with make_fetcher(max_bytes=2**20) as fetcher, pytest.raises(ResponseTooLarge):
        fetcher.fetch(loopback.url("/endless"))
    assert finished.wait(10), "server still sending after the fetch gave up"
    assert time.monotonic() - started < 10
    # 1 MiB cap; socket buffers on loopback hold a few MiB more at most.
    assert sent["bytes"] < 64 * 2**20


# --- timeouts ----------------------------------------------------------------------


def test_a_server_that_never_answers_times_out(loopback) -> None:
    loopback.routes["/slow"] = lambda handler: loopback.stopping.wait(30)
    started = time.monotonic()
    with make_fetcher(timeout=0.3) as fetcher, pytest.raises(FetchTimeout) as caught:
        fetcher.fetch(loopback.url("/slow"))
    assert time.monotonic() - started < 3
    assert "timed out" in str(caught.value)


def test_a_trickling_body_hits_the_overall_deadline(loopback) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.end_headers()
        try:  # each byte arrives well within the read timeout, forever
            while not loopback.stopping.wait(0.05):
                handler.wfile.write(b".")
        except OSError:
            pass

    loopback.routes["/trickle"] = trickle
    started = time.monotonic()
    with make_fetcher(timeout=0.3) as fetcher, pytest.raises(FetchTimeout):
        fetcher.fetch(loopback.url("/trickle"))
    assert time.monotonic() - started < 3


def test_connection_refused_is_a_fetch_error(loopback) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    free_port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    with make_fetcher(respect_robots=False) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(f"http://127.0.0.1:{free_port}/")
    assert "network error" in str(caught.value)
    # With robots on, the unreachable robots.txt is what stops us, and the message says so.
    with make_fetcher() as fetcher, pytest.raises(RobotsDisallowed) as caught_robots:
        fetcher.fetch(f"http://127.0.0.1:{free_port}/")
    assert "robots.txt unreachable (network error" in str(caught_robots.value)


# --- robots.txt --------------------------------------------------------------------


def test_missing_robots_txt_allows_and_is_asked_once_per_site(loopback) -> None:
    loopback.add("/a.html", PAGE)
    loopback.add("/b.html", PAGE)
    with make_fetcher() as fetcher:
        fetcher.fetch(loopback.url("/a.html"))
        fetcher.fetch(loopback.url("/b.html"))
    assert loopback.paths() == ["/robots.txt", "/a.html", "/b.html"]


def test_robots_server_error_disallows_everything(loopback) -> None:
    loopback.add("/robots.txt", "oops", status=500, content_type="text/plain")
    loopback.add("/a.html", PAGE)
    with make_fetcher() as fetcher, pytest.raises(RobotsDisallowed) as caught:
        fetcher.fetch(loopback.url("/a.html"))
    assert "HTTP 500" in str(caught.value)
    assert "/a.html" not in loopback.paths()


def test_unreachable_robots_disallows_everything(loopback) -> None:
    loopback.routes["/robots.txt"] = lambda handler: None  # hang up without an answer
    loopback.add("/a.html", PAGE)
    with make_fetcher() as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.fetch(loopback.url("/a.html"))
    assert "/a.html" not in loopback.paths()


def test_robots_forbidden_status_counts_as_unavailable(loopback) -> None:
    loopback.add("/robots.txt", "no", status=403, content_type="text/plain")
    loopback.add("/a.html", PAGE)
    with make_fetcher() as fetcher:
        assert fetcher.fetch(loopback.url("/a.html")).status == 200  # RFC 9309: 4xx = allowed


def test_robots_rules_are_obeyed(loopback) -> None:
    loopback.add(
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n",
        content_type="text/plain",
    )
    loopback.add("/private/report.html", PAGE)
    loopback.add("/public.html", PAGE)
    with make_fetcher() as fetcher:
        assert fetcher.fetch(loopback.url("/public.html")).status == 200
        with pytest.raises(RobotsDisallowed):
            fetcher.fetch(loopback.url("/private/report.html"))
    assert "/private/report.html" not in loopback.paths()


def test_robots_group_for_our_agent_wins_over_star(loopback) -> None:
    loopback.add(
        "/robots.txt",
        "User-agent: *\nAllow: /\n\nUser-agent: raqib-test\nDisallow: /\n",
        content_type="text/plain",
    )
    loopback.add("/a.html", PAGE)
    with make_fetcher() as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.fetch(loopback.url("/a.html"))


def test_robots_longest_match_wins_regardless_of_order(loopback) -> None:
    # RFC 9309 2.2.2: the most specific (longest) rule applies, whatever the order.
    loopback.add(
        "/robots.txt",
        "User-agent: *\nDisallow: /news/\nAllow: /news/public/\n",
        content_type="text/plain",
    )
    loopback.add("/news/public/a.html", PAGE)
    loopback.add("/news/secret.html", PAGE)
    with make_fetcher() as fetcher:
        assert fetcher.fetch(loopback.url("/news/public/a.html")).status == 200
        with pytest.raises(RobotsDisallowed):
            fetcher.fetch(loopback.url("/news/secret.html"))


def test_respect_robots_false_skips_robots(loopback) -> None:
    loopback.add("/robots.txt", "oops", status=500, content_type="text/plain")
    loopback.add("/a.html", PAGE)
    with make_fetcher(respect_robots=False) as fetcher:
        assert fetcher.fetch(loopback.url("/a.html")).status == 200
    assert loopback.paths() == ["/a.html"]


# --- politeness --------------------------------------------------------------------


def test_requests_to_one_host_are_spaced_by_the_delay(loopback) -> None:
    loopback.add("/a.html", PAGE)
    loopback.add("/b.html", PAGE)
    with make_fetcher(delay=0.3) as fetcher:
        fetcher.fetch(loopback.url("/a.html"))
        fetcher.fetch(loopback.url("/b.html"))
    times = [hit.at for hit in loopback.hits]  # robots.txt, a, b
    assert len(times) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert all(gap >= 0.2 for gap in gaps), gaps  # without the delay: milliseconds


def test_settings_configure_the_fetcher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAQIB_USER_AGENT", "custom-agent/2")
    monkeypatch.setenv("RAQIB_FETCH_TIMEOUT", "7.5")
    monkeypatch.setenv("RAQIB_FETCH_MAX_BYTES", "12345")
    monkeypatch.setenv("RAQIB_FETCH_DELAY", "0")
    with Fetcher.from_settings(allow_private=True) as fetcher:
        assert (fetcher.user_agent, fetcher.timeout, fetcher.max_bytes, fetcher.delay) == (
            "custom-agent/2",
            7.5,
            12345,
            0.0,
        )
        assert fetcher.allow_private is True


# --- SSRF guard end to end (made-up names, injected resolver) ----------------------


FAKE_DNS: dict[str, list[str]] = {
    "news.test": [PUBLIC_IP],
    "internal.test": ["10.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "mixed.test": [PUBLIC_IP, "10.0.0.1"],
    "other.test": [PUBLIC_IP],
}


def fake_resolver(host: str, port: int) -> Sequence[tuple[Any, ...]]:
    """getaddrinfo-shaped answers from FAKE_DNS; unknown names do not exist."""
    if host not in FAKE_DNS:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [
        (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
        for ip in FAKE_DNS[host]
    ]


class PinnedToLoopback(httpcore.NetworkBackend):
    """The test's connect hook: it sees the address the guard vetted, fails the test for
    anything but the one public test address, and carries that connection to the loopback
    server (the only place a test may talk to)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.vetted: list[str] = []
        self._real = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        self.vetted.append(host)
        if host != PUBLIC_IP:
            pytest.fail(f"a connection to {host} was attempted")
        return self._real.connect_tcp("127.0.0.1", self.port, timeout=timeout)

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        pytest.fail("unix socket connection attempted")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def guarded_fetcher(
    backend: PinnedToLoopback, resolver: Callable[..., Any] = fake_resolver, **options: Any
) -> Fetcher:
    transport = GuardedTransport(resolver=resolver, allow_private=False, network_backend=backend)
    return make_fetcher(allow_private=False, resolver=resolver, transport=transport, **options)


def test_public_name_is_fetched_through_its_vetted_address(loopback) -> None:
    loopback.add("/story.html", PAGE)
    backend = PinnedToLoopback(loopback.port)
    with guarded_fetcher(backend) as fetcher:
        result = fetcher.fetch("http://news.test/story.html")
    assert result.content == PAGE.encode()
    assert backend.vetted and set(backend.vetted) == {PUBLIC_IP}
    assert loopback.hits[-1].headers["Host"] == "news.test"  # name kept, only the socket pinned


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("http://internal.test/secret", "10.0.0.1"),
        ("http://metadata.test/latest/meta-data/", "169.254.169.254"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::ffff:10.0.0.1]/secret", "10.0.0.1"),
        ("http://127.0.0.1/secret", "127.0.0.1"),
        ("http://0.0.0.0/secret", "0.0.0.0"),
    ],
)
def test_redirect_to_a_forbidden_address_is_refused_before_connecting(
    loopback, location: str, shown: str
) -> None:
    loopback.redirect("/go", location)
    backend = PinnedToLoopback(loopback.port)
    with guarded_fetcher(backend) as fetcher, pytest.raises(BlockedAddress) as caught:
        fetcher.fetch("http://news.test/go")
    assert shown in str(caught.value)
    assert "redirect refused" in str(caught.value)
    assert set(backend.vetted) == {PUBLIC_IP}
    assert "/secret" not in loopback.paths()


def test_one_private_answer_among_public_ones_is_enough_to_refuse(loopback) -> None:
    backend = PinnedToLoopback(loopback.port)
    with guarded_fetcher(backend) as fetcher, pytest.raises(BlockedAddress):
        fetcher.fetch("http://mixed.test/")
    assert backend.vetted == []
    assert loopback.hits == []


def test_dns_rebinding_is_caught_at_connect_time(loopback) -> None:
    answers = iter([[PUBLIC_IP], ["10.0.0.1"], ["10.0.0.1"]])

    def rebinding(host: str, port: int) -> Sequence[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in next(answers)]

    backend = PinnedToLoopback(loopback.port)
    fetcher = guarded_fetcher(backend, resolver=rebinding, respect_robots=False)
    with fetcher, pytest.raises(BlockedAddress) as caught:
        fetcher.fetch("http://news.test/")  # the first answer passes the early check
    assert "10.0.0.1" in str(caught.value)
    assert backend.vetted == []


def test_default_transport_refuses_private_names_without_connecting(only_loopback_network) -> None:
    # No injected backend here: had the guard let 10.0.0.1 through, the real socket
    # layer would have been asked to connect, and the conftest guard would fail the test.
    with make_fetcher(allow_private=False, resolver=fake_resolver) as fetcher:
        for url in ("http://internal.test/", "http://metadata.test/", "http://10.0.0.1/"):
            with pytest.raises(BlockedAddress):
                fetcher.fetch(url)
    assert only_loopback_network == []


def test_default_transport_refuses_the_loopback_server_without_allow_private(loopback) -> None:
    loopback.add("/a.html", PAGE)
    with make_fetcher(allow_private=False) as fetcher, pytest.raises(BlockedAddress) as caught:
        fetcher.fetch(loopback.url("/a.html"))
    assert "loopback" in str(caught.value)
    assert loopback.hits == []


def test_guarded_transport_itself_refuses_private_targets() -> None:
    # Even used on its own (no Fetcher pre-check), the transport vets at connect time.
    import httpx

    transport = GuardedTransport(resolver=fake_resolver, allow_private=False)
    with httpx.Client(transport=transport) as client, pytest.raises(BlockedAddress):
        client.get("http://internal.test/")


def test_unknown_host_is_a_fetch_error() -> None:
    fetcher = make_fetcher(allow_private=False, resolver=fake_resolver)
    with fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch("http://nowhere.test/")
    assert "cannot resolve" in str(caught.value)


# --- HTTPS: the socket is pinned, the name still drives SNI and certificate checks ---


def tls_fetcher(server, **options: Any) -> tuple[Fetcher, PinnedToLoopback]:
    backend = PinnedToLoopback(server.port)
    trust_test_ca = ssl.create_default_context(cafile=str(TLS_DIR / "ca.pem"))
    transport = GuardedTransport(
        resolver=fake_resolver,
        allow_private=False,
        network_backend=backend,
        ssl_context=trust_test_ca,
    )
    fetcher = make_fetcher(
        allow_private=False, resolver=fake_resolver, transport=transport, **options
    )
    return fetcher, backend


def test_https_to_a_pinned_address_still_verifies_the_host_name(loopback_tls) -> None:
    loopback_tls.add("/story.html", PAGE)
    fetcher, backend = tls_fetcher(loopback_tls)
    with fetcher:
        result = fetcher.fetch("https://news.test/story.html")
    assert result.content == PAGE.encode()
    assert result.final_url == "https://news.test/story.html"
    assert set(backend.vetted) == {PUBLIC_IP}
    assert set(loopback_tls.sni) == {"news.test"}


def test_https_certificate_for_another_name_is_refused(loopback_tls) -> None:
    loopback_tls.add("/", PAGE)
    fetcher, backend = tls_fetcher(loopback_tls, respect_robots=False)
    with fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch("https://other.test/")  # the server only holds a news.test certificate
    assert "certificate" in str(caught.value).lower()
    assert backend.vetted == [PUBLIC_IP]  # connected to the vetted address; TLS said no
    assert loopback_tls.hits == []
