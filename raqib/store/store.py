"""One Store interface over SQLite (the default) and PostgreSQL, chosen by URL.

Crash safety rests on one rule: everything a document brings (its raw bytes, the
document row, its duplicate-detection keys) is written in ONE transaction. A process
killed half-way leaves either the whole document or nothing, and the next run simply
adds it again.

SQLite is set up for several writers on one file: WAL (readers never block the
writer), a 30 s busy timeout, and every write transaction starts with BEGIN IMMEDIATE,
so a writer takes the write lock before it reads what it will decide on. With a plain
deferred BEGIN two writers could both read, then both try to upgrade to a write lock,
and one would fail at once with "database is locked" instead of waiting. Reads use a
plain BEGIN and never wait for writers. On PostgreSQL, `add_document` takes an
advisory lock for the same reason: duplicate decisions must see every earlier document.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.exc import StatementError as SAStatementError
from sqlalchemy.pool import StaticPool

from raqib.ingest import dedup
from raqib.model import Document, text_id
from raqib.settings import load_settings
from raqib.store import kb, migrations
from raqib.store.schema import (
    document_bands,
    document_minhash,
    documents,
    extractions,
    raw_inputs,
)

if TYPE_CHECKING:
    from raqib.kb.ftm import ImportedEntity

BUSY_TIMEOUT_S = 30
MAX_CANDIDATES = 50  # near-duplicate candidates verified per new document, most bands first
MIN_PREFIX = 6
WRITE_RETRIES = 3
_HEX = re.compile(r"[0-9a-f]+")
T = TypeVar("T")


class StoreError(Exception):
    """A store operation failed; the message is one line meant for the user."""


class InvalidIdError(StoreError, ValueError):
    """A document id or prefix that cannot be one (not hex, too short)."""


class AmbiguousPrefixError(StoreError, LookupError):
    """A document id prefix matches more than one document."""


@dataclass(slots=True)
class AddOutcome:
    """What `Store.add_document` did.

    status: "ingested" (new document), "duplicate" (new document recorded with
    `duplicate_of` set to the original), or "exists" (this exact cleaned text is already
    stored: nothing was added; `duplicate_of`/`similarity` are the stored ones).
    """

    status: str
    doc_id: str
    duplicate_of: str | None = None
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Everything computed before the write lock is taken."""

    text_hash: str
    sketch: Any  # datasketch.MinHash, or None when the text has no words
    bands: list[str]
    raw_sha256: str
    raw_size: int
    raw_zlib: bytes


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """Open (and create or migrate) the store at `url`, default `RAQIB_DB_URL`/raqib.db.

    With `create=False` a database that does not exist yet, or holds no Raqib schema,
    is an error instead of being created: for commands that only read.
    """
    return Store(url or load_settings().db_url, create=create)


