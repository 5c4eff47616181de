"""Two staff acting on one question at the same moment: one wins, the other gets a ConflictError."""

from __future__ import annotations

import threading
from collections.abc import Callable

from kb.auth import Principal, Role
from kb.errors import ConflictError
from kb.store import Store
from kb.workflow import ConsultationCreate, QuestionFilters, SqlQuestionRepository, WorkflowService

STAFF_A = Principal(role=Role.STAFF, key_id=1, name="A")
STAFF_B = Principal(role=Role.STAFF, key_id=2, name="B")


def _race(workers: int, action: Callable[[], None]) -> list[Exception]:
    """Run ``action`` in ``workers`` threads released at the same moment; the exceptions they raised."""
    barrier = threading.Barrier(workers)
    errors: list[Exception] = []

    def run() -> None:
        barrier.wait()
        try:
            action()
        except Exception as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def test_concurrent_sends_with_the_same_version_lose_no_update(store: Store) -> None:
    service = WorkflowService(SqlQuestionRepository(store))
    created = service.capture(ConsultationCreate(question="高校在线教学有哪些要求？"), STAFF_A).question
    assert created is not None and created.id is not None
    qid, version = created.id, created.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def send(actor: Principal, department: str) -> None:
        barrier.wait()
        try:
            service.send(qid, department, version, actor)
            outcomes[actor.name] = "ok"
        except ConflictError:
            outcomes[actor.name] = "conflict"

    threads = [
        threading.Thread(target=send, args=(STAFF_A, "市教育局")),
        threading.Thread(target=send, args=(STAFF_B, "市卫生健康委员会")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes.values()) == ["conflict", "ok"]
    winner = next(name for name, result in outcomes.items() if result == "ok")
    final = service.get(qid, STAFF_A).question
    assert final.version == version + 1
    assert final.department == ("市教育局" if winner == "A" else "市卫生健康委员会")
    sent_events = [e for e in final.history if e.action == "sent"]
    assert len(sent_events) == 1 and sent_events[0].actor.endswith(winner)


def test_concurrent_captures_of_one_open_question_all_count(store: Store) -> None:
    service = WorkflowService(SqlQuestionRepository(store))
    first = service.capture(ConsultationCreate(question="高校在线教学有哪些要求？"), STAFF_A).question
    assert first is not None and first.id is not None
    workers = 4

    def capture() -> None:
        result = service.capture(ConsultationCreate(question="请问高校在线教学有什么要求"), STAFF_B)
        assert result.outcome == "merged"

    assert _race(workers, capture) == []
    final = service.get(first.id, STAFF_A).question
    assert final.ask_count == 1 + workers
    assert sum(1 for e in final.history if e.action == "asked_again") == workers


def test_concurrent_captures_of_a_new_question_create_it_once(store: Store) -> None:
    service = WorkflowService(SqlQuestionRepository(store))
    workers = 4
    outcomes: list[str] = []

    def capture() -> None:
        consultation = ConsultationCreate(question="灵活就业人员如何办理失业登记？")
        outcomes.append(service.capture(consultation, STAFF_B).outcome)

    assert _race(workers, capture) == []
    assert sorted(outcomes) == ["created"] + ["merged"] * (workers - 1)
    views, total = service.list_questions(QuestionFilters(), STAFF_A)
    assert total == 1 and views[0].question.ask_count == workers
