"""PostgreSQL fixtures for the store tests: a database per test module, a schema per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import URL

from tests.postgres import fresh_schema_url, postgres_database


@pytest.fixture(scope="module")
def pg_database() -> Iterator[URL]:
    """A new database for the test module, dropped at its end."""
    with postgres_database("raqib_test") as url:
        yield url


@pytest.fixture
def pg_url(pg_database: URL) -> str:
    """A URL whose connections work in a fresh, empty schema of the module's database."""
    return fresh_schema_url(pg_database)
