"""``store`` / ``store_url``: a fresh, migrated store per test, on SQLite and on the real PostgreSQL.

PostgreSQL databases are cloned from a template migrated once per session (``CREATE DATABASE ... TEMPLATE``),
so each test starts empty without paying for the migration again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from kb.store import Store

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _admin(url: str) -> psycopg.Connection:
    """Autocommit connection to the server's maintenance database (CREATE/DROP DATABASE)."""
    dsn = (
        make_url(url).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    )
    return psycopg.connect(dsn, autocommit=True, connect_timeout=10)


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_store_template(request: pytest.FixtureRequest) -> Iterator[str]:
    """Name of a database on the test server holding the migrated, empty schema."""
    base: str = request.getfixturevalue("postgres_url")
    name = f"policykb_store_tmpl_{uuid.uuid4().hex[:8]}"
    with _admin(base) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    store = Store(_with_database(base, name))
    store.close()  # a template must have no open connections when it is copied
    yield name
    with _admin(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_postgres_url(postgres_url: str) -> Iterator[str]:
    """URL of a new, completely empty database on the test PostgreSQL server."""
    name = f"policykb_empty_{uuid.uuid4().hex[:10]}"
    with _admin(postgres_url) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    yield _with_database(postgres_url, name)
    with _admin(postgres_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh store database (already migrated on PostgreSQL, fresh file on SQLite)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base: str = request.getfixturevalue("postgres_url")
    template: str = request.getfixturevalue("pg_store_template")
    name = f"policykb_store_{uuid.uuid4().hex[:10]}"
    with _admin(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _with_database(base, name)
    with _admin(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A ``Store`` on a fresh database of each backend."""
    opened = Store(store_url)
    yield opened
    opened.close()
