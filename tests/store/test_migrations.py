"""Schema migrations on fresh, already-migrated and older SQLite databases."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Engine, Text, inspect, text

from raqib.store import StoreError, open_store
from raqib.store.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    Migration,
    SchemaVersionError,
    add_column_if_missing,
    current_version,
    migrate,
)
from raqib.store.schema import documents, metadata
from raqib.store.store import make_engine

# The versions a fresh database records: one row per real step, numbered 1, 2, ... without
# gaps. NEXT is a test-only step after the last real one, so these tests keep working
# when a release adds a migration.
ALL_VERSIONS = list(range(1, LATEST_VERSION + 1))
NEXT = LATEST_VERSION + 1
CLEAN_ROOM = {"entities", "mentions", "events", "event_roles", "sources", "statements",
              "kb_entries", "kb_names"}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "m.db"


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{db_path}")
    yield eng
    eng.dispose()


def versions(db_path: Path) -> list[int]:
    con = sqlite3.connect(db_path)
    try:
        return [v for (v,) in con.execute("SELECT version FROM schema_version ORDER BY 1")]
    finally:
        con.close()


def add_note(conn: Connection) -> None:
    add_column_if_missing(conn, documents, Column("note", Text))


def test_fresh_database_gets_every_table_and_column(engine: Engine, db_path: Path) -> None:
    assert migrate(engine) == LATEST_VERSION == len(MIGRATIONS)
    assert versions(db_path) == ALL_VERSIONS
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) == set(metadata.tables)
    assert set(metadata.tables) >= CLEAN_ROOM
    for table in metadata.sorted_tables:
        found = {c["name"] for c in inspector.get_columns(table.name)}
        assert found == {c.name for c in table.columns}, table.name
    band_indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("document_bands")}
    assert ("document_id",) in band_indexes
    assert inspector.get_pk_constraint("document_bands")["constrained_columns"][0] == "band_key"


def test_migrated_database_is_left_alone(engine: Engine, db_path: Path) -> None:
    migrate(engine)
    # Another process is writing: re-opening an up-to-date database must not need the
    # write lock (it would wait for the busy timeout otherwise).
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert migrate(engine) == LATEST_VERSION
        assert time.monotonic() - started < 5
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert migrate(engine) == LATEST_VERSION
    assert versions(db_path) == ALL_VERSIONS


def test_reopening_with_the_store_keeps_one_version_row(db_path: Path) -> None:
    for _ in range(3):
        with open_store(f"sqlite:///{db_path}") as store:
            assert store.schema_version == LATEST_VERSION
    assert versions(db_path) == ALL_VERSIONS


def test_older_database_is_upgraded_step_by_step(engine: Engine, db_path: Path) -> None:
    migrate(engine)  # a database made by the current release
    steps = (*MIGRATIONS, Migration(NEXT, "add a note column", add_note))
    assert migrate(engine, steps) == NEXT
    assert versions(db_path) == [*ALL_VERSIONS, NEXT]
    assert "note" in {c["name"] for c in inspect(engine).get_columns("documents")}
    assert migrate(engine, steps) == NEXT  # idempotent on re-open
    assert versions(db_path) == [*ALL_VERSIONS, NEXT]


def test_a_step_that_fails_is_rolled_back_whole(engine: Engine, db_path: Path) -> None:
    migrate(engine)

    def half_done(conn: Connection) -> None:
        conn.execute(text("CREATE TABLE half (x INTEGER)"))
        add_note(conn)
        raise RuntimeError("crash in the middle of a migration")

    with pytest.raises(RuntimeError, match="middle"):
        migrate(engine, (*MIGRATIONS, Migration(NEXT, "broken", half_done)))
    assert versions(db_path) == ALL_VERSIONS
    inspector = inspect(engine)
    assert "half" not in inspector.get_table_names()
    assert "note" not in {c["name"] for c in inspector.get_columns("documents")}


def test_newer_database_is_refused(engine: Engine, db_path: Path) -> None:
    migrate(engine, (*MIGRATIONS, Migration(NEXT, "from the future", add_note)))
    with pytest.raises(SchemaVersionError, match="newer"):
        migrate(engine)
    with pytest.raises(StoreError, match=f"schema version {NEXT} is newer"):
        open_store(f"sqlite:///{db_path}")


def test_empty_database_reports_version_zero(engine: Engine) -> None:
    with engine.connect() as conn:
        assert current_version(conn) == 0


@pytest.mark.parametrize("steps", [
    (),
    (Migration(2, "b", add_note), Migration(1, "a", add_note)),
    (Migration(1, "a", add_note), Migration(1, "again", add_note)),
])
def test_step_lists_must_be_ordered(engine: Engine, steps: tuple[Migration, ...]) -> None:
    with pytest.raises(ValueError, match="ascending"):
        migrate(engine, steps)
