"""The four importable record kinds: how each is keyed, found, filled and linked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, tuple_, update
from sqlalchemy.orm import Session, lazyload

from kb.models import GlossaryTerm, Interpretation, Policy, QAPair, record_key
from kb.store.convert import (
    apply_glossary_term,
    apply_interpretation,
    apply_policy,
    apply_provenance,
    apply_qa_pair,
    clause_values,
)
from kb.store.revision import RevisionBlock
from kb.store.tables import (
    GlossaryTermRow,
    InterpretationRow,
    PolicyClauseRow,
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


#: Bound parameters per IN query, well below SQLite's and PostgreSQL's limits.
CHUNK = 400


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def known_by_provenance(table: Any) -> Callable[[Session, list[Any]], dict[str, tuple[int, str]]]:
    """A ``RecordKind.known`` for tables keyed by (source, source_id)."""

    def known(session: Session, items: list[Any]) -> dict[str, tuple[int, str]]:
        pairs = list({(i.provenance.source, i.provenance.source_id) for i in items})
        found: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(pairs):
            rows = session.execute(
                select(table.source, table.source_id, table.id, table.content_hash).where(
                    tuple_(table.source, table.source_id).in_(chunk)
                )
            )
            for source, source_id, row_id, digest in rows:
                found[f"{source}:{source_id}"] = (row_id, digest)
        return found

    return known


def _find_policy(session: Session, item: Policy) -> PolicyRow | None:
    p = item.provenance
    return session.execute(
        select(PolicyRow)
        .where(PolicyRow.source == p.source, PolicyRow.source_id == p.source_id)
        .options(lazyload(PolicyRow.clauses))  # clauses are rewritten in bulk, never read here
    ).scalar_one_or_none()


def _apply_policy(session: Session, row: PolicyRow, item: Policy) -> None:
    apply_provenance(row, item.provenance)
    apply_policy(row, item, policy_validity(item, date.today()))


def _write_clauses(session: Session, row: PolicyRow, item: Policy, inserting: bool) -> None:
    # Bulk statements: tens of thousands of clauses per import would crawl through the ORM collection.
    if not inserting:
        session.execute(delete(PolicyClauseRow).where(PolicyClauseRow.policy_id == row.id))
    values = clause_values(row.id, item)
    if values:
        session.execute(insert(PolicyClauseRow), values)
    session.expire(row, ["clauses"])


def link_waiting_records(session: Session, policy_ids: dict[str, int], block: RevisionBlock) -> None:
    """Point interpretations and Q&A that named these policies' keys before they existed at them."""
    link, qa = PolicyInterpretationLink, QAPairRow
    waiting_links: list[tuple[str, int]] = []
    waiting_qa: list[tuple[str, int]] = []
    for chunk in _chunks(list(policy_ids)):
        links = session.execute(
            select(link.policy_key, link.interpretation_id).where(
                link.policy_key.in_(chunk), link.policy_id.is_(None)
            )
        )
        waiting_links += [(key, row_id) for key, row_id in links if key]
        pairs = session.execute(
            select(qa.policy_key, qa.id).where(qa.policy_key.in_(chunk), qa.policy_id.is_(None))
        )
        waiting_qa += [(key, row_id) for key, row_id in pairs if key]
    if not waiting_links and not waiting_qa:
        return
    revision = block.next()
    if waiting_links:
        table = cast(Table, link.__table__)  # Core executemany; the ORM would want primary keys per row
        session.execute(
            update(table)
            .where(table.c.policy_key == bindparam("key"), table.c.policy_id.is_(None))
            .values(policy_id=bindparam("pid")),
            [{"key": key, "pid": policy_ids[key]} for key in {k for k, _ in waiting_links}],
        )
        touch_rows(session, InterpretationRow, {i for _, i in waiting_links}, revision)
    for key, qa_id in waiting_qa:
        session.execute(
            update(qa)
            .where(qa.id == qa_id)
            .values(policy_id=policy_ids[key], revision=revision, updated_at=utcnow(), version=qa.version + 1)
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


def _known_glossary(session: Session, items: list[GlossaryTerm]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(list({i.term for i in items})):
        rows = session.execute(
            select(GlossaryTermRow.term, GlossaryTermRow.id, GlossaryTermRow.content_hash).where(
                GlossaryTermRow.term.in_(chunk)
            )
        )
        for term, row_id, digest in rows:
            found[term] = (row_id, digest)
    return found


def _apply_glossary(session: Session, row: GlossaryTermRow, item: GlossaryTerm) -> None:
    apply_glossary_term(row, item)


POLICIES: RecordKind[Policy, PolicyRow] = RecordKind(
    name="policy",
    key=lambda p: record_key(p.provenance),
    content_hash=lambda p: p.content_hash(),
    known=known_by_provenance(PolicyRow),
    find=_find_policy,
    new_row=lambda p: PolicyRow(),
    apply=_apply_policy,
    write_children=_write_clauses,
    after_batch=link_waiting_records,
)

INTERPRETATIONS: RecordKind[Interpretation, InterpretationRow] = RecordKind(
    name="interpretation",
    key=lambda i: record_key(i.provenance),
    content_hash=lambda i: i.content_hash(),
    known=known_by_provenance(InterpretationRow),
    find=_find_interpretation,
    new_row=lambda i: InterpretationRow(),
    apply=_apply_interpretation,
)

QA_PAIRS: RecordKind[QAPair, QAPairRow] = RecordKind(
    name="qa_pair",
    key=lambda q: record_key(q.provenance),
    content_hash=lambda q: q.content_hash(),
    known=known_by_provenance(QAPairRow),
    find=_find_qa,
    new_row=lambda q: QAPairRow(),
    apply=_apply_qa,
)

GLOSSARY_TERMS: RecordKind[GlossaryTerm, GlossaryTermRow] = RecordKind(
    name="glossary_term",
    key=lambda g: g.term,
    content_hash=model_hash,
    known=_known_glossary,
    find=_find_glossary,
    new_row=lambda g: GlossaryTermRow(),
    apply=_apply_glossary,
)
