"""The unanswered-question list for staff and departments: list, read, route, send, answer, review, close."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from kb.auth import Principal, Role, require_role
from kb.errors import KBError
from kb.models import Channel, QuestionStatus
from kb.workflow import ConsultationCreate, QuestionFilters
from kb.workflow.exports import to_csv, to_xlsx
from kb.workflow.search_report import WeekReport, search_gap_report
from search_api.deps import CurrentPrincipal, CurrentStaff, StoreDep
from search_api.errors import ERROR_RESPONSES, ErrorPublic
from search_api.schemas.workflow import (
    MAX_INT,
    AnswerRequest,
    BulkSendRequest,
    BulkSendResponse,
    CloseRequest,
    ConsultationResponse,
    DepartmentCount,
    PromoteRequest,
    QuestionListResponse,
    QuestionPublic,
    ReviewRequest,
    RouteResponse,
    SendRequest,
    Versioned,
)
from search_api.services.workflow import WorkflowDep

#: The errors every workflow endpoint can answer with, documented in the OpenAPI document.
WORKFLOW_RESPONSES: dict[int | str, dict[str, object]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorPublic, "description": "no API key, or an unknown/revoked one"},
    403: {"model": ErrorPublic, "description": "this role (or department) may not do that"},
    404: {"model": ErrorPublic, "description": "no such question"},
    409: {"model": ErrorPublic, "description": "changed by someone else since you read it: reload"},
}

router = APIRouter(prefix="/api", tags=["unanswered questions"], responses=WORKFLOW_RESPONSES)

#: Largest export in one file; a wider date range should be split.
EXPORT_LIMIT = 10_000


def get_worker(principal: CurrentPrincipal) -> Principal:
    """Staff or a department user (no key → 401, another role → 403)."""
    require_role(principal, Role.STAFF, Role.DEPARTMENT)
    return principal


CurrentWorker = Annotated[Principal, Depends(get_worker)]
QuestionId = Annotated[int, Path(ge=1, le=MAX_INT, description="the question's id")]


def question_filters(
    status: Annotated[list[QuestionStatus] | None, Query(description="any of these statuses")] = None,
    department: Annotated[str | None, Query(max_length=255)] = None,
    channel: Channel | None = None,
    overdue: bool | None = None,
    created_from: date | None = None,
    created_to: date | None = None,
    q: Annotated[str | None, Query(max_length=200, description="text contained in the question")] = None,
) -> QuestionFilters:
    return QuestionFilters(
        status=status or [],
        department=department or None,
        channel=channel,
        overdue=overdue,
        created_from=created_from,
        created_to=created_to,
        text=q or None,
    )


FiltersDep = Annotated[QuestionFilters, Depends(question_filters)]


@router.get("/questions", response_model=QuestionListResponse)
def list_questions(
    filters: FiltersDep,
    worker: CurrentWorker,
    workflow: WorkflowDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> QuestionListResponse:
    """Staff: every question; department: its own. Sorted by due date. 待答复问题清单."""
    views, total = workflow.list_questions(filters, worker, limit=limit, offset=offset)
    counts: list[DepartmentCount] = []
    if worker.role is Role.STAFF:
        counts = [DepartmentCount(department=d, open=o, overdue=v) for d, o, v in workflow.counts(worker)]
    return QuestionListResponse(
        total=total,
        items=[QuestionPublic.from_view(v, with_history=False) for v in views],
        counts=counts,
        overdue_total=sum(c.overdue for c in counts),
    )


#: What the export returns, so the OpenAPI document does not claim JSON for a file download.
EXPORT_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
}


@router.get(
    "/questions/export.{fmt}",
    response_class=Response,
    responses={200: {"description": "the file", "content": EXPORT_CONTENT}},
)
def export_questions(
    fmt: Literal["csv", "xlsx"], filters: FiltersDep, worker: CurrentWorker, workflow: WorkflowDep
) -> Response:
    """The filtered list as CSV (UTF-8 with BOM) or XLSX. 导出清单."""
    views, _ = workflow.list_questions(filters, worker, limit=EXPORT_LIMIT)
    stamp = workflow.today().isoformat()
    if fmt == "csv":
        return Response(
            to_csv(views),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="unanswered-{stamp}.csv"'},
        )
    return Response(
        to_xlsx(views),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="unanswered-{stamp}.xlsx"'},
    )


@router.post("/questions/send", response_model=BulkSendResponse)
def send_questions(body: BulkSendRequest, staff: CurrentStaff, workflow: WorkflowDep) -> BulkSendResponse:
    """Send many questions to one department; each is checked on its own (failures listed). 批量转办."""
    sent: list[QuestionPublic] = []
    failed: list[dict[str, str | int]] = []
    for item in body.items:
        try:
            question = workflow.send(item.id, body.department, item.version, staff)
        except KBError as exc:
            failed.append({"id": item.id, "error": type(exc).__name__, "message_zh": exc.message_zh})
            continue
        sent.append(QuestionPublic.from_view(workflow.view(question), with_history=False))
    return BulkSendResponse(sent=sent, failed=failed)


@router.post("/questions/promote", response_model=ConsultationResponse)
def promote_search(body: PromoteRequest, staff: CurrentStaff, workflow: WorkflowDep) -> ConsultationResponse:
    """Turn a zero-result search from the search log into an unanswered question (or add to one)."""
    result = workflow.capture(ConsultationCreate(question=body.query, channel=body.channel), staff)
    question = QuestionPublic.from_view(workflow.view(result.question)) if result.question else None
    return ConsultationResponse(
        outcome=result.outcome, answer=result.answer, question=question, message_zh="已处理"
    )


@router.get("/questions/{question_id}", response_model=QuestionPublic)
def read_question(question_id: QuestionId, worker: CurrentWorker, workflow: WorkflowDep) -> QuestionPublic:
    """One question with its full history (a department only its own). 问题详情."""
    return QuestionPublic.from_view(workflow.get(question_id, worker))


@router.get("/questions/{question_id}/route", response_model=RouteResponse)
def suggest_route(question_id: QuestionId, staff: CurrentStaff, workflow: WorkflowDep) -> RouteResponse:
    """The suggested department with the policies it rests on. 建议承办部门及依据."""
    return RouteResponse.model_validate(workflow.suggest_route(question_id, staff).model_dump())


@router.post("/questions/{question_id}/send", response_model=QuestionPublic)
def send_question(
    question_id: QuestionId, body: SendRequest, staff: CurrentStaff, workflow: WorkflowDep
) -> QuestionPublic:
    """Send to a department; due 3 working days after sending. 转办."""
    question = workflow.send(question_id, body.department, body.version, staff)
    return QuestionPublic.from_view(workflow.view(question))


@router.post("/questions/{question_id}/answer", response_model=QuestionPublic)
def answer_question(
    question_id: QuestionId, body: AnswerRequest, worker: CurrentWorker, workflow: WorkflowDep
) -> QuestionPublic:
    """The department's answer, naming the policy and clause it rests on. 部门答复."""
    question = workflow.answer(
        question_id,
        body.answer,
        body.version,
        worker,
        policy_key=body.policy_key or None,
        clause_label=body.clause_label or None,
    )
    return QuestionPublic.from_view(workflow.view(question))


