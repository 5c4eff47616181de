"""The engine stopped in the middle of an import: the store keeps all, search says 503, sync catches up.

Runs on a private one-node OpenSearch (tests/reliability/conftest.py) that is SIGKILLed and restarted; the
shared dev server and the test run's server are never touched.
"""

from __future__ import annotations

import hashlib
import json
import time
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opensearchpy import OpenSearch, helpers

from indexer.importers.base import UpsertReport
from indexer.importers.registry import import_dataset
from indexer.index_sync import IndexSyncError, checkpoint_name, policy_documents, sync_index
from kb.errors import SearchUnavailableError
from kb.models import Interpretation, Policy, QAPair
from kb.search import get_backend
from kb.search.backends.es_definitions import SOURCE_EXCLUDES
from kb.search.base import BaseSearchBackend, IndexKind
from kb.store import Store
from scripts import search_server
from search_api.app import create_app
from tests.search_api.conftest import make_settings

pytestmark = [pytest.mark.opensearch, pytest.mark.slow]

#: The API's engine timeout here; the 503 must come long before any socket default.
ENGINE_TIMEOUT = 2.0
NO_HANG_SECONDS = 20.0
BATCH = 20
KILL_AFTER_BATCH = 2


class SyncingSink:
    """The store as an import sink, syncing the index after every batch (as a live deployment would)."""

    def __init__(self, store: Store, backend: BaseSearchBackend, on_batch: Any) -> None:
        self.store = store
        self.backend = backend
        self.on_batch = on_batch
        self.batches = 0
        self.sync_failures: list[Exception] = []
        self.syncs_ok = 0

    def _after(self) -> None:
        self.batches += 1
        self.on_batch(self.batches)
        try:
            report = sync_index(self.store, self.backend)
        except (SearchUnavailableError, IndexSyncError) as exc:
            self.sync_failures.append(exc)
            return
        if report.ok:
            self.syncs_ok += 1
        else:
            self.sync_failures.append(IndexSyncError(report.summary(), report))

    def upsert_policies(self, items: Any) -> UpsertReport:
        report = self.store.upsert_policies(list[Policy](items))
        self._after()
        return report

    def upsert_interpretations(self, items: Any) -> UpsertReport:
        report = self.store.upsert_interpretations(list[Interpretation](items))
        self._after()
        return report

    def upsert_qa_pairs(self, items: Any) -> UpsertReport:
        report = self.store.upsert_qa_pairs(list[QAPair](items))
        self._after()
        return report


def _digest(doc: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _engine_docs(url: str, alias: str) -> dict[str, str]:
    """Every document behind ``alias``: id -> digest of its source."""
    client = OpenSearch([url], timeout=60)
    try:
        seen: dict[str, str] = {}
        for hit in helpers.scan(client, index=alias, query={"query": {"match_all": {}}}):
            assert hit["_id"] not in seen, f"document {hit['_id']} indexed twice"
            seen[hit["_id"]] = _digest(hit["_source"])
        return seen
    finally:
        client.close()


def _store_docs(store: Store) -> dict[str, str]:
    """What the index must hold: id -> digest of the document built from the store."""
    docs = policy_documents(store, list(store.iter_policies()))
    return {str(d.id): _digest(_stored_part(d.model_dump(mode="json"))) for d in docs}


def _stored_part(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as _source keeps it: the mapping excludes the match-only fields (SOURCE_EXCLUDES)."""
    return {k: v for k, v in doc.items() if not any(fnmatch(k, pattern) for pattern in SOURCE_EXCLUDES)}


def test_import_survives_an_engine_outage_and_sync_catches_up(
    private_engine: search_server.Cluster, shared_data: Path, tmp_path: Path
) -> None:
    engine = private_engine
    settings = make_settings(tmp_path, "opensearch", engine.url, search_timeout_seconds=ENGINE_TIMEOUT)
    store = Store.from_settings(settings)
    backend = get_backend(settings)
    killed: list[int] = []

    def kill_engine(batch: int) -> None:
        if batch == KILL_AFTER_BATCH:
            assert engine.kill_node(1), "the private engine was not running"
            killed.append(batch)

    sink = SyncingSink(store, backend, kill_engine)
    report = import_dataset("bj_zyj", shared_data / "bj_zyj" / "notices.jsonl", sink, batch_size=BATCH)
    # The import itself never depended on the engine: every record reached the store.
    assert killed and sink.batches > KILL_AFTER_BATCH + 1, (killed, sink.batches)
    written = store.count_policies() + store.count_interpretations()
    assert written == report.total_written > BATCH * (KILL_AFTER_BATCH + 1)
    # Syncs succeeded before the kill and every one after it failed loudly (typed), none silently.
    assert sink.syncs_ok == KILL_AFTER_BATCH - 1, (sink.syncs_ok, sink.sync_failures[:2])
    assert len(sink.sync_failures) == sink.batches - sink.syncs_ok
    name = checkpoint_name(backend)
    stuck_at = store.get_sync_checkpoint(name)
    assert 0 < stuck_at < store.current_revision()  # moved while the engine was up, not after

    # Meanwhile the API answers search with a fast, bilingual 503 instead of hanging.
    client = TestClient(create_app(settings, store=store, backend=backend), raise_server_exceptions=False)
    started = time.monotonic()
    response = client.get("/api/search", params={"q": "中医药"})
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "search_unavailable"
    assert time.monotonic() - started < NO_HANG_SECONDS

    engine.start_node(1, timeout_s=300)
    caught_up = sync_index(store, backend)
    assert caught_up.ok and caught_up.checkpoint_moved, caught_up.summary()
    assert store.get_sync_checkpoint(name) == store.current_revision()
    alias = backend.index(IndexKind.POLICIES).alias  # type: ignore[attr-defined]
    in_engine = _engine_docs(engine.url, alias)
    expected = _store_docs(store)
    assert set(in_engine) == set(expected)  # nothing lost, nothing extra
    differing = [i for i in expected if in_engine[i] != expected[i]]
    assert not differing, f"{len(differing)} documents differ from the store, e.g. {differing[:3]}"
    assert client.get("/api/search", params={"q": "中医药"}).status_code == 200
    backend.close()
    store.close()
