"""API keys and secrets: hashed at rest, constant-time compare, revocable, no example key in production."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from kb.auth import ApiKeyService, Role
from kb.auth import keys as key_module
from kb.auth.repository import SqlApiKeyRepository
from kb.settings import Settings
from kb.store import Store
from search_api.app import create_app
from tests.search_api.conftest import make_settings

LONG_SECRET = "reliability-secret-0123456789abcdef"
EXAMPLE = "pk_example_staff_key_do_not_use"


def _app(tmp_path: Path, **extra: Any) -> tuple[TestClient, ApiKeyService, Store]:
    settings = make_settings(tmp_path, "sqlite", secret_key=LONG_SECRET, **extra)
    store = Store.from_settings(settings)
    service = ApiKeyService(SqlApiKeyRepository(store), settings)
    return TestClient(create_app(settings, store=store), raise_server_exceptions=False), service, store


def _questions(client: TestClient, key: str) -> int:
    return client.get("/api/questions", headers={"X-API-Key": key}).status_code


@pytest.mark.parametrize("secret", ["change-me", "", "secret", "only-16-chars-xx"])
def test_production_refuses_placeholder_and_short_secrets(secret: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="POLICYKB_SECRET_KEY"):
        Settings(env="production", secret_key=secret, data_dir=tmp_path)
    Settings(env="development", secret_key=secret, data_dir=tmp_path)  # development keeps working


def test_secrets_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICYKB_SECRET_KEY", LONG_SECRET)
    monkeypatch.setenv("POLICYKB_SEARCH_PASSWORD", "engine-pass")
    monkeypatch.chdir(tmp_path)  # no .env here
    settings = Settings(env="production")
    assert settings.secret_key == LONG_SECRET and settings.search_password == "engine-pass"


def test_the_clear_key_never_reaches_the_database_file(tmp_path: Path) -> None:
    client, service, store = _app(tmp_path)
    created = service.create(Role.STAFF, name="at rest")
    assert _questions(client, created.key) == 200
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("*.db*"))
    assert raw, "no database file found"
    assert created.key.encode() not in raw
    assert created.key[8:].encode() not in raw  # not even the secret part after the lookup prefix


def test_keys_are_compared_in_constant_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client, service, _ = _app(tmp_path)
    created = service.create(Role.STAFF, name="ct")
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(key_module.hmac, "compare_digest", spy)
    assert _questions(client, created.key) == 200
    assert _questions(client, created.key[:-4] + "zzzz") == 401
    assert len(calls) >= 2 and all(len(a) == len(b) == 64 for a, b in calls)  # hex digests, not the keys


def test_revoked_key_is_refused_at_once(tmp_path: Path) -> None:
    client, service, _ = _app(tmp_path)
    created = service.create(Role.STAFF, name="to revoke")
    assert _questions(client, created.key) == 200
    service.revoke(created.record.id)
    assert _questions(client, created.key) == 401


def test_production_refuses_example_keys_over_http(tmp_path: Path) -> None:
    dev, _, _ = _app(tmp_path / "dev", bootstrap_admin_key=EXAMPLE)
    assert _questions(dev, EXAMPLE) == 200  # the documented key works in development
    with pytest.raises(ValidationError):  # too short for a production bootstrap key
        make_settings(
            tmp_path, "sqlite", env="production", secret_key=LONG_SECRET, bootstrap_admin_key="pk_x"
        )
    prod, service, _ = _app(tmp_path / "prod", env="production", bootstrap_admin_key=EXAMPLE)
    assert _questions(prod, EXAMPLE) == 401
    assert _questions(prod, "pk_example_anything_else_0123456789") == 401
    assert _questions(prod, service.create(Role.STAFF).key) == 200  # real keys still work
