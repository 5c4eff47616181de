"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from kb.errors import KBError
from search_api.deps import BackendDep, SettingsDep, StoreDep
from search_api.engine_guard import call_engine
from search_api.schemas.misc import ComponentStatusPublic, HealthPublic, ReadyPublic

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthPublic, summary="Process is alive")
def read_health() -> HealthPublic:
    """Answers as long as the process serves requests; checks nothing else."""
    return HealthPublic()


def _store_status(store: StoreDep) -> ComponentStatusPublic:
    try:
        with store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return ComponentStatusPublic(ok=False, detail=f"database unreachable: {type(exc).__name__}")
    return ComponentStatusPublic(ok=True)


def _engine_status(backend: BackendDep, settings: SettingsDep) -> ComponentStatusPublic:
    try:
        answered = call_engine(settings.search_timeout_seconds, "ping", backend.ping)
    except KBError as exc:
        return ComponentStatusPublic(ok=False, detail=str(exc))
    return ComponentStatusPublic(
        ok=answered, detail="" if answered else "search engine did not answer the ping"
    )


@router.get(
    "/readyz",
    response_model=ReadyPublic,
    summary="Store and search engine reachable",
    responses={503: {"model": ReadyPublic, "description": "store or engine unreachable"}},
)
def read_readiness(store: StoreDep, backend: BackendDep, settings: SettingsDep) -> JSONResponse:
    """200 when both the store and the search engine answer, 503 (same body) when either does not."""
    ready = ReadyPublic(
        status="ready",
        backend=settings.search_backend,
        store=_store_status(store),
        engine=_engine_status(backend, settings),
    )
    if not (ready.store.ok and ready.engine.ok):
        ready.status = "unavailable"
    return JSONResponse(ready.model_dump(), status_code=200 if ready.status == "ready" else 503)
