"""Map typed errors to HTTP responses with Chinese and English messages; the one place statuses are chosen."""

from __future__ import annotations

import logging

import pydantic
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kb.errors import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    KBError,
    NotFoundError,
    PermissionDeniedError,
    QueryError,
    SearchError,
    SearchUnavailableError,
    StoreError,
    UnsupportedFeatureError,
    ValidationError,
)

log = logging.getLogger("policykb.api")

#: Seconds a client should wait before retrying after a 503.
RETRY_AFTER_SECONDS = 5


class FieldErrorPublic(BaseModel):
    """One rejected input: where it was, which field, and why."""

    field: str = Field(description="parameter or body field, e.g. `size` or `filters.year_from`")
    location: str = Field(description="query, path, header or body")
    reason: str


class ErrorPublic(BaseModel):
    """Every error response has this shape."""

    error: str = Field(description="machine-readable code, e.g. validation_error, search_unavailable")
    message: str = Field(description="English explanation with what to do")
    message_zh: str = Field(description="中文说明")
    errors: list[FieldErrorPublic] = Field(default_factory=list, description="per-field problems (422)")


# Order matters: the first matching class wins, so subclasses come before their bases.
_STATUS_BY_ERROR: list[tuple[type[KBError], int, str]] = [
    (SearchUnavailableError, 503, "search_unavailable"),
    (UnsupportedFeatureError, 400, "unsupported_feature"),
    (QueryError, 422, "query_error"),
    (ValidationError, 422, "validation_error"),
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (AuthenticationError, 401, "authentication_required"),
    (PermissionDeniedError, 403, "permission_denied"),
    (StoreError, 503, "store_unavailable"),
    (SearchError, 503, "search_error"),
    (ConfigurationError, 500, "configuration_error"),
]

_HTTP_MESSAGES: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "the request could not be understood", "请求无法识别"),
    401: ("authentication_required", "an API key is required (header X-API-Key)", "需要 API 密钥"),
    403: ("permission_denied", "this API key may not do that", "没有权限执行该操作"),
    404: ("not_found", "no such page or record; check the address", "未找到该页面或记录，请检查地址"),
    405: ("method_not_allowed", "this method is not allowed here", "不支持该请求方法"),
    413: ("request_too_large", "the request body is too large", "请求内容过大"),
}


def status_for(exc: KBError) -> tuple[int, str]:
    """The HTTP status and error code for a typed knowledge-base error."""
    for cls, status, code in _STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status, code
    return 500, "internal_error"


def error_response(
    status: int, code: str, message: str, message_zh: str, errors: list[FieldErrorPublic] | None = None
) -> JSONResponse:
    """A JSON error body in the shared shape."""
    body = ErrorPublic(error=code, message=message, message_zh=message_zh, errors=errors or [])
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[FieldErrorPublic]:
    items = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        location = loc[0] if loc else "request"
        field = ".".join(loc[1:]) or location
        items.append(FieldErrorPublic(field=field, location=location, reason=str(err.get("msg", "invalid"))))
    return items


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc)
    names = ", ".join(sorted({e.field for e in errors}))
    return error_response(
        422,
        "validation_error",
        f"invalid input in: {names}; see `errors` for each field and fix the request",
        f"输入有误：{names}，请按 errors 中的说明修改",
        errors,
    )


async def _on_model_error(request: Request, exc: Exception) -> JSONResponse:
    # A pydantic model built from client input inside a handler (not by FastAPI) refused it: still the
    # client's input, so 422 with the fields, not a 500.
    assert isinstance(exc, pydantic.ValidationError)
    errors = [
        FieldErrorPublic(
            field=".".join(str(p) for p in err.get("loc", ())) or exc.title,
            location="body",
            reason=str(err.get("msg", "invalid")),
        )
        for err in exc.errors()
    ]
    names = ", ".join(sorted({e.field for e in errors}))
    return error_response(
        422,
        "validation_error",
        f"invalid input in: {names}",
        f"输入有误：{names}，请按 errors 中的说明修改",
        errors,
    )


async def _on_kb_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KBError)
    status, code = status_for(exc)
    if status >= 500:
        log.warning("%s on %s: %s", code, request.url.path, exc)
    field = getattr(exc, "field", None)
    errors = [FieldErrorPublic(field=str(field), location="query", reason=str(exc))] if field else []
    return error_response(status, code, str(exc), exc.message_zh, errors)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message, message_zh = _HTTP_MESSAGES.get(
        exc.status_code, ("http_error", "request failed", "请求失败")
    )
    if isinstance(exc.detail, str) and exc.detail and exc.detail not in {"Not Found", "Method Not Allowed"}:
        message = exc.detail
    response = error_response(exc.status_code, code, message, message_zh)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s", request.url.path)
    return error_response(
        500, "internal_error", "an unexpected error occurred; it has been logged", "服务器内部错误，已记录"
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping on ``app``."""
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(pydantic.ValidationError, _on_model_error)
    app.add_exception_handler(KBError, _on_kb_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)


#: ``responses=`` for routers, so the OpenAPI document describes the real error bodies.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    422: {"model": ErrorPublic, "description": "invalid input: each field and the reason"},
    503: {"model": ErrorPublic, "description": "search engine or store unavailable; retry later"},
}
