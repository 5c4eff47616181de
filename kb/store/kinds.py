"""The four importable record kinds: how each is keyed, found, filled and linked."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kb.models import GlossaryTerm, Interpretation, Policy, QAPair, record_key
from kb.store.convert import (
    apply_glossary_term,
    apply_interpretation,
    apply_policy,
    apply_provenance,
    apply_qa_pair,
)
from kb.store.tables import (
    GlossaryTermRow,
    InterpretationRow,
    PolicyInterpretationLink,
    PolicyRow,
    QAPairRow,
)
from kb.store.types import utcnow
from kb.store.upsert import RecordKind, model_hash
from kb.validity import policy_validity


def split_key(key: str) -> tuple[str, str] | None:
    """'source:source_id' → (source, source_id); the id may itself contain ':'."""
    source, sep, source_id = key.partition(":")
    if not sep or not source or not source_id:
        return None
    return source, source_id


def resolve_policy_id(session: Session, key: str | None) -> int | None:
    """The store id of the policy with this 'source:source_id' key, if it has been imported."""
    parts = split_key(key) if key else None
    if parts is None:
        return None
    return session.execute(
        select(PolicyRow.id).where(PolicyRow.source == parts[0], PolicyRow.source_id == parts[1])
    ).scalar_one_or_none()


def _find_policy(session: Session, item: Policy) -> PolicyRow | None:
    p = item.provenance
    return session.execute(
        select(PolicyRow).where(PolicyRow.source == p.source, PolicyRow.source_id == p.source_id)
    ).scalar_one_or_none()


def _apply_policy(session: Session, row: PolicyRow, item: Policy) -> None:
    apply_provenance(row, item.provenance)
    apply_policy(row, item, policy_validity(item, date.today()))


def link_waiting_records(session: Session, policy_id: int, key: str, revision: int) -> None:
    """Point interpretations and Q&A that named this policy's key before it existed at it."""
    waiting = (
        session.execute(
            select(PolicyInterpretationLink.interpretation_id).where(
                PolicyInterpretationLink.policy_key == key, PolicyInterpretationLink.policy_id.is_(None)
            )
        )
        .scalars()
        .all()
    )
    if waiting:
        session.execute(
            update(PolicyInterpretationLink)
            .where(PolicyInterpretationLink.policy_key == key, PolicyInterpretationLink.policy_id.is_(None))
            .values(policy_id=policy_id)
            .execution_options(synchronize_session=False)
        )
        touch_rows(session, InterpretationRow, set(waiting), revision)
    session.execute(
        update(QAPairRow)
        .where(QAPairRow.policy_key == key, QAPairRow.policy_id.is_(None))
        .values(policy_id=policy_id, revision=revision, updated_at=utcnow(), version=QAPairRow.version + 1)
        .execution_options(synchronize_session=False)
    )


def touch_rows(
    session: Session, table: type[InterpretationRow] | type[QAPairRow], ids: set[int], revision: int
) -> None:
    """Give rows whose derived content changed (their links) a new revision, so indexes refresh them."""
    if not ids:
        return
    session.execute(
        update(table)
        .where(table.id.in_(ids))
        .values(revision=revision, updated_at=utcnow(), version=table.version + 1)
        .execution_options(synchronize_session=False)
    )


def _after_policy_insert(session: Session, row: PolicyRow, revision: int) -> None:
    link_waiting_records(session, row.id, f"{row.source}:{row.source_id}", revision)


def _find_interpretation(session: Session, item: Interpretation) -> InterpretationRow | None:
    p = item.provenance
    return session.execute(
        select(InterpretationRow).where(
            InterpretationRow.source == p.source, InterpretationRow.source_id == p.source_id
        )
    ).scalar_one_or_none()


def _apply_interpretation(session: Session, row: InterpretationRow, item: Interpretation) -> None:
    apply_provenance(row, item.provenance)
    apply_interpretation(row, item)
    links: list[PolicyInterpretationLink] = []
    linked: set[int] = set()
    for key in dict.fromkeys(item.policy_keys):  # keep order, drop repeats
        policy_id = resolve_policy_id(session, key)
        links.append(PolicyInterpretationLink(ordinal=len(links), policy_key=key, policy_id=policy_id))
        if policy_id is not None:
            linked.add(policy_id)
    for policy_id in dict.fromkeys(item.policy_ids):
        if policy_id not in linked:
            links.append(PolicyInterpretationLink(ordinal=len(links), policy_key=None, policy_id=policy_id))
            linked.add(policy_id)
    row.links = links


def _find_qa(session: Session, item: QAPair) -> QAPairRow | None:
    p = item.provenance
    return session.execute(
        select(QAPairRow).where(QAPairRow.source == p.source, QAPairRow.source_id == p.source_id)
    ).scalar_one_or_none()


def _apply_qa(session: Session, row: QAPairRow, item: QAPair) -> None:
    apply_provenance(row, item.provenance)
    apply_qa_pair(row, item)
    row.policy_id = (
        item.policy_id if item.policy_id is not None else resolve_policy_id(session, item.policy_key)
    )


def _find_glossary(session: Session, item: GlossaryTerm) -> GlossaryTermRow | None:
    return session.execute(
        select(GlossaryTermRow).where(GlossaryTermRow.term == item.term)
    ).scalar_one_or_none()


def _apply_glossary(session: Session, row: GlossaryTermRow, item: GlossaryTerm) -> None:
    apply_glossary_term(row, item)


POLICIES: RecordKind[Policy, PolicyRow] = RecordKind(
    name="policy",
    key=lambda p: record_key(p.provenance),
    content_hash=lambda p: p.content_hash(),
    find=_find_policy,
    new_row=lambda p: PolicyRow(),
    apply=_apply_policy,
    after_insert=_after_policy_insert,
)

INTERPRETATIONS: RecordKind[Interpretation, InterpretationRow] = RecordKind(
    name="interpretation",
    key=lambda i: record_key(i.provenance),
    content_hash=lambda i: i.content_hash(),
    find=_find_interpretation,
    new_row=lambda i: InterpretationRow(),
    apply=_apply_interpretation,
)

QA_PAIRS: RecordKind[QAPair, QAPairRow] = RecordKind(
    name="qa_pair",
    key=lambda q: record_key(q.provenance),
    content_hash=lambda q: q.content_hash(),
    find=_find_qa,
    new_row=lambda q: QAPairRow(),
    apply=_apply_qa,
)

GLOSSARY_TERMS: RecordKind[GlossaryTerm, GlossaryTermRow] = RecordKind(
    name="glossary_term",
    key=lambda g: g.term,
    content_hash=model_hash,
    find=_find_glossary,
    new_row=lambda g: GlossaryTermRow(),
    apply=_apply_glossary,
)
