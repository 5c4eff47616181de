"""API keys in the store's ``api_keys`` table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from kb.auth.roles import Role
from kb.auth.service import ApiKeyRecord, not_found
from kb.store import Store
from kb.store.tables import ApiKeyRow


def _record(row: ApiKeyRow) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row.id,
        prefix=row.key_prefix,
        role=Role(row.role),
        department=row.department,
        name=row.name or None,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


class SqlApiKeyRepository:
    """ApiKeyRepository over SQLAlchemy; every method is its own short transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def insert(
        self, *, prefix: str, key_hash: str, role: Role, department: str | None, name: str | None
    ) -> ApiKeyRecord:
        with self._store.write_session() as session:
            row = ApiKeyRow(
                key_hash=key_hash, key_prefix=prefix, role=role.value, department=department, name=name or ""
            )
            session.add(row)
            session.flush()
            return _record(row)

    def by_prefix(self, prefix: str) -> list[tuple[ApiKeyRecord, str]]:
        with self._store.read_session() as session:
            rows = session.scalars(select(ApiKeyRow).where(ApiKeyRow.key_prefix == prefix)).all()
            return [(_record(row), row.key_hash) for row in rows]

    def all(self) -> list[ApiKeyRecord]:
        with self._store.read_session() as session:
            return [_record(row) for row in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]

    def revoke(self, key_id: int, at: datetime) -> ApiKeyRecord:
        with self._store.write_session() as session:
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise not_found(key_id)
            if row.revoked_at is None:
                row.revoked_at = at
            session.flush()
            return _record(row)

    def touch(self, key_id: int, at: datetime) -> None:
        with self._store.write_session() as session:
            row = session.get(ApiKeyRow, key_id)
            if row is not None:
                row.last_used_at = at
