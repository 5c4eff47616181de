"""API keys: shown once, stored hashed, verified in constant time, revocable, roles and departments."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb.auth import (
    PUBLIC,
    ApiKeyService,
    Principal,
    Role,
    hash_key,
    require_department,
    require_role,
    verify_key,
)
from kb.auth.keys import generate_key, is_example_key
from kb.auth.repository import SqlApiKeyRepository
from kb.errors import AuthenticationError, PermissionDeniedError, ValidationError
from kb.settings import Settings
from kb.store import Store
from kb.store.tables import ApiKeyRow

SECRET = "a-test-secret-that-is-long-enough-0123456789"


def _service(store: Store, **settings: object) -> ApiKeyService:
    return ApiKeyService(SqlApiKeyRepository(store), Settings(secret_key=SECRET, **settings))  # type: ignore[arg-type]


def test_generated_keys_are_prefixed_random_and_hash_with_the_secret() -> None:
    a, b = generate_key(), generate_key()
    assert a.startswith("pk_") and len(a) == 46 and a != b
    assert hash_key(a, SECRET) != hash_key(a, SECRET + "x")
    assert verify_key(a, hash_key(a, SECRET), SECRET)
    assert not verify_key(b, hash_key(a, SECRET), SECRET)


def test_created_key_is_stored_only_as_its_hash_and_authenticates(store: Store) -> None:
    service = _service(store)
    created = service.create(Role.DEPARTMENT, department="市人力资源和社会保障局", name="人社局窗口")
    with store.engine.connect() as conn:
        stored = conn.execute(select(ApiKeyRow.key_hash, ApiKeyRow.key_prefix)).one()
    assert created.key not in stored.key_hash and stored.key_hash == hash_key(created.key, SECRET)
    assert created.key.startswith(stored.key_prefix)
    principal = service.authenticate(created.key)
    assert principal.role is Role.DEPARTMENT and principal.department == "市人力资源和社会保障局"
    assert principal.key_id == created.record.id
    assert service.list()[0].last_used_at is not None


def test_wrong_key_revoked_key_and_other_secret_are_rejected(store: Store) -> None:
    service = _service(store)
    created = service.create("staff")
    with pytest.raises(AuthenticationError):
        service.authenticate(created.key[:-1] + ("A" if created.key[-1] != "A" else "B"))
    with pytest.raises(AuthenticationError):
        service.authenticate("not-a-key")
    with pytest.raises(AuthenticationError):
        ApiKeyService(SqlApiKeyRepository(store), Settings(secret_key="another-secret")).authenticate(
            created.key
        )
    assert service.authenticate(created.key).role is Role.STAFF
    revoked = service.revoke(created.record.id)
    assert revoked.revoked_at is not None and not revoked.active
    with pytest.raises(AuthenticationError):
        service.authenticate(created.key)


def test_missing_key_is_the_public_principal(store: Store) -> None:
    assert _service(store).authenticate(None).role is Role.PUBLIC
    assert _service(store).authenticate("  ").role is Role.PUBLIC


@pytest.mark.parametrize(
    ("role", "department"), [("public", None), ("department", None), ("agent", "市税务局"), ("admin", None)]
)
def test_invalid_key_requests_are_refused(store: Store, role: str, department: str | None) -> None:
    with pytest.raises((ValidationError, ValueError)):
        _service(store).create(role, department=department)


def test_example_and_bootstrap_keys(store: Store) -> None:
    dev = _service(store, bootstrap_admin_key="pk_example_staff_key_do_not_use")
    assert dev.authenticate("pk_example_staff_key_do_not_use").role is Role.STAFF
    prod = _service(store, env="production", bootstrap_admin_key="pk_example_staff_key_do_not_use")
    with pytest.raises(AuthenticationError):
        prod.authenticate("pk_example_staff_key_do_not_use")
    assert is_example_key("pk_example_anything") and not is_example_key(generate_key())
    real = _service(store, env="production", bootstrap_admin_key="x" * 32)
    assert real.authenticate("x" * 32).role is Role.STAFF


def test_role_and_department_checks() -> None:
    staff = Principal(role=Role.STAFF)
    dept = Principal(role=Role.DEPARTMENT, department="市教育局")
    agent = Principal(role=Role.AGENT)
    require_role(staff, Role.STAFF)
    with pytest.raises(PermissionDeniedError):
        require_role(agent, Role.STAFF)
    require_department(staff, "市教育局")
    require_department(dept, "市教育局")
    with pytest.raises(PermissionDeniedError):
        require_department(dept, "市卫生健康委员会")
    with pytest.raises(PermissionDeniedError):
        require_department(agent, "市教育局")
    with pytest.raises(ValueError):
        Principal(role=Role.DEPARTMENT)
    with pytest.raises(AuthenticationError):  # no key at all is a 401, not a 403
        require_role(PUBLIC, Role.STAFF)
    with pytest.raises(AuthenticationError):
        require_department(PUBLIC, "市教育局")
