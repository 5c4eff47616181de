"""The bulk path against a real OpenSearch behind a fault-injecting loopback proxy.

Whatever the engine answers (whole-request 429/503, item-level 429, a 503 after it already applied the
batch), every document ends up in the index exactly once and the report accounts for each one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fault_proxy import FaultProxy
from search_factories import identical_policies

from kb.search import get_backend
from kb.search.backends.es_bulk import BulkWriter
from kb.search.backends.opensearch import EsSearchBackend
from kb.search.base import IndexKind, SearchQuery
from kb.settings import Settings

pytestmark = pytest.mark.opensearch


@pytest.fixture
def proxied(opensearch_url: str, tmp_path: object) -> Iterator[tuple[EsSearchBackend, FaultProxy]]:
    with FaultProxy(opensearch_url) as proxy:
        settings = Settings(
            search_backend="opensearch",
            search_url=proxy.url,
            search_timeout_seconds=30,
            search_index_prefix=f"tsearch{uuid.uuid4().hex[:8]}",
        )
        backend = get_backend(settings)
        assert isinstance(backend, EsSearchBackend)
        backend.bulk_writer = BulkWriter(backend.client, attempts=8, wait_min=0.01, wait_max=0.05)
        backend.index(IndexKind.POLICIES).ensure()
        yield backend, proxy
        for name in backend.client.indices(f"{backend.prefix}-*"):
            backend.client.delete_index(name)
        backend.close()


def _indexed_ids(backend: EsSearchBackend) -> list[int]:
    index = backend.es_index(IndexKind.POLICIES)
    index.refresh()
    body = {"size": 1000, "_source": ["id"], "sort": [{"id": "asc"}], "query": {"match_all": {}}}
    return [h["_source"]["id"] for h in backend.client.search(index.alias, body)["hits"]["hits"]]


def test_every_document_lands_exactly_once_through_injected_failures(
    proxied: tuple[EsSearchBackend, FaultProxy],
) -> None:
    backend, proxy = proxied
    docs = identical_policies(1, 600)  # three batches of 250/250/100
    proxy.faults.extend(
        [
            ("status", 429),
            ("drop_items", 3),
            ("pass", 0),  # batch 1: 3 rounds
            ("applied_then", 503),
            ("drop_items", 2),
            ("pass", 0),  # batch 2: 3 rounds
            ("status", 502),
            ("drop_items", 1),
            ("close", 0),  # connection dropped mid-request
            ("drop_items", 5),
            ("pass", 0),  # batch 3: 5 rounds
        ]
    )
    report = backend.index(IndexKind.POLICIES).bulk_index(docs)
    assert not proxy.faults, "every injected fault was exercised"
    assert proxy.injected > 0
    assert report.submitted == 600
    assert report.indexed == 600 and report.failed == []
    assert report.indexed + report.deleted + len(report.failed) == report.submitted
    assert report.retries == 8
    assert proxy.bulk_requests == 11
    assert _indexed_ids(backend) == [d.id for d in docs]  # once each, none missing, none doubled
    assert backend.search(SearchQuery(text="安全生产")).total == 600


def test_refused_documents_are_reported_and_the_rest_indexed(
    proxied: tuple[EsSearchBackend, FaultProxy],
) -> None:
    backend, proxy = proxied
    docs = identical_policies(1, 10)
    bad = docs[4].model_copy(update={"year": 10**12})  # out of range for an integer field: HTTP 400
    proxy.faults.extend([("drop_items", 4)])
    report = backend.index(IndexKind.POLICIES).bulk_index([*docs[:4], bad, *docs[5:]])
    assert report.submitted == 10
    assert report.indexed == 9
    assert [(f.id, f.status) for f in report.failed] == [("5", 400)]
    assert "year" in report.failed[0].reason or "mapper" in report.failed[0].reason
    assert _indexed_ids(backend) == [d.id for d in docs if d.id != 5]


def test_an_engine_that_never_recovers_fails_every_document_loudly(
    proxied: tuple[EsSearchBackend, FaultProxy],
) -> None:
    backend, proxy = proxied
    proxy.always = ("status", 429)
    report = backend.index(IndexKind.POLICIES).bulk_index(identical_policies(1, 7))
    proxy.always = None
    assert report.submitted == 7 and report.indexed == 0
    assert sorted(f.id for f in report.failed) == [str(i) for i in range(1, 8)]
    assert all("gave up after 8 attempts" in f.reason and "429" in f.reason for f in report.failed)
    assert _indexed_ids(backend) == []


def test_deletes_retry_the_same_way(proxied: tuple[EsSearchBackend, FaultProxy]) -> None:
    backend, proxy = proxied
    index = backend.index(IndexKind.POLICIES)
    assert index.bulk_index(identical_policies(1, 20)).indexed == 20
    proxy.faults.extend([("status", 503), ("drop_items", 2)])
    report = index.delete(range(1, 11))
    assert report.submitted == 10 and report.deleted == 10 and report.ok
    assert _indexed_ids(backend) == list(range(11, 21))
