"""The ordered stages, nothing else: raw bytes -> Document -> Extraction.

`build_document` does the I/O-free part of ingestion (decode, clean, detect language);
`extract` is the pure per-document function `Document -> Extraction` that the
architecture asks for, so it can run in a process pool or a Ray stage unchanged.

Which extractor runs is chosen here, once per batch, not per document:

- `base_extractor()`: the bundled knowledge base plus the analyst's YAML files named in
  RAQIB_KB_PATH (`settings.kb_paths`);
- `extractor_for_store(store)`: the same plus the entities imported into that store
  (`raqib kb import`): their names become matchable and the sanctioned ones are flagged.

An extractor that sees more than the bundled knowledge base carries a version of the
form "0.2.0+kb.<digest>", the digest covering the extra files and the imported data,
so that a store re-extracts a document once those change (see raqib.ingest.run).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from raqib.extract.engine import (
    EXTRACTOR_NAME,
    EXTRACTOR_VERSION,
    RuleExtractor,
    default_extractor,
)
from raqib.ingest.clean import clean_html, clean_news_json, clean_plain_text
from raqib.ingest.decode import decode_bytes
from raqib.ingest.language import detect_language
from raqib.ingest.sources import RawItem
from raqib.kb.loader import load_kb
from raqib.model import Document, Extraction
from raqib.settings import load_settings

if TYPE_CHECKING:
    from raqib.store import Store

__all__ = [
    "EXTRACTOR_NAME", "EXTRACTOR_VERSION", "MAX_MATCHED_IMPORTS", "DocumentError",
    "base_extractor", "build_document", "extract", "extractor_for_store",
]

# Above this many imported entities only the sanctioned ones become matchable names:
# the whole OpenSanctions collection (over a million people, most of them PEPs) would
# make a gazetteer of several gigabytes, while the sanctions lists are a few tens of
# thousands of entities.
MAX_MATCHED_IMPORTS = 200_000
KB_SUFFIXES = (".yaml", ".yml")


class DocumentError(ValueError):
    """A raw item that cannot become a document; the message is one line for the user."""


def build_document(item: RawItem, published: str | None = None,
                   extractor: RuleExtractor | None = None) -> Document:
    """Decode and clean one raw item. `published` fills in a missing publication date;
    `extractor` (default `base_extractor()`) names the outlet as its knowledge base does."""
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
        outlet=(extractor or base_extractor()).canonical_outlet(cleaned.outlet),
        title=cleaned.title,
        byline=cleaned.byline,
        section=cleaned.section,
        published=cleaned.published or item.published or published,
        removed=list(cleaned.removed),
        url=cleaned.url or item.url,
    )


def extract(document: Document, extractor: RuleExtractor | None = None) -> Extraction:
    """Run every extraction stage over one document, with `extractor` (default
    `base_extractor()`). Pure: no I/O, no global state beyond the read-only knowledge
    base and lexicons, loaded once per process."""
    return (extractor or base_extractor()).extract(document)


# --- choosing the extractor -----------------------------------------------------------------


def base_extractor() -> RuleExtractor:
    """The bundled knowledge base plus RAQIB_KB_PATH; built once per set of paths.

    Raises KBError (a ValueError with a one-line message) for bad extra files."""
    return _with_paths(load_settings().kb_paths)


@cache
def _with_paths(paths: tuple[str, ...]) -> RuleExtractor:
    if not paths:
        return default_extractor()
    extractor = RuleExtractor(load_kb(paths))
    extractor.version = _version(_files_digest(paths), None)
    return extractor


_store_lock = threading.Lock()
_store_cache: dict[tuple[str, tuple[str, ...], str], RuleExtractor] = {}


def extractor_for_store(store: Store, kb_paths: Sequence[str] | None = None) -> RuleExtractor:
    """The extractor that also knows the entities imported into `store`.

    Imported entities linked to a bundled entry add their missing names to it as
    aliases; the others become entries "ftm:<FtM id>"; sanctioned ones get
    `sanctioned: true` and `details.sanctions` in the output (raqib.kb.sanctions).
    Without imports this is `base_extractor()`. The last one built is kept, keyed by
    the store URL, RAQIB_KB_PATH and the store's import fingerprint, so asking again
    costs two aggregate queries, and a new import is picked up on the next call.
    `kb_paths` defaults to RAQIB_KB_PATH.
    """
    paths = load_settings().kb_paths if kb_paths is None else tuple(kb_paths)
    imported = store.imported_fingerprint()
    if imported is None:
        return _with_paths(paths)
    key = (store.url, paths, imported)
    with _store_lock:
        extractor = _store_cache.get(key)
        if extractor is None:
            extractor = _build_for_store(store, paths, imported)
            _store_cache.clear()  # one at a time: each holds a whole gazetteer
            _store_cache[key] = extractor
    return extractor


def _build_for_store(store: Store, paths: tuple[str, ...], imported: str) -> RuleExtractor:
    from raqib.kb.sanctions import overlay_entries, sanctions_overlay  # followthemoney: slow

    kb = load_kb(paths)
    large = store.count_imported() > MAX_MATCHED_IMPORTS
    overlay = sanctions_overlay(kb, store.iter_imported_entities(), sanctioned_only=large)
    extractor = RuleExtractor(kb, overlay_entries(kb, overlay), overlay.sanctioned)
    extractor.version = _version(_files_digest(paths) if paths else None, imported)
    return extractor


def _version(files: str | None, imported: str | None) -> str:
    """EXTRACTOR_VERSION plus a local-version tag (PEP 440 style) for the extra data."""
    digest = hashlib.blake2b(f"{files}|{imported}".encode(), digest_size=5).hexdigest()
    return f"{EXTRACTOR_VERSION}+kb.{digest}"


def _files_digest(paths: Sequence[str]) -> str:
    """A digest of the extra knowledge-base files' names and contents (the same files
    `load_kb` reads: YAML files given directly or found under given folders)."""
    digest = hashlib.blake2b(digest_size=16)
    for raw in paths:
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.suffix in KB_SUFFIXES) \
            if path.is_dir() else [path]
        for file in files:
            digest.update(str(file).encode("utf-8", "surrogateescape") + b"\0")
            with contextlib.suppress(OSError):  # load_kb has refused what cannot be read
                digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