class Store:
    """Documents, raw inputs, duplicate keys, extractions and the imported knowledge base
    in one database."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        if not create:
            _check_sqlite_file(url)  # before connecting, which would create the file
        self._engine = make_engine(url)
        self._reader = self._engine.execution_options(**{migrations.READ_OPTION: True})
        try:
            with self._errors("open"):
                if not create:
                    _check_has_schema(self._reader, url)
                self.schema_version = migrations.migrate(self._engine)
        except migrations.SchemaVersionError as exc:
            self._engine.dispose()
            raise StoreError(str(exc)) from None
        except BaseException:
            self._engine.dispose()
            raise

    # --- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        """Close all connections (on SQLite the last one checkpoints the WAL)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({_display_url(self._engine.url)!r})"

    # --- documents -------------------------------------------------------------------

    def add_document(
        self, doc: Document, *, raw_content: bytes, raw_source: str,
        content_type: str | None = None, headers: Mapping[str, Any] | None = None,
        url: str | None = None,
    ) -> AddOutcome:
        """Store `doc` with its raw input and duplicate keys in one transaction.

        Idempotent: the same cleaned text again returns "exists" and writes nothing.
        A copy whose folded text equals a stored one, or whose MinHash Jaccard with a
        stored one is at least 0.8, is stored with `duplicate_of` = that document's
        original (duplicates always point at the first copy, never at another duplicate).
        `doc.duplicate_of` is ignored: the store decides. `url` (else `doc.url`) is
        recorded with the raw input and fills in a missing `doc.url`.
        """
        _check_document(doc, raw_content)
        found = self._existing(doc.id)
        if found is not None:
            return found
        prepared = _prepare(doc.text, bytes(raw_content))
        raw_row = {
            "sha256": prepared.raw_sha256, "source": raw_source, "url": url or doc.url,
            "content_type": content_type, "headers": dict(headers) if headers else None,
            "size": prepared.raw_size, "content": prepared.raw_zlib,
        }
        with self._errors(f"store document {doc.id[:12]}"):
            return self._write(lambda conn: _insert_document(conn, doc, prepared, raw_row),
                               lock="raqib.add_document")

    def get_document(self, doc_id_or_prefix: str) -> Document | None:
        """The document with this id or unique id prefix (>= 6 hex chars), or None."""
        with self._errors("read document"), self._reader.connect() as conn:
            row = _resolve(conn, doc_id_or_prefix, documents)
        if row is None:
            return None
        return Document(
            id=row.id, source=row.source, text=row.text, language=row.language,
            outlet=row.outlet, title=row.title, byline=row.byline, section=row.section,
            published=row.published, removed=list(row.removed or []), url=row.url,
            duplicate_of=row.duplicate_of,
        )

    def get_raw(self, doc_id: str) -> bytes | None:
        """The original bytes the document was cleaned from, or None."""
        with self._errors("read raw input"), self._reader.connect() as conn:
            row = _resolve(conn, doc_id, documents.c.id, documents.c.raw_id)
            if row is None or row.raw_id is None:
                return None
            data = conn.execute(select(raw_inputs.c.content)
                                .where(raw_inputs.c.id == row.raw_id)).scalar()
        return None if data is None else zlib.decompress(data)

    def list_documents(self, limit: int = 50, offset: int = 0,
                       language: str | None = None) -> list[dict]:
        """Newest first: id, title, language, outlet, published, source, duplicate_of,
        ingested_at."""
        if limit < 0 or offset < 0:
            raise StoreError("limit and offset must not be negative")
        c = documents.c
        query = (select(c.id, c.title, c.language, c.outlet, c.published, c.source,
                        c.duplicate_of, c.ingested_at)
                 .order_by(c.ingested_at.desc(), c.id).limit(limit).offset(offset))
        if language:
            query = query.where(c.language == language)
        with self._errors("list documents"), self._reader.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def has_source(self, source: str) -> bool:
        """True when a stored document came from `source` (its source path or URL)."""
        c = documents.c
        query = select(c.id).where((c.source == source) | (c.url == source)).limit(1)
        with self._errors("look up source"), self._reader.connect() as conn:
            return conn.execute(query).first() is not None

    # --- extractions -----------------------------------------------------------------

    def save_extraction(self, doc_id: str, extractor: str, version: str,
                        payload: dict) -> None:
        """Replace the document's extraction by `extractor` with this one, atomically."""
        if not extractor or not version:
            raise StoreError("extractor and version must be non-empty")

        def replace(conn: Connection) -> None:
            if conn.execute(select(documents.c.id).where(documents.c.id == doc_id)).first() \
                    is None:
                raise StoreError(f"no document {doc_id!r}: store it before its extraction")
            conn.execute(delete(extractions).where(
                (extractions.c.document_id == doc_id) & (extractions.c.extractor == extractor)))
            conn.execute(insert(extractions).values(
                document_id=doc_id, extractor=extractor, version=version,
                payload=payload, created_at=_now()))

        with self._errors(f"save extraction for {doc_id[:12]}"):
            self._write(replace)

    def get_extraction(self, doc_id: str, extractor: str | None = None) -> dict | None:
        """The stored payload by `extractor`, or the most recent one of any extractor."""
        c = extractions.c
        query = (select(c.payload).where(c.document_id == doc_id)
                 .order_by(c.created_at.desc(), c.id.desc()).limit(1))
        if extractor is not None:
            query = query.where(c.extractor == extractor)
        with self._errors("read extraction"), self._reader.connect() as conn:
            return conn.execute(query).scalar()

    def extraction_version(self, doc_id: str, extractor: str) -> str | None:
        """The version of `extractor` whose output is stored for the document, if any."""
        c = extractions.c
        query = select(c.version).where(c.document_id == doc_id, c.extractor == extractor)
        with self._errors("read extraction version"), self._reader.connect() as conn:
            return conn.execute(query.limit(1)).scalar()

    # --- imported knowledge base (FtM / OpenSanctions) --------------------------------

    def import_kb_entities(
        self, entities: Iterable[ImportedEntity],
        on_progress: Callable[[kb.ImportStats], None] | None = None,
        *, batch_rows: int = kb.BATCH_ROWS,
    ) -> kb.ImportStats:
        """Upsert imported entities (and Sanction records) by FtM id, in batches.

        Each batch of about `batch_rows` rows is one transaction, so an interrupted
        import keeps whole batches; `on_progress` gets the running totals after each.
        Unchanged entities are skipped, changed ones get their names replaced. An error
        raised by `entities` propagates after the entities read before it are stored.
        """
        if batch_rows < 1:
            raise StoreError("batch_rows must be at least 1")
        stats = kb.ImportStats()
        for batch in kb.batches(entities, batch_rows):
            write = functools.partial(kb.write_batch, batch=batch, now=_now())
            with self._errors("import knowledge-base entities"):
                done = self._write(write, lock="raqib.kb_import")
            stats.merge(done)
            if on_progress is not None:
                on_progress(stats)
        return stats

    def iter_imported_entities(self) -> Iterator[ImportedEntity]:
        """Every imported entity in id order, with its names and the programs and ids of
        the Sanction records that designate it; streams in pages of constant size."""
        with self._errors("read imported entities"):
            yield from kb.iter_imported(self._reader)

    def count_imported(self) -> int:
        """How many imported FtM entities (not Sanction records) the store holds."""
        with self._errors("count imported entities"), self._reader.connect() as conn:
            return kb.count_imported(conn)

    def imported_fingerprint(self) -> str | None:
        """A short digest that changes whenever an import writes anything (None when
        nothing is imported): cheap enough to ask before every batch of extractions."""
        with self._errors("read imported entities"), self._reader.connect() as conn:
            return kb.fingerprint(conn)

    def imported_summary(self) -> dict[str, Any]:
        """Counts of imported entities, their names, the sanctioned ones, Sanction
        records, and entities per type and per (first) dataset."""
        with self._errors("count imported entities"), self._reader.connect() as conn:
            return kb.summary(conn)

    # --- overview --------------------------------------------------------------------

    def stats(self) -> dict:
        """Counts and sizes for `raqib stats` and health checks."""
        c = documents.c
        with self._errors("compute stats"), self._reader.connect() as conn:
            by_language = conn.execute(select(c.language, func.count()).group_by(c.language)
                                       .order_by(func.count().desc(), c.language))
            by_extractor: dict[str, dict[str, int]] = {}
            for name, version, n in conn.execute(
                    select(extractions.c.extractor, extractions.c.version, func.count())
                    .group_by(extractions.c.extractor, extractions.c.version)):
                by_extractor.setdefault(name, {})[version] = int(n)
            return {
                "backend": conn.dialect.name,
                "url": _display_url(self._engine.url),
                "schema_version": migrations.current_version(conn),
                "documents": _count(conn, select(func.count()).select_from(documents)),
                "duplicates": _count(conn, select(func.count())
                                     .where(c.duplicate_of.is_not(None))),
                "raw_inputs": _count(conn, select(func.count()).select_from(raw_inputs)),
                "languages": {lang: int(n) for lang, n in by_language},
                "extractions": by_extractor,
                "db_size_bytes": _db_size(conn),
            }

    # --- internals -------------------------------------------------------------------

    def _existing(self, doc_id: str) -> AddOutcome | None:
        with self._errors("look up document"), self._reader.connect() as conn:
            return _existing_outcome(conn, doc_id)

    def _write(self, work: Callable[[Connection], T], lock: str | None = None) -> T:
        """Run `work` in one write transaction; retry when a concurrent writer won a race.

        Retrying is safe because `work` re-reads everything inside the transaction: a
        document inserted meanwhile by another process is then found as "exists".
        """
        for attempt in range(WRITE_RETRIES):
            try:
                with self._engine.begin() as conn:
                    if lock:
                        migrations.serialise_writers(conn, lock)
                    return work(conn)
            except IntegrityError:
                if attempt == WRITE_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn database-driver failures into one-line StoreErrors."""
        try:
            yield
        except StoreError:
            raise
        except SAStatementError as exc:
            if isinstance(exc.orig, StoreError | TypeError | ValueError):
                raise StoreError(f"cannot {action}: {exc.orig}") from exc
            raise StoreError(f"cannot {action}: {_first_line(exc.orig or exc)}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {action}: {_first_line(exc)}") from exc
        except zlib.error as exc:
            raise StoreError(f"cannot {action}: stored raw bytes are corrupt ({exc})") from exc


# --- writing a document ------------------------------------------------------------------


def _insert_document(conn: Connection, doc: Document, p: _Prepared,
                     raw_row: dict[str, Any]) -> AddOutcome:
    """The body of add_document's transaction; see `Store.add_document`."""
    found = _existing_outcome(conn, doc.id)
    if found is not None:
        return found
    match = _exact_match(conn, p.text_hash) or _near_match(conn, p)
    duplicate_of, similarity = match if match else (None, None)
    conn.execute(insert(documents).values(
        id=doc.id, raw_id=_raw_id(conn, raw_row), source=doc.source,
        url=doc.url or raw_row["url"],
        outlet=doc.outlet, title=doc.title, byline=doc.byline, section=doc.section,
        published=doc.published, language=doc.language, text=doc.text,
        removed=list(doc.removed), text_hash=p.text_hash, duplicate_of=duplicate_of,
        similarity=similarity, ingested_at=_now(),
    ))
    if p.sketch is not None:
        conn.execute(insert(document_minhash).values(
            document_id=doc.id, sketch=dedup.SKETCH,
            hashvalues=dedup.minhash_to_bytes(p.sketch)))
        conn.execute(insert(document_bands),
                     [{"band_key": key, "document_id": doc.id} for key in p.bands])
    status = "duplicate" if duplicate_of else "ingested"
    return AddOutcome(status, doc.id, duplicate_of, similarity)


