"""Read the two JSON shapes that news crawlers write, into one set of fields.

news-please writes ``maintext``, ``title``, ``authors`` (a list), ``date_publish``
("2024-10-07 12:00:00"), ``source_domain``, ``url``, ``description``, ``language``.
trafilatura writes ``text`` (or only ``raw_text``), ``title``, ``author`` ("A; B"),
``date``, ``sitename`` (``source-hostname`` in recent versions), ``hostname``,
``categories`` ("a;b" or a list), ``source`` (the URL), ``excerpt``/``description``.
Cleaning of the text itself happens in raqib.ingest.clean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = ["NewsFields", "NewsJsonError", "iso_date", "read_news_json"]


class NewsJsonError(ValueError):
    """A JSON record without usable article text; the message is one line."""


@dataclass(frozen=True, slots=True)
class NewsFields:
    """The fields of one crawled article, whichever crawler wrote it."""

    text: str
    title: str | None = None
    lede: str | None = None
    byline: str | None = None
    published: str | None = None
    outlet: str | None = None
    section: str | None = None
    url: str | None = None
    language: str | None = None


_ISO_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ]|$)")


def read_news_json(data: Any) -> NewsFields:
    """Fields of a news-please or trafilatura record; NewsJsonError when there is no text."""
    if not isinstance(data, dict):
        raise NewsJsonError(f"news JSON must be an object, not {type(data).__name__}")
    if "maintext" in data:
        return _news_please(data)
    if "text" in data or "raw_text" in data:
        return _trafilatura(data)
    raise NewsJsonError("news JSON has no article text: expected 'maintext' or 'text'")


def _news_please(data: dict[str, Any]) -> NewsFields:
    authors = data.get("authors")
    if isinstance(authors, list):
        byline = "; ".join(a.strip() for a in authors if isinstance(a, str) and a.strip())
    else:
        byline = _string(authors) or ""
    return NewsFields(
        text=_required_text(data, "maintext"),
        title=_string(data.get("title")) or _string(data.get("title_page")),
        lede=_string(data.get("description")),
        byline=byline or None,
        published=iso_date(data.get("date_publish")),
        outlet=_string(data.get("source_domain")),
        section=_string(data.get("section")) or _string(data.get("category")),
        url=_string(data.get("url")),
        language=_string(data.get("language")),
    )


def _trafilatura(data: dict[str, Any]) -> NewsFields:
    key = "text" if _string(data.get("text")) else "raw_text"
    return NewsFields(
        text=_required_text(data, key),
        title=_string(data.get("title")),
        lede=_string(data.get("excerpt")) or _string(data.get("description")),
        byline=_string(data.get("author")),
        published=iso_date(data.get("date")),
        outlet=(
            _string(data.get("sitename"))
            or _string(data.get("source-hostname"))
            or _string(data.get("hostname"))
        ),
        section=_first_category(data.get("categories")),
        url=_string(data.get("source")) or _string(data.get("url")),
        language=_string(data.get("language")),
    )


def _required_text(data: dict[str, Any], key: str) -> str:
    text = _string(data.get(key))
    if not text:
        raise NewsJsonError(f"news JSON has an empty '{key}': no article text")
    return text


def _string(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _first_category(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    text = _string(value)
    return _string(text.split(";")[0]) if text else None


def iso_date(value: Any) -> str | None:
    """The ISO 8601 day (YYYY-MM-DD) of an ISO or RFC 2822 timestamp, else None."""
    text = _string(value)
    if not text:
        return None
    match = _ISO_DAY.match(text)
    try:
        if match:
            return date.fromisoformat(match.group(1)).isoformat()
        parsed: datetime = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    return parsed.date().isoformat()
