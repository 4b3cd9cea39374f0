"""Raqib: reads news on arms trafficking and records who says what about whom.

The public API:

    from raqib import extract, build_document, open_store, Document, Extraction

`raqib.extract` is the per-document function; the rules behind it live in the
subpackage of the same name, whose modules import as usual
(`from raqib.extract import engine`).
"""

__version__ = "0.2.0"

# Imported after __version__, which the modules below read. Binding `extract` here,
# after `raqib.pipeline` has loaded the `raqib.extract` subpackage, makes the name the
# function; the subpackage's modules stay reachable through the import system.
from raqib.model import (
    Attribution,
    Document,
    Entity,
    Event,
    Extraction,
    Mention,
    Source,
    Statement,
)
from raqib.pipeline import build_document, extract
from raqib.store import open_store

__all__ = [
    "Attribution",
    "Document",
    "Entity",
    "Event",
    "Extraction",
    "Mention",
    "Source",
    "Statement",
    "__version__",
    "build_document",
    "extract",
    "open_store",
]
