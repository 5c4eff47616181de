"""End to end: no answer → listed → sent → answered → published → the same question now gets that answer."""
# ruff: noqa: E501  (Chinese test sentences are wide)

from __future__ import annotations

from pathlib import Path

import pytest

from kb.auth import Principal, Role
from kb.models import Channel, QuestionStatus
from kb.qa import QAMatcher as KBMatcher
from kb.search import get_backend
from kb.search.base import BaseSearchBackend
from kb.settings import Settings
from kb.store import Store
from kb.workflow import ConsultationCreate, QuestionFilters, SqlQuestionRepository, WorkflowService
from kb.workflow.matching import BackendQAMatcher, CalibratedQAMatcher
from kb.workflow.publish import StoreQAPublisher

STAFF = Principal(role=Role.STAFF, key_id=1)
AGENT = Principal(role=Role.AGENT, key_id=2)
DEPT = Principal(role=Role.DEPARTMENT, department="市人力资源和社会保障局", key_id=3)


@pytest.fixture(params=["sqlite", "opensearch"])
def backend(request: pytest.FixtureRequest, store: Store, tmp_path: Path) -> BaseSearchBackend:
    if request.param == "sqlite":
        settings = Settings(database_url=store.url, data_dir=tmp_path, search_backend="sqlite")
    else:
        settings = Settings(
            database_url=store.url,
            data_dir=tmp_path,
            search_backend="opensearch",
            search_url=request.getfixturevalue("opensearch_url"),
            search_index_prefix=request.getfixturevalue("os_index_prefix").rstrip("_"),
        )
    engine = get_backend(settings)
    engine.ensure_indexes()
    return engine


@pytest.mark.parametrize("matcher_kind", ["strict", "calibrated"])
def test_published_answer_answers_the_next_caller(
    store: Store, backend: BaseSearchBackend, matcher_kind: str
) -> None:
    matcher = BackendQAMatcher(backend) if matcher_kind == "strict" else CalibratedQAMatcher(KBMatcher(backend))
    service = WorkflowService(
        SqlQuestionRepository(store),
        matcher=matcher,
        publisher=StoreQAPublisher(store, backend),
    )
    text = "灵活就业人员如何办理失业登记？"
    first = service.capture(ConsultationCreate(question=text, channel=Channel.HOTLINE), AGENT)
    assert first.outcome == "created" and first.question is not None and first.question.id is not None
    qid = first.question.id
    listed, total = service.list_questions(QuestionFilters(status=[QuestionStatus.NEW]), STAFF)
    assert total == 1 and listed[0].question.id == qid

    service.send(qid, "市人力资源和社会保障局", None, STAFF)
    service.answer(qid, "灵活就业人员可通过人社网上服务大厅或社区就业服务窗口办理失业登记。", None, DEPT)
    published = service.review(qid, True, None, STAFF)
    assert published.status is QuestionStatus.PUBLISHED

    again = service.capture(ConsultationCreate(question="请问灵活就业人员怎么办理失业登记", channel=Channel.WEBSITE), AGENT)
    assert again.outcome == "answered" and again.answer is not None
    assert again.answer.qa_id == published.published_qa_id
    assert again.answer.answer.startswith("灵活就业人员可通过")
    # A different question is still not answered by it.
    other = service.capture(ConsultationCreate(question="退休人员如何领取养老金？"), AGENT)
    assert other.outcome == "created"
