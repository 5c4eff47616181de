"""``GET /api/suggest``: completions for the search box, cheap enough to call per keystroke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from search_api.deps import BackendDep, FrequentQueriesDep, GlossaryDep, SettingsDep
from search_api.errors import ERROR_RESPONSES
from search_api.query_input import clean_query
from search_api.schemas.misc import SuggestResponsePublic
from search_api.services.suggest import suggest

router = APIRouter(prefix="/api", tags=["search"], responses=ERROR_RESPONSES)

MAX_PREFIX_CHARS = 50


@router.get("/suggest", response_model=SuggestResponsePublic, summary="Complete the search box 输入提示")
def suggest_queries(
    settings: SettingsDep,
    backend: BackendDep,
    glossary: GlossaryDep,
    frequent: FrequentQueriesDep,
    q: Annotated[str, Query(max_length=MAX_PREFIX_CHARS, description="what has been typed so far")] = "",
    size: Annotated[int, Query(ge=1, le=20)] = 8,
) -> SuggestResponsePublic:
    """Policy titles, glossary terms and frequent successful queries matching what was typed."""
    prefix = clean_query(q, MAX_PREFIX_CHARS).text
    if not prefix:
        return SuggestResponsePublic(prefix="", suggestions=[])
    items = suggest(
        prefix,
        size,
        backend=backend,
        glossary=glossary,
        frequent=frequent,
        engine_timeout=settings.search_timeout_seconds,
    )
    return SuggestResponsePublic(prefix=prefix, suggestions=items)
