"""`raqib extract`: files -> contract JSON Lines (or a readable summary), no database."""

from __future__ import annotations

import json
import sys

from rich.console import Console

from raqib.ingest.run import one_line
from raqib.ingest.sources import SourceFailure, iter_sources
from raqib.model import Extraction
from raqib.pipeline import build_document, extract
from raqib.settings import load_settings


def run_extract(files: list[str], *, fmt: str, published: str | None, console: Console) -> int:
    """Print one extraction per document; 1 when any input failed, 0 otherwise."""
    failed = 0
    settings = load_settings()
    for item in iter_sources(files, fetcher=None, stdin=sys.stdin.buffer,
                             max_bytes=settings.max_input_bytes):
        if isinstance(item, SourceFailure):
            console.print(f"failed\t{item.source}\t{item.reason}", markup=False, highlight=False)
            failed += 1
            continue
        try:
            extraction = extract(build_document(item, published=published))
        except (ValueError, LookupError, RecursionError, MemoryError) as error:
            console.print(f"failed\t{item.source}\t{one_line(error)}",
                          markup=False, highlight=False)
            failed += 1
            continue
        sys.stdout.write(render(extraction, fmt) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0


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