def _existing_outcome(conn: Connection, doc_id: str) -> AddOutcome | None:
    row = conn.execute(select(documents.c.duplicate_of, documents.c.similarity)
                       .where(documents.c.id == doc_id)).first()
    if row is None:
        return None
    return AddOutcome("exists", doc_id, row.duplicate_of, row.similarity)


def _exact_match(conn: Connection, text_hash: str) -> tuple[str, float] | None:
    """The original of a stored document with the same folded text, if any."""
    c = documents.c
    row = conn.execute(select(c.id, c.duplicate_of).where(c.text_hash == text_hash)
                       .order_by(c.ingested_at, c.id).limit(1)).first()
    if row is None:
        return None
    return (row.duplicate_of or row.id, 1.0)


def _near_match(conn: Connection, p: _Prepared) -> tuple[str, float] | None:
    """The original of the most similar stored document with Jaccard >= threshold.

    Candidates come from the indexed band table (documents sharing at least one LSH
    band), most shared bands first; each is verified against its stored sketch.
    """
    if p.sketch is None:
        return None
    b = document_bands.c
    hits = func.count().label("hits")
    candidates = (select(b.document_id).where(b.band_key.in_(p.bands))
                  .group_by(b.document_id).order_by(hits.desc(), b.document_id)
                  .limit(MAX_CANDIDATES)).subquery()
    m = document_minhash.c
    rows = conn.execute(
        select(documents.c.id, documents.c.duplicate_of, m.hashvalues)
        .join(document_minhash, m.document_id == documents.c.id)
        .where(documents.c.id.in_(select(candidates.c.document_id)), m.sketch == dedup.SKETCH)
        .order_by(documents.c.ingested_at, documents.c.id))
    best: tuple[str, float] | None = None
    for row in rows:
        score = dedup.jaccard(p.sketch, dedup.minhash_from_bytes(row.hashvalues))
        if score >= dedup.NEAR_DUPLICATE_THRESHOLD and (best is None or score > best[1]):
            best = (row.duplicate_of or row.id, score)
    return best


