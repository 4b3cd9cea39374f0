"""`raqib ingest` end to end: a folder, a feed and a WARC on loopback, bad input, re-runs."""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import EXAMPLES, SEED

ENV = dict(os.environ, RAQIB_FETCH_DELAY="0")


def raqib(*args: str, stdin: bytes | None = None, timeout: int = 180,
          ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "raqib", *args], input=stdin,
                          capture_output=True, timeout=timeout, env=ENV)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def outcome_lines(result: subprocess.CompletedProcess) -> list[list[str]]:
    return [line.split("\t") for line in result.stdout.decode().splitlines() if line]


def test_examples_folder_then_rerun_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    first = raqib("ingest", str(EXAMPLES), "--db", f"sqlite:///{db}")
    assert first.returncode == 0, first.stderr.decode()
    statuses = sorted(line[0] for line in outcome_lines(first))
    # five sample articles (one a syndicated copy of another) and the seed's reviewed
    # extraction, which ingests as the seed document itself
    assert statuses == ["duplicate", "ingested", "ingested", "ingested", "ingested", "ingested"]
    assert "summary: 5 ingested, 1 duplicate, 0 exists, 0 failed" in first.stderr.decode()
    second = raqib("ingest", str(EXAMPLES), "--db", f"sqlite:///{db}")
    assert second.returncode == 0
    assert [line[0] for line in outcome_lines(second)] == ["exists"] * 6
    assert rows(db, "SELECT count(*) FROM documents") == [(6,)]
    assert rows(db, "SELECT count(*) FROM raw_inputs") == [(6,)]
    assert rows(db, "SELECT count(*) FROM extractions") == [(6,)]
    seed = json.loads((EXAMPLES / "bout-houthis.expected.json").read_text("utf-8"))
    with sqlite3.connect(db) as conn:
        title = conn.execute("SELECT title FROM documents WHERE id = ?",
                             (seed["document"]["id"],)).fetchall()
    assert title == [(seed["document"]["title"],)]
    # The folder is read in sorted order, so the syndicated copy comes first and the
    # original is recorded as its near duplicate.
    pair = rows(db, "SELECT d.source, o.source FROM documents d JOIN documents o "
                    "ON d.duplicate_of = o.id")
    assert [(Path(a).name, Path(b).name) for a, b in pair] == [
        ("ar-hodeidah-seizure.html", "ar-hodeidah-seizure-syndicated.html")]


def test_seed_metadata_and_listing_commands(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert raqib("ingest", str(SEED), "--db", db, "--published", "2024-10-09").returncode == 0
    listing = raqib("documents", "--db", db, "--json")
    row = json.loads(listing.stdout.decode().splitlines()[0])
    assert row["title"] == "’تاجر الموت‛ الروسي يعود لبيع الأسلحة في اليمن"
    assert row["language"] == "ar"
    shown = raqib("show", row["id"][:8], "--db", db, "--json")
    payload = json.loads(shown.stdout.decode())
    assert payload["document"]["byline"] == "فريق عمل الفاصل"
    assert payload["document"]["published"] == "2024-10-09"
    stats = json.loads(raqib("stats", "--db", db, "--json").stdout.decode())
    assert stats["documents"] == 1
    missing = raqib("show", "ffffffffff", "--db", db)
    assert missing.returncode == 1 and "no document" in missing.stderr.decode()


def test_bad_inputs_get_one_line_reasons_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "report.html").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "deep.html").write_bytes(b"<html><body>" + b"<div>" * 100_000 + b"text"
                                       + b"</div>" * 100_000 + b"</body></html>")
    (folder / "broken.html").write_bytes(b"<html><body><p>Unclosed <b>bold <i>and <p>"
                                         b"Arms were seized at the port of Aden on Monday, "
                                         b"officials said, in a raid on a warehouse.")
    (folder / "good.txt").write_text("Police seized 40 rifles in Aden on Monday, officials said.",
                                     encoding="utf-8")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB of NULs without using the disk
    db = f"sqlite:///{tmp_path / 'r.db'}"
    result = raqib("ingest", str(folder), str(huge), str(tmp_path / "missing.html"), "--db", db)
    assert result.returncode == 0, result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
    lines = {Path(line[2]).name: line for line in outcome_lines(result)}
    for name in ("empty.txt", "report.html", "image.txt", "huge.txt", "missing.html"):
        assert lines[name][0] == "failed", lines[name]
        assert lines[name][3].strip(), f"{name} failed without a reason"
    assert lines["good.txt"][0] == "ingested"
    assert lines["broken.html"][0] == "ingested"
    assert lines["deep.html"][0] in ("ingested", "failed")


