"""``GET /api/qa/search``: answers for hotline agents, or no-answer with the closest candidates."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from search_api.schemas.common import ProvenancePublic


class PolicyRefPublic(BaseModel):
    """The policy an answer rests on."""

    id: int
    title: str
    doc_number: str | None = None
    validity: str | None = Field(default=None, description="效力状态 of the policy")
    page_url: str


class SourceClausePublic(BaseModel):
    """The clause (条) an answer cites, with its text when the policy has it."""

    label: str
    text: str | None = None


class QAAnswerPublic(BaseModel):
    """One Q&A entry as an agent sees it: answer, source clause, department, validity, confidence."""

    id: int
    question: str
    question_html: str = Field(description="the question, HTML-escaped, matches in <mark>")
    answer: str
    department: str | None = None
    policy: PolicyRefPublic | None = None
    clause: SourceClausePublic | None = None
    validity: str = Field(description="有效 / 失效 (the entry's own validity dates and its policy's status)")
    valid_from: date | None = None
    valid_until: date | None = None
    confidence: float = Field(
        ge=0, le=1, description="calibrated probability that this entry answers the question"
    )
    provenance: ProvenancePublic


class QASearchResponsePublic(BaseModel):
    """Answers above the confidence threshold, or ``no_answer`` with the closest candidates."""

    query: str
    notices: list[str] = Field(default_factory=list)
    no_answer: bool = Field(
        description="true when nothing reaches the threshold: send it to the unanswered list"
    )
    threshold: float = Field(description="confidence an answer needs to be shown as an answer")
    answers: list[QAAnswerPublic] = Field(default_factory=list, description="confident answers, best first")
    candidates: list[QAAnswerPublic] = Field(
        default_factory=list, description="closest entries when no answer"
    )
    message: str | None = None
    message_zh: str | None = None
    took_ms: float
