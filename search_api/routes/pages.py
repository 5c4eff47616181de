"""Server-rendered pages: public search ``/``, policy page ``/policies/{id}``, agent console ``/agent``."""

from __future__ import annotations

from typing import Any

import pydantic
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import QueryParams

from kb.errors import KBError
from kb.models import Channel
from kb.search.query import POLICY_FACETS
from search_api.deps import BackendDep, GlossaryDep, SettingsDep, StoreDep, UnderstandingDep
from search_api.errors import status_for
from search_api.schemas.search import SearchParams
from search_api.services import policy_search
from search_api.services.policies import load_policy
from search_api.services.policy_search import SearchContext
from search_api.templating import templates

router = APIRouter(include_in_schema=False)

_LIST_FIELDS = {
    "issuing_body",
    "subject_category",
    "document_type",
    "year",
    "validity",
    "audience",
    "region",
    "source",
}


def _params_from_query(query: QueryParams) -> SearchParams:
    data: dict[str, Any] = {}
    for name in SearchParams.model_fields:
        if name == "facets":
            continue
        if name in _LIST_FIELDS:
            values = [v for v in query.getlist(name) if v != ""]
            if values:
                data[name] = values
        elif query.get(name, "") != "":
            data[name] = query[name]
    data["facets"] = list(POLICY_FACETS)
    return SearchParams.model_validate(data)


def _error_page(request: Request, status: int, message_zh: str, message: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message_zh": message_zh, "message": message},
        status_code=status,
    )


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    backend: BackendDep,
    glossary: GlossaryDep,
    understanding: UnderstandingDep,
) -> HTMLResponse:
    """The public policy search page (works without JavaScript; JS adds suggestions)."""
    context: dict[str, Any] = {"params": request.query_params, "result": None, "error": None}
    try:
        params = _params_from_query(request.query_params)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "参数"
        context["error"] = (f"参数 {field} 有误，请修改后重试", f"{field}: {first.get('msg')}")
        return templates.TemplateResponse(request, "search.html", context, status_code=422)
    context["form"] = params
    status = 200
    if request.query_params:
        ctx = SearchContext(
            settings=settings,
            store=store,
            backend=backend,
            channel=Channel.WEBSITE,
            glossary=glossary,
            understanding=understanding,
        )
        try:
            context["result"] = policy_search.search_policies(params, ctx)
        except KBError as exc:
            status, _ = status_for(exc)
            context["error"] = (exc.message_zh, str(exc))
    return templates.TemplateResponse(request, "search.html", context, status_code=status)


@router.get("/policies/{policy_id}", response_class=HTMLResponse)
def policy_page(request: Request, policy_id: str, store: StoreDep) -> HTMLResponse:
    """One policy with its clauses, interpretations, Q&A, attachments and 惠企 items."""
    if not policy_id.isdigit() or not 0 < int(policy_id) < 2**63:
        return _error_page(request, 404, "没有这个政策文件", f"no policy {policy_id!r}")
    try:
        policy = load_policy(store, int(policy_id))
    except KBError as exc:
        status, _ = status_for(exc)
        return _error_page(request, status, exc.message_zh, str(exc))
    return templates.TemplateResponse(request, "policy.html", {"policy": policy})


@router.get("/agent", response_class=HTMLResponse)
def agent_console(request: Request) -> HTMLResponse:
    """The hotline agent console: keyboard-first Q&A lookup (the page calls /api/qa/search)."""
    return templates.TemplateResponse(request, "agent.html", {})
