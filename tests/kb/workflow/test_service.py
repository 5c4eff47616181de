"""The article-31 loop on the real store (SQLite and PostgreSQL): capture, merge, send, answer, review, close."""
# ruff: noqa: E501  (Chinese test sentences are wide)

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from kb.auth import Principal, Role
from kb.errors import (
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    SearchUnavailableError,
    ValidationError,
)
from kb.models import Channel, QAOrigin, QuestionStatus
from kb.search import get_backend
from kb.settings import Settings
from kb.store import Store
from kb.workflow import ConsultationCreate, QuestionFilters, SqlQuestionRepository, WorkflowService
from kb.workflow.matching import BackendQAMatcher
from kb.workflow.publish import StoreQAPublisher

BJ = ZoneInfo("Asia/Shanghai")
STAFF = Principal(role=Role.STAFF, key_id=1, name="王")
STAFF2 = Principal(role=Role.STAFF, key_id=2, name="李")
AGENT = Principal(role=Role.AGENT, key_id=3)
EDU = Principal(role=Role.DEPARTMENT, department="市教育局", key_id=4)
HEALTH = Principal(role=Role.DEPARTMENT, department="市卫生健康委员会", key_id=5)
PUBLIC = Principal(role=Role.PUBLIC)


class Clock:
    """A settable clock: deadlines are tested on chosen dates, never on today's."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, *args: int) -> None:
        self.at = datetime(*args, tzinfo=BJ).astimezone(UTC)


@pytest.fixture
def clock() -> Clock:
    c = Clock(datetime(2026, 9, 30, 10, 0, tzinfo=BJ))
    return c


@pytest.fixture
def service(store: Store, clock: Clock) -> WorkflowService:
    return WorkflowService(SqlQuestionRepository(store), publisher=StoreQAPublisher(store), clock=clock)


def ask(service: WorkflowService, text: str, channel: Channel = Channel.HOTLINE, who: Principal = AGENT):
    return service.capture(ConsultationCreate(question=text, channel=channel, contact_ref="12345-001"), who)


def test_capture_creates_then_merges_a_near_identical_question(service: WorkflowService) -> None:
    first = ask(service, "重庆市一般企业如何复工？")
    assert first.outcome == "created" and first.question is not None
    assert first.question.status is QuestionStatus.NEW and first.question.ask_count == 1
    again = ask(service, "请问重庆市的一般企业怎么复工", channel=Channel.WEBSITE)
    assert again.outcome == "merged" and again.question is not None
    assert again.question.id == first.question.id
    assert again.question.ask_count == 2
    assert again.question.channels == [Channel.HOTLINE, Channel.WEBSITE]
    other = ask(service, "重庆市餐饮企业如何复工？")
    assert other.outcome == "created" and other.question is not None and other.question.id != first.question.id
    history = service.get(first.question.id, STAFF).question.history
    assert [e.action for e in history] == ["created", "asked_again"]
    assert history[1].detail["text"] == "请问重庆市的一般企业怎么复工" and history[1].actor.startswith("agent")


def test_only_agents_and_staff_capture(service: WorkflowService) -> None:
    with pytest.raises(PermissionDeniedError):
        ask(service, "重庆市一般企业如何复工？", who=EDU)
    with pytest.raises(AuthenticationError):
        ask(service, "重庆市一般企业如何复工？", who=PUBLIC)


def test_send_sets_the_due_date_on_the_official_calendar(service: WorkflowService, clock: Clock) -> None:
    q = ask(service, "高校在线教学有哪些要求？").question
    assert q is not None and q.id is not None
    sent = service.send(q.id, "市教育局", q.version, STAFF)  # Wed 30 Sep 2026, 10:00 Beijing
    assert sent.status is QuestionStatus.SENT and sent.department == "市教育局"
    assert sent.due_date == date(2026, 10, 10)  # 国庆 1-7 off; Thu 8, Fri 9, Sat 10 (调休)
    assert sent.calendar_warning is None
    event = sent.history[-1]
    assert event.action == "sent" and event.actor == "staff:key#1:王" and event.detail["due_date"] == "2026-10-10"


def test_sending_late_at_night_uses_the_beijing_date(service: WorkflowService, clock: Clock) -> None:
    clock.set(2026, 10, 9, 0, 30)  # Friday 00:30 in Beijing is still Thursday 16:30 in UTC
    q = ask(service, "高校在线教学有哪些要求？").question
    assert q is not None and q.id is not None
    # Counted from Friday: Sat 10 (调休 working day), Mon 12, Tue 13. From Thursday it would be the 12th.
    assert service.send(q.id, "市教育局", None, STAFF).due_date == date(2026, 10, 13)


def test_sending_into_an_unknown_year_stores_the_calendar_warning(service: WorkflowService, clock: Clock) -> None:
    clock.set(2027, 2, 5, 9, 0)  # 2027 has no holiday data yet
    q = ask(service, "高校在线教学有哪些要求？").question
    assert q is not None and q.id is not None
    sent = service.send(q.id, "市教育局", None, STAFF)
    assert sent.due_date == date(2027, 2, 10)  # weekends only
    assert sent.calendar_warning is not None and "2027" in sent.calendar_warning
    assert "2027" in sent.history[-1].detail["calendar_warning"]


def test_overdue_flag_and_days_overdue_in_working_days(service: WorkflowService, clock: Clock) -> None:
    q = ask(service, "高校在线教学有哪些要求？").question
    assert q is not None and q.id is not None
    service.send(q.id, "市教育局", None, STAFF)  # due Sat 10 Oct 2026
    clock.set(2026, 10, 10, 18, 0)
    view = service.get(q.id, STAFF)
    assert not view.overdue and view.days_overdue == 0  # due at the end of the day
    clock.set(2026, 10, 13, 9, 0)  # Tuesday: Sunday is not a working day -> Mon 12, Tue 13
    view = service.get(q.id, STAFF)
    assert view.overdue and view.days_overdue == 2
    overdue, total = service.list_questions(QuestionFilters(overdue=True), STAFF)
    assert total == 1 and overdue[0].question.id == q.id
    assert service.list_questions(QuestionFilters(overdue=False), STAFF)[1] == 0
    assert service.counts(STAFF) == [("市教育局", 1, 1)]


def test_department_answers_only_its_own_questions(service: WorkflowService) -> None:
    q = ask(service, "高校在线教学有哪些要求？").question
    assert q is not None and q.id is not None
    with pytest.raises(ValidationError):  # not sent yet
        service.answer(q.id, "按教育部通知执行。", None, STAFF)
    sent = service.send(q.id, "市教育局", None, STAFF)
    with pytest.raises(PermissionDeniedError):
        service.answer(q.id, "不是我们的。", sent.version, HEALTH)
    with pytest.raises(PermissionDeniedError):
        service.get(q.id, HEALTH)
    assert service.list_questions(QuestionFilters(), HEALTH) == ([], 0)
    mine, total = service.list_questions(QuestionFilters(department="市卫生健康委员会"), EDU)
    assert total == 1 and mine[0].question.id == q.id  # the department filter is forced to its own
    answered = service.answer(q.id, "高校按教育部通知组织在线教学。", sent.version, EDU)
    assert answered.status is QuestionStatus.ANSWERED and answered.history[-1].actor.startswith("department:市教育局")


def test_review_returns_with_comment_then_publishes_as_qa(service: WorkflowService, store: Store, clock: Clock) -> None:
    q = ask(service, "高校在线教学有哪些要求？").question
    assert q is not None and q.id is not None
    ask(service, "请问高校在线教学有什么要求")  # merged: becomes an alternative phrasing
    service.send(q.id, "市教育局", None, STAFF)
    service.answer(q.id, "按通知执行。", None, EDU)
    with pytest.raises(ValidationError):
        service.review(q.id, False, None, STAFF, comment=" ")
    clock.set(2026, 10, 12, 9, 0)
    returned = service.review(q.id, False, None, STAFF, comment="请写明依据的文件和条款")
    assert returned.status is QuestionStatus.RETURNED and returned.review_comment == "请写明依据的文件和条款"
    assert returned.due_date == date(2026, 10, 15)  # the deadline restarts from the return
    service.answer(q.id, "各高校应按教育部通知组织在线教学，保证教学质量。", None, EDU, clause_label="第三条")
    with pytest.raises(PermissionDeniedError):
        service.review(q.id, True, None, EDU)
    published = service.review(q.id, True, None, STAFF)
    assert published.status is QuestionStatus.PUBLISHED and published.published_qa_id is not None
    qa = store.get_qa_pair(published.published_qa_id)
    assert qa is not None and qa.origin is QAOrigin.WORKFLOW and qa.department == "市教育局"
    assert qa.answer.startswith("各高校") and qa.clause_label == "第三条"
    assert qa.alternative_questions == ["请问高校在线教学有什么要求"]
    actions = [e.action for e in service.get(q.id, STAFF).question.history]
    assert actions == ["created", "asked_again", "sent", "answered", "returned", "answered", "published"]
    with pytest.raises(ValidationError):  # published is final
        service.close(q.id, "重复", None, STAFF)


def test_answer_naming_an_unknown_policy_is_refused_at_publish(service: WorkflowService) -> None:
    q = ask(service, "高校在线教学有哪些要求？").question
    assert q is not None and q.id is not None
    service.send(q.id, "市教育局", None, STAFF)
    service.answer(q.id, "见文件。", None, EDU, policy_key="govcn:does-not-exist")
    with pytest.raises(ValidationError):
        service.review(q.id, True, None, STAFF)
    assert service.get(q.id, STAFF).question.status is QuestionStatus.ANSWERED


def test_close_and_reopen(service: WorkflowService) -> None:
    a = ask(service, "高校在线教学有哪些要求？").question
    b = ask(service, "本市养犬登记在哪里办理？").question
    assert a is not None and b is not None and a.id is not None and b.id is not None
    closed = service.close(b.id, "不属于政策咨询范围", None, STAFF, duplicate_of=a.id)
    assert closed.status is QuestionStatus.CLOSED and closed.close_reason == "不属于政策咨询范围"
    assert closed.history[-1].detail == {"reason": "不属于政策咨询范围", "duplicate_of": a.id}
    with pytest.raises(ValidationError):
        service.send(b.id, "市教育局", None, STAFF)
    with pytest.raises(ValidationError):
        service.close(a.id, "  ", None, STAFF)
    assert service.reopen(b.id, None, STAFF).status is QuestionStatus.NEW


def test_two_staff_on_one_question_no_lost_update(service: WorkflowService) -> None:
    q = ask(service, "高校在线教学有哪些要求？").question
    assert q is not None and q.id is not None
    seen = service.get(q.id, STAFF).question.version
    service.send(q.id, "市教育局", seen, STAFF)
    with pytest.raises(ConflictError, match="reload"):
        service.send(q.id, "市卫生健康委员会", seen, STAFF2)
    final = service.get(q.id, STAFF).question
    assert final.department == "市教育局" and [e.action for e in final.history] == ["created", "sent"]


def test_send_many_and_list_filters(service: WorkflowService) -> None:
    ids = []
    for text in ("高校在线教学有哪些要求？", "中小学开学前要做哪些准备？", "医院发热门诊几点开放？"):
        r = ask(service, text)
        assert r.question is not None and r.question.id is not None
        ids.append(r.question.id)
    sent = service.send_many([(ids[0], None), (ids[1], None)], "市教育局", STAFF)
    assert {s.status for s in sent} == {QuestionStatus.SENT}
    new, total = service.list_questions(QuestionFilters(status=[QuestionStatus.NEW]), STAFF)
    assert total == 1 and new[0].question.id == ids[2]
    _, total = service.list_questions(QuestionFilters(department="市教育局"), STAFF)
    assert total == 2
    assert service.list_questions(QuestionFilters(channel=Channel.HOTLINE), STAFF)[1] == 3
    assert service.list_questions(QuestionFilters(channel=Channel.WEBSITE), STAFF)[1] == 0
    assert service.list_questions(QuestionFilters(text="发热门诊"), STAFF)[1] == 1
    with pytest.raises(ValidationError):
        service.send(ids[2], None, None, STAFF)  # no department and no suggestion
    with pytest.raises(PermissionDeniedError):
        service.list_questions(QuestionFilters(), AGENT)


def test_capture_files_the_question_when_the_qa_engine_is_down(store: Store, clock: Clock) -> None:
    # A real OpenSearch backend pointed at a port nobody listens on.
    dead = get_backend(Settings(search_backend="opensearch", search_url="http://127.0.0.1:9", search_timeout_seconds=1))
    matcher = BackendQAMatcher(dead)
    with pytest.raises(SearchUnavailableError):
        matcher.match("高校在线教学有哪些要求？")
    service = WorkflowService(SqlQuestionRepository(store), matcher=matcher, clock=clock)
    result = ask(service, "高校在线教学有哪些要求？")
    assert result.outcome == "created" and result.question is not None
