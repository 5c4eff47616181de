"""The router's view of the policy search: close policies with issuing bodies and subject categories."""

from __future__ import annotations

from collections.abc import Sequence

from kb.errors import SearchError
from kb.search.base import BaseSearchBackend
from kb.search.query import SearchQuery
from kb.store import Store
from kb.workflow.routing import DepartmentDirectory, DepartmentRouter, PolicyCandidate, PolicySearch


def policy_search(backend: BaseSearchBackend, store: Store | None = None) -> PolicySearch:
    """A PolicySearch over the backend, reading subject categories from the store (hits do not carry them)."""

    def search(text: str, size: int) -> Sequence[PolicyCandidate]:
        query_text = text[:200]
        results = backend.search(SearchQuery(text=query_text, size=size, highlight=False))
        categories: dict[int, list[str]] = {}
        if store is not None and results.hits:
            categories = {
                p.id: list(p.subject_category)
                for p in store.get_policies(h.id for h in results.hits)
                if p.id is not None
            }
        return [
            PolicyCandidate(
                policy_id=h.id,
                title=h.title,
                issuing_bodies=list(h.issuing_bodies),
                subject_category=categories.get(h.id, []),
                score=h.score,
            )
            for h in results.hits
        ]

    return search


def build_router(
    backend: BaseSearchBackend,
    store: Store | None = None,
    directory: DepartmentDirectory | None = None,
    *,
    top_k: int = 10,
) -> DepartmentRouter:
    """A DepartmentRouter whose search failures degrade to 'no suggestion' (staff route by hand)."""
    search = policy_search(backend, store)

    def guarded(text: str, size: int) -> Sequence[PolicyCandidate]:
        try:
            return search(text, size)
        except SearchError:
            # A suggestion is a convenience: capture must still work when the engine is down.
            return []

    return DepartmentRouter(guarded, directory, top_k=top_k)
