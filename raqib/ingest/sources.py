"""Turn what the user passed to ``raqib ingest SOURCE...`` into raw items.

A source is a file, a directory (walked recursively), ``-`` for standard input, an
http(s) URL, an RSS/Atom feed (local or fetched; its item links are fetched) or a
WARC archive. Each yields :class:`RawItem` objects for the decoder, and every problem
becomes a :class:`SourceFailure` with a one-line reason instead of an exception, so one
bad input never stops a batch. Nothing here decodes or cleans text.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from raqib.ingest.feeds import DEFAULT_MAX_ITEMS, FeedError, looks_like_feed, parse_feed
from raqib.ingest.fetch import Fetcher, FetchError
from raqib.ingest.warc import WarcError, WarcSkip, iter_warc_pages, looks_like_warc

DEFAULT_MAX_BYTES = 20 * 2**20
STDIN_NAME = "<stdin>"
HEAD_BYTES = 64 * 1024  # enough to recognise any format we accept

HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt",)
JSON_SUFFIXES = (".json",)
FEED_SUFFIXES = (".xml", ".rss", ".atom")
WARC_SUFFIXES = (".warc", ".warc.gz")
#: What a directory walk picks up; anything else in a directory is ignored.
DIRECTORY_SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES + JSON_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
XML_TYPES = frozenset({"text/xml", "application/xml"})
JSON_TYPES = frozenset({"application/json", "text/json"})
BINARY_TYPE_PREFIXES = ("image/", "audio/", "video/", "font/")
BINARY_TYPES = frozenset({"application/pdf", "application/zip", "application/gzip"})

# Leading bytes of formats people drop into folders by mistake.
BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office/EPUB file)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"BZh91AY&SY", "a bzip2 archive"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HTML_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|title|meta|div|p|article|section|table|span|br|h[1-6])\b",
    re.IGNORECASE,
)
_XML_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_JSON_START = re.compile(rb"\{|\[\s*[\{\]]")


class SourceError(Exception):
    """Content we cannot ingest; ``str(e)`` is a one-line reason."""


@dataclass
class RawItem:
    source: str  # path, "<stdin>", URL, "archive.warc.gz#<target URI>" or a feed item URL
    content: bytes
    content_type: str | None  # raw Content-Type header when fetched or archived, else None
    kind: str  # "html" | "text" | "json"
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    url: str | None = None  # the page URL, when known
    published: str | None = None  # from the feed item, ISO 8601 UTC when parseable


@dataclass
class SourceFailure:
    source: str
    reason: str  # one line


@dataclass(frozen=True)
class _Options:
    fetcher: Fetcher | None
    max_bytes: int
    max_feed_items: int


def iter_sources(
    specs: list[str],
    *,
    fetcher: Fetcher | None,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_feed_items: int = DEFAULT_MAX_ITEMS,
) -> Iterator[RawItem | SourceFailure]:
    """Items and failures for each source spec, in the order given.

    ``fetcher=None`` means no network: URLs and feed item links become failures.
    ``max_bytes`` caps each file, stdin and each WARC record (a WARC file itself can
    be any size, it is streamed).
    """
    options = _Options(fetcher, max_bytes, max_feed_items)
    for spec in specs:
        if not spec.strip():
            yield SourceFailure(repr(spec), "empty source name")
        elif spec == "-":
            yield from _stdin_items(stdin if stdin is not None else sys.stdin.buffer, options)
        elif _URL_LIKE.match(spec):
            yield from _url_items(spec, options)
        else:
            yield from _path_items(Path(spec), options)


def sniff_kind(content: bytes, name: str = "", content_type: str | None = None) -> str:
    """Classify content as html, text, json, feed or warc; SourceError if unusable.

    Binary formats are recognised by their leading bytes whatever the name says; then
    the media type or file extension decides, and content sniffing fills the gaps.
    """
    head = content[:HEAD_BYTES]
    body = _sniffable(head)
    if not body:
        raise SourceError("empty (no content)")
    _reject_known_binary(head, content_type)
    if looks_like_warc(head):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        raise SourceError("gzip-compressed data that is not a WARC archive")
    # UTF-16 text has NUL bytes too, but it starts with a byte-order mark.
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        raise SourceError("binary data (contains NUL bytes)")
    if looks_like_feed(head):
        return "feed"
    media, suffix = _media_type(content_type), _suffix(name)
    if media in FEED_TYPES or media in XML_TYPES or suffix in FEED_SUFFIXES:
        return _xml_kind(body, media, suffix)
    if media in JSON_TYPES or media.endswith("+json") or suffix in JSON_SUFFIXES:
        return "json"
    if media in HTML_TYPES or suffix in HTML_SUFFIXES:
        return "html"
    if media == "text/plain" or suffix in TEXT_SUFFIXES:
        return "text"
    return _sniff_unlabelled(body)


def _reject_known_binary(head: bytes, content_type: str | None) -> None:
    for signature, label in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise SourceError(f"binary file: {label}")
    media = _media_type(content_type)
    if media in BINARY_TYPES or media.startswith(BINARY_TYPE_PREFIXES):
        raise SourceError(f"unsupported content type {media}")


def _xml_kind(body: bytes, media: str, suffix: str) -> str:
    """XML-labelled content: a feed, XHTML, or nothing we can use."""
    prolog = _XML_PROLOG.match(body)
    if _HTML_TAG.match(body, prolog.end() if prolog else 0):
        return "html"
    if media in FEED_TYPES or suffix in (".rss", ".atom"):
        return "feed"  # labelled a feed: let the feed parser say what is wrong with it
    raise SourceError("XML that is not an RSS or Atom feed")


def _sniff_unlabelled(body: bytes) -> str:
    if body.startswith(b"<") and _HTML_TAG.search(body[:4096]):
        return "html"
    if _JSON_START.match(body):
        return "json"
    return "text"


def _sniffable(head: bytes) -> bytes:
    """The head as UTF-8-ish bytes without BOM or leading space, for markup sniffing."""
    if head.startswith(_UTF16_BOMS):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return head.removeprefix(_UTF8_BOM).lstrip()


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _suffix(name: str) -> str:
    lowered = name.lower()
    return ".warc.gz" if lowered.endswith(".warc.gz") else os.path.splitext(lowered)[1]


# --- sources -----------------------------------------------------------------------


def _stdin_items(stream: BinaryIO, options: _Options) -> Iterator[RawItem | SourceFailure]:
    try:
        content = _read_at_most(stream, options.max_bytes + 1)
    except OSError as exc:
        yield SourceFailure(STDIN_NAME, f"cannot read standard input: {_os_reason(exc)}")
        return
    if len(content) > options.max_bytes:
        yield SourceFailure(STDIN_NAME, f"standard input is larger than {options.max_bytes} bytes")
        return
    yield from _content_items(STDIN_NAME, content, options)


def _url_items(url: str, options: _Options) -> Iterator[RawItem | SourceFailure]:
    if options.fetcher is None:
        yield SourceFailure(url, "network fetching is off, URL not fetched")
        return
    try:
        result = options.fetcher.fetch(url)
    except FetchError as exc:
        yield SourceFailure(url, str(exc))
        return
    yield from _content_items(
        url,
        result.content,
        options,
        name=urlsplit(result.final_url).path,
        content_type=result.content_type,
        headers=result.headers,
        url=result.final_url,
    )


def _path_items(path: Path, options: _Options) -> Iterator[RawItem | SourceFailure]:
    try:
        is_dir = path.is_dir()
    except OSError as exc:
        yield SourceFailure(str(path), _os_reason(exc))
        return
    if is_dir:
        yield from _directory_items(path, options)
    else:
        yield from _file_items(path, options)


def _directory_items(root: Path, options: _Options) -> Iterator[RawItem | SourceFailure]:
    """Files with a known extension anywhere below ``root``, in path order."""
    problems: list[OSError] = []
    files = sorted(_usable_files(root, problems), key=lambda path: path.parts)
    for path in files:
        yield from _file_items(path, options)
    for problem in problems:
        yield SourceFailure(str(problem.filename or root), _os_reason(problem))
    if not files and not problems:
        wanted = ", ".join(DIRECTORY_SUFFIXES)
        yield SourceFailure(str(root), f"directory has no usable files ({wanted})")


def _usable_files(root: Path, problems: list[OSError]) -> Iterator[Path]:
    """Walk without following directory links (no loops); hidden names are skipped."""
    for folder, dirnames, filenames in os.walk(root, onerror=problems.append):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and name.lower().endswith(DIRECTORY_SUFFIXES):
                yield Path(folder) / name


def _file_items(path: Path, options: _Options) -> Iterator[RawItem | SourceFailure]:
    source = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # FIFOs and devices could block or never end
            yield SourceFailure(source, "not a regular file")
            return
        if info.st_size == 0:
            yield SourceFailure(source, "empty file")
            return
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
            if looks_like_warc(head):  # streamed record by record; the cap is per record
                handle.seek(0)
                yield from _warc_items(source, handle, options)
                return
            if info.st_size > options.max_bytes:
                yield SourceFailure(source, f"file is larger than {options.max_bytes} bytes")
                return
            content = head + _read_at_most(handle, options.max_bytes + 1 - len(head))
    except OSError as exc:
        yield SourceFailure(source, _os_reason(exc))
        return
    if len(content) > options.max_bytes:  # it grew after stat
        yield SourceFailure(source, f"file is larger than {options.max_bytes} bytes")
        return
    yield from _content_items(source, content, options, name=path.name)


def _content_items(
    source: str,
    content: bytes,
    options: _Options,
    *,
    name: str = "",
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
    url: str | None = None,
    nested: bool = False,
) -> Iterator[RawItem | SourceFailure]:
    """Dispatch loaded content by kind; ``nested`` content (a feed item) may not be a
    feed or archive itself, so a feed cannot lead us on an endless walk."""
    try:
        kind = sniff_kind(content, name, content_type)
    except SourceError as exc:
        yield SourceFailure(source, str(exc))
        return
    if kind in ("feed", "warc") and nested:
        yield SourceFailure(source, f"feed item is itself a {kind}, not followed")
    elif kind == "feed":
        yield from _feed_items(source, content, options, base_url=url)
    elif kind == "warc":
        yield from _warc_items(source, io.BytesIO(content), options)
    else:
        yield RawItem(source, content, content_type, kind, headers or {}, url)


def _feed_items(
    source: str, content: bytes, options: _Options, *, base_url: str | None
) -> Iterator[RawItem | SourceFailure]:
    try:
        entries = parse_feed(content, base_url=base_url, max_items=options.max_feed_items)
    except FeedError as exc:
        yield SourceFailure(source, str(exc))
        return
    fetcher = options.fetcher
    if fetcher is None:
        links = f"{len(entries)} item link{'' if len(entries) == 1 else 's'}"
        yield SourceFailure(source, f"feed has {links} but network fetching is off; none fetched")
        return
    for entry in entries:
        try:
            result = fetcher.fetch(entry.link)
        except FetchError as exc:
            yield SourceFailure(entry.link, str(exc))
            continue
        for item in _content_items(
            entry.link,
            result.content,
            options,
            name=urlsplit(result.final_url).path,
            content_type=result.content_type,
            headers=result.headers,
            url=result.final_url,
            nested=True,
        ):
            if isinstance(item, RawItem):
                item = dataclasses.replace(item, published=entry.published)
            yield item


def _warc_items(
    source: str, stream: BinaryIO, options: _Options
) -> Iterator[RawItem | SourceFailure]:
    pages = 0
    try:
        for page in iter_warc_pages(stream, max_bytes=options.max_bytes):
            if isinstance(page, WarcSkip):
                yield SourceFailure(f"{source}#{page.uri}", page.reason)
                continue
            pages += 1
            yield RawItem(
                source=f"{source}#{page.uri}",
                content=page.content,
                content_type=page.content_type,
                kind="html",
                headers=page.headers,
                url=page.uri,
            )
    except WarcError as exc:
        yield SourceFailure(source, str(exc))
        return
    if pages == 0:
        yield SourceFailure(source, "WARC has no HTML responses with status 200")


def _read_at_most(stream: BinaryIO, limit: int) -> bytes:
    """Read until EOF or ``limit`` bytes, whichever comes first (pipes return short reads)."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = stream.read(min(remaining, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return " ".join((exc.strerror or str(exc) or type(exc).__name__).split()).lower()