def _raw_id(conn: Connection, row: dict[str, Any]) -> int:
    """The id of the raw_inputs row with these bytes, inserting it when new."""
    found = conn.execute(select(raw_inputs.c.id)
                         .where(raw_inputs.c.sha256 == row["sha256"])).scalar()
    if found is not None:
        return int(found)
    new_id = conn.execute(insert(raw_inputs).values(**row, fetched_at=_now())
                          .returning(raw_inputs.c.id)).scalar_one()
    return int(new_id)


def _prepare(text_: str, raw: bytes) -> _Prepared:
    # The same key computation as the migration that recomputes stored keys.
    keys = dedup.document_keys(text_)
    return _Prepared(
        text_hash=keys.text_hash,
        sketch=keys.sketch,
        bands=keys.bands,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        raw_size=len(raw),
        raw_zlib=zlib.compress(raw, 6),
    )


def _check_document(doc: Document, raw_content: bytes) -> None:
    if not isinstance(doc, Document):
        raise StoreError(f"expected a raqib.model.Document, got {type(doc).__name__}")
    if not isinstance(raw_content, bytes | bytearray | memoryview):
        raise StoreError(f"raw_content must be bytes, got {type(raw_content).__name__}")
    try:
        matches = isinstance(doc.text, str) and doc.id == text_id(doc.text)
    except UnicodeEncodeError:
        raise StoreError("document text is not valid Unicode (lone surrogates)") from None
    if not matches:
        raise StoreError(f"document id {str(doc.id)[:12]}... is not the SHA-256 of its text")
    if not doc.language or not doc.source:
        raise StoreError(f"document {doc.id[:12]} needs a language and a source")


