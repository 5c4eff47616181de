"""``GET /api/qa/search``: Q&A lookup for hotline agents (agent or staff key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query

from search_api.deps import (
    BackendDep,
    ChannelDep,
    CurrentAgent,
    GlossaryDep,
    QAMatcherDep,
    SettingsDep,
    StoreDep,
    UnderstandingDep,
)
from search_api.errors import ERROR_RESPONSES, ErrorPublic
from search_api.query_input import HARD_QUERY_CAP
from search_api.schemas.qa import QASearchResponsePublic
from search_api.services import qa_search
from search_api.services.policy_search import SearchContext

router = APIRouter(
    prefix="/api/qa",
    tags=["qa"],
    responses={
        **ERROR_RESPONSES,
        401: {"model": ErrorPublic, "description": "missing or invalid X-API-Key"},
        403: {"model": ErrorPublic, "description": "the key's role is not agent or staff"},
    },
)


@router.get("/search", response_model=QASearchResponsePublic, summary="Look up Q&A for a caller 坐席问答查询")
def search_qa(
    agent: CurrentAgent,
    settings: SettingsDep,
    store: StoreDep,
    backend: BackendDep,
    channel: ChannelDep,
    glossary: GlossaryDep,
    understanding: UnderstandingDep,
    background: BackgroundTasks,
    matcher: QAMatcherDep,
    q: Annotated[str, Query(min_length=1, max_length=HARD_QUERY_CAP, description="the caller's question")],
    size: Annotated[int, Query(ge=1, le=20, description="most answers returned")] = 5,
) -> QASearchResponsePublic:
    """Answers with source clause, department, validity and confidence; or ``no_answer`` with candidates.

    An answer needs a confidence at or above ``threshold`` and must be valid (有效); expired entries are
    only ever shown as candidates. With no answer, send the question on with ``POST /api/consultations``.
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
    return qa_search.search_qa(q, size, ctx, matcher)
