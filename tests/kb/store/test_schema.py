"""Migrations, engines and the ``policykb db`` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from kb.errors import ConfigurationError, StoreError
from kb.store import Store
from kb.store.engine import create_store_engine, normalize_url
from kb.store.schema import head_revision
from kb.store.tables import Base
from search_api.cli.main import app


def test_the_migrations_build_exactly_the_tables_of_the_code(store: Store) -> None:
    """If this fails, someone changed kb/store/tables.py without adding a migration to kb/migrations."""
    assert store.schema_revision() == head_revision()
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'nested' / 'kb.db'}")  # missing folders are created
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    store.close()


def test_urls_are_checked_and_postgres_goes_through_psycopg() -> None:
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(ConfigurationError, match="SQLite or PostgreSQL"):
        create_store_engine("mysql://u@h/db")
    with pytest.raises(ConfigurationError, match="invalid database URL"):
        create_store_engine("not a url")


def test_a_database_behind_the_code_is_refused_with_the_fix(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Store(url).close()
    engine = create_store_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    engine.dispose()
    with pytest.raises(StoreError, match="policykb db upgrade"):
        Store(url)


def test_db_upgrade_and_status_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()

    behind = runner.invoke(app, ["db", "status", "--url", url])
    assert behind.exit_code == 2 and "policykb db upgrade" in behind.output

    upgraded = runner.invoke(app, ["db", "upgrade", "--url", url])
    assert upgraded.exit_code == 0, upgraded.output
    assert head_revision() in upgraded.output

    status = runner.invoke(app, ["db", "status", "--url", url])
    assert status.exit_code == 0, status.output
    assert "revision: 0" in status.output and "policies" in status.output


def test_db_upgrade_on_postgresql(empty_postgres_url: str) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade", "--url", empty_postgres_url])
    assert result.exit_code == 0, result.output
    assert "(empty) → " in result.output
    store = Store(empty_postgres_url)
    assert store.schema_revision() == head_revision() and store.dialect == "postgresql"
    store.close()


def test_db_refresh_validity_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade", "--url", url]).exit_code == 0
    result = runner.invoke(app, ["db", "refresh-validity", "--url", url, "--today", "2030-01-01"])
    assert result.exit_code == 0, result.output
    assert "0" in result.output
    bad = runner.invoke(app, ["db", "refresh-validity", "--url", url, "--today", "明天"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_the_migration_chain_goes_down_and_up_again(store: Store) -> None:
    store.upsert_policies([])  # a usable store
    store.downgrade("base")
    with store.engine.connect() as connection:
        assert "policies" not in inspect(connection).get_table_names()
    store.upgrade()
    assert store.schema_revision() == head_revision()
    assert store.current_revision() == 0 and store.count_policies() == 0
