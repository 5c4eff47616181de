"""Copying between the pydantic models (``kb.models``) and the rows (``kb.store.tables``)."""

from __future__ import annotations

from typing import Any

from kb.models import (
    Attachment,
    BenefitItem,
    Clause,
    DocumentType,
    GlossaryTerm,
    Interpretation,
    InterpretationKind,
    Policy,
    Provenance,
    QAOrigin,
    QAPair,
    QAStatus,
    Validity,
)
from kb.store.tables import (
    GlossaryTermRow,
    InterpretationRow,
    PolicyRow,
    QAPairRow,
    RecordColumns,
)


def _provenance(row: RecordColumns) -> Provenance:
    return Provenance(source=row.source, source_id=row.source_id, url=row.url, fetched_at=row.fetched_at)


def _record_fields(row: RecordColumns) -> dict[str, Any]:
    return {
        "id": row.id,
        "provenance": _provenance(row),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "revision": row.revision,
    }


def apply_provenance(row: RecordColumns, provenance: Provenance) -> None:
    """Copy the provenance onto a record row."""
    row.source = provenance.source
    row.source_id = provenance.source_id
    row.url = provenance.url
    row.fetched_at = provenance.fetched_at


def apply_policy(row: PolicyRow, policy: Policy, validity: Validity) -> None:
    """Copy a policy's scalar content onto its row (clauses: ``clause_values``)."""
    row.title = policy.title
    row.doc_number = policy.doc_number
    row.doc_number_key = policy.doc_number_key
    row.issuing_bodies = list(policy.issuing_bodies)
    row.index_number = policy.index_number
    row.subject_category = list(policy.subject_category)
    row.document_type = policy.document_type.value if policy.document_type else None
    row.level = policy.level
    row.region = policy.region
    row.written_date = policy.written_date
    row.publish_date = policy.publish_date
    row.effective_date = policy.effective_date
    row.expiry_date = policy.expiry_date
    row.validity = validity.value
    row.validity_stated = policy.validity_stated
    row.audiences = list(policy.audiences)
    row.keywords = list(policy.keywords)
    row.text = policy.text
    row.attachments = [a.model_dump(mode="json") for a in policy.attachments]
    row.benefit_items = [b.model_dump(mode="json") for b in policy.benefit_items]
    row.supersedes = list(policy.supersedes)
    row.superseded_by = list(policy.superseded_by)


def clause_values(policy_id: int, policy: Policy) -> list[dict[str, Any]]:
    """The ``policy_clauses`` rows of a policy, in body order, for a bulk insert."""
    return [
        {
            "policy_id": policy_id,
            "ordinal": i,
            "number": c.number,
            "sub_number": c.sub_number,
            "label": c.label,
            "chapter": c.chapter,
            "section": c.section,
            "text": c.text,
        }
        for i, c in enumerate(policy.clauses)
    ]


def policy_from_row(row: PolicyRow) -> Policy:
    """The pydantic policy of a row."""
    return Policy(
        **_record_fields(row),
        title=row.title,
        doc_number=row.doc_number,
        doc_number_key=row.doc_number_key,
        issuing_bodies=row.issuing_bodies,
        index_number=row.index_number,
        subject_category=row.subject_category,
        document_type=DocumentType(row.document_type) if row.document_type else None,
        level=row.level,
        region=row.region,
        written_date=row.written_date,
        publish_date=row.publish_date,
        effective_date=row.effective_date,
        expiry_date=row.expiry_date,
        validity=Validity(row.validity),
        validity_stated=row.validity_stated,
        audiences=row.audiences,
        keywords=row.keywords,
        text=row.text,
        clauses=[
            Clause(
                number=c.number,
                sub_number=c.sub_number,
                label=c.label,
                chapter=c.chapter,
                section=c.section,
                text=c.text,
            )
            for c in row.clauses
        ],
        attachments=[Attachment.model_validate(a) for a in row.attachments],
        benefit_items=[BenefitItem.model_validate(b) for b in row.benefit_items],
        supersedes=row.supersedes,
        superseded_by=row.superseded_by,
    )


def apply_interpretation(row: InterpretationRow, item: Interpretation) -> None:
    """Copy an interpretation's content (not its links) onto its row."""
    row.title = item.title
    row.kind = item.kind.value
    row.publisher = item.publisher
    row.publish_date = item.publish_date
    row.text = item.text


def interpretation_from_row(row: InterpretationRow) -> Interpretation:
    """The pydantic interpretation of a row: keys as imported, ids of the policies found so far."""
    return Interpretation(
        **_record_fields(row),
        title=row.title,
        kind=InterpretationKind(row.kind),
        publisher=row.publisher,
        publish_date=row.publish_date,
        text=row.text,
        policy_keys=[link.policy_key for link in row.links if link.policy_key],
        policy_ids=[link.policy_id for link in row.links if link.policy_id is not None],
    )


def apply_qa_pair(row: QAPairRow, item: QAPair) -> None:
    """Copy a Q&A pair's content onto its row (``policy_id`` is resolved by the caller)."""
    row.question = item.question
    row.alternative_questions = list(item.alternative_questions)
    row.answer = item.answer
    row.policy_key = item.policy_key
    row.clause_label = item.clause_label
    row.department = item.department
    row.valid_from = item.valid_from
    row.valid_until = item.valid_until
    row.status = item.status.value
    row.origin = item.origin.value
    row.reviewed_at = item.reviewed_at


def qa_pair_from_row(row: QAPairRow) -> QAPair:
    """The pydantic Q&A pair of a row; ``version`` is the row's optimistic-lock version."""
    return QAPair(
        **_record_fields(row),
        question=row.question,
        alternative_questions=row.alternative_questions,
        answer=row.answer,
        policy_key=row.policy_key,
        policy_id=row.policy_id,
        clause_label=row.clause_label,
        department=row.department,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        status=QAStatus(row.status),
        origin=QAOrigin(row.origin),
        version=row.version,
        reviewed_at=row.reviewed_at,
    )


def apply_glossary_term(row: GlossaryTermRow, item: GlossaryTerm) -> None:
    """Copy a glossary term onto its row."""
    row.term = item.term
    row.aliases = list(item.aliases)
    row.definition = item.definition
    row.category = item.category


def glossary_term_from_row(row: GlossaryTermRow) -> GlossaryTerm:
    """The pydantic glossary term of a row."""
    return GlossaryTerm(term=row.term, aliases=row.aliases, definition=row.definition, category=row.category)
