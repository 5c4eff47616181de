"""The ``elasticsearch`` flavor end to end: the official elasticsearch client, our adapter, the shared bodies.

No Elasticsearch build can run here (see SEARCH_SERVER.md), so the client talks to the real OpenSearch
through a loopback proxy that only adjusts media types and adds the product header the client checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fault_proxy import FaultProxy
from search_factories import load_corpus

from kb.search import get_backend
from kb.search.backends.es_client import ElasticsearchClient
from kb.search.backends.opensearch import EsSearchBackend
from kb.search.base import IndexKind, SearchFilters, SearchQuery
from kb.settings import Settings

pytestmark = pytest.mark.opensearch


@pytest.fixture
def es_backend(opensearch_url: str) -> Iterator[tuple[EsSearchBackend, FaultProxy]]:
    with FaultProxy(opensearch_url, elastic_product=True) as proxy:
        settings = Settings(
            search_backend="elasticsearch",
            search_url=proxy.url,
            search_timeout_seconds=30,
            search_index_prefix=f"tsearch{uuid.uuid4().hex[:8]}",
        )
        backend = get_backend(settings)
        assert isinstance(backend, EsSearchBackend)
        yield backend, proxy
        for name in backend.client.indices(f"{backend.prefix}-*"):
            backend.client.delete_index(name)
        backend.close()


def test_elasticsearch_flavor_indexes_searches_and_swaps(
    es_backend: tuple[EsSearchBackend, FaultProxy],
) -> None:
    backend, _proxy = es_backend
    assert isinstance(backend.client, ElasticsearchClient)
    assert backend.ping()
    load_corpus(backend)
    hit = backend.search(SearchQuery(text="国办发〔2018〕39号")).hits[0]
    assert hit.id == 3 and hit.doc_number == "国办发〔2018〕39号"
    results = backend.search(SearchQuery(text="三十日内办理登记", facets=["validity"]))
    assert results.hits[0].clause is not None and results.hits[0].clause.number == 2
    assert results.facet_counts("validity")
    assert {h.id for h in backend.search(SearchQuery(filters=SearchFilters(region=["河北省"]))).hits} == {8}
    assert backend.search_qa(SearchQuery(text="自由职业者交社保")).hits[0].id == 1
    index = backend.index(IndexKind.GLOSSARY)
    live = index.current_version()
    new = index.create_version()
    index.swap_alias(new)
    index.drop_version(live or "")
    assert index.list_versions() == [new]


def test_elasticsearch_flavor_retries_bulk(es_backend: tuple[EsSearchBackend, FaultProxy]) -> None:
    backend, proxy = es_backend
    from search_factories import identical_policies

    index = backend.index(IndexKind.POLICIES)
    index.ensure()
    proxy.faults.extend([("status", 429), ("drop_items", 2), ("pass", 0)])
    report = index.bulk_index(identical_policies(1, 12))
    assert report.indexed == 12 and report.ok and report.retries == 2
    index.refresh()
    assert index.count() == 12
