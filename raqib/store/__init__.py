"""Raqib store layer: one interface over SQLite (default) and PostgreSQL, chosen by URL."""

from raqib.store.store import (
    AddOutcome,
    AmbiguousPrefixError,
    InvalidIdError,
    Store,
    StoreError,
    open_store,
)

__all__ = [
    "AddOutcome",
    "AmbiguousPrefixError",
    "InvalidIdError",
    "Store",
    "StoreError",
    "open_store",
]
