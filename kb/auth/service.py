"""Create, list, revoke and authenticate API keys; the storage is an ``ApiKeyRepository``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel

from kb.auth.keys import generate_key, hash_key, is_example_key, looks_like_key, lookup_prefix, verify_key
from kb.auth.roles import KEY_ROLES, PUBLIC, Principal, Role
from kb.errors import AuthenticationError, NotFoundError, ValidationError
from kb.settings import Settings


class ApiKeyRecord(BaseModel):
    """A stored key without its secret: what `keys list` shows."""

    id: int
    prefix: str
    role: Role
    department: str | None = None
    name: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class CreatedKey(BaseModel):
    """The clear key (shown exactly once) and its stored record."""

    key: str
    record: ApiKeyRecord


class ApiKeyRepository(Protocol):
    """Persistence of hashed keys (kb.auth.repository.SqlApiKeyRepository)."""

    def insert(
        self, *, prefix: str, key_hash: str, role: Role, department: str | None, name: str | None
    ) -> ApiKeyRecord: ...

    def by_prefix(self, prefix: str) -> list[tuple[ApiKeyRecord, str]]: ...

    def all(self) -> list[ApiKeyRecord]: ...

    def revoke(self, key_id: int, at: datetime) -> ApiKeyRecord: ...

    def touch(self, key_id: int, at: datetime) -> None: ...


def _bad_key() -> AuthenticationError:
    return AuthenticationError(
        "invalid or revoked API key: check the X-API-Key header or ask staff for a new key",
        message_zh="API 密钥无效或已吊销，请检查 X-API-Key 请求头，或向管理人员申请新密钥",
    )


class ApiKeyService:
    """Keys are stored as HMAC-SHA256 under the server secret; the clear key exists only in create()."""

    def __init__(self, repository: ApiKeyRepository, settings: Settings) -> None:
        self._repo = repository
        self._settings = settings

    def create(self, role: Role | str, department: str | None = None, name: str | None = None) -> CreatedKey:
        """Issue a key for agent/staff/department; department keys must name their department."""
        role = Role(role)
        if role not in KEY_ROLES:
            raise ValidationError(
                f"keys are issued for {', '.join(r.value for r in KEY_ROLES)}; public needs no key",
                message_zh="只能为 agent、staff、department 角色创建密钥，公众检索无需密钥",
            )
        department = (department or "").strip() or None
        if role is Role.DEPARTMENT and department is None:
            raise ValidationError(
                "a department key needs --department NAME",
                message_zh="部门密钥必须指定部门名称（--department）",
            )
        if role is not Role.DEPARTMENT and department is not None:
            raise ValidationError(
                f"--department is only for department keys, not {role.value}",
                message_zh="只有部门密钥可以指定部门",
            )
        key = generate_key()
        record = self._repo.insert(
            prefix=lookup_prefix(key),
            key_hash=hash_key(key, self._settings.secret_key),
            role=role,
            department=department,
            name=name,
        )
        return CreatedKey(key=key, record=record)

    def list(self) -> list[ApiKeyRecord]:
        return self._repo.all()

    def revoke(self, key_id: int) -> ApiKeyRecord:
        """Revoke a key at once; revoking twice keeps the first revocation time."""
        return self._repo.revoke(key_id, datetime.now(UTC))

    def authenticate(self, raw_key: str | None) -> Principal:
        """No key → public; a wrong, revoked or (in production) example key → AuthenticationError."""
        if raw_key is None or raw_key.strip() == "":
            return PUBLIC
        key = raw_key.strip()
        if self._settings.env == "production" and is_example_key(key):
            raise _bad_key()
        bootstrap = self._settings.bootstrap_admin_key
        secret = self._settings.secret_key
        if bootstrap and verify_key(key, hash_key(bootstrap, secret), secret):
            return Principal(role=Role.STAFF, name="bootstrap")
        if not looks_like_key(key):
            raise _bad_key()
        for record, stored_hash in self._repo.by_prefix(lookup_prefix(key)):
            if verify_key(key, stored_hash, self._settings.secret_key):
                if not record.active:
                    raise _bad_key()
                now = datetime.now(UTC)
                # Record use at most once a minute: a write per request would serialize SQLite readers.
                if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
                    self._repo.touch(record.id, now)
                return Principal(
                    role=record.role, department=record.department, key_id=record.id, name=record.name or ""
                )
        raise _bad_key()


def not_found(key_id: int) -> NotFoundError:
    return NotFoundError(
        f"API key {key_id} does not exist; see `policykb keys list`",
        message_zh="密钥不存在，请用 keys list 查看",
    )
