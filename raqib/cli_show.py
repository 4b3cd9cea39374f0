"""`raqib documents` and `raqib show`: read the store for a person."""

from __future__ import annotations

import json

import typer

from raqib.cli_extract import summarise
from raqib.model import Document, Extraction, extraction_from_dict
from raqib.pipeline import EXTRACTOR_NAME
from raqib.store import Store


def print_documents(store: Store, *, limit: int, offset: int, language: str | None,
                    as_json: bool) -> None:
    rows = store.list_documents(limit=limit, offset=offset, language=language)
    for row in rows:
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False, default=str))
        else:
            dup = f"  (duplicate of {row['duplicate_of'][:12]})" if row.get("duplicate_of") else ""
            typer.echo(f"{row['id'][:12]}  {row.get('language') or '-':<3} "
                       f"{row.get('published') or '-':<10}  "
                       f"{row.get('title') or row['source']}{dup}")


def show_document(store: Store, doc_id: str, *, as_json: bool) -> bool:
    """Print a stored document; False when there is none with that id."""
    document = store.get_document(doc_id)
    if document is None:
        return False
    payload = store.get_extraction(document.id, EXTRACTOR_NAME)
    if as_json:
        typer.echo(json.dumps(payload or {"document": document.to_dict()}, ensure_ascii=False))
        return True
    extraction = _from_payload(document, payload)
    typer.echo(summarise(extraction))
    typer.echo("")
    typer.echo(document.text)
    return True


def _from_payload(document: Document, payload: dict | None) -> Extraction:
    """Rebuild enough of an Extraction for the summary (entities, events, statements)."""
    if not payload:
        return Extraction(document=document)
    return extraction_from_dict(payload)
