"""The database schema as SQLAlchemy Core tables: one definition for SQLite and PostgreSQL.

docs/schema.md describes every table and column for people who query the database.

Choices that hold across tables:

* Timestamps are ISO 8601 UTC text (`2024-10-06T12:00:00.000000Z`). They sort
  chronologically as text, read the same in `sqlite3` and `psql`, and avoid the two
  backends' different date types.
* Document ids are the contract id: 64 hex characters of SHA-256 over the cleaned text.
* Character spans use `span_start`/`span_end` (code-point offsets, half-open) because
  `end` is a reserved word in SQL and would need quoting in every hand-written query.
* Child rows are deleted with their document (ON DELETE CASCADE); links to resolved,
  cross-document rows (entities, duplicates) are cleared (SET NULL) instead.
* The tables below `extractions` are created empty now and filled by later stages
  (normalised extraction rows, cross-document resolution); the knowledge-base tables
  are filled by `raqib kb import` (`Store.import_kb_entities`).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Deterministic constraint names, so that later migrations can name what they alter
# on both backends.
metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

HEX_ID = String(64)  # SHA-256 hex
STAMP = String(40)  # ISO 8601 UTC text
NAME = String(100)  # extractor names, versions, types, roles
LOCAL_ID = String(64)  # an id inside one document's extraction ("e3", "ev1")
OPTIONAL_JSON = JSON(none_as_null=True)  # Python None -> SQL NULL, not the JSON text null


def _doc_fk() -> Column:
    return Column("document_id", HEX_ID, ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False, index=True)


def _entity_fk(name: str = "entity_id") -> Column:
    return Column(name, HEX_ID, ForeignKey("entities.id", ondelete="SET NULL"), index=True)


def _span(prefix: str = "span") -> list[Column]:
    return [Column(f"{prefix}_start", Integer), Column(f"{prefix}_end", Integer)]


schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", STAMP, nullable=False),
)

raw_inputs = Table(
    "raw_inputs", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", HEX_ID, nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("content_type", Text),
    Column("headers", OPTIONAL_JSON),
    Column("fetched_at", STAMP, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),  # zlib-compressed original bytes
)

documents = Table(
    "documents", metadata,
    Column("id", HEX_ID, primary_key=True),
    Column("raw_id", Integer, ForeignKey("raw_inputs.id", ondelete="SET NULL"), index=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("byline", Text),
    Column("section", Text),
    Column("published", String(40), index=True),
    Column("language", String(16), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("removed", JSON, nullable=False),
    Column("text_hash", HEX_ID, nullable=False, index=True),
    Column("duplicate_of", HEX_ID, ForeignKey("documents.id", ondelete="SET NULL"), index=True),
    Column("similarity", Float),
    Column("ingested_at", STAMP, nullable=False, index=True),
)

document_minhash = Table(
    "document_minhash", metadata,
    Column("document_id", HEX_ID, ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("sketch", String(64), nullable=False),
    Column("hashvalues", LargeBinary, nullable=False),
)

document_bands = Table(
    "document_bands", metadata,
    Column("band_key", String(24), primary_key=True),
    Column("document_id", HEX_ID, ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)

extractions = Table(
    "extractions", metadata,
    Column("id", Integer, primary_key=True),
    _doc_fk(),
    Column("extractor", NAME, nullable=False),
    Column("version", NAME, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", STAMP, nullable=False),
    UniqueConstraint("document_id", "extractor"),
    Index(None, "extractor", "version"),
)

# --- Knowledge base: imported FollowTheMoney / OpenSanctions entities ------------------

KB_ID = String(200)  # FtM ids are free text; OpenSanctions' are well under 100 characters

# Columns after `imported_at` (and `weak` in kb_names) were added by migration 2, for
# `raqib kb import`; ALTER TABLE ADD COLUMN needs them nullable.
kb_entries = Table(
    "kb_entries", metadata,
    Column("id", KB_ID, primary_key=True),  # FtM entity id or bundled KB id
    Column("ftm_schema", NAME, nullable=False),  # Person, Organization, Vessel, ...
    Column("caption", Text, nullable=False),
    Column("dataset", String(200), nullable=False, index=True),
    Column("sanctioned", Boolean, nullable=False, default=False),
    Column("properties", JSON, nullable=False),
    Column("imported_at", STAMP, nullable=False),
    Column("origin", String(16)),  # "ftm" for imported FtM entities
    Column("type", String(32)),  # Raqib's entity type: person, organization, vessel, ...
    Column("datasets", OPTIONAL_JSON),  # every dataset listing it (`dataset` is the first)
    Column("topics", OPTIONAL_JSON),  # FtM topics: "sanction", "role.pep", ...
    Column("programs", OPTIONAL_JSON),  # sanctions programmes named on the entity itself
    Column("countries", OPTIONAL_JSON),  # ISO codes from every country property
    Column("referents", OPTIONAL_JSON),  # older ids OpenSanctions merged into this one
    Column("target", Boolean),  # OpenSanctions "target" flag
    Column("checksum", String(64)),  # hash of what was imported: unchanged rows are skipped
)

kb_names = Table(
    "kb_names", metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", KB_ID, ForeignKey("kb_entries.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("lang", String(16)),
    Column("fingerprint", String(200), nullable=False, index=True),
    Column("weak", Boolean),  # an FtM weakAlias: too generic to match on alone
)

# FtM Sanction entities, one row per designated entity. Not a foreign key: OpenSanctions
# may write a Sanction before its target, and a file may hold only the Sanctions.
kb_sanctions = Table(
    "kb_sanctions", metadata,
    Column("id", Integer, primary_key=True),
    Column("sanction_id", KB_ID, nullable=False),  # leads the unique index below
    Column("entity_id", KB_ID, nullable=False, index=True),
    Column("programs", JSON, nullable=False),
    Column("datasets", JSON, nullable=False),
    Column("authority", Text),
    Column("properties", JSON, nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("imported_at", STAMP, nullable=False),
    UniqueConstraint("sanction_id", "entity_id"),
)

# --- Extraction rows and cross-document resolution (filled by later stages) -------------

entities = Table(
    "entities", metadata,
    Column("id", HEX_ID, primary_key=True),
    Column("type", String(32), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("names", OPTIONAL_JSON),
    Column("kb_id", String(200), ForeignKey("kb_entries.id", ondelete="SET NULL"), index=True),
    Column("sanctioned", Boolean),
    Column("fingerprint", String(200), index=True),
    Column("created_at", STAMP, nullable=False),
    Column("updated_at", STAMP, nullable=False),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    _doc_fk(),
    Column("extractor", NAME, nullable=False),
    Column("local_entity", LOCAL_ID, nullable=False),
    _entity_fk(),
    Column("type", String(32)),
    Column("text", Text, nullable=False),
    *_span(),
)

events = Table(
    "events", metadata,
    Column("id", HEX_ID, primary_key=True),
    _doc_fk(),
    Column("extractor", NAME, nullable=False),
    Column("version", NAME, nullable=False),
    Column("local_id", LOCAL_ID, nullable=False),
    Column("type", String(32), nullable=False, index=True),
    Column("status", String(32)),
    Column("trigger_text", Text),
    *_span("trigger"),
    *_span("sentence"),
    Column("time_text", Text),
    Column("time_value", String(40), index=True),
    Column("stance", String(16)),
    Column("story_id", HEX_ID, index=True),
    Column("payload", JSON, nullable=False),
    Column("created_at", STAMP, nullable=False),
)

event_roles = Table(
    "event_roles", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", HEX_ID, ForeignKey("events.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("local_entity", LOCAL_ID),
    Column("entity_id", HEX_ID, ForeignKey("entities.id", ondelete="SET NULL")),
    Column("value", OPTIONAL_JSON),
    Column("text", Text),
    *_span(),
    Index(None, "role", "entity_id"),
    Index(None, "entity_id"),
)

statements = Table(
    "statements", metadata,
    Column("id", HEX_ID, primary_key=True),
    _doc_fk(),
    Column("extractor", NAME, nullable=False),
    Column("version", NAME, nullable=False),
    Column("text", Text, nullable=False),
    *_span(),
    Column("speaker_local", LOCAL_ID),
    _entity_fk("speaker_entity_id"),
    Column("stance", String(16)),
    Column("quote", Boolean, nullable=False, default=False),
    Column("denies", LOCAL_ID),
    Column("payload", JSON, nullable=False),
    Column("created_at", STAMP, nullable=False),
)

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", HEX_ID, ForeignKey("events.id", ondelete="CASCADE"), index=True),
    Column("statement_id", HEX_ID, ForeignKey("statements.id", ondelete="CASCADE"),
           index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("name", Text),
    Column("local_entity", LOCAL_ID),
    _entity_fk(),
    Column("date", String(40)),
    Column("text", Text),
    *_span(),
    CheckConstraint("(event_id IS NULL) <> (statement_id IS NULL)", name="one_owner"),
)

KB_ENTRY_COLUMNS_V2 = ("origin", "type", "datasets", "topics", "programs", "countries",
                      "referents", "target", "checksum")

TABLES_V1 = (
    schema_version, raw_inputs, documents, document_minhash, document_bands, extractions,
    kb_entries, kb_names, entities, mentions, events, event_roles, statements, sources,
)
