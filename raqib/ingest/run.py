"""Ingest a batch of sources into a store: one outcome per source, never a traceback.

Each document is committed in its own transaction by the store, so a crash or a kill
loses at most the document in flight; re-running skips what is already stored.

Extraction uses `extractor_for_store(store)`: the bundled knowledge base, RAQIB_KB_PATH
and the names imported into that store. Its version changes with the imported data,
so a document ingested again after a `raqib kb import` is extracted again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from raqib.extract.engine import RuleExtractor
from raqib.ingest.sources import RawItem, SourceFailure
from raqib.pipeline import build_document, extract, extractor_for_store
from raqib.store import Store


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one source: ingested, duplicate, exists or failed."""

    status: str
    source: str
    doc_id: str | None = None
    title: str | None = None
    reason: str | None = None
    duplicate_of: str | None = None


@dataclass(slots=True)
class Summary:
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status == "failed":
            self.failures.append(outcome)

    @property
    def stored_any(self) -> bool:
        return any(self.counts[s] for s in ("ingested", "duplicate", "exists"))

    def line(self) -> str:
        parts = [f"{self.counts[s]} {s}" for s in ("ingested", "duplicate", "exists", "failed")]
        return "summary: " + ", ".join(parts)


def one_line(error: BaseException) -> str:
    """A user-facing reason: the exception's message on one line, its type when empty."""
    text = " ".join(str(error).split())
    return text[:300] if text else type(error).__name__


def ingest_item(item: RawItem, store: Store, published: str | None = None,
                extractor: RuleExtractor | None = None) -> Outcome:
    """Clean, store and extract one raw item; every error becomes a failed outcome.

    `extractor` defaults to `extractor_for_store(store)`; pass it when ingesting many
    items, which `ingest_items` does."""
    if extractor is None:
        extractor = extractor_for_store(store)
    try:
        document = build_document(item, published=published, extractor=extractor)
    except (ValueError, LookupError, RecursionError, MemoryError) as error:
        return Outcome("failed", item.source, reason=one_line(error))
    added = store.add_document(
        document, raw_content=item.content, raw_source=item.source,
        content_type=item.content_type, headers=item.headers, url=item.url,
    )
    # Re-extract when the stored extraction is missing (a kill between the two commits)
    # or was made by another version of the extractor or of its knowledge base.
    if store.extraction_version(added.doc_id, extractor.name) != extractor.version:
        extraction = extract(document, extractor)
        store.save_extraction(added.doc_id, extractor.name, extractor.version,
                              extraction.to_dict())
    return Outcome(
        added.status, item.source, doc_id=added.doc_id, title=document.title,
        duplicate_of=added.duplicate_of,
    )


def ingest_items(
    items: Iterable[RawItem | SourceFailure],
    store: Store,
    published: str | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    extractor: RuleExtractor | None = None,
) -> Summary:
    """Ingest every item; `extractor` defaults to `extractor_for_store(store)`, chosen
    once for the whole batch (raises KBError or StoreError when it cannot be built)."""
    if extractor is None:
        extractor = extractor_for_store(store)
    summary = Summary()
    for outcome in _outcomes(items, store, published, extractor):
        summary.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return summary


def _outcomes(
    items: Iterable[RawItem | SourceFailure], store: Store, published: str | None,
    extractor: RuleExtractor,
) -> Iterator[Outcome]:
    for item in items:
        if isinstance(item, SourceFailure):
            yield Outcome("failed", item.source, reason=item.reason)
        else:
            yield ingest_item(item, store, published, extractor)
