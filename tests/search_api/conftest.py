"""Fixtures for the API tests: a small knowledge base of our own, loaded into a store and a backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

import analyzers
from indexer.index_sync import sync_index
from kb.auth import ApiKeyService, Role
from kb.auth.repository import SqlApiKeyRepository
from kb.models import Clause, GlossaryTerm, Interpretation, Policy, Provenance, QAPair
from kb.search import get_backend
from kb.search.base import BaseSearchBackend
from kb.settings import Settings
from kb.store import Store
from search_api.app import create_app

FIXTURE = Path(__file__).resolve().parent / "data" / "kb_fixture.yaml"
SOURCE = "test"


def _provenance(item: dict[str, Any]) -> Provenance:
    return Provenance(source=SOURCE, source_id=item.pop("source_id"), url=item.pop("url", None))


def _policy(item: dict[str, Any]) -> Policy:
    clauses = [
        Clause(
            number=c.number,
            sub_number=c.sub_number,
            label=c.label,
            chapter=c.chapter,
            section=c.section,
            text=c.text,
        )
        for c in analyzers.split_clauses(item["text"])
    ]
    return Policy(provenance=_provenance(item), validity_stated=True, clauses=clauses, **item)


def fixture_records() -> dict[str, list[Any]]:
    """The fixture file as kb models."""
    raw = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return {
        "policies": [_policy(p) for p in raw["policies"]],
        "interpretations": [Interpretation(provenance=_provenance(i), **i) for i in raw["interpretations"]],
        "qa": [QAPair(provenance=_provenance(q), **q) for q in raw["qa"]],
        "glossary": [GlossaryTerm(**g) for g in raw["glossary"]],
    }


def load_fixture(store: Store, backend: BaseSearchBackend) -> None:
    """Write the fixture to the store, then index what the store holds (store first, as in production)."""
    records = fixture_records()
    for method, items in (
        (store.upsert_policies, records["policies"]),
        (store.upsert_interpretations, records["interpretations"]),
        (store.upsert_qa_pairs, records["qa"]),
        (store.upsert_glossary_terms, records["glossary"]),
    ):
        report = method(items)
        assert not report.failed, report.failed
    report = sync_index(store, backend)
    assert report.ok, report


def make_settings(tmp_path: Path, backend: str, search_url: str | None = None, **extra: Any) -> Settings:
    """Test settings on a fresh SQLite store in ``tmp_path`` (and a unique index prefix on OpenSearch)."""
    values: dict[str, Any] = {
        "env": "test",
        "data_dir": tmp_path,
        "search_backend": backend,
        "search_index_prefix": f"t{uuid.uuid4().hex[:10]}",
        "secret_key": "test-secret-for-api-tests",
        **extra,
    }
    if search_url:
        values["search_url"] = search_url
    return Settings(**values)


class ApiHarness:
    """An app over a loaded fixture, a client, and an agent key."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store.from_settings(settings)
        self.backend = get_backend(settings)
        load_fixture(self.store, self.backend)
        self.app: FastAPI = create_app(settings, store=self.store, backend=self.backend)
        keys = ApiKeyService(SqlApiKeyRepository(self.store), settings)
        self.agent_key = keys.create(Role.AGENT, name="test agent").key
        self.staff_key = keys.create(Role.STAFF, name="test staff").key
        self.client = TestClient(self.app, raise_server_exceptions=False)

    def policy_id(self, source_id: str) -> int:
        policy = self.store.get_policy_by_key(SOURCE, source_id)
        assert policy is not None and policy.id is not None
        return policy.id

    def close(self) -> None:
        self.client.close()
        if self.settings.search_backend != "sqlite":
            # The live version refuses drop_version; the prefix is unique to this harness, so delete by it.
            httpx.delete(f"{self.settings.search_url}/{self.settings.search_index_prefix}-*", timeout=30)
        self.backend.close()
        self.store.close()


@pytest.fixture(scope="module", params=["sqlite", "opensearch"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiHarness]:
    """The API over the fixture, on each backend (the real OpenSearch for the second); shared by a module."""
    tmp_path = tmp_path_factory.mktemp(f"api-{request.param}")
    if request.param == "opensearch":
        url = request.getfixturevalue("opensearch_url")
        harness = ApiHarness(make_settings(tmp_path, "opensearch", url))
    else:
        harness = ApiHarness(make_settings(tmp_path, "sqlite"))
    yield harness
    harness.close()


@pytest.fixture
def sqlite_api(tmp_path: Path) -> Iterator[ApiHarness]:
    """The API over the fixture on the embedded backend only (for tests about the HTTP layer)."""
    harness = ApiHarness(make_settings(tmp_path, "sqlite"))
    yield harness
    harness.close()


TODAY = date.today()
