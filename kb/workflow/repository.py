"""Persistence of unanswered questions and their history in the store's tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, String, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kb.errors import ConflictError, NotFoundError
from kb.models import Channel, QuestionEvent, QuestionStatus, UnansweredQuestion
from kb.store import Store
from kb.store.revision import lock_revisions, next_revision
from kb.store.tables import QuestionEventRow, UnansweredQuestionRow
from kb.workflow.dedup import DuplicateMatch
from kb.workflow.schemas import QuestionFilters
from kb.workflow.transitions import AWAITING_DEPARTMENT, OPEN_STATUSES

#: Columns a workflow step may change (everything except identity, timestamps and bookkeeping).
_FIXED = {"id", "version", "created_at", "updated_at", "history"}
_MUTABLE = frozenset(UnansweredQuestion.model_fields) - _FIXED


def _event(row: QuestionEventRow) -> QuestionEvent:
    return QuestionEvent(at=row.at, actor=row.actor, action=row.action, detail=dict(row.detail or {}))


def to_model(row: UnansweredQuestionRow, *, with_history: bool = True) -> UnansweredQuestion:
    """Row → pydantic model (history in insertion order)."""
    return UnansweredQuestion(
        id=row.id,
        question=row.question,
        normalized_question=row.normalized_question or "",
        channels=[Channel(c) for c in row.channels or []],
        ask_count=row.ask_count,
        contact_ref=row.contact_ref,
        status=QuestionStatus(row.status),
        suggested_department=row.suggested_department,
        department=row.department,
        sent_at=row.sent_at,
        due_date=row.due_date,
        calendar_warning=row.calendar_warning,
        answer=row.answer,
        answer_policy_key=row.answer_policy_key,
        answer_clause_label=row.answer_clause_label,
        review_comment=row.review_comment,
        published_qa_id=row.published_qa_id,
        close_reason=row.close_reason,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        history=[_event(e) for e in row.events] if with_history else [],
    )


def _column_value(name: str, value: Any) -> Any:
    if name == "channels":
        return [Channel(c).value for c in value]
    if name == "status":
        return QuestionStatus(value).value
    return value


class SqlQuestionRepository:
    """Reads and versioned writes; every write appends one history event in the same transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def create(self, question: UnansweredQuestion, event: QuestionEvent) -> UnansweredQuestion:
        with self._store.write_session() as session:
            values = {k: _column_value(k, getattr(question, k)) for k in _MUTABLE}
            row = UnansweredQuestionRow(
                **values, revision=next_revision(session), created_at=event.at, updated_at=event.at
            )
            row.events.append(_event_row(event))
            session.add(row)
            session.flush()
            return to_model(row)

    def create_unless_duplicate(
        self,
        question: UnansweredQuestion,
        event: QuestionEvent,
        find: Callable[[list[tuple[int, str]]], DuplicateMatch | None],
    ) -> tuple[UnansweredQuestion | None, DuplicateMatch | None]:
        """Create the question unless ``find`` spots a duplicate among the open ones, atomically.

        The writer lock is taken before the open questions are read, so two captures of one new question
        cannot both create it: the second sees the first's row and gets it back as the duplicate.
        """
        with self._store.write_session() as session:
            lock_revisions(session)
            rows = session.execute(
                select(UnansweredQuestionRow.id, UnansweredQuestionRow.question).where(
                    UnansweredQuestionRow.status.in_([s.value for s in OPEN_STATUSES])
                )
            ).all()
            duplicate = find([(r.id, r.question) for r in rows])
            if duplicate is not None:
                return None, duplicate
            values = {k: _column_value(k, getattr(question, k)) for k in _MUTABLE}
            row = UnansweredQuestionRow(
                **values, revision=next_revision(session), created_at=event.at, updated_at=event.at
            )
            row.events.append(_event_row(event))
            session.add(row)
            session.flush()
            return to_model(row), None

    def get(self, question_id: int) -> UnansweredQuestion:
        with self._store.read_session() as session:
            return to_model(self._row(session, question_id))

    def update(
        self, question_id: int, expected_version: int | None, changes: dict[str, Any], event: QuestionEvent
    ) -> UnansweredQuestion:
        """Apply ``changes`` if the row is still at ``expected_version`` (None: trust the row read now)."""
        unknown = set(changes) - _MUTABLE
        if unknown:
            raise ValueError(f"not a mutable question field: {sorted(unknown)}")
        with self._store.write_session() as session:
            # Same lock order as the store's writers (revision counter, then rows): no deadlocks.
            lock_revisions(session)
            row = self._row(session, question_id)
            if expected_version is not None and row.version != expected_version:
                raise conflict_error(question_id, expected_version, row.version)
            revision = next_revision(session)
            with session.no_autoflush:  # one UPDATE, so the version moves by exactly one
                for name, value in changes.items():
                    setattr(row, name, _column_value(name, value))
                row.revision = revision
                row.updated_at = event.at
                row.events.append(_event_row(event))
            try:
                session.flush()
            except StaleDataError as exc:  # another writer bumped the version between our read and write
                raise conflict_error(question_id, expected_version, None) from exc
            return to_model(row)

    def open_candidates(self) -> list[tuple[int, str, str]]:
        """(id, normalized_question, question) of every open question, the pool that dedup searches."""
        with self._store.read_session() as session:
            rows = session.execute(
                select(
                    UnansweredQuestionRow.id,
                    UnansweredQuestionRow.normalized_question,
                    UnansweredQuestionRow.question,
                ).where(UnansweredQuestionRow.status.in_([s.value for s in OPEN_STATUSES]))
            ).all()
            return [(r.id, r.normalized_question or "", r.question) for r in rows]

    def list_questions(
        self, filters: QuestionFilters, *, today: date, limit: int = 500, offset: int = 0
    ) -> tuple[list[UnansweredQuestion], int]:
        """Filtered questions sorted by due date (no due date last, then newest); and the total."""
        with self._store.read_session() as session:
            query = select(UnansweredQuestionRow)
            for condition in _conditions(filters, today):
                query = query.where(condition)
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            query = query.order_by(
                UnansweredQuestionRow.due_date.is_(None),
                UnansweredQuestionRow.due_date,
                UnansweredQuestionRow.created_at.desc(),
                UnansweredQuestionRow.id.desc(),
            )
            rows = session.scalars(query.limit(limit).offset(offset)).all()
            return [to_model(r, with_history=False) for r in rows], int(total)

    def counts_by_department(self, *, today: date) -> list[tuple[str | None, int, int]]:
        """(department, open questions, overdue questions) for the staff page header."""
        overdue = (UnansweredQuestionRow.status.in_([s.value for s in AWAITING_DEPARTMENT])) & (
            UnansweredQuestionRow.due_date < today
        )
        with self._store.read_session() as session:
            rows = session.execute(
                select(
                    UnansweredQuestionRow.department,
                    func.count(),
                    func.sum(cast(overdue, Integer)),
                )
                .where(UnansweredQuestionRow.status.in_([s.value for s in OPEN_STATUSES]))
                .group_by(UnansweredQuestionRow.department)
                .order_by(UnansweredQuestionRow.department)
            ).all()
            return [(r[0], int(r[1]), int(r[2] or 0)) for r in rows]

    @staticmethod
    def _row(session: Session, question_id: int) -> UnansweredQuestionRow:
        row = session.get(UnansweredQuestionRow, question_id)
        if row is None:
            raise NotFoundError(
                f"unanswered question {question_id} does not exist", message_zh=f"问题 {question_id} 不存在"
            )
        return row


