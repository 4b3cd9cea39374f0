"""Source enumeration: files, directories, stdin, URLs, feeds and WARCs into raw items."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from raqib.ingest.fetch import Fetcher
from raqib.ingest.sources import (
    RawItem,
    SourceError,
    SourceFailure,
    iter_sources,
    sniff_kind,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
UA = "raqib-test/1.0"
PAGE = "<html><body><p>سفينة محملة بالذخائر</p></body></html>"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>wire</title>{items}</channel></rss>"""


def collect(specs: list[str], **options: Any) -> list[RawItem | SourceFailure]:
    options.setdefault("fetcher", None)
    return list(iter_sources(specs, **options))


def failures(results: list[RawItem | SourceFailure]) -> list[SourceFailure]:
    return [r for r in results if isinstance(r, SourceFailure)]


def items(results: list[RawItem | SourceFailure]) -> list[RawItem]:
    return [r for r in results if isinstance(r, RawItem)]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(user_agent=UA, delay=0, allow_private=True, timeout=5) as instance:
        yield instance


# --- sniff_kind --------------------------------------------------------------------

RSS_BYTES = (FIXTURES / "feed.rss").read_bytes()


@pytest.mark.parametrize(
    ("content", "name", "content_type", "expected"),
    [
        (b"<!DOCTYPE html><html><body>x</body></html>", "", None, "html"),
        (b"\n  <div><p>fragment</p></div>", "", None, "html"),
        (b"<p>tagged</p>", "page.html", None, "html"),
        (b"plain words", "page.htm", None, "html"),  # the extension decides
        (b"plain words", "", "text/html; charset=windows-1256", "html"),
        (b"<html>shown as text</html>", "note.txt", None, "text"),
        (b"just words", "", None, "text"),
        (b"[Reuters] words in brackets", "", None, "text"),
        (b'{"title": "x", "text": "y"}', "a.json", None, "json"),
        (b'  {"title": "x"}', "", None, "json"),
        (b'[{"title": "x"}]', "", None, "json"),
        (b'{"title": "x"}', "", "application/json", "json"),
        (RSS_BYTES, "feed.rss", None, "feed"),
        (RSS_BYTES, "", "text/xml", "feed"),
        (RSS_BYTES, "whatever.txt", None, "feed"),  # a feed root element is unambiguous
        (
            b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>",
            "p.xml",
            None,
            "html",
        ),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "", None, "warc"),
        ("نص عربي".encode("utf-16"), "", None, "text"),  # NUL bytes, but a UTF-16 BOM
        ("\ufeffنص".encode(), "", None, "text"),
    ],
)
def test_sniff_kind(content: bytes, name: str, content_type: str | None, expected: str) -> None:
    assert sniff_kind(content, name, content_type) == expected


@pytest.mark.parametrize(
    ("content", "name", "content_type", "reason"),
    [
        (b"%PDF-1.7\n%binary", "report.html", None, "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "x.txt", None, "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "", None, "JPEG"),
        (b"GIF89a\x01\x00", "", None, "GIF"),
        (b"PK\x03\x04\x14\x00", "doc.json", None, "ZIP"),
        (b"\x7fELF\x02\x01\x01", "", None, "ELF"),
        (b"text then \x00 a NUL", "", None, "NUL"),
        (gzip.compress(b"<html>zipped page</html>"), "page.html", None, "gzip"),
        (b"plain words", "", "image/png", "image/png"),
        (b"", "", None, "empty"),
        (b" \n\t ", "a.txt", None, "empty"),
        ((FIXTURES / "sitemap.xml").read_bytes(), "sitemap.xml", None, "not an RSS"),
    ],
)
def test_sniff_kind_refuses_unusable_content(
    content: bytes, name: str, content_type: str | None, reason: str
) -> None:
    with pytest.raises(SourceError) as caught:
        sniff_kind(content, name, content_type)
    assert reason in str(caught.value)


# --- files and directories ---------------------------------------------------------


def test_fixture_files_become_items() -> None:
    results = collect(
        [str(FIXTURES / name) for name in ("article.html", "note.txt", "article.json")]
    )
    assert [(r.source, r.kind) for r in items(results)] == [
        (str(FIXTURES / "article.html"), "html"),
        (str(FIXTURES / "note.txt"), "text"),
        (str(FIXTURES / "article.json"), "json"),
    ]
    first = items(results)[0]
    assert first.content == (FIXTURES / "article.html").read_bytes()
    assert first.content_type is None and first.url is None and first.headers == {}


