"""A caller who words the question like one of a Q&A's alternative phrasings gets that Q&A, confidently."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.index_sync import sync_index
from kb.demo import demo_records
from kb.qa import QAMatcher
from kb.search import get_backend
from kb.settings import Settings
from kb.store import Store


@pytest.fixture(scope="module")
def demo_matcher(tmp_path_factory: pytest.TempPathFactory) -> QAMatcher:
    data_dir: Path = tmp_path_factory.mktemp("qa-demo")
    settings = Settings(data_dir=data_dir, search_backend="sqlite")
    store = Store(settings.resolved_database_url)
    records = demo_records()
    store.upsert_policies(records.policies)
    store.upsert_interpretations(records.interpretations)
    store.upsert_qa_pairs(records.qa_pairs)
    backend = get_backend(settings)
    sync_index(store, backend)
    return QAMatcher.from_store(backend, store)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("租房提取公积金", "q003"),  # an alternative phrasing of 租房可以提取住房公积金吗？
        ("公积金按月冲还贷", "q041"),
        ("首违不罚", "q037"),
    ],
)
def test_alternative_phrasing_is_answered_by_its_qa(
    demo_matcher: QAMatcher, asked: str, expected: str
) -> None:
    answer = demo_matcher.match(asked)
    assert not answer.no_answer, answer.candidates[:2]
    assert answer.best is not None and answer.best.source_id == expected
    assert answer.confidence >= 0.9


def test_an_unrelated_question_still_gets_no_answer(demo_matcher: QAMatcher) -> None:
    assert demo_matcher.match("火星上可以办理护照吗").no_answer