def _event_row(event: QuestionEvent) -> QuestionEventRow:
    return QuestionEventRow(at=event.at, actor=event.actor, action=event.action, detail=event.detail)


def conflict_error(question_id: int, expected: int | None, actual: int | None) -> ConflictError:
    now = f", it is now at version {actual}" if actual is not None else ""
    return ConflictError(
        f"question {question_id} was changed by someone else (you edited version {expected}{now}); "
        "reload it and apply your change again",
        message_zh=f"问题 {question_id} 已被他人修改，请刷新后重新操作",
    )


def _conditions(filters: QuestionFilters, today: date) -> Sequence[Any]:
    q = UnansweredQuestionRow
    out: list[Any] = []
    if filters.status:
        out.append(q.status.in_([s.value for s in filters.status]))
    if filters.department:
        out.append(q.department == filters.department)
    if filters.created_from:
        out.append(q.created_at >= datetime.combine(filters.created_from, datetime.min.time()))
    if filters.created_to:
        out.append(q.created_at < datetime.combine(filters.created_to, datetime.max.time()))
    if filters.text:
        out.append(q.question.contains(filters.text, autoescape=True))
    if filters.overdue is not None:
        is_overdue = q.status.in_([s.value for s in AWAITING_DEPARTMENT]) & (q.due_date < today)
        out.append(is_overdue if filters.overdue else ~is_overdue | q.due_date.is_(None))
    if filters.channel is not None:
        # channels is a JSON list; a LIKE on its text form works the same on SQLite and PostgreSQL.
        out.append(cast(q.channels, String).contains(f'"{filters.channel.value}"'))
    return out