# --- reading -----------------------------------------------------------------------------


def _resolve(conn: Connection, key: str, *columns: Any) -> Any:
    """The row of the document whose id is `key` or starts with it; None if none."""
    prefix = _check_prefix(key)
    c = documents.c
    query = select(*columns)
    if len(prefix) == 64:
        rows = conn.execute(query.where(c.id == prefix)).all()
    else:
        # A range on the primary key uses its index on both backends whatever the
        # collation; LIKE then keeps exactly the ids that start with the prefix.
        rows = conn.execute(query.where(c.id >= prefix, c.id < prefix + "g",
                                        c.id.like(prefix + "%")).limit(2)).all()
    if len(rows) > 1:
        raise AmbiguousPrefixError(
            f"document id prefix {prefix!r} matches several documents; give more characters")
    return rows[0] if rows else None


def _check_prefix(key: str) -> str:
    prefix = str(key).strip().lower()
    if not _HEX.fullmatch(prefix) or not MIN_PREFIX <= len(prefix) <= 64:
        raise InvalidIdError(
            f"{key!r} is not a document id: give {MIN_PREFIX} to 64 hex characters")
    return prefix


def _count(conn: Connection, query: Any) -> int:
    return int(conn.execute(query).scalar() or 0)


def _db_size(conn: Connection) -> int:
    if conn.dialect.name == "sqlite":
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar() or 0
        size = conn.exec_driver_sql("PRAGMA page_size").scalar() or 0
        return int(pages) * int(size)
    return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0)


def _check_sqlite_file(url_text: str) -> None:
    try:
        url = make_url(url_text)
    except ArgumentError:
        return  # make_engine reports it
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database not in ("", ":memory:") \
            and not database.startswith("file:") and not Path(database).expanduser().exists():
        raise StoreError(f"no database at {database}")


def _check_has_schema(engine: Engine, url_text: str) -> None:
    with engine.connect() as conn:
        if migrations.current_version(conn) == 0:
            raise StoreError(f"{_display_url(make_url(url_text))} is not a Raqib database "
                             "(no schema_version table)")


# --- engines -----------------------------------------------------------------------------


def make_engine(url_text: str) -> Engine:
    """An engine for `url_text` with Raqib's connection setup (SQLite pragmas, BEGIN hooks)."""
    try:
        url = make_url(url_text)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url_text!r} "
                         "(use sqlite:///FILE or postgresql+psycopg://...)") from None
    backend = url.get_backend_name()
    try:
        if backend == "sqlite":
            return _sqlite_engine(url)
        if backend == "postgresql":
            if url.drivername == "postgresql":
                url = url.set(drivername="postgresql+psycopg")
            return create_engine(url, json_serializer=_dumps, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"no driver for {url.drivername} ({_first_line(exc)}); "
                         "for PostgreSQL install raqib[pg]") from None
    raise StoreError(f"unsupported database {backend!r}: use sqlite:///FILE "
                     "or postgresql+psycopg://...")


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    options: dict[str, Any] = {"json_serializer": _dumps}
    if database in ("", ":memory:"):
        # One shared connection, or every pooled connection would see its own empty DB.
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        if not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": BUSY_TIMEOUT_S}
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Take transaction control away from the sqlite3 module (SQLAlchemy's documented
    # recipe): it would otherwise BEGIN lazily and only before DML.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # durable across process crashes in WAL
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(migrations.READ_OPTION):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# --- small helpers -----------------------------------------------------------------------


def _dumps(value: Any) -> str:
    """JSON with Arabic left readable in sqlite3/psql output.

    Raises StoreError itself because drivers call it at different depths (SQLAlchemy
    wraps it on SQLite, psycopg lets it through), and callers should see one error.
    """
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"value not storable as JSON: {exc}") from None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _display_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
