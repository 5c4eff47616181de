"""``GET /api/search``: policy search with interpretations, related Q&A and glossary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query

from search_api.deps import BackendDep, ChannelDep, GlossaryDep, SettingsDep, StoreDep, UnderstandingDep
from search_api.errors import ERROR_RESPONSES
from search_api.schemas.search import SearchParams, SearchResponsePublic
from search_api.services import policy_search
from search_api.services.policy_search import SearchContext

router = APIRouter(prefix="/api", tags=["search"], responses=ERROR_RESPONSES)


@router.get("/search", response_model=SearchResponsePublic, summary="Search policies 检索政策文件")
def search_policies(
    params: Annotated[SearchParams, Query()],
    settings: SettingsDep,
    store: StoreDep,
    backend: BackendDep,
    channel: ChannelDep,
    glossary: GlossaryDep,
    understanding: UnderstandingDep,
    background: BackgroundTasks,
) -> SearchResponsePublic:
    """Full-text policy search; each hit carries its interpretations, matching clause and related Q&A.

    The response says what the query was understood as (文号, 第N条, 《title》, synonyms) and defines the
    glossary terms it mentions. Queries longer than the configured limit are cut, with a notice.
    """
    ctx = SearchContext(
        settings=settings,
        store=store,
        backend=backend,
        channel=channel,
        glossary=glossary,
        understanding=understanding,
        defer=background.add_task,
    )
    return policy_search.search_policies(params, ctx)
