"""The unanswered-question loop (article 31): capture, route, send, answer, review, publish, close."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from kb.auth import Principal, Role, require_department, require_role
from kb.calendar import WorkingCalendar, default_calendar
from kb.errors import ConflictError, SearchError, ValidationError
from kb.models import QuestionEvent, QuestionStatus, UnansweredQuestion
from kb.workflow.dedup import DEFAULT_THRESHOLD, DuplicateMatch, dedup_key, find_duplicate
from kb.workflow.repository import SqlQuestionRepository, conflict_error
from kb.workflow.routing import DepartmentRouter
from kb.workflow.schemas import (
    CaptureResult,
    ConsultationCreate,
    QAMatch,
    QuestionFilters,
    QuestionView,
    RouteSuggestion,
)
from kb.workflow.transitions import AWAITING_DEPARTMENT, check_transition

#: Deadlines follow the working day in China, whatever the server's zone.
CHINA_TZ = ZoneInfo("Asia/Shanghai")
#: Article 31: answered within 3 working days of being sent.
ANSWER_WORKING_DAYS = 3
#: Re-reads a capture may do when concurrent captures of the same question race.
MERGE_ATTEMPTS = 5


class QAMatcher(Protocol):
    """Finds a published Q&A confident enough to answer a consultation (None when nothing is)."""

    def match(self, question: str) -> QAMatch | None: ...


class QAPublisher(Protocol):
    """Stores an accepted answer as a published QAPair, indexes it at once and returns its id."""

    def publish(self, question: UnansweredQuestion, actor: Principal) -> int: ...


def utcnow() -> datetime:
    return datetime.now(UTC)


class WorkflowService:
    """Every change goes through here: permission check, transition check, version check, history."""

    def __init__(
        self,
        repository: SqlQuestionRepository,
        *,
        matcher: QAMatcher | None = None,
        router: DepartmentRouter | None = None,
        publisher: QAPublisher | None = None,
        calendar: WorkingCalendar | None = None,
        dedup_threshold: float = DEFAULT_THRESHOLD,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.repo = repository
        self.matcher = matcher
        self.router = router
        self.publisher = publisher
        self.calendar = calendar or default_calendar()
        self.dedup_threshold = dedup_threshold
        self.clock = clock

    # ---- reading -------------------------------------------------------------------------------------------
    def today(self) -> date:
        """Today in China (deadlines are Beijing working days)."""
        return self.clock().astimezone(CHINA_TZ).date()

    def view(self, question: UnansweredQuestion) -> QuestionView:
        """Add the overdue flag and working days overdue (due at the end of ``due_date``)."""
        today = self.today()
        if question.status in AWAITING_DEPARTMENT and question.due_date and question.due_date < today:
            days = self.calendar.working_days_between(question.due_date, today)
            return QuestionView(question=question, overdue=True, days_overdue=days)
        return QuestionView(question=question)

    def get(self, question_id: int, actor: Principal) -> QuestionView:
        """One question with its history; departments only see their own."""
        question = self.repo.get(question_id)
        require_department(actor, question.department)
        return self.view(question)

    def list_questions(
        self, filters: QuestionFilters, actor: Principal, *, limit: int = 500, offset: int = 0
    ) -> tuple[list[QuestionView], int]:
        """Staff see every question; a department sees its own (its filter is forced)."""
        require_role(actor, Role.STAFF, Role.DEPARTMENT)
        if actor.role is Role.DEPARTMENT:
            filters = filters.model_copy(update={"department": actor.department})
        items, total = self.repo.list_questions(filters, today=self.today(), limit=limit, offset=offset)
        return [self.view(q) for q in items], total

    def counts(self, actor: Principal) -> list[tuple[str | None, int, int]]:
        """(department, open, overdue) for the staff page."""
        require_role(actor, Role.STAFF)
        return self.repo.counts_by_department(today=self.today())

    # ---- capture -------------------------------------------------------------------------------------------
    def capture(self, consultation: ConsultationCreate, actor: Principal) -> CaptureResult:
        """Answer from the Q&A if confident; else join a near-identical open question or create one."""
        require_role(actor, Role.AGENT, Role.STAFF)
        if self.matcher is not None:
            try:
                match = self.matcher.match(consultation.question)
            except SearchError:
                # The engine is down: file the question rather than lose it; staff can close it if answered.
                match = None
            if match is not None:
                return CaptureResult(outcome="answered", answer=match)
        candidates = [(qid, text) for qid, _, text in self.repo.open_candidates()]
        duplicate = find_duplicate(consultation.question, candidates, self.dedup_threshold)
        created = None
        if duplicate is None:
            created, duplicate = self._create(consultation, actor)
        if duplicate is not None:
            merged = self._merge(duplicate.question_id, consultation, duplicate.similarity, actor)
            return CaptureResult(outcome="merged", question=merged, similarity=duplicate.similarity)
        return CaptureResult(outcome="created", question=created)

    def _create(
        self, consultation: ConsultationCreate, actor: Principal
    ) -> tuple[UnansweredQuestion | None, DuplicateMatch | None]:
        """Create, unless a duplicate appeared meanwhile (checked again under the writer lock)."""
        suggestion = self._suggest(consultation.question)  # a search: done before taking the lock
        question = UnansweredQuestion(
            question=consultation.question,
            normalized_question=dedup_key(consultation.question),
            channels=[consultation.channel],
            contact_ref=consultation.contact_ref,
            suggested_department=suggestion.department if suggestion else None,
        )
        detail: dict[str, Any] = {"channel": consultation.channel.value}
        if suggestion and suggestion.department:
            detail["suggested_department"] = suggestion.department
        return self.repo.create_unless_duplicate(
            question,
            self._event(actor, "created", detail),
            lambda pool: find_duplicate(consultation.question, pool, self.dedup_threshold),
        )

    def _merge(
        self, question_id: int, consultation: ConsultationCreate, similarity: float, actor: Principal
    ) -> UnansweredQuestion:
        detail = {
            "channel": consultation.channel.value,
            "text": consultation.question,
            "similarity": round(similarity, 3),
        }
        if consultation.contact_ref:
            detail["contact_ref"] = consultation.contact_ref
        # Callers never hold a version here: a merge that loses a race re-reads the row and counts again,
        # so two agents filing the same question at once both count and neither sees a 409.
        for attempt in range(MERGE_ATTEMPTS):
            current = self.repo.get(question_id)
            channels = list(current.channels)
            if consultation.channel not in channels:
                channels.append(consultation.channel)
            try:
                return self.repo.update(
                    question_id,
                    current.version,
                    {"ask_count": current.ask_count + 1, "channels": channels},
                    self._event(actor, "asked_again", detail),
                )
            except ConflictError:
                if attempt == MERGE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _suggest(self, text: str) -> RouteSuggestion | None:
        return self.router.suggest(text) if self.router is not None else None

    # ---- routing and sending -------------------------------------------------------------------------------
    def suggest_route(self, question_id: int, actor: Principal) -> RouteSuggestion:
        """The suggested department with the policies it rests on (not stored; staff confirm by sending)."""
        require_role(actor, Role.STAFF)
        question = self.repo.get(question_id)
        if self.router is None:
            return RouteSuggestion(department=question.suggested_department)
        return self.router.suggest(question.question)

    def send(
        self, question_id: int, department: str | None, version: int | None, actor: Principal
    ) -> UnansweredQuestion:
        """Send to a department (default: the suggestion); due = 3 working days after sending."""
        require_role(actor, Role.STAFF)
        question = self.repo.get(question_id)
        check_transition(question.status, QuestionStatus.SENT)
        target = (department or question.department or question.suggested_department or "").strip()
        if not target:
            raise ValidationError(
                f"question {question_id} has no department: choose one before sending",
                message_zh="请先选择承办部门再转办",
            )
        now = self.clock()
        due = self.calendar.add_working_days(now.astimezone(CHINA_TZ).date(), ANSWER_WORKING_DAYS)
        detail: dict[str, Any] = {"department": target, "due_date": due.date.isoformat()}
        if question.department and question.department != target:
            detail["previous_department"] = question.department
        if due.warning:
            detail["calendar_warning"] = due.warning
        return self.repo.update(
            question_id,
            version,
            {
                "status": QuestionStatus.SENT,
                "department": target,
                "sent_at": now,
                "due_date": due.date,
                "calendar_warning": due.warning,
            },
            self._event(actor, "sent", detail, at=now),
        )

    def send_many(
        self, items: Sequence[tuple[int, int | None]], department: str | None, actor: Principal
    ) -> list[UnansweredQuestion]:
        """Send several (id, version) pairs; each is its own transaction, all are attempted."""
        require_role(actor, Role.STAFF)
        return [self.send(qid, department, version, actor) for qid, version in items]

    # ---- answering and review ------------------------------------------------------------------------------
    def answer(
        self,
        question_id: int,
        text: str,
        version: int | None,
        actor: Principal,
        *,
        policy_key: str | None = None,
        clause_label: str | None = None,
    ) -> UnansweredQuestion:
        """The department's answer, naming the policy ('source:source_id') and clause it rests on."""
        question = self.repo.get(question_id)
        require_department(actor, question.department)
        check_transition(question.status, QuestionStatus.ANSWERED)
        text = text.strip()
        if len(text) < 2:
            raise ValidationError("the answer is empty", message_zh="答复内容不能为空")
        detail = {"policy_key": policy_key, "clause_label": clause_label, "chars": len(text)}
        return self.repo.update(
            question_id,
            version,
            {
                "status": QuestionStatus.ANSWERED,
                "answer": text,
                "answer_policy_key": policy_key,
                "answer_clause_label": clause_label,
            },
            self._event(actor, "answered", detail),
        )

    def review(
        self,
        question_id: int,
        accept: bool,
        version: int | None,
        actor: Principal,
        comment: str | None = None,
    ) -> UnansweredQuestion:
        """Accept (publish as Q&A at once) or send back with a comment (the deadline restarts)."""
        require_role(actor, Role.STAFF)
        question = self.repo.get(question_id)
        if accept:
            check_transition(question.status, QuestionStatus.PUBLISHED)
            if version is not None and question.version != version:
                # Checked before publishing so that a stale review never creates a Q&A.
                raise conflict_error(question_id, version, question.version)
            qa_id = self.publisher.publish(question, actor) if self.publisher else None
            return self.repo.update(
                question_id,
                question.version,
                {"status": QuestionStatus.PUBLISHED, "published_qa_id": qa_id, "review_comment": comment},
                self._event(actor, "published", {"qa_id": qa_id, "comment": comment}),
            )
        check_transition(question.status, QuestionStatus.RETURNED)
        if not comment or not comment.strip():
            raise ValidationError(
                "sending an answer back needs a comment saying what to change",
                message_zh="退回答复时请填写退回意见",
            )
        now = self.clock()
        due = self.calendar.add_working_days(now.astimezone(CHINA_TZ).date(), ANSWER_WORKING_DAYS)
        return self.repo.update(
            question_id,
            version,
            {
                "status": QuestionStatus.RETURNED,
                "review_comment": comment.strip(),
                "due_date": due.date,
                "calendar_warning": due.warning,
            },
            self._event(actor, "returned", {"comment": comment.strip(), "due_date": due.date.isoformat()}),
        )

    def close(
        self,
        question_id: int,
        reason: str,
        version: int | None,
        actor: Principal,
        *,
        duplicate_of: int | None = None,
    ) -> UnansweredQuestion:
        """Close with a reason (duplicate, out of scope, ...)."""
        require_role(actor, Role.STAFF)
        question = self.repo.get(question_id)
        check_transition(question.status, QuestionStatus.CLOSED)
        if not reason.strip():
            raise ValidationError("closing needs a reason", message_zh="关闭问题时请填写原因")
        if duplicate_of is not None:
            self.repo.get(duplicate_of)  # NotFoundError if it does not exist
        detail: dict[str, Any] = {"reason": reason.strip()}
        if duplicate_of is not None:
            detail["duplicate_of"] = duplicate_of
        return self.repo.update(
            question_id,
            version,
            {"status": QuestionStatus.CLOSED, "close_reason": reason.strip()},
            self._event(actor, "closed", detail),
        )

    def reopen(self, question_id: int, version: int | None, actor: Principal) -> UnansweredQuestion:
        """A closed question back to new (a mistaken close)."""
        require_role(actor, Role.STAFF)
        question = self.repo.get(question_id)
        check_transition(question.status, QuestionStatus.NEW)
        return self.repo.update(
            question_id,
            version,
            {"status": QuestionStatus.NEW, "close_reason": None},
            self._event(actor, "reopened"),
        )

    def _event(
        self,
        actor: Principal,
        action: str,
        detail: dict[str, Any] | None = None,
        *,
        at: datetime | None = None,
    ) -> QuestionEvent:
        return QuestionEvent(at=at or self.clock(), actor=actor.actor, action=action, detail=detail or {})