def test_directory_is_walked_recursively_in_order_skipping_hidden_and_other_files(
    tmp_path: Path,
) -> None:
    files = {
        "b.html": PAGE,
        "a/z.txt": "نص",
        "a/b/deep.json": '{"text": "x"}',
        "a/b/notes.md": "ignored",
        "a/.hidden.html": PAGE,
        ".git/config.html": PAGE,
        "c/photo.jpg": "ignored",
        "UPPER.HTM": PAGE,
    }
    for relative, text in files.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    results = collect([str(tmp_path)])
    assert failures(results) == []
    assert [Path(r.source).relative_to(tmp_path).as_posix() for r in items(results)] == [
        "UPPER.HTM",
        "a/b/deep.json",
        "a/z.txt",
        "b.html",
    ]


def test_directory_without_usable_files_is_one_failure(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("nothing here")
    (tmp_path / "empty").mkdir()
    results = collect([str(tmp_path), str(tmp_path / "empty")])
    assert [r.source for r in results] == [str(tmp_path), str(tmp_path / "empty")]
    assert all("no usable files" in r.reason for r in failures(results))


def test_bad_files_are_failures_not_exceptions(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "report.html").write_bytes(b"%PDF-1.4\nbinary")
    (tmp_path / "archive.json").write_bytes(b"PK\x03\x04rest")
    (tmp_path / "big.txt").write_bytes(b"a" * 101)
    (tmp_path / "fits.txt").write_bytes(b"a" * 100)
    (tmp_path / "bad.warc.gz").write_bytes(gzip.compress(b"not a warc at all"))
    os.mkfifo(tmp_path / "pipe.html")  # opening it would block forever
    specs = [
        "empty.html",
        "report.html",
        "archive.json",
        "big.txt",
        "fits.txt",
        "bad.warc.gz",
        "pipe.html",
        "missing.html",
    ]
    results = collect([str(tmp_path / spec) for spec in specs], max_bytes=100)
    reasons = {Path(r.source).name: r.reason for r in failures(results)}
    assert reasons == {
        "empty.html": "empty file",
        "report.html": "binary file: a PDF document",
        "archive.json": "binary file: a ZIP archive (or an Office/EPUB file)",
        "big.txt": "file is larger than 100 bytes",
        "bad.warc.gz": "gzip-compressed data that is not a WARC archive",
        "pipe.html": "not a regular file",
        "missing.html": "no such file or directory",
    }
    assert [Path(r.source).name for r in items(results)] == ["fits.txt"]


def test_empty_source_name_is_a_failure_not_the_current_directory() -> None:
    results = collect([""])
    assert len(results) == 1 and "empty source name" in failures(results)[0].reason


def test_unreadable_file_is_permission_denied() -> None:
    """Runs the real code as an unprivileged user when the tests run as root (root
    reads any file), in a forked child so nothing else is affected."""
    folder = Path(tempfile.mkdtemp(prefix="raqib-perm-"))
    try:
        folder.chmod(0o755)
        secret = folder / "secret.html"
        secret.write_text(PAGE)
        secret.chmod(0o000)
        reasons = _reasons_as_unprivileged_user([str(secret)])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert reasons == [[str(secret), "permission denied"]]


def _reasons_as_unprivileged_user(specs: list[str]) -> list[list[str]]:
    def run() -> list[list[str]]:
        return [[r.source, r.reason] for r in failures(collect(specs))]

    if os.geteuid() != 0:
        return run()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.close(read_end)
            os.setgid(65534)
            os.setuid(65534)  # nobody
            os.write(write_end, json.dumps(run()).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        output = pipe.read()
    os.waitpid(child, 0)
    return json.loads(output)


# --- stdin -------------------------------------------------------------------------


class EndlessStream(io.RawIOBase):
    """A standard input that never ends (like `yes | raqib ingest -`)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        buffer[:] = b"y" * len(buffer)
        return len(buffer)


def test_stdin_is_read() -> None:
    results = collect(["-"], stdin=io.BytesIO(PAGE.encode()))
    assert [(r.source, r.kind, r.content) for r in items(results)] == [
        ("<stdin>", "html", PAGE.encode())
    ]


@pytest.mark.parametrize(
    ("stream", "reason"),
    [
        (io.BytesIO(b""), "empty"),
        (io.BytesIO(b"x" * 1001), "standard input is larger than 1000 bytes"),
        (EndlessStream(), "standard input is larger than 1000 bytes"),
    ],
)
def test_bad_stdin_is_a_failure(stream: Any, reason: str) -> None:
    results = collect(["-"], stdin=stream, max_bytes=1000)
    assert len(results) == 1
    assert reason in failures(results)[0].reason


# --- URLs and feeds over the loopback server ---------------------------------------


def test_urls_need_a_fetcher() -> None:
    results = collect(["http://news.test/a.html"])
    assert failures(results) == [
        SourceFailure("http://news.test/a.html", "network fetching is off, URL not fetched")
    ]


def test_url_is_fetched_into_an_item(loopback, fetcher: Fetcher) -> None:
    loopback.add("/a.html", PAGE, content_type="text/html; charset=utf-8")
    loopback.redirect("/short", "/a.html")
    results = collect([loopback.url("/short")], fetcher=fetcher)
    (item,) = items(results)
    assert item.source == loopback.url("/short")
    assert item.url == loopback.url("/a.html")
    assert item.kind == "html" and item.content == PAGE.encode()
    assert item.content_type == "text/html; charset=utf-8"
    assert item.headers["content-type"] == "text/html; charset=utf-8"


def test_url_failures_are_reported(loopback, fetcher: Fetcher) -> None:
    loopback.add("/logo.png", b"\x89PNG\r\n\x1a\nxxxx", content_type="image/png")
    results = collect(
        [loopback.url("/missing"), loopback.url("/logo.png"), "ftp://x/y"], fetcher=fetcher
    )
    reasons = [r.reason for r in failures(results)]
    assert len(reasons) == 3
    assert "HTTP 404" in reasons[0]
    assert "PNG" in reasons[1]
    assert "unsupported URL scheme 'ftp'" in reasons[2]


def rss_items(loopback, paths: list[str]) -> str:
    return "".join(
        f"<item><title>{p}</title><link>{loopback.url(p)}</link>"
        f"<pubDate>Mon, 07 Oct 2024 21:00:00 GMT</pubDate></item>"
        for p in paths
    )


def test_feed_url_items_are_fetched_with_their_dates(loopback, fetcher: Fetcher) -> None:
    loopback.add("/one.html", PAGE)
    loopback.add("/two.txt", "نص خبر", content_type="text/plain; charset=utf-8")
    feed = RSS.format(items=rss_items(loopback, ["/one.html", "/two.txt", "/gone.html"]))
    loopback.add("/feed.xml", feed, content_type="application/rss+xml")
    results = collect([loopback.url("/feed.xml")], fetcher=fetcher)
    assert [(r.source, r.kind, r.published) for r in items(results)] == [
        (loopback.url("/one.html"), "html", "2024-10-07T21:00:00Z"),
        (loopback.url("/two.txt"), "text", "2024-10-07T21:00:00Z"),
    ]
    assert [(r.source, "HTTP 404" in r.reason) for r in failures(results)] == [
        (loopback.url("/gone.html"), True)
    ]


def test_feed_items_are_capped_and_nested_feeds_not_followed(loopback, fetcher: Fetcher) -> None:
    loopback.add(
        "/inner.xml",
        RSS.format(items=rss_items(loopback, ["/x.html"])),
        content_type="application/rss+xml",
    )
    for n in range(5):
        loopback.add(f"/{n}.html", PAGE)
    feed = RSS.format(items=rss_items(loopback, ["/inner.xml", "/0.html", "/1.html", "/2.html"]))
    loopback.add("/feed.xml", feed, content_type="text/xml")
    results = collect([loopback.url("/feed.xml")], fetcher=fetcher, max_feed_items=3)
    assert [r.source for r in items(results)] == [loopback.url("/0.html"), loopback.url("/1.html")]
    assert failures(results) == [
        SourceFailure(loopback.url("/inner.xml"), "feed item is itself a feed, not followed")
    ]
    assert "/2.html" not in loopback.paths()
    assert "/x.html" not in loopback.paths()


def test_local_feed_file_links_are_fetched_only_with_a_fetcher(
    tmp_path: Path, loopback, fetcher: Fetcher
) -> None:
    loopback.add("/story.html", PAGE)
    feed_file = tmp_path / "saved.rss"
    feed_file.write_text(RSS.format(items=rss_items(loopback, ["/story.html"])), encoding="utf-8")
    offline = collect([str(feed_file)])
    assert failures(offline) == [
        SourceFailure(
            str(feed_file), "feed has 1 item link but network fetching is off; none fetched"
        )
    ]
    assert loopback.hits == []
    online = collect([str(feed_file)], fetcher=fetcher)
    assert [(r.url, r.published) for r in items(online)] == [
        (loopback.url("/story.html"), "2024-10-07T21:00:00Z")
    ]


def test_malformed_feed_file_is_a_failure() -> None:
    results = collect([str(FIXTURES / "broken.rss")])
    (failure,) = failures(results)
    assert failure.reason.startswith("malformed feed")


def test_non_feed_xml_in_a_directory_is_a_failure(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "sitemap.xml", tmp_path / "sitemap.xml")
    shutil.copy(FIXTURES / "note.txt", tmp_path / "note.txt")
    results = collect([str(tmp_path)])
    assert [r.source for r in items(results)] == [str(tmp_path / "note.txt")]
    assert failures(results) == [
        SourceFailure(str(tmp_path / "sitemap.xml"), "XML that is not an RSS or Atom feed")
    ]


# --- WARC --------------------------------------------------------------------------


def build_warc(path: Path, pages: list[tuple[str, str, bytes]], *, gz: bool) -> list[int]:
    """A WARC with a request record before each (uri, content type, body) response."""
    ends = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for uri, content_type, body in pages:
            request = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "news.test")], is_http_request=True
            )
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )
            ends.append(out.tell())
    return ends


WARC_PAGES = [
    ("http://news.test/1.html", "text/html; charset=utf-8", b"<html><p>one</p></html>"),
    ("http://news.test/style.css", "text/css", b"p { color: red }"),
    ("http://news.test/2.html", "text/html", b"<html><p>two</p></html>"),
    ("http://news.test/3.html", "text/html", b"<html><p>three</p>" + b"z" * 4000 + b"</html>"),
]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_files_yield_their_html_pages(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    build_warc(path, WARC_PAGES, gz=name.endswith(".gz"))
    results = collect([str(path)])
    assert failures(results) == []
    assert [(r.source, r.url, r.kind, r.content_type, r.content) for r in items(results)] == [
        (f"{path}#{uri}", uri, "html", ctype, body)
        for uri, ctype, body in WARC_PAGES
        if ctype.startswith("text/html")
    ]


def test_truncated_warc_gz_yields_pages_so_far_then_one_failure(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    ends = build_warc(whole, WARC_PAGES, gz=True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[: (ends[2] + ends[3]) // 2])  # inside the 3rd page
    results = collect([str(cut)])
    assert [r.url for r in items(results)] == ["http://news.test/1.html", "http://news.test/2.html"]
    assert isinstance(results[-1], SourceFailure)
    assert len(failures(results)) == 1
    assert results[-1].source == str(cut) and "truncated" in results[-1].reason


def test_truncated_plain_warc_is_reported_too(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    ends = build_warc(whole, WARC_PAGES, gz=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole.read_bytes()[: ends[3] - 2000])  # in the middle of page three
    results = collect([str(cut)])
    assert [r.url for r in items(results)] == ["http://news.test/1.html", "http://news.test/2.html"]
    assert len(failures(results)) == 1 and "truncated" in failures(results)[0].reason


def test_warc_without_html_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "css.warc"
    build_warc(path, [WARC_PAGES[1]], gz=False)
    assert failures(collect([str(path)])) == [
        SourceFailure(str(path), "WARC has no HTML responses with status 200")
    ]


def test_warc_records_over_the_cap_are_failures_but_the_file_is_not(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    build_warc(path, WARC_PAGES, gz=True)
    assert path.stat().st_size > 0
    results = collect([str(path)], max_bytes=1000)  # page three is over 4000 bytes
    assert [r.url for r in items(results)] == ["http://news.test/1.html", "http://news.test/2.html"]
    assert [r.source for r in failures(results)] == [f"{path}#http://news.test/3.html"]


def test_warc_on_stdin(tmp_path: Path) -> None:
    path = tmp_path / "in.warc.gz"
    build_warc(path, WARC_PAGES[:1], gz=True)
    results = collect(["-"], stdin=io.BytesIO(path.read_bytes()))
    assert [(r.source, r.url) for r in items(results)] == [
        ("<stdin>#http://news.test/1.html", "http://news.test/1.html")
    ]
