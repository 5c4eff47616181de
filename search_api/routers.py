"""The app's routers, one line each; other packages add theirs here (module path with a ``router``)."""

from __future__ import annotations

#: Modules that define ``router: fastapi.APIRouter``, included in this order; pages last.
ROUTER_MODULES: tuple[str, ...] = (
    "search_api.routes.health",
    "search_api.routes.search",
    "search_api.routes.policies",
    "search_api.routes.qa",
    "search_api.routes.suggest",
    "search_api.routes.glossary",
    "search_api.routes.consultations",
    "search_api.routes.questions",
    "search_api.routes.workflow_pages",
    "search_api.routes.pages",
)
