"""The FastAPI application: settings, store, backend, error mapping, middleware, routers, pages."""

from __future__ import annotations

import ctypes
import importlib
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from analyzers.segmenter import use_compact_reference
from kb.qa import QAMatcher
from kb.query import QueryUnderstanding
from kb.search import get_backend
from kb.search.base import BaseSearchBackend
from kb.settings import Settings, get_settings
from kb.store import Store
from search_api.deps import build_key_service
from search_api.errors import install_error_handlers
from search_api.middleware import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from search_api.routers import ROUTER_MODULES
from search_api.services.glossary import GlossaryCache
from search_api.services.suggest import FrequentQueries
from search_api.services.understanding import QARarityCache, UnderstandingCache

log = logging.getLogger("policykb.api")

STATIC_DIR = Path(__file__).resolve().parent / "static"
#: Swagger UI 5 and ReDoc as files (from the fastapi-offline package): /docs works without internet.
DOCS_ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"

API_DESCRIPTION = """
政策文件检索与知识库 API — search Chinese government policies with their interpretations (政策解读),
look up concise Q&A (简明问答) for the 12345 hotline, and read the policy glossary.

Public endpoints need no key. Agent, staff and department endpoints take an API key in the `X-API-Key` header.
Errors share one shape: `error`, `message` (English), `message_zh` (中文) and, for 422, `errors` per field.
"""


def _load_routers(modules: Iterable[str]) -> list[APIRouter]:
    routers = []
    for name in modules:
        module = importlib.import_module(name)
        routers.append(module.router)
    return routers


def warm_up(backend: BaseSearchBackend, understanding: QueryUnderstanding) -> None:
    """Load the segmenter and dictionaries now, so the first visitor does not wait for them (or get a 503)."""
    started = time.perf_counter()
    backend.parse("社保补贴 国发〔2018〕39号 第十二条")
    understanding.understand("社保补贴 第十二条")
    log.info("analysis warmed up in %.1f s", time.perf_counter() - started)


#: glibc malloc arenas per process (its default is 8 per core): each request thread got its own arena, and
#: memory freed in one was kept there; with 2 the API's RSS under 8 clients grew 39 MB instead of 68 MB.
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt parameter number (malloc.h)


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas (no-op elsewhere, or when MALLOC_ARENA_MAX is set); True when applied."""
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc (musl, ...)
        return False


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    backend: BaseSearchBackend | None = None,
    router_modules: Iterable[str] = ROUTER_MODULES,
) -> FastAPI:
    """Build the app; ``store``/``backend`` default to the ones the settings describe."""
    settings = settings or get_settings()
    owns_backend = backend is None
    limit_malloc_arenas()
    # Queries and titles only: jieba's reference engine (for runs around ASCII symbols) in ~6 MB, not ~70.
    use_compact_reference()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warm_up(app.state.backend, app.state.understanding.get())
        yield
        if owns_backend:
            app.state.backend.close()

    app = FastAPI(
        title="policykb",
        summary="政策文件检索与知识库 · policy search and knowledge base",
        description=API_DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        # Swagger UI and ReDoc are served from local files, not a CDN: intranets have no internet.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store or Store.from_settings(settings)
    app.state.backend = backend or get_backend(settings)
    app.state.key_service = build_key_service(app.state.store, settings)
    app.state.glossary = GlossaryCache(app.state.store)
    app.state.frequent_queries = FrequentQueries(app.state.store)
    app.state.understanding = UnderstandingCache(app.state.store, max_chars=settings.max_query_chars)
    # The workflow service (search_api.services.workflow) builds its capture matcher from this one.
    app.state.qa_rarity = QARarityCache(app.state.store)
    app.state.qa_matcher = QAMatcher(
        app.state.backend,
        app.state.understanding.get(),
        threshold=settings.qa_confidence_threshold,
        rarity=app.state.qa_rarity.get(),
    )

    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["X-API-Key", "Content-Type", "X-PolicyKB-Channel"],
        )
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS_DIR), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def read_api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="policykb API 接口文档",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def read_api_reference() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="policykb API 参考",
            redoc_js_url="/docs-assets/redoc.standalone.js",
            redoc_favicon_url="/docs-assets/favicon.png",
            with_google_fonts=False,
        )

    for router in _load_routers(router_modules):
        app.include_router(router)
    return app
