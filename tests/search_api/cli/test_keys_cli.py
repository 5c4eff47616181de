"""`policykb keys create|list|revoke` end to end on a SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.auth import ApiKeyService, Role
from kb.auth.repository import SqlApiKeyRepository
from kb.errors import AuthenticationError
from kb.settings import get_settings
from kb.store import Store
from search_api.cli.main import app


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("POLICYKB_DATABASE_URL", url)
    monkeypatch.setenv("POLICYKB_SECRET_KEY", "cli-test-secret-0123456789abcdef")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_create_list_revoke(db_env: str) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "--role", "department", "--department", "市教育局"])
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("pk_")
    service = ApiKeyService(SqlApiKeyRepository(Store(db_env)), get_settings())
    principal = service.authenticate(key)
    assert principal.role is Role.DEPARTMENT and principal.department == "市教育局"

    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0 and key not in listed.output and key[:12] in listed.output

    assert runner.invoke(app, ["keys", "revoke", str(principal.key_id)]).exit_code == 0
    with pytest.raises(AuthenticationError):
        service.authenticate(key)


def test_department_key_without_department_fails_with_a_message(db_env: str) -> None:
    result = CliRunner().invoke(app, ["keys", "create", "--role", "department"])
    assert result.exit_code == 1 and "--department" in result.output


def test_workdays_and_questions_export(db_env: str, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["workdays", "2026-09-30"])
    assert result.exit_code == 0 and result.output.splitlines()[0] == "2026-10-10"
    result = runner.invoke(app, ["workdays", "2027-04-30"])
    assert result.exit_code == 0 and "2027" in result.output and result.output.startswith("2027-05-05")
    out = tmp_path / "list.csv"
    result = runner.invoke(app, ["questions", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().decode("utf-8-sig").startswith("编号,问题,状态")
