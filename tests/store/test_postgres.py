"""The store behaviour tests of test_store.py, run against a real PostgreSQL server.

The server is expected on 127.0.0.1:5432 (trust auth); RAQIB_TEST_PG_URL overrides the
admin URL. This module creates a uniquely named database for the run, a fresh schema per
test inside it (selected with search_path), and drops the database afterwards. An
unreachable server or a missing driver FAILS the tests: CI must exercise PostgreSQL.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from raqib.store import Store, open_store
from raqib.store.migrations import LATEST_VERSION


def _behaviour_tests() -> dict[str, Callable]:
    """The tests in test_store.py marked @store_behaviour (loaded by path, not by name)."""
    path = Path(__file__).with_name("test_store.py")
    spec = importlib.util.spec_from_file_location("raqib_store_behaviour_tests", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: fn for name, fn in vars(module).items()
            if name.startswith("test_") and getattr(fn, "store_behaviour", False)}


BEHAVIOUR = _behaviour_tests()
globals().update(BEHAVIOUR)




@pytest.fixture
def make_store(pg_url: str) -> Iterator[Callable[[], Store]]:
    opened: list[Store] = []

    def make() -> Store:
        opened.append(open_store(pg_url))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


def test_behaviour_tests_were_found() -> None:
    assert len(BEHAVIOUR) >= 12
    assert "test_two_processes_adding_the_same_documents" in BEHAVIOUR


def test_tables_live_in_the_test_schema(make_store: Callable[[], Store], pg_url: str) -> None:
    store = make_store()
    stats = store.stats()
    assert stats["backend"] == "postgresql" and stats["schema_version"] == LATEST_VERSION
    schema = make_url(pg_url).query["options"].split("=", 1)[1]
    engine = create_engine(pg_url)
    try:
        tables = set(inspect(engine).get_table_names(schema=schema))
    finally:
        engine.dispose()
    assert {"documents", "raw_inputs", "document_bands", "extractions", "entities",
            "kb_names", "schema_version"} <= tables


def test_plain_postgresql_url_uses_psycopg(pg_url: str) -> None:
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with open_store(plain) as store:
        assert store.stats()["schema_version"] == LATEST_VERSION
