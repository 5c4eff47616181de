"""Write searches to the store's ``search_log`` and read frequent queries back for suggestions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kb.store import Store
from kb.store.tables import SearchLogRow

#: Longest query text kept in the log (queries are cut to Settings.max_query_chars before anyway).
MAX_LOGGED_QUERY_CHARS = 500


def write_search_log(
    store: Store,
    *,
    query: str,
    filters: dict[str, Any],
    total: int,
    latency_ms: float,
    channel: str | None,
    kind: str = "policy",
) -> None:
    """Append one row to search_log (the zero-result report and the unanswered-question work read it)."""
    with store.write_session() as session:
        session.add(
            SearchLogRow(
                query=query[:MAX_LOGGED_QUERY_CHARS],
                filters=filters,
                total=total,
                latency_ms=round(latency_ms, 2),
                channel=channel,
                kind=kind,
            )
        )


def frequent_queries(store: Store, *, min_total: int = 1, limit: int = 500) -> list[tuple[str, int]]:
    """The most frequent non-empty queries that found something, with their counts, most frequent first."""
    with store.read_session() as session:
        rows = session.execute(
            select(SearchLogRow.query, func.count().label("n"))
            .where(SearchLogRow.query != "", SearchLogRow.total >= min_total)
            .group_by(SearchLogRow.query)
            .order_by(func.count().desc(), SearchLogRow.query)
            .limit(limit)
        ).all()
    return [(str(query), int(n)) for query, n in rows]
