"""Completions for the search box: policy titles (engine), glossary terms, frequent queries (search_log)."""

from __future__ import annotations

import logging
import threading
import time

import analyzers
from kb.errors import SearchUnavailableError
from kb.search.base import BaseSearchBackend
from kb.store import Store
from search_api.engine_guard import call_engine
from search_api.schemas.misc import SuggestionPublic
from search_api.services.glossary import GlossaryCache
from search_api.services.search_log import frequent_queries

log = logging.getLogger("policykb.api.suggest")

#: Seconds the frequent-query list is reused before search_log is read again.
FREQUENT_QUERIES_TTL_SECONDS = 60.0
#: Suggestions are called per keystroke: the engine gets at most this long before titles are left out.
SUGGEST_ENGINE_TIMEOUT_SECONDS = 0.5


class FrequentQueries:
    """The most frequent successful queries, cached for a minute (no search_log read per keystroke)."""

    def __init__(self, store: Store, ttl: float = FREQUENT_QUERIES_TTL_SECONDS) -> None:
        self._store = store
        self._ttl = ttl
        self._lock = threading.Lock()
        self._loaded_at = -1e9
        self._queries: list[tuple[str, str]] = []  # (normalized, as typed), most frequent first

    def invalidate(self) -> None:
        self._loaded_at = -1e9

    def matching(self, prefix: str, limit: int) -> list[str]:
        """Frequent queries starting with ``prefix``, then those containing it."""
        with self._lock:
            if time.monotonic() - self._loaded_at >= self._ttl:
                rows = frequent_queries(self._store)
                self._queries = [(analyzers.normalize(q), q) for q, _ in rows]
                self._loaded_at = time.monotonic()
            queries = self._queries
        key = analyzers.normalize(prefix)
        starts = [q for n, q in queries if n.startswith(key)]
        contains = [q for n, q in queries if key in n and not n.startswith(key)]
        return (starts + contains)[:limit]


def suggest(
    prefix: str,
    limit: int,
    *,
    backend: BaseSearchBackend,
    glossary: GlossaryCache,
    frequent: FrequentQueries,
    engine_timeout: float,
) -> list[SuggestionPublic]:
    """Up to ``limit`` distinct completions: titles first, then glossary terms, then frequent queries."""
    out: list[SuggestionPublic] = []
    seen: set[str] = set()

    def add(text: str, kind: str) -> None:
        if text and text not in seen and len(out) < limit:
            seen.add(text)
            out.append(SuggestionPublic(text=text, kind=kind))  # type: ignore[arg-type]

    try:
        titles = call_engine(
            min(engine_timeout, SUGGEST_ENGINE_TIMEOUT_SECONDS), "suggest", backend.suggest, prefix, limit
        )
    except SearchUnavailableError as exc:
        # Completion is a convenience: without the engine, still offer glossary terms and past queries.
        log.info("suggest without titles: %s", exc)
        titles = []
    per_kind = max(2, limit // 3)
    for title in titles[: limit - per_kind]:
        add(title, "title")
    for term in glossary.complete(prefix, per_kind):
        add(term, "glossary")
    for query in frequent.matching(prefix, limit):
        add(query, "query")
    for title in titles:
        add(title, "title")
    return out
