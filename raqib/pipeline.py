"""The ordered stages, nothing else: raw bytes -> Document -> Extraction.

`build_document` does the I/O-free part of ingestion (decode, clean, detect language);
`extract` is the pure per-document function `Document -> Extraction` that the
architecture asks for, so it can run in a process pool or a Ray stage unchanged.
"""

from __future__ import annotations

from raqib.extract.engine import EXTRACTOR_NAME, EXTRACTOR_VERSION, default_extractor
from raqib.ingest.clean import clean_html, clean_news_json, clean_plain_text
from raqib.ingest.decode import decode_bytes
from raqib.ingest.language import detect_language
from raqib.ingest.sources import RawItem
from raqib.model import Document, Extraction

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "DocumentError", "build_document", "extract"]


class DocumentError(ValueError):
    """A raw item that cannot become a document; the message is one line for the user."""


def build_document(item: RawItem, published: str | None = None) -> Document:
    """Decode and clean one raw item. `published` fills in a missing publication date."""
    text = decode_bytes(item.content, item.content_type)
    if item.kind == "html":
        cleaned = clean_html(text, url=item.url)
    elif item.kind == "json":
        cleaned = clean_news_json(text)
    else:
        cleaned = clean_plain_text(text)
    if not cleaned.text.strip():
        raise DocumentError("no article text left after cleaning")
    return Document.from_text(
        cleaned.text,
        source=item.source,
        language=detect_language(cleaned.text),
        outlet=default_extractor().canonical_outlet(cleaned.outlet),
        title=cleaned.title,
        byline=cleaned.byline,
        section=cleaned.section,
        published=cleaned.published or item.published or published,
        removed=list(cleaned.removed),
        url=cleaned.url or item.url,
    )


def extract(document: Document) -> Extraction:
    """Run every extraction stage over one document. Pure: no I/O, no global state
    beyond the read-only knowledge base and lexicons, loaded once per process."""
    return default_extractor().extract(document)
