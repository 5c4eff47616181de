"""Policy search end to end: clean the query, ask the engine (guarded), enrich the hits, log the search."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kb.errors import StoreError
from kb.models import Channel
from kb.query import QueryUnderstanding
from kb.search.base import BaseSearchBackend
from kb.search.query import SearchQuery
from kb.settings import Settings
from kb.store import Store
from search_api.engine_guard import call_engine
from search_api.schemas.common import UnderstoodQueryPublic
from search_api.schemas.search import FacetBucketPublic, SearchParams, SearchResponsePublic
from search_api.services.enrich import glossary_for_text, policy_hit
from search_api.services.glossary import GlossaryCache
from search_api.services.inputs import build_search_query
from search_api.services.search_log import write_search_log

log = logging.getLogger("policykb.api.search")


@dataclass(frozen=True)
class SearchContext:
    """What a search needs from the app: settings, store, backend, and the channel it is logged under."""

    settings: Settings
    store: Store
    backend: BaseSearchBackend
    channel: Channel
    glossary: GlossaryCache
    understanding: QueryUnderstanding
    #: Runs work after the response is sent (FastAPI BackgroundTasks.add_task); None runs it inline.
    defer: Callable[..., None] | None = None


def log_search(
    ctx: SearchContext, query: SearchQuery, total: int, latency_ms: float, kind: str = "policy"
) -> None:
    """Record the search in the store's search_log; a failing log never fails the search (it is reported)."""
    filters = query.filters.model_dump(mode="json", exclude_defaults=True)
    entry = {
        "query": query.text,
        "filters": filters,
        "total": total,
        "latency_ms": latency_ms,
        "channel": ctx.channel.value,
        "kind": kind,
    }
    # The log is one database commit; the benchmark profile showed it at a quarter of a search's time, so
    # the routes write it after the response has gone out.
    if ctx.defer is not None:
        ctx.defer(_write_log, ctx.store, entry)
    else:
        _write_log(ctx.store, entry)


def _write_log(store: Store, entry: dict[str, Any]) -> None:
    try:
        write_search_log(store, **entry)
    except StoreError as exc:
        log.warning("search not logged (%s): %s", str(entry["query"])[:50], exc)


def search_policies(params: SearchParams, ctx: SearchContext) -> SearchResponsePublic:
    """Run one policy search and build the response."""
    started = time.perf_counter()
    query, cleaned = build_search_query(params, ctx.settings.max_query_chars)
    understood = ctx.understanding.understand(cleaned.text) if cleaned.text else None
    results = call_engine(
        ctx.settings.search_timeout_seconds,
        "policy search",
        ctx.backend.search,
        query,
        parsed=understood.parsed if understood else None,
    )
    parsed = results.understood
    related = ctx.store.published_qa_for_policies([hit.id for hit in results.hits])
    hits = [policy_hit(hit, related.get(hit.id, []), parsed) for hit in results.hits]
    glossary = glossary_for_text(cleaned.text, ctx.glossary)
    took_ms = (time.perf_counter() - started) * 1000
    log_search(ctx, query, results.total, took_ms)
    return SearchResponsePublic(
        query=cleaned.text,
        notices=cleaned.notices,
        understood=UnderstoodQueryPublic.from_understood(understood) if understood else None,
        total=results.total,
        page=query.page,
        size=query.size,
        pages=math.ceil(results.total / query.size) if results.total else 0,
        sort=query.sort,
        took_ms=round(took_ms, 1),
        hits=hits,
        facets={
            name: [FacetBucketPublic(value=b.value, count=b.count) for b in buckets]
            for name, buckets in results.facets.items()
        },
        glossary=glossary,
    )
