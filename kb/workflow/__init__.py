"""The unanswered-question workflow (article 31): capture, dedup, routing, deadlines, answers, publishing."""

from __future__ import annotations

from kb.workflow.dedup import DEFAULT_THRESHOLD, dedup_key, find_duplicate, term_similarity
from kb.workflow.repository import SqlQuestionRepository
from kb.workflow.schemas import (
    CaptureResult,
    ConsultationCreate,
    QAMatch,
    QuestionFilters,
    QuestionView,
    RouteSuggestion,
)
from kb.workflow.service import ANSWER_WORKING_DAYS, WorkflowService
from kb.workflow.transitions import ALLOWED, OPEN_STATUSES, check_transition

__all__ = [
    "ALLOWED",
    "ANSWER_WORKING_DAYS",
    "DEFAULT_THRESHOLD",
    "OPEN_STATUSES",
    "CaptureResult",
    "ConsultationCreate",
    "QAMatch",
    "QuestionFilters",
    "QuestionView",
    "RouteSuggestion",
    "SqlQuestionRepository",
    "WorkflowService",
    "check_transition",
    "dedup_key",
    "find_duplicate",
    "term_similarity",
]
