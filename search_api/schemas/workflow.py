"""Request and response shapes of the unanswered-question API (article 31)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kb.models import Channel, QuestionEvent, QuestionStatus
from kb.workflow.schemas import QAMatch, QuestionView, RouteSuggestion

#: Ids and versions are 32-bit in the database; larger numbers are refused with a 422, not a 500.
MAX_INT = 2**31 - 1
RecordId = Annotated[int, Field(ge=1, le=MAX_INT)]


class QuestionPublic(BaseModel):
    """An unanswered question as staff and departments see it, with overdue computed for today."""

    id: int
    question: str
    status: QuestionStatus
    channels: list[Channel]
    ask_count: int
    contact_ref: str | None = None
    suggested_department: str | None = None
    department: str | None = None
    sent_at: datetime | None = None
    due_date: date | None = None
    overdue: bool = False
    days_overdue: int = Field(default=0, description="working days past the due date")
    calendar_warning: str | None = None
    answer: str | None = None
    answer_policy_key: str | None = None
    answer_clause_label: str | None = None
    review_comment: str | None = None
    published_qa_id: int | None = None
    close_reason: str | None = None
    version: int = Field(description="send it back with every change (409 when someone changed it meanwhile)")
    created_at: datetime | None = None
    updated_at: datetime | None = None
    history: list[QuestionEvent] = Field(default_factory=list)

    @classmethod
    def from_view(cls, view: QuestionView, *, with_history: bool = True) -> QuestionPublic:
        q = view.question
        data = q.model_dump(exclude={"normalized_question", "history"})
        return cls(
            **data,
            overdue=view.overdue,
            days_overdue=view.days_overdue,
            history=q.history if with_history else [],
        )


class ConsultationResponse(BaseModel):
    """answered: the Q&A answer; created/merged: the unanswered question it became or joined."""

    outcome: Literal["answered", "created", "merged"]
    answer: QAMatch | None = None
    question: QuestionPublic | None = None
    message_zh: str


class DepartmentCount(BaseModel):
    department: str | None
    open: int
    overdue: int


class QuestionListResponse(BaseModel):
    total: int
    items: list[QuestionPublic]
    counts: list[DepartmentCount] = Field(default_factory=list, description="staff only: per department")
    overdue_total: int = 0


class Versioned(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(
        default=None, ge=1, le=MAX_INT, description="the version you read; omit to skip the check"
    )


class SendRequest(Versioned):
    department: str | None = Field(default=None, max_length=255, description="default: the suggestion")


class BulkItem(BaseModel):
    id: RecordId
    version: int | None = Field(default=None, ge=1, le=MAX_INT)


class BulkSendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[BulkItem] = Field(min_length=1, max_length=200)
    department: str = Field(min_length=1, max_length=255)


class BulkSendResponse(BaseModel):
    sent: list[QuestionPublic]
    failed: list[dict[str, str | int]] = Field(default_factory=list)


class AnswerRequest(Versioned):
    answer: str = Field(min_length=2, max_length=10000)
    policy_key: str | None = Field(default=None, max_length=320, description="'source:source_id'")
    clause_label: str | None = Field(default=None, max_length=64, description="e.g. 第十二条")


class ReviewRequest(Versioned):
    accept: bool
    comment: str | None = Field(default=None, max_length=2000)


class CloseRequest(Versioned):
    reason: str = Field(min_length=1, max_length=500)
    duplicate_of: RecordId | None = None


class PromoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=2, max_length=1000)
    channel: Channel = Channel.WEBSITE

    @field_validator("query")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if len(value) < 2:
            raise ValueError("query is empty; give the search text to promote")
        return value


class RouteResponse(RouteSuggestion):
    pass