@router.post("/questions/{question_id}/review", response_model=QuestionPublic)
def review_question(
    question_id: QuestionId, body: ReviewRequest, staff: CurrentStaff, workflow: WorkflowDep
) -> QuestionPublic:
    """Accept (published as Q&A at once) or send back with a comment. 审核."""
    question = workflow.review(question_id, body.accept, body.version, staff, comment=body.comment)
    return QuestionPublic.from_view(workflow.view(question))


@router.post("/questions/{question_id}/close", response_model=QuestionPublic)
def close_question(
    question_id: QuestionId, body: CloseRequest, staff: CurrentStaff, workflow: WorkflowDep
) -> QuestionPublic:
    """Close with a reason (duplicate, out of scope). 关闭."""
    question = workflow.close(question_id, body.reason, body.version, staff, duplicate_of=body.duplicate_of)
    return QuestionPublic.from_view(workflow.view(question))


@router.post("/questions/{question_id}/reopen", response_model=QuestionPublic)
def reopen_question(
    question_id: QuestionId, body: Versioned, staff: CurrentStaff, workflow: WorkflowDep
) -> QuestionPublic:
    """A closed question back to new. 重新打开."""
    return QuestionPublic.from_view(workflow.view(workflow.reopen(question_id, body.version, staff)))


@router.get("/reports/search-gaps", response_model=list[WeekReport])
def search_gaps(
    staff: CurrentStaff,
    store: StoreDep,
    workflow: WorkflowDep,
    since: date | None = None,
    until: date | None = None,
    top: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[WeekReport]:
    """Zero-result searches and Q&A lookups without an answer, by week (default 8 weeks). 检索缺口周报."""
    until = until or workflow.today()
    since = since or until - timedelta(weeks=8)
    return search_gap_report(store, since, until, top=top)
