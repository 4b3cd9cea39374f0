"""Feed parsing and WARC reading on their own (no network)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from raqib.ingest.feeds import FeedEntry, FeedError, looks_like_feed, parse_feed
from raqib.ingest.warc import WarcError, WarcPage, WarcSkip, iter_warc_pages, looks_like_warc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


# --- feeds -------------------------------------------------------------------------


def test_rss_items_links_and_dates() -> None:
    entries = parse_feed((FIXTURES / "feed.rss").read_bytes())
    # duplicate link and the item without a link are dropped; +0300 converted to UTC
    assert entries == [
        FeedEntry("http://news.test/one.html", "2024-10-08T09:30:00Z"),
        FeedEntry("http://news.test/two.html", None),
    ]


def test_atom_published_then_updated_as_fallback() -> None:
    entries = parse_feed((FIXTURES / "feed.atom").read_bytes())
    assert entries == [
        FeedEntry("http://news.test/first.html", "2024-10-08T09:30:00Z"),  # 12:30+03:00
        FeedEntry("http://news.test/second.html", "2024-10-08T00:15:00Z"),  # 23:15-01:00
    ]


def test_item_cap_keeps_the_first_items() -> None:
    items = "".join(f"<item><link>http://news.test/{n}.html</link></item>" for n in range(10))
    feed = f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()
    links = [entry.link for entry in parse_feed(feed, max_items=3)]
    assert links == [
        "http://news.test/0.html",
        "http://news.test/1.html",
        "http://news.test/2.html",
    ]


def test_relative_links_resolve_against_the_feed_url() -> None:
    feed = b"<rss version='2.0'><channel><item><link>/a/b.html</link></item></channel></rss>"
    entries = parse_feed(feed, base_url="http://news.test/feeds/main.xml")
    assert entries[0].link == "http://news.test/a/b.html"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ((FIXTURES / "broken.rss").read_bytes(), "malformed feed"),
        (b"<rss version='2.0'><channel><title>x</title></channel></rss>", "no items"),
        (b"<rss version='2.0'><channel><item><title>x</title></item></channel></rss>", "no links"),
        (b"just some words", "malformed feed"),
    ],
)
def test_unusable_feeds_raise_one_line_errors(data: bytes, expected: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(data)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_feed_text_that_looks_like_a_path_is_never_opened(tmp_path: Path) -> None:
    # feedparser treats a str/bytes argument as a file name or URL; we must not.
    with pytest.raises(FeedError):
        parse_feed(str(FIXTURES / "feed.rss").encode())


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"<?xml version='1.0'?>\n<!-- c --><rss version='2.0'>", True),
        (b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'>", True),
        (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>", True),
        ("<?xml version='1.0'?><rss>".encode("utf-16"), True),
        (b"<!DOCTYPE html><html><body>rss</body></html>", False),
        (b"<?xml version='1.0'?><urlset>", False),
        (b"<feedback>", False),
    ],
)
def test_looks_like_feed(head: bytes, expected: bool) -> None:
    assert looks_like_feed(head) is expected


# --- WARC --------------------------------------------------------------------------


def html(n: int) -> bytes:
    return f"<html><body><p>خبر رقم {n}</p>{'x' * 300}</body></html>".encode()


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], *, gz: bool) -> list[int]:
    """Write response records (uri, status line, content type, body); return end offsets."""
    ends = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        ends.append(out.tell())
        for uri, status, content_type, body in records:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type), ("X-Test", "1")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
            ends.append(out.tell())
    return ends


MIXED = [
    ("http://news.test/a.html", "200 OK", "text/html; charset=utf-8", html(1)),
    ("http://news.test/gone.html", "404 Not Found", "text/html", b"<html>gone</html>"),
    ("http://news.test/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\nxxxx"),
    ("http://news.test/b.xhtml", "200 OK", "application/xhtml+xml", html(2)),
]


@pytest.mark.parametrize("gz", [False, True])
def test_warc_yields_only_html_200_responses(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("mixed.warc.gz" if gz else "mixed.warc")
    write_warc(path, MIXED, gz=gz)
    with path.open("rb") as stream:
        pages = list(iter_warc_pages(stream, max_bytes=10_000))
    assert pages == [
        WarcPage(
            "http://news.test/a.html",
            html(1),
            "text/html; charset=utf-8",
            {"content-type": "text/html; charset=utf-8", "x-test": "1"},
        ),
        WarcPage(
            "http://news.test/b.xhtml",
            html(2),
            "application/xhtml+xml",
            {"content-type": "application/xhtml+xml", "x-test": "1"},
        ),
    ]


def test_oversized_warc_record_is_skipped_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "big.warc"
    small, big = html(1), b"<html>" + b"y" * 5000 + b"</html>"
    write_warc(
        path,
        [
            ("http://news.test/big", "200 OK", "text/html", big),
            ("http://news.test/small", "200 OK", "text/html", small),
        ],
        gz=False,
    )
    with path.open("rb") as stream:
        pages = list(iter_warc_pages(stream, max_bytes=len(small)))
    assert isinstance(pages[0], WarcSkip) and pages[0].uri == "http://news.test/big"
    assert isinstance(pages[1], WarcPage) and pages[1].content == small


@pytest.mark.parametrize("gz", [False, True])
def test_every_truncation_is_reported_and_never_yields_a_partial_page(
    tmp_path: Path, gz: bool
) -> None:
    bodies = [html(n) for n in range(3)]
    path = tmp_path / "whole.warc"
    ends = write_warc(
        path,
        [(f"http://news.test/{n}", "200 OK", "text/html", b) for n, b in enumerate(bodies)],
        gz=gz,
    )
    data = path.read_bytes()
    for cut in range(1, len(data)):
        pages: list[WarcPage | WarcSkip] = []
        error = None
        try:
            pages.extend(iter_warc_pages(io.BytesIO(data[:cut]), max_bytes=10_000))
        except WarcError as exc:
            error = str(exc)
        contents = [page.content for page in pages if isinstance(page, WarcPage)]
        assert contents == bodies[: len(contents)], f"partial page at cut {cut}"
        complete = sum(1 for end in ends[1:] if end <= cut)
        if cut in ends:
            assert error is None and len(contents) == complete, cut
        # A record whose payload is whole may lose its closing blank lines (and, in
        # gzip, the deflate end and 8-byte trailer) unnoticed; any earlier cut is an error.
        elif not any(end - 16 <= cut < end for end in ends):
            assert error is not None and len(contents) == complete, cut


def test_a_file_that_is_not_warc_is_an_error() -> None:
    with pytest.raises(WarcError):
        list(iter_warc_pages(io.BytesIO(b"<html>not an archive</html>"), max_bytes=1000))


def test_looks_like_warc(tmp_path: Path) -> None:
    path = tmp_path / "x.warc.gz"
    write_warc(path, MIXED[:1], gz=True)
    assert looks_like_warc(path.read_bytes()[:100])
    assert looks_like_warc(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n")
    assert not looks_like_warc(gzip.compress(b"<html>hello</html>"))
    assert not looks_like_warc(b"\x1f\x8b garbage")
    assert not looks_like_warc(b"<html>")
