"""Engines for SQLite (WAL, foreign keys, busy timeout, real transactions) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

from kb.errors import ConfigurationError

SQLITE_BUSY_TIMEOUT_MS = 30_000

#: Execution option read by the SQLite ``begin`` hook: write sessions take the write lock up front.
SQLITE_BEGIN_OPTION = "policykb_sqlite_begin"


def normalize_url(url: str) -> URL:
    """Parse a database URL; plain ``postgresql://`` is routed to psycopg 3, the driver we ship."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with little context
        raise ConfigurationError(
            f"invalid database URL {url!r}: use sqlite:///path/to.db or postgresql+psycopg://user@host/db"
        ) from exc
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigurationError(
            f"unsupported database {parsed.get_backend_name()!r}: policykb runs on SQLite or PostgreSQL"
        )
    return parsed


def create_store_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine configured for the store's transaction model on either backend."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, echo=echo)
    # FastAPI runs sync handlers on a 40-thread pool; a few more connections than the default 5+10.
    return create_engine(parsed, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_engine(url: URL, *, echo: bool) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    in_memory = url.database in {None, "", ":memory:"}
    if in_memory:
        # One shared connection, or every session would see its own empty database.
        kwargs["poolclass"] = StaticPool
    else:
        Path(url.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself: pysqlite's implicit transactions break SAVEPOINT.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def writer_engine(engine: Engine) -> Engine:
    """The same engine whose transactions start as writers (SQLite ``BEGIN IMMEDIATE``)."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
    return engine
