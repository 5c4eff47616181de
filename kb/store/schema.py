"""Alembic plumbing: the one migration chain in ``kb/migrations``, applied to a store's engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
ALEMBIC_INI = MIGRATIONS_DIR / "alembic.ini"


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at ``kb/migrations``, wired to ``engine`` when given."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest migration of the chain."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "kb/migrations has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for a database Alembic never touched."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_fresh(engine: Engine) -> bool:
    """True when the database holds no policykb tables yet."""
    with engine.connect() as connection:
        names = set(inspect(connection).get_table_names())
    return "alembic_version" not in names and "policies" not in names


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision``."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to ``revision`` (``base`` drops every table)."""
    command.downgrade(alembic_config(engine), revision)
