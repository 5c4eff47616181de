"""Contract suite, structure: filters, facet counts, sort, pagination, validity and recency in ranking."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from search_factories import identical_policies, make_policy, policy_corpus

from kb.models import DocumentType, Validity
from kb.search.base import BaseSearchBackend, SearchFilters, SearchQuery, SortOrder
from kb.search.documents import policy_document
from kb.search.query import POLICY_FACETS

CORPUS = [p for p, _ in policy_corpus()]


def browse(backend: BaseSearchBackend, text: str = "", **filters: Any) -> set[int]:
    results = backend.search(SearchQuery(text=text, filters=SearchFilters(**filters), size=100))
    assert results.total == len(results.hits)
    return {h.id for h in results.hits}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"issuing_body": ["国务院办公厅"]}, {3}),
        ({"issuing_body": ["国务院办公厅", "北京市人民政府"]}, {3, 4}),
        ({"subject_category": ["社会保障"]}, {1}),
        ({"subject_category": ["工业、交通"]}, {3}),
        ({"document_type": [DocumentType.GOVERNMENT_RULE]}, {2, 6, 7}),
        ({"year": [2020]}, {6, 7}),
        ({"year": [2018, 2019]}, {1, 3}),
        ({"date_from": date(2022, 1, 1)}, {4, 5, 8}),
        ({"date_from": date(2019, 1, 1), "date_to": date(2020, 12, 31)}, {1, 6, 7}),
        ({"validity": [Validity.REPEALED]}, {6}),
        ({"audience": ["个人"]}, {1, 2, 4}),
        ({"region": ["河北省"]}, {8}),
        ({"source": ["govcn", "hebei"]}, {3, 8}),
        ({"region": ["北京市"], "audience": ["企业"]}, {1, 4, 5}),
    ],
)
def test_filters_select_exactly_the_matching_policies(
    corpus_backend: BaseSearchBackend, filters: dict[str, Any], expected: set[int]
) -> None:
    assert browse(corpus_backend, **filters) == expected


def test_filters_combine_with_text(corpus_backend: BaseSearchBackend) -> None:
    assert browse(corpus_backend, "创业", region=["北京市"]) == {4, 5}
    assert browse(corpus_backend, "创业", issuing_body=["北京市科学技术委员会"]) == {5}


def _expected_facets(policies: list[Any]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {name: Counter() for name in POLICY_FACETS}
    for p in policies:
        doc = policy_document(p)
        counts["issuing_bodies"].update(doc.issuing_bodies)
        counts["subject_category"].update(doc.subject_category)
        counts["audiences"].update(doc.audiences)
        for name, value in (
            ("document_type", doc.document_type),
            ("validity", doc.validity),
            ("year", doc.year),
            ("region", doc.region),
            ("source", doc.source),
        ):
            if value is not None:
                counts[name][str(value)] += 1
    return counts


def test_facet_counts_over_everything(corpus_backend: BaseSearchBackend) -> None:
    results = corpus_backend.search(SearchQuery(facets=list(POLICY_FACETS), facet_size=50))
    expected = _expected_facets(CORPUS)
    for name in POLICY_FACETS:
        assert results.facet_counts(name) == dict(expected[name]), name


def test_facet_counts_follow_text_and_filters(corpus_backend: BaseSearchBackend) -> None:
    query = SearchQuery(
        text="医疗保险报销", filters=SearchFilters(region=["北京市"]), facets=["validity", "issuing_bodies"]
    )
    results = corpus_backend.search(query)
    matched = [
        p
        for p in CORPUS
        if p.id
        in {
            h.id
            for h in corpus_backend.search(
                SearchQuery(text="医疗保险报销", filters=SearchFilters(region=["北京市"]), size=100)
            ).hits
        }
    ]
    assert {6, 7} <= {p.id for p in matched}
    expected = _expected_facets(matched)
    assert results.facet_counts("validity") == dict(expected["validity"])
    assert results.facet_counts("issuing_bodies") == dict(expected["issuing_bodies"])


def test_facets_are_ordered_by_count(corpus_backend: BaseSearchBackend) -> None:
    buckets = corpus_backend.search(SearchQuery(facets=["region"])).facets["region"]
    counts = [b.count for b in buckets]
    assert counts == sorted(counts, reverse=True)
    assert buckets[0].value == "北京市"


def test_sort_newest_orders_by_publish_date(corpus_backend: BaseSearchBackend) -> None:
    hits = corpus_backend.search(SearchQuery(sort=SortOrder.NEWEST, size=100)).hits
    dates = [h.publish_date for h in hits]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert hits[0].id == 8
    # Equal dates fall back to id order.
    same_day = [h.id for h in hits if h.publish_date == date(2020, 7, 1)]
    assert same_day == [6, 7]


def test_sort_newest_with_text(corpus_backend: BaseSearchBackend) -> None:
    hits = corpus_backend.search(SearchQuery(text="创新", sort=SortOrder.NEWEST)).hits
    assert [h.id for h in hits][:2] == [5, 4]


def test_expired_and_repealed_rank_below_valid(corpus_backend: BaseSearchBackend) -> None:
    hits = corpus_backend.search(SearchQuery(text="城镇职工医疗保险报销规定")).hits
    order = [h.id for h in hits]
    assert order.index(7) < order.index(6)
    assert hits[order.index(7)].score > hits[order.index(6)].score


def test_asking_for_repealed_lifts_the_demotion(corpus_backend: BaseSearchBackend) -> None:
    query = SearchQuery(
        text="城镇职工医疗保险报销规定", filters=SearchFilters(validity=[Validity.VALID, Validity.REPEALED])
    )
    hits = {h.id: h.score for h in corpus_backend.search(query).hits}
    assert hits[6] == pytest.approx(hits[7], rel=1e-4)


def test_newer_documents_rank_higher_at_equal_relevance(make_backend: Any) -> None:
    backend = make_backend()
    old = make_policy(1, "关于开展节能宣传周活动的通知", "组织节能宣传。", publish_date=date(1998, 6, 1))
    new = make_policy(2, "关于开展节能宣传周活动的通知", "组织节能宣传。", publish_date=date(2024, 6, 1))
    index = backend.index("policies")
    assert index.bulk_index([policy_document(old), policy_document(new)]).indexed == 2
    index.refresh()
    assert [h.id for h in backend.search(SearchQuery(text="节能宣传")).hits] == [2, 1]


@pytest.mark.parametrize("sort", [SortOrder.RELEVANCE, SortOrder.NEWEST])
def test_pagination_is_stable_and_complete(make_backend: Any, sort: SortOrder) -> None:
    backend = make_backend()
    index = backend.index("policies")
    docs = identical_policies(100, 23)
    assert index.bulk_index(docs).indexed == 23
    index.refresh()
    seen: list[int] = []
    for page in range(1, 6):
        results = backend.search(SearchQuery(text="安全生产检查", sort=sort, page=page, size=5))
        assert results.total == 23
        seen.extend(h.id for h in results.hits)
    assert seen == sorted(seen)  # equal scores and dates: ordered by id
    assert seen == [d.id for d in docs]
    again = [h.id for h in backend.search(SearchQuery(text="安全生产检查", sort=sort, page=3, size=5)).hits]
    assert again == seen[10:15]


def test_page_beyond_the_end_is_empty(corpus_backend: BaseSearchBackend) -> None:
    results = corpus_backend.search(SearchQuery(page=50, size=10))
    assert results.hits == [] and results.total == len(CORPUS)


def test_bad_query_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown facet"):
        SearchQuery(facets=["colour"])
    with pytest.raises(ValueError):
        SearchQuery(size=101)
    with pytest.raises(ValueError, match="date_from"):
        SearchFilters(date_from=date(2020, 1, 2), date_to=date(2020, 1, 1))
