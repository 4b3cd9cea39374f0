"""A real PostgreSQL database for tests: the local server (127.0.0.1:5432, trust auth;
RAQIB_TEST_PG_URL overrides the admin URL). A missing server or driver FAILS the test
rather than skipping it: CI must exercise PostgreSQL."""

from __future__ import annotations

import importlib.util
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

ADMIN_URL = os.environ.get("RAQIB_TEST_PG_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_database(prefix: str) -> Iterator[URL]:
    """A new database named `prefix` + a random suffix, dropped afterwards."""
    if importlib.util.find_spec("psycopg") is None:
        pytest.fail("psycopg is not installed: pip install 'raqib[pg]'")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except SQLAlchemyError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {ADMIN_URL} is not usable: {exc}")
    try:
        yield make_url(ADMIN_URL).set(database=name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def fresh_schema_url(database: URL) -> str:
    """A URL whose connections work in a new, empty schema of `database`."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(database, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    url = database.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)