def test_nothing_ingested_exits_non_zero(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = raqib("ingest", str(empty), "--db", f"sqlite:///{tmp_path / 'r.db'}")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr.decode()


def test_stdin(tmp_path: Path) -> None:
    page = (EXAMPLES / "en-treasury-network.html").read_bytes()
    result = raqib("ingest", "-", "--db", f"sqlite:///{tmp_path / 'r.db'}", stdin=page)
    assert result.returncode == 0, result.stderr.decode()
    assert outcome_lines(result)[0][0] == "ingested"


class _Site(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def do_GET(self) -> None:
        content_type, body = self.pages.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feed_on_loopback_fetches_each_item(tmp_path: Path, site: str) -> None:
    arabic = (EXAMPLES / "ar-hodeidah-seizure.html").read_bytes()
    english = (EXAMPLES / "en-treasury-network.html").read_bytes()
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>t</title><link>{site}/</link><description>d</description>
<item><title>a</title><link>{site}/a.html</link>
<pubDate>Fri, 14 Mar 2025 09:30:00 GMT</pubDate></item>
<item><title>b</title><link>{site}/b.html</link></item>
<item><title>c</title><link>{site}/missing.html</link></item>
</channel></rss>""".encode()
    _Site.pages = {
        "/feed.xml": ("application/rss+xml", feed),
        "/a.html": ("text/html; charset=utf-8", arabic),
        "/b.html": ("text/html", english),
        "/robots.txt": ("text/plain", b"User-agent: *\nAllow: /\n"),
    }
    db = tmp_path / "r.db"
    result = raqib("ingest", f"{site}/feed.xml", "--db", f"sqlite:///{db}", "--allow-private")
    assert result.returncode == 0, result.stderr.decode()
    statuses = {line[2].rsplit("/", 1)[-1]: line[0] for line in outcome_lines(result)}
    assert statuses == {"a.html": "ingested", "b.html": "ingested", "missing.html": "failed"}
    assert rows(db, "SELECT count(*) FROM documents WHERE language='ar'") == [(1,)]


def test_url_without_allow_private_is_refused(tmp_path: Path, site: str) -> None:
    _Site.pages = {"/a.html": ("text/html", b"<html><body><p>hello world</p></body></html>")}
    result = raqib("ingest", f"{site}/a.html", "--db", f"sqlite:///{tmp_path / 'r.db'}")
    assert result.returncode == 1
    line = outcome_lines(result)[0]
    assert line[0] == "failed" and "127.0.0.1" in line[3]


def test_warc_gz_response_records(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for name in ("ar-hodeidah-seizure.html", "en-treasury-network.html"):
        body = (EXAMPLES / name).read_bytes()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        record = writer.create_warc_record(f"https://news.example/{name}", "response",
                                           payload=io.BytesIO(body), http_headers=headers)
        writer.write_record(record)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(buffer.getvalue())
    assert gzip.decompress(path.read_bytes())  # a real gzip member stream
    db = tmp_path / "r.db"
    result = raqib("ingest", str(path), "--db", f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr.decode()
    assert [line[0] for line in outcome_lines(result)] == ["ingested", "ingested"]
    urls = sorted(r[0] for r in rows(db, "SELECT url FROM documents"))
    assert urls == ["https://news.example/ar-hodeidah-seizure.html",
                    "https://news.example/en-treasury-network.html"]
