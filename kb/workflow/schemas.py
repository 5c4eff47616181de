"""Inputs and outputs of the unanswered-question workflow (pydantic at the boundary)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kb.models import Channel, QuestionStatus, UnansweredQuestion


class ConsultationCreate(BaseModel):
    """A consultation as it arrives from the website, hotline, service centre or API."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=2, max_length=1000)
    channel: Channel = Channel.API
    contact_ref: str | None = Field(default=None, max_length=255, description="ticket/call number, never PII")

    @field_validator("question")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if len(value) < 2:
            raise ValueError("question is empty; type the consultation text")
        return value


class QAMatch(BaseModel):
    """A published Q&A that answers a consultation, with the matcher's confidence in [0, 1]."""

    qa_id: int
    question: str
    answer: str
    confidence: float = Field(ge=0, le=1)
    policy_id: int | None = None
    clause_label: str | None = None
    department: str | None = None


class CaptureResult(BaseModel):
    """answered: a confident Q&A; created: a new unanswered question; merged: joined an open one."""

    outcome: Literal["answered", "created", "merged"]
    answer: QAMatch | None = None
    question: UnansweredQuestion | None = None
    similarity: float | None = Field(default=None, description="dedup similarity when merged")


class RouteEvidence(BaseModel):
    """A policy close to the question and what it says about the department."""

    policy_id: int
    title: str
    issuing_bodies: list[str] = Field(default_factory=list)
    subject_category: list[str] = Field(default_factory=list)
    score: float


class RouteSuggestion(BaseModel):
    """The suggested department and the evidence behind it; ``None`` when nothing points anywhere."""

    department: str | None
    score: float = 0.0
    alternatives: list[tuple[str, float]] = Field(default_factory=list)
    evidence: list[RouteEvidence] = Field(default_factory=list)


class QuestionFilters(BaseModel):
    """Filters of the staff list; all optional, AND-ed."""

    model_config = ConfigDict(extra="forbid")

    status: list[QuestionStatus] = Field(default_factory=list)
    department: str | None = None
    channel: Channel | None = None
    overdue: bool | None = None
    created_from: date | None = None
    created_to: date | None = None
    text: str | None = Field(default=None, max_length=200)


class QuestionView(BaseModel):
    """A question plus what is computed on read: overdue flag and working days overdue."""

    question: UnansweredQuestion
    overdue: bool = False
    days_overdue: int = 0
