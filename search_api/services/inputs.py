"""Typed input errors that name the field, and turning request parameters into a SearchQuery."""

from __future__ import annotations

import pydantic

from kb.errors import QueryError
from kb.search.query import MAX_RESULT_WINDOW, SearchFilters, SearchQuery
from search_api.query_input import CleanedQuery, clean_query
from search_api.schemas.search import SearchParams


class InputError(QueryError):
    """A parameter that cannot be used; ``field`` says which (the API shows it in ``errors``)."""

    message_zh = "查询参数有误"

    def __init__(self, field: str, reason: str, *, message_zh: str | None = None) -> None:
        super().__init__(f"{field}: {reason}", message_zh=message_zh or f"参数 {field} 有误：{reason}")
        self.field = field


def _clean_values(values: list[str]) -> list[str]:
    # Filter values go to the engine and the search log: drop control characters and blanks as for q.
    cleaned = (clean_query(v, 10_000).text for v in values)
    return list(dict.fromkeys(v for v in cleaned if v))


def build_search_query(params: SearchParams, max_query_chars: int) -> tuple[SearchQuery, CleanedQuery]:
    """The engine-independent SearchQuery for these parameters (InputError naming the field when invalid)."""
    problem = params.range_problem()
    if problem:
        raise InputError(*problem)
    if params.page * params.size > MAX_RESULT_WINDOW:
        raise InputError(
            "page",
            f"page × size must be at most {MAX_RESULT_WINDOW}; narrow the query instead of paging deeper",
            message_zh=f"翻页过深（页码 × 每页条数不能超过 {MAX_RESULT_WINDOW}），请增加筛选条件",
        )
    cleaned = clean_query(params.q, max_query_chars)
    date_from, date_to = params.effective_date_range()
    try:
        filters = SearchFilters(
            issuing_body=_clean_values(params.issuing_body),
            subject_category=_clean_values(params.subject_category),
            document_type=params.document_type,
            year=sorted(set(params.year)),
            date_from=date_from,
            date_to=date_to,
            validity=list(dict.fromkeys(params.validity)),
            audience=_clean_values(params.audience),
            region=_clean_values(params.region),
            source=_clean_values(params.source),
        )
        query = SearchQuery(
            text=cleaned.text,
            filters=filters,
            facets=[f.value for f in params.facets],
            sort=params.sort,
            page=params.page,
            size=params.size,
            highlight=params.highlight,
        )
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "query"
        raise InputError(field.removeprefix("filters."), str(first.get("msg", "invalid"))) from None
    return query, cleaned
