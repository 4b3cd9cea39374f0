"""Versioned schema migrations, without alembic.

`MIGRATIONS` is the ordered list of steps; the `schema_version` table records which
ones a database has had. Opening a store runs every step whose version is above the
recorded one, each in its own transaction together with its `schema_version` row, so
a crash mid-migration leaves the database at the previous version, never half-way.

Every step must also be idempotent (create only what is missing), because a fresh
database runs all steps in order against the *current* table definitions in
`schema.py`: step 1 creates today's tables, and a later "add column" step then finds
the column already there and does nothing. A database created long ago gets the same
end state by running the later steps for real. A step that rewrites data (step 3
recomputes the duplicate keys from the stored texts) is idempotent by nature, and on a
fresh database finds no rows to rewrite.

Two processes opening the same new database at once are serialised: on SQLite the
store's engine begins every write with BEGIN IMMEDIATE; on PostgreSQL each step takes
a transaction-scoped advisory lock before it reads the version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Table,
    bindparam,
    delete,
    insert,
    inspect,
    select,
    text,
    update,
)

from raqib.ingest import dedup
from raqib.store import schema

READ_OPTION = "raqib_read"  # execution option: this connection only reads (plain BEGIN)
REKEY_BATCH = 500  # documents whose texts are held in memory at once by recompute_dedup_keys


class SchemaVersionError(RuntimeError):
    """The database was written by a newer Raqib than this one."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for `name` (PostgreSQL)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def serialise_writers(conn: Connection, name: str) -> None:
    """Make concurrent transactions that call this with the same `name` run one at a time.

    SQLite needs nothing: the store's BEGIN IMMEDIATE already holds the database's
    single write lock. PostgreSQL gets an advisory lock released at commit/rollback.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(name)})


def create_missing_tables(conn: Connection, tables: Sequence[Table]) -> None:
    """CREATE TABLE (and its indexes) for each of `tables` that does not exist yet."""
    schema.metadata.create_all(conn, tables=list(tables), checkfirst=True)


def add_column_if_missing(conn: Connection, table: Table, column: Column) -> None:
    """ALTER TABLE ... ADD COLUMN, unless the column is already there.

    For later steps; `column` must be nullable or have a server default.
    """
    existing = {c["name"] for c in inspect(conn).get_columns(table.name)}
    if column.name in existing:
        return
    ddl = column.type.compile(dialect=conn.dialect)
    name = conn.dialect.identifier_preparer.quote(column.name)
    tname = conn.dialect.identifier_preparer.quote(table.name)
    conn.execute(text(f"ALTER TABLE {tname} ADD COLUMN {name} {ddl}"))


def _initial(conn: Connection) -> None:
    create_missing_tables(conn, schema.TABLES_V1[1:])


def _kb_import(conn: Connection) -> None:
    for name in schema.KB_ENTRY_COLUMNS_V2:
        add_column_if_missing(conn, schema.kb_entries, schema.kb_entries.c[name])
    add_column_if_missing(conn, schema.kb_names, schema.kb_names.c.weak)
    create_missing_tables(conn, [schema.kb_sanctions])


def recompute_dedup_keys(conn: Connection, batch_rows: int = REKEY_BATCH) -> None:
    """Recompute every stored document's duplicate keys from its stored text.

    For a change of `dedup.fold_text` (or of the sketch parameters): `text_hash`, the
    MinHash row and the band rows become exactly what ingesting the text today would
    write. Documents are read in id order, `batch_rows` at a time, so memory stays
    bounded whatever the size of the store. `duplicate_of` and `similarity` are left as
    they were: they record what was decided at ingest; the new keys only change what
    later documents are compared against.
    """
    if batch_rows < 1:
        raise ValueError("batch_rows must be at least 1")
    docs = schema.documents.c
    after = ""  # ids are non-empty hex, so every id sorts after ""
    while True:
        rows = conn.execute(select(docs.id, docs.text).where(docs.id > after)
                            .order_by(docs.id).limit(batch_rows)).all()
        if not rows:
            return
        _rewrite_dedup_keys(conn, {row.id: dedup.document_keys(row.text) for row in rows})
        after = rows[-1].id


def _rewrite_dedup_keys(conn: Connection, keys: dict[str, dedup.DocumentKeys]) -> None:
    """Replace the hash, sketch and bands of these documents (one statement per table)."""
    ids = list(keys)
    docs, minhash, bands = schema.documents, schema.document_minhash, schema.document_bands
    conn.execute(update(docs).where(docs.c.id == bindparam("doc_id"))
                 .values(text_hash=bindparam("new_hash")),
                 [{"doc_id": doc_id, "new_hash": k.text_hash} for doc_id, k in keys.items()])
    conn.execute(delete(minhash).where(minhash.c.document_id.in_(ids)))
    conn.execute(delete(bands).where(bands.c.document_id.in_(ids)))
    sketches = [{"document_id": doc_id, "sketch": dedup.SKETCH,
                 "hashvalues": dedup.minhash_to_bytes(k.sketch)}
                for doc_id, k in keys.items() if k.sketch is not None]
    band_rows = [{"band_key": band, "document_id": doc_id}
                 for doc_id, k in keys.items() for band in k.bands]
    if sketches:  # an empty list would be an INSERT of one row of defaults
        conn.execute(insert(minhash), sketches)
    if band_rows:
        conn.execute(insert(bands), band_rows)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema: raw inputs, documents, dedup keys, extractions, "
                 "knowledge base and clean-room resolution tables", _initial),
    Migration(2, "knowledge-base import: FtM columns on kb_entries and kb_names, "
                 "kb_sanctions table", _kb_import),
    Migration(3, "duplicate keys (text_hash, MinHash sketches, LSH bands) recomputed "
                 "with the project's text fold (raqib.text.arabic)", recompute_dedup_keys),
)
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The highest applied version, 0 for a database without `schema_version`."""
    if not inspect(conn).has_table(schema.schema_version.name):
        return 0
    found = conn.execute(select(schema.schema_version.c.version)
                         .order_by(schema.schema_version.c.version.desc()).limit(1)).scalar()
    return int(found or 0)


def migrate(engine: Engine, steps: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the pending `steps` in order, one transaction each; return the final version."""
    _check_order(steps)
    latest = steps[-1].version
    with engine.connect() as conn:  # fast path: an up-to-date database takes no write lock
        version = current_version(conn.execution_options(**{READ_OPTION: True}))
    _check_not_newer(version, latest)
    if version == latest:
        return version
    for step in steps:
        with engine.begin() as conn:
            serialise_writers(conn, "raqib.migrate")
            version = current_version(conn)
            _check_not_newer(version, latest)
            if version >= step.version:
                continue
            create_missing_tables(conn, [schema.schema_version])
            step.apply(conn)
            conn.execute(schema.schema_version.insert().values(
                version=step.version, description=step.description, applied_at=_now()))
            version = step.version
    return version


def _check_not_newer(version: int, latest: int) -> None:
    if version > latest:
        raise SchemaVersionError(
            f"database schema version {version} is newer than this Raqib supports "
            f"({latest}); upgrade Raqib")


def _check_order(steps: Sequence[Migration]) -> None:
    versions = [s.version for s in steps]
    if not versions or versions != sorted(set(versions)) or versions[0] < 1:
        raise ValueError(f"migration versions must be unique, ascending and >= 1: {versions}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
