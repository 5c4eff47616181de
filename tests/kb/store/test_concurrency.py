"""Two writers on one record never lose an update: optimistic version check, serialized revisions."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from store_factories import make_policy, make_qa

from kb.errors import ConflictError
from kb.store import Store


def test_an_edit_based_on_a_stale_version_is_refused(store: Store) -> None:
    store.upsert_qa_pairs([make_qa("q1")])
    first = store.get_qa_pair_by_key("test", "q1")
    second = store.get_qa_pair_by_key("test", "q1")
    assert first is not None and second is not None and first.version == second.version == 1

    saved = store.update_qa_pair(first.model_copy(update={"answer": "甲修改后的答案"}))
    assert saved.version == 2

    with pytest.raises(ConflictError) as caught:
        store.update_qa_pair(second.model_copy(update={"answer": "乙修改后的答案"}))
    assert "version" in str(caught.value) and caught.value.message_zh
    current = store.get_qa_pair_by_key("test", "q1")
    assert current is not None and current.answer == "甲修改后的答案" and current.version == 2


def test_concurrent_read_modify_write_loses_nothing(store_url: str) -> None:
    """Four threads on two Stores (like two processes) each add five phrasings, retrying on conflict."""
    stores = [Store(store_url), Store(store_url)]
    stores[0].upsert_qa_pairs([make_qa("q1")])
    conflicts = 0
    lock = threading.Lock()

    def add_phrasings(worker: int) -> None:
        nonlocal conflicts
        store = stores[worker % 2]
        for n in range(5):
            while True:
                qa = store.get_qa_pair_by_key("test", "q1")
                assert qa is not None
                edited = qa.model_copy(
                    update={"alternative_questions": [*qa.alternative_questions, f"w{worker}-{n}"]}
                )
                try:
                    store.update_qa_pair(edited)
                    break
                except ConflictError:
                    with lock:
                        conflicts += 1

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(add_phrasings, range(4)))
        final = stores[1].get_qa_pair_by_key("test", "q1")
    finally:
        for s in stores:
            s.close()
    assert final is not None
    assert sorted(final.alternative_questions) == sorted(f"w{w}-{n}" for w in range(4) for n in range(5))
    assert final.version == 21


def test_concurrent_upserts_of_one_key_are_applied_one_after_the_other(store_url: str) -> None:
    stores = [Store(store_url), Store(store_url)]
    stores[0].upsert_policies([make_policy("p1", title="原稿")])
    barrier = threading.Barrier(2)

    def write(i: int) -> tuple[int, int]:
        barrier.wait()
        report = stores[i].upsert_policies([make_policy("p1", title=f"第{i}稿")])
        return report.updated, len(report.failed)

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(write, range(2)))
        with stores[0].read_session() as session:
            from sqlalchemy import select

            from kb.store.tables import PolicyRow

            row = session.execute(select(PolicyRow)).scalar_one()
            version, title, revision = row.version, row.title, row.revision
    finally:
        for s in stores:
            s.close()
    assert results == [(1, 0), (1, 0)]  # neither writer failed nor was silently skipped
    assert version == 3  # both updates went through the version check, in turn
    assert title in {"第0稿", "第1稿"}
    assert revision == 3


def test_readers_see_committed_data_while_a_writer_holds_the_lock(store: Store) -> None:
    from sqlalchemy import update

    from kb.store.revision import lock_revisions
    from kb.store.tables import PolicyRow

    store.upsert_policies([make_policy("p1", title="已提交的标题")])
    with store.write_session() as session:
        lock_revisions(session)
        session.execute(update(PolicyRow).values(title="未提交的标题"))
        during = store.get_policy_by_key("test", "p1")  # another connection: neither blocked nor dirty
        assert during is not None and during.title == "已提交的标题"
        session.rollback()
    after = store.get_policy_by_key("test", "p1")
    assert after is not None and after.title == "已提交的标题"


def test_update_qa_pair_needs_a_stored_pair(store: Store) -> None:
    from kb.errors import NotFoundError, ValidationError

    with pytest.raises(ValidationError, match=r"qa\.id"):
        store.update_qa_pair(make_qa("q1"))
    with pytest.raises(NotFoundError):
        store.update_qa_pair(make_qa("q1", id=12345))
    store.upsert_qa_pairs([make_qa("q1")])
    qa = store.get_qa_pair_by_key("test", "q1")
    assert qa is not None
    with pytest.raises(ValidationError, match="unknown linked id"):
        store.update_qa_pair(qa.model_copy(update={"policy_id": 777}))
    unchanged = store.get_qa_pair_by_key("test", "q1")
    assert unchanged is not None and unchanged.policy_id is None and unchanged.version == 1
