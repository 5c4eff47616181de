"""What the hotline Q&A lookup returns: matches with a confidence, or "no answer" with the closest ones."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field


class QAMatch(BaseModel):
    """One candidate Q&A (简明问答) for a caller's question."""

    id: int
    source: str | None = None
    source_id: str | None = None
    question: str
    answer: str
    policy_id: int | None = None
    policy_title: str | None = None
    clause_label: str | None = None
    department: str | None = None
    validity: str | None = None
    valid_until: date | None = None
    score: float = Field(description="the engine's relevance score (not comparable across queries)")
    confidence: float = Field(ge=0, le=1, description="how well the Q&A covers the question, 0-1")


class QAAnswer(BaseModel):
    """The lookup result: the best match if confident enough, else no_answer with the closest candidates."""

    query: str
    no_answer: bool
    confidence: float = Field(ge=0, le=1)
    threshold: float = Field(ge=0, le=1)
    best: QAMatch | None = None
    candidates: list[QAMatch] = Field(default_factory=list)
    understood: dict[str, Any] | None = None
