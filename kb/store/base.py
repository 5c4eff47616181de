"""The store's engine, short-lived sessions and schema handling; the record methods build on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from kb.errors import ConflictError, StoreError, ValidationError
from kb.settings import Settings, get_settings
from kb.store import schema
from kb.store.engine import create_store_engine, writer_engine
from kb.store.revision import release_flag


class StoreBase:
    """Owns one engine and two session factories (readers, writers); safe to share between threads."""

    def __init__(self, url: str, *, auto_upgrade: bool = True, check_schema: bool = True, echo: bool = False):
        self.url = url
        self.engine: Engine = create_store_engine(url, echo=echo)
        # expire_on_commit=False: rows are turned into pydantic models after the session ends.
        self._readers = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._writers = sessionmaker(bind=writer_engine(self.engine), expire_on_commit=False)
        if auto_upgrade and schema.is_fresh(self.engine):
            self.upgrade()
        elif check_schema:
            self._check_schema()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **kwargs: bool) -> Self:
        """A store on ``settings.resolved_database_url`` (the process settings by default)."""
        return cls((settings or get_settings()).resolved_database_url, **kwargs)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def upgrade(self, revision: str = "head") -> None:
        """Apply the Alembic migrations up to ``revision``."""
        try:
            schema.upgrade(self.engine, revision)
        except SQLAlchemyError as exc:
            raise StoreError(f"database migration failed: {exc}", message_zh="数据库迁移失败") from exc

    def downgrade(self, revision: str) -> None:
        """Revert the Alembic migrations down to ``revision`` (``base``: drop everything)."""
        try:
            schema.downgrade(self.engine, revision)
        except SQLAlchemyError as exc:
            raise StoreError(f"database downgrade failed: {exc}", message_zh="数据库回退失败") from exc

    def schema_revision(self) -> str | None:
        """The migration the database is at (None if never migrated)."""
        return schema.current_revision(self.engine)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def _check_schema(self) -> None:
        current, head = self.schema_revision(), schema.head_revision()
        if current != head:
            raise StoreError(
                f"database schema is at {current or 'nothing'} but the code needs {head}: "
                "run `policykb db upgrade`",
                message_zh="数据库结构版本过旧，请运行 policykb db upgrade",
            )

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A short read-only session."""
        with self._readers() as session:
            try:
                yield session
            except OperationalError as exc:
                raise StoreError(f"database read failed: {exc.orig}") from exc

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A short write transaction, committed on success; lost optimistic races become ConflictError."""
        with self._writers() as session:
            try:
                with session.begin():
                    yield session
            except StaleDataError as exc:
                raise ConflictError(
                    f"the record was changed by someone else meanwhile: reload it and try again ({exc})"
                ) from exc
            except IntegrityError as exc:
                raise ValidationError(
                    f"the change breaks a database rule (duplicate key or unknown linked id): {exc.orig}",
                    message_zh="数据与已有记录冲突或引用了不存在的记录",
                ) from exc
            except OperationalError as exc:
                raise StoreError(f"database write failed: {exc.orig}") from exc
            finally:
                release_flag(session)
