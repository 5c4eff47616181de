"""Does a published Q&A answer this consultation? Search the Q&A index, then score the closest questions.

The confidence is the dedup similarity between the consultation and the Q&A's question (1.0 for the same
normalized text): an answer is given only when the consultation is essentially a question the knowledge base
already holds. It is deliberately strict — a wrong answer on the hotline is worse than a question sent to a
department. A calibrated Q&A confidence from the relevance work can replace this class (same protocol).
"""

from __future__ import annotations

from kb.qa import QAMatcher as KBMatcher
from kb.search.base import BaseSearchBackend
from kb.search.query import SearchQuery
from kb.workflow.dedup import DEFAULT_THRESHOLD, term_similarity
from kb.workflow.schemas import QAMatch


class BackendQAMatcher:
    """QAMatcher over a search backend's Q&A index."""

    def __init__(self, backend: BaseSearchBackend, threshold: float | None = None, candidates: int = 5):
        self.backend = backend
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self.candidates = candidates

    def best(self, question: str) -> QAMatch | None:
        """The closest Q&A with its confidence, whatever the threshold."""
        results = self.backend.search_qa(SearchQuery(text=question, size=self.candidates, highlight=False))
        best: QAMatch | None = None
        for hit in results.hits:
            if not hit.answer:
                continue
            confidence = term_similarity(question, hit.question or hit.title)
            if best is None or confidence > best.confidence:
                best = QAMatch(
                    qa_id=hit.id,
                    question=hit.question or hit.title,
                    answer=hit.answer,
                    confidence=round(confidence, 4),
                    policy_id=hit.policy_id,
                    clause_label=hit.clause_label,
                    department=hit.department,
                )
        return best

    def match(self, question: str) -> QAMatch | None:
        """The closest Q&A when its confidence reaches the threshold."""
        best = self.best(question)
        return best if best is not None and best.confidence >= self.threshold else None


class CalibratedQAMatcher:
    """QAMatcher over kb.qa (the hotline lookup with the calibrated no-answer threshold)."""

    def __init__(self, matcher: KBMatcher) -> None:
        self.matcher = matcher

    def match(self, question: str) -> QAMatch | None:
        """The calibrated lookup's best answer, or None when it says no_answer."""
        result = self.matcher.match(question)
        best = result.best
        if result.no_answer or best is None:
            return None
        return QAMatch(
            qa_id=best.id,
            question=best.question,
            answer=best.answer,
            confidence=best.confidence,
            policy_id=best.policy_id,
            clause_label=best.clause_label,
            department=best.department,
        )
