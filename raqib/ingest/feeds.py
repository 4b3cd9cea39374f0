"""RSS and Atom feeds: recognise them, and list their item links with publication dates."""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from typing import Any

import feedparser

DEFAULT_MAX_ITEMS = 50

# Anything that may precede the root element: XML declaration, processing
# instructions, comments, a DOCTYPE, whitespace.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?(?:rss|feed|RDF)[\s>/]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class FeedError(Exception):
    """The feed cannot be used; ``str(e)`` is a one-line reason."""


@dataclass(frozen=True)
class FeedEntry:
    link: str
    published: str | None  # ISO 8601 in UTC ("2024-10-08T10:00:00Z") when the feed gives one


def looks_like_feed(head: bytes) -> bool:
    """True when the document's root element is ``rss``, Atom ``feed`` or RSS 1.0 ``rdf:RDF``."""
    if head.startswith(_UTF16_BOMS):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    prolog = _PROLOG.match(head)
    start = prolog.end() if prolog else 0
    return _FEED_ROOT.match(head, start) is not None


def parse_feed(
    content: bytes, *, base_url: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> list[FeedEntry]:
    """The first ``max_items`` distinct item links of an RSS/Atom feed, in feed order.

    feedparser is lenient: a feed with XML errors still counts if items could be read;
    it is refused only when nothing usable came out. Relative links resolve against
    ``base_url`` (the feed's own URL).
    """
    headers = {"content-location": base_url} if base_url else {}
    # A stream, never bytes or str: feedparser would treat a str as a URL or file name.
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    entries = _entries_with_links(parsed.entries, max_items)
    if entries:
        return entries
    if parsed.bozo and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FeedError(f"malformed feed: {_one_line(problem) or 'not RSS or Atom'}")
    if not parsed.entries:
        raise FeedError("feed has no items")
    raise FeedError("feed items have no links")


def _entries_with_links(raw_entries: list[Any], max_items: int) -> list[FeedEntry]:
    seen: set[str] = set()
    entries: list[FeedEntry] = []
    for raw in raw_entries:
        link = (raw.get("link") or "").strip()
        if not link or link in seen:
            continue
        seen.add(link)
        entries.append(FeedEntry(link=link, published=_published(raw)))
        if len(entries) >= max_items:
            break
    return entries


def _published(raw: Any) -> str | None:
    """Publication time as ISO 8601 UTC; Atom's ``updated`` stands in when there is no
    ``published``. A date feedparser could not read is passed on as written."""
    for key in ("published", "updated"):
        parsed: time.struct_time | None = raw.get(f"{key}_parsed")
        if parsed is not None:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
        if raw.get(key):
            return str(raw[key]).strip()
    return None


def _one_line(problem: object) -> str:
    return " ".join(str(problem or "").split())
