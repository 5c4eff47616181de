"""API keys and roles: public, agent, staff, department (+ department name)."""

from __future__ import annotations

from kb.auth.keys import generate_key, hash_key, is_example_key, verify_key
from kb.auth.roles import KEY_ROLES, PUBLIC, Principal, Role, require_department, require_role
from kb.auth.service import ApiKeyRecord, ApiKeyRepository, ApiKeyService, CreatedKey

__all__ = [
    "KEY_ROLES",
    "PUBLIC",
    "ApiKeyRecord",
    "ApiKeyRepository",
    "ApiKeyService",
    "CreatedKey",
    "Principal",
    "Role",
    "generate_key",
    "hash_key",
    "is_example_key",
    "require_department",
    "require_role",
    "verify_key",
]
