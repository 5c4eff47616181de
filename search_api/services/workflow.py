"""The app's WorkflowService, built once per app from its store, backend and calibrated Q&A matcher."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kb.qa import QAMatcher
from kb.workflow import SqlQuestionRepository, WorkflowService
from kb.workflow.matching import CalibratedQAMatcher
from kb.workflow.publish import StoreQAPublisher
from kb.workflow.routing_search import build_router


def get_workflow(request: Request) -> WorkflowService:
    """Lazily build and cache the service on app.state (the app skeleton needs no change for it)."""
    state = request.app.state
    service: WorkflowService | None = getattr(state, "workflow", None)
    if service is None:
        matcher: QAMatcher | None = getattr(state, "qa_matcher", None)
        service = WorkflowService(
            SqlQuestionRepository(state.store),
            matcher=CalibratedQAMatcher(matcher) if matcher is not None else None,
            router=build_router(state.backend, state.store),
            publisher=StoreQAPublisher(state.store, state.backend),
        )
        state.workflow = service
    return service


WorkflowDep = Annotated[WorkflowService, Depends(get_workflow)]
