"""`raqib extract`: files -> contract JSON Lines (or a readable summary); reads a database
only for its imported names (--db), never writes one."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.markup import escape

from raqib.ingest.run import one_line
from raqib.ingest.sources import SourceFailure, iter_sources
from raqib.kb.loader import KBError
from raqib.model import Extraction
from raqib.pipeline import base_extractor, build_document, extract, extractor_for_store
from raqib.settings import load_settings
from raqib.store import Store, StoreError


def run_extract(files: list[str], *, fmt: str, published: str | None, console: Console,
                store: Store | None = None) -> int:
    """Print one extraction per document; 1 when any input failed, 0 otherwise.

    With `store`, the names imported into it (`raqib kb import`) are matched too and
    sanctioned entities flagged; nothing is written to it. A knowledge base that
    cannot be loaded (bad RAQIB_KB_PATH files) fails the run (1) before any input."""
    failed = 0
    settings = load_settings()
    try:
        extractor = (base_extractor() if store is None
                     else extractor_for_store(store, settings.kb_paths))
    except (KBError, StoreError) as error:
        console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
        return 1
    for item in iter_sources(files, fetcher=None, stdin=sys.stdin.buffer,
                             max_bytes=settings.max_input_bytes):
        if isinstance(item, SourceFailure):
            report_failure(item.source, item.reason)
            failed += 1
            continue
        try:
            extraction = extract(build_document(item, published, extractor), extractor)
        except (ValueError, LookupError, RecursionError, MemoryError) as error:
            report_failure(item.source, one_line(error))
            failed += 1
            continue
        sys.stdout.write(render(extraction, fmt) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0


def report_failure(source: str, reason: str) -> None:
    """One tab-separated line on stderr, as `raqib ingest` prints on stdout."""
    sys.stderr.write(f"failed\t{source}\t{reason}\n")
    sys.stderr.flush()


def render(extraction: Extraction, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(extraction.to_dict(), ensure_ascii=False)
    return summarise(extraction)


def summarise(extraction: Extraction) -> str:
    """A readable summary: metadata, entities, events with their chains, statements."""
    doc = extraction.document
    names = {e.id: e.name for e in extraction.entities}
    lines = [
        f"# {doc.title or '(untitled)'}",
        f"id {doc.id[:12]}  language {doc.language}  outlet {doc.outlet or '-'}  "
        f"published {doc.published or '-'}  source {doc.source}",
        "",
        f"entities ({len(extraction.entities)}):",
    ]
    lines += [f"  {e.id}  {e.type:<12} {e.name}" + (f"  [{e.kb_id}]" if e.kb_id else "")
              for e in extraction.entities]
    lines.append(f"events ({len(extraction.events)}):")
    for event in extraction.events:
        roles = "; ".join(
            f"{role}=" + ", ".join(names.get(v, v) if isinstance(v, str) else v.text for v in vals)
            for role, vals in event.roles.items()
        )
        chain = " -> ".join(s.name or s.kind for s in event.attribution.chain)
        when = f" time={event.time.value}" if event.time else ""
        lines.append(f"  {event.id}  {event.type} ({event.status}){when}  {roles}")
        lines.append(f"      {event.attribution.stance}: {chain}")
    lines.append(f"statements ({len(extraction.statements)}):")
    for st in extraction.statements:
        who = names.get(st.speaker or "", "unknown speaker")
        lines.append(f"  {who}{' (quote)' if st.quote else ''}: {st.text}")
    return "\n".join(lines)
