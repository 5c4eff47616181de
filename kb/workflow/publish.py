"""Accepted answers become published Q&A (origin=workflow) in the store and in the search index at once."""

from __future__ import annotations

from datetime import UTC, datetime

from kb.auth import Principal
from kb.errors import StoreError, ValidationError
from kb.models import Policy, Provenance, QAOrigin, QAPair, QAStatus, UnansweredQuestion
from kb.search.base import BaseSearchBackend, IndexKind
from kb.search.documents import qa_document
from kb.store import Store

WORKFLOW_SOURCE = "workflow"


def qa_source_id(question_id: int) -> str:
    """The stable key of the Q&A published from a question: publishing twice updates, never duplicates."""
    return f"question-{question_id}"


def split_policy_key(key: str) -> tuple[str, str]:
    """'source:source_id' → (source, source_id); ValidationError naming the expected shape."""
    source, sep, source_id = key.partition(":")
    if not sep or not source or not source_id:
        raise ValidationError(
            f"policy key {key!r} must look like 'source:source_id', e.g. 'govcn:5300000'",
            message_zh="政策标识应为“来源:编号”格式",
        )
    return source, source_id


class StoreQAPublisher:
    """QAPublisher over the store and (optionally) the search backend's Q&A index."""

    def __init__(self, store: Store, backend: BaseSearchBackend | None = None) -> None:
        self.store = store
        self.backend = backend

    def resolve_policy(self, key: str | None) -> Policy | None:
        """The policy an answer names, or ValidationError when the key points at nothing."""
        if not key:
            return None
        policy = self.store.get_policy_by_key(*split_policy_key(key))
        if policy is None:
            raise ValidationError(
                f"no policy with key {key!r} in the knowledge base; pick one from the policy search",
                message_zh=f"知识库中没有政策 {key}，请从政策检索中选择",
            )
        return policy

    def publish(self, question: UnansweredQuestion, actor: Principal) -> int:
        """Upsert the QAPair for this question, index it, and return its store id."""
        if question.id is None or not question.answer:
            raise ValidationError("only a stored, answered question can be published")
        policy = self.resolve_policy(question.answer_policy_key)
        # Other phrasings captured into this question help the next lookup find the answer.
        asked = {
            str(e.detail["text"])
            for e in question.history
            if e.action == "asked_again" and e.detail.get("text")
        }
        alternatives = sorted(asked - {question.question})
        qa = QAPair(
            provenance=Provenance(source=WORKFLOW_SOURCE, source_id=qa_source_id(question.id)),
            question=question.question,
            alternative_questions=alternatives,
            answer=question.answer,
            policy_key=question.answer_policy_key,
            policy_id=policy.id if policy else None,
            clause_label=question.answer_clause_label,
            department=question.department,
            status=QAStatus.PUBLISHED,
            origin=QAOrigin.WORKFLOW,
            reviewed_at=datetime.now(UTC),
        )
        report = self.store.upsert_qa_pairs([qa])
        if report.failed:
            raise StoreError(f"could not store the published Q&A: {report.failed[0].reason}")
        stored = self.store.get_qa_pair_by_key(WORKFLOW_SOURCE, qa_source_id(question.id))
        if stored is None or stored.id is None:
            raise StoreError(f"published Q&A for question {question.id} was not found after upsert")
        if self.backend is not None:
            index = self.backend.index(IndexKind.QA)
            result = index.bulk_index([qa_document(stored, policy.title if policy else None)])
            if result.failed:
                raise StoreError(f"stored Q&A {stored.id} but indexing failed: {result.failed[0].reason}")
            index.refresh()
        return stored.id
