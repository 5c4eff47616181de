"""Upserts, reads and deletes of policies, interpretations, Q&A pairs and glossary terms."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from kb.errors import ConflictError, NotFoundError, ValidationError
from kb.models import GlossaryTerm, Interpretation, Policy, QAPair, QAStatus
from kb.store import kinds
from kb.store.base import StoreBase
from kb.store.convert import (
    glossary_term_from_row,
    interpretation_from_row,
    policy_from_row,
    qa_pair_from_row,
)
from kb.store.reports import UpsertReport
from kb.store.revision import lock_revisions, next_revision
from kb.store.tables import (
    GlossaryTermRow,
    InterpretationRow,
    PolicyInterpretationLink,
    PolicyRow,
    QAPairRow,
    TombstoneRow,
)
from kb.store.types import utcnow
from kb.store.upsert import RecordKind, check_lengths, check_text, upsert_batch
from kb.validity import derive_validity

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")
T = TypeVar("T")

RecordTable = type[PolicyRow] | type[InterpretationRow] | type[QAPairRow] | type[GlossaryTermRow]


def _qa_pair_from_plain_row(row: Any) -> QAPair:
    """A Core result row (no ORM identity map or loading: most of the cost of reading a few dozen pairs) has
    the columns as attributes, which is all qa_pair_from_row reads."""
    return qa_pair_from_row(cast(QAPairRow, row))


class RecordsMixin(StoreBase):
    """The system-of-record API that importers, indexers and the web app use."""

    # ---- upserts -------------------------------------------------------------------------------------------
    def upsert_policies(self, items: Iterable[Policy]) -> UpsertReport:
        """Insert new / update changed policies by (source, source_id), in one transaction."""
        return self._upsert(kinds.POLICIES, items)

    def upsert_interpretations(self, items: Iterable[Interpretation]) -> UpsertReport:
        """Insert / update interpretations; ``policy_keys`` of policies not imported yet are linked later."""
        return self._upsert(kinds.INTERPRETATIONS, items)

    def upsert_qa_pairs(self, items: Iterable[QAPair]) -> UpsertReport:
        """Insert / update Q&A pairs; ``policy_key`` is resolved to ``policy_id`` when the policy exists."""
        return self._upsert(kinds.QA_PAIRS, items)

    def upsert_glossary_terms(self, items: Iterable[GlossaryTerm]) -> UpsertReport:
        """Insert / update glossary terms, keyed by the term."""
        return self._upsert(kinds.GLOSSARY_TERMS, items)

    def _upsert(self, kind: RecordKind[M, R], items: Iterable[M]) -> UpsertReport:
        with self.write_session() as session:
            return upsert_batch(session, kind, items)

    def update_qa_pair(self, qa: QAPair) -> QAPair:
        """Save an edited Q&A pair if nobody changed it since ``qa.version`` was read; else ConflictError."""
        if qa.id is None:
            raise ValidationError("update_qa_pair needs qa.id: read the pair with get_qa_pair first")
        check_text(qa.model_dump(mode="json"))
        with self.write_session() as session:
            lock_revisions(session)
            row = session.get(QAPairRow, qa.id)
            if row is None:
                raise NotFoundError(f"no Q&A pair with id {qa.id}")
            if row.version != qa.version:
                raise ConflictError(
                    f"Q&A pair {qa.id} is at version {row.version}, the edit was based on version "
                    f"{qa.version}: reload it and apply the change again"
                )
            revision = next_revision(session)
            with session.no_autoflush:  # one UPDATE, so the version moves by exactly one
                kinds.QA_PAIRS.apply(session, row, qa)
                row.content_hash = qa.content_hash()
                row.revision = revision
                row.updated_at = utcnow()
            check_lengths(row)
            session.flush()
            return qa_pair_from_row(row)

    def refresh_derived_validity(self, today: date | None = None) -> int:
        """Re-derive the validity of policies whose source stated none (time passes); returns rows changed."""
        day = today or date.today()
        changed = 0
        with self.write_session() as session:
            lock_revisions(session)
            rows = session.execute(
                select(
                    PolicyRow.id, PolicyRow.validity, PolicyRow.effective_date, PolicyRow.expiry_date
                ).where(PolicyRow.validity_stated.is_(False))
            ).all()
            for policy_id, current, effective, expiry in rows:
                derived = derive_validity(
                    stated=None, effective_date=effective, expiry_date=expiry, today=day
                )
                if derived.value == current:
                    continue
                session.execute(
                    update(PolicyRow)
                    .where(PolicyRow.id == policy_id)
                    .values(
                        validity=derived.value,
                        revision=next_revision(session),
                        updated_at=utcnow(),
                        version=PolicyRow.version + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                changed += 1
        return changed

    # ---- reads ---------------------------------------------------------------------------------------------
    def get_policy(self, policy_id: int) -> Policy | None:
        """The policy with this store id, or None."""
        return self._get(PolicyRow, policy_id, policy_from_row)

    def get_policy_by_key(self, source: str, source_id: str) -> Policy | None:
        """The policy with this provenance key, or None."""
        return self._get_by_key(PolicyRow, source, source_id, policy_from_row)

    def get_policies(self, ids: Iterable[int]) -> list[Policy]:
        """The policies with these ids, in the given order (missing ids are skipped)."""
        return self._get_many(PolicyRow, ids, policy_from_row)

    def iter_policies(self, since_revision: int = 0, batch_size: int = 500) -> Iterator[Policy]:
        """Policies written after ``since_revision``, oldest revision first, fetched in batches."""
        return self._iter(PolicyRow, since_revision, batch_size, policy_from_row)

    def policy_ids(self) -> list[int]:
        """Every policy id, in the order ``iter_policies`` yields them (revision, then id)."""
        return self._ids(PolicyRow)

    def get_interpretation(self, interpretation_id: int) -> Interpretation | None:
        """The interpretation with this store id, or None."""
        return self._get(InterpretationRow, interpretation_id, interpretation_from_row)

    def get_interpretation_by_key(self, source: str, source_id: str) -> Interpretation | None:
        """The interpretation with this provenance key, or None."""
        return self._get_by_key(InterpretationRow, source, source_id, interpretation_from_row)

    def iter_interpretations(
        self, since_revision: int = 0, batch_size: int = 500
    ) -> Iterator[Interpretation]:
        """Interpretations written after ``since_revision``, in batches."""
        return self._iter(InterpretationRow, since_revision, batch_size, interpretation_from_row)

    def interpretations_for_policy(self, policy_id: int) -> list[Interpretation]:
        """Interpretations linked to a policy, newest first."""
        return self.interpretations_for_policies([policy_id]).get(policy_id, [])

    def interpretations_for_policies(self, policy_ids: Iterable[int]) -> dict[int, list[Interpretation]]:
        """Interpretations of several policies at once (for a page of hits), newest first."""
        ids = list(dict.fromkeys(policy_ids))
        result: dict[int, list[Interpretation]] = {pid: [] for pid in ids}
        if not ids:
            return result
        with self.read_session() as session:
            rows = session.execute(
                select(PolicyInterpretationLink.policy_id, InterpretationRow)
                .join(InterpretationRow, InterpretationRow.id == PolicyInterpretationLink.interpretation_id)
                .where(PolicyInterpretationLink.policy_id.in_(ids))
                .order_by(InterpretationRow.publish_date.desc().nulls_last(), InterpretationRow.id)
            ).all()
            for policy_id, row in rows:
                if policy_id is not None:
                    result[policy_id].append(interpretation_from_row(row))
        return result

    def get_qa_pair(self, qa_id: int) -> QAPair | None:
        """The Q&A pair with this store id, or None."""
        return self._get(QAPairRow, qa_id, qa_pair_from_row)

    def get_qa_pair_by_key(self, source: str, source_id: str) -> QAPair | None:
        """The Q&A pair with this provenance key, or None."""
        return self._get_by_key(QAPairRow, source, source_id, qa_pair_from_row)

    def get_qa_pairs(self, ids: Iterable[int]) -> list[QAPair]:
        """The Q&A pairs with these ids, in the given order (read as plain rows: the hotline's hot path)."""
        wanted = list(ids)
        if not wanted:
            return []
        table = QAPairRow.__table__
        with self.read_session() as session:
            rows = {row.id: row for row in session.execute(select(table).where(table.c.id.in_(wanted)))}
        return [_qa_pair_from_plain_row(rows[i]) for i in wanted if i in rows]

    def iter_qa_pairs(self, since_revision: int = 0, batch_size: int = 500) -> Iterator[QAPair]:
        """Q&A pairs written after ``since_revision``, in batches."""
        return self._iter(QAPairRow, since_revision, batch_size, qa_pair_from_row)

    def qa_pair_ids(self) -> list[int]:
        """Every Q&A pair id, in the order ``iter_qa_pairs`` yields them (revision, then id)."""
        return self._ids(QAPairRow)

    def published_qa_for_policies(self, policy_ids: Iterable[int]) -> dict[int, list[QAPair]]:
        """Published Q&A of several policies in one read (plain rows), per policy in id order."""
        found: dict[int, list[QAPair]] = {pid: [] for pid in policy_ids}
        if not found:
            return found
        table = QAPairRow.__table__
        with self.read_session() as session:
            rows = session.execute(
                select(table)
                .where(table.c.policy_id.in_(list(found)), table.c.status == QAStatus.PUBLISHED.value)
                .order_by(table.c.id)
            )
            for row in rows:
                if row.policy_id is not None:
                    found[row.policy_id].append(_qa_pair_from_plain_row(row))
        return found

    def qa_for_policy(self, policy_id: int, status: QAStatus | None = None) -> list[QAPair]:
        """Q&A pairs resting on a policy (optionally only those with ``status``)."""
        with self.read_session() as session:
            query = select(QAPairRow).where(QAPairRow.policy_id == policy_id).order_by(QAPairRow.id)
            if status is not None:
                query = query.where(QAPairRow.status == status.value)
            return [qa_pair_from_row(row) for row in session.execute(query).scalars()]

    def get_glossary_term(self, term: str) -> GlossaryTerm | None:
        """The glossary entry of ``term``, or None."""
        with self.read_session() as session:
            row = session.execute(
                select(GlossaryTermRow).where(GlossaryTermRow.term == term)
            ).scalar_one_or_none()
            return glossary_term_from_row(row) if row else None

    def iter_glossary_terms(self, since_revision: int = 0, batch_size: int = 500) -> Iterator[GlossaryTerm]:
        """Glossary terms written after ``since_revision``, in batches."""
        return self._iter(GlossaryTermRow, since_revision, batch_size, glossary_term_from_row)

    # ---- counts --------------------------------------------------------------------------------------------
    def count_policies(self) -> int:
        return self._count(PolicyRow)

    def count_interpretations(self) -> int:
        return self._count(InterpretationRow)

    def count_qa_pairs(self) -> int:
        return self._count(QAPairRow)

    def count_glossary_terms(self) -> int:
        return self._count(GlossaryTermRow)

    def counts(self) -> dict[str, int]:
        """Rows per record kind."""
        return {
            "policies": self.count_policies(),
            "interpretations": self.count_interpretations(),
            "qa_pairs": self.count_qa_pairs(),
            "glossary_terms": self.count_glossary_terms(),
        }

    # ---- deletes (leave tombstones) ---------------------------------------------------------------------
    def delete_policy(self, policy_id: int) -> bool:
        """Delete a policy (links and Q&A keep its key and are re-linked if it is imported again)."""
        return self._delete(PolicyRow, policy_id, "policy")

    def delete_interpretation(self, interpretation_id: int) -> bool:
        """Delete an interpretation and its links."""
        return self._delete(InterpretationRow, interpretation_id, "interpretation")

    def delete_qa_pair(self, qa_id: int) -> bool:
        """Delete a Q&A pair."""
        return self._delete(QAPairRow, qa_id, "qa_pair")

    def delete_glossary_term(self, term: str) -> bool:
        """Delete a glossary term."""
        with self.read_session() as session:
            found = session.execute(select(GlossaryTermRow.id).where(GlossaryTermRow.term == term)).scalar()
        return found is not None and self._delete(GlossaryTermRow, found, "glossary_term")

    def _delete(self, table: RecordTable, record_id: int, kind: str) -> bool:
        with self.write_session() as session:
            lock_revisions(session)
            row: Any = session.get(table, record_id)
            if row is None:
                return False
            revision = next_revision(session)
            if table is PolicyRow:
                self._touch_dependants(session, record_id, revision)
            session.add(
                TombstoneRow(
                    revision=revision,
                    kind=kind,
                    record_id=record_id,
                    source=getattr(row, "source", None),
                    source_id=getattr(row, "source_id", getattr(row, "term", None)),
                )
            )
            session.delete(row)
            return True

    @staticmethod
    def _touch_dependants(session: Session, policy_id: int, revision: int) -> None:
        interpretation_ids = set(
            session.execute(
                select(PolicyInterpretationLink.interpretation_id).where(
                    PolicyInterpretationLink.policy_id == policy_id
                )
            ).scalars()
        )
        kinds.touch_rows(session, InterpretationRow, interpretation_ids, revision)
        qa_ids = set(session.execute(select(QAPairRow.id).where(QAPairRow.policy_id == policy_id)).scalars())
        kinds.touch_rows(session, QAPairRow, qa_ids, revision)

    # ---- helpers -------------------------------------------------------------------------------------------
    def _get(self, table: RecordTable, record_id: int, convert: Callable[[Any], T]) -> T | None:
        with self.read_session() as session:
            row = session.get(table, record_id)
            return convert(row) if row is not None else None

    def _get_by_key(self, table: Any, source: str, source_id: str, convert: Callable[[Any], T]) -> T | None:
        with self.read_session() as session:
            row = session.execute(
                select(table).where(table.source == source, table.source_id == source_id)
            ).scalar_one_or_none()
            return convert(row) if row is not None else None

    def _get_many(self, table: Any, ids: Iterable[int], convert: Callable[[Any], T]) -> list[T]:
        wanted = list(ids)
        if not wanted:
            return []
        with self.read_session() as session:
            rows = {
                row.id: row for row in session.execute(select(table).where(table.id.in_(wanted))).scalars()
            }
            return [convert(rows[i]) for i in wanted if i in rows]

    def _iter(
        self, table: Any, since_revision: int, batch_size: int, convert: Callable[[Any], T]
    ) -> Iterator[T]:
        # Keyset pagination on (revision, id): each batch is its own short session, so long syncs hold no
        # transaction open; a row rewritten meanwhile moves to a higher revision and is met again later.
        last_revision, last_id = since_revision, 0
        while True:
            with self.read_session() as session:
                rows = (
                    session.execute(
                        select(table)
                        .where(
                            or_(
                                table.revision > last_revision,
                                (table.revision == last_revision) & (table.id > last_id),
                            )
                            if last_id
                            else table.revision > last_revision
                        )
                        .order_by(table.revision, table.id)
                        .limit(batch_size)
                    )
                    .scalars()
                    .all()
                )
                items = [convert(row) for row in rows]
            if not rows:
                return
            last_revision, last_id = rows[-1].revision, rows[-1].id
            yield from items
            if len(rows) < batch_size:
                return

    def _ids(self, table: Any) -> list[int]:
        with self.read_session() as session:
            return list(session.scalars(select(table.id).order_by(table.revision, table.id)))

    def _count(self, table: Any) -> int:
        with self.read_session() as session:
            return int(session.execute(select(func.count()).select_from(table)).scalar_one())
