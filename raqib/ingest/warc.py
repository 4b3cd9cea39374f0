"""HTML pages out of WARC archives (plain or gzip), one record at a time.

warcio reads what it can and stays silent when a file is cut short, so this module
checks two things itself: every record's declared length was really there, and the
last complete record ends where the data ends. Either failing means truncation.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_GZIP_MAGIC = b"\x1f\x8b"
_WARC_MAGIC = b"WARC/"
_DRAIN_CHUNK = 64 * 1024


class WarcError(Exception):
    """The archive is unreadable or truncated; ``str(e)`` is a one-line reason."""


@dataclass(frozen=True)
class WarcPage:
    """One HTTP 200 response record with an HTML body."""

    uri: str  # WARC-Target-URI
    content: bytes  # the HTTP payload, transfer- and content-encoding removed
    content_type: str | None  # raw Content-Type header of the HTTP response
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


@dataclass(frozen=True)
class WarcSkip:
    """An HTML record we had to leave out (e.g. larger than the size limit)."""

    uri: str
    reason: str


def looks_like_warc(head: bytes) -> bool:
    """True for the start of a WARC file, uncompressed or gzip (per-record or whole)."""
    if head.startswith(_WARC_MAGIC):
        return True
    if not head.startswith(_GZIP_MAGIC):
        return False
    try:
        start = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, len(_WARC_MAGIC))
    except zlib.error:
        return False
    return start.startswith(_WARC_MAGIC)


def iter_warc_pages(stream: BinaryIO, *, max_bytes: int) -> Iterator[WarcPage | WarcSkip]:
    """Yield HTML pages of 200 responses; other records are skipped silently.

    Raises WarcError after the pages read so far when the archive is damaged.
    """
    counted = _CountingReader(stream)
    records = ArchiveIterator(counted)
    while True:
        try:
            record = next(records, None)
            if record is None:
                break
            _check_header(record)
            page = _page_from(record, max_bytes)
            _check_complete(record)
        except WarcError:
            raise
        except Exception as exc:  # warcio raises many kinds (even AttributeError) on damage
            raise WarcError(f"unreadable WARC: {_one_line(exc)}") from exc
        if page is not None:
            yield page
    if records.offset < counted.position:
        raise WarcError(
            f"WARC is truncated or damaged after byte {records.offset} of {counted.position}"
        )


def _check_header(record: ArcWarcRecord) -> None:
    """A header cut short loses its type or its Content-Length (warcio then assumes 0)."""
    length = record.rec_headers.get_header("Content-Length") or ""
    if not record.rec_type or not length.strip().isdigit():
        raise WarcError("WARC is truncated or damaged: a record header is incomplete")


def _page_from(record: ArcWarcRecord, max_bytes: int) -> WarcPage | WarcSkip | None:
    """The page in a record, a skip notice if too large, None if it is not an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    http = record.http_headers
    content_type = http.get_header("Content-Type")
    if http.get_statuscode() != "200" or _media_type(content_type) not in HTML_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return WarcSkip(uri, f"WARC record larger than the {max_bytes}-byte limit")
    headers = {name.lower(): value for name, value in http.headers}
    return WarcPage(uri=uri, content=content, content_type=content_type, headers=headers)


def _check_complete(record: ArcWarcRecord) -> None:
    """Read the rest of the record and make sure its declared length was all there."""
    raw = record.raw_stream
    while raw.read(_DRAIN_CHUNK):
        pass
    if getattr(raw, "limit", 0) > 0:
        uri = record.rec_headers.get_header("WARC-Target-URI") or "a record"
        raise WarcError(f"WARC is truncated: the record for {uri} is cut short")


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _one_line(problem: object) -> str:
    return " ".join(str(problem).split()) or type(problem).__name__


class _CountingReader:
    """A read-only stream wrapper that knows how many bytes were consumed (warcio's
    offsets are compared with it to detect a cut-off final gzip member)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.position += len(data)
        return data

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        """The caller owns the underlying stream."""
